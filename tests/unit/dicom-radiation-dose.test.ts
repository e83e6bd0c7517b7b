/**
 * Radiation Dose SRs written with dcmjs (scripts/samples/rdsr.ts), checked with DCMTK's dsrdump,
 * and re-written by DCMTK (dsr2xml → xml2dsr) so the reader also sees another writer's bytes.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rdsrDataset, writeRdsr, type RdsrInput } from '../../scripts/samples/rdsr';
import { bufferSource } from '../../src/dicom/byteSource';
import { classifyInstance } from '../../src/dicom/classify';
import { readHeader } from '../../src/dicom/header';
import { isRadiationDoseReport, readRadiationDoseReport } from '../../src/dicom/radiationDose';
import { buildDicom, imageElements } from '../support/dicom/syntheticDicom';
import { openFiles } from '../../src/io/openFiles';

const which = (tool: string): string | null => {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  return null;
};
const dsrdump = which('dsrdump');
const dsr2xml = which('dsr2xml');
const xml2dsr = which('xml2dsr');
const tmp = mkdtempSync(join(tmpdir(), 'fluorolens-rdsr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const INPUT: RdsrInput = {
  sopInstanceUID: '2.25.77.4.1',
  seriesInstanceUID: '2.25.77.4',
  studyInstanceUID: '2.25.77.1',
  implementationClassUID: '2.25.77.9',
  study: { date: '20240312', time: '101500', id: 'S1', accession: 'A1', description: 'Lumbar TFESI' },
  patient: { name: 'TEST^DOSE', id: 'P1', birthDate: '19700101', sex: 'O' },
  seriesNumber: 999,
  content: { date: '20240312', time: '104500' },
  device: {
    uid: '2.25.77.8',
    name: 'CARM1',
    manufacturer: 'Maker',
    model: 'Arc 9',
    serial: 'SN1',
    software: '3.1',
    institution: 'Spine Center',
  },
  totals: {
    dapGym2: 0.000184,
    doseRpGy: 0.0061,
    fluoroDapGym2: 0.000151,
    fluoroDoseRpGy: 0.0049,
    fluoroTimeS: 94.5,
    acquisitionDapGym2: 0.000033,
    acquisitionDoseRpGy: 0.0012,
    acquisitionTimeS: 11,
    frames: 160,
  },
  events: [
    {
      uid: '2.25.77.7.1',
      started: '20240312102000',
      type: 'stationary',
      protocol: 'Spine cine 15 fps',
      dapGym2: 0.0000125,
      doseRpGy: 0.00042,
      primaryDeg: 0,
      secondaryDeg: 8,
      kvp: 78,
      tubeCurrentMa: 12,
      pulseWidthMs: 8,
      pulses: 60,
      durationS: 4,
    },
    {
      uid: '2.25.77.7.2',
      started: '20240312102500',
      type: 'fluoroscopy',
      protocol: 'Low dose fluoroscopy',
      dapGym2: 0.00004,
      doseRpGy: 0.0011,
      primaryDeg: 25,
      secondaryDeg: -10,
      kvp: 82,
      tubeCurrentMa: 3.5,
      pulseWidthMs: 10,
      pulses: 240,
      durationS: 30,
    },
  ],
};

async function reportOf(bytes: Uint8Array, name = 'dose.dcm') {
  const header = await readHeader(bufferSource(name, bytes));
  return { header, report: readRadiationDoseReport(header) };
}

describe('reading an X-Ray Radiation Dose SR', () => {
  const bytes = writeRdsr(INPUT);

  it('is skipped for display but known as a dose report', async () => {
    const header = await readHeader(bufferSource('dose.dcm', bytes));
    expect(isRadiationDoseReport(header)).toBe(true);
    expect(classifyInstance(header)).toEqual({
      kind: 'non-image',
      reason: 'X-Ray Radiation Dose Structured Report — not an image',
      doseReport: true,
    });
  });

  it('reads the accumulated totals in Gy·cm², mGy and seconds', async () => {
    const { report } = await reportOf(bytes);
    expect(report).toMatchObject({
      fileName: 'dose.dcm',
      sopInstanceUID: '2.25.77.4.1',
      studyInstanceUID: '2.25.77.1',
      procedureReported: 'Projection X-Ray',
      problems: [],
    });
    expect(report.totals).toHaveLength(1);
    const t = report.totals[0];
    expect(t.plane).toBe('Single Plane');
    expect(t.dapTotalGyCm2).toBeCloseTo(1.84, 10);
    expect(t.airKermaTotalMgy).toBeCloseTo(6.1, 10);
    expect(t.fluoroDapTotalGyCm2).toBeCloseTo(1.51, 10);
    expect(t.fluoroAirKermaTotalMgy).toBeCloseTo(4.9, 10);
    expect(t.fluoroTimeTotalS).toBe(94.5);
    expect(t.acquisitionDapTotalGyCm2).toBeCloseTo(0.33, 10);
    expect(t.acquisitionTimeTotalS).toBe(11);
    expect(t.radiographicFramesTotal).toBe(160);
    expect(t.referencePoint).toBe('15cm from Isocenter toward Source');
  });

  it('reads every irradiation event with its technique', async () => {
    const { report } = await reportOf(bytes);
    expect(report.events).toHaveLength(2);
    const [cine, fluoro] = report.events;
    expect(cine).toMatchObject({
      irradiationEventUID: '2.25.77.7.1',
      dateTimeStarted: '20240312102000',
      eventType: 'Stationary Acquisition',
      acquisitionProtocol: 'Spine cine 15 fps',
      plane: 'Single Plane',
      kvp: 78,
      tubeCurrentMa: 12,
      pulseWidthMs: 8,
      numberOfPulses: 60,
      irradiationDurationS: 4,
      primaryAngleDeg: 0,
      secondaryAngleDeg: 8,
    });
    expect(cine.dapGyCm2).toBeCloseTo(0.125, 10);
    expect(cine.airKermaMgy).toBeCloseTo(0.42, 10);
    expect(fluoro).toMatchObject({ eventType: 'Fluoroscopy', tubeCurrentMa: 3.5, primaryAngleDeg: 25, secondaryAngleDeg: -10 });
  });

  it('names units it cannot convert and values that are not numbers, and keeps the rest', async () => {
    const dataset = rdsrDataset(INPUT);
    const content = dataset.ContentSequence as Array<Record<string, unknown>>;
    const accumulated = content.find((c) => (c.ConceptNameCodeSequence as Array<{ CodeValue: string }>)[0].CodeValue === '113702')!;
    const items = accumulated.ContentSequence as Array<Record<string, unknown>>;
    const measured = (code: string) =>
      (
        items.find((c) => (c.ConceptNameCodeSequence as Array<{ CodeValue: string }>)[0].CodeValue === code)!
          .MeasuredValueSequence as Array<Record<string, unknown>>
      )[0];
    (measured('113730').MeasurementUnitsCodeSequence as Array<Record<string, string>>)[0].CodeValue = 'furlong';
    measured('113725').NumericValue = 'lots';
    const dcmjs = createRequire(import.meta.url)('dcmjs');
    const dict = new dcmjs.data.DicomDict(
      dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
        MediaStorageSOPClassUID: dataset.SOPClassUID,
        MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
        TransferSyntaxUID: '1.2.840.10008.1.2.1',
        ImplementationClassUID: '2.25.77.9',
      }),
    );
    dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
    const { report } = await reportOf(new Uint8Array(dict.write()));
    expect(report.problems).toEqual([
      'Dose (RP) Total: "lots" is not a number',
      'Total Fluoro Time: unit "furlong" is not one this viewer converts to s',
    ]);
    expect(report.totals[0].airKermaTotalMgy).toBeUndefined();
    expect(report.totals[0].fluoroTimeTotalS).toBeUndefined();
    expect(report.totals[0].dapTotalGyCm2).toBeCloseTo(1.84, 10);
  });

  it('refuses what is not a projection X-ray dose report, saying why', async () => {
    const image = buildDicom({ elements: imageElements({ rows: 2, columns: 2 }), pixelData: { kind: 'native', bytes: new Uint8Array(4) } });
    await expect(reportOf(image, 'image.dcm')).rejects.toThrow('image.dcm: not an X-Ray Radiation Dose SR');
    const dataset = rdsrDataset(INPUT);
    dataset.ConceptNameCodeSequence = [{ CodeValue: '113811', CodingSchemeDesignator: 'DCM', CodeMeaning: 'CT Accumulated Dose Data' }];
    const dcmjs = createRequire(import.meta.url)('dcmjs');
    const dict = new dcmjs.data.DicomDict(
      dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
        MediaStorageSOPClassUID: dataset.SOPClassUID,
        MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
        TransferSyntaxUID: '1.2.840.10008.1.2.1',
        ImplementationClassUID: '2.25.77.9',
      }),
    );
    dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
    await expect(reportOf(new Uint8Array(dict.write()), 'ct.dcm')).rejects.toThrow(
      'ct.dcm: the report is "CT Accumulated Dose Data", not an X-Ray Radiation Dose Report (TID 10001)',
    );
  });
});

describe('opening a folder that holds a dose report', () => {
  it('hands the report to the dose reader instead of listing it as skipped', async () => {
    const image = buildDicom({
      elements: imageElements({ rows: 2, columns: 2, frames: 1 }),
      pixelData: { kind: 'native', bytes: new Uint8Array(4) },
    });
    const result = await openFiles([
      { source: bufferSource('IM1.dcm', image), path: 'case/IM1.dcm' },
      { source: bufferSource('dose.dcm', writeRdsr(INPUT)), path: 'case/dose.dcm' },
    ]);
    expect(result.runs).toHaveLength(1);
    expect(result.skipped).toEqual([]);
    expect(result.doseReports.map((r) => [r.fileName, r.events.length, r.totals[0].fluoroTimeTotalS])).toEqual([['dose.dcm', 2, 94.5]]);
  });
});

describe.skipIf(!dsrdump || !dsr2xml || !xml2dsr)('the same report through DCMTK', () => {
  const file = join(tmp, 'dose.dcm');
  writeFileSync(file, writeRdsr(INPUT));

  it('dsrdump reads it without a warning', () => {
    const r = spawnSync(dsrdump as string, [file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('X-Ray Radiation Dose SR Document');
  });

  it('reads the same dose from a copy DCMTK wrote', async () => {
    const xml = join(tmp, 'dose.xml');
    const copy = join(tmp, 'dcmtk-dose.dcm');
    const toXml = spawnSync(dsr2xml as string, [file, xml], { encoding: 'utf8' });
    expect(toXml.stderr).toBe('');
    const back = spawnSync(xml2dsr as string, [xml, copy], { encoding: 'utf8' });
    expect(back.stderr).toBe('');
    const original = (await reportOf(new Uint8Array(readFileSync(file)))).report;
    const rewritten = (await reportOf(new Uint8Array(readFileSync(copy)))).report;
    expect(readFileSync(copy).equals(readFileSync(file))).toBe(false);
    expect({ ...rewritten, fileName: original.fileName }).toEqual(original);
  });
});
