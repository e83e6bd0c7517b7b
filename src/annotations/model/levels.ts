/**
 * Vertebral levels: single levels C1–C7, T1–T12, L1–L5, S1–S5, Co, and ranges "L4-L5", "L5-S1",
 * "T8-T10" written cranial to caudal. Stored in canonical form: upper-case region letter,
 * "Co" for the coccyx, ASCII hyphen, no spaces.
 */

const REGIONS: ReadonlyArray<readonly [prefix: string, count: number]> = [
  ['C', 7],
  ['T', 12],
  ['L', 5],
  ['S', 5],
];

/** Every single level, cranial to caudal. */
export const VERTEBRAL_LEVELS: readonly string[] = [
  ...REGIONS.flatMap(([prefix, count]) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`)),
  'Co',
];

function canonicalSingleLevel(text: string): string | null {
  const trimmed = text.trim();
  if (/^co$/i.test(trimmed)) return 'Co';
  const candidate = trimmed.toUpperCase();
  return VERTEBRAL_LEVELS.includes(candidate) ? candidate : null;
}

/** Canonical form of a level or level range, or null when it is not one ("L6", "L5-L4", "X1"). */
export function normalizeVertebralLevel(text: string): string | null {
  const parts = text.split(/[-–—]/);
  if (parts.length === 1) return canonicalSingleLevel(parts[0]);
  if (parts.length !== 2) return null;
  const from = canonicalSingleLevel(parts[0]);
  const to = canonicalSingleLevel(parts[1]);
  if (from === null || to === null) return null;
  if (VERTEBRAL_LEVELS.indexOf(from) >= VERTEBRAL_LEVELS.indexOf(to)) return null;
  return `${from}-${to}`;
}

/** True only for a level already in canonical form. */
export function isVertebralLevel(text: string): boolean {
  return normalizeVertebralLevel(text) === text;
}
