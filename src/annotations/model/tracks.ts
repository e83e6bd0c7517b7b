/** Creating documents and tracks, checking geometry, and immutable keyframe edits on one track. */
import type { RunInfo } from '../../dicom/types';
import { emptyCaseRecord } from './caseRecord';
import { isFinitePoint, perimeter, type Point } from './geometry';
import {
  DEFAULT_TRACK_COLORS,
  TRACK_KIND_NAMES,
  type AnnotationDocument,
  type FrameRange,
  type GeometryOf,
  type Keyframe,
  type RunRef,
  type Track,
  type TrackKind,
  type TrackOfKind,
} from './types';

export function runRefFromRunInfo(run: RunInfo): RunRef {
  return {
    studyInstanceUID: run.study.instanceUID,
    seriesInstanceUID: run.series.instanceUID,
    sopInstanceUIDs: [...run.sopInstanceUIDs],
    frameCount: run.frameCount,
  };
}

export function createDocument(runRef: RunRef): AnnotationDocument {
  return { runRef, tracks: [], caseRecord: emptyCaseRecord(), calibration: null, vascularFlags: [], leadTips: [] };
}

/** "needleTip-3": one past the highest number used by that kind, so deleted ids are not reused. */
export function nextTrackId(doc: AnnotationDocument, kind: TrackKind): string {
  const pattern = new RegExp(`^${kind}-(\\d+)$`);
  const used = doc.tracks.map((t) => Number(pattern.exec(t.id)?.[1] ?? 0));
  return `${kind}-${Math.max(0, ...used) + 1}`;
}

export interface NewTrackOptions {
  id?: string;
  label?: string;
  color?: string;
  /** Arrow and caption text. */
  text?: string;
  /** Caption frame range; defaults to the whole run. */
  range?: FrameRange;
}

/** A new, empty track of `kind` with a unique id and the kind's default label and colour. */
export function createTrack<K extends TrackKind>(doc: AnnotationDocument, kind: K, options: NewTrackOptions = {}): TrackOfKind<K> {
  return newTrack(doc, kind, options) as TrackOfKind<K>;
}

function newTrack(doc: AnnotationDocument, kind: TrackKind, options: NewTrackOptions): Track {
  const id = options.id ?? nextTrackId(doc, kind);
  const label = options.label ?? TRACK_KIND_NAMES[kind];
  const color = options.color ?? DEFAULT_TRACK_COLORS[kind];
  const text = options.text ?? '';
  switch (kind) {
    case 'arrow':
      return { id, kind, label, color, keyframes: [], text };
    case 'caption':
      return { id, kind, label, color, keyframes: [], text, range: options.range ?? { from: 1, to: doc.runRef.frameCount } };
    default:
      return { id, kind, label, color, keyframes: [] };
  }
}

export function findTrack(doc: AnnotationDocument, trackId: string): Track | undefined {
  return doc.tracks.find((t) => t.id === trackId);
}

/** The first track of a kind, in document order (measurements use the first needle tip and target). */
export function firstTrackOfKind<K extends TrackKind>(doc: AnnotationDocument, kind: K): TrackOfKind<K> | undefined {
  return doc.tracks.find((t): t is TrackOfKind<K> => t.kind === kind);
}

/** Why `geometry` is not usable for a `kind` keyframe, or null when it is. An optional point may be absent or null. */
export function geometryProblem(kind: TrackKind, geometry: unknown): string | null {
  if (typeof geometry !== 'object' || geometry === null) return 'geometry is missing';
  const g = geometry as Record<string, unknown>;
  switch (kind) {
    case 'needleTip':
      if (!isFinitePoint(g.tip)) return 'needle tip has no valid tip point';
      return g.hub == null || isFinitePoint(g.hub) ? null : 'needle tip hub is not a valid point';
    case 'target':
      if (!isFinitePoint(g.center)) return 'target has no valid centre point';
      return isPositiveNumber(g.radiusPx) ? null : 'target radius must be a positive number of pixels';
    case 'contrastSpread':
      return contourProblem(g.contour);
    case 'arrow':
      return isFinitePoint(g.from) && isFinitePoint(g.to) ? null : 'arrow needs valid from and to points';
    case 'caption':
      return g.position == null || isFinitePoint(g.position) ? null : 'caption position is not a valid point';
  }
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function contourProblem(contour: unknown): string | null {
  if (!Array.isArray(contour) || !contour.every(isFinitePoint)) return 'contour must be a list of valid points';
  if (contour.length < 3) return `contour has ${contour.length} points; at least 3 are needed`;
  return perimeter(contour as Point[]) > 0 ? null : 'contour has zero length';
}

export function isValidFrame(frame: number, frameCount: number): boolean {
  return Number.isInteger(frame) && frame >= 1 && frame <= frameCount;
}

export function keyframeIndex(track: Track, frame: number): number {
  return track.keyframes.findIndex((k) => k.frame === frame);
}

export function keyframeAt<T extends Track>(track: T, frame: number): Keyframe<GeometryOf<T>> | undefined {
  return (track.keyframes as readonly Keyframe<GeometryOf<T>>[]).find((k) => k.frame === frame);
}

/** `track` with `geometry` at `frame`: replaces that keyframe's geometry (keeping its extras) or inserts in order. */
export function withKeyframe<T extends Track>(track: T, frame: number, geometry: GeometryOf<T>): T {
  const keyframes = track.keyframes as readonly Keyframe<GeometryOf<T>>[];
  const existing = keyframes.find((k) => k.frame === frame);
  const keyframe = existing ? { ...existing, geometry } : { frame, geometry };
  const others = keyframes.filter((k) => k.frame !== frame);
  const sorted = [...others, keyframe].sort((a, b) => a.frame - b.frame);
  return { ...track, keyframes: sorted };
}

export function withoutKeyframe<T extends Track>(track: T, frame: number): T {
  return { ...track, keyframes: track.keyframes.filter((k) => k.frame !== frame) };
}
