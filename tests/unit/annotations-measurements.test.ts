import { describe, expect, it } from 'vitest';
import type { Spacing, SpacingInfo } from '../../src/dicom/types';
import {
  addTrack,
  applyCommand,
  contrastAreaSeries,
  contrastOnset,
  createDocument,
  createTrack,
  measureRun,
  setKeyframe,
  timeSinceOnsetSeries,
  tipToTargetSeries,
  updateCaseRecord,
  type AnnotationDocument,
  type Command,
  type Point,
} from '../../src/annotations/model';

const p = (x: number, y: number): Point => ({ x, y });
const uncalibrated: SpacingInfo = { preferred: null, candidates: [] };
const calibrated = (columnMm: number, rowMm: number): SpacingInfo => {
  const preferred: Spacing = { columnMm, rowMm, source: 'Imager Pixel Spacing corrected by ERMF' };
  return { preferred, candidates: [preferred] };
};

function build(frameCount: number, commands: (doc: AnnotationDocument) => Command[]): AnnotationDocument {
  const empty = createDocument({ studyInstanceUID: '1', seriesInstanceUID: '1.1', sopInstanceUIDs: ['1.1.1'], frameCount });
  return commands(empty).reduce((doc, cmd) => applyCommand(doc, cmd).doc, empty);
}

/** Needle tip on frames 2–4 moving 3-4-5 triangles away from a fixed target at (10, 10). */
const needleAndTarget = build(5, (doc) => [
  addTrack(createTrack(doc, 'needleTip')),
  addTrack(createTrack(doc, 'target')),
  setKeyframe('needleTip-1', 2, { tip: p(16, 18) }),
  setKeyframe('needleTip-1', 4, { tip: p(13, 14) }),
  setKeyframe('target-1', 3, { center: p(10, 10), radiusPx: 4 }),
]);

describe('tip-to-target distance', () => {
  it('is in pixels, and says so, when the run is not calibrated', () => {
    const series = tipToTargetSeries(needleAndTarget, uncalibrated);
    expect(series.px).toEqual([null, 10, 7.5, 5, null]);
    expect(series.mm).toBeNull();
    expect(series.values).toEqual(series.px);
    expect(series.unit).toBe('px');
    expect(series.spacingSource).toBeNull();
    expect(series).toMatchObject({ needleTipTrackId: 'needleTip-1', targetTrackId: 'target-1' });
  });

  it('is in millimetres with isotropic calibration, naming the spacing used', () => {
    const series = tipToTargetSeries(needleAndTarget, calibrated(0.2, 0.2));
    expect(series.mm?.map((v) => (v === null ? null : Number(v.toFixed(9))))).toEqual([null, 2, 1.5, 1, null]);
    expect(series.px).toEqual([null, 10, 7.5, 5, null]);
    expect(series.unit).toBe('mm');
    expect(series.values).toBe(series.mm);
    expect(series.spacingSource).toBe('Imager Pixel Spacing corrected by ERMF');
  });

  it('scales x by column spacing and y by row spacing when they differ', () => {
    const series = tipToTargetSeries(needleAndTarget, calibrated(0.3, 0.1));
    // frame 2: dx = 6 columns, dy = 8 rows
    expect(series.mm?.[1]).toBeCloseTo(Math.hypot(6 * 0.3, 8 * 0.1), 12);
    expect(series.mm?.[3]).toBeCloseTo(Math.hypot(3 * 0.3, 4 * 0.1), 12);
  });

  it('is null throughout without a target', () => {
    const needleOnly = build(3, (doc) => [addTrack(createTrack(doc, 'needleTip')), setKeyframe('needleTip-1', 2, { tip: p(1, 1) })]);
    const series = tipToTargetSeries(needleOnly, calibrated(1, 1));
    expect(series.values).toEqual([null, null, null]);
    expect(series.targetTrackId).toBeNull();
  });
});

