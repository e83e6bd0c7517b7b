/**
 * Which frames a teaching package shows as still pictures, and what each says under it. Pure.
 */
import type { AnnotationDocument } from '../../annotations/model';
import type { PlayRange } from '../cine/sequence';

/** More key frames than this make a case page nobody scrolls through. */
export const MAX_KEY_FRAMES = 12;

/**
 * The frames where the document has a keyframe of any track (where the educator placed or
 * corrected something), within the range, in order; thinned evenly to MAX_KEY_FRAMES. Without
 * any keyframe: the middle frame of the range.
 */
export function teachingKeyFrames(doc: AnnotationDocument | null, range: PlayRange, max = MAX_KEY_FRAMES): number[] {
  const frames = new Set<number>();
  for (const track of doc?.tracks ?? []) {
    for (const key of track.keyframes) if (key.frame >= range.inFrame && key.frame <= range.outFrame) frames.add(key.frame);
  }
  const sorted = [...frames].sort((a, b) => a - b);
  if (sorted.length === 0) return [Math.round((range.inFrame + range.outFrame) / 2)];
  if (sorted.length <= max) return sorted;
  // Evenly spread, first and last kept.
  return Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]);
}

/** "Frame 12 · t = 0.80 s": nothing typed by a person, so nothing identifying. */
export function keyFrameCaption(frame: number, frameStartMs: readonly number[]): string {
  const ms = frameStartMs[frame - 1];
  return Number.isFinite(ms) ? `Frame ${frame} · t = ${(ms / 1000).toFixed(2)} s` : `Frame ${frame}`;
}
