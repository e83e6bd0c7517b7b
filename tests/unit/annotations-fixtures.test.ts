// The saved example files must keep loading, field for field, in every future build.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { geometryAt, type AnnotationDocument, type Track } from '../../src/annotations/model';
import { CURRENT_VERSION, MIGRATIONS, parseDocument, serializeDocument } from '../../src/annotations/schema';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');

const RUN = {
  studyInstanceUID: '1.2.826.0.1.3680043.8.498.10442617351196383870',
  seriesInstanceUID: '1.2.826.0.1.3680043.8.498.10442617351196383870.3',
  sopInstanceUIDs: ['1.2.826.0.1.3680043.8.498.10442617351196383870.3.1'],
  frameCount: 48,
};

function load(name: string): { doc: AnnotationDocument; warnings: string[]; migrations: readonly string[] } {
  const result = parseDocument(fixture(name), RUN);
  if (!result.ok) throw new Error(result.error);
  return { doc: result.doc, warnings: result.warnings, migrations: result.file.migrations };
}

function track(doc: AnnotationDocument, id: string): Track {
  const found = doc.tracks.find((t) => t.id === id);
  if (!found) throw new Error(`no track ${id}`);
  return found;
}

describe('annotations-v2.json (current)', () => {
  const { doc, warnings, migrations } = load('annotations-v2.json');

  it('loads without warnings or migrations, for the run it names', () => {
    expect(warnings).toEqual([]);
    expect(migrations).toEqual([]);
    expect(doc.runRef).toEqual(RUN);
    expect(doc.extra).toBeUndefined();
  });

  it('has the five tracks in order, with labels, colours and texts', () => {
    expect(doc.tracks.map((t) => [t.id, t.kind, t.label, t.color])).toEqual([
      ['needleTip-1', 'needleTip', 'Right L5-S1 needle', '#ffd400'],
      ['target-1', 'target', 'Safe triangle, right L5-S1', '#00e676'],
      ['contrastSpread-1', 'contrastSpread', 'Contrast spread', '#40c4ff'],
      ['caption-1', 'caption', 'Caption', '#ffffff'],
      ['arrow-1', 'arrow', 'Arrow', '#ff6d00'],
    ]);
    expect(track(doc, 'caption-1')).toMatchObject({
      text: 'Contrast outlines the exiting L5 root; no vascular uptake',
      range: { from: 34, to: 48 },
    });
    expect(track(doc, 'arrow-1')).toMatchObject({ text: 'L5 root' });
  });

  it('has the needle tip keyframes with and without hub', () => {
    expect(track(doc, 'needleTip-1').keyframes).toEqual([
      { frame: 1, geometry: { tip: { x: 612.5, y: 388.5 }, hub: { x: 760.5, y: 236.5 } } },
      { frame: 18, geometry: { tip: { x: 571.25, y: 455.75 }, hub: { x: 731.5, y: 290 } } },
      { frame: 30, geometry: { tip: { x: 559.5, y: 471.5 } } },
    ]);
  });

  it('has the target, the two contrast outlines, the caption position and the arrow', () => {
    expect(track(doc, 'target-1').keyframes).toEqual([{ frame: 1, geometry: { center: { x: 556, y: 476.5 }, radiusPx: 14 } }]);
    const contrast = track(doc, 'contrastSpread-1').keyframes;
    expect(contrast.map((k) => k.frame)).toEqual([32, 44]);
    expect(contrast.map((k) => ('contour' in k.geometry ? k.geometry.contour.length : 0))).toEqual([6, 11]);
    expect(contrast[1].geometry).toMatchObject({ contour: expect.arrayContaining([{ x: 603.5, y: 470 }]) });
    expect(track(doc, 'caption-1').keyframes).toEqual([{ frame: 34, geometry: { position: { x: 64, y: 960 } } }]);
    expect(track(doc, 'arrow-1').keyframes).toEqual([{ frame: 40, geometry: { from: { x: 680, y: 600 }, to: { x: 598, y: 521 } } }]);
  });

  it('has the filled case record with its injectate log', () => {
    expect(doc.caseRecord).toEqual({
      procedure: 'transforaminalEsi',
      levels: ['L5-S1'],
      side: 'right',
      approach: 'transforaminal',
      contrastPatterns: ['epidural', 'perineural', 'intravascularArterial'],
      contrastFirstSeenFrame: 32,
      placementConfirmedBeforeMedication: true,
      notes: expect.stringMatching(/^Right L5-S1 TFESI, 22G spinal needle, .* radicular artery blush on DSA/),
      injectates: [
        { agent: 'Iohexol 240 mgI/mL', volumeMl: 1, frame: 32, time: null, note: 'test dose under DSA' },
        { agent: 'Dexamethasone 10 mg/mL', volumeMl: 1, frame: null, time: '10:42', note: 'after the repeat injection showed no uptake' },
        { agent: 'Lidocaine 1 %', volumeMl: 1.5, frame: null, time: '10:43:30', note: '' },
      ],
    });
  });

  it('has the user calibration and the vascular-uptake flags', () => {
    expect(doc.calibration).toEqual({
      objectName: '25 mm marker ball',
      lengthMm: 25,
      frame: 1,
      line: { from: { x: 840.5, y: 910 }, to: { x: 902.75, y: 910.5 } },
    });
    expect(doc.vascularFlags).toEqual([
      { id: 'vascular-1', uptake: 'arterial', from: 35, to: 37, note: 'radicular artery blush, seen on DSA only' },
      { id: 'vascular-2', uptake: 'uncertain', from: 44, to: 44, note: 'possible venous plexus' },
    ]);
    expect(doc.leadTips).toEqual([]);
  });

  it('interpolates between its keyframes', () => {
    expect(geometryAt(track(doc, 'contrastSpread-1'), 38)?.isKeyframe).toBe(false);
    expect(geometryAt(track(doc, 'needleTip-1'), 31)).toBeNull();
    expect(geometryAt(track(doc, 'target-1'), 48)?.source).toBe('held');
  });

  it('saves back to exactly the same text', () => {
    expect(serializeDocument(doc, { appVersion: '0.2.0', savedAt: new Date('2027-02-03T09:30:12.000Z') })).toBe(
      fixture('annotations-v2.json'),
    );
  });
});

