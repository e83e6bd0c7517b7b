import { transfer } from 'comlink';
import { Enums, canRenderFloatTextures, getWebWorkerManager, metaData, utilities, type Types } from '@cornerstonejs/core';
import { decoders, getImageFrame, internal } from '@cornerstonejs/dicom-image-loader';
import { holdsBitsOutside, keepStoredBits, storedBitsOf, type StoredBits } from '../dicom/storedBits';
import { frameBuffers } from './frameBufferPool';

/**
 * Native (uncompressed) grayscale frames made into Cornerstone images on the main thread, with no
 * decode worker: their bytes already are the pixels. Sending them to a worker and back cost two
 * copies and a round trip per frame, which was most of the time to decode a raw run.
 *
 * The image is the one the dicom-image-loader's `createImage` makes for such a frame (same pixel
 * array type, min/max, window, fields; tests/unit/viewer-nativeImage.test.ts compares the two),
 * but the pixel array is a view of the bytes read when their type already fits, not a copy.
 * Big endian 16-bit frames are byte-swapped into a new array here (the loader's worker does the same
 * swap). Anything this does not cover exactly (signed, 1- and 32-bit, color, a rescale or a
 * Modality LUT Sequence) goes through `createImage` as before.
 *
 * Compressed frames of the same kind (grayscale, unsigned, no rescale) are decoded by the loader's
 * workers as createImage would have them decoded, and their image is assembled here around the
 * pixel array the worker sent back: createImage copies that array once more, whatever its type
 * (setPixelDataType), which on a 120-frame RLE run was a good share of the main thread's time.
 */

/** The dicom-image-loader's decode workers, as its init registers them with core's worker manager. */
export const DECODE_WORKER = 'dicomImageLoader';

const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', EXPLICIT_BIG_ENDIAN]);
const RLE = '1.2.840.10008.1.2.5';

interface PixelModule {
  rows?: number;
  columns?: number;
  samplesPerPixel?: number;
  photometricInterpretation?: string;
  bitsAllocated?: number;
  bitsStored?: number;
  highBit?: number;
  pixelRepresentation?: number;
}

interface ModalityLutModule {
  rescaleSlope?: number;
  rescaleIntercept?: number;
  modalityLUTSequence?: unknown[];
}

/** Compressed syntaxes whose grayscale frames `decodeToImage` takes (JPEG baseline color goes through the loader's own canvas path). */
const DECODED_BY_WORKER = new Set([
  '1.2.840.10008.1.2.5', // RLE
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.51', // JPEG extended
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless, first-order prediction
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
]);

/** Whether `buildNativeImage` makes exactly what `createImage` would for this frame. */
export function buildsNativeImage(imageId: string, transferSyntaxUID: string): boolean {
  return NATIVE.has(transferSyntaxUID) && isPlainGrayscale(imageId);
}

/**
 * Frames up to this many pixels are decoded here when the user waits for them. A 512² RLE frame
 * decodes here in 1–2 ms and its first frame came 5–14 ms sooner than through a worker (bench A/B);
 * a 1024² one takes 7–10 ms, during which the pane's own setup waits (it ran beside the worker's
 * decode before), and its first frame came no sooner.
 */
const DECODE_HERE_MAX_PIXELS = 512 * 512;

/** Whether `decodeHereToImage` makes exactly what `createImage` would for this frame, and is worth doing here (see above). */
export function decodesHere(imageId: string, transferSyntaxUID: string): boolean {
  if (transferSyntaxUID !== RLE || !isPlainGrayscale(imageId)) return false;
  const pixel = metaData.get(Enums.MetadataModules.IMAGE_PIXEL, imageId) as PixelModule;
  return (pixel.rows ?? Infinity) * (pixel.columns ?? Infinity) <= DECODE_HERE_MAX_PIXELS;
}

/** Whether `decodeToImage` makes exactly what `createImage` would for this frame. */
export function buildsDecodedImage(imageId: string, transferSyntaxUID: string): boolean {
  return DECODED_BY_WORKER.has(transferSyntaxUID) && isPlainGrayscale(imageId);
}

