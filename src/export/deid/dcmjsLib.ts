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

/** Reads a Part 10 header (preamble, DICM, File Meta, data set) up to, not including, Pixel Data. */
export function readPart10Header(bytes: Uint8Array): { meta: DcmDataset; dataset: DcmDataset } {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dict = dcmjs.data.DicomMessage.readFile(buffer, { untilTag: '7FE00010', includeUntilTagValue: false, ignoreErrors: false });
  delete dict.dict['7FE00010'];
  return { meta: dict.meta, dataset: dict.dict };
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
