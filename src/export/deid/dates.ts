/**
 * Retain Longitudinal Temporal Information with Modified Dates (PS3.15 E.3.6): every date and time
 * of a case moves by ONE offset, so intervals survive (frame timing, the order of runs, the time
 * from study start to each acquisition) while the real dates do not.
 *
 * The offset is whole days plus whole seconds, derived from the case secret. Shifting by whole
 * seconds leaves fractions of a second as they were, so sub-second intervals are exact.
 *   - A date with its time partner in the same item (Study Date + Study Time, Acquisition Date +
 *     Acquisition Time, …) moves as one date-time, carrying into the date when the time crosses
 *     midnight.
 *   - A date alone moves by the days; a time alone moves by the seconds, modulo 24 h.
 *   - A DT moves by the whole offset and keeps its precision and its UTC offset suffix.
 * Values are written at the precision they had. Values that are not valid DA/TM/DT come back null
 * and the caller empties them (they may hide text, e.g. a name typed into a date field).
 */
import type { CaseKeys } from './caseKeys';

export interface DateOffset {
  /** Negative: dates move into the past. */
  readonly days: number;
  /** 0 ≤ seconds < 86 400, added after the days. */
  readonly seconds: number;
}

const DAY_SECONDS = 86_400;
const DAY_MS = DAY_SECONDS * 1000;
/** Between about 3 and 13 years back: far enough that a date says nothing, near enough to stay plausible. */
const MIN_DAYS_BACK = 3 * 365;
const SPAN_DAYS = 10 * 365;

export async function dateOffsetFor(keys: CaseKeys): Promise<DateOffset> {
  const digest = await keys.digest('date-offset');
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  return { days: -(MIN_DAYS_BACK + (view.getUint32(0) % SPAN_DAYS)), seconds: view.getUint32(4) % DAY_SECONDS };
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

interface ParsedDate {
  year: number;
  month: number;
  day: number;
}

function parseDa(value: string): ParsedDate | null {
  const text = value.trim();
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

interface ParsedTime {
  /** Seconds since midnight (whole). */
  seconds: number;
  /** How many of HH, MM, SS were written (1–3). */
  parts: number;
  /** ".ffffff" as written, or "". */
  fraction: string;
}

function parseTm(value: string): ParsedTime | null {
  const text = value.trim().replace(/:/g, '');
  const m = /^(\d{2})(\d{2})?(\d{2})?(\.\d{1,6})?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  const seconds = m[3] === undefined ? 0 : Number(m[3]);
  // 60 is a leap second, allowed by PS3.5.
  if (hours > 23 || minutes > 59 || seconds > 60) return null;
  if (m[4] !== undefined && m[3] === undefined) return null;
  const parts = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { seconds: hours * 3600 + minutes * 60 + Math.min(seconds, 59), parts, fraction: m[4] ?? '' };
}

function formatDa(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
}

function formatTm(secondsOfDay: number, parts: number, fraction: string): string {
  const s = ((secondsOfDay % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
  const text = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
    .slice(0, parts)
    .map((v) => pad(v, 2))
    .join('');
  return parts === 3 ? text + fraction : text;
}

function offsetMs(offset: DateOffset): number {
  return offset.days * DAY_MS + offset.seconds * 1000;
}

/** A date alone: moves by the offset's days. */
export function shiftDa(value: string, offset: DateOffset): string | null {
  const date = parseDa(value);
  if (!date) return null;
  return formatDa(Date.UTC(date.year, date.month - 1, date.day) + offset.days * DAY_MS);
}

/** A time alone: moves by the offset's seconds, modulo 24 h. */
export function shiftTm(value: string, offset: DateOffset): string | null {
  const time = parseTm(value);
  if (!time) return null;
  return formatTm(time.seconds + offset.seconds, time.parts, time.fraction);
}

/** A date and its time partner, moved together. */
export function shiftDaTmPair(da: string, tm: string, offset: DateOffset): { da: string; tm: string } | null {
  const date = parseDa(da);
  const time = parseTm(tm);
  if (!date || !time) return null;
  const moved = Date.UTC(date.year, date.month - 1, date.day) + time.seconds * 1000 + offsetMs(offset);
  const dayStart = Math.floor(moved / DAY_MS) * DAY_MS;
  return { da: formatDa(moved), tm: formatTm((moved - dayStart) / 1000, time.parts, time.fraction) };
}

/** A DT (YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]), moved by the whole offset, same precision and suffix. */
export function shiftDt(value: string, offset: DateOffset): string | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,6})?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return null;
  const present = [m[1], m[2], m[3], m[4], m[5], m[6]].filter((part) => part !== undefined).length;
  if (m[7] !== undefined && present < 6) return null;
  const [year, month, day, hours, minutes, seconds] = [m[1], m[2] ?? '01', m[3] ?? '01', m[4] ?? '00', m[5] ?? '00', m[6] ?? '00'].map(
    Number,
  );
  if (month < 1 || month > 12 || hours > 23 || minutes > 59 || seconds > 60) return null;
  const base = Date.UTC(year, month - 1, day, hours, minutes, Math.min(seconds, 59));
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return null;
  const moved = new Date(base + offsetMs(offset));
  const fields = [
    pad(moved.getUTCFullYear(), 4),
    pad(moved.getUTCMonth() + 1, 2),
    pad(moved.getUTCDate(), 2),
    pad(moved.getUTCHours(), 2),
    pad(moved.getUTCMinutes(), 2),
    pad(moved.getUTCSeconds(), 2),
  ];
  return fields.slice(0, present).join('') + (m[7] ?? '') + (m[8] ?? '');
}
