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

describe('annotations-v1.json', () => {
  const { doc, warnings, migrations } = load('annotations-v1.json');

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

  it('has the filled case record', () => {
    expect(doc.caseRecord).toEqual({
      procedure: 'transforaminalEsi',
      levels: ['L5-S1'],
      side: 'right',
      approach: 'transforaminal',
      contrastPatterns: ['epidural', 'perineural'],
      contrastFirstSeenFrame: 32,
      placementConfirmedBeforeMedication: true,
      notes: 'Right L5-S1 TFESI, 22G spinal needle, 1 mL Omnipaque 240. Live fluoroscopy, no DSA.',
    });
  });

  it('interpolates between its keyframes', () => {
    expect(geometryAt(track(doc, 'contrastSpread-1'), 38)?.isKeyframe).toBe(false);
    expect(geometryAt(track(doc, 'needleTip-1'), 31)).toBeNull();
    expect(geometryAt(track(doc, 'target-1'), 48)?.source).toBe('held');
  });

  it('saves back to exactly the same text', () => {
    expect(serializeDocument(doc, { appVersion: '0.1.0', savedAt: new Date('2026-11-26T15:42:07.000Z') })).toBe(
      fixture('annotations-v1.json'),
    );
  });
});

describe('annotations-v0.json (pre-release: 0-based frames, "needle", "name", "case")', () => {
  it('migrates to the same document as the v1 fixture, saying which migration ran', () => {
    const v0 = load('annotations-v0.json');
    expect(v0.migrations).toEqual([`0→1: ${MIGRATIONS[0].name}`]);
    expect(v0.warnings).toEqual([]);
    expect(v0.doc).toEqual(load('annotations-v1.json').doc);
  });

  it('reports where it came from', () => {
    const result = parseDocument(fixture('annotations-v0.json'));
    expect(result.ok && result.file).toEqual({
      createdBy: 'FluoroLens 0.0.3',
      savedAt: '2026-10-02T09:15:31.000Z',
      version: 0,
      migrations: [`0→1: ${MIGRATIONS[0].name}`],
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
