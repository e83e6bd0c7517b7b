import { Enums, canRenderFloatTextures, getWebWorkerManager, utilities } from '@cornerstonejs/core';
import { encodeRleFrame } from '../dicom/rleEncode';
import jpegBaselineUrl from './codecWarmupFrames/jpeg-baseline-256.jpg?url';
import jpegExtended16Url from './codecWarmupFrames/jpeg-extended-256-16.jpg?url';
import jpegLossless16Url from './codecWarmupFrames/jpeg-lossless-256-16.jpg?url';
import jpegLosslessUrl from './codecWarmupFrames/jpeg-lossless-256.jpg?url';
import jpegLs16Url from './codecWarmupFrames/jpeg-ls-256-16.jls?url';
import jpegLsUrl from './codecWarmupFrames/jpeg-ls-256.jls?url';
import { DECODE_WORKER, workerImageFrame } from './nativeImage';

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
 * passes over a 256² frame reach the fast code (one did not, for JPEG-LS). Samples over 8 bits take other code (CharLS instantiates its decoder per sample type
 * and bit depth): warmed on 8-bit frames only, the corpus's 10-bit 1024² JPEG-LS frame took
 * 60 ms instead of 28; so JPEG Lossless, JPEG-LS and 12-bit JPEG extended are warmed on a 10-bit
 * frame in 16 bits as well. These frames are files (codecWarmupFrames/, written by
 * scripts/make-codec-warmup.mjs with DCMTK from the bench's synthetic fluoroscopy frame), fetched
 * with the app's own assets: 200 KB in all.
 *
 * JPEG 2000 keeps one 32×32 frame (made with GDCM's gdcmconv --j2k): it loads and compiles
 * OpenJPEG, which without a warm-up cost the first J2K frame ~170 ms; larger warm-up frames made
 * its first 1024² decode no faster (160–250 ms either way).
 *
 * RLE is plain JS (no WASM): its warm-up frames are made here (gradient, noise and flat stretches,
 * encoded by rleEncode.ts), 8- and 16-bit.
 */
const WARM_UP_PASSES = 6;
/** Side of the frame files (scripts/make-codec-warmup.mjs SIDE). */
const WARM_UP_FILE_SIDE = 256;
const JPEG_2000_BASE64 =
  '/0//UQApAAAAAAAgAAAAIAAAAAAAAAAAAAAAIAAAACAAAAAAAAAAAAABBwEB/1IADAAAAAEABAQEAAH/XAAQQEBISFBISFBISFBI' +
  'SFD/ZAAqAAFDcmVhdGVkIGJ5IEdEQ00vT3BlbkpQRUcgdmVyc2lvbiAyLjUuMP+QAAoAAAAAAnsAAf+Tz7QUCRUrHN/H2gkARQD4' +
  'Qw0CCwsMPw9s78PqC4D4R4B8JQAiGguKI5ImFX7/fx0ZdClgfjUBrJQRZNVLIVmfwfOkgPhoYD5FIDafPrDQ4R4xHu73hAUHeYgz' +
  'b/YbTQmgQT/TrTLffQJoq0MwxwY8M6nLvM4gLMDkbOyg+repopvH3XmkrsoSmrn9WOcTfwnLnSduLQvWMf6GYnm0lo9KGs9FNZ8t' +
  '4VKWT5JHKnYKDBeN/2XDk2sPwPk0bA+TRMB8mlQkeK/zLaLygEI34yjIzjz+FuFJ6IqSgoQVg7Ezri3Gl0+Tbpikzd3Gwu1vYI+L' +
  'VaWitL9iD8l1ML2ejMDAK22Sw7G1dCozRsXjmwWPiHC0ccRybNaW8LWm+5FqjmtqBtLiQvR0le6kmaRmuDOnFekmaIGvizeAbvgT' +
  'bwD5jyxCt+A8VqtzHLQ76OSrfNk9svx5rRbEW6xwZUpKyIccYLIkr3cAahNV6b2GjWKvv225NELDSz6qy9NdEqnVhch1VpcLYsRl' +
  'HRTGlYkYG4HyW/FJCu4Byf9J5u0mRVrwyBufQIYCVsSemFuOCmny67EliDZ0Teoi7Gk8ZFTlzu2+wNfOZQoa3p42ldmdLiaqKHPm' +
  '2Te25Q+wHxlGHFD0ji2BMsyPSKKEeRMSu+0ZCJyYmjNIwEQ4gh/TQlm4Cz0NgLS3qcV2Z6Pf2x0McvYLpOCmmEIrEzuQL/rt9ih7' +
  'jA0w9AuiA0NSizqCHfHNKL7euejS+6A+K09Uqd8STtszU7C6Z2mPd+qorTHGzd6LHDRVtIBwf5ZStvXd2z+HV7erQF2sY9n3Ndvb' +
  'Lgfc96bP/9k=';

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

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

/** A 256² frame file of codecWarmupFrames/ (see the header), decoded WARM_UP_PASSES times on each worker. */
function frameFile(name: string, transferSyntaxUID: string, url: string, bitsAllocated: 8 | 16): WarmUpFrame {
  return { name, transferSyntaxUID, bytes: () => fetched(url), side: WARM_UP_FILE_SIDE, bitsAllocated, passes: WARM_UP_PASSES };
}

const ALL_WARM_UP_FRAMES: readonly WarmUpFrame[] = [
  frameFile('JPEG_BASELINE', '1.2.840.10008.1.2.4.50', jpegBaselineUrl, 8),
  frameFile('JPEG_LOSSLESS_SV1', '1.2.840.10008.1.2.4.70', jpegLosslessUrl, 8),
  frameFile('JPEG_LS', '1.2.840.10008.1.2.4.80', jpegLsUrl, 8),
  frameFile('JPEG_LOSSLESS_SV1_16', '1.2.840.10008.1.2.4.70', jpegLossless16Url, 16),
  frameFile('JPEG_LS_16', '1.2.840.10008.1.2.4.80', jpegLs16Url, 16),
  frameFile('JPEG_EXTENDED_16', '1.2.840.10008.1.2.4.51', jpegExtended16Url, 16),
  {
    name: 'JPEG_2000',
    transferSyntaxUID: '1.2.840.10008.1.2.4.90',
    bytes: async () => bytesOf(JPEG_2000_BASE64),
    side: 32,
    bitsAllocated: 8,
    passes: 1,
  },
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
        const tasks = Array.from({ length: workers }, () => decodeTask(frame, pixelData.slice()));
        for (const result of await Promise.allSettled(tasks)) if (result.status === 'rejected') throw result.reason;
      }
    } catch {
      failed.push(frame.name);
    }
  }
  return failed;
}
