import { dicomParser } from './parserLib';
import type { DataSet, Element } from 'dicom-parser';
import { DicomInputError, NotDicomError } from './types';
import type { ByteSource, ParsedHeader, PixelDataLocation } from './types';
import { TS, isImplicitVrTransferSyntax } from './uids';
import { bufferSource } from './byteSource';
import { inflateDeflatedFile } from './deflated';

export type { ParsedHeader, PixelDataLocation } from './types';

/**
 * Reading the header of one file: only the bytes before the pixel data, sniffed by content.
 *
 * Cost: one 64 KiB read for nearly every file. A header that does not fit (large private
 * groups, embedded ECG curves, icon images) is re-read 4× larger until Pixel Data is reached or
 * the whole file is read; a file without Pixel Data (SR, DICOMDIR) is therefore read whole.
 */

const FIRST_SLICE_BYTES = 64 * 1024;
const SLICE_GROWTH = 4;
const PIXEL_DATA = 'x7fe00010';
const PREAMBLE_AND_MAGIC = 132;

/** How the file's bytes are laid out, as sniffed from its first bytes. */
type Layout =
  | { kind: 'part10' }
  /** File Meta group at byte 0 with no preamble: parsed as if a preamble were there. */
  | { kind: 'meta-without-preamble' }
  /** A bare data set (no preamble, no File Meta), in the transfer syntax sniffed from its first element. */
  | { kind: 'raw'; transferSyntaxUID: string };

type SliceOutcome =
  | { kind: 'parsed'; header: ParsedHeader }
  | { kind: 'need-more'; reasonIfWhole: string }
  /** Deflated Explicit VR Little Endian: read whole and inflated (deflated.ts). */
  | { kind: 'deflated' };

export async function readHeader(source: ByteSource): Promise<ParsedHeader> {
  if (source.size === 0) throw new NotDicomError(source.name, 'empty file');
  let sliceBytes = Math.min(FIRST_SLICE_BYTES, source.size);
  let layout: Layout | null = null;
  for (;;) {
    const bytes = await source.read(0, sliceBytes);
    if (bytes.length === 0) throw new NotDicomError(source.name, 'empty file');
    layout ??= sniffLayout(source.name, bytes);
    const outcome = parseSlice(source, bytes, layout);
    if (outcome.kind === 'parsed') return outcome.header;
    if (outcome.kind === 'deflated') return readDeflated(source, bytes, layout);
    // sliceBytes too: a source that returns short reads must not make us ask forever.
    if (bytes.length >= source.size || sliceBytes >= source.size) throw new DicomInputError(source.name, outcome.reasonIfWhole);
    sliceBytes = Math.min(sliceBytes * SLICE_GROWTH, source.size);
  }
}

/**
 * A deflated file, inflated whole into memory (deflated.ts) and read from there: frames are read
 * from the inflated copy, which says Explicit VR Little Endian, as its bytes are.
 */
async function readDeflated(source: ByteSource, slice: Uint8Array, layout: Layout): Promise<ParsedHeader> {
  const whole = slice.length >= source.size ? slice : await source.read(0, source.size);
  if (whole.length < source.size) throw new DicomInputError(source.name, cutOffReason(source.size, 'in the deflated data set'));
  const inflated = await inflateDeflatedFile(source.name, whole, layout.kind === 'part10' ? PREAMBLE_AND_MAGIC : 0);
  const header = await readHeader(bufferSource(source.name, inflated));
  header.warnings.push('stored as Deflated Explicit VR Little Endian; inflated whole when opened');
  return header;
}

// ---------------------------------------------------------------------------------------------
// Sniffing

const KNOWN_VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function u16le(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

function u16be(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

function u32le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16)) + bytes[offset + 3] * 0x1000000;
}

/** The first group of a real data set is a low, even group (almost always 0008). */
function isPlausibleFirstGroup(group: number): boolean {
  return group >= 0x0008 && group <= 0x0028 && group % 2 === 0;
}

function sniffLayout(name: string, bytes: Uint8Array): Layout {
  if (ascii(bytes, 128, 4) === 'DICM') return { kind: 'part10' };
  if (bytes.length < 8) throw notDicom(name);
  if (u16le(bytes, 0) === 0x0002 && KNOWN_VRS.has(ascii(bytes, 4, 2))) return { kind: 'meta-without-preamble' };
  const transferSyntaxUID = sniffRawTransferSyntax(bytes);
  if (!transferSyntaxUID) throw notDicom(name);
  return { kind: 'raw', transferSyntaxUID };
}

