import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { readHeader } from '../../src/dicom/header';
import { indexFrames, readFrameBytes } from '../../src/dicom/frameIndex';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';
import { DicomInputError } from '../../src/dicom/types';
import type { ByteSource } from '../../src/dicom/types';
import { countingSource } from '../support/dicom/countingSource';

const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const BIG = '1.2.840.10008.1.2.2';

function pixels(count: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => (i * 7 + seed) & 0xff);
}

/** A source that counts reads, to check what opening a file costs. */
async function failure(source: ByteSource): Promise<DicomInputError> {
  try {
    await readHeader(source);
  } catch (error) {
    expect(error).toBeInstanceOf(DicomInputError);
    return error as DicomInputError;
  }
  throw new Error('readHeader did not fail');
}

describe('readHeader: refusing what is not DICOM', () => {
  it('says an empty file is empty', async () => {
    const error = await failure(bufferSource('empty.dcm', new Uint8Array(0)));
    expect(error.reason).toBe('empty file');
    expect(error.message).toBe('empty.dcm: empty file');
  });

  it('refuses random bytes named .dcm, naming the file', async () => {
    let state = 12345;
    const random = Uint8Array.from({ length: 4096 }, () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    const error = await failure(bufferSource('x.dcm', random));
    expect(error.fileName).toBe('x.dcm');
    expect(error.reason).toBe('not a DICOM file (no DICM marker and no recognisable data set)');
  });

  it('refuses a short text file', async () => {
    const error = await failure(bufferSource('notes.dcm', new TextEncoder().encode('hello, this is not an image')));
    expect(error.reason).toMatch(/^not a DICOM file/);
  });

  it('says where a header is cut off mid-element', async () => {
    const whole = buildDicom({
      elements: [...imageElements({ rows: 4, columns: 4 }), el(0x00081030, 'LO', 'A study description long enough to cut')],
      pixelData: { kind: 'native', bytes: pixels(16) },
    });
    // Cut inside the Study Description value, well before the pixel data.
    const at = findTag(whole, 0x0008, 0x1030) + 8 + 10;
    const error = await failure(bufferSource('cut.dcm', whole.subarray(0, at)));
    expect(error.reason).toBe(`header is cut off at byte ${at}: element (0008,1030) declares 38 bytes but only 10 follow`);
  });

  it('says a header is damaged, not cut off, when a damaged length runs over the pixel data', async () => {
    const bytes = buildDicom({
      elements: [...imageElements({ rows: 4, columns: 4 }), el(0x00081030, 'LO', 'A study description')],
      pixelData: { kind: 'native', bytes: pixels(16) },
    });
    // A flipped byte in the Study Description's length (explicit VR: 2 bytes after tag and VR).
    const at = findTag(bytes, 0x0008, 0x1030);
    bytes[at + 7] = 0xff;
    const error = await failure(bufferSource('flipped.dcm', bytes));
    expect(error.reason).toBe(
      `the header is damaged: element (0008,1030) at byte ${at + 8} declares ${bytes[at + 6] + 0xff00} bytes, running over the pixel data and past the end of the file`,
    );
  });

  it('says a header is cut off inside the Transfer Syntax UID, in words', async () => {
    const whole = buildDicom({ elements: imageElements({ rows: 4, columns: 4 }) });
    // dicom-parser reads the group, then throws a bare string when the UID's value is asked for.
    const at = findTag(whole, 0x0002, 0x0010) + 8 + 5;
    const error = await failure(bufferSource('meta-ts.dcm', whole.subarray(0, at)));
    expect(error.reason).toBe(`header is cut off at byte ${at} in the File Meta Information`);
  });

  it('says where a header is cut off inside the File Meta Information', async () => {
    const whole = buildDicom({ elements: imageElements({ rows: 4, columns: 4 }) });
    const error = await failure(bufferSource('meta.dcm', whole.subarray(0, 150)));
    expect(error.reason).toBe('header is cut off at byte 150 in the File Meta Information');
  });

  it('names a File Meta Information without Transfer Syntax UID', async () => {
    const bytes = buildDicom({ elements: imageElements({ rows: 2, columns: 2 }) });
    // Rename (0002,0010) to (0002,0011): still well formed, but the transfer syntax is gone.
    const at = findTag(bytes, 0x0002, 0x0010);
    bytes[at + 2] = 0x11;
    expect((await failure(bufferSource('nots.dcm', bytes))).reason).toBe(
      'the File Meta Information has no Transfer Syntax UID (0002,0010)',
    );
  });
});

describe('readHeader: what it accepts', () => {
  it('reads a Part 10 file and locates native pixel data', async () => {
    const data = pixels(6 * 4);
    const bytes = buildDicom({ elements: imageElements({ rows: 6, columns: 4 }), pixelData: { kind: 'native', bytes: data } });
    const source = countingSource('p10.dcm', bytes);
    const header = await readHeader(source);
    expect(source.reads).toBe(1);
    expect(header.hasPreamble).toBe(true);
    expect(header.explicitVR).toBe(true);
    expect(header.transferSyntaxUID).toBe(EXPLICIT);
    expect(header.pixelData).toEqual({ valueOffset: bytes.length - 24, length: 24, encapsulated: false, vr: 'OW' });
    expect(header.dataSet.uint16('x00280010')).toBe(6);
  });

  it('sniffs a bare implicit VR little endian data set', async () => {
    const data = pixels(9);
    const bytes = buildDicom({
      layout: 'raw',
      transferSyntaxUID: IMPLICIT,
      elements: imageElements({ rows: 3, columns: 3 }),
      pixelData: { kind: 'native', bytes: data },
    });
    const header = await readHeader(bufferSource('raw-implicit', bytes));
    expect(header.hasPreamble).toBe(false);
    expect(header.explicitVR).toBe(false);
    expect(header.transferSyntaxUID).toBe(IMPLICIT);
    expect(header.pixelData?.vr).toBeUndefined();
    expect(header.dataSet.elements['x00020010']).toBeUndefined();
    expect(header.warnings[0]).toMatch(/implicit VR little endian/);
    const index = await indexFrames(header, 1);
    expect(index.frames[0].ok && (await readFrameBytes(header.source, index.frames[0].span))).toEqual(data.subarray(0, 9));
  });

  it('sniffs a bare explicit VR little endian data set', async () => {
    const bytes = buildDicom({
      layout: 'raw',
      transferSyntaxUID: EXPLICIT,
      elements: imageElements({ rows: 2, columns: 2 }),
      pixelData: { kind: 'native', bytes: pixels(4) },
    });
    const header = await readHeader(bufferSource('raw-explicit', bytes));
    expect(header.transferSyntaxUID).toBe(EXPLICIT);
    expect(header.explicitVR).toBe(true);
    expect(header.pixelData?.length).toBe(4);
  });

  it('reads File Meta Information that lacks the preamble, with file offsets intact', async () => {
    const data = pixels(16, 3);
    const bytes = buildDicom({
      layout: 'meta-without-preamble',
      elements: imageElements({ rows: 4, columns: 4 }),
      pixelData: { kind: 'native', bytes: data },
    });
    const header = await readHeader(bufferSource('nopreamble.dcm', bytes));
    expect(header.hasPreamble).toBe(false);
    expect(header.pixelData?.valueOffset).toBe(bytes.length - 16);
    expect(header.warnings[0]).toMatch(/without the 128-byte preamble/);
    const index = await indexFrames(header, 1);
    expect(index.frames[0].ok && (await readFrameBytes(header.source, index.frames[0].span))).toEqual(data);
  });

  it('reads explicit VR big endian headers', async () => {
    const bytes = buildDicom({
      transferSyntaxUID: BIG,
      elements: imageElements({ rows: 300, columns: 2, bitsAllocated: 16 }),
      pixelData: { kind: 'native', bytes: pixels(1200) },
    });
    const header = await readHeader(bufferSource('big.dcm', bytes));
    expect(header.transferSyntaxUID).toBe(BIG);
    expect(header.dataSet.uint16('x00280010')).toBe(300);
    expect(header.pixelData?.valueOffset).toBe(bytes.length - 1200);
  });

  it('grows the header slice when the header is larger than 64 KiB', async () => {
    const bigPrivate = el(0x00091010, 'OB', new Uint8Array(200_000));
    const bytes = buildDicom({
      elements: [...imageElements({ rows: 2, columns: 2 }), bigPrivate],
      pixelData: { kind: 'native', bytes: pixels(4) },
    });
    const source = countingSource('bigheader.dcm', bytes);
    const header = await readHeader(source);
    expect(source.reads).toBe(2); // 64 KiB, then 256 KiB, which reaches the pixel data
    expect(header.pixelData?.valueOffset).toBe(bytes.length - 4);
  });

  it('grows the slice when a sequence item is longer than it (a 65536-entry LUT)', async () => {
    const lut = el(0x00283000, 'SQ', [[el(0x00283002, 'US', [0, 0, 16]), el(0x00283006, 'OW', new Uint8Array(131072))]]);
    const bytes = buildDicom({
      elements: [...imageElements({ rows: 2, columns: 2 }), lut],
      pixelData: { kind: 'native', bytes: pixels(4) },
    });
    const source = countingSource('lut.dcm', bytes);
    const header = await readHeader(source);
    expect(source.reads).toBe(2);
    expect(header.dataSet.elements['x00283000'].items).toHaveLength(1);
  });

  it('keeps only the bytes the header needs, not the whole 64 KiB slice', async () => {
    const fragments = [pixels(40_000, 1), pixels(40_000, 2)];
    const bytes = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.4.50',
      elements: imageElements({ rows: 2, columns: 2, frames: 2 }),
      pixelData: { kind: 'encapsulated', fragments, basicOffsetTable: [0, 40_008] },
    });
    const header = await readHeader(bufferSource('small.dcm', bytes));
    // Up to and including the Basic Offset Table, which frame indexing reads from here.
    expect(header.headerBytes.length).toBe(header.pixelData!.valueOffset + 8 + 8);
    expect(header.dataSet.byteArray.length).toBe(header.headerBytes.length);
    expect((await indexFrames(header, 2)).frames.every((f) => f.ok)).toBe(true);
  });

  it('gives up on a source whose reads come back short instead of asking forever', async () => {
    const bytes = buildDicom({ elements: imageElements({ rows: 2, columns: 2 }), pixelData: { kind: 'native', bytes: pixels(4) } });
    const stingy: ByteSource = {
      name: 'short.dcm',
      size: bytes.length,
      read: (offset) => Promise.resolve(bytes.subarray(offset, offset + 200)),
    };
    await expect(readHeader(stingy)).rejects.toThrow(/^short\.dcm: header is cut off/);
  });

  it('parses past an Extended Offset Table (VR OV), which dicom-parser does not know', async () => {
    const fragments = [pixels(10, 1), pixels(12, 2)];
    const bytes = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.4.50',
      elements: imageElements({ rows: 2, columns: 2, frames: 2 }),
      pixelData: { kind: 'encapsulated', fragments, extendedOffsetTable: true },
    });
    const header = await readHeader(bufferSource('eot.dcm', bytes));
    expect(header.pixelData?.encapsulated).toBe(true);
    expect(header.dataSet.elements['x7fe00001']).toBeDefined();
    const index = await indexFrames(header, 2);
    expect(index.frames.every((f) => f.ok)).toBe(true);
    expect(index.frames[1].ok && (await readFrameBytes(header.source, index.frames[1].span))).toEqual(fragments[1]);
  });

  it('reads a file without pixel data (e.g. an SR) whole, with pixelData null', async () => {
    const bytes = buildDicom({ elements: [el(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.88.33'), el(0x00080018, 'UI', '1.2.3')] });
    const header = await readHeader(bufferSource('sr.dcm', bytes));
    expect(header.pixelData).toBeNull();
  });
});

function findTag(bytes: Uint8Array, group: number, element: number): number {
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (bytes[i] === (group & 0xff) && bytes[i + 1] === group >> 8 && bytes[i + 2] === (element & 0xff) && bytes[i + 3] === element >> 8)
      return i;
  }
  throw new Error('tag not found');
}
