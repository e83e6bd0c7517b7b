import { Enums, canRenderFloatTextures, getWebWorkerManager, utilities } from '@cornerstonejs/core';
import { encodeRleFrame } from '../dicom/rleEncode';
import j2k1024Url from './codecWarmupFrames/j2k-1024-16.j2k?url';
import j2kUrl from './codecWarmupFrames/j2k-256.j2k?url';
import jpegBaselineUrl from './codecWarmupFrames/jpeg-baseline-256.jpg?url';
import jpegExtended16Url from './codecWarmupFrames/jpeg-extended-256-16.jpg?url';
import jpegLossless16Url from './codecWarmupFrames/jpeg-lossless-256-16.jpg?url';
import jpegLosslessUrl from './codecWarmupFrames/jpeg-lossless-256.jpg?url';
import jpegLs16Url from './codecWarmupFrames/jpeg-ls-256-16.jls?url';
import jpegLsUrl from './codecWarmupFrames/jpeg-ls-256.jls?url';
import { DECODE_WORKER, workerImageFrame } from './nativeImage';
import { warmUpStep } from './warmUpGate';

/**
 * Loads the codecs into every decode worker before the user picks a file: WASM compilation
 * (JPEG-LS, JPEG baseline) and the first, unoptimised runs of the JS decoders take 50–120 ms each,
 * which would otherwise land on the first frame of the first run.
 *
 * Compiling is not enough. V8 runs a WASM function in its baseline tier until the function has
 * done enough work, and a JS decoder's loops stay unoptimised the same way: after one 32×32 frame
 * per codec, the first 1024² frame of a run still took, in Node 20 here (median of 5–7 processes),
 * 16 ms instead of 11 (JPEG baseline), 46 instead of 27 (JPEG-LS) and 120 instead of 66 (JPEG
 * Lossless, plain JS: the published decoder then; dicom/jpegLossless.ts now, warmed alike). Six
 * passes over a 256² frame reach the fast code (one did not, for JPEG-LS). Samples over 8 bits
 * take other code (CharLS instantiates its decoder per sample type and bit depth): warmed on 8-bit
 * frames only, the corpus's 10-bit 1024² JPEG-LS frame took 60 ms instead of 28; so JPEG
 * Lossless, JPEG-LS and 12-bit JPEG extended are warmed on a 10-bit frame in 16 bits as well.
 * These frames are files (codecWarmupFrames/, written by scripts/make-codec-warmup.mjs with DCMTK
 * and GDCM from the bench's synthetic fluoroscopy frame), fetched with the app's own assets:
 * 230 KB in all.
 *
 * JPEG 2000 (OpenJPEG) is warmed the same way on an 8-bit 256² frame, then decodes one 1024² frame
 * of flat blocks (a 4 KB codestream). Its WASM memory does not grow (50 MB from the start), but the
 * first 1024² decode is the first to touch the part of it a frame that size uses, and the system
 * supplying those pages cost the first real frame another 30–50 ms after the passes. Node 20 here,
 * first 1024² frame of the bench's JPEG 2000 run, median of 7 processes: 258 ms cold, 206 after
 * the 256² passes, 154 after both (then 110–140 as the run goes on); in the bench (A/B, 2 rounds)
 * the first frame of a J2K run came 227/225 → 182/182 ms. The price: those pages stay resident,
 * 18 MB per decode worker (RSS in Node), whether or not a J2K run is ever opened. One 32×32 frame,
 * the warm-up before, compiled the codec but left its code in the baseline tier.
 *
 * RLE is plain JS (no WASM): its warm-up frames are made here (gradient, noise and flat stretches,
 * encoded by rleEncode.ts), 8- and 16-bit.
 */
const WARM_UP_PASSES = 6;
/** Side of the frame files (scripts/make-codec-warmup.mjs SIDE). */
const WARM_UP_FILE_SIDE = 256;
const RLE = '1.2.840.10008.1.2.5';
/** Side of the RLE warm-up frames: enough samples for V8 to optimise the decoder's loops. */
const RLE_WARM_UP_SIDE = 256;

/** A gradient with noise and flat stretches, so both kinds of PackBits run are decoded. */
function rleWarmUpFrame(bitsAllocated: 8 | 16): Uint8Array {
  const side = RLE_WARM_UP_SIDE;
  const pixels = bitsAllocated === 8 ? new Uint8Array(side * side) : new Uint16Array(side * side);
  const top = bitsAllocated === 8 ? 255 : 4095;
  let seed = 1;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const flat = (x >> 5) % 2 === 0;
      pixels[y * side + x] = flat ? (y * top) / side : ((x + y) * top) / (2 * side) + (seed >>> 28);
    }
  return encodeRleFrame(pixels, side, side, bitsAllocated === 8 ? 1 : 2);
}

/**
 * The RLE warm-up frames, 8- and 16-bit, for warming the decoder in the page's own thread too
 * (nativeImage.ts decodes the frame the user waits for there).
 */
export function rleWarmUpFrames(): Array<{ bytes: Uint8Array; side: number; bitsAllocated: 8 | 16 }> {
  return ([8, 16] as const).map((bitsAllocated) => ({ bytes: rleWarmUpFrame(bitsAllocated), side: RLE_WARM_UP_SIDE, bitsAllocated }));
}

