/**
 * The cine clock: decides which frame must be on screen at each requestAnimationFrame tick.
 *
 * Position is kept as media time (ms on the run's own timeline, FrameTiming.frameStartMs), advanced
 * on each tick by (now - lastTick) × speed. Because position is time rather than a frame counter,
 * irregular Frame Time Vector timing plays as acquired, a speed change keeps the position, and a
 * late tick jumps straight to the frame the timeline calls for (counting the skipped ones as
 * dropped) instead of drifting behind. The clock never touches the DOM: the caller feeds it
 * timestamps (see startRafLoop) and renders what onFrame reports.
 */
import {
  clamp,
  cycleLengthMs,
  directionAtSlot,
  frameAtSlot,
  framesAhead as framesAheadInPlan,
  phaseOfFrame,
  positionAtPhase,
  slotOfFrame,
  slotsPerCycle,
  type PlaybackDirection,
  type PlaybackMode,
  type PlaybackPlan,
  type PlayRange,
} from './sequence';
import { assertUsableTimeline, frameCountOf, frameStartMs, TIME_EPSILON_MS, type Timeline } from './timeline';

export type PlaybackState = 'playing' | 'paused' | 'ended';

/** The speeds the UI offers; setSpeed accepts any positive factor. */
export const PLAYBACK_SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

export interface CineStats {
  /** Frames put on screen by playback (seeks and steps are not counted). */
  shown: number;
  /** Frames the timeline called for that never reached the screen (late ticks, stalls). */
  dropped: number;
  /** Frames the timeline called for that were not decoded yet, so an earlier one stayed up. */
  stalls: number;
}

export interface CineClockOptions {
  /** The run's timing; FrameTiming fits as is. */
  timing: Timeline;
  mode?: PlaybackMode;
  speed?: number;
  range?: PlayRange;
  startFrame?: number;
  /** Tells the clock whether a frame is decoded; without it every frame counts as ready. */
  isFrameReady?: (frame: number) => boolean;
  /** Called whenever the frame on screen changes, never for a repeat of the same frame. */
  onFrame?: (frame: number) => void;
  onStateChange?: (state: PlaybackState) => void;
}

export class CineClock {
  private plan: PlaybackPlan;
  /** Media ms since the start of the current cycle (see sequence.ts). */
  private phaseMs = 0;
  private shownFrame: number;
  /** Slot of the frame on screen, in the same cycle as phaseMs (negative after a wrap until the next frame shows). */
  private shownSlot: number;
  /** Slot whose frame was last found undecoded, so a long stall counts once. */
  private stalledSlot: number | null = null;
  private lastTickMs: number | null = null;
  private playbackState: PlaybackState = 'paused';
  private playbackSpeed = 1;
  private counters: CineStats = { shown: 0, dropped: 0, stalls: 0 };
  private isFrameReady: ((frame: number) => boolean) | undefined;
  private readonly onFrame: ((frame: number) => void) | undefined;
  private readonly onStateChange: ((state: PlaybackState) => void) | undefined;

  constructor(options: CineClockOptions) {
    assertUsableTimeline(options.timing);
    const frameCount = frameCountOf(options.timing);
    this.plan = {
      timeline: options.timing,
      mode: options.mode ?? 'loop',
      range: normalizeRange(options.range ?? { inFrame: 1, outFrame: frameCount }, frameCount),
    };
    if (options.speed !== undefined) this.setSpeed(options.speed);
    this.isFrameReady = options.isFrameReady;
    this.onFrame = options.onFrame;
    this.onStateChange = options.onStateChange;
    this.shownFrame = clamp(Math.round(options.startFrame ?? 1), this.range.inFrame, this.range.outFrame);
    this.shownSlot = slotOfFrame(this.plan, this.shownFrame, 'forward');
    this.phaseMs = phaseOfFrame(this.plan, this.shownFrame, 'forward');
  }

