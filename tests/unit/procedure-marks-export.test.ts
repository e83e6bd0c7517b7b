/**
 * Issue 11's marks on the way out: the spacing every mm rests on (a user calibration, Pixel
 * Spacing with its Calibration Type), and vascular uptake flags, lead tips, the injectate log and
 * the user calibration in the DICOM SR (checked by dciodvfy and dsrdump, read back) and in the
 * teaching package's case.html and identity check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { calibratedSpacing, runRefFromRunInfo, tipToTargetSeries, type AnnotationDocument } from '../../src/annotations/model';
import type { SpacingInfo } from '../../src/dicom/types';
import type { OpenedRun } from '../../src/dicom/run';
import { readMeasurementReport, writeMeasurementReport } from '../../src/export/sr';
import { caseHtmlParts } from '../../src/export/package';
import { documentTexts } from '../../src/export/package/documents';
import { SAMPLE_DIR, openLocalRuns, richDocument } from './srSupport';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const ERMF_SPACING: SpacingInfo = {
  preferred: { rowMm: 0.3696, columnMm: 0.3696, source: 'Imager Pixel Spacing corrected by ERMF' },
  candidates: [
    { rowMm: 0.462, columnMm: 0.462, source: 'Imager Pixel Spacing' },
    { rowMm: 0.3696, columnMm: 0.3696, source: 'Imager Pixel Spacing corrected by ERMF' },
  ],
  estimatedRadiographicMagnificationFactor: 1.25,
};
const USER = { objectName: ' marker ball ', lengthMm: 25, frame: 3, line: { from: { x: 10, y: 10 }, to: { x: 110, y: 10 } } };

describe('calibratedSpacing', () => {
  it('puts the user calibration first, named "by user (object)", keeping the header aspect', () => {
    const spacing = calibratedSpacing(ERMF_SPACING, USER);
    expect(spacing.preferred).toEqual({ rowMm: 0.25, columnMm: 0.25, source: 'User calibration', name: 'by user (marker ball)' });
    expect(spacing.candidates).toBe(ERMF_SPACING.candidates);
  });

  it('leaves the header spacing as it is without a user calibration, and names Pixel Spacing’s Calibration Type', () => {
    expect(calibratedSpacing(ERMF_SPACING, null)).toBe(ERMF_SPACING);
    const geometry: SpacingInfo = {
      preferred: { rowMm: 0.2, columnMm: 0.2, source: 'Pixel Spacing' },
      candidates: [{ rowMm: 0.2, columnMm: 0.2, source: 'Pixel Spacing' }],
      pixelSpacingCalibration: { type: 'GEOMETRY' },
    };
    expect(calibratedSpacing(geometry, null).preferred?.name).toBe('Pixel Spacing (calibrated by geometry)');
  });

  it('ignores a calibration that cannot be used (a line shorter than 2 px)', () => {
    const short = { ...USER, line: { from: { x: 10, y: 10 }, to: { x: 11, y: 10 } } };
    expect(calibratedSpacing(ERMF_SPACING, short)).toBe(ERMF_SPACING);
  });
});

describe('issue 11 marks in the DICOM SR', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fluorolens-marks-sr-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let run: OpenedRun;
  let doc: AnnotationDocument;
  let bytes: Uint8Array;
  let path: string;
  beforeAll(async () => {
    [run] = await openLocalRuns([join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm')]);
    const rich = richDocument(run.info);
    doc = {
      ...rich,
      calibration: { ...USER, objectName: 'marker ball' },
      vascularFlags: [
        { id: 'vascular-1', from: 7, to: 14, uptake: 'arterial', note: 'radicular artery blush' },
        { id: 'vascular-2', from: 20, to: 20, uptake: 'uncertain', note: '' },
      ],
      leadTips: [{ id: 'leadTip-1', label: 'Lead 1 (left)', frame: 5, level: 'T8', position: null }],
      caseRecord: {
        ...rich.caseRecord,
        injectates: [
          { agent: 'Iohexol 240 mgI/mL', volumeMl: 1.5, frame: 5, time: null, note: '' },
          { agent: 'Dexamethasone 10 mg', volumeMl: null, frame: null, time: '10:42', note: 'after negative aspiration' },
        ],
      },
    };
    bytes = (await writeMeasurementReport({ document: doc, run: run.info, appVersion: '0.1.0', contentDateTime: new Date(2024, 2, 12) }))
      .bytes;
    path = join(tmp, 'marks.sr.dcm');
    writeFileSync(path, bytes);
  });

  it('dciodvfy finds no error', () => {
    const result = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
    expect(result.error, 'dciodvfy (Debian package dicom3tools) must be installed').toBeUndefined();
    const lines = `${result.stdout}\n${result.stderr}`.split('\n');
    expect(lines.filter((l) => /^Error/.test(l))).toEqual([]);
  });

  it('dsrdump shows the flags, lead tip, injectates and the calibration object', () => {
    const result = spawnSync('dsrdump', [path], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain('<contains CODE:(,,"Vascular uptake")=(vascArterial,99FLUOROLENS,"Arterial")>');
    expect(out).toContain('<has properties TEXT:(,,"Flagged frames")="7-14">');
    expect(out).toContain('<has properties TEXT:(,,"Comment")="radicular artery blush">');
    expect(out).toContain('<contains TEXT:(,,"Stimulator lead tip at vertebral level")="T8">');
    expect(out).toContain('<contains TEXT:(,,"Injectate")="Iohexol 240 mgI/mL">');
    expect(out).toMatch(/<has properties NUM:\(,,"Injectate volume"\)="1.5" \(mL,UCUM,"milliliter"\)>/);
    expect(out).toContain('<contains TEXT:(,,"Calibration object")="marker ball: 25 mm on frame 3">');
    // Distances rest on the user's calibration, and the method says so.
    expect(out).toContain('(userCalibration,99FLUOROLENS,"Calibrated by the user on an object of known length")');
    writeFileSync(join('test-results', 'sr-dsrdump-issue11-marks.txt'), out);
  });

  it('reads back the flags, lead tips and injectates', () => {
    const imported = readMeasurementReport(bytes, runRefFromRunInfo(run.info));
    expect(imported.problems).toEqual([]);
    expect(imported.document.vascularFlags).toEqual(doc.vascularFlags);
    expect(imported.document.leadTips).toEqual(doc.leadTips);
    expect(imported.document.caseRecord.injectates).toEqual(doc.caseRecord.injectates);
  });

  it('writes the tip-to-target distance in mm of the user calibration', () => {
    const expected = tipToTargetSeries(doc, calibratedSpacing(run.info.spacing, doc.calibration));
    expect(expected.spacingName).toBe('by user (marker ball)');
    const out = spawnSync('dsrdump', [path], { encoding: 'utf8' }).stdout;
    const first = expected.mm!.find((v) => v !== null)!;
    expect(out).toContain(`="${Number(first.toFixed(4))}" (mm,UCUM,"millimeter")`);
  });
});

describe('issue 11 marks in the teaching package', () => {
  it('case.html lists the vascular flags, lead tips and injectates', () => {
    const html = caseHtmlParts({
      title: 'Case',
      learningPoints: [],
      appVersion: '0.1.0',
      hasQuiz: false,
      runs: [
        {
          label: 'AP',
          frameCount: 20,
          caseRecord: {
            procedure: null,
            levels: [],
            side: null,
            approach: null,
            contrastPatterns: [],
            contrastFirstSeenFrame: null,
            placementConfirmedBeforeMedication: null,
            notes: '',
            injectates: [{ agent: 'Iohexol', volumeMl: 1, frame: 4, time: null, note: '' }],
          },
          vascularFlags: [{ id: 'vascular-1', from: 7, to: 14, uptake: 'venous', note: 'epidural vein' }],
          leadTips: [{ id: 'leadTip-1', label: 'Lead 1', frame: 5, level: 'T8', position: null }],
          video: null,
          keyFrames: [],
        },
      ],
    }).join('');
    expect(html).toContain('<dt>Vascular uptake flag</dt><dd>Vascular uptake: venous, frames 7–14 (epidural vein)</dd>');
    expect(html).toContain('<dt>Lead tip</dt><dd>Lead 1: T8, frame 5</dd>');
    expect(html).toContain('<dt>Injectate</dt><dd>Iohexol · 1 mL · frame 4</dd>');
  });

  it('the identity check reads the flag notes, lead labels, injectate texts and calibration object', () => {
    const doc = {
      runRef: { studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUIDs: ['3'], frameCount: 20 },
      tracks: [],
      caseRecord: {
        procedure: null,
        levels: [],
        side: null,
        approach: null,
        contrastPatterns: [],
        contrastFirstSeenFrame: null,
        placementConfirmedBeforeMedication: null,
        notes: '',
        injectates: [{ agent: 'Iohexol', volumeMl: 1, frame: 4, time: null, note: 'given by Dr Smith' }],
      },
      calibration: { ...USER, objectName: 'ruler of Mr Jones' },
      vascularFlags: [{ id: 'vascular-1', from: 7, to: 14, uptake: 'venous' as const, note: 'seen by Dr Smith' }],
      leadTips: [{ id: 'leadTip-1', label: 'Lead of J. Doe', frame: 5, level: 'T8', position: null }],
    } satisfies AnnotationDocument;
    const texts = documentTexts(doc, 'run 1').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['seen by Dr Smith', 'Lead of J. Doe', 'given by Dr Smith', 'ruler of Mr Jones']));
  });
});
