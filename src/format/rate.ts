/** Frame, time and rate readouts for the bottom-left corner. */
import type { FrameTiming } from '../dicom/types';
import { formatNumber } from './text';

export function formatFrameReadout(frame: number, frameCount: number): string {
  return `Frame ${formatFrameNumbers(frame, frameCount)}`;
}

/** "7 / 60": the readout without its word, where a pane is too narrow for it. */
export function formatFrameNumbers(frame: number, frameCount: number): string {
  return `${frame} / ${frameCount}`;
}

/** Elapsed run time of the frame on screen: "t = 1.27 s". */
export function formatElapsed(seconds: number): string | null {
  return Number.isFinite(seconds) ? `t = ${seconds.toFixed(2)} s` : null;
}

/**
 * Frame durations spread more than this are "irregular". Scanners write Frame Time Vector in
 * whole ms, so 66/67 ms alternation at 15 fps is rounding, not irregular timing.
 */
const IRREGULAR_SPREAD_MS = 1.5;
const IRREGULAR_SPREAD_FRACTION = 0.05;

export function isIrregularTiming(timing: Pick<FrameTiming, 'frameStartMs' | 'durationMs'>): boolean {
  const starts = timing.frameStartMs;
  if (starts.length < 2) return false;
  let shortest = Infinity;
  let longest = 0;
  for (let i = 0; i < starts.length; i++) {
    const duration = (i + 1 < starts.length ? starts[i + 1] : timing.durationMs) - starts[i];
    shortest = Math.min(shortest, duration);
    longest = Math.max(longest, duration);
  }
  const mean = timing.durationMs / starts.length;
  return longest - shortest > Math.max(IRREGULAR_SPREAD_MS, IRREGULAR_SPREAD_FRACTION * mean);
}

/**
 * The run's own rate, naming where it came from when that is not an acquisition timing attribute:
 * "15 fps", "FTV, ~12.3 fps", "15 fps (assumed — no timing in file)".
 */
export function formatFrameRate(timing: FrameTiming): string | null {
  const fps = timing.nominalFps;
  if (!Number.isFinite(fps) || fps <= 0) return null;
  if (timing.source === 'default') return `${formatFps(fps)} fps (assumed — no timing in file)`;
  if (isIrregularTiming(timing)) return `${IRREGULAR_SOURCE_NAMES[timing.source]}, ~${fps.toFixed(1)} fps`;
  const note = FALLBACK_NOTES[timing.source];
  return note ? `${formatFps(fps)} fps (${note})` : `${formatFps(fps)} fps`;
}

const IRREGULAR_SOURCE_NAMES: Record<FrameTiming['source'], string> = {
  'Frame Time Vector': 'FTV',
  'Frame Time': 'Frame Time',
  'Frame Reference DateTime': 'Frame times',
  'Frame Acquisition DateTime': 'Frame times',
  'Cine Rate': 'Cine Rate',
  'Recommended Display Frame Rate': 'Display rate',
  'Acquisition times': 'Acquisition times',
  default: 'Assumed',
};

/** Sources that are not the acquisition's frame timing, so the reader should know. */
const FALLBACK_NOTES: Partial<Record<FrameTiming['source'], string>> = {
  'Recommended Display Frame Rate': 'recommended display rate',
  'Acquisition times': 'from acquisition times',
};

/** Whole numbers without decimals ("15"), others with one ("7.5"). */
export function formatFps(fps: number): string {
  return Math.abs(fps - Math.round(fps)) < 0.05 ? String(Math.round(fps)) : fps.toFixed(1);
}

/** How playback differs from the run's own rate: "Playback 2× · 29.8 fps"; null at 1× with no measurement. */
export function formatPlayback(speed: number | undefined, measuredFps: number | undefined): string | null {
  const speedPart = speed !== undefined && speed !== 1 ? `${formatNumber(speed, 2)}×` : null;
  const fpsPart = measuredFps !== undefined && Number.isFinite(measuredFps) ? `${measuredFps.toFixed(1)} fps` : null;
  const parts = [speedPart, fpsPart].filter(Boolean);
  return parts.length > 0 ? `Playback ${parts.join(' · ')}` : null;
}
