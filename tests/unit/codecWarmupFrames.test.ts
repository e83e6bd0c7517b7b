import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decoder as JpegLosslessDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import { describe, expect, it } from 'vitest';

/**
 * The codec warm-up's frame files (src/viewer/codecWarmupFrames, see codecWarmup.ts) are what
 * they claim: 256² frames of the named codec, 8-bit or 10 bits in 16, with real content, so each
 * warm-up pass runs the decoder's full paths for that depth, not an error path or a flat frame.
 */
const framesDir = join(__dirname, '../../src/viewer/codecWarmupFrames');
const frame = (name: string) => new Uint8Array(readFileSync(join(framesDir, name)));

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  getDecodedBuffer(): Uint8Array;
}

/** A codec package's WASM decoder, loaded from its dist folder as Node reads it. */
async function wasmDecoder(packageName: string, moduleFile: string, className: string): Promise<WasmDecoder> {
  const dist = join(__dirname, '../../node_modules', packageName, 'dist') + '/';
  const factory = (await import(/* @vite-ignore */ dist + moduleFile)).default;
  // OpenJPEG logs each header it reads through print/printErr.
  const codec = await factory({ locateFile: (file: string) => dist + file, print: () => {}, printErr: () => {} });
  return new codec[className]();
}

function decodeWith(decoder: WasmDecoder, bytes: Uint8Array) {
  decoder.getEncodedBuffer(bytes.length).set(bytes);
  decoder.decode();
  return { info: decoder.getFrameInfo(), pixels: decoder.getDecodedBuffer().slice() };
}

describe('codec warm-up frames', () => {
  it('JPEG baseline: a 256² 8-bit grey frame with many values', async () => {
    const decoder = await wasmDecoder('@cornerstonejs/codec-libjpeg-turbo-8bit', 'libjpegturbowasm_decode.js', 'JPEGDecoder');
    const { info, pixels } = decodeWith(decoder, frame('jpeg-baseline-256.jpg'));
    expect(info).toMatchObject({ width: 256, height: 256, bitsPerSample: 8, componentCount: 1 });
    expect(new Set(pixels).size).toBeGreaterThan(100);
  });

  it('JPEG-LS: a 256² 8-bit grey frame with many values', async () => {
    const decoder = await wasmDecoder('@cornerstonejs/codec-charls', 'charlswasm_decode.js', 'JpegLSDecoder');
    const { info, pixels } = decodeWith(decoder, frame('jpeg-ls-256.jls'));
    expect(info).toMatchObject({ width: 256, height: 256, bitsPerSample: 8, componentCount: 1 });
    expect(new Set(pixels).size).toBeGreaterThan(100);
  });

  it('JPEG Lossless (process 14, SV1): a 256² 8-bit frame with many values', () => {
    const bytes = frame('jpeg-lossless-256.jpg');
    const decoded = new JpegLosslessDecoder().decode(bytes.buffer, bytes.byteOffset, bytes.length, 1);
    expect(decoded.length).toBe(256 * 256);
    expect(new Set(new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length)).size).toBeGreaterThan(100);
    // SOF3 (lossless, Huffman), not SOF0: the warm-up must run the lossless decoder.
    expect([...bytes.subarray(0, 1024)].some((b, i) => b === 0xff && bytes[i + 1] === 0xc3)).toBe(true);
  });

  it('JPEG-LS, 10 bits: P = 10 in the codestream, as the 10-bit XA frames of the corpus have (CharLS decodes each depth with its own code)', async () => {
    const bytes = frame('jpeg-ls-256-16.jls');
    const sof55 = [...bytes.keys()].find((i) => bytes[i] === 0xff && bytes[i + 1] === 0xf7)!;
    expect(bytes[sof55 + 4]).toBe(10);
    const decoder = await wasmDecoder('@cornerstonejs/codec-charls', 'charlswasm_decode.js', 'JpegLSDecoder');
    const { info, pixels } = decodeWith(decoder, bytes);
    expect(info).toMatchObject({ width: 256, height: 256, bitsPerSample: 10, componentCount: 1 });
    const values = new Uint16Array(pixels.buffer, pixels.byteOffset, pixels.length / 2);
    expect(Math.max(...values)).toBeLessThan(1024);
    expect(new Set(values).size).toBeGreaterThan(400);
  });

  it('JPEG Lossless, 16 bits out: a 256² frame with values over 8 bits', () => {
    const bytes = frame('jpeg-lossless-256-16.jpg');
    const decoded = new JpegLosslessDecoder().decode(bytes.buffer, bytes.byteOffset, bytes.length, 2);
    const values = new Uint16Array(decoded.buffer, decoded.byteOffset, 256 * 256);
    expect(values.length).toBe(256 * 256);
    expect(Math.max(...values)).toBeGreaterThan(255);
    expect(new Set(values).size).toBeGreaterThan(400);
  });

  it('JPEG 2000: a 256² 8-bit frame with many values, reversible (5/3), as GDCM writes lossless frames', async () => {
    const decoder = await wasmDecoder('@cornerstonejs/codec-openjpeg', 'openjpegwasm_decode.js', 'J2KDecoder');
    const bytes = frame('j2k-256.j2k');
    const { info, pixels } = decodeWith(decoder, bytes);
    expect(info).toMatchObject({ width: 256, height: 256, bitsPerSample: 8, componentCount: 1 });
    expect(new Set(pixels).size).toBeGreaterThan(100);
    const cod = [...bytes.keys()].find((i) => bytes[i] === 0xff && bytes[i + 1] === 0x52)!;
    expect(bytes[cod + 13]).toBe(1); // wavelet transformation: 1 = 5/3 reversible
  });

  it("JPEG 2000, 1024² in 16 bits: flat blocks of 10-bit values in a few KB (it is there to touch the decoder's memory as a real frame would, not to be decoded at length; GDCM writes the precision as 16)", async () => {
    const decoder = await wasmDecoder('@cornerstonejs/codec-openjpeg', 'openjpegwasm_decode.js', 'J2KDecoder');
    const bytes = frame('j2k-1024-16.j2k');
    expect(bytes.length).toBeLessThan(8 * 1024);
    const { info, pixels } = decodeWith(decoder, bytes);
    expect(info).toMatchObject({ width: 1024, height: 1024, bitsPerSample: 16, componentCount: 1 });
    const values = new Uint16Array(pixels.buffer, pixels.byteOffset, pixels.length / 2);
    expect(values.length).toBe(1024 * 1024);
    const top = values.reduce((a, b) => Math.max(a, b));
    expect(top).toBeGreaterThan(255);
    expect(top).toBeLessThan(1024);
    expect(new Set(values).size).toBe(256);
  });

  it("JPEG extended (process 4, 12-bit): a 256² frame the loader's 12-bit decoder reads", async () => {
    const decoders = join(__dirname, '../../node_modules/@cornerstonejs/dicom-image-loader/dist/esm/shared/decoders');
    const decode12Bit = (await import(/* @vite-ignore */ join(decoders, 'decodeJPEGBaseline12Bit-js.js'))).default;
    const bytes = frame('jpeg-extended-256-16.jpg');
    expect([...bytes.subarray(0, 1024)].some((b, i) => b === 0xff && bytes[i + 1] === 0xc1)).toBe(true);
    const decoded = await decode12Bit({ rows: 256, columns: 256, bitsAllocated: 16, pixelRepresentation: 0 }, bytes);
    expect(decoded.pixelData.length).toBe(256 * 256);
    expect(Math.max(...decoded.pixelData)).toBeGreaterThan(255);
    expect(new Set(decoded.pixelData).size).toBeGreaterThan(400);
  });
});