/** Guesses the transfer syntax of a bare data set from its first element, or null if it is not one. */
function sniffRawTransferSyntax(bytes: Uint8Array): string | null {
  const explicitVr = KNOWN_VRS.has(ascii(bytes, 4, 2));
  if (isPlausibleFirstGroup(u16le(bytes, 0))) {
    if (explicitVr) return TS.explicitLittle;
    // Implicit VR: bytes 4..8 are a 32-bit length; a first element is short.
    return u32le(bytes, 4) < 0x10000 ? TS.implicitLittle : null;
  }
  if (isPlausibleFirstGroup(u16be(bytes, 0)) && explicitVr) return TS.explicitBig;
  return null;
}

function notDicom(name: string): NotDicomError {
  return new NotDicomError(name, 'not a DICOM file (no DICM marker and no recognisable data set)');
}

// ---------------------------------------------------------------------------------------------
// Parsing one slice

function parseSlice(source: ByteSource, bytes: Uint8Array, layout: Layout): SliceOutcome {
  const transferSyntaxUID = layout.kind === 'raw' ? layout.transferSyntaxUID : readMetaTransferSyntax(source, bytes, layout);
  if (transferSyntaxUID === null) return { kind: 'need-more', reasonIfWhole: cutOffReason(source.size, 'in the File Meta Information') };
  if (transferSyntaxUID === TS.deflatedExplicitLittle) return { kind: 'deflated' };

  const shift = layout.kind === 'meta-without-preamble' ? PREAMBLE_AND_MAGIC : 0;
  const parseable = prepareForParser(bytes, layout, transferSyntaxUID);
  const options = layout.kind === 'raw' ? { untilTag: PIXEL_DATA, TransferSyntaxUID: transferSyntaxUID } : { untilTag: PIXEL_DATA };

  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(parseable, options);
  } catch (error) {
    return handleParseFailure(source, bytes, layout, error);
  }
  let headerBytes = bytes;
  if (dataSet.elements[PIXEL_DATA]) {
    const keep = bytesWorthKeeping(parseable, dataSet.elements[PIXEL_DATA]);
    if (keep < parseable.length / 2) {
      dataSet = dicomParser.parseDicom(parseable.slice(0, keep), options);
      headerBytes = bytes.slice(0, keep - shift);
    }
  }
  const pixelElement = dataSet.elements[PIXEL_DATA];
  if (!pixelElement) {
    const problem = findTruncation(dataSet, parseable.length, shift);
    if (problem || bytes.length < source.size) return { kind: 'need-more', reasonIfWhole: problem ?? cutOffReason(source.size) };
  }
  if (layout.kind === 'raw') {
    confirmRecognisableDataSet(source.name, dataSet);
    // dicom-parser plants a Transfer Syntax element that is not in the file; keep the data set honest.
    delete dataSet.elements['x00020010'];
  }
  const explicitVR = !isImplicitVrTransferSyntax(transferSyntaxUID);
  return {
    kind: 'parsed',
    header: {
      source,
      dataSet,
      transferSyntaxUID,
      hasPreamble: layout.kind === 'part10',
      pixelData: pixelElement ? pixelLocation(pixelElement, shift, explicitVR) : null,
      explicitVR,
      headerBytes,
      warnings: layoutWarnings(layout),
    },
  };
}

/** The transfer syntax named in the File Meta group, null when the slice ends inside the group. */
function readMetaTransferSyntax(source: ByteSource, bytes: Uint8Array, layout: Layout): string | null {
  let meta: DataSet;
  try {
    meta = dicomParser.readPart10Header(withPreamble(bytes, layout));
  } catch (error) {
    if (isOverrun(messageOf(error))) return null;
    throw new DicomInputError(
      source.name,
      `the File Meta Information is damaged (${messageOf(error).replace(/^dicomParser\.\w+: */, '')})`,
    );
  }
  let uid: string | undefined;
  try {
    uid = meta.string('x00020010');
  } catch (error) {
    // The group was parsed, but the slice (or the file) ends inside the UID's value.
    if (isOverrun(messageOf(error))) return null;
    throw error;
  }
  if (!uid) {
    throw new DicomInputError(source.name, 'the File Meta Information has no Transfer Syntax UID (0002,0010)');
  }
  return uid.replace(/\0/g, '').trim();
}

