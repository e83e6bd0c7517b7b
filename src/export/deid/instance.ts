/**
 * One DICOM file in, one de-identified DICOM file out, as a stream of chunks.
 *
 * The header (everything before Pixel Data) is read with dcmjs, de-identified (deidentify.ts) and
 * written again with dcmjs. Pixel Data never goes through dcmjs:
 *   - Not cleaned: the Pixel Data element is copied from the source byte for byte (native words
 *     with only their value's bits: keepValueBits), in pieces of
 *     at most 4 MiB (compressed stays compressed: Basic Offset Table, fragments and delimiter as
 *     they were; only an implicit VR element header is rewritten as explicit VR, and a missing
 *     sequence delimiter is added). The output keeps the source transfer syntax, except that
 *     Implicit VR Little Endian becomes Explicit VR Little Endian.
 *   - Cleaned (Clean Pixel Data): frames are decoded one at a time by the caller's decoder,
 *     masked, and written native, Explicit VR Little Endian, with Burned In Annotation = NO. At
 *     most one decoded frame is alive at a time, so memory stays bounded whatever the run length.
 * Elements after Pixel Data (trailing padding, digital signatures) are dropped, as the table asks.
 */
import { readHeader } from '../../dicom/header';
import { indexFrames } from '../../dicom/frameIndex';
import { storedBitsOf, type StoredBits } from '../../dicom/storedBits';
import { readLossy } from '../../dicom/runInfo';
import { TS, lossyMethodOfTransferSyntax } from '../../dicom/uids';
import { validatePixelGeometry, type PixelGeometry } from '../../dicom/validate';
import type { ByteSource, FrameSpan, ParsedHeader } from '../../dicom/types';
import { readPart10Header, writePart10, type DcmDataset } from './dcmjsLib';
import {
  collectReplaceableUids,
  deidentifyDataset,
  DeidentificationError,
  pixelCleaningRequired,
  TAG,
  type CaseContext,
  type DeidReport,
} from './deidentify';
import { firstNumber, firstText } from './elements';
import { applyMask, defaultFillValue, type DecodedFrame, type MaskRect } from './mask';

/** Written as Implementation Class UID (0002,0012): a 2.25 UUID made once for FluoroLens. */
export const IMPLEMENTATION_CLASS_UID = '2.25.80791244489528095525366731844258687256';
export const IMPLEMENTATION_VERSION_NAME = 'FLUOROLENS';

const COPY_CHUNK = 4 * 1024 * 1024;
const ITEM_GROUP = 0xfffe;
const ITEM = 0xe000;
const SEQUENCE_DELIMITER = 0xe0dd;

/** A source file read and checked, ready to be de-identified. */
export interface SourceInstance {
  readonly source: ByteSource;
  readonly header: ParsedHeader;
  /** The header as dcmjs reads it (denaturalized), File Meta excluded. */
  readonly dataset: DcmDataset;
  readonly geometry: PixelGeometry;
  readonly frames: readonly FrameSpan[];
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly sopInstanceUID: string;
  readonly sopClassUID: string;
  readonly instanceNumber: number | null;
  /** Burned In Annotation is YES or absent: the pixels must be masked before export. */
  readonly pixelCleaningRequired: boolean;
}

