/**
 * The TFESI case's X-Ray Radiation Dose SR: one irradiation event per saved run of the study,
 * two fluoroscopy events nobody saved, and the accumulated totals, which are their sums. The
 * runs written with an Irradiation Event UID are named by it; the others only by their start
 * time (Acquisition Time), as on systems that do not link images and events. The expected
 * values are written beside it as <name>.dose.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UID_ROOT, uids } from './dicom';
import { writeRdsr, type RdsrEvent } from './rdsr';
import type { RunSpec } from './runs';

export const DOSE_REPORT_NAME = 'tfesi-dose-report';

const STUDY = {
  date: '20240312',
  time: '101500',
  id: 'FLS1',
  accession: 'FLSYN0001',
  description: 'Lumbar transforaminal ESI (synthetic)',
};

/** HHMMSS + seconds. */
function at(seconds: number): string {
  const total = 10 * 3600 + 15 * 60 + seconds;
  const pad = (v: number): string => String(v).padStart(2, '0');
  return `${STUDY.date}${pad(Math.floor(total / 3600))}${pad(Math.floor(total / 60) % 60)}${pad(total % 60)}`;
}

export interface DoseReportTruth {
  file: string;
  description: string;
  sopInstanceUID: string;
  studyInstanceUID: string;
  /** As the report writes them: Gy·m², Gy, s. */
  totals: { dapGym2: number; doseRpGy: number; fluoroTimeS: number; acquisitionTimeS: number; frames: number };
  /** Per event: the run it belongs to (null: fluoroscopy not saved) and how a reader can tell. */
  events: Array<{
    uid: string;
    started: string;
    run: string | null;
    linkedBy: 'Irradiation Event UID' | 'start time' | null;
    dapGym2: number;
    doseRpGy: number;
  }>;
}

