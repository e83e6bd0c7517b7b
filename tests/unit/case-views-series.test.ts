import { describe, expect, it } from 'vitest';
import {
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  runRefFromRunInfo,
  setKeyframe,
  twoViewsBadge,
} from '../../src/annotations/model';
import type { OpenedRun } from '../../src/dicom/run';
import { checklistRunsOf } from '../../src/state/caseViews';
import { runInfoWith } from './runInfoFixture';

const AP = { primaryAngleDeg: 0, secondaryAngleDeg: 0 };
const LATERAL = { primaryAngleDeg: 90, secondaryAngleDeg: 0 };

/** A series of spot images: frames 1–3 and 6 AP, 4–5 lateral. */
function spotSeries(): OpenedRun {
  const angles = [AP, AP, AP, LATERAL, LATERAL, AP];
  const info = runInfoWith({
    frameCount: 6,
    series: { instanceUID: '2.25.77.2', number: 3, description: 'Spot images', modality: 'XA' },
    sopInstanceUIDs: angles.map((_, i) => `2.25.77.3.${i + 1}`),
    positioner: AP,
    instances: angles.map((positioner, i) => ({ instanceNumber: i + 1, positioner, exposure: {}, patientOrientation: null })),
  });
  return { key: 'spots#1', identity: 'spots', info, frames: [], fileNames: ['spots/IM1.dcm'], problems: [] };
}

/** Needle tip and contrast spread keyframes on the frames given. */
function marked(run: OpenedRun, tipFrames: number[], contrastFrames: number[]) {
  let doc = createDocument(runRefFromRunInfo(run.info));
  doc = applyCommand(doc, addTrack(createTrack(doc, 'needleTip'))).doc;
  doc = applyCommand(doc, addTrack(createTrack(doc, 'contrastSpread'))).doc;
  for (const f of tipFrames) doc = applyCommand(doc, setKeyframe('needleTip-1', f, { tip: { x: 1, y: 1 } })).doc;
  const contour = [
    { x: 1, y: 1 },
    { x: 5, y: 1 },
    { x: 3, y: 4 },
  ];
  for (const f of contrastFrames) doc = applyCommand(doc, setKeyframe('contrastSpread-1', f, { contour })).doc;
  return doc;
}

describe('views of a series taken at several angles', () => {
  it('counts each angle of a series as a view, with the marks on its images', () => {
    const run = spotSeries();
    const checklistRuns = checklistRunsOf(run, marked(run, [2, 5], [3, 4]));
    expect(checklistRuns.map((r) => [r.label, r.positioner, r.hasNeedleTip, r.hasContrastSpread])).toEqual([
      ['Series 3: Spot images, frames 1–3, 6', AP, true, true],
      ['Series 3: Spot images, frames 4–5', LATERAL, true, true],
    ]);
    // Needle tip and contrast in the AP images and in the lateral ones: two views, from one series.
    expect(twoViewsBadge(checklistRuns).earned).toBe(true);
  });

  it('does not take marks on the AP images for marks on the lateral ones', () => {
    const run = spotSeries();
    const checklistRuns = checklistRunsOf(run, marked(run, [1, 2], [3, 6]));
    expect(checklistRuns.map((r) => [r.hasNeedleTip, r.hasContrastSpread])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(twoViewsBadge(checklistRuns).earned).toBe(false);
  });

  it('keeps a run taken at one angle, and a multi-frame run, as one view', () => {
    const run = spotSeries();
    const oneAngle = { ...run, info: { ...run.info, instances: run.info.instances.map((i) => ({ ...i, positioner: AP })) } };
    expect(checklistRunsOf(oneAngle, undefined).map((r) => [r.key, r.label])).toEqual([['spots#1', 'Series 3: Spot images']]);
    const cine = { ...run, info: runInfoWith({ frameCount: 6, positioner: LATERAL }) };
    expect(checklistRunsOf(cine, undefined).map((r) => r.positioner)).toEqual([LATERAL]);
  });
});