/** One unsigned grayscale sample of 8 or 16 bits, shown without a rescale or a Modality LUT. */
export function isPlainGrayscale(imageId: string): boolean {
  const pixel = metaData.get(Enums.MetadataModules.IMAGE_PIXEL, imageId) as PixelModule | undefined;
  const modalityLut = (metaData.get(Enums.MetadataModules.MODALITY_LUT, imageId) ?? {}) as ModalityLutModule;
  const modality = (metaData.get(Enums.MetadataModules.GENERAL_SERIES, imageId) as { modality?: string } | undefined)?.modality;
  if (!pixel || pixel.samplesPerPixel !== 1 || pixel.pixelRepresentation !== 0) return false;
  if (pixel.photometricInterpretation !== 'MONOCHROME1' && pixel.photometricInterpretation !== 'MONOCHROME2') return false;
  if (pixel.bitsAllocated !== 8 && pixel.bitsAllocated !== 16) return false;
  // createImage pre-scales (and may change the array type) unless the rescale is the identity.
  if ((modalityLut.rescaleSlope ?? 1) !== 1 || (modalityLut.rescaleIntercept ?? 0) !== 0) return false;
  if (modalityLut.modalityLUTSequence?.length) return false;
  return modality !== 'PT' && modality !== 'RTDOSE';
}

/** The bits of the frame's words that are its values (storedBits.ts), or null when all are. */
function storedBitsOfFrame(imageId: string): StoredBits | null {
  const pixel = metaData.get(Enums.MetadataModules.IMAGE_PIXEL, imageId) as PixelModule | undefined;
  if (!pixel?.bitsAllocated || pixel.pixelRepresentation !== 0) return null;
  const bitsStored = pixel.bitsStored ?? pixel.bitsAllocated;
  return storedBitsOf(pixel.bitsAllocated, bitsStored, pixel.highBit ?? bitsStored - 1);
}

/** Whether the frame's file gives a Window Center and Width (the window it opens with). */
function hasStoredWindow(imageId: string): boolean {
  const voiLut = (metaData.get(Enums.MetadataModules.VOI_LUT, imageId) ?? {}) as VoiLutModule;
  return Boolean(voiLut.windowCenter?.length && voiLut.windowWidth?.length);
}

