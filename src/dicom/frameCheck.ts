/**
 * Cheap sanity checks on one frame's bytes before they go to a codec. Some decoders turn garbage
 * into a plausible-looking image instead of failing (the RLE decoder trusts its header), and a
 * wrong image is worse than a frame marked as failed.
 */
const RLE = '1.2.840.10008.1.2.5';
const JPEG_FAMILY = [
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
];
const JPEG_2000_FAMILY = [
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
];

export interface FrameExpectation {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

function rleProblem(bytes: Uint8Array, expected: FrameExpectation): string | null {
  if (bytes.length < 64) return `the RLE frame is ${bytes.length} bytes, shorter than its 64-byte header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments = view.getUint32(0, true);
  const wanted = expected.samplesPerPixel * Math.ceil(expected.bitsAllocated / 8);
  if (segments !== wanted) return `the RLE header declares ${segments} segments, but ${wanted} are needed for this image`;
  let previous = 64;
  for (let i = 0; i < segments; i++) {
    const offset = view.getUint32(4 + 4 * i, true);
    if (offset < previous || offset >= bytes.length)
      return `RLE segment ${i + 1} starts at byte ${offset}, outside the frame's ${bytes.length} bytes`;
    previous = offset;
  }
  // The decoder reads the slot after the last segment as where that segment ends (0: the frame's
  // end) and walks to it: a damaged value there would keep it busy for seconds. PS3.5 G.5 wants 0.
  const end = segments < 15 ? view.getUint32(4 + 4 * segments, true) : 0;
  if (end !== 0 && (end < previous || end > bytes.length))
    return `the RLE header gives an offset of ${end} after its last segment, outside the frame's ${bytes.length} bytes`;
  return null;
}

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** A reason the frame's bytes cannot be a valid frame of this transfer syntax, or null. */
export function frameBytesProblem(bytes: Uint8Array, transferSyntaxUID: string, expected: FrameExpectation): string | null {
  if (bytes.length === 0) return 'the frame holds no bytes';
  if (transferSyntaxUID === RLE) return rleProblem(bytes, expected);
  if (JPEG_FAMILY.includes(transferSyntaxUID) && !startsWith(bytes, 0xff, 0xd8))
    return 'the JPEG frame does not start with a JPEG start-of-image marker';
  if (JPEG_2000_FAMILY.includes(transferSyntaxUID) && !startsWith(bytes, 0xff, 0x4f) && !startsWith(bytes, 0, 0, 0, 0x0c, 0x6a, 0x50)) {
    return 'the JPEG 2000 frame does not start with a codestream or JP2 signature';
  }
  return null;
}

/** Decoded pixel count must match the image geometry. */
export function decodedLengthProblem(length: number, expected: FrameExpectation): string | null {
  const wanted = expected.rows * expected.columns * expected.samplesPerPixel;
  return length === wanted
    ? null
    : `the decoder returned ${length} values, but ${expected.rows}×${expected.columns}×${expected.samplesPerPixel} = ${wanted} were expected`;
}

const CODEC_NAMES: Array<[string[], string]> = [
  [['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'], 'JPEG-LS'],
  [JPEG_FAMILY, 'JPEG'],
  [JPEG_2000_FAMILY, 'JPEG 2000'],
  [[RLE], 'RLE'],
];

/**
 * What to tell the user when a codec gives up on a frame. Codecs fail with their own words or a
 * bare number ("83672"), which mean nothing to a reader; the sentence names the kind of data.
 */
export function codecFailureReason(transferSyntaxUID: string): string {
  const name = CODEC_NAMES.find(([uids]) => uids.includes(transferSyntaxUID))?.[1];
  return name ? `the ${name} data of this frame is damaged` : 'the pixel data of this frame could not be decoded';
}

/** "Frame 79 could not be decoded: the JPEG data of this frame is damaged." One sentence, one full stop. */
export function frameFailureMessage(frame: number, reason: string): string {
  const sentence = reason.trim().replace(/[.\s]+$/, '');
  return `Frame ${frame} could not be decoded: ${sentence || 'no reason was given'}.`;
}
