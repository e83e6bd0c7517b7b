/**
 * Helpers for the sample-run tests: read sample-dicom/, its truth files, and decode frames with
 * code independent of the generator (dicom-parser for the structure, a small PackBits decoder
 * written here for RLE).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as DicomParserTypes from 'dicom-parser';
import type { RunTruth } from '../../scripts/samples/generate';

export const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParserTypes;

export const SAMPLE_DIR = fileURLToPath(new URL('../../sample-dicom', import.meta.url));
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
export const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** Every file under dir, as sorted '/'-separated relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * The ground truth written beside each run (the generator's own RunTruth). sample-dicom/ is
 * committed, so finding none is an error, not a reason to skip.
 */
export function readTruths(dir = SAMPLE_DIR): RunTruth[] {
  const truths = listFiles(dir)
    .filter((f) => f.endsWith('.truth.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunTruth);
  if (truths.length === 0) throw new Error(`no <run>.truth.json in ${dir}: sample-dicom/ is committed; regenerate it with npm run samples`);
  return truths;
}

/** PackBits decode of one RLE segment into exactly `size` bytes. */
export function unpackBits(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (o < size && i < src.length) {
    const h = src[i++];
    if (h < 128) {
      for (let k = 0; k <= h; k++) out[o++] = src[i++];
    } else if (h > 128) {
      const b = src[i++];
      for (let k = 0; k < 257 - h; k++) out[o++] = b;
    }
  }
  if (o !== size) throw new Error(`RLE segment decoded to ${o} bytes, expected ${size}`);
  return out;
}

/** Decodes one RLE Lossless frame (PS3.5 Annex G) to stored values. */
export function decodeRleFrame(frame: Uint8Array, rows: number, columns: number, bitsAllocated: number): Uint8Array | Uint16Array {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const bytes = bitsAllocated / 8;
  if (segments !== bytes) throw new Error(`RLE frame has ${segments} segments, expected ${bytes}`);
  const n = rows * columns;
  const planes: Uint8Array[] = [];
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    planes.push(unpackBits(frame.subarray(start, end), n));
  }
  if (bytes === 1) return planes[0];
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = (planes[0][i] << 8) | planes[1][i]; // most significant plane first
  return out;
}

/** Stored values of every frame (or of the first `only` frames) in one file (native little or big endian, or RLE), read with dicom-parser. */
export function readFrames(
  bytes: Uint8Array,
  only?: number,
): {
  dataSet: DicomParserTypes.DataSet;
  frames: Array<Uint8Array | Uint16Array>;
  pixelElement: DicomParserTypes.Element;
} {
  const dataSet = dicomParser.parseDicom(bytes);
  const rows = dataSet.uint16('x00280010') as number;
  const columns = dataSet.uint16('x00280011') as number;
  const bitsAllocated = dataSet.uint16('x00280100') as number;
  const count = dataSet.intString('x00280008') ?? 1;
  const pixelElement = dataSet.elements.x7fe00010;
  const frames: Array<Uint8Array | Uint16Array> = [];
  if (dataSet.string('x00020010') === RLE_LOSSLESS) {
    const fragments = pixelElement.fragments ?? [];
    for (let k = 0; k < (only ?? count); k++) {
      const f = fragments[k];
      const frag = dataSet.byteArray.subarray(f.position, f.position + f.length);
      frames.push(decodeRleFrame(frag, rows, columns, bitsAllocated));
    }
  } else {
    const frameBytes = rows * columns * (bitsAllocated / 8);
    // Big endian OW Pixel Data is a run of big-endian 16-bit words, 8-bit data included (PS3.5 8.1.1).
    const wordsSwapped = dataSet.string('x00020010') === EXPLICIT_BIG_ENDIAN && pixelElement.vr === 'OW';
    for (let k = 0; k < (only ?? count); k++) {
      const start = pixelElement.dataOffset + k * frameBytes;
      const copy = dataSet.byteArray.slice(start, start + frameBytes);
      if (wordsSwapped) {
        if (start % 2 !== pixelElement.dataOffset % 2) throw new Error('frame starts inside a 16-bit word');
        for (let i = 0; i + 1 < copy.length; i += 2) [copy[i], copy[i + 1]] = [copy[i + 1], copy[i]];
      }
      frames.push(bitsAllocated === 8 ? new Uint8Array(copy) : new Uint16Array(copy.buffer, copy.byteOffset, rows * columns));
    }
  }
  return { dataSet, frames, pixelElement };
}