describe('annotations-v2-scs.json (current: stimulator lead tips)', () => {
  const result = parseDocument(fixture('annotations-v2-scs.json'));
  if (!result.ok) throw new Error(result.error);

  it('loads the lead tips, the levels and the injectate log without warnings', () => {
    expect(result.warnings).toEqual([]);
    expect(result.doc.caseRecord).toMatchObject({ procedure: 'spinalCordStimulatorLead', levels: ['T8-T10'], side: 'bilateral' });
    expect(result.doc.caseRecord.injectates).toEqual([
      { agent: 'Lidocaine 1 %', volumeMl: 5, frame: null, time: '14:01', note: 'skin and tract' },
    ]);
    expect(result.doc.leadTips).toEqual([
      { id: 'leadTip-1', label: 'Lead 1 (left)', frame: 12, level: 'T8', position: { x: 498.25, y: 120.5 } },
      { id: 'leadTip-2', label: 'Lead 2 (right)', frame: 12, level: 'T8', position: null },
    ]);
  });

  it('saves back to exactly the same text', () => {
    expect(serializeDocument(result.doc, { appVersion: '0.2.0', savedAt: new Date('2027-02-04T14:05:00.000Z') })).toBe(
      fixture('annotations-v2-scs.json'),
    );
  });
});

/** The v2 document as a v1 file knew it: none of what format 2 added. */
function withoutFormat2(doc: AnnotationDocument): AnnotationDocument {
  return { ...doc, calibration: null, vascularFlags: [], leadTips: [], caseRecord: { ...doc.caseRecord, injectates: [] } };
}

describe('annotations-v1.json', () => {
  const v1 = load('annotations-v1.json');

  it('migrates to format 2 with empty calibration, flags, lead tips and injectate log, saying which migration ran', () => {
    expect(v1.migrations).toEqual([`1→2: ${MIGRATIONS[1].name}`]);
    expect(v1.warnings).toEqual([]);
    const v2 = load('annotations-v2.json').doc;
    expect(v1.doc).toEqual({
      ...withoutFormat2(v2),
      caseRecord: {
        ...v2.caseRecord,
        injectates: [],
        contrastPatterns: ['epidural', 'perineural'],
        notes: 'Right L5-S1 TFESI, 22G spinal needle, 1 mL Omnipaque 240. Live fluoroscopy, no DSA.',
      },
    });
  });

  it('saves as format 2', () => {
    const saved = JSON.parse(serializeDocument(v1.doc, { appVersion: '0.2.0' })) as { version: number; calibration: null; leadTips: [] };
    expect(saved).toMatchObject({ version: 2, calibration: null, vascularFlags: [], leadTips: [] });
  });
});

describe('annotations-v0.json (pre-release: 0-based frames, "needle", "name", "case")', () => {
  it('migrates to the same document as the v1 fixture, saying which migrations ran', () => {
    const v0 = load('annotations-v0.json');
    expect(v0.migrations).toEqual([`0→1: ${MIGRATIONS[0].name}`, `1→2: ${MIGRATIONS[1].name}`]);
    expect(v0.warnings).toEqual([]);
    expect(v0.doc).toEqual(load('annotations-v1.json').doc);
  });

  it('reports where it came from', () => {
    const result = parseDocument(fixture('annotations-v0.json'));
    expect(result.ok && result.file).toEqual({
      createdBy: 'FluoroLens 0.0.3',
      savedAt: '2026-10-02T09:15:31.000Z',
      version: 0,
      migrations: [`0→1: ${MIGRATIONS[0].name}`, `1→2: ${MIGRATIONS[1].name}`],
    });
  });
});

describe('migrations', () => {
  it('form one unbroken chain ending at the current version', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.to).toBe(m.from + 1);
      if (i > 0) expect(m.from).toBe(MIGRATIONS[i - 1].to);
    });
    expect(MIGRATIONS[0].from).toBe(0);
    expect(MIGRATIONS[MIGRATIONS.length - 1].to).toBe(CURRENT_VERSION);
  });
});