  get frame(): number {
    return this.shownFrame;
  }
  get frameCount(): number {
    return frameCountOf(this.plan.timeline);
  }
  get state(): PlaybackState {
    return this.playbackState;
  }
  get speed(): number {
    return this.playbackSpeed;
  }
  get mode(): PlaybackMode {
    return this.plan.mode;
  }
  get range(): PlayRange {
    return { ...this.plan.range };
  }
  get direction(): PlaybackDirection {
    return directionAtSlot(this.plan, this.shownSlot);
  }
  /** Position on the run's timeline in ms from frame 1 (between frame starts while playing). */
  get mediaTimeMs(): number {
    return positionAtPhase(this.plan, this.phaseMs).mediaTimeMs;
  }
  /** Start of the frame on screen, in seconds from frame 1 on the run's timeline: the "t = …" readout. */
  get elapsedSeconds(): number {
    return frameStartMs(this.plan.timeline, this.shownFrame) / 1000;
  }
  get stats(): CineStats {
    return { ...this.counters };
  }

  resetStats(): void {
    this.counters = { shown: 0, dropped: 0, stalls: 0 };
  }

  setFrameReadiness(isFrameReady: ((frame: number) => boolean) | undefined): void {
    this.isFrameReady = isFrameReady;
  }

  /** Starts playing; from `ended` it restarts at the in point. Pass the current rAF time if known. */
  play(nowMs?: number): void {
    if (this.playbackState === 'playing') return;
    if (this.playbackState === 'ended') this.reposition(this.plan.range.inFrame, 'forward');
    this.lastTickMs = nowMs ?? null;
    this.setState('playing');
  }

  /** Stops advancing; position (frame, sub-frame time, direction) is kept for play(). */
  pause(): void {
    if (this.playbackState !== 'playing') return;
    this.lastTickMs = null;
    this.setState('paused');
  }

  togglePlay(nowMs?: number): void {
    if (this.playbackState === 'playing') this.pause();
    else this.play(nowMs);
  }

  /** Advances to rAF time `nowMs` and returns the frame to show. The first tick after play() only sets the baseline. */
  tick(nowMs: number): number {
    if (this.playbackState !== 'playing') return this.shownFrame;
    const last = this.lastTickMs;
    this.lastTickMs = nowMs;
    const cycleMs = cycleLengthMs(this.plan);
    if (last === null || nowMs <= last || cycleMs <= 0) return this.shownFrame;
    this.advance(this.phaseMs + (nowMs - last) * this.playbackSpeed, cycleMs);
    return this.shownFrame;
  }

  /** Shows a frame (clamped into the play range) and puts media time at that frame's start. */
  seek(frame: number): void {
    const target = clamp(Math.round(frame), this.plan.range.inFrame, this.plan.range.outFrame);
    this.reposition(target, this.direction);
  }

  /** Next/previous frame buttons: moves by `delta` frames, staying inside the play range. */
  step(delta: number): void {
    this.seek(this.shownFrame + delta);
  }

