/**
 * Which frames to decode, and when, so playback never waits and memory stays inside the decoded
 * cache budget. Pure: the StackController asks, Cornerstone does the decoding.
 *
 * A run that fits comfortably in the budget is decoded whole right after it opens (scrubbing is
 * then instant). A longer one is decoded in a window that runs ahead of the play head in playback
 * order (CineClock.framesAhead), and the cache's LRU eviction drops frames that fell behind.
 */

/** Share of the budget one run may fill when decoded whole: the other pane needs room too. */
export const WHOLE_RUN_SHARE = 0.45;
/** Share of the budget a windowed run keeps decoded ahead of the play head. */
export const WINDOW_SHARE = 0.2;
/** At least this many frames ahead (a tiny budget must still play), at most this many (≈2 s at 4× of 15 fps). */
export const MIN_WINDOW_FRAMES = 8;
export const MAX_WINDOW_FRAMES = 120;

export interface FrameGeometry {
  rows: number;
  columns: number;
  bitsAllocated: number;
  samplesPerPixel: number;
}

export type DecodeMode = 'all' | 'window';

/** Bytes Cornerstone holds for one decoded frame (1-bit and 8-bit frames decode to a byte per sample). */
export function decodedFrameBytes({ rows, columns, bitsAllocated, samplesPerPixel }: FrameGeometry): number {
  const bytesPerSample = Math.max(1, Math.ceil(bitsAllocated / 8));
  return rows * columns * Math.max(1, samplesPerPixel) * bytesPerSample;
}

export function decodeModeFor(frameCount: number, frameBytes: number, budgetBytes: number): DecodeMode {
  return frameCount * frameBytes <= budgetBytes * WHOLE_RUN_SHARE ? 'all' : 'window';
}

/** How many frames a windowed run keeps decoded ahead of the play head. */
export function windowFrames(frameBytes: number, budgetBytes: number): number {
  const fit = Math.floor((budgetBytes * WINDOW_SHARE) / Math.max(1, frameBytes));
  return Math.min(MAX_WINDOW_FRAMES, Math.max(MIN_WINDOW_FRAMES, fit));
}

export type FrameDecodeStatus = 'ready' | 'loading' | 'missing' | 'failed';

/**
 * The frames to start decoding now: the first `slots` frames of `wanted` (in the order given, i.e.
 * nearest the play head first) that are neither decoded, nor being decoded, nor known to fail.
 */
export function framesToRequest(wanted: readonly number[], statusOf: (frame: number) => FrameDecodeStatus, slots: number): number[] {
  const picked: number[] = [];
  for (const frame of wanted) {
    if (picked.length >= slots) break;
    if (statusOf(frame) === 'missing') picked.push(frame);
  }
  return picked;
}

/** Frames from `frame` onwards in forward order, wrapping at the end: the window when not playing. */
export function framesForwardFrom(frame: number, frameCount: number, count: number): number[] {
  const n = Math.min(count, frameCount);
  return Array.from({ length: n }, (_, i) => ((frame - 1 + i) % frameCount) + 1);
}
