/**
 * The order in which a play range is played, as pure functions of (timeline, mode, range).
 *
 * One cycle of playback is a sequence of "slots", each showing one frame for that frame's own
 * duration on the run's timeline:
 *   loop / once: in, in+1, …, out
 *   bounce:      in, in+1, …, out, out-1, …, in+1   (then repeats from in)
 * Bounce shows each end frame once per turn, so there is no hesitation at the turning points.
 * The clock's position inside a cycle is its phase, in media ms from the start of the cycle.
 */
import { frameAtMediaTime, frameAtMediaTimeReversed, frameEndMs, frameStartMs, type Timeline } from './timeline';

export type PlaybackMode = 'loop' | 'bounce' | 'once';
export type PlaybackDirection = 'forward' | 'backward';

/** In and out points, 1-based frame numbers, inclusive. */
export interface PlayRange {
  inFrame: number;
  outFrame: number;
}

export interface PlaybackPlan {
  timeline: Timeline;
  mode: PlaybackMode;
  range: PlayRange;
}

export interface CyclePosition {
  frame: number;
  /** Index of the slot in the cycle (0-based). */
  slot: number;
  direction: PlaybackDirection;
  /** Position on the run's timeline, ms from frame 1. */
  mediaTimeMs: number;
}

/** Media ms from the in point's start to the out point's end. */
export function forwardSpanMs({ timeline, range }: PlaybackPlan): number {
  return frameEndMs(timeline, range.outFrame) - frameStartMs(timeline, range.inFrame);
}

/** Media ms of the backward pass of a bounce: frames out-1 … in+1. */
function backwardSpanMs({ timeline, range }: PlaybackPlan): number {
  return Math.max(0, frameStartMs(timeline, range.outFrame) - frameEndMs(timeline, range.inFrame));
}

export function cycleLengthMs(plan: PlaybackPlan): number {
  const forward = forwardSpanMs(plan);
  return plan.mode === 'bounce' ? forward + backwardSpanMs(plan) : forward;
}

export function slotsPerCycle({ mode, range }: PlaybackPlan): number {
  const steps = range.outFrame - range.inFrame;
  return mode === 'bounce' ? Math.max(1, 2 * steps) : steps + 1;
}

/** The frame in a slot; any integer slot is accepted and taken modulo the cycle. */
export function frameAtSlot(plan: PlaybackPlan, slot: number): number {
  const { inFrame, outFrame } = plan.range;
  const wrapped = mod(slot, slotsPerCycle(plan));
  const steps = outFrame - inFrame;
  return wrapped <= steps ? inFrame + wrapped : outFrame - (wrapped - steps);
}

export function directionAtSlot(plan: PlaybackPlan, slot: number): PlaybackDirection {
  return mod(slot, slotsPerCycle(plan)) <= plan.range.outFrame - plan.range.inFrame ? 'forward' : 'backward';
}

/** True when a bounce passes this frame on its way back (the end frames are only passed forward). */
function isOnBackwardPass(plan: PlaybackPlan, frame: number, direction: PlaybackDirection): boolean {
  const { inFrame, outFrame } = plan.range;
  return plan.mode === 'bounce' && direction === 'backward' && frame > inFrame && frame < outFrame;
}

export function slotOfFrame(plan: PlaybackPlan, frame: number, direction: PlaybackDirection): number {
  const { inFrame, outFrame } = plan.range;
  return isOnBackwardPass(plan, frame, direction) ? outFrame - inFrame + (outFrame - frame) : frame - inFrame;
}

/** Phase at which a frame comes on screen when played in the given direction. */
export function phaseOfFrame(plan: PlaybackPlan, frame: number, direction: PlaybackDirection): number {
  const { timeline, range } = plan;
  if (isOnBackwardPass(plan, frame, direction)) {
    return forwardSpanMs(plan) + frameStartMs(timeline, range.outFrame) - frameEndMs(timeline, frame);
  }
  return frameStartMs(timeline, frame) - frameStartMs(timeline, range.inFrame);
}

/** Where a phase in [0, cycleLengthMs) falls: which frame, slot, direction and media time. */
export function positionAtPhase(plan: PlaybackPlan, phaseMs: number): CyclePosition {
  const { timeline, range } = plan;
  const forwardSpan = forwardSpanMs(plan);
  if (plan.mode !== 'bounce' || phaseMs < forwardSpan) {
    const mediaTimeMs = frameStartMs(timeline, range.inFrame) + phaseMs;
    const frame = clamp(frameAtMediaTime(timeline, mediaTimeMs), range.inFrame, range.outFrame);
    return { frame, slot: frame - range.inFrame, direction: 'forward', mediaTimeMs };
  }
  const mediaTimeMs = frameStartMs(timeline, range.outFrame) - (phaseMs - forwardSpan);
  const frame = clamp(frameAtMediaTimeReversed(timeline, mediaTimeMs), range.inFrame + 1, range.outFrame - 1);
  return { frame, slot: slotOfFrame(plan, frame, 'backward'), direction: 'backward', mediaTimeMs };
}

/**
 * The frames that will be shown after `fromFrame`, in playback order, for the prefetcher.
 * Each frame is listed once and `fromFrame` itself is left out (it is on screen already), so the
 * list is shorter than `count` when the range is small or `once` reaches the out point.
 */
export function framesAhead(plan: PlaybackPlan, fromFrame: number, direction: PlaybackDirection, count: number): number[] {
  const { inFrame, outFrame } = plan.range;
  const start = clamp(fromFrame, inFrame, outFrame);
  const startSlot = slotOfFrame(plan, start, direction);
  const cycleSlots = slotsPerCycle(plan);
  const lastStep = plan.mode === 'once' ? cycleSlots - 1 - startSlot : cycleSlots - 1;
  const ahead: number[] = [];
  const listed = new Set([start]);
  for (let step = 1; step <= lastStep && ahead.length < count; step++) {
    const frame = frameAtSlot(plan, startSlot + step);
    if (listed.has(frame)) continue;
    listed.add(frame);
    ahead.push(frame);
  }
  return ahead;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
