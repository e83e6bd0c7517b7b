import { describe, expect, it } from 'vitest';
import { jpegSamplePrecision } from '../../src/dicom/jpegFrame';

/** SOI, an APP0 segment, then a start-of-frame segment of the given marker and precision. */
function codestream(sofMarker: number, precision: number): Uint8Array {
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x04,
    0x4a,
    0x46,
    0xff,
    sofMarker,
    0x00,
    0x0b,
    precision,
    0x00,
    0x20,
    0x00,
    0x20,
    0x01,
  ]);
}

describe('jpegSamplePrecision', () => {
  it('reads the precision of baseline, extended and lossless frame headers', () => {
    expect(jpegSamplePrecision(codestream(0xc0, 8))).toBe(8);
    expect(jpegSamplePrecision(codestream(0xc1, 12))).toBe(12);
    expect(jpegSamplePrecision(codestream(0xc3, 16))).toBe(16);
  });

  it('skips tables (DHT is not a frame header) and gives null without a frame header', () => {
    const withTable = Uint8Array.from([0xff, 0xd8, 0xff, 0xc4, 0x00, 0x03, 0x00, 0xff, 0xc1, 0x00, 0x0b, 12, 0, 0, 0, 0, 1]);
    expect(jpegSamplePrecision(withTable)).toBe(12);
    expect(jpegSamplePrecision(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00, 0x00]))).toBeNull();
    expect(jpegSamplePrecision(Uint8Array.from([0x00, 0x01, 0x02]))).toBeNull();
  });
});
