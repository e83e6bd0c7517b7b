/**
 * Which frames an export holds and when each is shown: the run's own timing (FrameTiming
 * frameStartMs, so variable frame times stay variable) over the in/out range, divided by the
 * speed. Pure.
 */
import type { Timeline } from '../cine/timeline';
import type { PlayRange } from '../cine/sequence';

export interface ScheduledFrame {
  /** 1-based frame of the run. */
  readonly frame: number;
  /** Presentation time from the first exported frame, in microseconds (WebCodecs' unit). */
  readonly timestampUs: number;
  readonly durationUs: number;
}

/** The range to export: the play range when set, else the whole run; clamped to the run. */
export function exportRange(frameCount: number, range: PlayRange | null): PlayRange {
  const inFrame = clampFrame(range?.inFrame ?? 1, frameCount);
  const outFrame = clampFrame(range?.outFrame ?? frameCount, frameCount);
  return inFrame <= outFrame ? { inFrame, outFrame } : { inFrame: outFrame, outFrame: inFrame };
}

function clampFrame(frame: number, frameCount: number): number {
  return Math.min(Math.max(1, Math.round(frame)), Math.max(1, frameCount));
}

/**
 * One entry per frame of the range, timed as the player shows them. A frame the timing gives no
 * time at all (it starts when the next one does) is left out, as playback never shows it.
 * Timestamps are whole microseconds and each frame lasts until the next starts, so the durations
 * add up to the range's length exactly.
 */
export function frameSchedule(timeline: Timeline, range: PlayRange | null, speed = 1): ScheduledFrame[] {
  if (!(speed > 0)) throw new RangeError(`Speed must be above 0, not ${speed}`);
  const count = timeline.frameStartMs.length;
  if (count === 0) return [];
  const { inFrame, outFrame } = exportRange(count, range);
  const startOf = (frame: number) => timeline.frameStartMs[frame - 1];
  const endOf = (frame: number) => (frame < count ? timeline.frameStartMs[frame] : timeline.durationMs);
  const origin = startOf(inFrame);
  const toUs = (ms: number) => Math.round(((ms - origin) * 1000) / speed);
  const shown: ScheduledFrame[] = [];
  for (let frame = inFrame; frame <= outFrame; frame++) {
    const timestampUs = toUs(startOf(frame));
    const durationUs = toUs(endOf(frame)) - timestampUs;
    if (durationUs > 0) shown.push({ frame, timestampUs, durationUs });
  }
  return shown;
}

/** Total length of a schedule in microseconds. */
export function scheduleDurationUs(schedule: readonly ScheduledFrame[]): number {
  const last = schedule[schedule.length - 1];
  return last ? last.timestampUs + last.durationUs : 0;
}

/**
 * Browsers show GIF frames of under 20 ms for 100 ms, so a GIF keeps only frames that last at
 * least that long: a frame shorter than 20 ms gives its time to the next kept one. Delays are in
 * whole centiseconds (the GIF unit), with the rounding carried over so the total stays true.
 * Returns the kept frames with their delays in milliseconds (multiples of 10).
 */
export const GIF_MIN_DELAY_MS = 20;

export function gifFrames(schedule: readonly ScheduledFrame[]): Array<{ frame: number; delayMs: number }> {
  const kept: Array<{ frame: number; startUs: number; endUs: number }> = [];
  for (const entry of schedule) {
    const last = kept[kept.length - 1];
    const endUs = entry.timestampUs + entry.durationUs;
    // A frame joins the previous kept one while that one is still shorter than the minimum.
    if (last && last.endUs - last.startUs < GIF_MIN_DELAY_MS * 1000) last.endUs = endUs;
    else kept.push({ frame: entry.frame, startUs: entry.timestampUs, endUs });
  }
  // A last frame too short to stand alone joins the one before it.
  if (kept.length > 1 && kept[kept.length - 1].endUs - kept[kept.length - 1].startUs < GIF_MIN_DELAY_MS * 1000) {
    const short = kept.pop()!;
    kept[kept.length - 1].endUs = short.endUs;
  }
  let shownCs = 0;
  return kept.map(({ frame, endUs }) => {
    const endCs = Math.round(endUs / 10_000);
    const delayCs = Math.max(GIF_MIN_DELAY_MS / 10, endCs - shownCs);
    shownCs += delayCs;
    return { frame, delayMs: delayCs * 10 };
  });
}