/** Reads the header and indexes every frame; refuses a file whose pixel data is incomplete. */
export async function readSourceInstance(file: ByteSource): Promise<SourceInstance> {
  const header = await readHeader(file);
  // The bytes the header was read from, which its offsets are in (a deflated file's inflated copy).
  const source = header.source;
  if (!header.pixelData) throw new DeidentificationError(`${source.name}: has no Pixel Data; only images can be exported`);
  const geometry = validatePixelGeometry(header);
  const index = await indexFrames(header, geometry.frameCount);
  const broken = index.frames.findIndex((slot) => !slot.ok);
  if (broken >= 0) {
    const slot = index.frames[broken] as { reason: string };
    throw new DeidentificationError(`${source.name}: ${slot.reason}; only complete runs can be exported`);
  }
  let dataset: DcmDataset;
  try {
    dataset = readPart10Header(asPart10(header)).dataset;
  } catch (error) {
    // dcmjs's messages name the problem (e.g. an unsupported character set), not values.
    throw new DeidentificationError(
      `${source.name}: the header cannot be read for export (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return {
    source,
    header,
    dataset,
    geometry,
    frames: index.frames.map((slot) => (slot as { span: FrameSpan }).span),
    studyInstanceUID: firstText(dataset, TAG.studyInstanceUID),
    seriesInstanceUID: firstText(dataset, TAG.seriesInstanceUID),
    sopInstanceUID: firstText(dataset, TAG.sopInstanceUID),
    sopClassUID: firstText(dataset, TAG.sopClassUID),
    instanceNumber: firstNumber(dataset, TAG.instanceNumber),
    pixelCleaningRequired: pixelCleaningRequired(dataset),
  };
}

/** The header bytes as a Part 10 file dcmjs can read, whatever the source layout. */
function asPart10(header: ParsedHeader): Uint8Array {
  if (header.hasPreamble) return header.headerBytes;
  const startsWithMeta = header.headerBytes[0] === 0x02 && header.headerBytes[1] === 0x00;
  const prefix = startsWithMeta
    ? concat([new Uint8Array(128), new TextEncoder().encode('DICM')])
    : writePart10({ '00020010': { vr: 'UI', Value: [header.transferSyntaxUID] } }, {});
  return concat([prefix, header.headerBytes]);
}

/** Every UID of a source the de-identifier may replace, File Meta's included. */
export function replaceableUids(instance: SourceInstance): Set<string> {
  return collectReplaceableUids(instance.dataset);
}

export interface PixelCleaning {
  /** Rectangles in image pixels (mask.ts). An empty list is allowed: the educator looked and found nothing. */
  readonly rectangles: readonly MaskRect[];
  /** Stored values of one frame (1-based within this file), row-major, one sample per pixel. */
  readonly decodeFrame: (frame: number) => Promise<DecodedFrame>;
  /** Defaults to black as displayed (mask.ts defaultFillValue). */
  readonly fillValue?: number;
}

export interface InstanceOptions {
  /** Educator-approved descriptor text by tag (Clean Descriptors). */
  readonly descriptors?: Readonly<Record<string, string>>;
  /** Required when the source's Burned In Annotation is YES or absent. */
  readonly pixelCleaning?: PixelCleaning;
}

export interface DeidentifiedInstance {
  readonly sourceName: string;
  /** New UIDs. */
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly sopInstanceUID: string;
  readonly sopClassUID: string;
  readonly transferSyntaxUID: string;
  readonly frameCount: number;
  readonly instanceNumber: number | null;
  readonly pixelsCleaned: boolean;
  readonly report: DeidReport;
  /** The output file's bytes in order; each call starts from the beginning. */
  chunks(): AsyncGenerator<Uint8Array>;
}

/** De-identifies one prepared source (its UIDs must be in context.uids: see replaceableUids). */
export function deidentifyInstance(instance: SourceInstance, context: CaseContext, options: InstanceOptions = {}): DeidentifiedInstance {
  const cleaning = options.pixelCleaning;
  if (instance.pixelCleaningRequired && !cleaning) {
    const said = firstText(instance.dataset, TAG.burnedInAnnotation) === '' ? 'does not say whether' : 'says';
    throw new DeidentificationError(
      `${instance.source.name}: the image ${said} it has burned-in text (Burned In Annotation); mask it before export`,
    );
  }
  if (cleaning) checkCleanable(instance);
  const { dataset, report } = deidentifyDataset(instance.dataset, context, { descriptors: options.descriptors, pixelsCleaned: !!cleaning });
  const transferSyntaxUID =
    cleaning || instance.header.transferSyntaxUID === TS.implicitLittle ? TS.explicitLittle : instance.header.transferSyntaxUID;
  keepLossyHistory(dataset, instance, transferSyntaxUID);
  if (cleaning) {
    delete dataset[TAG.extendedOffsetTable];
    delete dataset[TAG.extendedOffsetTableLengths];
    delete dataset[TAG.encapsulatedPixelDataValueTotalLength];
  }
  const sopInstanceUID = firstText(dataset, TAG.sopInstanceUID);
  const meta: DcmDataset = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [instance.sopClassUID] },
    '00020003': { vr: 'UI', Value: [sopInstanceUID] },
    '00020010': { vr: 'UI', Value: [transferSyntaxUID] },
    '00020012': { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] },
    '00020013': { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] },
  };
  const headerBytes = writePart10(meta, dataset);
  return {
    sourceName: instance.source.name,
    studyInstanceUID: firstText(dataset, TAG.studyInstanceUID),
    seriesInstanceUID: firstText(dataset, TAG.seriesInstanceUID),
    sopInstanceUID,
    sopClassUID: instance.sopClassUID,
    transferSyntaxUID,
    frameCount: instance.geometry.frameCount,
    instanceNumber: instance.instanceNumber,
    pixelsCleaned: !!cleaning,
    report,
    async *chunks() {
      yield headerBytes;
      if (cleaning) yield* cleanedPixelData(instance, cleaning);
      else yield* copiedPixelData(instance, transferSyntaxUID !== instance.header.transferSyntaxUID);
    },
  };
}

/**
 * An image once lossy compressed stays marked so (PS3.3 C.7.6.1.1.5: Lossy Image Compression "01"
 * is never reset), and an image decompressed keeps the method and ratio of the step it went
 * through. A masked image is written native: a JPEG source whose transfer syntax alone said it was
 * lossy would otherwise come out looking like original pixels. The ratio then written is the
 * source's (decoded bytes over encoded bytes), when the source recorded none; a recorded ratio
 * without its method gets the transfer syntax's method beside it.
 */
function keepLossyHistory(dataset: DcmDataset, instance: SourceInstance, outputSyntax: string): void {
  const lossy = readLossy(instance.header);
  if (!lossy) return;
  dataset[TAG.lossyImageCompression] = { vr: 'CS', Value: ['01'] };
  const stepInSyntax = lossyMethodOfTransferSyntax(instance.header.transferSyntaxUID);
  if (!stepInSyntax || outputSyntax === instance.header.transferSyntaxUID) return;
  const ratios = dataset[TAG.lossyImageCompressionRatio]?.Value ?? [];
  const methods = dataset[TAG.lossyImageCompressionMethod]?.Value ?? [];
  if (methods.length) return;
  if (ratios.length === 0) {
    const ratio = sourceCompressionRatio(instance);
    if (ratio !== null) dataset[TAG.lossyImageCompressionRatio] = { vr: 'DS', Value: [ratio] };
  }
  if (ratios.length <= 1) dataset[TAG.lossyImageCompressionMethod] = { vr: 'CS', Value: [stepInSyntax] };
}

/** Decoded pixel bytes over the encoded bytes of every frame, to two decimals (a DS of at most 16 characters). */
function sourceCompressionRatio(instance: SourceInstance): number | null {
  const decoded = instance.geometry.frameBytes * instance.geometry.frameCount;
  const encoded = instance.frames.reduce((sum, span) => sum + (span.end - span.start), 0);
  return encoded > 0 && decoded > 0 ? Number((decoded / encoded).toFixed(2)) : null;
}

function checkCleanable(instance: SourceInstance): void {
  const { samplesPerPixel, bitsAllocated } = instance.geometry;
  if (samplesPerPixel !== 1) {
    throw new DeidentificationError(
      `${instance.source.name}: masking burned-in text needs a grey-scale image (${samplesPerPixel} samples per pixel)`,
    );
  }
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new DeidentificationError(
      `${instance.source.name}: masking burned-in text needs 8 or 16 bits allocated (found ${bitsAllocated})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Pixel data copied as it is

async function* copiedPixelData(instance: SourceInstance, toExplicit: boolean): AsyncGenerator<Uint8Array> {
  const { source, header } = instance;
  const pixelData = header.pixelData!;
  const headerLength = header.explicitVR ? 12 : 8;
  const elementStart = pixelData.valueOffset - headerLength;
  if (toExplicit) {
    const vr = pixelData.encapsulated ? 'OB' : instance.geometry.bitsAllocated > 8 ? 'OW' : 'OB';
    yield pixelElementHeader(vr, pixelData.encapsulated ? 0xffffffff : pixelData.length);
  } else {
    yield await readExactly(source, elementStart, headerLength);
  }
  const { end, addDelimiter } = pixelData.encapsulated
    ? await endOfEncapsulated(instance)
    : { end: pixelData.valueOffset + pixelData.length, addDelimiter: false };
  if (end > source.size) throw new DeidentificationError(`${source.name}: the pixel data is cut off`);
  const keep = pixelData.encapsulated ? null : keptBitsOfWords(instance);
  for (let at = pixelData.valueOffset; at < end; at += COPY_CHUNK) {
    const piece = await readExactly(source, at, Math.min(COPY_CHUNK, end - at));
    yield keep ? keepValueBits(piece, keep) : piece;
  }
  if (addDelimiter) yield itemHeader(SEQUENCE_DELIMITER, 0, header.transferSyntaxUID !== TS.explicitBig);
}

/**
 * Native unsigned pixels keep only their value's bits (Bits Stored, ending at High Bit): the other
 * bits of each word are not image data, and old files kept overlay planes there, which may carry
 * text. The de-identified file drops the overlay groups that described them; the bits would stay.
 * Words whose other bits are zero are copied unchanged. Null when the value fills the word.
 */
function keptBitsOfWords(instance: SourceInstance): { bytesPerWord: 1 | 2; littleEndian: boolean; keep: number } | null {
  const { bitsAllocated } = instance.geometry;
  const bits = bitsAllocated === 8 || bitsAllocated === 16 ? storedBitsOfInstance(instance, bitsAllocated) : null;
  if (!bits) return null;
  return {
    bytesPerWord: bitsAllocated === 8 ? 1 : 2,
    littleEndian: instance.header.transferSyntaxUID !== TS.explicitBig,
    keep: bits.mask << bits.shift,
  };
}

/** The value's bits in the instance's words as its header places them; null for signed pixels or a value filling the word. */
function storedBitsOfInstance(instance: SourceInstance, bitsAllocated: number): StoredBits | null {
  if ((firstNumber(instance.dataset, TAG.pixelRepresentation) ?? 0) !== 0) return null;
  const bitsStored = firstNumber(instance.dataset, TAG.bitsStored) ?? bitsAllocated;
  return storedBitsOf(bitsAllocated, bitsStored, firstNumber(instance.dataset, TAG.highBit) ?? bitsStored - 1);
}

/** A piece of native pixel data (starting on a word) with the bits outside `keep` cleared, in a copy. */
function keepValueBits(
  piece: Uint8Array,
  { bytesPerWord, littleEndian, keep }: { bytesPerWord: 1 | 2; littleEndian: boolean; keep: number },
): Uint8Array {
  const out = piece.slice();
  if (bytesPerWord === 1) {
    for (let i = 0; i < out.length; i++) out[i] &= keep;
    return out;
  }
  const [low, high] = littleEndian ? [keep & 0xff, keep >> 8] : [keep >> 8, keep & 0xff];
  for (let i = 0; i + 1 < out.length; i += 2) {
    out[i] &= low;
    out[i + 1] &= high;
  }
  return out;
}

/** Where the encapsulated value ends: after the sequence delimiter, or at the end of the file when it has none. */
async function endOfEncapsulated(instance: SourceInstance): Promise<{ end: number; addDelimiter: boolean }> {
  const { source } = instance;
  const little = instance.header.transferSyntaxUID !== TS.explicitBig;
  let at = instance.frames[instance.frames.length - 1].end;
  for (;;) {
    if (at === source.size) return { end: at, addDelimiter: true };
    const bytes = await readExactly(source, at, 8);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    const group = view.getUint16(0, little);
    const element = view.getUint16(2, little);
    const length = view.getUint32(4, little);
    if (group === ITEM_GROUP && element === SEQUENCE_DELIMITER) return { end: at + 8, addDelimiter: false };
    if (group !== ITEM_GROUP || element !== ITEM || at + 8 + length > source.size) {
      throw new DeidentificationError(`${source.name}: the pixel data does not end cleanly after its last frame`);
    }
    at += 8 + length;
  }
}

async function readExactly(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) throw new DeidentificationError(`${source.name}: the file ends early (at byte ${offset + bytes.length})`);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Pixel data decoded, masked and written native

async function* cleanedPixelData(instance: SourceInstance, cleaning: PixelCleaning): AsyncGenerator<Uint8Array> {
  const { rows, columns, bitsAllocated, frameCount } = instance.geometry;
  const values = rows * columns;
  const frameBytes = values * (bitsAllocated / 8);
  const total = frameBytes * frameCount;
  const padded = total + (total % 2);
  yield pixelElementHeader(bitsAllocated > 8 ? 'OW' : 'OB', padded);
  const fill =
    cleaning.fillValue ??
    defaultFillValue({
      photometricInterpretation: firstText(instance.dataset, TAG.photometricInterpretation),
      presentationLutShape: firstText(instance.dataset, TAG.presentationLutShape),
      bitsStored: firstNumber(instance.dataset, TAG.bitsStored) ?? bitsAllocated,
      pixelRepresentation: firstNumber(instance.dataset, TAG.pixelRepresentation) ?? 0,
    });
  const placed = valuePlacement(instance, bitsAllocated);
  for (let frame = 1; frame <= frameCount; frame++) {
    const decoded = await cleaning.decodeFrame(frame);
    if (decoded.length !== values) {
      throw new DeidentificationError(
        `${instance.source.name}: frame ${frame} decoded to ${decoded.length} values, not ${columns} × ${rows}`,
      );
    }
    const out = bitsAllocated === 8 ? new Uint8Array(values) : new Uint16Array(values);
    out.set(decoded);
    applyMask(out, columns, rows, cleaning.rectangles, fill);
    if (placed) placeValues(out, placed);
    yield littleEndianBytes(out);
  }
  if (padded !== total) yield new Uint8Array(1);
}

/**
 * Decoded frames hold pixel values (the Bits Stored bits, at bit 0: storedBits.ts). Words whose
 * header puts the value higher (High Bit above Bits Stored − 1) get it put back there; the header
 * is kept as it is. Null when the value starts at bit 0, or the pixels are signed (their words are
 * written as decoded).
 */
function valuePlacement(instance: SourceInstance, bitsAllocated: number): StoredBits | null {
  const bits = storedBitsOfInstance(instance, bitsAllocated);
  return bits && bits.shift > 0 ? bits : null;
}

function placeValues(words: Uint8Array | Uint16Array, { mask, shift }: StoredBits): void {
  for (let i = 0; i < words.length; i++) words[i] = (words[i] & mask) << shift;
}

const PLATFORM_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(values: Uint8Array | Uint16Array): Uint8Array {
  if (values instanceof Uint8Array) return values;
  if (PLATFORM_LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setUint16(i * 2, value, true));
  return out;
}

// ---------------------------------------------------------------------------------------------

function pixelElementHeader(vr: 'OB' | 'OW', length: number): Uint8Array {
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  view.setUint32(8, length, true);
  return out;
}

function itemHeader(element: number, length: number, little: boolean): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, ITEM_GROUP, little);
  view.setUint16(2, element, little);
  view.setUint32(4, length, little);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
