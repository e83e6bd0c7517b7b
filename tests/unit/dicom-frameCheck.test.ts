import { describe, expect, it } from 'vitest';
import { codecFailureReason, decodedLengthProblem, frameBytesProblem, frameFailureMessage } from '../../src/dicom/frameCheck';

const gray16 = { rows: 4, columns: 4, samplesPerPixel: 1, bitsAllocated: 16 };

function rleHeader(segments: number, offsets: number[], total = 128): Uint8Array {
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, segments, true);
  offsets.forEach((o, i) => view.setUint32(4 + 4 * i, o, true));
  return bytes;
}

describe('frame byte checks', () => {
  it('accepts a well-formed RLE header and rejects a wrong segment count or offsets', () => {
    expect(frameBytesProblem(rleHeader(2, [64, 96]), '1.2.840.10008.1.2.5', gray16)).toBeNull();
    expect(frameBytesProblem(rleHeader(0xffffffff, []), '1.2.840.10008.1.2.5', gray16)).toMatch(/declares 4294967295 segments, but 2/);
    expect(frameBytesProblem(rleHeader(2, [64, 500]), '1.2.840.10008.1.2.5', gray16)).toMatch(/segment 2 starts at byte 500/);
    expect(frameBytesProblem(new Uint8Array(10), '1.2.840.10008.1.2.5', gray16)).toMatch(/shorter than its 64-byte header/);
  });

  it('rejects an RLE header whose slot after the last segment points past the frame (the decoder would walk to it)', () => {
    // The slot after segment 2 is where the decoder stops reading segment 2: 0 or inside the frame.
    expect(frameBytesProblem(rleHeader(2, [64, 96, 128]), '1.2.840.10008.1.2.5', gray16)).toBeNull();
    expect(frameBytesProblem(rleHeader(2, [64, 96, 0x7fffffff]), '1.2.840.10008.1.2.5', gray16)).toMatch(
      /offset of 2147483647 after its last segment, outside the frame's 128 bytes/,
    );
    expect(frameBytesProblem(rleHeader(2, [64, 96, 80]), '1.2.840.10008.1.2.5', gray16)).toMatch(/after its last segment/);
  });

  it('wants JPEG and JPEG 2000 frames to start with their markers', () => {
    expect(frameBytesProblem(new Uint8Array([0xff, 0xd8, 0xff]), '1.2.840.10008.1.2.4.50', gray16)).toBeNull();
    expect(frameBytesProblem(new Uint8Array([0, 1, 2]), '1.2.840.10008.1.2.4.70', gray16)).toMatch(/start-of-image/);
    expect(frameBytesProblem(new Uint8Array([0xff, 0x4f, 0xff, 0x51]), '1.2.840.10008.1.2.4.90', gray16)).toBeNull();
    expect(frameBytesProblem(new Uint8Array([0xff, 0xd8]), '1.2.840.10008.1.2.4.90', gray16)).toMatch(/JPEG 2000/);
  });

  it('checks the decoded length against the geometry', () => {
    expect(decodedLengthProblem(16, gray16)).toBeNull();
    expect(decodedLengthProblem(15, gray16)).toMatch(/15 values.*16/);
  });
});

describe('what a failed frame says', () => {
  it('names the kind of data a codec gave up on, never its own words or numbers', () => {
    expect(codecFailureReason('1.2.840.10008.1.2.4.50')).toBe('the JPEG data of this frame is damaged');
    expect(codecFailureReason('1.2.840.10008.1.2.4.70')).toBe('the JPEG data of this frame is damaged');
    expect(codecFailureReason('1.2.840.10008.1.2.4.80')).toBe('the JPEG-LS data of this frame is damaged');
    expect(codecFailureReason('1.2.840.10008.1.2.4.90')).toBe('the JPEG 2000 data of this frame is damaged');
    expect(codecFailureReason('1.2.840.10008.1.2.5')).toBe('the RLE data of this frame is damaged');
    expect(codecFailureReason('1.2.840.10008.1.2.1')).toBe('the pixel data of this frame could not be decoded');
  });

  it('is one sentence with one full stop', () => {
    expect(frameFailureMessage(79, 'the JPEG data of this frame is damaged')).toBe(
      'Frame 79 could not be decoded: the JPEG data of this frame is damaged.',
    );
    expect(frameFailureMessage(5, 'run.dcm: frame data at byte 100 is cut off.  ')).toBe(
      'Frame 5 could not be decoded: run.dcm: frame data at byte 100 is cut off.',
    );
    expect(frameFailureMessage(2, '')).toBe('Frame 2 could not be decoded: no reason was given.');
  });
});