// An L-shaped hexagon of area 12·4 + 4·6 = 72 px², growing to a 12 × 12 square (144 px²).
const lShape = [p(0, 0), p(12, 0), p(12, 4), p(4, 4), p(4, 10), p(0, 10)];
const bigSquare = [p(0, 0), p(12, 0), p(12, 12), p(0, 12)];
const spreading = build(8, (doc) => [
  addTrack(createTrack(doc, 'contrastSpread')),
  setKeyframe('contrastSpread-1', 4, { contour: lShape }),
  setKeyframe('contrastSpread-1', 6, { contour: bigSquare }),
]);

describe('contrast area', () => {
  it('is the shoelace area in px² where the track shows, null elsewhere', () => {
    const series = contrastAreaSeries(spreading, uncalibrated);
    expect(series.px2[3]).toBe(72);
    expect(series.px2[5]).toBe(144);
    expect(series.px2[4]).toBeGreaterThan(72);
    expect(series.px2[4]).toBeLessThan(144);
    expect([series.px2[2], series.px2[6]]).toEqual([null, null]);
    expect(series).toMatchObject({ unit: 'px²', mm2: null, spacingSource: null, trackIds: ['contrastSpread-1'] });
  });

  it('is in mm² (column × row spacing) when calibrated', () => {
    const series = contrastAreaSeries(spreading, calibrated(0.25, 0.5));
    expect(series.mm2?.[3]).toBeCloseTo(72 * 0.125, 12);
    expect(series.unit).toBe('mm²');
    expect(series.values).toBe(series.mm2);
  });

  it('sums contrast tracks, or measures the one asked for', () => {
    const two = build(8, (doc) => [
      addTrack(createTrack(doc, 'contrastSpread')),
      addTrack(createTrack(doc, 'contrastSpread', { id: 'contrastSpread-2' })),
      setKeyframe('contrastSpread-1', 4, { contour: lShape }),
      setKeyframe('contrastSpread-2', 4, { contour: bigSquare }),
    ]);
    expect(contrastAreaSeries(two, uncalibrated).px2[3]).toBe(216);
    expect(contrastAreaSeries(two, uncalibrated, { trackId: 'contrastSpread-2' }).px2[3]).toBe(144);
  });
});

describe('contrast onset and time since onset', () => {
  // Irregular frame times, as from a Frame Time Vector.
  const frameStartMs = [0, 100, 250, 300, 480, 600, 1000, 1033];

  it('is the first frame with a contour of positive area', () => {
    expect(contrastOnset(spreading)).toEqual({ frame: 4, source: 'contrastSpread' });
  });

  it('prefers the frame recorded in the case record', () => {
    const recorded = applyCommand(spreading, updateCaseRecord({ contrastFirstSeenFrame: 3 })).doc;
    expect(contrastOnset(recorded)).toEqual({ frame: 3, source: 'caseRecord' });
    expect(timeSinceOnsetSeries(recorded, frameStartMs).seconds).toEqual([-0.25, -0.15, 0, 0.05, 0.23, 0.35, 0.75, 0.783]);
  });

  it('counts seconds from the onset frame using real frame times, negative before', () => {
    const { onset, seconds } = timeSinceOnsetSeries(spreading, frameStartMs);
    expect(onset.frame).toBe(4);
    expect(seconds).toEqual([-0.3, -0.2, -0.05, 0, 0.18, 0.3, 0.7, 0.733]);
  });

  it('is null without an onset, and where frame times are missing', () => {
    expect(timeSinceOnsetSeries(needleAndTarget, [0, 1, 2, 3, 4]).seconds).toEqual([null, null, null, null, null]);
    expect(contrastOnset(needleAndTarget)).toEqual({ frame: null, source: null });
    expect(timeSinceOnsetSeries(spreading, [0, 100, 200, 300]).seconds.slice(3)).toEqual([0, null, null, null, null]);
  });

  it('all come together in measureRun', () => {
    const all = measureRun(spreading, calibrated(0.2, 0.2), frameStartMs);
    expect(all.contrastArea.unit).toBe('mm²');
    expect(all.tipToTarget.values.every((v) => v === null)).toBe(true);
    expect(all.timeSinceOnset.onset.frame).toBe(4);
  });
});
