/**
 * Helpers for the teaching-export tests: a marker-filled XA file built from PS3.15 Table E.1-1
 * itself, a read-only file-backed ByteSource, and wrappers around tools nobody here wrote
 * (dciodvfy, dcmdump, dicom-parser) to check what the exporter writes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import type * as DicomParserTypes from 'dicom-parser';
import type { ByteSource } from '../../src/dicom/types';
import { dicomParser } from '../support/samples';

// ---------------------------------------------------------------------------------------------
// Files and bytes

/** Reads a file on disk through a read-only descriptor, as the browser reads a File: by slices. */
export function fileSource(path: string, name = path.split('/').pop()!): ByteSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  closeSync(fd);
  return {
    name,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, size));
      const count = Math.max(0, Math.min(length, size - start));
      const out = new Uint8Array(count);
      const handle = openSync(path, 'r');
      try {
        readSync(handle, out, 0, count, start);
      } finally {
        closeSync(handle);
      }
      return out;
    },
  };
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk.slice());
  return Buffer.concat(parts);
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256')
    .update(typeof bytes === 'string' ? readFileSync(bytes) : bytes)
    .digest('hex');
}

/** Byte offsets of `needle` in `haystack` (Latin-1 view), for the marker scan. */
export function findAll(haystack: Buffer, needle: string): number[] {
  const hits: number[] = [];
  for (let at = haystack.indexOf(needle, 0, 'latin1'); at >= 0; at = haystack.indexOf(needle, at + 1, 'latin1')) hits.push(at);
  return hits;
}

// ---------------------------------------------------------------------------------------------
// External tools

/** The tool's path when it is installed (.ci/run installs DCMTK and dicom3tools), else null. */
export function which(tool: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return null;
}

/** ../shared/dicom-corpus, read in place; corpusFile throws, naming the folder, when a file is missing. */
export { corpusFile } from '../support/corpus';

/** dciodvfy's error lines, with quoted values and UIDs taken out so input and output compare. */
export function dciodvfyErrors(path: string): string[] {
  const result = spawnSync('dciodvfy', [path], { encoding: 'latin1' });
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.startsWith('Error'));
  const normalized = lines.map((line) =>
    line
      .replace(/(value|=) <[^>]*>/g, '$1 <>')
      .replace(/\d+(\.\d+){3,}/g, 'UID')
      .trim(),
  );
  return [...new Set(normalized)];
}

/** dcmdump's verdict: exit status and the E:/W: lines it printed. */
export function dcmdump(path: string, args: string[] = []): { status: number | null; problems: string[]; text: string } {
  const result = spawnSync('dcmdump', [...args, path], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  const problems = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /^[EF]:/.test(line));
  return { status: result.status, problems, text: result.stdout };
}

/** Basic Offset Table and fragments (bytes) of encapsulated Pixel Data, read by dicom-parser. */
export function encapsulatedLayout(bytes: Uint8Array): { basicOffsetTable: number[]; fragments: Buffer[] } {
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements.x7fe00010;
  if (!element.encapsulatedPixelData) throw new Error('not encapsulated');
  return {
    basicOffsetTable: [...(element.basicOffsetTable ?? [])],
    fragments: (element.fragments ?? []).map((f) => Buffer.from(bytes.subarray(f.position, f.position + f.length))),
  };
}

export function parse(bytes: Uint8Array): DicomParserTypes.DataSet {
  return dicomParser.parseDicom(bytes);
}

/** Every tag in a data set, items included, as "xggggeeee". */
export function allTags(dataSet: DicomParserTypes.DataSet): string[] {
  const tags: string[] = [];
  for (const [tag, element] of Object.entries(dataSet.elements)) {
    tags.push(tag);
    for (const item of element.items ?? []) if (item.dataSet) tags.push(...allTags(item.dataSet));
  }
  return tags;
}

