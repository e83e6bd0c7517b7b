/**
 * Assembles small DICOM files in memory for tests: Part 10 or bare data sets, explicit or
 * implicit VR, native or encapsulated pixel data with or without offset tables. Only what the
 * DICOM layer's tests need; not a general writer.
 */

export type ElementValue = string | number[] | Uint8Array | ElementSpec[][];

export interface ElementSpec {
  /** 0xGGGGEEEE */
  tag: number;
  vr: string;
  /** Strings for text VRs (DS/IS too), numbers for binary VRs, bytes for OB/OW/UN, items for SQ. */
  value: ElementValue;
}

export type PixelDataSpec =
  | { kind: 'native'; bytes: Uint8Array; vr?: 'OB' | 'OW' }
  | {
      kind: 'encapsulated';
      fragments: Uint8Array[];
      /** Offsets for the Basic Offset Table; 'empty' writes an empty table item. Default empty. */
      basicOffsetTable?: number[] | 'empty';
      /** Writes an Extended Offset Table with one entry per fragment (one fragment per frame). */
      extendedOffsetTable?: boolean;
      omitSequenceDelimiter?: boolean;
    };

export interface BuildOptions {
  elements: ElementSpec[];
  transferSyntaxUID?: string;
  /** 'part10' (default): preamble, DICM, File Meta. 'raw': the data set alone. 'meta-without-preamble': File Meta at byte 0. */
  layout?: 'part10' | 'raw' | 'meta-without-preamble';
  mediaStorageSOPClassUID?: string;
  pixelData?: PixelDataSpec;
}

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

interface Encoding {
  explicit: boolean;
  littleEndian: boolean;
}

export function buildDicom(options: BuildOptions): Uint8Array {
  const transferSyntaxUID = options.transferSyntaxUID ?? '1.2.840.10008.1.2.1';
  const encoding: Encoding = { explicit: transferSyntaxUID !== IMPLICIT_LE, littleEndian: transferSyntaxUID !== EXPLICIT_BE };
  const sorted = [...options.elements].sort((a, b) => a.tag - b.tag);
  const parts: Uint8Array[] = [];
  const layout = options.layout ?? 'part10';
  if (layout === 'part10') parts.push(preamble());
  if (layout !== 'raw') parts.push(fileMeta(options, transferSyntaxUID));
  for (const element of sorted) parts.push(encodeElement(element, encoding));
  if (options.pixelData) parts.push(encodePixelData(options.pixelData, encoding));
  return concat(parts);
}

function preamble(): Uint8Array {
  const bytes = new Uint8Array(132);
  bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
  return bytes;
}

function fileMeta(options: BuildOptions, transferSyntaxUID: string): Uint8Array {
  const find = (tag: number) => options.elements.find((e) => e.tag === tag)?.value;
  const sopClass = options.mediaStorageSOPClassUID ?? (find(0x00080016) as string | undefined) ?? '1.2.840.10008.5.1.4.1.1.7';
  const sopInstance = (find(0x00080018) as string | undefined) ?? '1.2.3.4.5';
  const le: Encoding = { explicit: true, littleEndian: true };
  const body = concat([
    encodeElement({ tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) }, le),
    encodeElement({ tag: 0x00020002, vr: 'UI', value: sopClass }, le),
    encodeElement({ tag: 0x00020003, vr: 'UI', value: sopInstance }, le),
    encodeElement({ tag: 0x00020010, vr: 'UI', value: transferSyntaxUID }, le),
    encodeElement({ tag: 0x00020012, vr: 'UI', value: '1.2.3.999' }, le),
  ]);
  return concat([encodeElement({ tag: 0x00020000, vr: 'UL', value: [body.length] }, le), body]);
}

export function encodeElement(element: ElementSpec, encoding: Encoding): Uint8Array {
  const value = encodeValue(element, encoding);
  return concat([elementHeader(element.tag, element.vr, value.length, encoding), value]);
}

function elementHeader(tag: number, vr: string, length: number, encoding: Encoding): Uint8Array {
  const group = tag >>> 16;
  // Group 0002 is always explicit little endian.
  const little = encoding.littleEndian || group === 0x0002;
  if (!encoding.explicit && group !== 0x0002) {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint16(0, group, true);
    view.setUint16(2, tag & 0xffff, true);
    view.setUint32(4, length, true);
    return out;
  }
  const long = LONG_LENGTH_VRS.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, little);
  view.setUint16(2, tag & 0xffff, little);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, little);
  else view.setUint16(6, length, little);
  return out;
}

function encodeValue(element: ElementSpec, encoding: Encoding): Uint8Array {
  const { vr, value } = element;
  const little = encoding.littleEndian || element.tag >>> 16 === 0x0002;
  if (vr === 'SQ') return encodeItems(value as ElementSpec[][], encoding);
  if (value instanceof Uint8Array) return padEven(value, 0);
  if (typeof value === 'string') return padEven(new TextEncoder().encode(value), vr === 'UI' ? 0 : 0x20);
  return encodeNumbers(vr, value as number[], little);
}

