import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpacingInfo } from '../../src/dicom/types';
import {
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  setKeyframe,
  type AnnotationDocument,
  type Command,
  type JsonObject,
} from '../../src/annotations/model';
import { DERIVED_NOTE, parseDocument, serializeDocument } from '../../src/annotations/schema';

const RUN = { studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.4', sopInstanceUIDs: ['1.2.3.4.1'], frameCount: 11 };
const CALIBRATED: SpacingInfo = {
  preferred: { rowMm: 0.5, columnMm: 0.25, source: 'Imager Pixel Spacing corrected by ERMF' },
  candidates: [],
};
const UNCALIBRATED: SpacingInfo = { preferred: null, candidates: [] };
const FRAME_START_MS = Array.from({ length: 11 }, (_, i) => i * 100);

function sample(): AnnotationDocument {
  const empty = createDocument(RUN);
  const commands: Command[] = [
    addTrack(createTrack(empty, 'needleTip')),
    addTrack(createTrack(empty, 'target')),
    addTrack(createTrack(empty, 'contrastSpread')),
    setKeyframe('needleTip-1', 1, { tip: { x: 10.5, y: 20.5 } }),
    setKeyframe('needleTip-1', 11, { tip: { x: 30.5, y: 60.5 } }),
    setKeyframe('target-1', 4, { center: { x: 50.5, y: 60.5 }, radiusPx: 8 }),
    setKeyframe('contrastSpread-1', 6, {
      contour: [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 4 },
        { x: 0, y: 4 },
      ],
    }),
  ];
  return commands.reduce((doc, cmd) => applyCommand(doc, cmd).doc, empty);
}

function exported(doc: AnnotationDocument, spacing = CALIBRATED): JsonObject {
  const text = serializeDocument(doc, {
    appVersion: '0.1.0',
    savedAt: new Date('2026-11-26T12:00:00Z'),
    derived: { spacing, frameStartMs: FRAME_START_MS },
  });
  return JSON.parse(text) as JsonObject;
}

type Derived = {
  note: string;
  needleTip: { trackId: string; positions: Array<{ frame: number; x: number; y: number; source: string }> };
  target: { positions: Array<{ frame: number; x: number; y: number; radiusPx: number; source: string }> };
  tipToTarget: { unit: string; spacingSource: string | null; px: (number | null)[]; mm: (number | null)[] | null };
  contrastArea: { unit: string; px2: (number | null)[]; mm2: (number | null)[] | null };
  timeSinceOnset: { onsetFrame: number | null; seconds: (number | null)[] };
};

describe('the derived block of an export', () => {
  it('is written last, after the case record, and says it is regenerated and ignored on import', () => {
    const json = exported(sample());
    expect(Object.keys(json).at(-1)).toBe('derived');
    expect((json.derived as unknown as Derived).note).toBe(DERIVED_NOTE);
  });

  it('gives the needle tip on every frame between keyframes, linearly interpolated', () => {
    const derived = exported(sample()).derived as unknown as Derived;
    const positions = derived.needleTip.positions;
    expect(positions.map((p) => p.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(positions[0]).toEqual({ frame: 1, x: 10.5, y: 20.5, source: 'keyframe' });
    expect(positions[5]).toEqual({ frame: 6, x: 20.5, y: 40.5, source: 'interpolated' });
    expect(derived.needleTip.trackId).toBe('needleTip-1');
  });

  it('holds the target outside its keyframes and says so', () => {
    const derived = exported(sample()).derived as unknown as Derived;
    expect(derived.target.positions).toHaveLength(11);
    expect(derived.target.positions[0]).toEqual({ frame: 1, x: 50.5, y: 60.5, radiusPx: 8, source: 'held' });
    expect(derived.target.positions[3].source).toBe('keyframe');
  });

  it('carries tip-to-target distance and contrast area in mm when calibrated, naming the spacing', () => {
    const derived = exported(sample()).derived as unknown as Derived;
    expect(derived.tipToTarget.unit).toBe('mm');
    expect(derived.tipToTarget.spacingSource).toBe('Imager Pixel Spacing corrected by ERMF');
    expect(derived.tipToTarget.px[0]).toBeCloseTo(Math.hypot(40, 40), 3);
    expect(derived.tipToTarget.mm?.[0]).toBeCloseTo(Math.hypot(40 * 0.25, 40 * 0.5), 3);
    expect(derived.contrastArea.px2[5]).toBe(40);
    expect(derived.contrastArea.mm2?.[5]).toBeCloseTo(40 * 0.125, 6);
    expect(derived.contrastArea.px2[0]).toBeNull();
    expect(derived.timeSinceOnset.onsetFrame).toBe(6);
    expect(derived.timeSinceOnset.seconds[0]).toBeCloseTo(-0.5, 6);
  });

  it('stays in pixels without calibration', () => {
    const derived = exported(sample(), UNCALIBRATED).derived as unknown as Derived;
    expect(derived.tipToTarget.unit).toBe('px');
    expect(derived.tipToTarget.mm).toBeNull();
    expect(derived.contrastArea.unit).toBe('px²');
  });

  it('is ignored on import: an edited derived block changes nothing and is not kept as an unknown field', () => {
    const json = exported(sample());
    const derived = json.derived as unknown as Derived;
    derived.needleTip.positions[5] = { frame: 6, x: 999, y: 999, source: 'keyframe' };
    const result = parseDocument(JSON.stringify(json), RUN);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.doc).toEqual(sample());
    expect(result.doc.extra).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it('is not written unless asked for (autosave and the v1 fixture stay as they were)', () => {
    const text = serializeDocument(sample(), { appVersion: '0.1.0' });
    expect(JSON.parse(text)).not.toHaveProperty('derived');
    const fixture = readFileSync(join(process.cwd(), 'tests/fixtures/annotations-v1.json'), 'utf8');
    const result = parseDocument(fixture);
    expect(result.ok).toBe(true);
  });
});
