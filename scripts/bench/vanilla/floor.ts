/**
 * The bench's floor: the least any viewer could do on this machine to show frame 1 of a file with
 * the same codecs (the dicom-image-loader's decode workers, warmed before the file is chosen, as
 * FluoroLens warms them). On the input's change event it reads the first 64 KiB, parses them with
 * dicom-parser up to Pixel Data, reads frame 1's bytes alone (the first fragment of an
 * encapsulated run; one fragment per frame, as the bench's runs have), decodes them in a worker
 * (native frames need none), windows them (the file's first window, else min–max) into a 2D
 * canvas and marks `floor:first-frame` as soon as the pixels are on the canvas, without waiting
 * for an animation frame. Its steps are marked on the way (`floor:header-read`, `floor:frame-read`,
 * `floor:decoded`). No viewport, no tools, no UI: what is left is the read, the codec and
 * one canvas paint. No viewer's frame 1 is decoded sooner than `floor:decoded`; the paint is a
 * plain 2D one, which at 1024² (~35 ms here) is slower than FluoroLens's WebGL draw, so the
 * painted figure is a reference, not a strict bound. The bench prints both.
 * `floor:first-frame` carries `detail.reason` instead when the file is beyond what this page does.
 *
 * With `?decodeAll=1`, once frame 1 is painted, it reads and decodes every other frame as fast
 * as it can: the rest of the file in 16 MB reads (as FluoroLens reads a run decoded whole), each
 * frame posted to the warmed workers as soon as its read is in, all of them queued at once;
 * nothing is drawn. `floor:all-decoded` marks the last decode, with `detail.frames`,
 * `detail.codecMs` (the summed decode times the workers report) or `detail.reason`. No viewer
 * decodes the run sooner here.
 */
import dicomParser from 'dicom-parser';
import { Enums, getWebWorkerManager, init as initCore } from '@cornerstonejs/core';
import { init as initImageLoader } from '@cornerstonejs/dicom-image-loader';
import { transfer } from 'comlink';
import { warmUpDecoders } from '../../../src/viewer/codecWarmup';
import { DECODE_WORKER } from '../../../src/viewer/nativeImage';

declare global {
  interface Window {
    __floorReady?: boolean;
  }
}

const HEADER_BYTES = 64 * 1024;
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
const WORKERS = navigator.hardwareConcurrency || 2;

async function bytesOf(file: File, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

function uint32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
}

interface Frame {
  /** Frames in the file (Number of Frames, else 1). */
  frames: number;
  /** Where frame 1's bytes end in the file: the other frames come after. */
  end: number;
  rows: number;
  columns: number;
  bitsAllocated: number;
  transferSyntax: string;
  window: { center: number; width: number } | null;
  bytes: Uint8Array;
}

/** Frame 1's bytes and what decoding and windowing them needs; a sentence when this page cannot. */
async function readFrameOne(file: File): Promise<Frame | string> {
  const header = await bytesOf(file, 0, HEADER_BYTES);
  performance.mark('floor:header-read');
  const dataSet = dicomParser.parseDicom(header, { untilTag: 'x7fe00010' });
  const pixelData = dataSet.elements.x7fe00010;
  if (!pixelData) return 'Pixel Data is not in the first 64 KiB';
  const transferSyntax = dataSet.string('x00020010') ?? '';
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 0;
  if (dataSet.uint16('x00280002') !== 1 || dataSet.uint16('x00280103') === 1) return 'not unsigned grayscale';
  if (transferSyntax === '1.2.840.10008.1.2.2') return 'big endian';
  const center = dataSet.floatString('x00281050');
  const width = dataSet.floatString('x00281051');
  const window = center !== undefined && width ? { center, width } : null;
  const frames = Number.parseInt(dataSet.string('x00280008') ?? '1', 10) || 1;
  const frame = { frames, rows, columns, bitsAllocated, transferSyntax, window };
  if (NATIVE.has(transferSyntax)) {
    const start = pixelData.dataOffset;
    const end = start + rows * columns * (bitsAllocated / 8);
    return { ...frame, end, bytes: await bytesOf(file, start, end) };
  }
  // Basic Offset Table item, then frame 1's (first) fragment item.
  const tableItem = pixelData.dataOffset;
  const fragmentItem = tableItem + 8 + uint32(header, tableItem + 4);
  // A single frame may span several fragments (the corpus's 10-bit JPEG-LS frame has six): all of them are the frame.
  if (frames === 1) return { ...frame, end: file.size, bytes: fragmentsJoined(await bytesOf(file, fragmentItem, file.size)) };
  const itemHeader =
    fragmentItem + 8 <= header.length
      ? header.subarray(fragmentItem, fragmentItem + 8)
      : await bytesOf(file, fragmentItem, fragmentItem + 8);
  const length = uint32(itemHeader, 4);
  const end = fragmentItem + 8 + length;
  return { ...frame, end, bytes: await bytesOf(file, fragmentItem + 8, end) };
}