function encodeNumbers(vr: string, values: number[], little: boolean): Uint8Array {
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, OW: 2, AT: 2, OV: 8 }[vr] ?? 2;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    const at = i * size;
    if (vr === 'SS') view.setInt16(at, v, little);
    else if (vr === 'UL') view.setUint32(at, v, little);
    else if (vr === 'SL') view.setInt32(at, v, little);
    else if (vr === 'FL') view.setFloat32(at, v, little);
    else if (vr === 'FD') view.setFloat64(at, v, little);
    else if (vr === 'OV') view.setBigUint64(at, BigInt(v), little);
    else view.setUint16(at, v, little);
  });
  return out;
}

function encodeItems(items: ElementSpec[][], encoding: Encoding): Uint8Array {
  return concat(
    items.map((item) => {
      const body = concat([...item].sort((a, b) => a.tag - b.tag).map((e) => encodeElement(e, encoding)));
      return concat([itemHeader(0xe000, body.length, encoding.littleEndian), body]);
    }),
  );
}

function itemHeader(element: number, length: number, little = true): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, little);
  view.setUint16(2, element, little);
  view.setUint32(4, length, little);
  return out;
}

function encodePixelData(spec: PixelDataSpec, encoding: Encoding): Uint8Array {
  if (spec.kind === 'native') {
    return encodeElement({ tag: 0x7fe00010, vr: spec.vr ?? 'OW', value: spec.bytes }, encoding);
  }
  const parts: Uint8Array[] = [];
  if (spec.extendedOffsetTable) parts.push(...extendedOffsetTable(spec.fragments, encoding));
  parts.push(elementHeader(0x7fe00010, 'OB', 0xffffffff, encoding));
  const table = spec.basicOffsetTable === undefined || spec.basicOffsetTable === 'empty' ? [] : spec.basicOffsetTable;
  parts.push(itemHeader(0xe000, table.length * 4), encodeNumbers('UL', table, true));
  for (const fragment of spec.fragments) parts.push(itemHeader(0xe000, fragment.length), fragment);
  if (!spec.omitSequenceDelimiter) parts.push(itemHeader(0xe0dd, 0));
  return concat(parts);
}

function extendedOffsetTable(fragments: Uint8Array[], encoding: Encoding): Uint8Array[] {
  const offsets: number[] = [];
  let at = 0;
  for (const fragment of fragments) {
    offsets.push(at);
    at += 8 + fragment.length;
  }
  return [
    encodeElement({ tag: 0x7fe00001, vr: 'OV', value: encodeNumbers('OV', offsets, true) }, encoding),
    encodeElement(
      {
        tag: 0x7fe00002,
        vr: 'OV',
        value: encodeNumbers(
          'OV',
          fragments.map((f) => f.length),
          true,
        ),
      },
      encoding,
    ),
  ];
}

/** Offsets of each fragment's item from the first fragment: a BOT for one fragment per frame. */
export function offsetsOf(fragments: Uint8Array[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const fragment of fragments) {
    offsets.push(at);
    at += 8 + fragment.length;
  }
  return offsets;
}

function padEven(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shorthands for the attributes most tests need.

export const el = (tag: number, vr: string, value: ElementValue): ElementSpec => ({ tag, vr, value });

/** A minimal image: identifiers and an Image Pixel module. */
export function imageElements(options: {
  rows: number;
  columns: number;
  bitsAllocated?: number;
  /** Bits Stored and High Bit (default: the whole word from bit 0). */
  bitsStored?: number;
  highBit?: number;
  frames?: number;
  sopInstanceUID?: string;
  seriesUID?: string;
  studyUID?: string;
  sopClassUID?: string;
  extra?: ElementSpec[];
}): ElementSpec[] {
  const bits = options.bitsAllocated ?? 8;
  const elements = [
    el(0x00080016, 'UI', options.sopClassUID ?? '1.2.840.10008.5.1.4.1.1.12.1'),
    el(0x00080018, 'UI', options.sopInstanceUID ?? '1.2.3.4.5'),
    el(0x00080060, 'CS', 'XA'),
    el(0x0020000d, 'UI', options.studyUID ?? '1.2.3.4'),
    el(0x0020000e, 'UI', options.seriesUID ?? '1.2.3.4.1'),
    el(0x00280002, 'US', [1]),
    el(0x00280004, 'CS', 'MONOCHROME2'),
    el(0x00280010, 'US', [options.rows]),
    el(0x00280011, 'US', [options.columns]),
    el(0x00280100, 'US', [bits]),
    el(0x00280101, 'US', [options.bitsStored ?? bits]),
    el(0x00280102, 'US', [options.highBit ?? (options.bitsStored ?? bits) - 1]),
    el(0x00280103, 'US', [0]),
  ];
  if (options.frames !== undefined) elements.push(el(0x00280008, 'IS', String(options.frames)));
  return [...elements, ...(options.extra ?? [])];
}
