/**
 * Where things sit on a timeline lane, as fractions of its width (0 = start of frame 1,
 * 1 = end of the last frame). A frame's mark sits at the centre of its cell, so a 2,000-frame
 * run costs one mark per keyframe, not one cell per frame.
 */
import type { Track } from '../../annotations/model';

export type SpanKind = 'interpolated' | 'held' | 'range';

export interface LaneSpan {
  readonly kind: SpanKind;
  readonly fromFrame: number;
  readonly toFrame: number;
  readonly x0: number;
  readonly x1: number;
}

export interface LaneMark {
  readonly frame: number;
  readonly x: number;
}

export interface LaneLayout {
  readonly spans: readonly LaneSpan[];
  readonly marks: readonly LaneMark[];
}

/** Centre of `frame`'s cell. */
export function frameX(frame: number, frameCount: number): number {
  return (frame - 0.5) / Math.max(1, frameCount);
}

/** The frame whose cell holds fraction `x` of the lane. */
export function frameAtX(x: number, frameCount: number): number {
  return Math.min(frameCount, Math.max(1, Math.floor(x * frameCount) + 1));
}

export function laneLayout(track: Track, frameCount: number): LaneLayout {
  const keyframes = track.keyframes.filter((k) => k.frame >= 1 && k.frame <= frameCount);
  const marks = keyframes.map((k) => ({ frame: k.frame, x: frameX(k.frame, frameCount) }));
  const spans: LaneSpan[] = [];
  if (track.kind === 'caption') {
    const { from, to } = track.range;
    spans.push({ kind: 'range', fromFrame: from, toFrame: to, x0: (from - 1) / frameCount, x1: to / frameCount });
  }
  const first = keyframes[0];
  const last = keyframes[keyframes.length - 1];
  // A target holds its nearest keyframe outside them (the anatomy stays put): show that, lighter.
  if (track.kind === 'target' && first && first.frame > 1) {
    spans.push({ kind: 'held', fromFrame: 1, toFrame: first.frame, x0: 0, x1: frameX(first.frame, frameCount) });
  }
  for (let i = 1; i < keyframes.length; i++) {
    const a = keyframes[i - 1].frame;
    const b = keyframes[i].frame;
    if (b - a > 1) spans.push({ kind: 'interpolated', fromFrame: a, toFrame: b, x0: frameX(a, frameCount), x1: frameX(b, frameCount) });
  }
  if (track.kind === 'target' && last && last.frame < frameCount) {
    spans.push({ kind: 'held', fromFrame: last.frame, toFrame: frameCount, x0: frameX(last.frame, frameCount), x1: 1 });
  }
  return { spans, marks };
}

/** Frame numbers to label on the ruler: 1, then multiples of a 1-2-5 step, at most about `maxTicks`. */
export function rulerTicks(frameCount: number, maxTicks = 10): number[] {
  if (frameCount < 1) return [];
  const rough = frameCount / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks = [1];
  for (let f = step; f <= frameCount; f += step) if (f > 1) ticks.push(f);
  return ticks;
}
