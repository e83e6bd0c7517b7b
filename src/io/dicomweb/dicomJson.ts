/** The DICOM JSON model (PS3.18 F.2) as QIDO-RS and WADO-RS /metadata send it, and small readers for it. */

export interface DicomJsonElement {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}

/** One data set: tags as 8 upper-case hex digits ("0020000D") → element. */
export type DicomJsonDataset = Record<string, DicomJsonElement>;

export function isDataset(value: unknown): value is DicomJsonDataset {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function values(ds: DicomJsonDataset, tag: string): unknown[] {
  const element = ds[tag] ?? ds[tag.toLowerCase()];
  return Array.isArray(element?.Value) ? element.Value : [];
}

/** A PN value as DICOM writes it: "Alphabetic=Ideographic=Phonetic", trailing empty groups dropped. */
export function personNameText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const pn = value as { Alphabetic?: unknown; Ideographic?: unknown; Phonetic?: unknown };
  const groups = [pn.Alphabetic, pn.Ideographic, pn.Phonetic].map((g) => (typeof g === 'string' ? g : ''));
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

/** The first value as text ('' when absent); numbers as written, PN as "Family^Given…". */
export function jsonText(ds: DicomJsonDataset, tag: string): string {
  return jsonTexts(ds, tag)[0] ?? '';
}

export function jsonTexts(ds: DicomJsonDataset, tag: string): string[] {
  const element = ds[tag];
  return values(ds, tag).map((v) => (element?.vr === 'PN' ? personNameText(v) : v === null || v === undefined ? '' : String(v)));
}

/** The first value as a number, or null when absent or not a number. */
export function jsonNumber(ds: DicomJsonDataset, tag: string): number | null {
  const value = values(ds, tag)[0];
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : null;
}

export function jsonItems(ds: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  return values(ds, tag).filter(isDataset);
}
