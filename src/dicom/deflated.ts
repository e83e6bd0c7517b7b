import { inflate, unzlib, type FlateCallback } from 'fflate';
import { DicomInputError } from './types';
import { TS } from './uids';

/**
 * Deflated Explicit VR Little Endian (PS3.5 A.5): everything after the File Meta Information is one
 * DEFLATE stream (RFC 1951, no zlib header) of an explicit VR little endian data set. A stream
 * cannot be read from the middle, so such a file is inflated whole when its header is read and is
 * read from memory after. The copy's File Meta group names Explicit VR Little Endian (its group
 * length adjusted), as its bytes now are; everything else is the file's own. Pure.
 */

/** VRs whose explicit-VR header has two reserved bytes and a 32-bit length (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

interface MetaLayout {
  /** Offset of the first byte after the File Meta group: the deflated stream. */
  end: number;
  /** Offset of the File Meta Information Group Length's value (UL), if the group has one. */
  groupLengthValue: number | null;
  /** Where the Transfer Syntax UID element starts and ends (header and value). */
  transferSyntax: { start: number; end: number } | null;
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000;
}

/** Walks the File Meta group (always explicit VR little endian) that starts at `start`. */
function metaLayout(name: string, bytes: Uint8Array, start: number): MetaLayout {
  let at = start;
  let groupLengthValue: number | null = null;
  let transferSyntax: MetaLayout['transferSyntax'] = null;
  while (at + 8 <= bytes.length && u16(bytes, at) === 0x0002) {
    const element = u16(bytes, at + 2);
    const vr = String.fromCharCode(bytes[at + 4], bytes[at + 5]);
    const long = LONG_VRS.has(vr);
    if (long && at + 12 > bytes.length) break;
    const length = long ? u32(bytes, at + 8) : u16(bytes, at + 6);
    const valueStart = at + (long ? 12 : 8);
    const next = valueStart + length;
    if (length === 0xffffffff || next > bytes.length) {
      throw new DicomInputError(name, 'the File Meta Information is damaged (an element runs past the end of the file)');
    }
    if (element === 0x0000 && vr === 'UL' && length === 4) groupLengthValue = valueStart;
    if (element === 0x0010) transferSyntax = { start: at, end: next };
    at = next;
  }
  return { end: at, groupLengthValue, transferSyntax };
}

/** fflate's asynchronous form (inflated in a worker of its own, so a large file does not hold the page) as a promise. */
function expanded(expand: (data: Uint8Array, cb: FlateCallback) => unknown, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    expand(data, (error, out) => (error ? reject(error) : resolve(out)));
  });
}

/** The deflated data set inflated; a zlib wrapper (written by some tools against the standard) is accepted too. */
async function inflateDataSet(name: string, stream: Uint8Array): Promise<Uint8Array> {
  try {
    return await expanded(inflate, stream);
  } catch (rawError) {
    // 0x78 is the first byte of a zlib header (deflate, 32 KiB window).
    if (stream[0] === 0x78) {
      try {
        return await expanded(unzlib, stream);
      } catch {
        // Reported below as the raw stream's fault.
      }
    }
    const reason = rawError instanceof Error ? rawError.message : String(rawError);
    throw new DicomInputError(name, `the deflated data set cannot be inflated (${reason}): the file is damaged`);
  }
}

/**
 * The whole file `bytes` (File Meta group at `metaStart`: 132 after the preamble and "DICM", or 0)
 * with its data set inflated and its File Meta naming Explicit VR Little Endian.
 */
export async function inflateDeflatedFile(name: string, bytes: Uint8Array, metaStart: number): Promise<Uint8Array> {
  const meta = metaLayout(name, bytes, metaStart);
  if (!meta.transferSyntax) throw new DicomInputError(name, 'the File Meta Information has no Transfer Syntax UID (0002,0010)');
  // A copy: fflate hands its input to the worker, and the caller's bytes may be a view of more.
  const dataSet = await inflateDataSet(name, bytes.slice(meta.end));
  // UI values are padded to an even length with a NUL (PS3.5 6.2).
  const uid = `${TS.explicitLittle}\0`;
  const element = new Uint8Array(8 + uid.length);
  element.set([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, uid.length & 0xff, uid.length >> 8]);
  for (let i = 0; i < uid.length; i++) element[8 + i] = uid.charCodeAt(i);
  const { start, end } = meta.transferSyntax;
  const delta = element.length - (end - start);
  const out = new Uint8Array(meta.end + delta + dataSet.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(element, start);
  out.set(bytes.subarray(end, meta.end), start + element.length);
  out.set(dataSet, meta.end + delta);
  if (meta.groupLengthValue !== null && meta.groupLengthValue < start) {
    const length = u32(bytes, meta.groupLengthValue) + delta;
    new DataView(out.buffer).setUint32(meta.groupLengthValue, length, true);
  }
  return out;
}
