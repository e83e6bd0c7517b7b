/**
 * The DICOM layer against the real files in ../shared/dicom-corpus (read in place, never copied
 * into the project). See MANIFEST.md there for what each file is.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { classifyInstance } from '../../src/dicom/classify';
import { indexFirstFrame, indexFrames, readFrameBytes } from '../../src/dicom/frameIndex';
import { groupInstancesIntoRuns, summarizeInstance } from '../../src/dicom/grouping';
import { readHeader } from '../../src/dicom/header';
import { buildRunInfo } from '../../src/dicom/runInfo';
import type { FrameSlot, ParsedHeader } from '../../src/dicom/types';
import { DicomInputError } from '../../src/dicom/types';
import { validatePixelGeometry } from '../../src/dicom/validate';
import { corpusFile } from '../support/corpus';
import { countingSource } from '../support/dicom/countingSource';

const XA_CINE = 'xa_siemens_96f_jpeg-baseline_ecg-curve.dcm';
const RF = 'rf_siemens_1f_464x512_8bit.dcm';
const NO_META = 'cr_fuji_mono1_10bit_chest_no-meta.dcm';
const TRUNCATED_J2K = 'MALFORMED_mr_10f_j2k_truncated-frame.dcm';
const OOB = 'MALFORMED_sc_rows-cols-65535_no-pixels.dcm';
const XA1 = {
  uncompressed: 'xa1_wg04_1024_10bit_uncompressed.dcm',
  jpegLossless: 'xa1_wg04_1024_10bit_jpeg-lossless-sv1.dcm',
  jpegLossy: 'xa1_wg04_1024_10bit_jpeg-extended-lossy.dcm',
  rle: 'xa1_wg04_1024_10bit_rle.dcm',
  jpegLs: 'xa1_wg04_1024_10bit_jpeg-ls-lossless.dcm',
};

function corpusBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(corpusFile(name)));
}

async function open(name: string, bytes = corpusBytes(name)) {
  const source = countingSource(name, bytes);
  const header = await readHeader(source);
  const headerReads = source.reads;
  source.reads = 0;
  return { header, source, headerReads };
}

async function frameBytes(header: ParsedHeader, slot: FrameSlot): Promise<Uint8Array> {
  if (!slot.ok) throw new Error(slot.reason);
  return readFrameBytes(header.source, slot.span);
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Where the last JPEG EOI (FFD9) is, counted from the end. */
function bytesAfterEoi(bytes: Uint8Array): number {
  for (let i = bytes.length - 2; i >= 0; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return bytes.length - i - 2;
  return -1;
}

describe('corpus: the 96-frame Siemens XA cine', () => {
  it('gives the RunInfo of a 30 fps JPEG cine', async () => {
    const { header, headerReads } = await open(XA_CINE);
    expect(headerReads).toBe(1);
    expect(classifyInstance(header)).toEqual({ kind: 'image' });
    const info = buildRunInfo([header]);
    expect(info).toMatchObject({
      frameCount: 96,
      rows: 512,
      columns: 512,
      bitsAllocated: 8,
      bitsStored: 8,
      highBit: 7,
      photometricInterpretation: 'MONOCHROME2',
      transferSyntaxUID: '1.2.840.10008.1.2.4.50',
      lossy: { methods: ['ISO_10918_1'], ratios: [] },
      sopClassUID: '1.2.840.10008.5.1.4.1.1.12.1',
      imageType: ['DERIVED', 'PRIMARY', 'SINGLE PLANE', 'SINGLE A'],
      positioner: { primaryAngleDeg: -32, secondaryAngleDeg: 2 },
      patient: { name: 'Rubo DEMO', id: '556342B', birthDate: '19951025', sex: 'M' },
      instanceNumber: null,
      exposure: {},
      maskSubtraction: { operation: 'NONE', maskFrames: [0] },
      shutter: null,
    });
    expect(info.timing).toEqual({
      frameStartMs: Array.from({ length: 96 }, (_, i) => i * 33),
      durationMs: 96 * 33,
      nominalFps: 30.30303,
      source: 'Frame Time',
      notes: [],
      frameIncrementPointer: ['(0018,1063)'],
    });
  });

  it('indexes 96 frames from the 96-entry Basic Offset Table with one small read', async () => {
    const { header, source } = await open(XA_CINE);
    const geometry = validatePixelGeometry(header);
    expect(geometry.frameCount).toBe(96);
    const index = await indexFrames(header, 96);
    expect(source.reads).toBe(1);
    expect(index.frames.filter((f) => f.ok)).toHaveLength(96);
    expect(index.problems).toEqual([]);
    source.reads = 0;
    expect(await indexFirstFrame(header, 96)).toEqual(index.frames[0]);
    expect(source.reads).toBe(0);
  });

  it('reads JPEG frames: SOI first, EOI at the end apart from a few bytes of padding', async () => {
    const { header } = await open(XA_CINE);
    const index = await indexFrames(header, 96);
    const first = await frameBytes(header, index.frames[0]);
    expect(first.length).toBe(17912);
    expect(hex(first.subarray(0, 2))).toBe('ffd8');
    // This writer pads each fragment to a multiple of 4 bytes with arbitrary bytes after the EOI.
    expect(bytesAfterEoi(first)).toBe(5);
    for (const slot of index.frames) {
      const bytes = await frameBytes(header, slot);
      expect(hex(bytes.subarray(0, 2))).toBe('ffd8');
      expect(bytes.length % 4).toBe(0);
      expect(bytesAfterEoi(bytes)).toBeGreaterThanOrEqual(0);
      expect(bytesAfterEoi(bytes)).toBeLessThan(8);
    }
  });
});

describe('corpus: the Siemens RF image', () => {
  it('is one 464-row × 512-column frame with a Modality LUT Sequence', async () => {
    const { header } = await open(RF);
    const info = buildRunInfo([header]);
    expect(info).toMatchObject({ frameCount: 1, rows: 464, columns: 512, bitsAllocated: 8, photometricInterpretation: 'MONOCHROME2' });
    expect(info.series.modality).toBe('RF');
    expect(info.voi.windows).toEqual([{ center: 128, width: 256 }]);
    expect(info.modalityLut.kind).toBe('sequence');
    if (info.modalityLut.kind !== 'sequence') return;
    expect(info.modalityLut).toMatchObject({ numberOfEntries: 256, firstValueMapped: 0, bitsPerEntry: 8, type: 'US' });
    expect(info.modalityLut.data).toEqual(Array.from({ length: 256 }, (_, i) => i));
  });

  it('has native pixel data of rows × columns bytes', async () => {
    const { header, source } = await open(RF);
    const index = await indexFrames(header, 1);
    expect(source.reads).toBe(0);
    expect(index.frames[0].ok && index.frames[0].span.end - index.frames[0].span.start).toBe(464 * 512);
  });

  it('says where a cut-off header ends', async () => {
    const cut = corpusBytes(RF).subarray(0, 1000);
    await expect(readHeader(bufferSource(RF, cut))).rejects.toThrow(new RegExp(`^${RF}: header is cut off at byte 1000`));
  });
});

describe('corpus: the five WG04 XA1 encodings', () => {
  it('share one geometry: 1024×1024, 16 bits allocated, 10 stored, SOP class Secondary Capture with Modality XA', async () => {
    for (const name of Object.values(XA1)) {
      const { header } = await open(name);
      const info = buildRunInfo([header]);
      expect(info, name).toMatchObject({ rows: 1024, columns: 1024, bitsAllocated: 16, bitsStored: 10, highBit: 9, frameCount: 1 });
      expect(info.sopClassUID).toBe('1.2.840.10008.5.1.4.1.1.7');
      expect(info.series.modality).toBe('XA');
    }
  });

  it('places the uncompressed frame arithmetically: 1024 × 1024 × 2 bytes', async () => {
    const { header } = await open(XA1.uncompressed);
    const [slot] = (await indexFrames(header, 1)).frames;
    expect(slot.ok && slot.span).toEqual({
      start: header.pixelData!.valueOffset,
      end: header.pixelData!.valueOffset + 1024 * 1024 * 2,
      encapsulated: false,
    });
  });

  it('gives the RLE frame with its 64-byte header: 2 segments (high and low bytes)', async () => {
    const { header } = await open(XA1.rle);
    const bytes = await frameBytes(header, (await indexFrames(header, 1)).frames[0]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 64);
    expect(view.getUint32(0, true)).toBe(2);
    expect(view.getUint32(4, true)).toBe(64);
    expect(view.getUint32(8, true)).toBeGreaterThan(64);
    expect(view.getUint32(12, true)).toBe(0);
  });

  it('joins the 8 (JPEG lossless) and 6 (JPEG-LS) fragments of one frame into one codestream', async () => {
    for (const [name, fragments] of [
      [XA1.jpegLossless, 8],
      [XA1.jpegLs, 6],
    ] as const) {
      const { header } = await open(name);
      const [slot] = (await indexFrames(header, 1)).frames;
      const bytes = await frameBytes(header, slot);
      const spanBytes = slot.ok ? slot.span.end - slot.span.start : 0;
      expect(spanBytes - bytes.length, name).toBe(fragments * 8);
      expect(hex(bytes.subarray(0, 2))).toBe('ffd8');
      expect(bytesAfterEoi(bytes)).toBeLessThanOrEqual(1);
    }
  });

  it('knows which corpus images went through lossy compression, by what and how far', async () => {
    const lossy = async (name: string) => buildRunInfo([(await open(name)).header]).lossy;
    // Lossy Image Compression 01 with its ratio and method recorded.
    expect(await lossy('cr_konica_mono1_jpeg-baseline.dcm')).toEqual({ methods: ['ISO_10918_1'], ratios: [12.702] });
    // No Lossy Image Compression attribute: the JPEG Baseline transfer syntax says it.
    expect(await lossy(XA_CINE)).toEqual({ methods: ['ISO_10918_1'], ratios: [] });
    for (const name of [XA1.uncompressed, XA1.jpegLossless, XA1.rle, XA1.jpegLs, RF, 'cr_mono1_modality-lut-seq_jpeg-lossless.dcm'])
      expect(await lossy(name), name).toBeNull();
  });

  it('gives the lossy JPEG frame as one fragment, and marks it lossy', async () => {
    const { header } = await open(XA1.jpegLossy);
    const bytes = await frameBytes(header, (await indexFrames(header, 1)).frames[0]);
    expect(bytes.length).toBe(42850);
    expect(hex(bytes.subarray(0, 2))).toBe('ffd8');
    // Its ratio is recorded, its method is the transfer syntax's (JPEG Extended).
    expect(buildRunInfo([header]).lossy).toEqual({ methods: ['ISO_10918_1'], ratios: [48] });
  });

  it('groups four of them as one single-frame series (same study and series UIDs), the RLE copy apart', async () => {
    const headers = await Promise.all(Object.values(XA1).map(async (name) => (await open(name)).header));
    const studies = groupInstancesIntoRuns(headers.map((h) => ({ ...summarizeInstance(h), item: h.source.name })));
    expect(studies).toHaveLength(2);
    const fourInOne = studies.find((s) => s.runs[0].instances.length === 4)!;
    expect(fourInOne.runs[0].instances.map((i) => i.instanceNumber)).toEqual([1, 4, 5, 6]);
  });
});

describe('corpus: computed radiography', () => {
  it('reports MONOCHROME1 for every CR file', async () => {
    for (const name of [
      'cr_konica_mono1_jpeg-baseline.dcm',
      'cr_wg04_rg3_mono1_10bit_jpeg-lossless.dcm',
      'cr_mono1_modality-lut-seq_jpeg-lossless.dcm',
      NO_META,
    ]) {
      const { header } = await open(name);
      expect(buildRunInfo([header]).photometricInterpretation, name).toBe('MONOCHROME1');
    }
  });

  it('opens the CR without preamble or File Meta as implicit VR little endian, 440×440', async () => {
    const { header, headerReads } = await open(NO_META);
    expect(headerReads).toBe(1);
    expect(header).toMatchObject({ hasPreamble: false, explicitVR: false, transferSyntaxUID: '1.2.840.10008.1.2' });
    const info = buildRunInfo([header]);
    expect(info).toMatchObject({ rows: 440, columns: 440, bitsAllocated: 16, bitsStored: 10, frameCount: 1 });
    expect(info.voi.windows).toEqual([{ center: 550, width: 1024 }]);
    const [slot] = (await indexFrames(header, 1)).frames;
    expect(slot.ok && slot.span.end - slot.span.start).toBe(440 * 440 * 2);
    expect(slot.ok && slot.span.end).toBe(header.source.size);
  });

  it('prefers Pixel Spacing over Imager Pixel Spacing (Konica CR)', async () => {
    const { header } = await open('cr_konica_mono1_jpeg-baseline.dcm');
    const { spacing } = buildRunInfo([header]);
    expect(spacing.preferred).toEqual({ rowMm: 0.175, columnMm: 0.175, source: 'Pixel Spacing' });
    expect(spacing.candidates.map((c) => c.source)).toEqual(['Pixel Spacing', 'Imager Pixel Spacing']);
  });

  it('reads a 1024-entry 16-bit Modality LUT Sequence stored as OW', async () => {
    const { header } = await open('cr_mono1_modality-lut-seq_jpeg-lossless.dcm');
    const lut = buildRunInfo([header]).modalityLut;
    expect(lut).toMatchObject({ kind: 'sequence', numberOfEntries: 1024, firstValueMapped: 0, bitsPerEntry: 16 });
    if (lut.kind === 'sequence') expect([lut.data.length, lut.data[0], lut.data[1023]]).toEqual([1024, 0, 1023]);
  });
});

describe('corpus: the malformed files', () => {
  it('refuses 65535×65535 pixels in a 910-byte file before allocating anything', async () => {
    const { header } = await open(OOB);
    expect(classifyInstance(header)).toEqual({ kind: 'image' });
    let error: unknown;
    try {
      validatePixelGeometry(header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DicomInputError);
    expect((error as DicomInputError).message).toBe(
      `${OOB}: declares 65535×65535×1 frames of 16-bit pixels (8.6 GB) but the file holds 256 bytes of pixel data`,
    );
  });

  it('keeps all 10 frames of the J2K file whose only defect is the missing sequence delimiter', async () => {
    // The file is pydicom's emri_small_jpeg_2k_lossless.dcm minus its last 8 bytes: every fragment
    // is whole (the last ends exactly at the end of the file, with its FFD9), only the delimiter is gone.
    const { header } = await open(TRUNCATED_J2K);
    expect(header.pixelData).toMatchObject({ encapsulated: true, vr: 'OW' });
    expect(validatePixelGeometry(header).frameCount).toBe(10);
    const index = await indexFrames(header, 10);
    expect(index.frames.filter((f) => f.ok)).toHaveLength(10);
    expect(index.problems).toEqual([
      'the pixel data has no sequence delimiter (the file ends right after the last fragment); every frame is complete',
    ]);
    const last = await frameBytes(header, index.frames[9]);
    expect(hex(last.subarray(0, 4))).toBe('ff4fff51');
    expect(hex(last.subarray(last.length - 2))).toBe('ffd9');
  });

  it('keeps frames 1–9 and marks frame 10 when the last fragment really is cut short', async () => {
    const bytes = corpusBytes(TRUNCATED_J2K);
    const { header } = await open(TRUNCATED_J2K, bytes.subarray(0, bytes.length - 1001));
    const index = await indexFrames(header, 10);
    expect(index.frames.slice(0, 9).every((f) => f.ok)).toBe(true);
    expect(index.frames[9]).toEqual({ ok: false, reason: 'pixel data ends inside frame 10 of 10' });
    expect(index.problems).toEqual(['pixel data ends inside frame 10 of 10']);
    expect(await indexFirstFrame(header, 10)).toEqual(index.frames[0]);
  });
});

describe('corpus: cost of opening', () => {
  it('reads every header with a single 64 KiB read', async () => {
    const names = [XA_CINE, RF, NO_META, TRUNCATED_J2K, OOB, ...Object.values(XA1)];
    for (const name of names) expect((await open(name)).headerReads, name).toBe(1);
  });
});