interface WarmUpFrame {
  name: string;
  transferSyntaxUID: string;
  bytes: () => Promise<Uint8Array>;
  side: number;
  bitsAllocated: 8 | 16;
  /** Decodes per worker, one after the other. */
  passes: number;
}

async function fetched(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A frame file of codecWarmupFrames/ (see the header), by default 256² and decoded WARM_UP_PASSES times on each worker. */
function frameFile(
  name: string,
  transferSyntaxUID: string,
  url: string,
  bitsAllocated: 8 | 16,
  { side = WARM_UP_FILE_SIDE, passes = WARM_UP_PASSES } = {},
): WarmUpFrame {
  return { name, transferSyntaxUID, bytes: () => fetched(url), side, bitsAllocated, passes };
}

const JPEG_2000 = '1.2.840.10008.1.2.4.90';
/** Side of the JPEG 2000 frame that touches OpenJPEG's memory as a real frame would (scripts/make-codec-warmup.mjs J2K_MEMORY_SIDE). */
const J2K_MEMORY_SIDE = 1024;

const ALL_WARM_UP_FRAMES: readonly WarmUpFrame[] = [
  frameFile('JPEG_BASELINE', '1.2.840.10008.1.2.4.50', jpegBaselineUrl, 8),
  frameFile('JPEG_LOSSLESS_SV1', '1.2.840.10008.1.2.4.70', jpegLosslessUrl, 8),
  frameFile('JPEG_LS', '1.2.840.10008.1.2.4.80', jpegLsUrl, 8),
  frameFile('JPEG_LOSSLESS_SV1_16', '1.2.840.10008.1.2.4.70', jpegLossless16Url, 16),
  frameFile('JPEG_LS_16', '1.2.840.10008.1.2.4.80', jpegLs16Url, 16),
  frameFile('JPEG_EXTENDED_16', '1.2.840.10008.1.2.4.51', jpegExtended16Url, 16),
  frameFile('JPEG_2000', JPEG_2000, j2kUrl, 8),
  // After the passes: they bring the code to its top tier, this frame has the memory a 1024² frame uses touched.
  frameFile('JPEG_2000_MEMORY', JPEG_2000, j2k1024Url, 16, { side: J2K_MEMORY_SIDE, passes: 1 }),
  ...([8, 16] as const).map((bitsAllocated) => ({
    name: `RLE_${bitsAllocated}`,
    transferSyntaxUID: RLE,
    bytes: async () => rleWarmUpFrame(bitsAllocated),
    side: RLE_WARM_UP_SIDE,
    bitsAllocated,
    passes: 1,
  })),
];

function decodeTask(frame: WarmUpFrame, pixelData: Uint8Array): Promise<unknown> {
  // getImageFrame's fields in its order, with values of the kinds a real run's frame has (see workerImageFrame).
  const imageFrame = workerImageFrame(
    {
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      planarConfiguration: 0,
      rows: frame.side,
      columns: frame.side,
      bitsAllocated: frame.bitsAllocated,
      bitsStored: frame.bitsAllocated === 8 ? 8 : 12,
      pixelRepresentation: 0,
      smallestPixelValue: undefined,
      largestPixelValue: undefined,
      redPaletteColorLookupTableDescriptor: undefined,
      greenPaletteColorLookupTableDescriptor: undefined,
      bluePaletteColorLookupTableDescriptor: undefined,
      redPaletteColorLookupTableData: undefined,
      greenPaletteColorLookupTableData: undefined,
      bluePaletteColorLookupTableData: undefined,
      pixelData: undefined,
      imageId: `fluorolens-warmup:${frame.name}`,
    },
    undefined,
  );
  const wasmBasePath = utilities.getWasmBasePath?.();
  return getWebWorkerManager().executeTask(
    DECODE_WORKER,
    'decodeTask',
    {
      imageFrame,
      transferSyntax: frame.transferSyntaxUID,
      pixelData,
      options: { preScale: { enabled: false }, allowFloatRendering: canRenderFloatTextures() },
      decodeConfig: wasmBasePath ? { wasmBasePath } : {},
    },
    { requestType: Enums.RequestType.Prefetch, priority: 0 },
  );
}

/**
 * Each codec's frame decoded `passes` times on each of `workers` workers: the manager hands each
 * task to the least-loaded worker, so `workers` tasks in flight at once land one per worker. The
 * frame files are fetched at once, in parallel. Resolves with the codecs that failed to warm
 * (decoding still works; it is just slower at first).
 */
export async function warmUpDecoders(workers: number): Promise<string[]> {
  const failed: string[] = [];
  // A fetch that fails is a codec left cold, not an unhandled rejection while earlier codecs warm.
  const frames = ALL_WARM_UP_FRAMES.map((frame) => ({ frame, bytes: frame.bytes().catch(() => null) }));
  for (const { frame, bytes } of frames) {
    try {
      const pixelData = await bytes;
      if (!pixelData) throw new Error(`${frame.name}: no warm-up frame`);
      for (let pass = 0; pass < frame.passes; pass++) {
        await warmUpStep();
        const tasks = Array.from({ length: workers }, () => decodeTask(frame, pixelData.slice()));
        for (const result of await Promise.allSettled(tasks)) if (result.status === 'rejected') throw result.reason;
      }
    } catch {
      failed.push(frame.name);
    }
  }
  return failed;
}
