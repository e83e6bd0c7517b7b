/**
 * Pixel data through de-identification: carried over byte for byte (native and encapsulated, with
 * filled and empty offset tables, multi-frame and single-frame series, implicit VR input), and,
 * when burned-in text is masked, decoded one frame at a time and written native with the masked
 * region at the fill value and every other pixel as decoded. On the sample runs and the real XA
 * cine of the corpus (read in place), checked with dicom-parser, DCMTK and dciodvfy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/dicom/types';
import { DeidentificationError, defaultCornerRects, type DecodedFrame, type MaskRect } from '../../src/export/deid';
import { unzipPackage, writeTeachingPackage, type TeachingRunInput } from '../../src/export/package';
import { corpusFile, dciodvfyErrors, dcmdump, encapsulatedLayout, fileSource, parse, sha256, which } from './exportSupport';
import { SAMPLE_DIR, listFiles, readFrames } from '../support/samples';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';

const tmp = mkdtempSync(join(tmpdir(), 'fluorolens-deid-pixels-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Exports one case and returns its DICOM entries, written to tmp for the external tools. */
async function exportCase(runs: TeachingRunInput[], name: string, onChunk?: (bytes: number) => void) {
  const chunks: Uint8Array[] = [];
  const result = await writeTeachingPackage(
    { title: name, learningPoints: [], runs, appVersion: 'test', secret: new Uint8Array(32).fill(9) },
    (c) => {
      chunks.push(c.slice());
      onChunk?.(c.length);
    },
  );
  const entries = unzipPackage(Buffer.concat(chunks));
  const dicom = result.manifest.runs.map((run) =>
    run.dicom.map((path) => {
      const bytes = entries.find((e) => e.path === path)!.bytes;
      const file = join(tmp, `${name}-${path.replace(/\//g, '_')}`);
      writeFileSync(file, bytes);
      return { path, file, bytes };
    }),
  );
  return { result, dicom };
}

function pixelValue(bytes: Uint8Array): Buffer {
  const ds = parse(bytes);
  const element = ds.elements.x7fe00010;
  return Buffer.from(bytes.subarray(element.dataOffset, element.dataOffset + element.length));
}

function expectNoNewErrors(input: string, output: string): void {
  if (!which('dciodvfy')) return;
  const before = new Set(dciodvfyErrors(input));
  expect(
    dciodvfyErrors(output).filter((line) => !before.has(line)),
    output,
  ).toEqual([]);
}

function expectDcmdumpReads(file: string): void {
  if (!which('dcmdump')) return;
  const dump = dcmdump(file, ['-dc']);
  expect(dump.status, file).toBe(0);
  expect(dump.problems, file).toEqual([]);
}

