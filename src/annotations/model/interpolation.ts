/**
 * What a track shows on a frame. Exact at keyframes; between two keyframes points and radii are
 * blended linearly and contours as described in contour.ts. Outside its keyframes a track shows
 * nothing, except a target, which holds its nearest keyframe (the anatomy stays put while the
 * needle moves), and a caption, which shows on every frame of its range whether or not it has
 * position keyframes (a position is held past its first and last keyframe).
 */
import { interpolateContours } from './contour';
import { lerp, lerpPoint, type Point } from './geometry';
import { keyframeAt, withKeyframe } from './tracks';
import type {
  ArrowGeometry,
  CaptionGeometry,
  ContrastSpreadGeometry,
  Geometry,
  GeometryOf,
  Keyframe,
  NeedleTipGeometry,
  TargetGeometry,
  Track,
} from './types';

export type GeometrySource = 'keyframe' | 'interpolated' | 'held';

export interface GeometryAtFrame<G extends Geometry = Geometry> {
  readonly geometry: G;
  readonly isKeyframe: boolean;
  /** 'held': a target or caption position shown before its first or after its last keyframe. */
  readonly source: GeometrySource;
}

export function geometryAt<T extends Track>(track: T, frame: number): GeometryAtFrame<GeometryOf<T>> | null {
  if (track.kind === 'caption' && (frame < track.range.from || frame > track.range.to)) return null;
  const keyframes = track.keyframes as readonly Keyframe<GeometryOf<T>>[];
  if (keyframes.length === 0) {
    return track.kind === 'caption' ? { geometry: {} as GeometryOf<T>, isKeyframe: false, source: 'held' } : null;
  }
  const exact = keyframeAt(track, frame);
  if (exact) return { geometry: exact.geometry, isKeyframe: true, source: 'keyframe' };
  const before = lastBefore(keyframes, frame);
  const after = firstAfter(keyframes, frame);
  if (before && after) {
    const t = (frame - before.frame) / (after.frame - before.frame);
    return { geometry: blend(track.kind, before.geometry, after.geometry, t) as GeometryOf<T>, isKeyframe: false, source: 'interpolated' };
  }
  const holds = track.kind === 'target' || track.kind === 'caption';
  const nearest = before ?? after;
  return holds && nearest ? { geometry: nearest.geometry, isKeyframe: false, source: 'held' } : null;
}

function lastBefore<K extends Keyframe>(keyframes: readonly K[], frame: number): K | undefined {
  return keyframes.findLast((k) => k.frame < frame);
}

function firstAfter<K extends Keyframe>(keyframes: readonly K[], frame: number): K | undefined {
  return keyframes.find((k) => k.frame > frame);
}

function blend(kind: Track['kind'], a: Geometry, b: Geometry, t: number): Geometry {
  switch (kind) {
    case 'needleTip':
      return blendNeedleTip(a as NeedleTipGeometry, b as NeedleTipGeometry, t);
    case 'target':
      return blendTarget(a as TargetGeometry, b as TargetGeometry, t);
    case 'contrastSpread':
      return { contour: interpolateContours((a as ContrastSpreadGeometry).contour, (b as ContrastSpreadGeometry).contour, t) };
    case 'arrow':
      return blendArrow(a as ArrowGeometry, b as ArrowGeometry, t);
    case 'caption':
      return blendCaption(a as CaptionGeometry, b as CaptionGeometry, t);
  }
}

/** The hub (shaft) is only drawn between two keyframes that both have one: inventing it would mislead. */
function blendNeedleTip(a: NeedleTipGeometry, b: NeedleTipGeometry, t: number): NeedleTipGeometry {
  const tip = lerpPoint(a.tip, b.tip, t);
  return a.hub && b.hub ? { tip, hub: lerpPoint(a.hub, b.hub, t) } : { tip };
}

function blendTarget(a: TargetGeometry, b: TargetGeometry, t: number): TargetGeometry {
  return { center: lerpPoint(a.center, b.center, t), radiusPx: lerp(a.radiusPx, b.radiusPx, t) };
}

function blendArrow(a: ArrowGeometry, b: ArrowGeometry, t: number): ArrowGeometry {
  return { from: lerpPoint(a.from, b.from, t), to: lerpPoint(a.to, b.to, t) };
}

function blendCaption(a: CaptionGeometry, b: CaptionGeometry, t: number): CaptionGeometry {
  const position: Point | undefined = a.position && b.position ? lerpPoint(a.position, b.position, t) : (a.position ?? b.position);
  return position ? { position } : {};
}

/** The first keyframe after `frame`, for "next keyframe" navigation. */
export function nextKeyframe<T extends Track>(track: T, frame: number): Keyframe<GeometryOf<T>> | null {
  return firstAfter(track.keyframes as readonly Keyframe<GeometryOf<T>>[], frame) ?? null;
}

/** The last keyframe before `frame`. */
export function previousKeyframe<T extends Track>(track: T, frame: number): Keyframe<GeometryOf<T>> | null {
  return lastBefore(track.keyframes as readonly Keyframe<GeometryOf<T>>[], frame) ?? null;
}

/**
 * `track` with a keyframe at `frame` holding what the user sees there now (interpolated or held),
 * so it can be edited without the neighbouring frames jumping. The same track when `frame` is
 * already a keyframe; null when the track shows nothing on `frame`.
 */
export function keyframeFromInterpolation<T extends Track>(track: T, frame: number): T | null {
  const shown = geometryAt(track, frame);
  if (!shown) return null;
  return shown.isKeyframe ? track : withKeyframe(track, frame, shown.geometry);
}
