import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import openJpegFactory, { OpenJpegDataError, routeOpenJpegLine } from '../../src/viewer/openJpegCodec';

/**
 * OpenJPEG through src/viewer/openJpegCodec.ts: its [INFO] lines no longer reach the console, and a
 * codestream it cannot decode whole fails instead of coming back part black.
 */
const dist = join(__dirname, '../../node_modules/@cornerstonejs/codec-openjpeg/dist') + '/';
// A 256² 8-bit reversible frame (the codec warm-up's).
const frame = new Uint8Array(readFileSync(join(__dirname, '../../src/viewer/codecWarmupFrames/j2k-256.j2k')));

interface Decoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number };
  getDecodedBuffer(): Uint8Array;
}

async function decoder(): Promise<Decoder> {
  const codec = (await openJpegFactory({ locateFile: (file: string) => dist + file })) as unknown as { J2KDecoder: new () => Decoder };
  return new codec.J2KDecoder();
}

function decode(j2k: Decoder, bytes: Uint8Array): Uint8Array {
  j2k.getEncodedBuffer(bytes.length).set(bytes);
  j2k.decode();
  return j2k.getDecodedBuffer().slice();
}

afterEach(() => vi.restoreAllMocks());

describe('OpenJPEG adapter', () => {
  it('decodes a whole frame without writing to the console', async () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const j2k = await decoder();
    const pixels = decode(j2k, frame);
    expect(j2k.getFrameInfo()).toMatchObject({ width: 256, height: 256 });
    expect(pixels.length).toBe(256 * 256);
    expect(new Set(pixels).size).toBeGreaterThan(100);
    expect([log.mock.calls, warn.mock.calls, error.mock.calls]).toEqual([[], [], []]);
  });

  it('throws a sentence naming JPEG 2000 and OpenJPEG’s own reason for a cut-off codestream, then decodes the next frame', async () => {
    const j2k = await decoder();
    // Unwrapped, OpenJPEG only prints "[ERROR] … failed to decode tile!" and returns the frame's first part, the rest 0.
    const failure = (() => {
      try {
        decode(j2k, frame.subarray(0, 3000));
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(OpenJpegDataError);
    expect((failure as Error).message).toMatch(/^the JPEG 2000 data of this frame is damaged \(OpenJPEG: .*(tile|stream)/i);
    // The decoder the loader keeps is still good for the next frame.
    expect(decode(j2k, frame)).toEqual(decode(await decoder(), frame));
  });

  it('is what any importer of the published factory gets, the dicom-image-loader included (scripts/vite-plugin-openjpeg-messages.ts)', async () => {
    const imported = (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default;
    expect(imported).toBe(openJpegFactory);
  });

  it('drops [INFO] lines, keeps [ERROR] lines for the decode, and passes anything else to the console as a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const errors: string[] = [];
    routeOpenJpegLine('[INFO] Start to read j2k main header (0).', errors);
    routeOpenJpegLine('[ERROR] Tile part length size inconsistent with stream length', errors);
    routeOpenJpegLine('[WARNING] Stream does not end with EOC', errors);
    expect(errors).toEqual(['Tile part length size inconsistent with stream length']);
    expect(warn.mock.calls).toEqual([['OpenJPEG: [WARNING] Stream does not end with EOC']]);
  });
});