function minMax(values: Uint8Array | Uint16Array): { min: number; max: number } {
  let min = values[0];
  let max = values[0];
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Runs minMax on made-up 8- and 16-bit values, in turns, with minima and maxima found along the
 * way, before any file is chosen. The opening warm-up alone gave it 16-bit feedback only (8-bit
 * ranges are worked out when a frame is shown): V8's optimised code then failed its first 8-bit
 * frame ("wrong map") and a 512² run's first paint spent 6 ms in an unoptimised minMax.
 */
export function warmUpValueRange(): void {
  const length = 16384;
  const frames = [new Uint8Array(length), new Uint16Array(length)];
  for (const values of frames) for (let i = 0; i < length; i++) values[i] = (i * 37 + 101) % 251;
  for (let pass = 0; pass < 24; pass++) minMax(frames[pass % 2]);
}

/** The array type the loader picks for unsigned values in [0, max] (its getPixelDataTypeFromMinMax). */
function arrayTypeFor(max: number): Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor {
  if (max <= 255) return Uint8Array;
  if (max <= 65535) return Uint16Array;
  return Uint32Array;
}

function storedValues(bytes: Uint8Array, bitsAllocated: number, bigEndian: boolean): Uint8Array | Uint16Array {
  // Big endian 8-bit frames come with their byte pairs already put back in order (frameIndex.ts).
  if (bitsAllocated === 8) return bytes;
  if (bigEndian) return swappedWords(bytes);
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  return new Uint16Array(bytes.slice().buffer, 0, bytes.length >> 1);
}

/** Big endian 16-bit words as values, in a new array: the bytes read may be shared with other reads (an in-memory file). */
function swappedWords(bytes: Uint8Array): Uint16Array {
  const values = new Uint16Array(bytes.length >> 1);
  for (let i = 0, b = 0; i < values.length; i++, b += 2) values[i] = (bytes[b] << 8) | bytes[b + 1];
  return values;
}

interface VoiLutModule {
  windowCenter?: number[];
  windowWidth?: number[];
  voiLUTFunction?: string | string[];
  voiLutFunction?: string;
  voiLUTSequence?: unknown[];
}

type ImageFrame = Record<string, unknown> & {
  rows: number;
  columns: number;
  bitsAllocated: number;
  photometricInterpretation: string;
};

/** A Cornerstone image of one native grayscale frame; call only where `buildsNativeImage` said yes. */
export function buildNativeImage(imageId: string, bytes: Uint8Array, transferSyntaxUID: string): Types.IImage {
  const start = Date.now();
  const imageFrame = getImageFrame(imageId) as unknown as ImageFrame;
  const stored = storedValues(bytes, imageFrame.bitsAllocated, transferSyntaxUID === EXPLICIT_BIG_ENDIAN);
  return imageOfStoredValues(imageId, imageFrame, stored, start);
}

/**
 * Decodes an RLE grayscale frame in this thread with the loader's own RLE decoder (plain JS, the
 * one its workers run) and makes its image as `buildNativeImage` does. For the frame the user is
 * waiting for, when it is small (`decodesHere`): the trip to a worker and back costs more than
 * the decoding, once the decoder is warm (renderWarmup.ts). Runs decoded whole still go to the workers. Call only where `decodesHere` said yes, and after
 * frameCheck.ts has checked the RLE header (the decoder trusts it).
 */
export async function decodeHereToImage(imageId: string, bytes: Uint8Array): Promise<Types.IImage> {
  const start = Date.now();
  const imageFrame = getImageFrame(imageId) as unknown as ImageFrame;
  const pixelData = await decodeRle(rleFrameFields(imageFrame.rows, imageFrame.columns, imageFrame.bitsAllocated), bytes);
  return imageOfStoredValues(imageId, imageFrame, pixelData, start);
}

interface RleFrameFields {
  rows: number;
  columns: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  planarConfiguration: number;
  pixelRepresentation: number;
  pixelData: Uint8Array | Uint16Array | undefined;
}

/**
 * What the RLE decoder reads of a frame, always as an object of this one shape: its optimised
 * code checks the shape, and a warm-up on another one (or on getImageFrame's object) was thrown
 * away at the first real frame ("wrong map" in V8's deopt trace).
 */
function rleFrameFields(rows: number, columns: number, bitsAllocated: number): RleFrameFields {
  return { rows, columns, bitsAllocated, samplesPerPixel: 1, planarConfiguration: 0, pixelRepresentation: 0, pixelData: undefined };
}

async function decodeRle(fields: RleFrameFields, bytes: Uint8Array): Promise<Uint8Array | Uint16Array> {
  const decoded = (await decoders.RLE(fields as never, bytes as never)) as unknown as RleFrameFields;
  return decoded.pixelData!;
}

/** Decodes made-up RLE frames in this thread so that the first real one runs optimised code. */
export async function warmUpRleHere(frames: ReadonlyArray<{ bytes: Uint8Array; side: number; bitsAllocated: 8 | 16 }>): Promise<void> {
  for (const frame of frames) await decodeRle(rleFrameFields(frame.side, frame.side, frame.bitsAllocated), frame.bytes);
}

function imageOfStoredValues(imageId: string, imageFrame: ImageFrame, words: Uint8Array | Uint16Array, start: number): Types.IImage {
  // 8-bit values stay a Uint8Array whatever their range, so their min/max are only worked out
  // when something reads them (the frame is shown): decoding a whole run then never walks every
  // pixel of every frame. 16-bit ones need the maximum now to pick the array type as createImage does.
  let stored = words;
  let range: { min: number; max: number } | null = stored instanceof Uint8Array ? null : minMax(stored);
  // Bits outside Bits Stored are not the value (storedBits.ts); the maximum tells when any are set.
  const bits = storedBitsOfFrame(imageId);
  if (bits && (range === null || holdsBitsOutside(bits, range.max))) {
    stored = keepStoredBits(stored, bits);
    range = stored instanceof Uint8Array ? null : minMax(stored);
  }
  const valueRange = () => (range ??= minMax(stored));
  const ArrayType = range ? arrayTypeFor(range.max) : Uint8Array;
  const pixelData = stored instanceof ArrayType ? stored : ArrayType.from(stored);
  imageFrame.decodeLevel = undefined;
  imageFrame.pixelData = pixelData;
  imageFrame.pixelDataLength = pixelData.length;
  defineRangeFields(imageFrame, 'smallestPixelValue', 'largestPixelValue', valueRange);
  imageFrame.decodeTimeInMS = Date.now() - start;
  return assembleImage(imageId, imageFrame, pixelData, valueRange);
}

/**
 * Decodes a compressed grayscale frame in the loader's workers, as createImage does (the same
 * decode task and options; the worker picks the pixel type from the frame's range), and makes its
 * image around the array the worker sent back. Call only where `buildsDecodedImage` said yes.
 *
 * The task is posted here as createImage posts it (imageLoader/decodeImageFrame.js, not
 * exported): the package's exported `decodeImageFrame` is the worker's own function and decodes
 * in the calling thread, which had put every compressed frame's decode (and the codecs' WASM
 * compilation) on the main thread.
 *
 * `bytes` are handed over to the worker, not copied, when they fill their own ArrayBuffer or are
 * in one of frameBufferPool.ts's buffers (then they are empty here after the call): the caller
 * reads what it needs of them before. A pooled buffer comes back with the decoded frame and goes
 * back to the pool.
 */
export async function decodeToImage(imageId: string, bytes: Uint8Array, transferSyntaxUID: string, options: Record<string, unknown>) {
  // What createImage posts to a worker: the frame's fields without functions and promises (a
  // filtered copy; deleting keys would turn the object into a slower, larger dictionary).
  const imageFrame = workerImageFrame(getImageFrame(imageId) as unknown as Record<string, unknown>, options.decodeLevel);
  const { decodeConfig, wasmBasePath = utilities.getWasmBasePath() } = internal.getOptions() as {
    decodeConfig?: Record<string, unknown>;
    wasmBasePath?: string;
  };
  const { priority, requestType, ...taskOptions } = options as { priority?: number; requestType?: Enums.RequestType };
  // With a stored window nothing needs the frame's range until it is looked at (assembleImage
  // reads it only without one): an 8-bit frame's is then worked out here when first asked for,
  // not scanned in the worker for every frame of a run decoded whole.
  const rangeOnPage = hasStoredWindow(imageId);
  const pooled = frameBuffers.owns(bytes.buffer);
  const decoded = (await getWebWorkerManager().executeTask(
    DECODE_WORKER,
    'decodeTask',
    handOver(
      {
        imageFrame,
        transferSyntax: transferSyntaxUID,
        pixelData: bytes,
        options: {
          ...taskOptions,
          rangeOnPage,
          // No rescale to apply (buildsDecodedImage): the worker picks the array type from the range, as setPixelDataType would.
          preScale: { enabled: false },
          allowFloatRendering: canRenderFloatTextures(),
          // The worker sends the buffer back (scripts/vite-plugin-decode-worker-transfer.ts).
          returnInput: pooled,
        },
        decodeConfig: wasmBasePath === undefined ? decodeConfig : { ...decodeConfig, wasmBasePath },
      },
      bytes,
    ),
    { priority, requestType },
  )) as ImageFrameFields & {
    pixelData: Uint8Array | Uint16Array;
    smallestPixelValue: number;
    largestPixelValue: number;
    rangeLeftToPage?: boolean;
    returnedInput?: ArrayBuffer;
  };
  const rangeLeftToPage = decoded.rangeLeftToPage === true;
  if (decoded.returnedInput) frameBuffers.giveTransferred(decoded.returnedInput);
  // The frame's fields stay those createImage gives it.
  delete decoded.rangeLeftToPage;
  delete decoded.returnedInput;
  let range = rangeLeftToPage ? null : { min: decoded.smallestPixelValue, max: decoded.largestPixelValue };
  // An RLE frame holds whole words as the file had them (the JPEG codecs give only the stored bits).
  const bits = storedBitsOfFrame(imageId);
  if (bits && range && holdsBitsOutside(bits, range.max) && !(decoded.pixelData instanceof Uint32Array)) {
    decoded.pixelData = keepStoredBits(decoded.pixelData, bits);
    range = minMax(decoded.pixelData);
    decoded.smallestPixelValue = range.min;
    decoded.largestPixelValue = range.max;
  }
  const valueRange = () => (range ??= minMax(decoded.pixelData));
  if (rangeLeftToPage) defineRangeFields(decoded, 'smallestPixelValue', 'largestPixelValue', valueRange);
  return assembleImage(imageId, decoded, decoded.pixelData, valueRange);
}

/**
 * The frame's fields as a decode task posts them: getImageFrame's fields without functions and
 * promises, then `decodeLevel`. The worker's decoders check the shape of this object in their
 * optimised code, so the codec warm-up (codecWarmup.ts) posts its frames through here too, with
 * fields of the same kinds: warmed on another shape, that code was thrown away at a run's first
 * real frame ("wrong map" in V8's deopt trace).
 */
export function workerImageFrame(frame: Record<string, unknown>, decodeLevel: unknown): Record<string, unknown> {
  const fields = Object.fromEntries(
    Object.entries(frame).filter(([, value]) => typeof value !== 'function' && !(value instanceof Promise)),
  );
  fields.decodeLevel = decodeLevel;
  return fields;
}

/**
 * The task's arguments, with the frame's bytes transferred when they fill their own buffer or
 * are in a pooled one (a view into a larger buffer, e.g. a chunk other frames are read from, is
 * copied as before). The structured clone of a 1024² frame's bytes cost the main thread more than
 * the copy itself here.
 */
function handOver<T extends object>(args: T, bytes: Uint8Array): T {
  const { buffer } = bytes;
  const whole = buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  return whole || frameBuffers.owns(buffer) ? transfer(args, [buffer as ArrayBuffer]) : args;
}

interface ImageFrameFields extends Record<string, unknown> {
  rows: number;
  columns: number;
  photometricInterpretation: string;
  decodeTimeInMS?: number;
}

/** The Cornerstone image createImage makes of a decoded grayscale frame, around `pixelData` as it is. */
function assembleImage(
  imageId: string,
  imageFrame: ImageFrameFields,
  pixelData: Uint8Array | Uint16Array | Uint32Array,
  valueRange: () => { min: number; max: number },
): Types.IImage {
  const { MetadataModules } = Enums;
  const imagePlane = (metaData.get(MetadataModules.IMAGE_PLANE, imageId) ?? {}) as {
    rowPixelSpacing?: number;
    columnPixelSpacing?: number;
  };
  const voiLut = (metaData.get(MetadataModules.VOI_LUT, imageId) ?? {}) as VoiLutModule;
  const modalityLut = (metaData.get(MetadataModules.MODALITY_LUT, imageId) ?? {}) as ModalityLutModule;
  const calibration = metaData.get(MetadataModules.CALIBRATION, imageId) ?? {};
  const { rows, columns } = imageFrame;
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    scalarData: pixelData,
    width: columns,
    height: rows,
    numberOfComponents: 1,
  });
  const image = {
    imageId,
    dataType: pixelData.constructor.name,
    color: false,
    calibration,
    columnPixelSpacing: imagePlane.columnPixelSpacing,
    columns,
    height: rows,
    preScale: undefined,
    intercept: modalityLut.rescaleIntercept ? modalityLut.rescaleIntercept : 0,
    slope: modalityLut.rescaleSlope ? modalityLut.rescaleSlope : 1,
    invert: imageFrame.photometricInterpretation === 'MONOCHROME1',
    rowPixelSpacing: imagePlane.rowPixelSpacing,
    rows,
    sizeInBytes: pixelData.byteLength,
    width: columns,
    windowCenter: voiLut.windowCenter ? voiLut.windowCenter[0] : undefined,
    windowWidth: voiLut.windowWidth ? voiLut.windowWidth[0] : undefined,
    // The metadata provider gives it in a list (metadataProvider.ts); a plain string is taken whole.
    voiLUTFunction:
      (Array.isArray(voiLut.voiLUTFunction) ? voiLut.voiLUTFunction[0] : voiLut.voiLUTFunction) || voiLut.voiLutFunction || undefined,
    decodeTimeInMS: imageFrame.decodeTimeInMS as number,
    floatPixelData: undefined,
    imageFrame,
    voxelManager,
    rgba: false,
    getPixelData: () => imageFrame.pixelData,
    getCanvas: undefined,
    numberOfComponents: 1,
  } as unknown as Types.IImage;
  defineRangeFields(image as unknown as Record<string, unknown>, 'minPixelValue', 'maxPixelValue', valueRange);
  if (voiLut.voiLUTSequence?.length) image.voiLUT = voiLut.voiLUTSequence[0] as Types.IImage['voiLUT'];
  if (image.windowCenter === undefined || image.windowWidth === undefined) {
    const { min, max } = valueRange();
    const level = utilities.windowLevel.toWindowLevel(min, max);
    image.windowWidth = level.windowWidth;
    image.windowCenter = level.windowCenter;
  }
  return image;
}

/** Two fields holding a frame's smallest and largest value, read from `range` when first read (and writable, as plain fields are). */
function defineRangeFields(target: Record<string, unknown>, minKey: string, maxKey: string, range: () => { min: number; max: number }) {
  for (const [key, pick] of [
    [minKey, (r: { min: number }) => r.min],
    [maxKey, (r: { max: number }) => r.max],
  ] as const) {
    Object.defineProperty(target, key, {
      configurable: true,
      enumerable: true,
      get: () => pick(range() as { min: number; max: number }),
      set: (value: unknown) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true }),
    });
  }
}
