import { describe, expect, it } from 'vitest';
import {
  createDocument,
  createTrack,
  measureRun,
  updateCaseRecord,
  applyCommand,
  addTrack,
  setKeyframe,
} from '../../src/annotations/model';
import type { SpacingInfo } from '../../src/dicom/types';
import { areaText, calibrationText, distanceText, frameReadout, sinceOnsetText } from '../../src/format/measurements';
import { levelsText, parseFrame, parseLevels } from '../../src/format/caseRecord';
import { nearestFrame } from '../../src/viewer/cine';

describe('measurement wording', () => {
  it('gives mm beside px only when calibrated, and px alone otherwise', () => {
    expect(distanceText(25, 12.32)).toBe('12.3 mm (25.0 px)');
    expect(distanceText(25, null)).toBe('25.0 px');
    expect(distanceText(null, null)).toBeNull();
    expect(areaText(1600, 388.56)).toBe('388.6 mm² (1600 px²)');
    expect(areaText(1600.4, null)).toBe('1600 px²');
  });

  it('names the spacing source, with ERMF correction written as a division', () => {
    expect(calibrationText(null)).toBe('Not calibrated: pixels only');
    expect(calibrationText({ rowMm: 0.4928, columnMm: 0.4928, source: 'Imager Pixel Spacing corrected by ERMF' })).toBe(
      'Imager Pixel Spacing ÷ ERMF, 0.4928 mm/px',
    );
    expect(calibrationText({ rowMm: 0.2, columnMm: 0.1, source: 'Pixel Spacing' })).toBe('Pixel Spacing, 0.1 × 0.2 mm/px (column × row)');
    expect(calibrationText({ rowMm: 0.308, columnMm: 0.308, source: 'Imager Pixel Spacing' })).toBe(
      'Imager Pixel Spacing at detector, 0.308 mm/px',
    );
  });

  it('says how long since contrast onset', () => {
    expect(sinceOnsetText(null)).toBeNull();
    expect(sinceOnsetText(0)).toBe('at onset');
    expect(sinceOnsetText(1.2)).toBe('1.20 s after onset');
    expect(sinceOnsetText(-0.4)).toBe('0.40 s before onset');
  });

  it('finds the frame whose start is nearest a time, with irregular frame times', () => {
    const starts = [0, 50, 150, 200, 400];
    expect(nearestFrame(starts, 0)).toBe(1);
    expect(nearestFrame(starts, 0.024)).toBe(1);
    expect(nearestFrame(starts, 0.026)).toBe(2);
    expect(nearestFrame(starts, 0.12)).toBe(3);
    expect(nearestFrame(starts, 0.31)).toBe(5);
    expect(nearestFrame(starts, -1)).toBe(1);
    expect(nearestFrame(starts, 99)).toBe(5);
  });

  it('reads out one frame of measureRun, never mixing units', () => {
    let doc = createDocument({ studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUIDs: ['3'], frameCount: 3 });
    const run = (cmd: Parameters<typeof applyCommand>[1]) => (doc = applyCommand(doc, cmd).doc);
    run(addTrack(createTrack(doc, 'needleTip')));
    run(addTrack(createTrack(doc, 'target')));
    run(setKeyframe('needleTip-1', 2, { tip: { x: 0, y: 0 } }));
    run(setKeyframe('target-1', 1, { center: { x: 30, y: 40 }, radiusPx: 2 }));
    run(updateCaseRecord({ contrastFirstSeenFrame: 2 }));
    const calibrated: SpacingInfo = { preferred: { rowMm: 0.5, columnMm: 0.5, source: 'Pixel Spacing' }, candidates: [] };
    const mm = frameReadout(measureRun(doc, calibrated, [0, 100, 200]), 2);
    expect(mm).toEqual({ distance: '25.0 mm (50.0 px)', area: null, onset: 'frame 2 (case record)', sinceOnset: 'at onset' });
    const px = frameReadout(measureRun(doc, { preferred: null, candidates: [] }, [0, 100, 200]), 3);
    expect(px.distance).toBeNull(); // the needle shows only on its keyframe
    expect(frameReadout(measureRun(doc, { preferred: null, candidates: [] }, [0, 100, 200]), 2).distance).toBe('50.0 px');
    expect(px.sinceOnset).toBe('0.10 s after onset');
  });
});

describe('case record text fields', () => {
  it('reads levels and ranges in any case and spacing, canonical and without repeats', () => {
    expect(parseLevels('l4, L5 - s1; L4')).toEqual({ ok: true, value: ['L4', 'L5-S1'] });
    expect(parseLevels('T8–T10 co')).toEqual({ ok: true, value: ['T8-T10', 'Co'] });
    expect(parseLevels('')).toEqual({ ok: true, value: [] });
    expect(levelsText(['L4', 'L5-S1'])).toBe('L4, L5-S1');
  });

  it('names the first entry that is not a level', () => {
    expect(parseLevels('L4, L6')).toEqual({ ok: false, error: '“L6” is not a vertebral level or range (e.g. L4, L5-S1)' });
    expect(parseLevels('L5-L4')).toMatchObject({ ok: false });
  });

  it('reads the contrast frame within the run, empty meaning not recorded', () => {
    expect(parseFrame(' 12 ', 60)).toEqual({ ok: true, value: 12 });
    expect(parseFrame('', 60)).toEqual({ ok: true, value: null });
    for (const bad of ['0', '61', '2.5', 'x'])
      expect(parseFrame(bad, 60)).toEqual({ ok: false, error: 'Enter a frame from 1 to 60, or leave it empty' });
  });
});