  /** Changes speed. With `nowMs`, time up to now is first played at the old speed, so position stays continuous. */
  setSpeed(speed: number, nowMs?: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`Playback speed must be positive, not ${speed}`);
    if (nowMs !== undefined) this.tick(nowMs);
    this.playbackSpeed = speed;
  }

  setMode(mode: PlaybackMode): void {
    if (mode === this.plan.mode) return;
    const direction = mode === 'bounce' ? this.direction : 'forward';
    this.plan = { ...this.plan, mode };
    this.reposition(this.shownFrame, direction);
  }

  /** Sets in/out points (1-based, inclusive; clamped to the run) and pulls the current frame inside them. */
  setRange(range: PlayRange): void {
    this.plan = { ...this.plan, range: normalizeRange(range, this.frameCount) };
    const frame = clamp(this.shownFrame, this.plan.range.inFrame, this.plan.range.outFrame);
    this.reposition(frame, this.direction);
  }

  clearRange(): void {
    this.setRange({ inFrame: 1, outFrame: this.frameCount });
  }

  /** The next frames in playback order after `currentFrame` (mode, range and direction respected), for decode-ahead. */
  framesAhead(currentFrame: number, count: number): number[] {
    return framesAheadInPlan(this.plan, currentFrame, this.direction, count);
  }

  private advance(unwrappedPhaseMs: number, cycleMs: number): void {
    if (this.plan.mode === 'once' && unwrappedPhaseMs >= cycleMs - TIME_EPSILON_MS) {
      this.finishOnce();
      return;
    }
    // A late tick may cross the end of the cycle several times; slots stay comparable across wraps.
    const wraps = Math.floor((unwrappedPhaseMs + TIME_EPSILON_MS) / cycleMs);
    this.phaseMs = Math.max(0, unwrappedPhaseMs - wraps * cycleMs);
    this.shownSlot -= wraps * slotsPerCycle(this.plan);
    if (this.stalledSlot !== null) this.stalledSlot -= wraps * slotsPerCycle(this.plan);
    this.showPlayedSlot(positionAtPhase(this.plan, this.phaseMs).slot);
  }

  /**
   * `once` stops on the out point, whatever it skipped to get there. If the out frame is not
   * decoded yet it keeps playing (holding an earlier frame) so a later tick can still show it.
   */
  private finishOnce(): void {
    const outFrame = this.plan.range.outFrame;
    this.showPlayedSlot(slotOfFrame(this.plan, outFrame, 'forward'));
    if (this.shownFrame !== outFrame) {
      this.phaseMs = cycleLengthMs(this.plan); // stay at the end, so the next tick lands here again
      return;
    }
    this.phaseMs = phaseOfFrame(this.plan, outFrame, 'forward');
    this.lastTickMs = null;
    this.setState('ended');
  }

  private showPlayedSlot(targetSlot: number): void {
    const slot = this.readySlotAtOrBefore(targetSlot);
    if (slot <= this.shownSlot) return;
    if (slotsPerCycle(this.plan) > 1) this.counters.dropped += slot - this.shownSlot - 1;
    this.shownSlot = slot;
    const frame = frameAtSlot(this.plan, slot);
    if (frame !== this.shownFrame) this.counters.shown += 1;
    this.display(frame);
  }

  /** The target slot if its frame is decoded, else the latest decoded one since the frame on screen. */
  private readySlotAtOrBefore(targetSlot: number): number {
    const isReady = this.isFrameReady;
    if (!isReady || targetSlot <= this.shownSlot) return targetSlot;
    if (isReady(frameAtSlot(this.plan, targetSlot))) return targetSlot;
    if (this.stalledSlot !== targetSlot) {
      this.stalledSlot = targetSlot;
      this.counters.stalls += 1;
    }
    const lowest = Math.max(this.shownSlot + 1, targetSlot - slotsPerCycle(this.plan) + 1);
    for (let slot = targetSlot - 1; slot >= lowest; slot--) {
      if (isReady(frameAtSlot(this.plan, slot))) return slot;
    }
    return this.shownSlot;
  }

  /** Jumps (not playback): shows `frame`, puts media time at its start in `direction`. */
  private reposition(frame: number, direction: PlaybackDirection): void {
    this.phaseMs = phaseOfFrame(this.plan, frame, direction);
    this.shownSlot = slotOfFrame(this.plan, frame, direction);
    this.stalledSlot = null;
    if (this.playbackState === 'ended') this.setState('paused');
    this.display(frame);
  }

  private display(frame: number): void {
    if (frame === this.shownFrame) return;
    this.shownFrame = frame;
    this.onFrame?.(frame);
  }

  private setState(state: PlaybackState): void {
    if (state === this.playbackState) return;
    this.playbackState = state;
    this.onStateChange?.(state);
  }
}

/** Rounds and clamps in/out points into 1..frameCount; an in point after the out point is a caller bug. */
export function normalizeRange(range: PlayRange, frameCount: number): PlayRange {
  const inFrame = clamp(Math.round(range.inFrame), 1, frameCount);
  const outFrame = clamp(Math.round(range.outFrame), 1, frameCount);
  if (!(inFrame <= outFrame)) throw new RangeError(`In point ${range.inFrame} is after out point ${range.outFrame}`);
  return { inFrame, outFrame };
}
