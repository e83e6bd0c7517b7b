/**
 * The annotation document as a DICOM SR Measurement Report (TID 1500), checked with tools nobody
 * here wrote: dicom3tools' dciodvfy must find no error in any report we write (its warnings are
 * pinned below), DCMTK's dsrdump must print it, and the report must read back into the same
 * document (geometry within 0.001 px). Then a real Orthanc stores it by STOW-RS and finds it by
 * QIDO-RS, and WADO-RS gives back a report that reads into the same document.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocument, runRefFromRunInfo, tipToTargetSeries, polygonArea, type AnnotationDocument } from '../../src/annotations/model';
import { areaMm2 } from '../../src/annotations/model/measurements';
import { CODES, ReportImportError, readMeasurementReport, readReportReferences, writeMeasurementReport } from '../../src/export/sr';
import { DicomWebClient, openRemoteSeries, retrieveInstance, searchInstances, storeInstances } from '../../src/io/dicomweb';
import type { OpenedRun } from '../../src/dicom/run';
import { corpusFile } from '../support/corpus';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';
import { SAMPLE_DIR, dicomFilesUnder, openLocalRuns, richDocument } from './srSupport';

// Real Orthanc and external tools: allow for a loaded 2-core machine (the suite runs files in parallel).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

// The corpus is required: corpusFile throws, naming the folder, when the file is missing.
const XA_CINE = corpusFile('xa_siemens_96f_jpeg-baseline_ecg-curve.dcm');

const tmp = mkdtempSync(join(tmpdir(), 'fluorolens-sr-'));
const WHEN = new Date(2024, 2, 12, 10, 30, 0);
/**
 * dciodvfy's warnings on our reports, all understood: our private coding scheme is not one it
 * knows; Study ID is empty (RunInfo does not carry it); a Patient's Name copied from an image that
 * uses the retired PN form (the corpus XA cine's "Rubo DEMO") is copied as it is.
 */
const KNOWN_WARNINGS = [
  /^Warning - Unrecognized defined term <99FLUOROLENS> for value 1 of attribute <Coding Scheme Designator>$/,
  /^Warning - Missing attribute or value that would be needed to build DICOMDIR - Study ID$/,
  /^Warning - Value dubious for this VR - \(0x0010,0x0010\) PN Patient's Name {2}PN \[1\] = <[^>]*> - Retired Person Name form$/,
];
const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