/** Bytes as dicom-parser must see them: with a synthetic preamble if needed, and EOT VRs it knows. */
function prepareForParser(bytes: Uint8Array, layout: Layout, transferSyntaxUID: string): Uint8Array {
  const withMagic = withPreamble(bytes, layout);
  return transferSyntaxUID === TS.explicitBig || isImplicitVrTransferSyntax(transferSyntaxUID)
    ? withMagic
    : patchExtendedOffsetTableVr(withMagic, withMagic === bytes);
}

function withPreamble(bytes: Uint8Array, layout: Layout): Uint8Array {
  if (layout.kind !== 'meta-without-preamble') return bytes;
  const copy = new Uint8Array(PREAMBLE_AND_MAGIC + bytes.length);
  copy.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  copy.set(bytes, PREAMBLE_AND_MAGIC);
  return copy;
}

/**
 * dicom-parser 1.8 does not know the OV VR of the Extended Offset Table (7FE0,0001/0002) and reads
 * its 32-bit length as 16-bit, which derails everything after it. OV and OB share the same header
 * layout, so relabelling the two elements as OB (in a copy) lets the parse continue unchanged.
 */
function patchExtendedOffsetTableVr(bytes: Uint8Array, mustCopy: boolean): Uint8Array {
  let out = bytes;
  // indexOf finds the candidates natively: this runs on every header before frame 1 is read.
  for (let i = bytes.indexOf(0xe0); i >= 0 && i + 6 <= bytes.length; i = bytes.indexOf(0xe0, i + 1)) {
    if (bytes[i + 1] !== 0x7f || bytes[i + 3] !== 0x00) continue;
    if ((bytes[i + 2] !== 0x01 && bytes[i + 2] !== 0x02) || bytes[i + 4] !== 0x4f || bytes[i + 5] !== 0x56) continue;
    if (out === bytes && mustCopy) out = bytes.slice();
    out[i + 5] = 0x42; // 'V' → 'B'
  }
  return out;
}

/**
 * How much of the slice a header needs to keep: everything before the pixel data and, for
 * encapsulated data, the Basic Offset Table. A 64 KiB slice around a 10 KB header would otherwise
 * stay alive through the data set; across a 1,000-file series that is 50 MB for nothing.
 */
function bytesWorthKeeping(parseable: Uint8Array, pixelElement: Element): number {
  const valueStart = pixelElement.dataOffset;
  if (!pixelElement.hadUndefinedLength || valueStart + 8 > parseable.length) return Math.min(valueStart, parseable.length);
  const tableLength = u32le(parseable, valueStart + 4);
  return Math.min(valueStart + 8 + tableLength, parseable.length);
}

function pixelLocation(element: Element, shift: number, explicitVR: boolean): PixelDataLocation {
  const undefinedLength = element.hadUndefinedLength === true || element.length === 0xffffffff;
  return {
    valueOffset: element.dataOffset - shift,
    length: undefinedLength ? -1 : element.length,
    encapsulated: undefinedLength,
    vr: explicitVR ? element.vr : undefined,
  };
}

function layoutWarnings(layout: Layout): string[] {
  if (layout.kind === 'meta-without-preamble') return ['File Meta Information without the 128-byte preamble and "DICM" marker'];
  if (layout.kind === 'raw') return [`no preamble or File Meta Information; read as ${describeTransferSyntax(layout.transferSyntaxUID)}`];
  return [];
}

function describeTransferSyntax(uid: string): string {
  if (uid === TS.implicitLittle) return 'implicit VR little endian';
  if (uid === TS.explicitBig) return 'explicit VR big endian';
  return 'explicit VR little endian';
}

// ---------------------------------------------------------------------------------------------
// Failures

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'exception' in error) return messageOf((error as { exception: unknown }).exception);
  return String(error);
}

function partialDataSetOf(error: unknown): DataSet | undefined {
  if (error && typeof error === 'object' && 'dataSet' in error) return (error as { dataSet?: DataSet }).dataSet;
  return undefined;
}

/**
 * dicom-parser's ways of saying "the bytes ended before the element did" (an item longer than
 * the slice shows up as an invalid 'maxPosition', spelled 'maxP osition' in 1.8).
 */
