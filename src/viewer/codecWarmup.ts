import { Enums, canRenderFloatTextures, getWebWorkerManager, utilities } from '@cornerstonejs/core';
import { encodeRleFrame } from '../dicom/rleEncode';
import { DECODE_WORKER, workerImageFrame } from './nativeImage';

/**
 * Loads the codecs into every decode worker before the user picks a file: WASM compilation
 * (JPEG-LS, JPEG baseline) and the first, unoptimised runs of the JS decoders take 50–120 ms each,
 * which would otherwise land on the first frame of the first run. Each worker decodes one frame
 * per codec (two for RLE). The WASM codecs' frames are 32×32 8-bit MONOCHROME2, made once with
 * DCMTK from a gradient with noise (dcmcjpeg +eb, dcmcjpeg +e1, dcmcjpls; the J2K one with GDCM's
 * gdcmconv --j2k). Without its warm-up, the first J2K frame of a run waited ~170 ms more for
 * OpenJPEG's WASM.
 *
 * RLE is plain JS (no WASM): what costs there is V8 running its decoder unoptimised, so its warm-up
 * frames are made here (gradient, noise and flat stretches, encoded by rleEncode.ts), 8- and 16-bit.
 */
const WARM_UP_FRAMES: ReadonlyArray<{ name: string; transferSyntaxUID: string; base64: string }> = [
  {
    name: 'JPEG_BASELINE',
    transferSyntaxUID: '1.2.840.10008.1.2.4.50',
    base64:
      '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQ' +
      'ERMUFRUVDA8XGBYUGBIUFRT/wAALCAAgACABAREA/8QAGAABAQEBAQAAAAAAAAAAAAAABwgGBQn/xAApEAACAQMEAQQCAgMA' +
      'AAAAAAABAgMEBREGBxIhMQATIkEIFFFhMnHB/9oACAEBAAA/APMbSGkK3WN0FLSjhEuDNUMMrEv/AEn6H3/QBIoPROx1rl5r' +
      'RWlbnPEmZJa1lcEFuhhiEz9DABwD/frtak2FtTUkIuOn4aFW5xxz0RWNlYgd/A4J+xyBHRxnv0V76fizrPY/TumtWXG21D6M' +
      '1KrNbbmY2HBwz4gnBA4SMie4h/xkjPJCeLqmt2o0+to0ZQEqvu1Q/acqxPLlgr58YXgCB10f9+mfQUt9hE8NqhWqiA9x45zi' +
      'NCSByGWHyOAPPYHj45FYfjjs62o6C5633Kov0dG2ONqtKUR84biYwzyNKAzM8UPt54BcOxwS3BkJH+ZO7Nf+TQvmnoJkTScH' +
      'ux2imDyJFLKufaq5egxYkKwBX4KSuCS5eWdqLhHfdDWmSMIrwxCldFfkVZPj3jwSAGwfph59NOgpb3CtVFa4ErIsc3jmbCIx' +
      'IHIZZflgY68geDxyGveDe/VGs9stKaTmtUmn7TQU8dPWezWrMlxeNIxGXVVBRVKswQsQSQezGCATUd5i0lpi63uoEZjoqd5g' +
      'ksgjEjAfGPl3gscKOj2R0fHqNdsNzarb654dWqrROw/YpQex9e4n8MP48MBg+ARY+2W7NtrYXSw3ajuSyoZDRux9yPDBTJ7Z' +
      'KuvgDJGCCPPxPrR6y3ZpLZa0W/3Whs1MVeUoZPbaoC4JAQkl+PRCqCckdE4xH2+m+Uu4FVJZ7M70+mon7bBV61genceQgIyq' +
      'n+mbvAX//9k=',
  },
  {
    name: 'JPEG_LOSSLESS_SV1',
    transferSyntaxUID: '1.2.840.10008.1.2.4.70',
    base64:
      '/9j/4AAQSkZJRgABAQAAAQABAAD/wwALCAAgACABAREA/8QAHAAAAwEBAQEBAQAAAAAAAAAAAAIDAQcIBQYE/9oACAEBAAEA' +
      'APP4AAAAAAAAAAAAAAdE20n3eaAAAAAAAdDpsnYau6ucxAAAAAOg5thk16qLR2ny8AAAA6HhR9nVQa03X+lK8mAAADoTK6PR' +
      'mlfNXWo87eofAoAAHRTZ21TpvxH0n9znFV28/Up4FAAOg67JRG/aSLDi7+VfX9PgeBQA6AzLYZemfFSr4ulvs89z1CAeYuRA' +
      'HQ6Yl1Wrfq2rmY23/Jx9TAHmBuRAdAsa2pV5v0T49jW+xzffUwB5hstONh0bHn/RM3bCMVpiHqYA8yrXc44HRH18dkaiL/Rm' +
      '0xvUAB5ipOrtxg6G1VedMsuvOlo3aXqQA8zpaNX06HZ8dNW+tPpXyW0n3cDzHubaW2Q6Sj4f0Seg/wCsdcqvdgDzFtpvSbud' +
      'FpSdKStqdH+XN9buoB5nldBsvmHSaqyDWmx+0Nn/AEdwA8x5Z81sGqdOSsi86ZZl6T8dV7sHmcGE2jtqHSdYom2XaM8av6cD' +
      'zO5OgybTLh0u+Jus63NGWrx2m0xbSpZOJh0trYOzmGFdopYBTaZ/RvDg6lKubYzL70X4tJ3n+g5vq3So+o3EAOqTZ6Sbb/rp' +
      'sFKIfmc3V19fh4B1BrI74dE+U+M26+fY56zxZ83iQAdVWuZbN/ZbN6auP+UZlomnEwADrW7O6lujfGNx/t81a61DOIAAAdYd' +
      'bSemviXFrlNaO8TAAADrDV18oC2Foy7TeGgAAAHXtdXpKoVSqVafEQAAAADsNEaqFHUqnEgAAAAAAOx3WgucWAAAD///2Q==',
  },
  {
    name: 'JPEG_LS',
    transferSyntaxUID: '1.2.840.10008.1.2.4.80',
    base64:
      '/9j/9wALCAAgACABAREA/9oACAEBAAAAAP9+oAADDU4m2gAAAyvIi5xUZMagAAAy0oADWBB/TGWsa1ncu0AGrkXbkxDem4vx' +
      'T0ygqsQ/meVtQao1gktE1qSavUn4AAAMqAAwS4gABgAAAYxvjO7NcCCrfYlAAABZwABIKqQACAAAAr4AAAhMwAAAbrQszt/S' +
      'L0LAAAAMuyoiVbCgAAAwoAAAMFQAAAcDMAAA3AMrjG0bsYA4AAAeG0SqQQBAAAAbSMQfGH/UU0whJIAADgAAAwa5ce4AGAAA' +
      'Bj4AAAA2VIhjIewfRMVCiNzhMAAADEwHMygANAAAAbKllwwokiPFGQpKmaAqnSgAAA31LFL66yChaE8WMbkXsBHXUzsUwxVQ' +
      'AAAc6GM8Pf8jIAAADIgB+yWAAAB96GPZeZUWIi5UMQmlECpZyYBdmLgTzAT1eJMdCfNXAAABhw8mpQAAAevLPpJ4YkkeEsla' +
      '5IQAAAMWAAACzImjSWPQRynxcePIzcZawSMAAAHAAAg5R6EM9yaeX9kPJPuwF33WERhI7AAAJEBC6jRlXIPIAAAMgAAADIsk' +
      'rJ2laSKKkoFHWXlqD8AAAHckDHmIztetVklBJIik1LJlTyqIksXgAAAxwAHlPigSAAABjoUBwGZUW18bbN5l5lCYQToAAAIA' +
      'ABtpfNEAQbfEWgpMAAKLMii2rgAAAXoAqjv88VxZEqPSAD38ROFEAAABhYsGXoAAAO336rQ5AAAAFAAABiAAssUAAgAAAMnF' +
      'UIuQAAAHb6rNUTgAAAxIMs2FGFV5hKB13WeRqn9jezrxcCAAAB4fGJVmIXKVURkcAAAHd9oosIvZ7KcAAAHhnrF4SJgAAAdT' +
      'lv//2Q==',
  },
  {
    name: 'JPEG_2000',
    transferSyntaxUID: '1.2.840.10008.1.2.4.90',
    base64:
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
      'Lgfc96bP/9k=',
  },
];

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
  bytes: () => Uint8Array;
  side: number;
  bitsAllocated: 8 | 16;
}

