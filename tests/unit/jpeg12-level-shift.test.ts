import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { JPEG_JS_MODULE, withTwelveBitLevelShiftRight } from '../../scripts/vite-plugin-jpeg12-level-shift';
import { corpusFile } from '../support/corpus';
import { dcmtkPixels, firstFrameBytes } from '../support/dicom/dcmtkPixels';

const require = createRequire(import.meta.url);
const jpegPath = join(dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json')), 'dist/esm/codecs/jpeg.js');
const original = readFileSync(jpegPath, 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'fluorolens-jpeg12-'));

interface JpegDecoder {
  parse(bytes: Uint8Array): void;
  colorTransform: boolean;
  width: number;
  height: number;
  getData16(width: number, height: number): Uint16Array;
  getData(width: number, height: number): Uint8Array;
}

/** The decoder class of a jpeg.js source, loaded from a file of its own (outside node_modules, so no plugin touches it). */
async function decoderOf(source: string, name: string): Promise<new () => JpegDecoder> {
  const file = join(scratch, `${name}.mjs`);
  writeFileSync(file, source);
  return ((await import(/* @vite-ignore */ pathToFileURL(file).href)) as { default: new () => JpegDecoder }).default;
}

/** A codestream decoded by a jpeg.js source, as the loader calls it (16-bit output for 12-bit frames). */
async function decodeWith(source: string, name: string, codestream: Uint8Array, output: 8 | 16) {
  const Decoder = await decoderOf(source, name);
  const jpeg = new Decoder();
  jpeg.parse(codestream);
  jpeg.colorTransform = false;
  return output === 16 ? jpeg.getData16(jpeg.width, jpeg.height) : jpeg.getData(jpeg.width, jpeg.height);
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>) {
  let sum = 0;
  let largest = 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d;
    largest = Math.max(largest, Math.abs(d));
    if (d === 0) equal++;
  }
  return { mean: sum / a.length, largest, equal: equal / a.length };
}

describe('12-bit lossy JPEG decodes to the stored values (vite plugin on codecs/jpeg.js)', () => {
  it('finds the installed decoder module by its path', () => {
    expect(JPEG_JS_MODULE.test(jpegPath)).toBe(true);
    expect(JPEG_JS_MODULE.test(jpegPath.replace('codecs', 'shared'))).toBe(false);
  });

  it('rewrites the installed decoder into valid code', () => {
    const rewritten = withTwelveBitLevelShiftRight(original);
    expect(() => parseAst(rewritten)).not.toThrow();
    expect(rewritten).not.toContain('2056 / component.bitConversion');
  });

  it('fails the build with its own name when the package code changed', () => {
    expect(() => withTwelveBitLevelShiftRight(original.replace('q <= -2056 / component.bitConversion', 'q <= -2056'))).toThrow(
      /vite-plugin-jpeg12-level-shift\.ts: @cornerstonejs\/dicom-image-loader changed its JPEG decoder/,
    );
  });

  it('gives the WG04 XA 12-bit frame as DCMTK does; the package as published is 15 too high', async () => {
    const file = corpusFile('xa1_wg04_1024_10bit_jpeg-extended-lossy.dcm');
    const codestream = firstFrameBytes(file);
    const reference = dcmtkPixels(file, 16);
    const decode = (source: string, name: string) => decodeWith(source, name, codestream, 16);
    const published = differences(await decode(original, 'published'), reference);
    expect(published.mean).toBeGreaterThan(14);
    const fixed = differences(await decode(withTwelveBitLevelShiftRight(original), 'fixed'), reference);
    // Two integer inverse DCTs (the package's and IJG's) round some samples differently, by one at
    // most: here 84 % are equal and the rest one lower (as on 8-bit frames, where 96 % are equal).
    expect(Math.abs(fixed.mean)).toBeLessThan(0.25);
    expect(fixed.largest).toBeLessThanOrEqual(1);
    expect(fixed.equal).toBeGreaterThan(0.8);
  });

  it('leaves 8-bit frames exactly as the package decodes them', async () => {
    // An 8-bit JPEG Extended frame (DCMTK's encoder), decoded by both versions of the decoder.
    const eightBit = join(scratch, 'eight-bit.dcm');
    execFileSync('dcmcjpeg', ['+ee', corpusFile('rf_siemens_1f_464x512_8bit.dcm'), eightBit], { stdio: 'pipe' });
    const codestream = firstFrameBytes(eightBit);
    const decode = (source: string, name: string) => decodeWith(source, name, codestream, 8);
    const published = await decode(original, 'published8');
    expect(published.length).toBeGreaterThan(100_000);
    expect(await decode(withTwelveBitLevelShiftRight(original), 'fixed8')).toEqual(published);
    // And the package decoded it right to begin with.
    const againstDcmtk = differences(published, dcmtkPixels(eightBit, 8));
    expect(againstDcmtk.largest).toBeLessThanOrEqual(1);
    expect(againstDcmtk.equal).toBeGreaterThan(0.9);
  });
});