function isOverrun(message: string): boolean {
  return /past end of buffer|buffer overr(un|ead)|maxP ?osition|greater than or equal to 'byteArray' length/i.test(message);
}

function handleParseFailure(source: ByteSource, bytes: Uint8Array, layout: Layout, error: unknown): SliceOutcome {
  const message = messageOf(error);
  const shift = layout.kind === 'meta-without-preamble' ? PREAMBLE_AND_MAGIC : 0;
  if (!isOverrun(message)) {
    if (layout.kind === 'raw') throw notDicom(source.name);
    throw new DicomInputError(source.name, damagedHeaderReason(message, shift));
  }
  const partial = partialDataSetOf(error);
  const detail = partial ? findTruncation(partial, bytes.length + shift, shift) : null;
  return { kind: 'need-more', reasonIfWhole: detail ?? cutOffReason(source.size) };
}

/**
 * dicom-parser's complaint about a damaged header, in our words: where a sequence item was
 * expected and not found, else its text without its function's name. Its offsets are in the parsed
 * array, `shift` bytes ahead of the file when we added a preamble.
 */
function damagedHeaderReason(message: string, shift: number): string {
  const item = /item tag \(FFFE,E000\) not found at offset (\d+)/.exec(message);
  if (item) return `the header is damaged at byte ${Number(item[1]) - shift}: a sequence item should start there and does not`;
  return `the header is damaged (${message.replace(/^dicomParser\.\w+: */, '')})`;
}

function cutOffReason(fileSize: number, where = ''): string {
  return `header is cut off at byte ${fileSize}${where ? ` ${where}` : ''}`;
}

/**
 * Describes an element whose value runs past the parsed bytes, or an unterminated sequence.
 * Offsets are in the parsed array, which is `shift` bytes ahead of the file when we added a preamble.
 */
function findTruncation(dataSet: DataSet, arrayLength: number, shift: number): string | null {
  const fileEnd = arrayLength - shift;
  for (const element of Object.values(dataSet.elements)) {
    if (element.tag === PIXEL_DATA || element.hadUndefinedLength || typeof element.dataOffset !== 'number') continue;
    if (element.dataOffset + element.length > arrayLength) {
      const available = Math.max(0, arrayLength - element.dataOffset);
      // A damaged length (a flipped byte), not a short file, when the Pixel Data element follows inside it.
      if (pixelDataTagAfter(dataSet.byteArray, element.dataOffset, arrayLength))
        return (
          `the header is damaged: element ${formatTag(element.tag)} at byte ${element.dataOffset - shift} declares ` +
          `${element.length} bytes, running over the pixel data and past the end of the file`
        );
      return `${cutOffReason(fileEnd)}: element ${formatTag(element.tag)} declares ${element.length} bytes but only ${available} follow`;
    }
  }
  const eof = dataSet.warnings.find((w) => w.startsWith('eof encountered'));
  return eof ? `${cutOffReason(fileEnd)}: a sequence is not closed` : null;
}

/** Whether the bytes from `from` hold the Pixel Data element's tag, in either byte order. */
function pixelDataTagAfter(bytes: Uint8Array | undefined, from: number, end: number): boolean {
  if (!bytes) return false;
  const limit = Math.min(end, bytes.length) - 3;
  for (let i = bytes.indexOf(0xe0, from); i >= 0 && i < limit; i = bytes.indexOf(0xe0, i + 1)) {
    if (bytes[i + 1] === 0x7f && bytes[i + 2] === 0x10 && bytes[i + 3] === 0x00) return true; // little endian
    if (i > 0 && bytes[i - 1] === 0x7f && bytes[i + 1] === 0x00 && bytes[i + 2] === 0x10) return true; // big endian
  }
  return false;
}

/** "x00280010" → "(0028,0010)". */
export function formatTag(tag: string): string {
  const hex = tag.replace(/^x/, '').toUpperCase();
  return `(${hex.slice(0, 4)},${hex.slice(4, 8)})`;
}

/** A bare data set must look like an image or at least a DICOM object before we accept it. */
function confirmRecognisableDataSet(name: string, dataSet: DataSet): void {
  const markers = ['x00080016', 'x00080018', 'x0020000d', 'x00280010', 'x00080060'];
  if (!markers.some((tag) => dataSet.elements[tag])) throw notDicom(name);
}