export function writeDoseReport(outDir: string, runs: readonly RunSpec[]): { name: string; outputs: string[]; bytes: number; ms: number } {
  const t0 = performance.now();
  const studyRuns = runs.filter((r) => r.study === 'tfesi');
  const events: Array<RdsrEvent & { run: string | null; linkedBy: DoseReportTruth['events'][number]['linkedBy'] }> = [];
  const fluoro = (k: number, seconds: number, durationS: number, primaryDeg: number, secondaryDeg: number): void => {
    const pulses = Math.round(durationS * 7.5);
    events.push({
      uid: `${UID_ROOT}.5.${100 + k}`,
      started: at(seconds),
      type: 'fluoroscopy',
      protocol: 'Low dose fluoroscopy 7.5 pps',
      dapGym2: round(0.0000012 * pulses),
      doseRpGy: round(0.000034 * pulses),
      primaryDeg,
      secondaryDeg,
      kvp: 74,
      tubeCurrentMa: 3.2,
      pulseWidthMs: 8,
      pulses,
      durationS,
      run: null,
      linkedBy: null,
    });
  };
  fluoro(1, 180, 35, 0, 8);
  fluoro(2, 480, 25, 25, -10);
  for (const spec of studyRuns) {
    // Acquisition Time in dicom.ts: study time + 300 s per series number.
    const seconds = 300 * spec.series.number;
    const durationS = spec.timing.kind === 'frameTime' ? (spec.frames * Number(spec.timing.frameTimeMs)) / 1000 : spec.frames * 1;
    const weight = spec.frames * (spec.tubeCurrentMa / 10) * (spec.exposureTimeMs / 10) * (spec.kvp / 80) ** 2;
    events.push({
      uid: spec.irradiationEvent === undefined ? `${UID_ROOT}.5.${200 + spec.series.number}` : uids.irradiationEvent(spec.irradiationEvent),
      started: at(seconds),
      type: 'stationary',
      protocol: spec.dsa
        ? 'Spine DSA 4 fps'
        : spec.layout === 'series'
          ? 'Spot images'
          : `Spine cine ${spec.timing.kind === 'frameTime' ? spec.timing.fps : ''} fps`.replace('  ', ' '),
      dapGym2: round(0.0000006 * weight),
      doseRpGy: round(0.000018 * weight),
      primaryDeg: spec.primaryDeg,
      secondaryDeg: spec.secondaryDeg,
      kvp: spec.kvp,
      tubeCurrentMa: spec.tubeCurrentMa,
      pulseWidthMs: spec.exposureTimeMs,
      pulses: spec.frames,
      durationS: Number(durationS.toFixed(3)),
      run: spec.name,
      linkedBy: spec.irradiationEvent === undefined ? 'start time' : 'Irradiation Event UID',
    });
  }
  events.sort((a, b) => a.started.localeCompare(b.started));
  const sum = (pick: (e: RdsrEvent) => number, which: (e: RdsrEvent) => boolean = () => true): number =>
    round(events.filter(which).reduce((s, e) => s + pick(e), 0));
  const isFluoro = (e: RdsrEvent): boolean => e.type === 'fluoroscopy';
  const isAcquisition = (e: RdsrEvent): boolean => e.type !== 'fluoroscopy';
  const totals = {
    dapGym2: sum((e) => e.dapGym2),
    doseRpGy: sum((e) => e.doseRpGy),
    fluoroDapGym2: sum((e) => e.dapGym2, isFluoro),
    fluoroDoseRpGy: sum((e) => e.doseRpGy, isFluoro),
    fluoroTimeS: sum((e) => e.durationS, isFluoro),
    acquisitionDapGym2: sum((e) => e.dapGym2, isAcquisition),
    acquisitionDoseRpGy: sum((e) => e.doseRpGy, isAcquisition),
    acquisitionTimeS: sum((e) => e.durationS, isAcquisition),
    frames: studyRuns.reduce((n, r) => n + r.frames, 0),
  };
  const bytes = writeRdsr({
    sopInstanceUID: uids.doseReport.sop,
    seriesInstanceUID: uids.doseReport.series,
    studyInstanceUID: uids.study('tfesi'),
    implementationClassUID: uids.implementationClass,
    study: STUDY,
    patient: { name: 'FLUOROLENS^SYNTHETIC', id: 'FL-SAMPLE-001', birthDate: '19700101', sex: 'O' },
    seriesNumber: 999,
    content: { date: STUDY.date, time: '110000' },
    device: {
      uid: uids.doseReport.device,
      name: 'SYNTH-CARM',
      manufacturer: 'FluoroLens synthetic',
      model: 'Synthetic C-arm',
      serial: 'SYNTH-0001',
      software: 'make-samples 1',
      institution: 'FluoroLens test data',
    },
    totals,
    events,
  });
  const file = `${DOSE_REPORT_NAME}.dcm`;
  const truth: DoseReportTruth = {
    file,
    description:
      'X-Ray Radiation Dose SR (TID 10001) for the TFESI study: one event per saved run, two fluoroscopy events not saved, totals their sums. Synthetic.',
    sopInstanceUID: uids.doseReport.sop,
    studyInstanceUID: uids.study('tfesi'),
    totals: {
      dapGym2: totals.dapGym2,
      doseRpGy: totals.doseRpGy,
      fluoroTimeS: totals.fluoroTimeS,
      acquisitionTimeS: totals.acquisitionTimeS,
      frames: totals.frames,
    },
    events: events.map((e) => ({
      uid: e.uid,
      started: e.started,
      run: e.run,
      linkedBy: e.linkedBy,
      dapGym2: e.dapGym2,
      doseRpGy: e.doseRpGy,
    })),
  };
  const truthText = `${JSON.stringify(truth, null, 2)}\n`;
  writeFileSync(join(outDir, file), bytes);
  writeFileSync(join(outDir, `${DOSE_REPORT_NAME}.dose.json`), truthText);
  return {
    name: DOSE_REPORT_NAME,
    outputs: [file, `${DOSE_REPORT_NAME}.dose.json`],
    bytes: bytes.length + Buffer.byteLength(truthText),
    ms: performance.now() - t0,
  };
}

/** Six significant digits, as the report writes them. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
