/**
 * Annotation files written by hand for the browser tests: the starting point a test imports with
 * Import annotations, so that it does not depend on what an earlier test drew. The format is the
 * persisted one (DESIGN.md, "Persisted format", version 1); fields left out take the app's defaults
 * (label and colour per kind, an empty case record).
 */
import type { Point, RunTruth } from './driver';

type Geometry = Record<string, unknown>;

export interface TrackSpec {
  kind: 'needleTip' | 'target' | 'contrastSpread' | 'arrow' | 'caption';
  label?: string;
  text?: string;
  range?: { from: number; to: number };
  keyframes: Array<{ frame: number; geometry: Geometry }>;
}

export interface AnnotationFile {
  type: 'fluorolens-annotations';
  version: 1;
  run: { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUIDs: string[]; frameCount: number };
  tracks: Array<TrackSpec & { id: string }>;
  caseRecord?: Record<string, unknown>;
}

/** An annotation file for a sample run; tracks get ids "<kind>-<n>" in the order given. */
export function annotationFile(truth: RunTruth, tracks: TrackSpec[], caseRecord?: Record<string, unknown>): AnnotationFile {
  const counts = new Map<string, number>();
  return {
    type: 'fluorolens-annotations',
    version: 1,
    run: {
      studyInstanceUID: truth.studyInstanceUID,
      seriesInstanceUID: truth.seriesInstanceUID,
      sopInstanceUIDs: truth.sopInstanceUIDs,
      frameCount: truth.frames,
    },
    tracks: tracks.map((track) => {
      const n = (counts.get(track.kind) ?? 0) + 1;
      counts.set(track.kind, n);
      return { id: `${track.kind}-${n}`, ...track };
    }),
    ...(caseRecord ? { caseRecord } : {}),
  };
}

/** Needle tip keyframes at the given frames. */
export function needleTrack(frames: number[], tipAt: (frame: number) => Point): TrackSpec {
  return { kind: 'needleTip', keyframes: frames.map((frame) => ({ frame, geometry: { tip: tipAt(frame) } })) };
}

/** An axis-aligned square contour around (cx, cy). */
export function square(cx: number, cy: number, half: number): Point[] {
  return [
    { x: cx - half, y: cy - half },
    { x: cx + half, y: cy - half },
    { x: cx + half, y: cy + half },
    { x: cx - half, y: cy + half },
  ];
}

/** Truth gives integer pixel centres; the annotation model puts pixel (c, r)'s centre at (c+0.5, r+0.5). */
export function truthTip(truth: RunTruth, frame: number): Point {
  return { x: truth.needleTip[frame - 1].x + 0.5, y: truth.needleTip[frame - 1].y + 0.5 };
}

export function truthTarget(truth: RunTruth): Point {
  return { x: truth.target.x + 0.5, y: truth.target.y + 0.5 };
}

export const lerp = (a: Point, b: Point, t: number): Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
export const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The work the timeline, measurements and case-record tests start from on l4-tfesi-ap-512, as the
 * "adds tracks" timeline test builds it: a needle tip on 1, 15 (taken from the interpolation), 30
 * and 60; a target on 20; contrast on 34 (400 px²) and 60 (1600 px²); an empty caption track.
 */
export function timelineStartingPoint(truth: RunTruth): AnnotationFile {
  const tip = (frame: number) => (frame === 15 ? lerp(truthTip(truth, 1), truthTip(truth, 30), 14 / 29) : truthTip(truth, frame));
  return annotationFile(truth, [
    needleTrack([1, 15, 30, 60], tip),
    { kind: 'target', keyframes: [{ frame: 20, geometry: { center: truthTarget(truth), radiusPx: 6 } }] },
    {
      kind: 'contrastSpread',
      keyframes: [
        { frame: 34, geometry: { contour: square(240, 270, 10) } },
        { frame: 60, geometry: { contour: square(240, 280, 20) } },
      ],
    },
    { kind: 'caption', text: '', range: { from: 1, to: truth.frames }, keyframes: [] },
  ]);
}
