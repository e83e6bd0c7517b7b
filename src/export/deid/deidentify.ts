/**
 * One header through the Basic Application Level Confidentiality Profile (PS3.15 E.1) with the
 * Retain Longitudinal Temporal Information with Modified Dates and Clean Descriptors options, and
 * Clean Pixel Data when the writer masked the pixels. Works on dcmjs's denaturalized data set; the
 * pixel data never passes through here (instance.ts copies or rewrites it).
 *
 * For each element, in every item of every sequence:
 *   1. Private elements (odd groups), the retired Curve groups (50xx) and Overlay groups (60xx) are
 *      removed. The table removes Overlay Data and Overlay Comments; the rest of an overlay group
 *      goes too, because an Overlay Plane module without its data is invalid and the module is
 *      optional in our IODs.
 *   2. A listed attribute follows its Table E.1-1 row: a date or time the option marks "C" is
 *      shifted (dates.ts); a descriptor the option marks "C" keeps the educator-approved text when
 *      there is some (top level only), otherwise gets its Basic Profile action; compound actions
 *      resolve as compound.ts says.
 *   3. An attribute the table does not list is kept, except that any other date or time is
 *      shifted too (one offset for everything), and any other UID that is not a DICOM-defined one
 *      (SOP class, transfer syntax, coding scheme) is replaced like a U attribute: we cannot vouch
 *      that an unlisted UID carries no original root, date or serial number.
 *   4. Kept free text is checked against the case's identifying values (identity.ts); each
 *      identifying value found in it is replaced by "***".
 *   5. An attribute that may be present only with another one the table removed goes too (see
 *      PRESENT_ONLY_WITH).
 * Then the top level gets the case pseudonyms (Patient's Name is Z and Patient ID Z/D, both of
 * which allow a dummy value), Patient Identity Removed = YES, the method text and code sequence,
 * and Longitudinal Temporal Information Modified = MODIFIED.
 */
import { resolveCompound, type CompoundContext, type ResolvedAction } from './compound';
import type { DateOffset } from './dates';
import { shiftDa, shiftDaTmPair, shiftDt, shiftTm } from './dates';
import { dictionaryEntry, type DcmDataset, type DcmElement } from './dcmjsLib';
import { FREE_TEXT_VRS, firstText, formatTag, items, textValues } from './elements';
import type { IdentityIndex } from './identity';
import { PROFILE_EDITION, isCurveTag, isOverlayTag, isPrivateTag, profileRowFor } from './profile';
import { isStandardUid, type UidRemapper } from './uids';

/** A problem the user can fix (the message names the field, never the identifying value). */
export class DeidentificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeidentificationError';
  }
}

export const TAG = {
  specificCharacterSet: '00080005',
  imageType: '00080008',
  sopClassUID: '00080016',
  sopInstanceUID: '00080018',
  patientName: '00100010',
  patientId: '00100020',
  patientIdentityRemoved: '00120062',
  deidentificationMethod: '00120063',
  deidentificationMethodCodeSequence: '00120064',
  studyInstanceUID: '0020000D',
  seriesInstanceUID: '0020000E',
  instanceNumber: '00200013',
  numberOfFrames: '00280008',
  rows: '00280010',
  columns: '00280011',
  samplesPerPixel: '00280002',
  photometricInterpretation: '00280004',
  presentationLutShape: '20500020',
  bitsAllocated: '00280100',
  bitsStored: '00280101',
  highBit: '00280102',
  pixelRepresentation: '00280103',
  burnedInAnnotation: '00280301',
  lossyImageCompression: '00282110',
  lossyImageCompressionRatio: '00282112',
  lossyImageCompressionMethod: '00282114',
  longitudinalTemporalInformationModified: '00280303',
  extendedOffsetTable: '7FE00001',
  extendedOffsetTableLengths: '7FE00002',
  encapsulatedPixelDataValueTotalLength: '7FE00003',
} as const;

