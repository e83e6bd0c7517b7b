import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { readHeader } from '../../src/dicom/header';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';
import type { ElementSpec } from '../support/dicom/syntheticDicom';
import { DicomInputError } from '../../src/dicom/types';
import { formatBytes, validatePixelGeometry } from '../../src/dicom/validate';

type Pixels = { kind: 'native'; bytes: Uint8Array } | { kind: 'encapsulated'; fragments: Uint8Array[] };

async function headerOf(elements: ElementSpec[], pixelData: Pixels = { kind: 'native', bytes: new Uint8Array(16) }) {
  const transferSyntaxUID = pixelData.kind === 'encapsulated' ? '1.2.840.10008.1.2.4.50' : undefined;
  const bytes = buildDicom({ elements, pixelData, transferSyntaxUID });
  return { header: await readHeader(bufferSource('v.dcm', bytes)) };
}

/** Image elements with one attribute replaced (or removed, when value is null). */
function withAttribute(tag: number, vr: string, value: string | number[] | null): ElementSpec[] {
  const base = imageElements({ rows: 4, columns: 4 }).filter((e) => e.tag !== tag);
  return value === null ? base : [...base, el(tag, vr, value)];
}

async function reasonFor(elements: ElementSpec[], pixelData?: Pixels): Promise<string> {
  const { header } = await headerOf(elements, pixelData);
  try {
    validatePixelGeometry(header);
  } catch (error) {
    expect(error).toBeInstanceOf(DicomInputError);
    expect((error as DicomInputError).fileName).toBe('v.dcm');
    return (error as DicomInputError).reason;
  }
  return 'accepted';
}

describe('validatePixelGeometry', () => {
  it('accepts a consistent image and reports its geometry', async () => {
    const { header } = await headerOf(imageElements({ rows: 4, columns: 4 }));
    expect(validatePixelGeometry(header)).toEqual({
      rows: 4,
      columns: 4,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      frameCount: 1,
      frameBytes: 16,
    });
  });

  it.each([
    ['Rows (0028,0010) is missing', 0x00280010, 'US', null],
    ['Rows (0028,0010) is 0', 0x00280010, 'US', [0]],
    ['Columns (0028,0011) is missing', 0x00280011, 'US', null],
    ['Bits Allocated (0028,0100) is missing', 0x00280100, 'US', null],
    ['1-bit pixel data is not supported', 0x00280100, 'US', [1]],
    ['Bits Allocated (0028,0100) is 12; expected 8, 16 or 32', 0x00280100, 'US', [12]],
    ['Samples per Pixel (0028,0002) is 4; expected 1 or 3', 0x00280002, 'US', [4]],
    ['Samples per Pixel (0028,0002) is 0; expected 1 or 3', 0x00280002, 'US', [0]],
    ['Number of Frames (0028,0008) is 0', 0x00280008, 'IS', '0'],
    ['Number of Frames (0028,0008) is -3', 0x00280008, 'IS', '-3'],
    ['Number of Frames (0028,0008) is not a number ("abc")', 0x00280008, 'IS', 'abc'],
    ['Number of Frames (0028,0008) is 250000, more than the 100000 a run can have', 0x00280008, 'IS', '250000'],
  ] as const)('refuses: "%s"', async (reason, tag, vr, value) => {
    expect(await reasonFor(withAttribute(tag, vr, value as string | number[] | null))).toBe(reason);
  });

  it('takes a missing Samples per Pixel as 1 for a monochrome image, refuses it otherwise', async () => {
    expect(await reasonFor(withAttribute(0x00280002, 'US', null))).toBe('accepted');
    const colour = withAttribute(0x00280002, 'US', null).filter((e) => e.tag !== 0x00280004);
    expect(await reasonFor([...colour, el(0x00280004, 'CS', 'RGB')])).toBe('Samples per Pixel (0028,0002) is missing');
  });

  it('refuses native pixel data shorter than the geometry declares, with sizes in words', async () => {
    const elements = imageElements({ rows: 512, columns: 512, bitsAllocated: 16, frames: 10 });
    expect(await reasonFor(elements, { kind: 'native', bytes: new Uint8Array(900) })).toBe(
      'declares 512×512×10 frames of 16-bit pixels (5.2 MB) but the file holds 900 bytes of pixel data',
    );
  });

  it('accepts a native file cut after whole frames (indexFrames marks the missing ones)', async () => {
    const bytes = buildDicom({
      elements: imageElements({ rows: 4, columns: 4, frames: 3 }),
      pixelData: { kind: 'native', bytes: new Uint8Array(48) },
    });
    const cut = bytes.subarray(0, bytes.length - 20); // frame 1 whole, frame 2 partly, frame 3 gone
    const header = await readHeader(bufferSource('v.dcm', cut));
    expect(validatePixelGeometry(header).frameCount).toBe(3);
    const worse = bytes.subarray(0, bytes.length - 40); // not even one frame
    const header2 = await readHeader(bufferSource('v.dcm', worse));
    expect(() => validatePixelGeometry(header2)).toThrow(
      'declares 4×4×3 frames of 8-bit pixels (48 bytes) but the file holds 8 bytes of pixel data',
    );
  });

  it('refuses compressed pixel data that cannot hold the declared frames', async () => {
    const elements = imageElements({ rows: 4, columns: 4, frames: 1000 });
    expect(await reasonFor(elements, { kind: 'encapsulated', fragments: [new Uint8Array(100)] })).toMatch(
      /^declares 1000 frames but its 1\d\d bytes of compressed pixel data cannot hold that many$/,
    );
  });

  it('refuses a compressed frame too large to decode', async () => {
    const elements = imageElements({ rows: 65535, columns: 65535, bitsAllocated: 16 });
    expect(await reasonFor(elements, { kind: 'encapsulated', fragments: [new Uint8Array(100)] })).toBe(
      'one 65535×65535 frame would need 8.6 GB once decoded, more than a viewer can hold',
    );
  });

  it('refuses a file without pixel data', async () => {
    const bytes = buildDicom({ elements: imageElements({ rows: 4, columns: 4 }) });
    const header = await readHeader(bufferSource('v.dcm', bytes));
    expect(() => validatePixelGeometry(header)).toThrow('v.dcm: the file has no Pixel Data (7FE0,0010)');
  });

  it('formats byte counts for people', () => {
    expect(formatBytes(256)).toBe('256 bytes');
    expect(formatBytes(1_702_398)).toBe('1.7 MB');
    expect(formatBytes(65535 * 65535 * 2)).toBe('8.6 GB');
  });
});
