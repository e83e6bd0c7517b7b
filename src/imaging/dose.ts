/**
 * Dose and time, per run and per case, from the image headers and from X-Ray Radiation Dose SRs
 * in the same study. The SR is the authority where it covers a run (its irradiation events are
 * measured per event); image headers fill in where it does not. Every value says where it came
 * from, because the two are not the same thing:
 * - Image and Fluoroscopy Area Dose Product (0018,115E) covers the run plus the fluoroscopy
 *   that prepared it, so per-run DAPs sum to roughly the case's.
 * - Total Time of Fluoroscopy (0040,0300) counts up through the study on most systems, so the
 *   case's time is the largest any run reports, not their sum.
 * - An SR's accumulated totals cover the whole procedure, including fluoroscopy nobody saved.
 *
 * Units: dose–area product in Gy·cm², air kerma (at the reference point) and entrance dose in
 * mGy, times in seconds.
 */
import type { IrradiationEvent, RadiationDoseReport } from '../dicom/radiationDose';
import type { RunInfo } from '../dicom/types';
import { dicomDateTimeMs } from '../dicom/values';

export type DoseSource = 'Radiation Dose SR' | 'image header';

export interface Sourced {
  readonly value: number;
  readonly source: DoseSource;
}

export interface RunDose {
  readonly frames: number;
  readonly fluoroscopyTimeS: Sourced | null;
  readonly dapGyCm2: Sourced | null;
  /** Air kerma at the reference point (SR), else the header's Entrance Dose. */
  readonly airKermaMgy: Sourced | null;
  readonly kvp: Sourced | null;
  readonly tubeCurrentMa: Sourced | null;
  /** The SR events matched to this run (by Irradiation Event UID, else by start time). */
  readonly events: readonly IrradiationEvent[];
  readonly notes: readonly string[];
}

export interface CaseDose {
  readonly runs: number;
  /** Frames in the open runs. */
  readonly frames: number;
  readonly fluoroscopyTimeS: Sourced | null;
  readonly dapGyCm2: Sourced | null;
  readonly airKermaMgy: Sourced | null;
  /** Radiographic frames the SR counts for the whole procedure. */
  readonly acquiredFramesTotal: number | null;
  readonly kvpRange: readonly [number, number] | null;
  readonly tubeCurrentMaRange: readonly [number, number] | null;
  readonly notes: readonly string[];
}

/** Events are matched to a run by start time when no Irradiation Event UID links them: this close. */
export const EVENT_TIME_TOLERANCE_MS = 2000;

/** The SR events that belong to a run: same Irradiation Event UID, else same study and start time. */
export function eventsForRun(info: RunInfo, reports: readonly RadiationDoseReport[]): IrradiationEvent[] {
  const study = reports.filter((r) => r.studyInstanceUID === info.study.instanceUID);
  const uids = new Set(info.dose.irradiationEventUIDs ?? []);
  const byUid = study.flatMap((r) => r.events.filter((e) => e.irradiationEventUID !== '' && uids.has(e.irradiationEventUID)));
  if (byUid.length > 0) return byUid;
  const started = dicomDateTimeMs(info.acquisitionDateTime);
  if (started === null) return [];
  return study.flatMap((r) =>
    r.events.filter((e) => {
      const at = dicomDateTimeMs(e.dateTimeStarted);
      return at !== null && Math.abs(at - started) <= EVENT_TIME_TOLERANCE_MS;
    }),
  );
}