/** PS3.16 CID 7050 De-identification Method. */
export const DEID_CODES = {
  basicProfile: { value: '113100', meaning: 'Basic Application Confidentiality Profile' },
  cleanPixelData: { value: '113101', meaning: 'Clean Pixel Data Option' },
  cleanDescriptors: { value: '113105', meaning: 'Clean Descriptors Option' },
  retainLongitudinalModifiedDates: { value: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
} as const;

export interface Pseudonym {
  /** PN, e.g. "TEACHING^CASE 12". */
  readonly patientName: string;
  /** LO, e.g. "TC-0012". */
  readonly patientId: string;
}

/** What one case shares across its files. */
export interface CaseContext {
  readonly uids: UidRemapper;
  readonly dateOffset: DateOffset;
  readonly identity: IdentityIndex;
  readonly pseudonym: Pseudonym;
  readonly appVersion: string;
}

export interface DatasetOptions {
  /** Clean Descriptors: educator-approved text for top-level descriptors, by tag ("0008103E"). */
  readonly descriptors?: Readonly<Record<string, string>>;
  /** The writer masked the pixels (Clean Pixel Data Option): Burned In Annotation becomes NO. */
  readonly pixelsCleaned?: boolean;
}

/** Counts only: a report never holds a value. */
export interface DeidReport {
  removed: number;
  privateRemoved: number;
  curveAndOverlayRemoved: number;
  emptied: number;
  dummies: number;
  uidsReplaced: number;
  datesShifted: number;
  /** Dates or times that were not valid DA/TM/DT, emptied. */
  invalidDatesEmptied: number;
  /** Kept free text that held an identifying value of the case, which was replaced by "***". */
  identifyingTextRedacted: number;
  /** Tags of descriptors kept with educator-approved text. */
  descriptorsKept: string[];
}

function emptyReport(): DeidReport {
  return {
    removed: 0,
    privateRemoved: 0,
    curveAndOverlayRemoved: 0,
    emptied: 0,
    dummies: 0,
    uidsReplaced: 0,
    datesShifted: 0,
    invalidDatesEmptied: 0,
    identifyingTextRedacted: 0,
    descriptorsKept: [],
  };
}

/** Every UID in a header the profile may replace (prepare these before deidentifyDataset). */
export function collectReplaceableUids(dataset: DcmDataset, into = new Set<string>()): Set<string> {
  for (const [tag, element] of Object.entries(dataset)) {
    if (isPrivateTag(tag)) continue;
    if (element.vr === 'UI')
      for (const value of textValues(element)) if (value.trim() && !isStandardUid(value.trim())) into.add(value.trim());
    for (const item of items(element)) collectReplaceableUids(item, into);
  }
  return into;
}

/** Burned In Annotation is YES, absent, or anything but NO: burned-in text must be masked first. */
export function pixelCleaningRequired(dataset: DcmDataset): boolean {
  return firstText(dataset, TAG.burnedInAnnotation).toUpperCase() !== 'NO';
}

/** Image Type value 3 is BIPLANE A or BIPLANE B (Referenced Image Sequence is then Type 1C). */
function isBiplane(dataset: DcmDataset): boolean {
  const value3 = (textValues(dataset[TAG.imageType] ?? { vr: 'CS' })[2] ?? '').trim().toUpperCase();
  return value3 === 'BIPLANE A' || value3 === 'BIPLANE B';
}

const TEXT_LIMITS: Readonly<Record<string, number>> = { SH: 16, LO: 64, ST: 1024, LT: 10240, UC: 0x7fffffff, UT: 0x7fffffff, PN: 64 };

/** The top-level descriptors an educator may approve (Clean Descriptors), with their current text. */
export function listDescriptors(dataset: DcmDataset): { tag: string; name: string; vr: string; text: string }[] {
  const found: { tag: string; name: string; vr: string; text: string }[] = [];
  for (const tag of Object.keys(dataset).sort()) {
    const row = profileRowFor(tag);
    const element = dataset[tag];
    if (!row?.cleanDescriptor || isPrivateTag(tag) || !FREE_TEXT_VRS.has(element.vr)) continue;
    const text = textValues(element).join('\\').trim();
    if (text) found.push({ tag, name: row.name, vr: element.vr, text });
  }
  return found;
}

/**
 * Type 1C attributes that may be present only when another one is (PS3.3). The table removes the
 * other one but gives the dependent D, which would leave the IOD invalid; the dependent goes too.
 *   Clinical Trial Protocol Ethics Committee Name (0012,0081), D: only with the Approval Number (0012,0082), X.
 */
const PRESENT_ONLY_WITH: Readonly<Record<string, string>> = { '00120081': '00120082' };

type Operation = 'remove' | 'empty' | 'dummy' | 'keep' | 'uid' | 'shift' | 'descriptor';

const ACTION_OPERATION: Readonly<Record<ResolvedAction | 'K', Operation>> = { X: 'remove', Z: 'empty', D: 'dummy', U: 'uid', K: 'keep' };

class Cleaner {
  readonly report = emptyReport();
  private readonly compound: CompoundContext;

  constructor(
    private readonly context: CaseContext,
    private readonly options: DatasetOptions,
    source: DcmDataset,
  ) {
    this.compound = { biplane: isBiplane(source) };
  }

  operationFor(tag: string, element: DcmElement, depth: number): Operation {
    if (isPrivateTag(tag)) return 'remove';
    const row = profileRowFor(tag);
    const temporal = element.vr === 'DA' || element.vr === 'TM' || element.vr === 'DT';
    if (!row) {
      if (temporal) return 'shift';
      if (element.vr === 'UI') return 'uid';
      return 'keep';
    }
    if (row.modifiedDates && temporal) return 'shift';
    if (row.cleanDescriptor && depth === 0 && this.options.descriptors?.[tag] !== undefined) return 'descriptor';
    // A bare "C" (no option involved) is not in the 2024e table; should a later edition add one, removing is the safe reading.
    if (row.basic === 'C') return 'remove';
    if (row.basic.includes('/')) {
      const resolved = resolveCompound(tag, this.compound);
      if (!resolved) throw new Error(`internal: no decision for the compound action ${row.basic} of ${formatTag(tag)}`);
      return ACTION_OPERATION[resolved];
    }
    return ACTION_OPERATION[row.basic as ResolvedAction | 'K'];
  }

  cleanItem(item: DcmDataset, depth: number): DcmDataset {
    const out = this.cleanElements(item, depth);
    for (const [dependent, condition] of Object.entries(PRESENT_ONLY_WITH)) {
      if (out[dependent] && !out[condition]) {
        delete out[dependent];
        this.report.removed++;
      }
    }
    return out;
  }

  private cleanElements(item: DcmDataset, depth: number): DcmDataset {
    const out: DcmDataset = {};
    const pairs = this.pairedTimes(item);
    for (const tag of Object.keys(item).sort()) {
      const element = item[tag];
      if (isCurveTag(tag) || isOverlayTag(tag)) {
        this.report.curveAndOverlayRemoved++;
        continue;
      }
      if (isPrivateTag(tag)) {
        this.report.privateRemoved++;
        continue;
      }
      if (parseInt(tag.slice(0, 4), 16) < 0x0008) {
        // Command (0000) and File Meta (0002) elements have no place in a data set; the File Meta is rebuilt.
        this.report.removed++;
        continue;
      }
      const operation = this.operationFor(tag, element, depth);
      const result = this.apply(operation, tag, element, item, pairs, depth);
      if (result) out[tag] = result;
    }
    return out;
  }

  private apply(
    operation: Operation,
    tag: string,
    element: DcmElement,
    item: DcmDataset,
    pairs: Map<string, string>,
    depth: number,
  ): DcmElement | null {
    switch (operation) {
      case 'remove':
        this.report.removed++;
        return null;
      case 'empty':
        this.report.emptied++;
        return { vr: element.vr, Value: [] };
      case 'dummy':
        return this.dummy(element);
      case 'uid':
        return element.vr === 'SQ' ? this.keep(element, depth) : this.replaceUids(element);
      case 'shift':
        return this.shift(tag, element, item, pairs);
      case 'descriptor':
        return this.descriptor(tag, element);
      case 'keep':
        return this.keep(element, depth);
    }
  }

  private keep(element: DcmElement, depth: number): DcmElement {
    if (element.vr === 'SQ') return { vr: 'SQ', Value: items(element).map((item) => this.cleanItem(item, depth + 1)) };
    if (!FREE_TEXT_VRS.has(element.vr)) return element;
    const values = textValues(element);
    const redacted = values.map((text) => this.context.identity.redact(text));
    if (redacted.every((r) => r.sources.length === 0)) return element;
    // Redacted rather than emptied: the attribute may be Type 1 (a Code Meaning, say).
    this.report.identifyingTextRedacted++;
    const limit = TEXT_LIMITS[element.vr] ?? Infinity;
    const texts = redacted.map((r) => r.text.slice(0, limit));
    return { vr: element.vr, Value: element.vr === 'PN' ? texts.map((text) => ({ Alphabetic: text.split('=')[0] })) : texts };
  }

  private replaceUids(element: DcmElement): DcmElement {
    const values = textValues(element).map((value) => value.replace(/\0/g, '').trim());
    const replaced = values.map((uid) => (uid === '' || isStandardUid(uid) ? uid : this.context.uids.replace(uid)));
    if (replaced.some((uid, i) => uid !== values[i])) this.report.uidsReplaced++;
    return { vr: 'UI', Value: replaced };
  }

  private dummy(element: DcmElement): DcmElement {
    this.report.dummies++;
    switch (element.vr) {
      case 'SQ':
        return { vr: 'SQ', Value: [{}] };
      case 'UI':
        // The nil UUID as a UID: valid, and says nothing.
        return textValues(element).some((v) => v.trim()) ? this.replaceUids(element) : { vr: 'UI', Value: ['2.25.0'] };
      case 'DA':
      case 'TM':
      case 'DT': {
        const shifted = textValues(element).map((v) => shiftOne(element.vr, v, this.context.dateOffset));
        if (shifted.length > 0 && shifted.every((v) => v !== null && v !== '')) return { vr: element.vr, Value: shifted as string[] };
        return { vr: element.vr, Value: [{ DA: '19000101', TM: '000000', DT: '19000101000000' }[element.vr]] };
      }
      case 'PN':
        return { vr: 'PN', Value: [{ Alphabetic: 'DEIDENTIFIED' }] };
      case 'AS':
        return { vr: 'AS', Value: ['000Y'] };
      case 'DS':
      case 'IS':
        return { vr: element.vr, Value: ['0'] };
      case 'UR':
        return { vr: 'UR', Value: ['urn:deidentified'] };
      case 'OB':
      case 'OW':
      case 'OD':
      case 'OF':
      case 'OL':
      case 'OV':
      case 'UN':
        return { vr: element.vr, Value: [new ArrayBuffer(element.vr === 'OD' || element.vr === 'OV' ? 8 : 4)] };
      case 'US':
      case 'SS':
      case 'UL':
      case 'SL':
      case 'FL':
      case 'FD':
      case 'SV':
      case 'UV':
      case 'AT':
        return { vr: element.vr, Value: [0] };
      default:
        // AE, CS, LO, LT, SH, ST, UC, UT
        return { vr: element.vr, Value: ['DEIDENTIFIED'] };
    }
  }

  /** Date tag → its time partner in the same item ("StudyDate" → "StudyTime"), when both are shifted. */
  private pairedTimes(item: DcmDataset): Map<string, string> {
    const byKeyword = new Map<string, string>();
    for (const tag of Object.keys(item)) {
      const keyword = dictionaryEntry(tag)?.name;
      if (keyword) byKeyword.set(keyword, tag);
    }
    const pairs = new Map<string, string>();
    for (const tag of Object.keys(item)) {
      if (item[tag].vr !== 'DA') continue;
      const keyword = dictionaryEntry(tag)?.name;
      if (!keyword?.endsWith('Date')) continue;
      const partner = byKeyword.get(`${keyword.slice(0, -4)}Time`);
      if (partner && item[partner].vr === 'TM') pairs.set(tag, partner);
    }
    return pairs;
  }

  private shift(tag: string, element: DcmElement, item: DcmDataset, pairs: Map<string, string>): DcmElement {
    const offset = this.context.dateOffset;
    const values = textValues(element).map((v) => v.replace(/\0/g, '').trim());
    if (values.every((v) => v === '')) return { vr: element.vr, Value: values.length ? values : [] };
    let shifted: (string | null)[];
    const partnerTag = pairs.get(tag);
    const dateTag = [...pairs.entries()].find(([, time]) => time === tag)?.[0];
    if (partnerTag || dateTag) {
      const [da, tm] = partnerTag ? [values, textValues(item[partnerTag])] : [textValues(item[dateTag!]), values];
      shifted = values.map((_, i) => {
        const pair = da[i] !== undefined && tm[i] !== undefined ? shiftDaTmPair(da[i], tm[i], offset) : null;
        if (pair) return partnerTag ? pair.da : pair.tm;
        return shiftOne(element.vr, values[i], offset);
      });
    } else {
      shifted = values.map((v) => shiftOne(element.vr, v, offset));
    }
    if (shifted.some((v, i) => v === null && values[i] !== '')) {
      this.report.invalidDatesEmptied++;
      return { vr: element.vr, Value: [] };
    }
    this.report.datesShifted++;
    return { vr: element.vr, Value: shifted.map((v) => v ?? '') };
  }

  private descriptor(tag: string, element: DcmElement): DcmElement {
    const text = (this.options.descriptors?.[tag] ?? '').trim();
    const name = `${profileRowFor(tag)?.name ?? 'descriptor'} ${formatTag(tag)}`;
    checkText(text, element.vr, name, this.context.identity);
    if (text === '') {
      this.report.emptied++;
      return { vr: element.vr, Value: [] };
    }
    this.report.descriptorsKept.push(tag);
    return { vr: element.vr, Value: [element.vr === 'PN' ? { Alphabetic: text } : text] };
  }
}

function shiftOne(vr: string, value: string, offset: DateOffset): string | null {
  if (value.trim() === '') return '';
  if (vr === 'DA') return shiftDa(value, offset);
  if (vr === 'TM') return shiftTm(value, offset);
  return shiftDt(value, offset);
}

/** Text that is about to be written into a header: fits its VR and holds no identifying value. */
export function checkText(text: string, vr: string, field: string, identity: IdentityIndex): void {
  const limit = TEXT_LIMITS[vr];
  if (limit !== undefined && text.length > limit) throw new DeidentificationError(`${field}: at most ${limit} characters (${vr})`);
  if (hasForbiddenCharacter(text, vr === 'ST' || vr === 'LT' || vr === 'UT')) {
    throw new DeidentificationError(`${field}: contains a character its value representation (${vr}) does not allow`);
  }
  const sources = identity.findInText(text);
  if (sources.length > 0) throw new DeidentificationError(`${field}: contains identifying text from ${sources.join(', ')}`);
}

/** Backslash (the value delimiter) and control characters; text VRs allow only CR, LF, FF and TAB, and single-line ones not even those. */
function hasForbiddenCharacter(text: string, multiLine: boolean): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' && !multiLine) return true;
    if (code < 0x20 && !(multiLine && (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d))) return true;
  }
  return false;
}

