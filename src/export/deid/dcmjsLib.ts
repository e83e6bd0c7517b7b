/**
 * The little of dcmjs the de-identifier uses, typed. We work on dcmjs's *denaturalized* data set
 * (tag → { vr, Value }) rather than its naturalized one: naturalizing drops private elements
 * silently, and we want to see them so that removing them is our decision, counted in the report.
 *
 * dcmjs logs through loglevel and some of its warnings quote element values (patient data). No
 * patient data may reach the console, so its logger is silenced here, once, for the whole app.
 */
import * as namespace from 'dcmjs';

/** One element as dcmjs holds it. Value shapes by VR: strings (text VRs), numbers (binary and
 * DS/IS), { Alphabetic, Ideographic?, Phonetic? } (PN), [ArrayBuffer] (OB/OW/UN), items (SQ). */
export interface DcmElement {
  vr: string;
  Value?: unknown[];
  /** The value as read, before dcmjs's formatting; written back when Value was not changed. */
  _rawValue?: unknown;
}
export type DcmDataset = Record<string, DcmElement>;

interface DcmDict {
  meta: DcmDataset;
  dict: DcmDataset;
  write(options?: { fragmentMultiframe?: boolean; allowInvalidVRLength?: boolean }): ArrayBuffer;
}

interface DictionaryEntry {
  tag: string;
  vr: string;
  name: string;
  vm: string;
}

interface DcmjsLib {
  data: {
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DcmDict };
    DicomDict: new (meta: DcmDataset) => DcmDict;
    DicomMetaDictionary: { dictionary: Record<string, DictionaryEntry> };
  };
  log: { setLevel(level: string): void };
}

const withDefault = namespace as unknown as { default?: DcmjsLib } & Partial<DcmjsLib>;
const dcmjs: DcmjsLib = (withDefault.data ? withDefault : withDefault.default) as DcmjsLib;
dcmjs.log.setLevel('silent');

/**
 * Reads a Part 10 header (preamble, DICM, File Meta, data set) up to, not including, Pixel Data.
 * Text comes back as JavaScript strings, and Specific Character Set as "ISO_IR 192" (dcmjs writes
 * UTF-8). dcmjs 0.52 applies the declared character set only at the top level and decodes text
 * inside sequence items as Latin-1; that text is decoded again here with the declared set, so a
 * name in a nested item is the same string as at the top level (and the identity check finds it).
 */
export function readPart10Header(bytes: Uint8Array): { meta: DcmDataset; dataset: DcmDataset } {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dict = dcmjs.data.DicomMessage.readFile(buffer, { untilTag: '7FE00010', includeUntilTagValue: false, ignoreErrors: false });
  delete dict.dict['7FE00010'];
  const declared = dict.dict['00080005'];
  const charset = String((Array.isArray(declared?._rawValue) ? declared._rawValue[0] : undefined) ?? '');
  const decoder = nestedTextDecoder(charset);
  if (decoder) for (const element of Object.values(dict.dict)) if (element.vr === 'SQ') redecodeItems(element, decoder);
  return { meta: dict.meta, dataset: dict.dict };
}

const TEXT_VRS = new Set(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

/** The decoder for the declared set, or null when Latin-1 was right (ASCII, ISO_IR 100) or the set is unknown. */
function nestedTextDecoder(charset: string): TextDecoder | null {
  const name = charset
    .trim()
    .replace(/[_ ]/g, '-')
    .toLowerCase()
    .replace(/^iso-2022-/, 'iso-');
  if (name === '' || name === 'iso-ir-6' || name === 'iso-ir-100') return null;
  const label =
    { 'iso-ir-192': 'utf-8', 'iso-ir-13': 'shift_jis', 'iso-ir-166': 'tis-620', 'iso-ir-149': 'euc-kr', 'iso-ir-87': 'iso-2022-jp' }[
      name
    ] ?? name;
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return null;
  }
}

function redecodeItems(sequence: DcmElement, decoder: TextDecoder): void {
  for (const item of (sequence.Value ?? []) as DcmDataset[]) {
    for (const element of Object.values(item)) {
      if (element.vr === 'SQ') redecodeItems(element, decoder);
      else if (TEXT_VRS.has(element.vr) && element.Value) {
        element.Value = element.Value.map((value) => redecodeValue(value, decoder));
        delete element._rawValue;
      }
    }
  }
}

function redecodeValue(value: unknown, decoder: TextDecoder): unknown {
  if (typeof value === 'string') return redecode(value, decoder);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, typeof part === 'string' ? redecode(part, decoder) : part]));
  }
  return value;
}

/** A string read as Latin-1 is its bytes, one per character: decode those bytes as they were meant. */
function redecode(text: string, decoder: TextDecoder): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return text;
    if (code > 0x7f) plain = false;
  }
  if (plain) return text;
  try {
    return decoder.decode(Uint8Array.from(text, (ch) => ch.charCodeAt(0)));
  } catch {
    return text;
  }
}

/** Writes preamble, File Meta (with its group length) and the data set, in the meta's transfer syntax. */
export function writePart10(meta: DcmDataset, dataset: DcmDataset): Uint8Array {
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataset;
  return new Uint8Array(dict.write({ fragmentMultiframe: false }));
}

/** The standard dictionary's entry for a tag ("GGGGEEEE"), e.g. { name: 'StudyDate', vr: 'DA' }. */
export function dictionaryEntry(tag: string): DictionaryEntry | undefined {
  return dcmjs.data.DicomMetaDictionary.dictionary[`(${tag.slice(0, 4)},${tag.slice(4, 8)})`];
}
