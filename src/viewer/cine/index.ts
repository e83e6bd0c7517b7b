export { CineClock, PLAYBACK_SPEEDS, normalizeRange } from './cineClock';
export type { CineClockOptions, CineStats, PlaybackState } from './cineClock';
export { framesAhead, frameAtSlot, slotOfFrame, cycleLengthMs, positionAtPhase } from './sequence';
export type { PlaybackDirection, PlaybackMode, PlaybackPlan, PlayRange, CyclePosition } from './sequence';
export { frameAtMediaTime, frameAtMediaTimeReversed, frameStartMs, frameEndMs, nearestFrame } from './timeline';
export type { Timeline } from './timeline';
export { startRafLoop } from './rafLoop';
export type { RequestFrame, CancelFrame, Tickable } from './rafLoop';