/** Modification time and date (DOS format) of every entry in a zip's central directory. */
export function zipEntryTimes(zip: Uint8Array): { name: string; time: number; date: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: { name: string; time: number; date: number }[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      time: view.getUint16(at + 12, true),
      date: view.getUint16(at + 14, true),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// The marker file

interface DcmElement {
  vr: string;
  Value: unknown[];
}
type DcmDataset = Record<string, DcmElement>;

interface TableRow {
  id: string;
  name: string;
  basicProfile: string;
}

export const TABLE = JSON.parse(
  readFileSync(new URL('../../src/export/deid/data/confidentiality_profile_attributes.2024e.json', import.meta.url), 'utf8'),
) as TableRow[];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Marker values for row i of the table, one per VR. Text markers "QZ042X" are unique; dates,
 * times and numbers are marker-derived values that are unique in the file (dates fall in
 * 1931–1932, which a shift of three years or more moves out of). `scan` lists what must never
 * appear in an output; binary numbers cannot be scanned and are checked by parsing instead.
 */
export function markerValue(i: number, vr: string, vm: string): { value: unknown[]; scan: string[] } {
  const text = `QZ${pad(i, 3)}X`;
  const date = new Date(Date.UTC(1931, 0, 1) + i * 86_400_000);
  const da = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
  const tm = `1${pad(i % 10, 1)}${pad(i % 60, 2)}${pad((i * 7) % 60, 2)}.${pad(i, 6)}`;
  const count = vm === '3' ? 3 : vm === '4' ? 4 : 1;
  switch (vr) {
    case 'AE':
    case 'CS':
    case 'LO':
    case 'LT':
    case 'SH':
    case 'ST':
    case 'UC':
    case 'UT':
      return { value: [text], scan: [text] };
    case 'PN':
      return { value: [{ Alphabetic: `${text}^QY${pad(i, 3)}G` }], scan: [text, `QY${pad(i, 3)}G`] };
    case 'AS':
      return { value: [`${pad((i % 90) + 10, 3)}Y`], scan: [] };
    case 'DA':
      return { value: [da], scan: [da] };
    case 'TM':
      return { value: [tm], scan: [tm] };
    case 'DT':
      return { value: [`${da}${tm}`], scan: [`${da}${tm}`, da] };
    case 'DS': {
      const values = Array.from({ length: count }, (_, k) => `${i}.31${k}15`);
      return { value: values, scan: values };
    }
    case 'IS':
      return { value: [`9${pad(i, 3)}17`], scan: [`9${pad(i, 3)}17`] };
    case 'UI':
      return { value: [`1.2.826.0.1.3680043.10.999.${i}`], scan: [`1.2.826.0.1.3680043.10.999.${i}`] };
    case 'UR':
      return { value: [`https://${text.toLowerCase()}.example/`], scan: [text.toLowerCase()] };
    case 'OB':
    case 'UN':
      return { value: [new TextEncoder().encode(`${text}..`).buffer], scan: [text] };
    case 'US':
      return { value: [4000 + i], scan: [] };
    case 'SQ':
      return {
        value: [
          {
            '00080100': { vr: 'SH', Value: [`QC${pad(i, 3)}V`] },
            '00080102': { vr: 'SH', Value: ['99QZ'] },
            '00080104': { vr: 'LO', Value: [`${text} meaning`] },
          },
        ],
        scan: [text, `QC${pad(i, 3)}V`],
      };
    default:
      throw new Error(`no marker for VR ${vr}`);
  }
}

export interface MarkerFile {
  readonly bytes: Uint8Array;
  /** Every string that must not appear in any exported byte, with what it stands for. */
  readonly markers: Map<string, string>;
  /** Tags (GGGGEEEE) of binary-valued table attributes, which must be gone or emptied. */
  readonly binaryTags: string[];
  readonly sopInstanceUID: string;
  readonly patientFamilyName: string;
  readonly frameCount: number;
}

const dictionary = (dcmjs as { data: { DicomMetaDictionary: { dictionary: Record<string, { vr: string; vm: string }> } } }).data
  .DicomMetaDictionary.dictionary;

/** Rows skipped, and why: group 0000 holds DIMSE command elements, which a file's data set may not contain. */
export const SKIPPED_ROWS = (row: TableRow): string | null =>
  row.id.startsWith('0000') ? 'command group 0000: not allowed in a data set' : row.id === '00020003' ? 'File Meta: set below' : null;

/**
 * An XA file with every Table E.1-1 attribute filled with a marker (built on a sample run, whose
 * pixels it keeps), plus private elements, a curve group, an overlay group, an icon image, a
 * digital signature and trailing padding, and the patient's name inside a date, a description, an
 * unlisted text attribute and a nested code meaning. Biplane: Image Type BIPLANE A/B with a
 * Referenced Image Sequence naming the other plane's SOP Instance UID, sharing study, frame of
 * reference and irradiation event with it (each plane is its own series).
 */
export function buildMarkerFile(base: Uint8Array, plane: 'A' | 'B'): MarkerFile {
  const source = dcmjs.data.DicomMessage.readFile(base.buffer.slice(base.byteOffset, base.byteOffset + base.byteLength));
  const dict = source.dict as DcmDataset;
  const markers = new Map<string, string>();
  const binaryTags: string[] = [];
  TABLE.forEach((row, i) => {
    if (!/^[0-9a-f]{8}$/.test(row.id) || SKIPPED_ROWS(row)) return;
    const tag = row.id.toUpperCase();
    const entry = dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`];
    const { value, scan } = markerValue(i, entry.vr, entry.vm);
    dict[tag] = { vr: entry.vr, Value: value };
    for (const s of scan) markers.set(s, `${row.name.split('\n')[0].trim()} (${tag})`);
    if (scan.length === 0) binaryTags.push(tag);
  });
  const rowIndex = (id: string): number => TABLE.findIndex((r) => r.id === id.toLowerCase());
  const family = `QZ${pad(rowIndex('00100010'), 3)}X`;
  // One SOP Instance UID per plane; the rest of the patient's UIDs are shared by both files.
  const sopOf = (p: 'A' | 'B'): string => `1.2.826.0.1.3680043.10.999.${rowIndex('00080018')}.${p === 'A' ? 1 : 2}`;
  const sop = sopOf(plane);
  const referencedSop = sopOf(plane === 'A' ? 'B' : 'A');
  dict['00080018'] = { vr: 'UI', Value: [sop] };
  markers.set(sop, 'SOP Instance UID');
  const series = `1.2.826.0.1.3680043.10.999.${rowIndex('0020000e')}.${plane === 'A' ? 1 : 2}`;
  dict['0020000E'] = { vr: 'UI', Value: [series] };
  markers.set(series, 'Series Instance UID');
  dict['00080008'] = { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', `BIPLANE ${plane}`] };
  dict['00081140'] = {
    vr: 'SQ',
    Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.12.1'] }, '00081155': { vr: 'UI', Value: [referencedSop] } }],
  };
  dict['00280301'] = { vr: 'CS', Value: ['NO'] };
  // Names where they do not belong.
  dict['00080021'] = { vr: 'DA', Value: [family] };
  dict['00081030'] = { vr: 'LO', Value: [`Angio of ${family} QY${pad(rowIndex('00100010'), 3)}G`] };
  dict['00081090'] = { vr: 'LO', Value: [`Unit of ${family}`] };
  dict['00082218'] = {
    vr: 'SQ',
    Value: [
      {
        '00080100': { vr: 'SH', Value: ['T-D4000'] },
        '00080102': { vr: 'SH', Value: ['SRT'] },
        '00080104': { vr: 'LO', Value: [`Spine of ${family}`] },
      },
    ],
  };
  // Private elements, top level and nested.
  dict['00090010'] = { vr: 'LO', Value: ['QZPRIVATECREATOR'] };
  dict['00091001'] = { vr: 'LO', Value: ['QZPRIVATEVALUE'] };
  dict['00091002'] = { vr: 'OB', Value: [new TextEncoder().encode('QZPRIVATEBYTES').buffer] };
  (dict['00082218'].Value[0] as DcmDataset)['00110010'] = { vr: 'LO', Value: ['QZNESTEDCREATOR'] };
  (dict['00082218'].Value[0] as DcmDataset)['00111001'] = { vr: 'LO', Value: ['QZNESTEDPRIVATE'] };
  // Curve, overlay, icon.
  Object.assign(dict, {
    '50000005': { vr: 'US', Value: [1] },
    '50000010': { vr: 'US', Value: [8] },
    '50000020': { vr: 'CS', Value: ['ECG'] },
    '50002500': { vr: 'LO', Value: ['QZCURVELABEL'] },
    '50003000': { vr: 'OW', Value: [new TextEncoder().encode('QZCURVEDATA!QZCU').buffer] },
    '60000010': { vr: 'US', Value: [16] },
    '60000011': { vr: 'US', Value: [16] },
    '60000022': { vr: 'LO', Value: ['QZOVERLAYDESC'] },
    '60000040': { vr: 'CS', Value: ['G'] },
    '60000050': { vr: 'SS', Value: [1, 1] },
    '60000100': { vr: 'US', Value: [1] },
    '60000102': { vr: 'US', Value: [0] },
    '60003000': { vr: 'OW', Value: [new TextEncoder().encode('QZOVERLAYDATA!!!QZOVERLAYDATA!!!').buffer] },
    '60004000': { vr: 'LT', Value: ['QZOVERLAYCOMMENTS'] },
  });
  dict['00880200'] = {
    vr: 'SQ',
    Value: [
      {
        '00280002': { vr: 'US', Value: [1] },
        '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
        '00280010': { vr: 'US', Value: [2] },
        '00280011': { vr: 'US', Value: [8] },
        '00280100': { vr: 'US', Value: [8] },
        '00280101': { vr: 'US', Value: [8] },
        '00280102': { vr: 'US', Value: [7] },
        '00280103': { vr: 'US', Value: [0] },
        '7FE00010': { vr: 'OB', Value: [new TextEncoder().encode('QZICONPIXELS!!!!').buffer] },
      },
    ],
  };
  for (const m of [
    'QZPRIVATECREATOR',
    'QZPRIVATEVALUE',
    'QZPRIVATEBYTES',
    'QZNESTEDCREATOR',
    'QZNESTEDPRIVATE',
    'QZCURVELABEL',
    'QZCURVEDATA',
    'QZOVERLAYDESC',
    'QZOVERLAYDATA',
    'QZOVERLAYCOMMENTS',
    'QZICONPIXELS',
  ]) {
    markers.set(m, 'extra marker');
  }
  const meta = source.meta as DcmDataset;
  meta['00020003'] = { vr: 'UI', Value: [sop] };
  const written = new dcmjs.data.DicomDict(meta);
  written.dict = dict;
  const bytes = new Uint8Array(written.write({ fragmentMultiframe: false }));
  const frameCount = Number((dict['00280008']?.Value ?? [1])[0]);
  return { bytes, markers, binaryTags, sopInstanceUID: sop, patientFamilyName: family, frameCount };
}
