import { execFileSync } from 'node:child_process';
import { Decoder as AliasedDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import { Decoder as PublishedDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js/release/lossless.js';
import { describe, expect, it } from 'vitest';
import { JpegLosslessDataError, decodeJpegLossless } from '../../src/dicom/jpegLossless';
import { Decoder as FluoroLensDecoder } from '../../src/viewer/jpegLosslessDecoder';
import { corpusFile } from '../support/corpus';
import { dcmtkPixels, firstFrameBytes, scratchFile } from '../support/dicom/dcmtkPixels';
import { encodeJpegLossless } from '../support/dicom/jpegLosslessEncode';
import { buildDicom, imageElements } from '../support/dicom/syntheticDicom';

const published = (frame: Uint8Array, bytesPerSample: 1 | 2) =>
  new PublishedDecoder().decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.length, bytesPerSample);

/** Where two decodings differ, as "count (first at i: a ≠ b)", or '' when they are equal. */
function difference(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `lengths ${a.length} ≠ ${b.length}`;
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i]) {
      count++;
      if (first < 0) first = i;
    }
  return count === 0 ? '' : `${count} samples (first at ${first}: ${a[first]} ≠ ${b[first]})`;
}

/** A JPEG Lossless codestream wrapped as a DICOM file, for DCMTK to decode. */
function asDicom(codestream: Uint8Array, rows: number, columns: number, bitsStored: number, predictor: number): string {
  const bytes = buildDicom({
    elements: imageElements({ rows, columns, bitsAllocated: bitsStored > 8 ? 16 : 8 }).map((e) =>
      e.tag === 0x00280101 ? { ...e, value: [bitsStored] } : e.tag === 0x00280102 ? { ...e, value: [bitsStored - 1] } : e,
    ),
    // Process 14 with selection value 1 has its own UID; other predictors take the general one.
    transferSyntaxUID: predictor === 1 ? '1.2.840.10008.1.2.4.70' : '1.2.840.10008.1.2.4.57',
    pixelData: { kind: 'encapsulated', fragments: [codestream.length % 2 ? Uint8Array.from([...codestream, 0]) : codestream] },
  });
  return scratchFile('encoded.dcm', bytes);
}

/** A 16-bit frame with every kind of step: ramps, noise, and jumps across the whole range. */
function hardSixteenBitFrame(width: number, height: number): Uint16Array {
  const samples = new Uint16Array(width * height);
  let seed = 7;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const x = i % width;
    samples[i] = x % 13 === 0 ? seed >>> 16 : x % 7 === 0 ? (x % 2 ? 0 : 65535) : (i * 37 + (seed >>> 28)) & 0xffff;
  }
  return samples;
}

