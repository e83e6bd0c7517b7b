/** What a case records: procedure, levels, side, approach, contrast pattern and confirmation. */
import type { JsonObject } from './json';

export const PROCEDURE_NAMES = {
  transforaminalEsi: 'Transforaminal epidural steroid injection',
  interlaminarEsi: 'Interlaminar epidural steroid injection',
  caudalEsi: 'Caudal epidural steroid injection',
  medialBranchBlock: 'Medial branch block',
  facetJointInjection: 'Facet joint injection',
  sacroiliacJointInjection: 'Sacroiliac joint injection',
  lateralBranchBlock: 'Lateral branch block',
  stellateGanglionBlock: 'Stellate ganglion block',
  lumbarSympatheticBlock: 'Lumbar sympathetic block',
  radiofrequencyAblation: 'Radiofrequency ablation',
  spinalCordStimulatorLead: 'Spinal cord stimulator lead placement',
  drgStimulatorLead: 'DRG stimulator lead placement',
} as const;
export type ProcedureId = keyof typeof PROCEDURE_NAMES;
export const PROCEDURE_IDS = Object.keys(PROCEDURE_NAMES) as ProcedureId[];

export const SIDE_NAMES = { left: 'Left', right: 'Right', bilateral: 'Bilateral', midline: 'Midline' } as const;
export type Side = keyof typeof SIDE_NAMES;
export const SIDES = Object.keys(SIDE_NAMES) as Side[];

export const APPROACH_NAMES = {
  transforaminal: 'Transforaminal',
  interlaminar: 'Interlaminar',
  caudal: 'Caudal (sacral hiatus)',
  oblique: 'Oblique',
  posterior: 'Posterior',
  anterior: 'Anterior',
  anterolateral: 'Anterolateral',
  lateral: 'Lateral',
  other: 'Other (see notes)',
} as const;
export type Approach = keyof typeof APPROACH_NAMES;
export const APPROACHES = Object.keys(APPROACH_NAMES) as Approach[];

export const CONTRAST_PATTERN_NAMES = {
  epidural: 'Epidural',
  perineural: 'Perineural, along the root',
  intraArticular: 'Intra-articular',
  intravascularVenous: 'Intravascular, venous',
  intravascularArterial: 'Intravascular, arterial',
  intrathecal: 'Intrathecal',
  softTissue: 'Soft tissue',
  other: 'Other',
} as const;
export type ContrastPattern = keyof typeof CONTRAST_PATTERN_NAMES;
export const CONTRAST_PATTERNS = Object.keys(CONTRAST_PATTERN_NAMES) as ContrastPattern[];

/**
 * One entry of the injectate log: what was injected, how much, and when (a frame of this run,
 * or a clock time when it was given off fluoroscopy, or both).
 */
export interface Injectate {
  /** E.g. "Iohexol 240 mgI/mL", "Dexamethasone 10 mg", "Lidocaine 1 %". */
  readonly agent: string;
  readonly volumeMl: number | null;
  /** 1-based frame of this run, or null. */
  readonly frame: number | null;
  /** Clock time "HH:MM" or "HH:MM:SS", or null. */
  readonly time: string | null;
  readonly note: string;
  readonly extra?: JsonObject;
}

export function isClockTime(value: unknown): value is string {
  return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(value);
}

/** Why an injectate entry cannot be kept, or null. */
export function injectateProblem(entry: unknown, frameCount: number): string | null {
  if (typeof entry !== 'object' || entry === null) return 'an injectate entry must be an object';
  const e = entry as Partial<Record<keyof Injectate, unknown>>;
  if (typeof e.agent !== 'string' || e.agent.trim() === '') return 'an injectate entry needs the agent';
  if (
    e.volumeMl !== null &&
    e.volumeMl !== undefined &&
    !(typeof e.volumeMl === 'number' && Number.isFinite(e.volumeMl) && e.volumeMl >= 0)
  )
    return `injectate volume ${JSON.stringify(e.volumeMl)} is not a number of millilitres`;
  if (
    e.frame !== null &&
    e.frame !== undefined &&
    !(typeof e.frame === 'number' && Number.isInteger(e.frame) && e.frame >= 1 && e.frame <= frameCount)
  )
    return `injectate frame ${JSON.stringify(e.frame)} is outside the run (frames 1–${frameCount})`;
  if (e.time !== null && e.time !== undefined && !isClockTime(e.time))
    return `injectate time ${JSON.stringify(e.time)} is not a clock time (HH:MM or HH:MM:SS)`;
  return null;
}

export interface CaseRecord {
  readonly procedure: ProcedureId | null;
  /** Canonical vertebral levels or ranges (see levels.ts): "L4", "L5-S1". */
  readonly levels: readonly string[];
  readonly side: Side | null;
  readonly approach: Approach | null;
  /** Every pattern seen; several may apply (e.g. epidural and intravascular venous). */
  readonly contrastPatterns: readonly ContrastPattern[];
  /** 1-based frame where contrast was first seen, or null when not recorded. */
  readonly contrastFirstSeenFrame: number | null;
  readonly placementConfirmedBeforeMedication: boolean | null;
  readonly notes: string;
  /** The injectate log, in the order entered. */
  readonly injectates: readonly Injectate[];
  /** Fields from a newer file this build does not know, kept for the round trip. */
  readonly extra?: JsonObject;
}

export function emptyCaseRecord(): CaseRecord {
  return {
    procedure: null,
    levels: [],
    side: null,
    approach: null,
    contrastPatterns: [],
    contrastFirstSeenFrame: null,
    placementConfirmedBeforeMedication: null,
    notes: '',
    injectates: [],
  };
}

export function isProcedureId(value: unknown): value is ProcedureId {
  return typeof value === 'string' && Object.hasOwn(PROCEDURE_NAMES, value);
}
export function isSide(value: unknown): value is Side {
  return typeof value === 'string' && Object.hasOwn(SIDE_NAMES, value);
}
export function isApproach(value: unknown): value is Approach {
  return typeof value === 'string' && Object.hasOwn(APPROACH_NAMES, value);
}
export function isContrastPattern(value: unknown): value is ContrastPattern {
  return typeof value === 'string' && Object.hasOwn(CONTRAST_PATTERN_NAMES, value);
}
