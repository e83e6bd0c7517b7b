import { describe, expect, it } from 'vitest';
import type { IrradiationEvent, RadiationDoseReport } from '../../src/dicom/radiationDose';
import { caseDose, eventsForRun, formatDuration, runDose } from '../../src/imaging/dose';
import { runInfoWith } from './runInfoFixture';

const STUDY = '2.25.77.1';
const event = (fields: Partial<IrradiationEvent>): IrradiationEvent => ({
  irradiationEventUID: '',
  dateTimeStarted: '',
  eventType: 'Stationary Acquisition',
  acquisitionProtocol: '',
  plane: 'Single Plane',
  ...fields,
});
const report = (events: IrradiationEvent[], totals: RadiationDoseReport['totals'] = [], study = STUDY): RadiationDoseReport => ({
  fileName: 'dose.dcm',
  sopInstanceUID: '2.25.77.4.1',
  studyInstanceUID: study,
  procedureReported: 'Projection X-Ray',
  totals,
  events,
  problems: [],
});

describe('dose of one run', () => {
  it('from the image header alone: DAP in Gy·cm², entrance dose, technique, frames', () => {
    const info = runInfoWith({
      frameCount: 60,
      dose: { fluoroscopyTimeS: 42, areaDoseProduct: 12.5, entranceDoseMgy: 3.4 },
      exposure: { kvp: 78, tubeCurrentMa: 12 },
    });
    expect(runDose(info)).toEqual({
      frames: 60,
      fluoroscopyTimeS: { value: 42, source: 'image header' },
      dapGyCm2: { value: 1.25, source: 'image header' },
      airKermaMgy: { value: 3.4, source: 'image header' },
      kvp: { value: 78, source: 'image header' },
      tubeCurrentMa: { value: 12, source: 'image header' },
      events: [],
      notes: ['fluoroscopy time from the image header counts up through the study on most systems'],
    });
  });

  it('prefers the dose report event linked by Irradiation Event UID', () => {
    const info = runInfoWith({ dose: { areaDoseProduct: 12.5, irradiationEventUIDs: ['2.25.9.1'] }, exposure: { kvp: 78 } });
    const linked = event({
      irradiationEventUID: '2.25.9.1',
      dapGyCm2: 0.13,
      airKermaMgy: 0.42,
      irradiationDurationS: 4,
      kvp: 77,
      tubeCurrentMa: 11,
    });
    const other = event({ irradiationEventUID: '2.25.9.2', dapGyCm2: 9 });
    const dose = runDose(info, [report([linked, other])]);
    expect(dose.events).toEqual([linked]);
    expect(dose.dapGyCm2).toEqual({ value: 0.13, source: 'Radiation Dose SR' });
    expect(dose.airKermaMgy).toEqual({ value: 0.42, source: 'Radiation Dose SR' });
    expect(dose.fluoroscopyTimeS).toEqual({ value: 4, source: 'Radiation Dose SR' });
    expect(dose.kvp).toEqual({ value: 78, source: 'image header' });
    expect(dose.tubeCurrentMa).toEqual({ value: 11, source: 'Radiation Dose SR' });
    expect(dose.notes).toEqual([
      "the image header's DAP (1.25 Gy·cm²) differs from the dose report's (0.13 Gy·cm²); the report's is shown",
    ]);
  });

  it('matches events by start time (±2 s) when the images carry no event UID, and only in the same study', () => {
    const info = runInfoWith({ acquisitionDateTime: '20240312102001' });
    const near = event({ dateTimeStarted: '20240312102000', dapGyCm2: 0.1 });
    const far = event({ dateTimeStarted: '20240312102010', dapGyCm2: 0.2 });
    expect(eventsForRun(info, [report([near, far])])).toEqual([near]);
    expect(eventsForRun(info, [report([near], [], '2.25.99')])).toEqual([]);
    expect(eventsForRun(runInfoWith(), [report([near])])).toEqual([]);
  });
});

describe('dose of the case', () => {
  const runs = [
    runInfoWith({ frameCount: 60, dose: { fluoroscopyTimeS: 30, areaDoseProduct: 10 }, exposure: { kvp: 75, tubeCurrentMa: 10 } }),
    runInfoWith({ frameCount: 90, dose: { fluoroscopyTimeS: 55, areaDoseProduct: 6 }, exposure: { kvp: 82, tubeCurrentMa: 15 } }),
    runInfoWith({ frameCount: 10, exposure: { kvp: 85 } }),
  ];

  it('from the headers: DAP added, fluoroscopy time the largest, technique ranges', () => {
    expect(caseDose(runs)).toEqual({
      runs: 3,
      frames: 160,
      fluoroscopyTimeS: { value: 55, source: 'image header' },
      dapGyCm2: { value: 1.6, source: 'image header' },
      airKermaMgy: null,
      acquiredFramesTotal: null,
      kvpRange: [75, 85],
      tubeCurrentMaRange: [10, 15],
      notes: [
        'DAP added over the 2 runs whose headers give one',
        'fluoroscopy time is the largest any run reports (the attribute counts up through the study)',
      ],
    });
  });

  it('from the dose report: the whole procedure, planes added', () => {
    const totals = [
      { plane: 'Plane A', dapTotalGyCm2: 1.5, airKermaTotalMgy: 5, fluoroTimeTotalS: 80, radiographicFramesTotal: 120 },
      { plane: 'Plane B', dapTotalGyCm2: 0.5, airKermaTotalMgy: 2, fluoroTimeTotalS: 20, radiographicFramesTotal: 40 },
    ];
    const dose = caseDose(runs, [report([], totals), report([], [{ plane: 'Single Plane', dapTotalGyCm2: 99 }], '2.25.other')]);
    expect(dose).toMatchObject({
      fluoroscopyTimeS: { value: 100, source: 'Radiation Dose SR' },
      dapGyCm2: { value: 2, source: 'Radiation Dose SR' },
      airKermaMgy: { value: 7, source: 'Radiation Dose SR' },
      acquiredFramesTotal: 160,
    });
    expect(dose.notes).toEqual(['whole procedure from the Radiation Dose SR (2 planes added), including fluoroscopy that was not saved']);
  });

  it('writes durations for people', () => {
    expect([formatDuration(0.42), formatDuration(42), formatDuration(95)]).toEqual(['0.4 s', '42 s', '1 min 35 s']);
  });
});
