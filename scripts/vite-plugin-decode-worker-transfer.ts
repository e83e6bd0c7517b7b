import type { Plugin } from 'vite';

/**
 * Makes the dicom-image-loader's decode worker hand its decoded pixels back to the page by
 * transfer instead of by copy. The worker (decodeImageFrameWorker.js) returns each decoded frame
 * through comlink as a plain value, so the structured clone copies the pixels once in the worker
 * and again on the page's main thread, which is also busy drawing; the loader computes a transfer
 * list elsewhere but never passes it. Measured here on a 120×1024² RLE run: every frame decoded
 * in 2.1–2.2 s instead of 2.7–3.0 s, and 3.7 s of CPU instead of 5.0 s.
 *
 * One statement of the package is rewritten at build (and dev-serve) time; when the package no
 * longer has it, the build fails with this file's name rather than silently losing the transfer.
 * Pixels are transferred only when they fill their own ArrayBuffer (not a shared or target buffer,
 * which the worker must keep), so nothing else the worker holds is detached. A task may also ask
 * for its input buffer back (`options.returnInput`, set for the page's pooled buffers,
 * src/viewer/frameBufferPool.ts): it comes back transferred as the frame's `returnedInput`, unless
 * the decoded pixels are in it (nothing the codecs here do, but then it is not the input's any more).
 *
 * It also trims the worker's work after each decode (`withLeanPostProcessing`), which on RLE
 * took as long as the decoding itself: the pixel range is scanned with one loop per integer array
 * type, so each stays monomorphic (the package's single loop, with Math.min and Math.max per
 * pixel over every array type, ran several times slower), and a decoded array that already has
 * the type the range calls for and fills its own ArrayBuffer is kept instead of copied into a new
 * one (a view into a codec's WASM memory is still copied out). An 8-bit scan stops once it has
 * seen 0 and 255, beyond which no value can widen the range: real XA and RF frames (the corpus's)
 * reach both within their first 6 % of pixels, and the scan took 2–4 ms of each 1024² frame's
 * 12–13 ms here (a sampled profile of a 120×1024² RLE run: 498 ms of the workers' 1.9 s busy).
 * A task may also leave an 8-bit frame's range to the page (`options.rangeOnPage`, set where the
 * file has a window and so nothing needs the range until the frame is looked at): every 8-bit
 * value fits the Uint8Array the frame already is, so its type needs no scan; the frame then comes
 * back with `rangeLeftToPage` set and 0 and 255 as its range, which the page does not use.
 */
export const DECODE_WORKER_MODULE = /@cornerstonejs[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/]decodeImageFrameWorker\.js$/;

const IMPORT = "import { expose } from 'comlink';";
const TASK_RETURN = 'return decodeImageFrame(imageFrame, transferSyntax, pixelData, decodeConfig, options, callbackFn);';

const IMPORT_WITH_TRANSFER = `import { expose, transfer } from 'comlink';
function handBack(frame, input, options) {
    const pixels = frame && frame.pixelData;
    const buffer = pixels && pixels.buffer;
    const transfers = buffer instanceof ArrayBuffer && pixels.byteOffset === 0 && pixels.byteLength === buffer.byteLength ? [buffer] : [];
    const inputBuffer = input && input.buffer;
    if (frame && options && options.returnInput === true && inputBuffer instanceof ArrayBuffer && inputBuffer !== buffer && inputBuffer.byteLength > 0) {
        frame.returnedInput = inputBuffer;
        transfers.push(inputBuffer);
    }
    return transfers.length > 0 ? transfer(frame, transfers) : frame;
}`;
const TASK_RETURN_TRANSFERRED = `return decodeImageFrame(imageFrame, transferSyntax, pixelData, decodeConfig, options, callbackFn).then((frame) => handBack(frame, pixelData, options));`;

