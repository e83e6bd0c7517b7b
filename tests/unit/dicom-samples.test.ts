/**
 * RunInfo of each synthetic sample run in sample-dicom/ against the ground truth written beside it
 * (<run>.truth.json). The samples are committed: without them the file fails (readTruths throws).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunTruth } from '../../scripts/samples/generate';
import { bufferSource } from '../../src/dicom/byteSource';
import { classifyInstance } from '../../src/dicom/classify';
import { indexFrames, readFrameBytes } from '../../src/dicom/frameIndex';
import { fnv1aPixelHash } from '../../src/dicom/pixelHash';
import { groupInstancesIntoRuns, summarizeInstance } from '../../src/dicom/grouping';
import { readHeader } from '../../src/dicom/header';
import { buildRunInfo } from '../../src/dicom/runInfo';
import type { ParsedHeader } from '../../src/dicom/types';
import { validatePixelGeometry } from '../../src/dicom/validate';
import { SAMPLE_DIR, readTruths } from '../support/samples';

/** Our name for each timing source the generator writes. */
const TIMING_SOURCE = {
  'Frame Time': 'Frame Time',
  'Frame Time Vector': 'Frame Time Vector',
  'Acquisition Time': 'Acquisition times',
} as const;

async function headerOf(file: string): Promise<ParsedHeader> {
  return readHeader(bufferSource(file, new Uint8Array(readFileSync(join(SAMPLE_DIR, file)))));
}

/** Opens a run the way a user would: every file, in reverse of frame order, grouped by us. */
async function openRun(truth: RunTruth): Promise<ParsedHeader[]> {
  const headers = await Promise.all([...truth.files].reverse().map(headerOf));
  const studies = groupInstancesIntoRuns(headers.map((h) => ({ ...summarizeInstance(h), item: h })));
  expect(studies).toHaveLength(1);
  expect(studies[0].runs).toHaveLength(1);
  return studies[0].runs[0].instances.map((i) => i.item);
}

describe('sample runs match their ground truth', () => {
  for (const truth of readTruths()) {
    it(`${truth.run}: files open as one run in frame order`, async () => {
      const headers = await openRun(truth);
      expect(headers.map((h) => h.source.name)).toEqual(truth.files);
      for (const header of headers) {
        expect(classifyInstance(header)).toEqual({ kind: 'image' });
        validatePixelGeometry(header);
      }
    });

    it(`${truth.run}: geometry, timing, spacing and display match`, async () => {
      const info = buildRunInfo(await openRun(truth));
      expect(info).toMatchObject({
        rows: truth.rows,
        columns: truth.columns,
        frameCount: truth.frames,
        bitsAllocated: truth.bitsAllocated,
        bitsStored: truth.bitsStored,
        transferSyntaxUID: truth.transferSyntaxUID,
        sopInstanceUIDs: truth.sopInstanceUIDs,
        positioner: truth.positioner,
      });
      expect(info.timing.source).toBe(TIMING_SOURCE[truth.timingSource]);
      expect(info.timing.frameStartMs).toHaveLength(truth.frames);
      info.timing.frameStartMs.forEach((ms, i) => expect(ms).toBeCloseTo(truth.frameStartMs[i], 6));
      const [row, column] = truth.patientPlaneSpacingMm;
      expect(info.spacing.preferred?.source).toBe('Imager Pixel Spacing corrected by ERMF');
      expect(info.spacing.preferred?.rowMm).toBeCloseTo(row, 4);
      expect(info.spacing.preferred?.columnMm).toBeCloseTo(column, 4);
      expect(info.spacing.candidates).toContainEqual({
        rowMm: truth.imagerPixelSpacingMm[0],
        columnMm: truth.imagerPixelSpacingMm[1],
        source: 'Imager Pixel Spacing',
      });
      expect(info.spacing.estimatedRadiographicMagnificationFactor).toBeCloseTo(truth.ermf, 6);
      expect(info.voi.windows[0]).toMatchObject(truth.window);
      // A series windowed image by image keeps each image's (frame k is Instance Number k).
      expect(info.voi.perImage?.map((windows) => windows[0])).toEqual(truth.windowsByInstance?.map((w) => expect.objectContaining(w)));
    });

    it(`${truth.run}: every frame is indexed`, async () => {
      const headers = await openRun(truth);
      const perInstance = headers.length === 1 ? truth.frames : 1;
      let ok = 0;
      for (const header of headers) {
        const index = await indexFrames(header, perInstance);
        expect(index.problems).toEqual([]);
        ok += index.frames.filter((f) => f.ok).length;
      }
      expect(ok).toBe(truth.frames);
    });

    // RLE runs are decoded by the codec; their pixels are checked in the browser tests.
    if (truth.encapsulation === null)
      it(`${truth.run}: native frames read back as the stored values`, async () => {
        const headers = await openRun(truth);
        const bigEndian = truth.transferSyntaxUID === '1.2.840.10008.1.2.2';
        for (const frame of [1, Math.ceil(truth.frames / 2), truth.frames]) {
          const header = headers.length === 1 ? headers[0] : headers[frame - 1];
          const index = await indexFrames(header, headers.length === 1 ? truth.frames : 1);
          const slot = index.frames[headers.length === 1 ? frame - 1 : 0];
          if (!slot.ok) throw new Error(slot.reason);
          const bytes = await readFrameBytes(header.source, slot.span);
          // 8-bit frames come back in pixel order; 16-bit ones as stored (the codec swaps big endian words).
          let values: ArrayLike<number> = bytes;
          if (truth.bitsAllocated === 16) {
            const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            values = Uint16Array.from({ length: bytes.length / 2 }, (_, i) => view.getUint16(2 * i, !bigEndian));
          }
          expect(fnv1aPixelHash(values), `frame ${frame}`).toBe(truth.frameHashes[frame - 1]);
        }
      });
  }
});