const ALL_WARM_UP_FRAMES: readonly WarmUpFrame[] = [
  ...WARM_UP_FRAMES.map((f) => ({
    name: f.name,
    transferSyntaxUID: f.transferSyntaxUID,
    bytes: () => bytesOf(f.base64),
    side: 32,
    bitsAllocated: 8 as const,
  })),
  { name: 'RLE_8', transferSyntaxUID: RLE, bytes: () => rleWarmUpFrame(8), side: RLE_WARM_UP_SIDE, bitsAllocated: 8 },
  { name: 'RLE_16', transferSyntaxUID: RLE, bytes: () => rleWarmUpFrame(16), side: RLE_WARM_UP_SIDE, bitsAllocated: 16 },
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
 * One tiny decode per codec on each of `workers` workers: the manager hands each task to the
 * least-loaded worker, so `workers` tasks in flight at once land one per worker.
 * Resolves with the codecs that failed to warm (decoding still works; it is just slower at first).
 */
export async function warmUpDecoders(workers: number): Promise<string[]> {
  const failed: string[] = [];
  for (const frame of ALL_WARM_UP_FRAMES) {
    const bytes = frame.bytes();
    const results = await Promise.allSettled(Array.from({ length: workers }, () => decodeTask(frame, bytes.slice())));
    if (results.some((r) => r.status === 'rejected')) failed.push(frame.name);
  }
  return failed;
}