const MIN_MAX_IMPORT = "import getMinMax from './shared/getMinMax.js';";
const MIN_MAX_LEAN = `import getMinMaxOfAnyArray from './shared/getMinMax.js';
function minMaxOfUint8(pixels) {
    let min = pixels[0], max = pixels[0];
    const n = pixels.length;
    for (let start = 1; start < n; start += 4096) {
        const end = Math.min(n, start + 4096);
        for (let i = start; i < end; i++) { const v = pixels[i]; if (v < min) min = v; if (v > max) max = v; }
        if (min === 0 && max === 255) break;
    }
    return { min, max };
}
function minMaxOfUint16(pixels) {
    let min = pixels[0], max = pixels[0];
    for (let i = 1, n = pixels.length; i < n; i++) { const v = pixels[i]; if (v < min) min = v; if (v > max) max = v; }
    return { min, max };
}
function minMaxOfInt16(pixels) {
    let min = pixels[0], max = pixels[0];
    for (let i = 1, n = pixels.length; i < n; i++) { const v = pixels[i]; if (v < min) min = v; if (v > max) max = v; }
    return { min, max };
}
function rangeForPostProcessing(imageFrame, options) {
    const pixels = imageFrame.pixelData;
    if (options.rangeOnPage === true && pixels instanceof Uint8Array && !(options.preScale && options.preScale.enabled) && options.targetBuffer === undefined) {
        imageFrame.rangeLeftToPage = true;
        return { min: 0, max: 255 };
    }
    return getMinMax(pixels);
}
function getMinMax(pixels) {
    if (pixels.length === 0) return getMinMaxOfAnyArray(pixels);
    if (pixels instanceof Uint8Array) return minMaxOfUint8(pixels);
    if (pixels instanceof Uint16Array) return minMaxOfUint16(pixels);
    if (pixels instanceof Int16Array) return minMaxOfInt16(pixels);
    return getMinMaxOfAnyArray(pixels);
}`;
const RANGE_SCAN = '    const { min: minBeforeScale, max: maxBeforeScale } = getMinMax(imageFrame.pixelData);';
const RANGE_SCAN_UNLESS_LEFT_TO_PAGE =
  '    const { min: minBeforeScale, max: maxBeforeScale } = rangeForPostProcessing(imageFrame, options);';
const DEFAULT_ARRAY_COPY = `    const TypedArrayConstructor = getPixelDataTypeFromMinMax(min, max);
    const typedArray = new TypedArrayConstructor(imageFrame.pixelData.length);`;
const DEFAULT_ARRAY_KEPT = `    const TypedArrayConstructor = getPixelDataTypeFromMinMax(min, max);
    const decoded = imageFrame.pixelData;
    if (decoded instanceof TypedArrayConstructor && decoded.buffer instanceof ArrayBuffer && decoded.byteOffset === 0 && decoded.byteLength === decoded.buffer.byteLength) {
        return decoded;
    }
    const typedArray = new TypedArrayConstructor(imageFrame.pixelData.length);`;

/**
 * The worker's source with the pixel range scanned per array type and a decoded array that
 * already is what the worker would copy it into kept; throws when the package's code is not what
 * this expects.
 */
export function withLeanPostProcessing(code: string): string {
  return replaceEachOnce(code, [
    [MIN_MAX_IMPORT, MIN_MAX_LEAN],
    [RANGE_SCAN, RANGE_SCAN_UNLESS_LEFT_TO_PAGE],
    [DEFAULT_ARRAY_COPY, DEFAULT_ARRAY_KEPT],
  ]);
}

/** `code` with each `[from, to]` replaced; throws when a `from` is not there exactly once (the package changed). */
function replaceEachOnce(code: string, replacements: Array<[string, string]>): string {
  for (const [from] of replacements) {
    if (code.split(from).length - 1 !== 1) {
      throw new Error(
        'scripts/vite-plugin-decode-worker-transfer.ts: @cornerstonejs/dicom-image-loader changed its decode worker ' +
          '(decodeImageFrameWorker.js); check whether it now transfers decoded pixels and scans their range itself, and update or remove this plugin',
      );
    }
  }
  return replacements.reduce((out, [from, to]) => out.replace(from, () => to), code);
}

/** The worker's source with its decoded pixels transferred; throws when the package's code is not what this expects. */
export function withDecodedPixelsTransferred(code: string): string {
  return replaceEachOnce(code, [
    [IMPORT, IMPORT_WITH_TRANSFER],
    [TASK_RETURN, TASK_RETURN_TRANSFERRED],
  ]);
}

export function decodeWorkerTransfer(): Plugin {
  return {
    name: 'fluorolens-decode-worker-transfer',
    transform(code, id) {
      if (!DECODE_WORKER_MODULE.test(id.split('?')[0])) return null;
      return { code: withLeanPostProcessing(withDecodedPixelsTransferred(code)), map: null };
    },
  };
}
