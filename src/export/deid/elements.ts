/** Small helpers over dcmjs's denaturalized data sets (dcmjsLib.ts). */
import type { DcmDataset, DcmElement } from './dcmjsLib';

/** VRs whose values are character strings (as opposed to numbers, bytes or items). */
export const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
/** String VRs that hold free text a person typed or a device filled in. */
export const FREE_TEXT_VRS = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

interface PersonName {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

/** The text of each value: strings as they are, person names as their groups joined by "=". */
export function textValues(element: DcmElement): string[] {
  if (!STRING_VRS.has(element.vr) || !element.Value) return [];
  return element.Value.map((value) => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') {
      const name = value as PersonName;
      return [name.Alphabetic, name.Ideographic, name.Phonetic].filter((part) => part !== undefined).join('=');
    }
    return String(value);
  });
}

export function items(element: DcmElement): DcmDataset[] {
  return element.vr === 'SQ' && element.Value ? (element.Value as DcmDataset[]) : [];
}

/** Visits every element, depth first, items included. */
export function forEachElement(dataset: DcmDataset, visit: (tag: string, element: DcmElement, depth: number) => void, depth = 0): void {
  for (const tag of Object.keys(dataset).sort()) {
    const element = dataset[tag];
    visit(tag, element, depth);
    for (const item of items(element)) forEachElement(item, visit, depth + 1);
  }
}

/** "GGGGEEEE" → "(GGGG,EEEE)". */
export function formatTag(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4, 8)})`;
}

/** The first value of a string element, trimmed, or '' when absent. */
export function firstText(dataset: DcmDataset, tag: string): string {
  const element = dataset[tag];
  return element ? (textValues(element)[0] ?? '').trim() : '';
}

export function firstNumber(dataset: DcmDataset, tag: string): number | null {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}