let runs: OpenedRun[];
beforeAll(async () => {
  runs = await openLocalRuns([...dicomFilesUnder(SAMPLE_DIR), XA_CINE]);
  mkdirSync('test-results', { recursive: true });
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const runNamed = (name: string) => runs.find((r) => r.fileNames.some((f) => f.includes(name)))!;
const RUN_NAMES = ['l3-mbb-ftv', 'l4-tfesi-ap-512', 'l5-tfesi-1024-rle', 's1-caudal-series', 'xa_siemens_96f'];

function run(tool: string, args: string[]) {
  return spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
}

function saved(name: string, bytes: Uint8Array): string {
  const path = join(tmp, `${name}.sr.dcm`);
  writeFileSync(path, bytes);
  return path;
}

/** Equal, except numbers may differ by `tolerance` (DICOM keeps coordinates as 32-bit floats). */
function expectClose(actual: unknown, expected: unknown, path = 'document', tolerance = 0.001): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(actual !== null && typeof actual === 'object', path).toBe(true);
  expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected))
    expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`, tolerance);
}

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : value ? [value as Node] : []);
function parsed(bytes: Uint8Array): Node {
  return DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.slice().buffer).dict) as Node;
}
function descendants(node: Node): Node[] {
  return list(node.ContentSequence).flatMap((child) => [child, ...descendants(child)]);
}
const conceptValue = (node: Node) => String(list(node.ConceptNameCodeSequence)[0]?.CodeValue ?? '');

describe.each(RUN_NAMES)('measurement report of %s', (name) => {
  let doc: AnnotationDocument;
  let bytes: Uint8Array;
  let path: string;
  beforeAll(async () => {
    const r = runNamed(name);
    doc = richDocument(r.info);
    bytes = (await writeMeasurementReport({ document: doc, run: r.info, appVersion: '0.1.0', contentDateTime: WHEN })).bytes;
    path = saved(name, bytes);
  });

  it('dciodvfy finds no error (and only the known warnings)', () => {
    const result = run('dciodvfy', [path]);
    expect(result.error, 'dciodvfy (Debian package dicom3tools) must be installed').toBeUndefined();
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter(Boolean);
    expect(lines).toContain('ComprehensiveSR'); // the IOD it checked against
    expect(lines.filter((l) => /^Error/.test(l))).toEqual([]);
    expect([...new Set(lines.filter((l) => /^Warning/.test(l)))].filter((w) => !KNOWN_WARNINGS.some((known) => known.test(w)))).toEqual([]);
  });

  it('dsrdump prints it', () => {
    const result = run('dsrdump', [path]);
    expect(result.error, 'dsrdump (Debian package dcmtk) must be installed').toBeUndefined();
    expect(result.status).toBe(0);
    // DCMTK's VR checker does not cover UTF-8; that is its only remark.
    expect(result.stderr.split('\n').filter((l) => l && !/does not support this Specific Character Set: ISO_IR 192/.test(l))).toEqual([]);
    expect(result.stdout).toContain('<CONTAINER:(,,"Imaging Measurement Report")=SEPARATE>');
    expect(result.stdout).toContain('<has obs context TEXT:(,,"Tracking Identifier")="Needle, right L4">');
    if (name === 'l4-tfesi-ap-512') writeFileSync('test-results/sr-dsrdump-l4-tfesi-ap-512.txt', result.stdout);
  });

  it('reads back into the same document', () => {
    const r = runNamed(name);
    const imported = readMeasurementReport(bytes, runRefFromRunInfo(r.info));
    expect(imported.problems).toEqual([]);
    expectClose(imported.document, doc);
  });

  it('one measurement group per track, with one Tracking UID that stays the same across saves', async () => {
    const r = runNamed(name);
    const again = await writeMeasurementReport({ document: doc, run: r.info, appVersion: '0.1.0' });
    const first = readMeasurementReport(bytes, runRefFromRunInfo(r.info)).trackingUids;
    expect(readMeasurementReport(again.bytes, runRefFromRunInfo(r.info)).trackingUids).toEqual(first);
    expect(Object.keys(first)).toEqual(doc.tracks.map((t) => t.id));
    expect(new Set(Object.values(first)).size).toBe(doc.tracks.length);
    const groups = descendants(parsed(bytes)).filter((n) => conceptValue(n) === CODES.measurementGroup.value);
    expect(groups).toHaveLength(doc.tracks.length);
    for (const group of groups)
      expect(list(group.ContentSequence).filter((n) => conceptValue(n) === CODES.trackingUid.value)).toHaveLength(1);
  });

  it('every spatial coordinate is selected from its image, with the Referenced Frame Number of a multi-frame run', () => {
    const r = runNamed(name);
    const scoords = descendants(parsed(bytes)).filter((n) => n.ValueType === 'SCOORD');
    expect(scoords.length).toBeGreaterThan(0);
    for (const scoord of scoords) {
      const [image] = list(scoord.ContentSequence);
      expect(image.ValueType).toBe('IMAGE');
      expect(image.RelationshipType).toBe('SELECTED FROM');
      const ref = list(image.ReferencedSOPSequence)[0];
      expect(r.info.sopInstanceUIDs).toContain(ref.ReferencedSOPInstanceUID);
      if (r.info.sopInstanceUIDs.length === 1) expect(Number(ref.ReferencedFrameNumber)).toBeGreaterThanOrEqual(1);
      else expect(ref.ReferencedFrameNumber).toBeUndefined();
    }
  });

  it('tip-to-target distance and contrast area in mm/mm² when calibrated (method stated), else in pixels', () => {
    const r = runNamed(name);
    const spacing = r.info.spacing.preferred;
    const nodes = descendants(parsed(bytes));
    const numbers = (code: string) =>
      nodes.filter((n) => n.ValueType === 'NUM' && conceptValue(n) === code).map((n) => list(n.MeasuredValueSequence)[0]);
    const distances = numbers(CODES.distance.value);
    const series = tipToTargetSeries(doc, r.info.spacing);
    const needle = doc.tracks[0];
    expect(distances.map((m) => Number(m.NumericValue))).toEqual(
      needle.keyframes.map((k) => Number(series.values[k.frame - 1]!.toFixed(4))),
    );
    const contrast = doc.tracks.find((t) => t.kind === 'contrastSpread')!;
    const areas = numbers(CODES.area.value);
    expect(areas.map((m) => Number(m.NumericValue))).toEqual(
      contrast.keyframes.map((k) => {
        const px = polygonArea((k.geometry as { contour: { x: number; y: number }[] }).contour);
        return Number((spacing ? areaMm2(px, spacing) : px).toFixed(4));
      }),
    );
    const unitOf = (m: Node) => list(m.MeasurementUnitsCodeSequence)[0].CodeValue;
    expect(distances.map(unitOf)).toEqual(distances.map(() => (spacing ? 'mm' : '{pixel}')));
    expect(areas.map(unitOf)).toEqual(areas.map(() => (spacing ? 'mm2' : '{pixel^2}')));
    const methods = nodes
      .filter((n) => conceptValue(n) === CODES.measurementMethod.value)
      .map((n) => list(n.ConceptCodeSequence)[0].CodeMeaning);
    expect(new Set(methods)).toEqual(
      new Set([spacing ? expect.stringContaining(spacing.source.split(' ')[0]) : 'Measured in image pixels, not calibrated']),
    );
  });
});

describe('measurement report edge cases', () => {
  it('an empty document writes a valid report and reads back empty', async () => {
    const r = runNamed('l3-mbb-ftv');
    const empty = createDocument(runRefFromRunInfo(r.info));
    const { bytes } = await writeMeasurementReport({ document: empty, run: r.info, appVersion: '0.1.0', contentDateTime: WHEN });
    const result = run('dciodvfy', [saved('empty', bytes)]);
    expect(`${result.stdout}\n${result.stderr}`).toContain('ComprehensiveSR');
    const errors = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /^Error/.test(l));
    expect(errors).toEqual([]);
    expectClose(readMeasurementReport(bytes, runRefFromRunInfo(r.info)).document, empty);
  });

  it('refuses to write a document onto another run, and to read a report onto another run', async () => {
    const l3 = runNamed('l3-mbb-ftv');
    const l4 = runNamed('l4-tfesi-ap-512');
    await expect(writeMeasurementReport({ document: richDocument(l3.info), run: l4.info, appVersion: '0.1.0' })).rejects.toThrow(
      /another run/,
    );
    const { bytes } = await writeMeasurementReport({ document: richDocument(l4.info), run: l4.info, appVersion: '0.1.0' });
    const l5 = runNamed('l5-tfesi-1024-rle'); // same study, other images
    expect(() => readMeasurementReport(bytes, runRefFromRunInfo(l5.info))).toThrow(ReportImportError);
    expect(() => readMeasurementReport(bytes, runRefFromRunInfo(l5.info))).toThrow(/images that are not part of this run/);
    expect(() => readMeasurementReport(bytes, runRefFromRunInfo(l3.info))).toThrow(/another study/);
    expect(() => readMeasurementReport(new Uint8Array([1, 2, 3]), runRefFromRunInfo(l4.info))).toThrow(/not a readable DICOM file/);
  });
});

describe('Save to PACS: STOW-RS to a real Orthanc, found again by QIDO-RS', () => {
  let pacs: TestOrthanc;
  beforeAll(async () => {
    pacs = await startTestOrthanc({ files: dicomFilesUnder(SAMPLE_DIR) });
  }, 60_000);
  afterAll(() => pacs?.stop());

  it('stores the report, finds it by QIDO, and WADO-RS gives back the same document', async () => {
    const client = new DicomWebClient({ baseUrl: pacs.dicomWebUrl });
    const r = runNamed('s1-caudal-series');
    const doc = richDocument(r.info);
    const written = await writeMeasurementReport({ document: doc, run: r.info, appVersion: '0.1.0' });
    const result = await storeInstances(client, [written.bytes], { studyInstanceUID: written.studyInstanceUID, operation: 'Save to PACS' });
    expect(result.stored.map((s) => s.sopInstanceUID)).toEqual([written.sopInstanceUID]);

    const found = await searchInstances(client, { studyInstanceUID: written.studyInstanceUID, modality: 'SR' });
    const ours = found.filter((i) => i.sopInstanceUID === written.sopInstanceUID);
    expect(ours.map((i) => [i.sopInstanceUID, i.seriesInstanceUID, i.sopClassUID])).toEqual([
      [written.sopInstanceUID, written.seriesInstanceUID, '1.2.840.10008.5.1.4.1.1.88.33'],
    ]);
    // The only other SR in the study is the one the samples brought: its X-Ray Radiation Dose SR.
    expect(found.filter((i) => i !== ours[0]).map((i) => i.sopClassUID)).toEqual(['1.2.840.10008.5.1.4.1.1.88.67']);
    const fetched = await retrieveInstance(client, {
      studyInstanceUID: written.studyInstanceUID,
      seriesInstanceUID: written.seriesInstanceUID,
      sopInstanceUID: written.sopInstanceUID,
    });
    expect(readReportReferences(fetched)).toMatchObject({ isMeasurementReport: true, seriesInstanceUIDs: [r.info.series.instanceUID] });
    expectClose(readMeasurementReport(fetched, runRefFromRunInfo(r.info)).document, doc);

    // The report's own series holds no image: opening it says so.
    const error = await openRemoteSeries(client, {
      studyInstanceUID: written.studyInstanceUID,
      seriesInstanceUID: written.seriesInstanceUID,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'no-images',
      message: expect.stringMatching(/^Opening the series: the series holds no image \(Comprehensive Structured Report — not an image\)$/),
    });
  });
});
