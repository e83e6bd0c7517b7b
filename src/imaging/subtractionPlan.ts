/**
 * What the display's Subtract switch shows, decided without any viewer: which runs can be
 * subtracted, in which domain (said in words), with which mask per frame (the file's Mask
 * Subtraction Sequence, or the user's choice) and shift, and the window's lower bound.
 */
import type { RunInfo } from '../dicom/types';
import { NO_SHIFT, planFromFile, subtractionModeFor, userPlan, type FramePlan, type Shift, type SubtractionWindow } from './subtraction';

/** What the user chose for a pane: the file's mask (null) or a frame range, and a shift added to the file's. */
export interface SubtractionChoice {
  readonly mask: { readonly first: number; readonly last: number } | null;
  readonly shift: Shift;
}

/** The subtraction types this viewer applies to: projection X-ray cine. */
export function canSubtract(info: Pick<RunInfo, 'series' | 'samplesPerPixel'>): boolean {
  return ['XA', 'RF'].includes(info.series.modality) && info.samplesPerPixel === 1;
}

/** "log subtraction (LIN)" or "linear subtraction", with the long reason for a title. */
export function subtractionLabel(info: RunInfo): { short: string; long: string } {
  const mode = subtractionModeFor(info);
  return { short: mode.domain === 'log' ? 'log subtraction (LIN)' : 'linear subtraction', long: mode.description };
}

/**
 * What frame `frame` is subtracted with. The file's Mask Subtraction Sequence decides where it
 * applies; frames it leaves out (the mask phase itself, usually) are subtracted with the same
 * mask, so the whole run can be played subtracted, and the source says so. A run without the
 * sequence starts with frame 1 as the mask until the user chooses.
 */
export function planFor(info: RunInfo, choice: SubtractionChoice, frame: number): Extract<FramePlan, { kind: 'subtract' }> {
  const n = info.frameCount;
  const withUserShift = (plan: Extract<FramePlan, { kind: 'subtract' }>, source = plan.source, summary = plan.summary) => ({
    ...plan,
    shift: { dx: plan.shift.dx + choice.shift.dx, dy: plan.shift.dy + choice.shift.dy },
    source,
    summary,
  });
  if (choice.mask) {
    const plan = userPlan(choice.mask, frame, n, NO_SHIFT);
    if (plan.kind === 'subtract') return withUserShift(plan);
  }
  const own = planFromFile(info, frame);
  if (own.kind === 'subtract') return withUserShift(own);
  if (info.subtraction.items.length > 0) {
    for (let other = 1; other <= n; other++) {
      const plan = planFromFile(info, other);
      if (plan.kind === 'subtract')
        return withUserShift({ ...plan, contrastFrames: [frame] }, `${plan.source} (frame ${frame} is outside its applicable range)`);
    }
  }
  const fallback = userPlan({ first: 1, last: 1 }, frame, n, NO_SHIFT) as Extract<FramePlan, { kind: 'subtract' }>;
  const why = `mask frame 1 (${own.reason}; choose another mask frame or range)`;
  return withUserShift(fallback, why, why);
}

/**
 * The frames a run's subtraction window is sized on: up to `count` frames spread evenly over those
 * that are not part of their own mask, the last included (contrast builds up over a run; the mask
 * phase subtracts to noise alone). Fixed by the run and the file's mask, never by the frame on
 * screen, so the same run looks the same whenever and wherever Subtract is switched on.
 */
export function referenceFrames(info: RunInfo, choice: SubtractionChoice, count = 4): number[] {
  const eligible: number[] = [];
  for (let frame = 1; frame <= info.frameCount; frame++) if (!planFor(info, choice, frame).maskFrames.includes(frame)) eligible.push(frame);
  if (eligible.length <= count) return eligible;
  return Array.from({ length: count }, (_, k) => eligible[Math.round(((k + 1) * eligible.length) / count) - 1]);
}

/**
 * suggestWindow sizes the window by the noise; a frame without noise (or a flat one) would get a
 * window of almost no width, in which any difference saturates. The floor: ±10 % of intensity in
 * log space, ±1 % of the stored range in linear.
 */
export function windowWithFloor(window: SubtractionWindow, domain: 'log' | 'linear', bitsStored: number): SubtractionWindow {
  const floor = domain === 'log' ? 0.2 : 0.02 * 2 ** bitsStored;
  return window.width >= floor ? window : { center: window.center, width: floor };
}

/** A float window as the VOI range Cornerstone takes (no DICOM integer half-pixel offsets). */
export function voiRangeOf(window: SubtractionWindow): { lower: number; upper: number } {
  return { lower: window.center - window.width / 2, upper: window.center + window.width / 2 };
}
