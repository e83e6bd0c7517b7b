import type { DataSet } from 'dicom-parser';

/**
 * Small, forgiving readers for attribute values. Empty, missing and unparsable values all come
 * back as '' / undefined / [], so callers decide what a missing value means.
 */

/** A string value with padding (spaces, NULs) removed; '' when absent or empty. */
export function text(dataSet: DataSet, tag: string): string {
  const element = dataSet.elements[tag];
  if (!element || !element.length) return '';
  const value = dataSet.string(tag);
  return value ? value.replace(/\0/g, '').trim() : '';
}

/** Every value of a multi-valued string attribute (split on "\"), each trimmed. */
export function texts(dataSet: DataSet, tag: string): string[] {
  const whole = text(dataSet, tag);
  return whole === '' ? [] : whole.split('\\').map((v) => v.trim());
}

/** Every value of a DS or IS attribute as a number; values that do not parse become NaN. */
export function numbers(dataSet: DataSet, tag: string): number[] {
  return texts(dataSet, tag).map(parseDecimal);
}

/** One value of a DS or IS attribute, or undefined when missing, empty or not a number. */
export function decimal(dataSet: DataSet, tag: string, index = 0): number | undefined {
  const value = numbers(dataSet, tag)[index];
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

export function parseDecimal(value: string): number {
  const trimmed = value.trim();
  // Number() rejects trailing junk that parseFloat would accept ("12abc").
  return trimmed === '' ? NaN : Number(trimmed);
}

/** One US value, or undefined when missing or empty. */
export function uint16(dataSet: DataSet, tag: string, index = 0): number | undefined {
  const element = dataSet.elements[tag];
  if (!element || element.length < 2 * (index + 1)) return undefined;
  return dataSet.uint16(tag, index);
}

/** All values of a US (or OW read as 16-bit words) attribute. */
export function uint16s(dataSet: DataSet, tag: string): number[] {
  const element = dataSet.elements[tag];
  if (!element || !element.length) return [];
  const count = Math.floor(element.length / 2);
  const out: number[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = dataSet.uint16(tag, i) as number;
  return out;
}

/** The items of a sequence as data sets (empty when absent or not a sequence). */
export function sequenceItems(dataSet: DataSet, tag: string): DataSet[] {
  const items = dataSet.elements[tag]?.items ?? [];
  return items.flatMap((item) => (item.dataSet ? [item.dataSet] : []));
}

/** Attribute tags of an AT value, as dicom-parser's "xggggeeee" strings. */
export function attributeTags(dataSet: DataSet, tag: string): string[] {
  const element = dataSet.elements[tag];
  if (!element || element.length < 4) return [];
  const out: string[] = [];
  for (let i = 0; i + 4 <= element.length; i += 4) {
    const group = dataSet.uint16(tag, i / 2) as number;
    const elementNumber = dataSet.uint16(tag, i / 2 + 1) as number;
    out.push(`x${hex4(group)}${hex4(elementNumber)}`);
  }
  return out;
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/**
 * A DICOM date (DA "YYYYMMDD", or the ACR-NEMA "YYYY.MM.DD") plus an optional time (TM
 * "HHMMSS.ffffff", or "HH:MM:SS") as milliseconds on a naive UTC clock. Only differences between
 * such values mean anything; time zones are ignored. Null when the date does not parse.
 */
export function dateTimeMs(date: string, time = ''): number | null {
  const d = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(date.trim());
  if (!d) return null;
  const t = parseTime(time);
  if (t === null) return null;
  return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) + t;
}

/** Milliseconds since midnight for a TM value ('' is midnight); null when it does not parse. */
export function parseTime(time: string): number | null {
  const trimmed = time.trim();
  if (trimmed === '') return 0;
  const m = /^(\d{2}):?(\d{2})?:?(\d{2})?(?:\.(\d{1,6}))?$/.exec(trimmed);
  if (!m) return null;
  const fraction = m[4] ? Number(`0.${m[4]}`) : 0;
  return ((Number(m[1]) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0) + fraction) * 1000;
}

/** A DT value "YYYYMMDDHHMMSS.ffffff&ZZXX" on the same naive clock as dateTimeMs. */
export function dicomDateTimeMs(value: string): number | null {
  const m = /^(\d{8})(\d{0,6}(?:\.\d{1,6})?)?(?:[+-]\d{4})?$/.exec(value.trim());
  return m ? dateTimeMs(m[1], m[2] ?? '') : null;
}