/** The fragments' contents, in order, from the first fragment item to the sequence delimiter. */
function fragmentsJoined(items: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset + 8 <= items.length && uint32(items, offset) === ITEM_TAG) {
    const length = uint32(items, offset + 4);
    parts.push(items.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return parts.length === 1 ? parts[0] : parts.reduce(concat);
}

function imageFrameOf(frame: Omit<Frame, 'bytes'>) {
  return {
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    rows: frame.rows,
    columns: frame.columns,
    bitsAllocated: frame.bitsAllocated,
    bitsStored: frame.bitsAllocated,
    pixelRepresentation: 0,
  };
}

async function decode(frame: Frame): Promise<Uint8Array | Uint16Array> {
  if (NATIVE.has(frame.transferSyntax))
    return frame.bitsAllocated === 8 ? frame.bytes : new Uint16Array(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.length / 2);
  const args = {
    imageFrame: imageFrameOf(frame),
    transferSyntax: frame.transferSyntax,
    pixelData: frame.bytes,
    options: { preScale: { enabled: false } },
    decodeConfig: {},
  };
  const decoded = (await getWebWorkerManager().executeTask(DECODE_WORKER, 'decodeTask', transfer(args, [frame.bytes.buffer]), {
    requestType: Enums.RequestType.Interaction,
    priority: -10,
  })) as { pixelData: Uint8Array | Uint16Array };
  return decoded.pixelData;
}

/**
 * Reads of 16 MB, the current one and the next in flight, as FluoroLens reads a run decoded whole.
 * Measured here on RLE 512²×120 and 1024²×120: 4 MB reads four at a time, or eight 16 MB reads at
 * once, finished no sooner (the two cores are the limit, not the reads).
 */
const CHUNK_BYTES = 16 * 1024 * 1024;
const READS_AHEAD = 2;
const ITEM_TAG = 0xe000fffe; // (FFFE,E000) read as one little-endian uint32

/**
 * Frames 2..N: the file after frame 1 read in CHUNK_BYTES pieces, in order; native frames are
 * done when read (their bytes are the pixels), encapsulated ones (one fragment per frame, as the
 * bench's runs have) are cut out of the pieces and posted to the workers at once. Resolves with
 * the frames decoded and the workers' summed decode time.
 */
async function decodeRest(file: File, first: Omit<Frame, 'bytes'>): Promise<{ frames: number; codecMs: number }> {
  const native = NATIVE.has(first.transferSyntax);
  const frameBytes = first.rows * first.columns * (first.bitsAllocated / 8);
  const decodes: Array<Promise<{ decodeTimeInMS?: number }>> = [];
  let found = 1;
  // Bytes of a frame cut by the end of the last read: a native frame's count, an encapsulated item's bytes.
  let spareNative = 0;
  let carry = new Uint8Array(0);
  const starts: number[] = [];
  for (let at = first.end; at < file.size; at += CHUNK_BYTES) starts.push(at);
  const reads = new Map<number, Promise<Uint8Array>>();
  const readAt = (i: number) => {
    if (i < starts.length && !reads.has(i)) reads.set(i, bytesOf(file, starts[i], Math.min(file.size, starts[i] + CHUNK_BYTES)));
    return reads.get(i);
  };
  for (let i = 0; found < first.frames && i < starts.length; i++) {
    const at = starts[i];
    for (let k = 0; k < READS_AHEAD; k++) readAt(i + k);
    const read = (await readAt(i))!;
    if (native) {
      found = Math.min(first.frames, found + Math.floor((spareNative + read.length) / frameBytes));
      spareNative = (spareNative + read.length) % frameBytes;
      continue;
    }
    const bytes = carry.length ? concat(carry, read) : read;
    let offset = 0;
    while (found < first.frames && offset + 8 <= bytes.length) {
      if (uint32(bytes, offset) !== ITEM_TAG) throw new Error(`no fragment item at byte ${at - carry.length + offset}`);
      const length = uint32(bytes, offset + 4);
      if (offset + 8 + length > bytes.length) break;
      const fragment = bytes.slice(offset + 8, offset + 8 + length);
      const args = {
        imageFrame: imageFrameOf(first),
        transferSyntax: first.transferSyntax,
        pixelData: fragment,
        options: { preScale: { enabled: false } },
        decodeConfig: {},
      };
      decodes.push(
        getWebWorkerManager().executeTask(DECODE_WORKER, 'decodeTask', transfer(args, [fragment.buffer]), {
          requestType: Enums.RequestType.Prefetch,
          priority: 5,
        }) as Promise<{ decodeTimeInMS?: number }>,
      );
      found++;
      offset += 8 + length;
    }
    carry = bytes.slice(offset);
  }
  if (found < first.frames) throw new Error(`${found} of ${first.frames} frames found in the file`);
  const decoded = await Promise.all(decodes);
  return { frames: found, codecMs: decoded.reduce((sum, d) => sum + (d.decodeTimeInMS ?? 0), 0) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Greys of stored values through a lookup table; one function per array type keeps each loop monomorphic (optimised early). */
function lookUp8(values: Uint8Array, table: Uint32Array, rgba: Uint32Array) {
  for (let i = 0; i < values.length; i++) rgba[i] = table[values[i]];
}

function lookUp16(values: Uint16Array, table: Uint32Array, rgba: Uint32Array) {
  for (let i = 0; i < values.length; i++) rgba[i] = table[values[i]];
}

function windowOf(frame: Omit<Frame, 'bytes'>, values: Uint8Array | Uint16Array): [number, number] {
  if (frame.window) return [frame.window.center - frame.window.width / 2, frame.window.center + frame.window.width / 2];
  let lower = values[0];
  let upper = values[0];
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (v < lower) lower = v;
    else if (v > upper) upper = v;
  }
  return [lower, upper];
}

function paint(canvas: HTMLCanvasElement, frame: Omit<Frame, 'bytes'>, values: Uint8Array | Uint16Array) {
  const [lower, upper] = windowOf(frame, values);
  const table = new Uint32Array(values instanceof Uint8Array ? 256 : 65536);
  const scale = 255 / Math.max(1, upper - lower);
  for (let v = 0; v < table.length; v++) {
    const grey = Math.min(255, Math.max(0, Math.round((v - lower) * scale)));
    table[v] = 0xff000000 | (grey << 16) | (grey << 8) | grey;
  }
  canvas.width = frame.columns;
  canvas.height = frame.rows;
  // A canvas kept in memory: putImageData is then a copy, not an upload through software GL.
  const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const image = context.createImageData(frame.columns, frame.rows);
  const rgba = new Uint32Array(image.data.buffer);
  if (values instanceof Uint8Array) lookUp8(values, table, rgba);
  else lookUp16(values, table, rgba);
  context.putImageData(image, 0, 0);
}

/** Paints made-up frames of both depths off screen, so the first real paint runs optimised code. */
function warmUpPaint() {
  const canvas = document.createElement('canvas');
  for (let round = 0; round < 10; round++)
    for (const values of [new Uint8Array(512 * 512).fill(round), new Uint16Array(512 * 512).fill(round)])
      paint(
        canvas,
        { frames: 1, end: 0, rows: 512, columns: 512, bitsAllocated: values.BYTES_PER_ELEMENT * 8, transferSyntax: '', window: null },
        values,
      );
}

async function main() {
  await initCore();
  initImageLoader({ maxWebWorkers: WORKERS });
  await warmUpDecoders(WORKERS);
  warmUpPaint();
  const canvas = document.getElementById('frame') as HTMLCanvasElement;
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  const decodeAll = new URLSearchParams(location.search).get('decodeAll') === '1';
  input.addEventListener('change', () => {
    performance.mark('floor:input-change');
    const file = input.files?.[0];
    if (!file) return;
    void (async () => {
      let frame: Frame | string;
      try {
        frame = await readFrameOne(file);
        if (typeof frame === 'string') {
          performance.mark('floor:first-frame', { detail: { reason: frame } });
          return;
        }
        performance.mark('floor:frame-read');
        const values = await decode(frame);
        performance.mark('floor:decoded');
        paint(canvas, frame, values);
        performance.mark('floor:first-frame', { detail: {} });
      } catch (error) {
        performance.mark('floor:first-frame', { detail: { reason: String((error as Error)?.message ?? error) } });
        return;
      }
      if (!decodeAll) return;
      // After frame 1 is painted, as a viewer would: the first-frame figures stay the same with or without.
      try {
        performance.mark('floor:all-decoded', { detail: await decodeRest(file, frame) });
      } catch (error) {
        performance.mark('floor:all-decoded', { detail: { reason: String((error as Error)?.message ?? error) } });
      }
    })();
  });
  window.__floorReady = true;
}

void main();