describe('JPEG Lossless decoder (dicom/jpegLossless.ts)', () => {
  it('is what the dicom-image-loader gets when it imports the published decoder (vite.config.ts alias)', () => {
    expect(AliasedDecoder).toBe(FluoroLensDecoder);
  });

  it.each([
    ['xa1_wg04_1024_10bit_jpeg-lossless-sv1.dcm'],
    ['cr_wg04_rg3_mono1_10bit_jpeg-lossless.dcm'],
    ['cr_mono1_modality-lut-seq_jpeg-lossless.dcm'],
  ])('decodes the corpus file %s exactly as DCMTK and the published decoder do', (name) => {
    const file = corpusFile(name);
    const frame = firstFrameBytes(file);
    const ours = decodeJpegLossless(frame, 2);
    expect(ours).toBeInstanceOf(Uint16Array);
    expect(difference(ours!, dcmtkPixels(file, 16))).toBe('');
    expect(difference(ours!, published(frame, 2))).toBe('');
  });

  it.each([1, 2, 3, 4, 5, 6, 7])('decodes DCMTK’s encoding with selection value %i exactly', (predictor) => {
    const file = scratchFile(`sv${predictor}.dcm`);
    execFileSync('dcmcjpeg', ['+el', '+sv', String(predictor), corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm'), file], {
      stdio: 'pipe',
    });
    const frame = firstFrameBytes(file);
    const ours = decodeJpegLossless(frame, 2)!;
    expect(difference(ours, dcmtkPixels(file, 16))).toBe('');
    expect(difference(ours, published(frame, 2))).toBe('');
  });

  it('applies the point transform on output, as DCMTK does', () => {
    const file = scratchFile('pt3.dcm');
    execFileSync('dcmcjpeg', ['+el', '+sv', '4', '+pt', '3', corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm'), file], {
      stdio: 'pipe',
    });
    const ours = decodeJpegLossless(firstFrameBytes(file), 2)!;
    expect(ours.some((v) => v % 8 !== 0)).toBe(false);
    expect(difference(ours, dcmtkPixels(file, 16))).toBe('');
  });

  it('gives 8-bit frames in bytes when asked, and by the precision when not', () => {
    const file = scratchFile('eight-bit.dcm');
    execFileSync('dcmcjpeg', ['+el', '+sv', '7', corpusFile('rf_siemens_1f_464x512_8bit.dcm'), file], { stdio: 'pipe' });
    const frame = firstFrameBytes(file);
    const ours = decodeJpegLossless(frame, 1)!;
    expect(ours).toBeInstanceOf(Uint8Array);
    expect(difference(ours, dcmtkPixels(file, 8))).toBe('');
    expect(decodeJpegLossless(frame)).toBeInstanceOf(Uint8Array);
    expect(new FluoroLensDecoder().decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.length, 1)).toEqual(published(frame, 1));
  });

  it.each([1, 4, 6, 7])(
    'decodes 16-bit frames with jumps across the whole range (difference category 16) and restart intervals, predictor %i',
    (predictor) => {
      const [width, height] = [97, 40];
      const samples = hardSixteenBitFrame(width, height);
      const codestream = encodeJpegLossless(samples, width, height, { precision: 16, predictor, restartLines: 3 });
      const ours = decodeJpegLossless(codestream, 2)!;
      expect(difference(ours, samples)).toBe('');
      // DCMTK reads the same codestream to the same values: the encoder above is not the only judge.
      expect(difference(dcmtkPixels(asDicom(codestream, height, width, 16, predictor), 16), samples)).toBe('');
    },
  );

  it('names damage in a sentence: data cut off, a code that matches nothing, a restart marker missing', () => {
    const [width, height] = [64, 32];
    const samples = hardSixteenBitFrame(width, height);
    const whole = encodeJpegLossless(samples, width, height, { precision: 16, predictor: 1, restartLines: 4 });
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    expect(() => decodeJpegLossless(cut, 2)).toThrow(JpegLosslessDataError);
    expect(() => decodeJpegLossless(cut, 2)).toThrow(
      /^the JPEG Lossless data of this frame is damaged \(the data stop on line \d+ of 32\)$/,
    );

    // The 5-bit codes 17–31 are not in the table: overwrite the first scan byte with 0xF8 (11111 000).
    const scanStart = whole.findIndex((b, i) => b === 0xff && whole[i + 1] === 0xda) + 10;
    const badCode = whole.slice();
    badCode[scanStart] = 0xf8;
    expect(() => decodeJpegLossless(badCode, 2)).toThrow(/no Huffman code matches on line 1/);

    const withoutMarker = Uint8Array.from(
      whole.filter((_, i) => !(whole[i] === 0xff && whole[i + 1] === 0xd0) && !(whole[i - 1] === 0xff && whole[i] === 0xd0)),
    );
    expect(() => decodeJpegLossless(withoutMarker, 2)).toThrow(JpegLosslessDataError);

    expect(() => decodeJpegLossless(Uint8Array.from([1, 2, 3, 4]), 2)).toThrow(/no JPEG start marker/);
  });

  it('leaves colour, DCT and DNL-sized frames to the published decoder (null)', () => {
    const samples = hardSixteenBitFrame(16, 8);
    const codestream = encodeJpegLossless(samples, 16, 8, { precision: 16, predictor: 1 });
    const sof = codestream.findIndex((b, i) => b === 0xff && codestream[i + 1] === 0xc3);
    const threeComponents = codestream.slice();
    threeComponents[sof + 9] = 3;
    expect(decodeJpegLossless(threeComponents, 2)).toBeNull();
    const dct = codestream.slice();
    dct[sof + 1] = 0xc1;
    expect(decodeJpegLossless(dct, 2)).toBeNull();
    const linesLater = codestream.slice();
    linesLater[sof + 5] = 0;
    linesLater[sof + 6] = 0;
    expect(decodeJpegLossless(linesLater, 2)).toBeNull();
  });
});
