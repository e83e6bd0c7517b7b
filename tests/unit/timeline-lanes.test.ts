import { describe, expect, it } from 'vitest';
import { createDocument, createTrack, withKeyframe, type Track } from '../../src/annotations/model';
import { frameAtX, frameX, laneLayout, rulerTicks } from '../../src/ui/timeline/laneLayout';

const doc = createDocument({ studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUIDs: ['3'], frameCount: 100 });

function withFrames<T extends Track>(track: T, frames: number[], geometry: T['keyframes'][number]['geometry']): T {
  return frames.reduce((t, f) => withKeyframe(t, f, geometry), track);
}

describe('timeline lane layout', () => {
  it('puts a frame at the centre of its cell and maps positions back to frames', () => {
    expect(frameX(1, 100)).toBeCloseTo(0.005);
    expect(frameX(100, 100)).toBeCloseTo(0.995);
    expect(frameAtX(0, 100)).toBe(1);
    expect(frameAtX(0.995, 100)).toBe(100);
    expect(frameAtX(1, 100)).toBe(100);
    for (const f of [1, 17, 50, 100]) expect(frameAtX(frameX(f, 100), 100)).toBe(f);
  });

  it('shades only between keyframes for a needle tip (it shows nothing outside them)', () => {
    const needle = withFrames(createTrack(doc, 'needleTip'), [10, 11, 40, 90], { tip: { x: 1, y: 1 } });
    const { spans, marks } = laneLayout(needle, 100);
    expect(marks.map((m) => m.frame)).toEqual([10, 11, 40, 90]);
    expect(marks[0].x).toBeCloseTo(0.095);
    // Adjacent keyframes (10, 11) have no interpolated frames between them.
    expect(spans.map((s) => [s.kind, s.fromFrame, s.toFrame])).toEqual([
      ['interpolated', 11, 40],
      ['interpolated', 40, 90],
    ]);
    expect(spans[0].x0).toBeCloseTo(frameX(11, 100));
    expect(spans[0].x1).toBeCloseTo(frameX(40, 100));
  });

  it('shows a target held before its first and after its last keyframe', () => {
    const target = withFrames(createTrack(doc, 'target'), [20, 60], { center: { x: 1, y: 1 }, radiusPx: 3 });
    const spans = laneLayout(target, 100).spans.map((s) => [
      s.kind,
      s.fromFrame,
      s.toFrame,
      Number(s.x0.toFixed(3)),
      Number(s.x1.toFixed(3)),
    ]);
    expect(spans).toEqual([
      ['held', 1, 20, 0, 0.195],
      ['interpolated', 20, 60, 0.195, 0.595],
      ['held', 60, 100, 0.595, 1],
    ]);
    const atEnds = withFrames(createTrack(doc, 'target'), [1, 100], { center: { x: 1, y: 1 }, radiusPx: 3 });
    expect(laneLayout(atEnds, 100).spans.map((s) => s.kind)).toEqual(['interpolated']);
  });

  it('draws a caption range as a bar over whole frame cells', () => {
    const caption = createTrack(doc, 'caption', { range: { from: 11, to: 30 }, text: 'L5 root outlined' });
    const { spans, marks } = laneLayout(caption, 100);
    expect(marks).toEqual([]);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ kind: 'range', fromFrame: 11, toFrame: 30 });
    expect(spans[0].x0).toBeCloseTo(0.1);
    expect(spans[0].x1).toBeCloseTo(0.3);
  });

  it('costs one mark per keyframe on a 2,000-frame run', () => {
    const long = createDocument({ ...doc.runRef, frameCount: 2000 });
    const needle = withFrames(createTrack(long, 'needleTip'), [1, 500, 2000], { tip: { x: 1, y: 1 } });
    const layout = laneLayout(needle, 2000);
    expect(layout.marks).toHaveLength(3);
    expect(layout.spans).toHaveLength(2);
  });
});

describe('timeline ruler', () => {
  it('labels frame 1 and round multiples, about ten of them', () => {
    expect(rulerTicks(60)).toEqual([1, 10, 20, 30, 40, 50, 60]);
    expect(rulerTicks(2000)).toEqual([1, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
    expect(rulerTicks(30)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(rulerTicks(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rulerTicks(1)).toEqual([1]);
    expect(rulerTicks(0)).toEqual([]);
    for (const n of [7, 90, 333, 1999, 5000]) expect(rulerTicks(n).length).toBeLessThanOrEqual(12);
  });
});
