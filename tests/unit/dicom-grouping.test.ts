import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { groupInstancesIntoRuns, orderOpenedRuns, summarizeInstance } from '../../src/dicom/grouping';
import type { InstanceSummary, SummarizedInstance } from '../../src/dicom/grouping';
import { readHeader } from '../../src/dicom/header';
import { buildDicom, el, imageElements, type ElementSpec } from '../support/dicom/syntheticDicom';
import { runInfoWith } from './runInfoFixture';

function instance(partial: Partial<InstanceSummary> & { item: string }): SummarizedInstance<string> {
  return {
    studyUID: '1.2.3',
    seriesUID: '1.2.3.1',
    sopInstanceUID: partial.item,
    instanceNumber: null,
    acquisitionDateTime: null,
    frameCount: 1,
    seriesNumber: 1,
    studyDate: '20240312',
    studyTime: '101500',
    pixelFormat: '512×512 8/8 u MONOCHROME2 ×1',
    ...partial,
  };
}

/** Deterministic shuffle, so a failure can be reproduced. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('groupInstancesIntoRuns', () => {
  it('keeps an image of another matrix or pixel format out of its series’ run: a run of its own', () => {
    const spots = Array.from({ length: 10 }, (_, i) => instance({ item: `1.2.3.1.${i + 1}`, instanceNumber: i + 1 }));
    const zoomed = instance({ item: '1.2.3.1.11', instanceNumber: 11, pixelFormat: '512×464 8/8 u MONOCHROME2 ×1' });
    const [study] = groupInstancesIntoRuns(shuffled([...spots, zoomed]));
    expect(study.runs.map((r) => [r.kind, r.frameCount, r.instances.map((i) => i.instanceNumber)])).toEqual([
      ['single-frame-series', 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
      ['single-frame-series', 1, [11]],
    ]);
  });

  it('orders a single-frame series by Instance Number, whatever order the files came in', () => {
    const series = Array.from({ length: 12 }, (_, i) => instance({ item: `1.2.3.1.${i + 1}`, instanceNumber: i + 1 }));
    const [study] = groupInstancesIntoRuns(shuffled(series));
    expect(study.runs).toHaveLength(1);
    expect(study.runs[0].kind).toBe('single-frame-series');
    expect(study.runs[0].frameCount).toBe(12);
    expect(study.runs[0].instances.map((i) => i.instanceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('falls back to acquisition time, then SOP Instance UID (numerically)', () => {
    const items = [
      instance({ item: '1.2.3.1.10', acquisitionDateTime: '2024-03-12T10:15:02.000' }),
      instance({ item: '1.2.3.1.9', acquisitionDateTime: '2024-03-12T10:15:01.000' }),
      instance({ item: '1.2.3.1.11' }),
      instance({ item: '1.2.3.1.2' }),
      instance({ item: '1.2.3.1.5', instanceNumber: 1 }),
    ];
    const [study] = groupInstancesIntoRuns(items);
    expect(study.runs[0].instances.map((i) => i.item)).toEqual(['1.2.3.1.5', '1.2.3.1.9', '1.2.3.1.10', '1.2.3.1.2', '1.2.3.1.11']);
  });

  it('collapses the same instance given twice instead of doubling it', () => {
    const a = instance({ item: 'a', sopInstanceUID: '9.1', instanceNumber: 1 });
    const b = instance({ item: 'b', sopInstanceUID: '9.2', instanceNumber: 2 });
    const aAgain = instance({ item: 'a-again', sopInstanceUID: '9.1', instanceNumber: 1 });
    const [study] = groupInstancesIntoRuns([a, b, aAgain]);
    expect(study.runs[0].instances.map((i) => i.item)).toEqual(['a', 'b']);
    expect(study.runs[0].frameCount).toBe(2);
    expect(study.runs[0].duplicates.map((i) => i.item)).toEqual(['a-again']);
  });

  it('collapses a duplicated multi-frame instance too', () => {
    const cine = instance({ item: 'cine', sopInstanceUID: '9.9', frameCount: 96 });
    const [study] = groupInstancesIntoRuns([cine, { ...cine, item: 'cine-copy' }]);
    expect(study.runs).toHaveLength(1);
    expect(study.runs[0].duplicates).toHaveLength(1);
  });

  it('makes each multi-frame instance its own run, ordered by series number then time', () => {
    const items = [
      instance({ item: 'lateral', seriesUID: 's3', seriesNumber: 3, frameCount: 40 }),
      instance({ item: 'ap-late', seriesUID: 's2', seriesNumber: 2, frameCount: 30, acquisitionDateTime: '2024-03-12T10:20:00.000' }),
      instance({ item: 'ap-early', seriesUID: 's2', seriesNumber: 2, frameCount: 30, acquisitionDateTime: '2024-03-12T10:19:00.000' }),
      instance({ item: 'spot-2', seriesUID: 's1', seriesNumber: 1, instanceNumber: 2 }),
      instance({ item: 'spot-1', seriesUID: 's1', seriesNumber: 1, instanceNumber: 1 }),
    ];
    const [study] = groupInstancesIntoRuns(items);
    expect(study.runs.map((r) => [r.kind, r.instances.map((i) => i.item).join(',')])).toEqual([
      ['single-frame-series', 'spot-1,spot-2'],
      ['multi-frame', 'ap-early'],
      ['multi-frame', 'ap-late'],
      ['multi-frame', 'lateral'],
    ]);
  });

  it('groups runs by study, earliest study first', () => {
    const items = [
      instance({ item: 'later', studyUID: '2.2', studyDate: '20240319', seriesUID: 'x' }),
      instance({ item: 'earlier', studyUID: '1.1', studyDate: '20240312', seriesUID: 'y' }),
      instance({ item: 'undated', studyUID: '3.3', studyDate: '', seriesUID: 'z' }),
    ];
    expect(groupInstancesIntoRuns(items).map((s) => s.studyUID)).toEqual(['1.1', '2.2', '3.3']);
  });
});

describe('summarizeInstance', () => {
  it('reads what grouping needs from a header', async () => {
    const bytes = buildDicom({
      elements: imageElements({
        rows: 2,
        columns: 2,
        frames: 12,
        sopInstanceUID: '1.9.9',
        extra: [
          el(0x00200013, 'IS', '4'),
          el(0x00200011, 'IS', '2'),
          el(0x00080020, 'DA', '20240312'),
          el(0x00080030, 'TM', '101500'),
          el(0x0008002a, 'DT', '20240312101702.25'),
        ],
      }),
      pixelData: { kind: 'native', bytes: new Uint8Array(48) },
    });
    const summary = summarizeInstance(await readHeader(bufferSource('s.dcm', bytes)));
    expect(summary).toEqual({
      studyUID: '1.2.3.4',
      seriesUID: '1.2.3.4.1',
      sopInstanceUID: '1.9.9',
      instanceNumber: 4,
      acquisitionDateTime: '2024-03-12T10:17:02.250',
      frameCount: 12,
      seriesNumber: 2,
      studyDate: '20240312',
      studyTime: '101500',
      pixelFormat: '2×2 8/8 u MONOCHROME2 ×1',
    });
  });

  it('tells pixel formats apart: another matrix or bit depth is another format', async () => {
    const formatOf = async (rows: number, columns: number, bitsAllocated = 8, extra: ElementSpec[] = []) =>
      summarizeInstance(
        await readHeader(
          bufferSource(
            's.dcm',
            buildDicom({
              elements: imageElements({ rows, columns, bitsAllocated, extra }),
              pixelData: { kind: 'native', bytes: new Uint8Array((rows * columns * bitsAllocated) / 8) },
            }),
          ),
        ),
      ).pixelFormat;
    expect(await formatOf(4, 2)).toBe('2×4 8/8 u MONOCHROME2 ×1');
    expect(new Set([await formatOf(4, 4), await formatOf(4, 2), await formatOf(4, 4, 16)]).size).toBe(3);
    // Stored values that mean something else (another rescale) are another format too.
    const rescaled = await formatOf(4, 2, 8, [el(0x00281052, 'DS', '-100'), el(0x00281053, 'DS', '2')]);
    expect(rescaled).toBe('2×4 8/8 u MONOCHROME2 ×1 rescale 2x+-100');
    expect(await formatOf(4, 2, 8, [el(0x00281052, 'DS', '0'), el(0x00281053, 'DS', '1')])).toBe('2×4 8/8 u MONOCHROME2 ×1');
  });
});

describe('orderOpenedRuns', () => {
  const base = runInfoWith();
  const run = (name: string, study: string, series: number | null, acquired = '', seriesUID = `2.25.9.${name.length}`) => ({
    name,
    info: {
      ...base,
      study: { ...base.study, instanceUID: study },
      series: { ...base.series, instanceUID: seriesUID, number: series },
      acquisitionDateTime: acquired,
    },
  });
  const names = (runs: Array<{ name: string }>) => runs.map((r) => r.name);

  it('lists runs opened one at a time as acquired within their study: Series Number, then acquisition time', () => {
    const opened = [
      run('L5 oblique', 'A', 2),
      run('L4 AP', 'A', 1),
      run('other study', 'B', 1),
      run('no number, late', 'A', null, '20240312101900'),
      run('no number, early', 'A', null, '20240312101500'),
      run('DSA', 'A', 4),
    ];
    expect(names(orderOpenedRuns(opened))).toEqual(['L4 AP', 'L5 oblique', 'DSA', 'no number, early', 'no number, late', 'other study']);
  });

  it('keeps studies in the order they were first opened and does not change the list it is given', () => {
    const opened = [run('B2', 'B', 2), run('A1', 'A', 1), run('B1', 'B', 1)];
    expect(names(orderOpenedRuns(opened))).toEqual(['B1', 'B2', 'A1']);
    expect(names(opened)).toEqual(['B2', 'A1', 'B1']);
  });

  it('puts a run opened again (appended at the end) back in its place', () => {
    const list = [run('S1', 'A', 1), run('S2', 'A', 2), run('S3', 'A', 3)];
    const reopened = [list[0], list[2], run('S2', 'A', 2)];
    expect(names(orderOpenedRuns(reopened))).toEqual(['S1', 'S2', 'S3']);
  });
});
