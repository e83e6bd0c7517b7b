/**
 * Marks on a run that are not tracks: frame ranges flagged as vascular uptake, and stimulator
 * lead tips labelled at a vertebral level on a frame. Saved with the annotations (format v2).
 */
import { isFinitePoint, type Point } from './geometry';
import type { JsonObject } from './json';
import { normalizeVertebralLevel } from './levels';

export const VASCULAR_UPTAKE_NAMES = {
  arterial: 'arterial',
  venous: 'venous',
  uncertain: 'uncertain',
} as const;
export type VascularUptake = keyof typeof VASCULAR_UPTAKE_NAMES;
export const VASCULAR_UPTAKES = Object.keys(VASCULAR_UPTAKE_NAMES) as VascularUptake[];

export function isVascularUptake(value: unknown): value is VascularUptake {
  return typeof value === 'string' && Object.hasOwn(VASCULAR_UPTAKE_NAMES, value);
}

/** "Vascular uptake: arterial" on frames from…to (inclusive, 1-based). */
export interface VascularFlag {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly uptake: VascularUptake;
  /** Free text, e.g. "radicular artery, blush at L5". */
  readonly note: string;
  readonly extra?: JsonObject;
}

/** A stimulator lead's tip, labelled at a vertebral level on one frame. */
export interface LeadTip {
  readonly id: string;
  /** E.g. "Lead 1 (left)". */
  readonly label: string;
  /** 1-based frame on which the level was read. */
  readonly frame: number;
  /** Canonical single level or range (levels.ts), e.g. "T8" or "T8-T9" for the disc between. */
  readonly level: string;
  /** Where the tip is on that frame, when marked (image coordinates); null when only the level is recorded. */
  readonly position: Point | null;
  readonly extra?: JsonObject;
}

export function vascularFlagText(flag: Pick<VascularFlag, 'from' | 'to' | 'uptake'>): string {
  const frames = flag.from === flag.to ? `frame ${flag.from}` : `frames ${flag.from}–${flag.to}`;
  return `vascular uptake: ${VASCULAR_UPTAKE_NAMES[flag.uptake]}, ${frames}`;
}

/** Why a vascular flag cannot be kept, or null. */
export function vascularFlagProblem(flag: unknown, frameCount: number): string | null {
  if (typeof flag !== 'object' || flag === null) return 'a vascular flag must be an object';
  const f = flag as Partial<Record<keyof VascularFlag, unknown>>;
  if (!isVascularUptake(f.uptake)) return `vascular uptake ${JSON.stringify(f.uptake)} is not arterial, venous or uncertain`;
  if (!isFrame(f.from, frameCount) || !isFrame(f.to, frameCount))
    return `vascular flag frames ${JSON.stringify(f.from)}–${JSON.stringify(f.to)} are not frames of the run (frames 1–${frameCount})`;
  if ((f.from as number) > (f.to as number)) return `vascular flag frames ${f.from}–${f.to} run backwards`;
  return null;
}

/** Why a lead tip cannot be kept, or null. */
export function leadTipProblem(lead: unknown, frameCount: number): string | null {
  if (typeof lead !== 'object' || lead === null) return 'a lead tip must be an object';
  const l = lead as Partial<Record<keyof LeadTip, unknown>>;
  if (!isFrame(l.frame, frameCount)) return `lead tip frame ${JSON.stringify(l.frame)} is outside the run (frames 1–${frameCount})`;
  if (typeof l.level !== 'string' || normalizeVertebralLevel(l.level) === null)
    return `lead tip level ${JSON.stringify(l.level)} is not a vertebral level (e.g. T8, T8-T9)`;
  if (l.position !== null && l.position !== undefined && !isFinitePoint(l.position)) return 'lead tip position is not a point';
  return null;
}

function isFrame(value: unknown, frameCount: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= frameCount;
}

/** "vascular-3": one past the highest number used, so deleted ids are not reused. */
export function nextMarkId(ids: readonly string[], prefix: string): string {
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  const used = ids.map((id) => Number(pattern.exec(id)?.[1] ?? 0));
  return `${prefix}-${Math.max(0, ...used) + 1}`;
}