describe('sample runs carried over unchanged', () => {
  const runs = ['l4-tfesi-ap-512', 'l5-tfesi-1024-rle', 's1-caudal-series', 'l3-mbb-ftv'];
  const filesOf = (run: string): string[] =>
    run === 's1-caudal-series'
      ? listFiles(join(SAMPLE_DIR, run))
          .filter((f) => f.endsWith('.dcm'))
          .map((f) => join(SAMPLE_DIR, run, f))
      : [join(SAMPLE_DIR, `${run}.dcm`)];
  let exported: Awaited<ReturnType<typeof exportCase>>;
  const before = new Map<string, string>();

  beforeAll(async () => {
    for (const run of runs) for (const file of filesOf(run)) before.set(file, sha256(file));
    exported = await exportCase(
      runs.map((run) => ({ label: run, files: filesOf(run).map((f) => fileSource(f)), document: null })),
      'samples',
    );
  }, 120_000);

  it('keeps every image: one output file per input file, the same frame count', () => {
    runs.forEach((run, i) => {
      const inputs = filesOf(run);
      expect(exported.dicom[i]).toHaveLength(inputs.length);
      const frames = (bytes: Uint8Array): number => parse(bytes).intString('x00280008') ?? 1;
      const total = (list: Uint8Array[]): number => list.reduce((sum, b) => sum + frames(b), 0);
      expect(total(exported.dicom[i].map((d) => d.bytes))).toBe(total(inputs.map((f) => new Uint8Array(readFileSync(f)))));
    });
  });

  it('copies the pixel data byte for byte: native values, RLE fragments and offset tables (filled and empty)', () => {
    runs.forEach((run, i) => {
      const inputs = filesOf(run).map((f) => new Uint8Array(readFileSync(f)));
      // The series comes out in Instance Number order; match each output to its input by pixels.
      const inputPixels = inputs.map((b) => (parse(b).string('x00020010') === '1.2.840.10008.1.2.5' ? null : pixelValue(b)));
      exported.dicom[i].forEach((output, k) => {
        const out = parse(output.bytes);
        const source = inputs.find((b) => parse(b).intString('x00200013') === out.intString('x00200013'))!;
        expect(out.string('x00020010'), run).toBe(parse(source).string('x00020010'));
        if (inputPixels[0] === null) {
          const a = encapsulatedLayout(source);
          const b = encapsulatedLayout(output.bytes);
          expect(b.basicOffsetTable, run).toEqual(a.basicOffsetTable);
          expect(b.fragments.length, run).toBe(a.fragments.length);
          b.fragments.forEach((f, j) => expect(f.equals(a.fragments[j]), `${run} fragment ${j + 1}`).toBe(true));
        } else {
          expect(pixelValue(output.bytes).equals(pixelValue(source)), `${run} file ${k + 1}`).toBe(true);
        }
      });
    });
    // Run 2's Basic Offset Table is empty, and stays empty.
    expect(encapsulatedLayout(exported.dicom[1][0].bytes).basicOffsetTable).toEqual([]);
  });

  it('writes files DCMTK reads and dciodvfy finds no new error in', { timeout: 120_000 }, () => {
    runs.forEach((run, i) => {
      const byInstance = new Map(filesOf(run).map((f) => [parse(new Uint8Array(readFileSync(f))).intString('x00200013'), f]));
      exported.dicom[i].forEach((output) => {
        expectDcmdumpReads(output.file);
        expectNoNewErrors(byInstance.get(parse(output.bytes).intString('x00200013'))!, output.file);
      });
    });
  });

  it('orders a shuffled single-frame series by Instance Number and keeps its 1 s acquisition interval', () => {
    const series = exported.dicom[2].map((d) => parse(d.bytes));
    expect(series.map((ds) => ds.intString('x00200013'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const seconds = series.map((ds) => {
      const tm = ds.string('x00080032')!;
      const da = ds.string('x00080022')!;
      return Date.UTC(+da.slice(0, 4), +da.slice(4, 6) - 1, +da.slice(6, 8), +tm.slice(0, 2), +tm.slice(2, 4), +tm.slice(4, 6)) / 1000;
    });
    for (let k = 1; k < seconds.length; k++) expect(seconds[k] - seconds[k - 1]).toBe(1);
    // One series in, one series out; one study for runs 1, 2 and 4, another for run 3.
    expect(new Set(series.map((ds) => ds.string('x0020000e'))).size).toBe(1);
    const study = (run: number): string => parse(exported.dicom[run][0].bytes).string('x0020000d')!;
    expect(study(0)).toBe(study(1));
    expect(study(0)).toBe(study(2));
    expect(study(3)).not.toBe(study(0));
  });

  it('leaves the sample files untouched', () => {
    for (const [file, hash] of before) expect(sha256(file), file).toBe(hash);
  });
});

describe('implicit VR input', () => {
  it.skipIf(!which('dcmconv'))('comes out Explicit VR Little Endian with the same pixels', async () => {
    const implicit = join(tmp, 'l3-implicit.dcm');
    const converted = spawnSync('dcmconv', ['+ti', join(SAMPLE_DIR, 'l3-mbb-ftv.dcm'), implicit]);
    expect(converted.status).toBe(0);
    const { dicom } = await exportCase([{ label: 'implicit', files: [fileSource(implicit)], document: null }], 'implicit');
    const out = dicom[0][0];
    expect(parse(out.bytes).string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(pixelValue(out.bytes).equals(pixelValue(new Uint8Array(readFileSync(implicit))))).toBe(true);
    expectDcmdumpReads(out.file);
    expectNoNewErrors(implicit, out.file);
  });
});

// ---------------------------------------------------------------------------------------------
// Masking

/** A decoder over frames decoded beforehand by a third party, counting calls and overlap. */
function frameDecoder(frames: DecodedFrame[]) {
  const stats = { calls: [] as number[], active: 0, maxActive: 0, bytesSeenAtCall: [] as number[], written: 0 };
  const decode = async (_file: ByteSource, frame: number): Promise<DecodedFrame> => {
    stats.calls.push(frame);
    stats.bytesSeenAtCall.push(stats.written);
    stats.active++;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    await new Promise((resolve) => setTimeout(resolve, 0));
    stats.active--;
    return frames[frame - 1].slice();
  };
  return { decode, stats };
}

/** Checks each output frame: `fill` inside the rectangles (already clipped), the decoded value elsewhere (built without mask.ts). */
function expectMasked(output: Uint8Array, decoded: DecodedFrame[], rects: MaskRect[], fill: number): void {
  const ds = parse(output);
  const rows = ds.uint16('x00280010')!;
  const columns = ds.uint16('x00280011')!;
  const bits = ds.uint16('x00280100')!;
  const pixels = pixelValue(output);
  const frameBytes = rows * columns * (bits / 8);
  expect(pixels.length).toBeGreaterThanOrEqual(decoded.length * frameBytes);
  decoded.forEach((frame, f) => {
    const expected = bits === 8 ? Uint8Array.from(frame, (v) => v & 0xff) : Uint16Array.from(frame, (v) => v & 0xffff);
    for (const r of rects) for (let y = r.y; y < r.y + r.height; y++) expected.fill(fill, y * columns + r.x, y * columns + r.x + r.width);
    const actual = pixels.subarray(f * frameBytes, (f + 1) * frameBytes);
    if (!actual.equals(Buffer.from(expected.buffer)))
      throw new Error(`frame ${f + 1} differs from the decoded frame with the mask applied`);
  });
}

function expectCleanedHeader(output: Uint8Array): void {
  const ds = parse(output);
  expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1');
  expect(ds.string('x00280301')).toBe('NO');
  const codes = ds.elements.x00120064.items!.map((item) => item.dataSet!.string('x00080100'));
  expect(codes).toContain('113101');
  expect(ds.elements.x7fe00010.encapsulatedPixelData).toBeFalsy();
}

describe('burned-in text masked', () => {
  it('streams RLE frames one at a time into native 8-bit frames, masked at the corners', async () => {
    const path = join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm');
    const decoded = readFrames(new Uint8Array(readFileSync(path))).frames as DecodedFrame[];
    const { decode, stats } = frameDecoder(decoded);
    const rects = defaultCornerRects(512, 512);
    const { dicom, result } = await exportCase(
      [{ label: 'AP', files: [fileSource(path)], document: null, pixelCleaning: { rectangles: rects, decodeFrame: decode } }],
      'masked-l4',
      (n) => (stats.written += n),
    );
    const out = dicom[0][0];
    expectCleanedHeader(out.bytes);
    expectMasked(out.bytes, decoded, rects, 0);
    // One frame at a time, in order, each written out before the next is asked for.
    expect(stats.calls).toEqual(decoded.map((_, i) => i + 1));
    expect(stats.maxActive).toBe(1);
    for (let k = 1; k < stats.bytesSeenAtCall.length; k++) {
      expect(stats.bytesSeenAtCall[k] - stats.bytesSeenAtCall[k - 1], `before frame ${k + 1}`).toBeGreaterThanOrEqual(512 * 512);
    }
    expect(result.manifest.runs[0].pixelsCleaned).toBe(true);
    expect(result.manifest.deidentification.methodCodes.map((c) => c.value)).toContain('113101');
    expectDcmdumpReads(out.file);
    expectNoNewErrors(path, out.file);
  }, 120_000);
});

describe('the real XA cine of the corpus (96 frames, JPEG Baseline, no Burned In Annotation)', () => {
  const name = 'xa_siemens_96f_jpeg-baseline_ecg-curve.dcm';
  const path = (): string => corpusFile(name);

  it('is not exported without a mask: Burned In Annotation is absent, and nothing is written', async () => {
    let written = 0;
    const refused = writeTeachingPackage(
      { title: 'Corpus', learningPoints: [], runs: [{ label: 'LAO', files: [fileSource(path())], document: null }], appVersion: 'test' },
      () => {
        written++;
      },
    );
    await expect(refused).rejects.toThrow(DeidentificationError);
    await expect(refused).rejects.toThrow(/does not say whether it has burned-in text \(Burned In Annotation\); mask it before export/);
    expect(written).toBe(0);
  });

  it.skipIf(!which('dcmdjpeg'))(
    'is masked frame by frame, written native, and still valid',
    async () => {
      const hash = sha256(path());
      const reference = join(tmp, 'corpus-dcmdjpeg.dcm');
      expect(spawnSync('dcmdjpeg', [path(), reference]).status).toBe(0);
      const raw = pixelValue(new Uint8Array(readFileSync(reference)));
      const decoded = Array.from({ length: 96 }, (_, f) => new Uint8Array(raw.subarray(f * 512 * 512, (f + 1) * 512 * 512)));
      const { decode, stats } = frameDecoder(decoded);
      const rects = defaultCornerRects(512, 512);
      const { dicom } = await exportCase(
        [{ label: 'LAO', files: [fileSource(path())], document: null, pixelCleaning: { rectangles: rects, decodeFrame: decode } }],
        'corpus-masked',
      );
      const out = dicom[0][0];
      expectCleanedHeader(out.bytes);
      expectMasked(out.bytes, decoded, rects, 0);
      expect(stats.maxActive).toBe(1);
      const ds = parse(out.bytes);
      expect(ds.intString('x00280008')).toBe(96);
      expect(ds.string('x00082110')).toBe('01'); // lossy history stays
      // Written native from JPEG Baseline: the step the transfer syntax recorded is written down
      // (PS3.3 C.7.6.1.1.5), with the source's ratio, decoded bytes over its JPEG fragments' bytes.
      expect(ds.string('x00282110')).toBe('01');
      expect(ds.string('x00282114')).toBe('ISO_10918_1');
      const jpegBytes = encapsulatedLayout(new Uint8Array(readFileSync(path()))).fragments.reduce((sum, f) => sum + f.length, 0);
      expect(Number(ds.string('x00282112')) / ((96 * 512 * 512) / jpegBytes)).toBeCloseTo(1, 2);
      expect(ds.elements.x00091002).toBeUndefined();
      expect(Object.keys(ds.elements).filter((t) => t.startsWith('x5000'))).toEqual([]);
      expectDcmdumpReads(out.file);
      expectNoNewErrors(path(), out.file);
      expect(sha256(path())).toBe(hash);
    },
    120_000,
  );

  it.skipIf(!which('dcmodify'))(
    'keeps its 96 JPEG fragments and offset table byte for byte when the image says it has no burned-in text',
    async () => {
      const copy = join(tmp, 'corpus-burned-in-no.dcm');
      writeFileSync(copy, readFileSync(path()));
      expect(spawnSync('dcmodify', ['-nb', '-i', '(0028,0301)=NO', copy]).status).toBe(0);
      const { dicom } = await exportCase([{ label: 'LAO', files: [fileSource(copy)], document: null }], 'corpus-passthrough');
      const out = dicom[0][0];
      const original = encapsulatedLayout(new Uint8Array(readFileSync(path())));
      const after = encapsulatedLayout(out.bytes);
      expect(original.fragments).toHaveLength(96);
      expect(after.basicOffsetTable).toEqual(original.basicOffsetTable);
      after.fragments.forEach((f, i) => expect(f.equals(original.fragments[i]), `frame ${i + 1}`).toBe(true));
      expect(parse(out.bytes).string('x00020010')).toBe('1.2.840.10008.1.2.4.50');
      // Still JPEG: the transfer syntax keeps saying how; the mark that it is lossy is written.
      expect(parse(out.bytes).string('x00282110')).toBe('01');
      expect(parse(out.bytes).elements.x00282114).toBeUndefined();
      expectDcmdumpReads(out.file);
      expectNoNewErrors(path(), out.file);
    },
    120_000,
  );

  it.skipIf(!which('dcmdjpeg'))(
    'keeps the lossy compression a JPEG source recorded when it is masked and written native',
    async () => {
      const cases = [
        // Ratio recorded without its method: the transfer syntax's method goes beside it.
        { name: 'xa1_wg04_1024_10bit_jpeg-extended-lossy.dcm', ratios: ['48'], methods: ['ISO_10918_1'] },
        // Both recorded: kept as they are.
        { name: 'cr_konica_mono1_jpeg-baseline.dcm', ratios: ['12.702'], methods: ['ISO_10918_1'] },
      ];
      for (const [index, { name, ratios, methods }] of cases.entries()) {
        const source = corpusFile(name);
        const reference = join(tmp, `${name}-dcmdjpeg.dcm`);
        expect(spawnSync('dcmdjpeg', [source, reference]).status).toBe(0);
        const ds = parse(new Uint8Array(readFileSync(reference)));
        const raw = pixelValue(new Uint8Array(readFileSync(reference)));
        const frame = ds.uint16('x00280100') === 16 ? new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2) : new Uint8Array(raw);
        const { decode } = frameDecoder([frame as DecodedFrame]);
        const rects = defaultCornerRects(ds.uint16('x00280011')!, ds.uint16('x00280010')!);
        const { dicom } = await exportCase(
          [{ label: 'Lossy', files: [fileSource(source)], document: null, pixelCleaning: { rectangles: rects, decodeFrame: decode } }],
          `lossy-case-${index + 1}`,
        );
        const out = parse(dicom[0][0].bytes);
        expect(out.string('x00020010'), name).toBe('1.2.840.10008.1.2.1');
        expect(out.string('x00282110'), name).toBe('01');
        expect(out.string('x00282112')?.split('\\'), name).toEqual(ratios);
        expect(out.string('x00282114')?.split('\\'), name).toEqual(methods);
        expectNoNewErrors(source, dicom[0][0].file);
      }
    },
    120_000,
  );

  it('copies native words with only their value bits: junk or an old overlay above Bits Stored does not travel', async () => {
    const [rows, columns] = [4, 8];
    const values = Array.from({ length: rows * columns }, (_, i) => (i * 37) & 0x3ff);
    const outputs: number[][] = [];
    for (const transferSyntaxUID of ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']) {
      const little = transferSyntaxUID.endsWith('.1');
      const words = new Uint8Array(rows * columns * 2);
      // Every other word carries bits 10–15 (an overlay plane in the pixel words).
      values.forEach((v, i) => new DataView(words.buffer).setUint16(2 * i, v | (i % 2 ? 0xfc00 : 0), little));
      const path = join(tmp, `junk-bits-${little ? 'le' : 'be'}.dcm`);
      writeFileSync(
        path,
        buildDicom({
          transferSyntaxUID,
          elements: imageElements({ rows, columns, bitsAllocated: 16, bitsStored: 10, extra: [el(0x00280301, 'CS', 'NO')] }),
          pixelData: { kind: 'native', bytes: words, vr: 'OW' },
        }),
      );
      const { dicom } = await exportCase(
        [{ label: 'junk', files: [fileSource(path)], document: null }],
        `junk-bits-${little ? 'le' : 'be'}`,
      );
      const out = parse(dicom[0][0].bytes);
      expect(out.string('x00020010')).toBe(transferSyntaxUID);
      const pixels = out.elements.x7fe00010;
      const view = new DataView(out.byteArray.buffer, out.byteArray.byteOffset + pixels.dataOffset, pixels.length);
      outputs.push(values.map((_, i) => view.getUint16(2 * i, little)));
    }
    expect(outputs).toEqual([values, values]);
  });

  it('puts the values back at their High Bit when the words hold them above bit 0 (12 bits stored, High Bit 15)', async () => {
    // Words hold value << 4; the viewer decodes values (0…4095), as its images keep only the stored bits.
    const [rows, columns] = [8, 16];
    const values = Array.from({ length: rows * columns }, (_, i) => (i * 37) & 0xfff);
    const path = join(tmp, 'msb-aligned.dcm');
    writeFileSync(
      path,
      buildDicom({
        elements: imageElements({ rows, columns, bitsAllocated: 16, bitsStored: 12, highBit: 15, extra: [el(0x00080060, 'CS', 'XA')] }),
        pixelData: { kind: 'native', bytes: new Uint8Array(Uint16Array.from(values, (v) => v << 4).buffer), vr: 'OW' },
      }),
    );
    const rects = [{ x: 0, y: 0, width: 4, height: 2 }];
    const decode = async () => Uint16Array.from(values) as DecodedFrame;
    const { dicom } = await exportCase(
      [
        {
          label: 'MSB',
          files: [fileSource(path)],
          document: null,
          pixelCleaning: { rectangles: rects, decodeFrame: decode, fillValue: 4095 },
        },
      ],
      'msb-aligned',
    );
    const out = parse(dicom[0][0].bytes);
    expect([out.uint16('x00280101'), out.uint16('x00280102')]).toEqual([12, 15]);
    const pixels = out.elements.x7fe00010;
    const words = Array.from({ length: rows * columns }, (_, i) => out.uint16('x7fe00010', i)!);
    expect(pixels.length).toBe(rows * columns * 2);
    const masked = (i: number) => i % columns < 4 && Math.floor(i / columns) < 2;
    expect(words).toEqual(values.map((v, i) => (masked(i) ? 4095 : v) << 4));
  });

  it('writes a 16-bit image (NEMA WG-04 XA1, RLE, 10 bits stored) little endian with a chosen fill value', async () => {
    const rle = corpusFile('xa1_wg04_1024_10bit_rle.dcm');
    const decoded = readFrames(new Uint8Array(readFileSync(rle))).frames as DecodedFrame[];
    // The RLE decode agrees with the uncompressed reference of the same image: the decoder under test is right.
    const reference = pixelValue(new Uint8Array(readFileSync(corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm'))));
    expect(Buffer.from(decoded[0].buffer, decoded[0].byteOffset, decoded[0].byteLength).equals(reference)).toBe(true);
    const { decode } = frameDecoder(decoded);
    const rects = [{ x: 900, y: 10, width: 200, height: 40 }];
    const { dicom } = await exportCase(
      [
        {
          label: 'reference',
          files: [fileSource(rle)],
          document: null,
          pixelCleaning: { rectangles: rects, decodeFrame: decode, fillValue: 1023 },
        },
      ],
      'masked-16bit',
    );
    const out = dicom[0][0];
    expectCleanedHeader(out.bytes);
    expect(parse(out.bytes).elements.x7fe00010.vr).toBe('OW');
    expectMasked(out.bytes, decoded, [{ x: 900, y: 10, width: 124, height: 40 }], 1023);
    expectDcmdumpReads(out.file);
    expectNoNewErrors(rle, out.file);
  }, 60_000);
});
