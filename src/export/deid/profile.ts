/**
 * PS3.15 Annex E Table E.1-1 as data (data/README.md names the source, edition and licence): the
 * Basic Application Level Confidentiality Profile action of every listed attribute, and whether
 * the two options FluoroLens applies change it.
 *
 * Action codes (PS3.15 Table E.1-1a):
 *   D  replace with a non-zero length value that may be a dummy value, consistent with the VR
 *   Z  replace with a zero length value, or a dummy value consistent with the VR
 *   X  remove (a sequence with all its items)
 *   K  keep (non-sequence attributes unchanged; sequences are cleaned item by item)
 *   C  clean: replace with values of similar meaning known not to contain identifying information
 *   U  replace with a non-zero length UID that is internally consistent within a set of instances
 *   Z/D, X/Z, X/D, X/Z/D, X/Z/U*: the first action unless a later one is needed for the IOD to
 *   stay conformant (Type 3 → X, Type 2 → Z, Type 1 → D, Type 1 sequence with UID references → U);
 *   compound.ts decides them for our IODs.
 */
import table from './data/confidentiality_profile_attributes.2024e.json';

export const PROFILE_EDITION = '2024e';
export const PROFILE_SOURCE = 'innolitics/dicom-standard standard/confidentiality_profile_attributes.json @ 7f4749d09ed3';

export const SINGLE_ACTIONS = ['D', 'Z', 'X', 'K', 'C', 'U'] as const;
export const COMPOUND_ACTIONS = ['Z/D', 'X/Z', 'X/D', 'X/Z/D', 'X/Z/U*'] as const;
export type SingleAction = (typeof SINGLE_ACTIONS)[number];
export type CompoundAction = (typeof COMPOUND_ACTIONS)[number];
export type ProfileAction = SingleAction | CompoundAction;

export interface ProfileRow {
  /** "GGGGEEEE" in upper case for ordinary rows; the pattern rows are handled by tag tests below. */
  readonly tag: string;
  readonly name: string;
  readonly basic: ProfileAction;
  /** Retain Longitudinal Temporal Information with Modified Dates Option: "C" (modify the date or time). */
  readonly modifiedDates: boolean;
  /** Clean Descriptors Option: "C" (keep the descriptor once cleaned). */
  readonly cleanDescriptor: boolean;
}

interface RawRow {
  id: string;
  name: string;
  basicProfile: string;
  rtnLongModifDatesOpt?: string;
  cleanDescOpt?: string;
}

function isProfileAction(value: string): value is ProfileAction {
  return (SINGLE_ACTIONS as readonly string[]).includes(value) || (COMPOUND_ACTIONS as readonly string[]).includes(value);
}

function toRow(raw: RawRow): ProfileRow {
  if (!isProfileAction(raw.basicProfile)) throw new Error(`Table E.1-1 row ${raw.id}: unknown action ${raw.basicProfile}`);
  return {
    tag: raw.id.toUpperCase(),
    name: raw.name.split('\n')[0].trim(),
    basic: raw.basicProfile,
    modifiedDates: raw.rtnLongModifDatesOpt === 'C',
    cleanDescriptor: raw.cleanDescOpt === 'C',
  };
}

/** Every row of the table, in its order (621 in 2024e). */
export const PROFILE_ROWS: readonly ProfileRow[] = (table as RawRow[]).map(toRow);

const ROWS_BY_TAG = new Map(PROFILE_ROWS.filter((row) => /^[0-9A-F]{8}$/.test(row.tag)).map((row) => [row.tag, row]));

const CURVE_ROW = PROFILE_ROWS.find((row) => row.tag === '50XXXXXX');
const OVERLAY_DATA_ROW = PROFILE_ROWS.find((row) => row.tag === '60XX3000');
const OVERLAY_COMMENTS_ROW = PROFILE_ROWS.find((row) => row.tag === '60XX4000');
const PRIVATE_ROW = PROFILE_ROWS.find((row) => row.tag.startsWith('GGGGEEEE'));

const groupOf = (tag: string): number => parseInt(tag.slice(0, 4), 16);
const elementOf = (tag: string): number => parseInt(tag.slice(4, 8), 16);

/** Odd groups (other than 0001, 0003, 0005, 0007, FFFF, which are not allowed at all) are private. */
export function isPrivateTag(tag: string): boolean {
  return groupOf(tag) % 2 === 1;
}

/** The repeating groups 5000–501E (retired Curve module): the table removes all of it. */
export function isCurveTag(tag: string): boolean {
  const group = groupOf(tag);
  return (group & 0xff00) === 0x5000 && group % 2 === 0;
}

/** The repeating groups 6000–601E (Overlay Plane module). */
export function isOverlayTag(tag: string): boolean {
  const group = groupOf(tag);
  return (group & 0xff00) === 0x6000 && group % 2 === 0;
}

/**
 * The row that governs a tag, or undefined when the table does not list it. Curve groups, overlay
 * data and comments and private elements come from the table's pattern rows.
 */
export function profileRowFor(tag: string): ProfileRow | undefined {
  const upper = tag.toUpperCase();
  if (isPrivateTag(upper)) return PRIVATE_ROW;
  if (isCurveTag(upper)) return CURVE_ROW;
  if (isOverlayTag(upper)) {
    const element = elementOf(upper);
    if (element === 0x3000) return OVERLAY_DATA_ROW;
    if (element === 0x4000) return OVERLAY_COMMENTS_ROW;
  }
  return ROWS_BY_TAG.get(upper);
}
