/** Reading the case record's free-text fields: vertebral levels and the contrast frame. */
import { normalizeVertebralLevel } from '../annotations/model';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** "l4, L5 - s1" → ["L4", "L5-S1"]; the first entry that is not a level or range is the error. */
export function parseLevels(text: string): Parsed<string[]> {
  const entries = text
    .replace(/\s*[-–—]\s*/g, '-')
    .split(/[,;\s]+/)
    .filter(Boolean);
  const levels: string[] = [];
  for (const entry of entries) {
    const level = normalizeVertebralLevel(entry);
    if (level === null) return { ok: false, error: `“${entry}” is not a vertebral level or range (e.g. L4, L5-S1)` };
    if (!levels.includes(level)) levels.push(level);
  }
  return { ok: true, value: levels };
}

export function levelsText(levels: readonly string[]): string {
  return levels.join(', ');
}

/** Empty → null (not recorded); otherwise a whole frame number within the run. */
export function parseFrame(text: string, frameCount: number): Parsed<number | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const frame = Number(trimmed);
  if (!Number.isInteger(frame) || frame < 1 || frame > frameCount)
    return { ok: false, error: `Enter a frame from 1 to ${frameCount}, or leave it empty` };
  return { ok: true, value: frame };
}