function codeItem(code: { value: string; meaning: string }): DcmDataset {
  return {
    '00080100': { vr: 'SH', Value: [code.value] },
    '00080102': { vr: 'SH', Value: ['DCM'] },
    '00080104': { vr: 'LO', Value: [code.meaning] },
  };
}

/** The data set de-identified, with the de-identification recorded; the source is not changed. */
export function deidentifyDataset(
  source: DcmDataset,
  context: CaseContext,
  options: DatasetOptions = {},
): { dataset: DcmDataset; report: DeidReport } {
  checkText(context.pseudonym.patientName, 'PN', "the pseudonym for Patient's Name", context.identity);
  checkText(context.pseudonym.patientId, 'LO', 'the pseudonym for Patient ID', context.identity);
  const cleaner = new Cleaner(context, options, source);
  const dataset = cleaner.cleanItem(source, 0);

  // dcmjs writes every string as UTF-8; say so, whatever the source declared.
  dataset[TAG.specificCharacterSet] = { vr: 'CS', Value: ['ISO_IR 192'] };
  dataset[TAG.patientName] = { vr: 'PN', Value: [{ Alphabetic: context.pseudonym.patientName }] };
  dataset[TAG.patientId] = { vr: 'LO', Value: [context.pseudonym.patientId] };
  dataset[TAG.patientIdentityRemoved] = { vr: 'CS', Value: ['YES'] };
  dataset[TAG.longitudinalTemporalInformationModified] = { vr: 'CS', Value: ['MODIFIED'] };

  const codes: { value: string; meaning: string }[] = [DEID_CODES.basicProfile, DEID_CODES.retainLongitudinalModifiedDates];
  const method = [
    `FluoroLens ${context.appVersion}: PS3.15 ${PROFILE_EDITION} Basic Profile`,
    'Retain Longitudinal Temporal Info, Modified Dates',
  ];
  if (cleaner.report.descriptorsKept.length > 0) {
    codes.push(DEID_CODES.cleanDescriptors);
    method.push('Clean Descriptors (educator-approved text only)');
  }
  if (options.pixelsCleaned) {
    codes.push(DEID_CODES.cleanPixelData);
    method.push('Clean Pixel Data (burned-in text masked)');
    dataset[TAG.burnedInAnnotation] = { vr: 'CS', Value: ['NO'] };
  }
  dataset[TAG.deidentificationMethod] = { vr: 'LO', Value: method.map((line) => line.slice(0, 64)) };
  dataset[TAG.deidentificationMethodCodeSequence] = { vr: 'SQ', Value: codes.map(codeItem) };
  return { dataset, report: cleaner.report };
}