/** One run's dose and technique. */
export function runDose(info: RunInfo, reports: readonly RadiationDoseReport[] = []): RunDose {
  const events = eventsForRun(info, reports);
  const notes: string[] = [];
  const fromEvents = (pick: (e: IrradiationEvent) => number | undefined, combine: 'sum' | 'mean'): number | null => {
    const values = events.map(pick).filter((v): v is number => v !== undefined);
    if (values.length === 0) return null;
    const sum = values.reduce((a, b) => a + b, 0);
    return combine === 'sum' ? sum : sum / values.length;
  };
  const header = info.dose;
  const sr = (value: number | null): Sourced | null => (value === null ? null : { value, source: 'Radiation Dose SR' });
  const hdr = (value: number | undefined): Sourced | null => (value === undefined ? null : { value, source: 'image header' });
  const headerDap = header.areaDoseProduct === undefined ? undefined : header.areaDoseProduct / 10; // dGy·cm² → Gy·cm²
  const dap = sr(fromEvents((e) => e.dapGyCm2, 'sum')) ?? hdr(headerDap);
  const srDap = fromEvents((e) => e.dapGyCm2, 'sum');
  if (srDap !== null && headerDap !== undefined && Math.abs(srDap - headerDap) > 0.2 * Math.max(srDap, headerDap)) {
    notes.push(
      `the image header's DAP (${round(headerDap)} Gy·cm²) differs from the dose report's (${round(srDap)} Gy·cm²); the report's is shown`,
    );
  }
  const duration = fromEvents(
    (e) => e.irradiationDurationS ?? (e.exposureTimeMs === undefined ? undefined : e.exposureTimeMs / 1000),
    'sum',
  );
  const fluoroscopyTimeS = sr(duration) ?? hdr(header.fluoroscopyTimeS);
  if (!sr(duration) && header.fluoroscopyTimeS !== undefined)
    notes.push('fluoroscopy time from the image header counts up through the study on most systems');
  return {
    frames: info.frameCount,
    fluoroscopyTimeS,
    dapGyCm2: dap,
    airKermaMgy: sr(fromEvents((e) => e.airKermaMgy, 'sum')) ?? hdr(header.entranceDoseMgy),
    kvp: hdr(info.exposure.kvp) ?? sr(fromEvents((e) => e.kvp, 'mean')),
    tubeCurrentMa: hdr(info.exposure.tubeCurrentMa) ?? sr(fromEvents((e) => e.tubeCurrentMa, 'mean')),
    events,
    notes,
  };
}

/**
 * The case: the dose reports' accumulated totals when there are any (they cover the whole
 * procedure), else what the open runs' headers add up to.
 */
export function caseDose(runs: readonly RunInfo[], reports: readonly RadiationDoseReport[] = []): CaseDose {
  const notes: string[] = [];
  const studies = new Set(runs.map((r) => r.study.instanceUID));
  const relevant = reports.filter((r) => studies.size === 0 || studies.has(r.studyInstanceUID));
  const totals = relevant.flatMap((r) => r.totals);
  const sum = (values: Array<number | undefined>): number | null => {
    const present = values.filter((v): v is number => v !== undefined);
    return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
  };
  const perRun = runs.map((info) => runDose(info, relevant));
  let fluoroscopyTimeS: Sourced | null = null;
  let dapGyCm2: Sourced | null = null;
  let airKermaMgy: Sourced | null = null;
  let acquiredFramesTotal: number | null = null;
  if (totals.length > 0) {
    const sr = (value: number | null): Sourced | null => (value === null ? null : { value, source: 'Radiation Dose SR' });
    fluoroscopyTimeS = sr(sum(totals.map((t) => t.fluoroTimeTotalS)));
    dapGyCm2 = sr(sum(totals.map((t) => t.dapTotalGyCm2)));
    airKermaMgy = sr(sum(totals.map((t) => t.airKermaTotalMgy)));
    acquiredFramesTotal = sum(totals.map((t) => t.radiographicFramesTotal));
    const planes = totals.length > 1 ? ` (${totals.length} planes added)` : '';
    notes.push(`whole procedure from the Radiation Dose SR${planes}, including fluoroscopy that was not saved`);
  }
  if (!dapGyCm2) {
    const values = perRun.map((r) => r.dapGyCm2?.value);
    const total = sum(values);
    if (total !== null) {
      dapGyCm2 = { value: total, source: 'image header' };
      const given = values.filter((v) => v !== undefined).length;
      notes.push(`DAP added over the ${given} run${given === 1 ? '' : 's'} whose headers give one`);
    }
  }
  if (!fluoroscopyTimeS) {
    const times = runs.map((r) => r.dose.fluoroscopyTimeS).filter((v): v is number => v !== undefined);
    if (times.length > 0) {
      fluoroscopyTimeS = { value: Math.max(...times), source: 'image header' };
      notes.push('fluoroscopy time is the largest any run reports (the attribute counts up through the study)');
    }
  }
  if (!airKermaMgy) {
    const total = sum(perRun.map((r) => r.airKermaMgy?.value));
    if (total !== null)
      airKermaMgy = {
        value: total,
        source: perRun.some((r) => r.airKermaMgy?.source === 'Radiation Dose SR') ? 'Radiation Dose SR' : 'image header',
      };
  }
  return {
    runs: runs.length,
    frames: runs.reduce((n, r) => n + r.frameCount, 0),
    fluoroscopyTimeS,
    dapGyCm2,
    airKermaMgy,
    acquiredFramesTotal,
    kvpRange: range(perRun.map((r) => r.kvp?.value)),
    tubeCurrentMaRange: range(perRun.map((r) => r.tubeCurrentMa?.value)),
    notes,
  };
}

function range(values: Array<number | undefined>): readonly [number, number] | null {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? null : [Math.min(...present), Math.max(...present)];
}

function round(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** "1 min 35 s", "42 s", "0.4 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
