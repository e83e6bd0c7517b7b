/** Formatting of DICOM PN, DA and TM values for people. Unparseable values are shown as found. */
import { cleanText } from './text';

/**
 * PN "Family^Given^Middle^Prefix^Suffix" → "FAMILY, Prefix Given Middle, Suffix".
 * Only the first (alphabetic) component group is used; ideographic/phonetic groups follow "=".
 */
export function formatPersonName(value: string | null | undefined): string {
  const alphabetic = (value ?? '').split('=')[0];
  const [family, given, middle, prefix, suffix] = alphabetic.split('^').map(cleanText);
  const forenames = [prefix, given, middle].filter(Boolean).join(' ');
  const name = [family?.toUpperCase(), forenames].filter(Boolean).join(', ');
  return suffix ? `${name}, ${suffix}` : name;
}

/** DA "YYYYMMDD" (or the old "YYYY.MM.DD") → "YYYY-MM-DD". */
export function formatDicomDate(value: string | null | undefined): string {
  const text = cleanText(value);
  const match = /^(\d{4})[.-]?(\d{2})[.-]?(\d{2})$/.exec(text);
  if (!match) return text;
  const [, year, month, day] = match;
  if (!isInRange(month, 1, 12) || !isInRange(day, 1, 31)) return text;
  return `${year}-${month}-${day}`;
}

/** TM "HHMMSS.FFFFFF", "HHMM" or "HH" (or the old "HH:MM:SS") → "HH:MM:SS" / "HH:MM"; fractions dropped. */
export function formatDicomTime(value: string | null | undefined): string {
  const text = cleanText(value);
  const match = /^(\d{2}):?(\d{2})?:?(\d{2})?(?:\.\d+)?$/.exec(text);
  if (!match) return text;
  const [, hours, minutes = '00', seconds] = match;
  if (!isInRange(hours, 0, 23) || !isInRange(minutes, 0, 59) || (seconds && !isInRange(seconds, 0, 60))) return text;
  return seconds ? `${hours}:${minutes}:${seconds}` : `${hours}:${minutes}`;
}

function isInRange(digits: string, low: number, high: number): boolean {
  const value = Number(digits);
  return value >= low && value <= high;
}

/** Lossy Image Compression Method defined terms (PS3.3 C.7.6.1.1.5.1) as a reader knows them. */
const LOSSY_METHOD_NAMES: Record<string, string> = {
  ISO_10918_1: 'JPEG',
  ISO_14495_1: 'JPEG-LS',
  ISO_15444_1: 'JPEG 2000',
  ISO_15444_15: 'HTJ2K',
  ISO_13818_2: 'MPEG-2',
  ISO_14496_10: 'H.264',
  ISO_23008_2: 'HEVC',
};

/** The methods of a lossy compression by name ("JPEG"), each once; an unknown term as written. */
export function lossyMethodNames(lossy: { methods: readonly string[] }): string[] {
  return [...new Set(lossy.methods.map((m) => LOSSY_METHOD_NAMES[m] ?? cleanText(m)).filter(Boolean))];
}
