/**
 * Lookups on a run's own timeline (FrameTiming.frameStartMs, frame 1 at 0 ms). Frames are 1-based.
 * Binary searches, because runs reach 2,000 frames and the clock looks a frame up on every tick.
 */

/** Ticks landing within this much of a frame start count as reaching it (float sums of tick deltas). */
export const TIME_EPSILON_MS = 1e-6;

/** The run timing the clock needs: a subset of FrameTiming, so tests can build one by hand. */
export interface Timeline {
  frameStartMs: readonly number[];
  durationMs: number;
}

export function frameCountOf(timeline: Timeline): number {
  return timeline.frameStartMs.length;
}

export function frameStartMs(timeline: Timeline, frame: number): number {
  return timeline.frameStartMs[frame - 1];
}

/** End of a frame's display interval: the next frame's start, or the run's duration for the last frame. */
export function frameEndMs(timeline: Timeline, frame: number): number {
  return frame < timeline.frameStartMs.length ? timeline.frameStartMs[frame] : timeline.durationMs;
}

/** The frame on screen at media time t going forward: the last frame whose start is ≤ t. */
export function frameAtMediaTime(timeline: Timeline, mediaTimeMs: number): number {
  return countStartsBelow(timeline.frameStartMs, mediaTimeMs + TIME_EPSILON_MS, true);
}

/**
 * The frame on screen at media time t going backward: the last frame whose start is < t, because
 * in reverse a frame's interval is (start, end] — it appears at its end and leaves at its start.
 */
export function frameAtMediaTimeReversed(timeline: Timeline, mediaTimeMs: number): number {
  return countStartsBelow(timeline.frameStartMs, mediaTimeMs - TIME_EPSILON_MS, false);
}

/** Number of starts ≤ limit (inclusive) or < limit, clamped to at least 1 so t < 0 still maps to frame 1. */
function countStartsBelow(starts: readonly number[], limit: number, inclusive: boolean): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const below = inclusive ? starts[mid] <= limit : starts[mid] < limit;
    if (below) low = mid + 1;
    else high = mid;
  }
  return Math.max(1, low);
}

/** Throws when the timing cannot drive a clock; the dicom layer should never produce such a thing. */
export function assertUsableTimeline(timeline: Timeline): void {
  const starts = timeline.frameStartMs;
  if (starts.length === 0) throw new RangeError('Timeline has no frames');
  if (starts[0] !== 0) throw new RangeError(`Frame 1 must start at 0 ms, not ${starts[0]}`);
  for (let i = 1; i < starts.length; i++) {
    if (!(starts[i] >= starts[i - 1])) throw new RangeError(`Frame ${i + 1} starts before frame ${i}`);
  }
  if (!(timeline.durationMs > starts[starts.length - 1])) {
    throw new RangeError(`Duration ${timeline.durationMs} ms must end after the last frame starts`);
  }
}

/** The 1-based frame whose start time is nearest `seconds` (frameStartMs ascending). */
export function nearestFrame(frameStartMs: readonly number[], seconds: number): number {
  const ms = seconds * 1000;
  let lo = 0;
  let hi = frameStartMs.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frameStartMs[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(frameStartMs[lo - 1] - ms) <= Math.abs(frameStartMs[lo] - ms)) lo--;
  return lo + 1;
}
