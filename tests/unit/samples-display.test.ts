/**
 * The samples made for shutters, subtraction, views and dose (scripts/samples/displayRuns.ts,
 * dsa.ts, doseReport.ts), read through the app's own code and checked against their truth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { viewChecklist, twoViewsBadge, type ChecklistRun } from '../../src/annotations/model';
import { bufferSource } from '../../src/dicom/byteSource';
import { readHeader } from '../../src/dicom/header';
import { readRadiationDoseReport, type RadiationDoseReport } from '../../src/dicom/radiationDose';
import { buildRunInfo } from '../../src/dicom/runInfo';
import type { RunInfo } from '../../src/dicom/types';
import { caseDose, runDose } from '../../src/imaging/dose';
import { Registrar } from '../../src/imaging/registration';
import { displayShutterOf, rasterizeShutter } from '../../src/imaging/shutter';
import { Subtractor, planFromFile, subtractionModeFor, type Shift } from '../../src/imaging/subtraction';
import type { DoseReportTruth } from '../../scripts/samples/doseReport';
import { SAMPLE_DIR, readFrames, readTruths } from '../support/samples';
import type { RunTruth } from '../../scripts/samples/generate';

const truths = readTruths();
const truthOf = (run: string): RunTruth => truths.find((t) => t.run === run)!;

async function infoOf(truth: RunTruth): Promise<RunInfo> {
  const headers = await Promise.all(
    truth.files.map(async (f) => readHeader(bufferSource(f, new Uint8Array(readFileSync(join(SAMPLE_DIR, f)))))),
  );
  return buildRunInfo(headers);
}

describe('s1-dsa-lin-512: a DSA run with a mask phase, patient motion and a faint blush', () => {
  const truth = truthOf('s1-dsa-lin-512');
  const dsa = truth.dsa!;
  let info: RunInfo;
  let frames: Array<Uint8Array | Uint16Array>;
  let subtractor: Subtractor;
  let shown: Uint8Array;
  const n = truth.rows;

  beforeAll(async () => {
    info = await infoOf(truth);
    frames = readFrames(new Uint8Array(readFileSync(join(SAMPLE_DIR, truth.files[0])))).frames;
    subtractor = new Subtractor({ rows: n, columns: n }, subtractionModeFor(info));
    subtractor.setMask(dsa.maskFrames.map((f) => frames[f - 1]));
    shown = rasterizeShutter(displayShutterOf(info)!);
    subtractor.setShown(shown);
  });

  it('says LIN, subtracts in log space, and names its polygonal shutter', () => {
    expect(info.pixelIntensityRelationship).toBe('LIN');
    expect(subtractor.mode.domain).toBe('log');
    expect(info.shutter?.shapes).toEqual(['POLYGONAL']);
    expect(info.dose.irradiationEventUIDs).toEqual([truth.irradiationEventUID]);
  });

  it("honours the file's Mask Subtraction Sequence: frames 5–20 minus the average of frames 1–4", () => {
    expect(info.subtraction.recommendedViewingMode).toBe('SUB');
    expect(planFromFile(info, 12)).toMatchObject({
      kind: 'subtract',
      maskFrames: dsa.maskFrames,
      contrastFrames: [12],
      shift: { dx: 0, dy: 0 },
    });
    expect(planFromFile(info, 3)).toMatchObject({ kind: 'native' });
  });

  it('recovers the known patient motion to within 0.25 px on a bony region', () => {
    const registrar = new Registrar();
    const frame = new Float32Array(n * n);
    // Over the L5 body and pedicles, clear of the needle, the contrast and the blush.
    const roi = { x: 270, y: 80, width: 128, height: 128 };
    const errors: number[] = [];
    for (const f of [6, 10, 12, 16, 20]) {
      subtractor.toDomain(frames[f - 1], frame);
      const result = registrar.register(subtractor.maskValues, frame, n, n, roi, { shown });
      const motion = dsa.motion[f - 1];
      errors.push(Math.hypot(result.shift.dx - motion.dx, result.shift.dy - motion.dy));
      expect(Math.abs(result.shift.dx - motion.dx), `frame ${f}`).toBeLessThanOrEqual(0.25);
      expect(Math.abs(result.shift.dy - motion.dy), `frame ${f}`).toBeLessThanOrEqual(0.25);
    }
    expect(Math.max(...errors)).toBeLessThan(0.2);
    console.info(`registration error on the DSA sample, px: ${errors.map((e) => e.toFixed(3)).join(', ')}`);
  });

  it('subtracts the anatomy away once the shift is set, and not before', () => {
    const out = new Float32Array(n * n);
    const residual = (shift: Shift): number => {
      subtractor.setShift(shift);
      subtractor.subtract(frames[19], out);
      let sum = 0;
      for (let y = 80; y < 208; y++) for (let x = 270; x < 398; x++) sum += out[y * n + x] ** 2;
      return sum;
    };
    const unshifted = residual({ dx: 0, dy: 0 });
    const shifted = residual(dsa.motion[19]);
    subtractor.setShift({ dx: 0, dy: 0 });
    expect(shifted).toBeLessThan(unshifted / 2);
  });

  it('reveals the blush: invisible against the anatomy in a raw frame, plain after subtraction', () => {
    const frame = 12;
    const motion = dsa.motion[frame - 1];
    const { x, y, sigmaPx } = dsa.blush.cloud;
    const cx = x + motion.dx;
    const cy = y + motion.dy;
    /** (mean inside r ≤ σ − mean of the ring 2σ…3σ) / the ring's standard deviation. */
    const cnr = (values: ArrayLike<number>): number => {
      const inner: number[] = [];
      const ring: number[] = [];
      for (let py = Math.floor(cy - 3 * sigmaPx); py <= cy + 3 * sigmaPx; py++) {
        for (let px = Math.floor(cx - 3 * sigmaPx); px <= cx + 3 * sigmaPx; px++) {
          const r = Math.hypot(px - cx, py - cy);
          if (r <= sigmaPx) inner.push(values[py * n + px]);
          else if (r >= 2 * sigmaPx && r <= 3 * sigmaPx) ring.push(values[py * n + px]);
        }
      }
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const ringMean = mean(ring);
      const sd = Math.sqrt(mean(ring.map((v) => (v - ringMean) ** 2)));
      return (mean(inner) - ringMean) / sd;
    };
    const raw = new Float32Array(n * n);
    subtractor.toDomain(frames[frame - 1], raw);
    const subtracted = new Float32Array(n * n);
    subtractor.setShift(motion);
    subtractor.subtract(frames[frame - 1], subtracted);
    const before = new Float32Array(n * n);
    subtractor.subtract(frames[dsa.maskFrames.length], before); // frame 5: contrast, no blush yet
    subtractor.setShift({ dx: 0, dy: 0 });
    const rawCnr = cnr(raw);
    const subtractedCnr = cnr(subtracted);
    console.info(
      `blush contrast-to-noise: raw ${rawCnr.toFixed(2)}, subtracted ${subtractedCnr.toFixed(2)}, before it appears ${cnr(before).toFixed(2)}`,
    );
    expect(Math.abs(rawCnr)).toBeLessThan(1);
    expect(subtractedCnr).toBeLessThan(-2.5); // log of intensity: the blush absorbs, so it is darker
    expect(Math.abs(cnr(before))).toBeLessThan(1);
  });
});

describe('l5-lateral-rect-256: rectangular collimation only', () => {
  it('carries a RECTANGULAR shutter whose edges are the exposed columns and rows', async () => {
    const truth = truthOf('l5-lateral-rect-256');
    const info = await infoOf(truth);
    const r = truth.collimation.rectangle!;
    expect(info.shutter).toMatchObject({
      shapes: ['RECTANGULAR'],
      rectangular: { left: r.left + 1, right: r.right, upper: r.top + 1, lower: r.bottom },
    });
  });
});

describe('tfesi-dose-report: the case dose report', () => {
  const expected = JSON.parse(readFileSync(join(SAMPLE_DIR, 'tfesi-dose-report.dose.json'), 'utf8')) as DoseReportTruth;
  let report: RadiationDoseReport;
  let infos: Map<string, RunInfo>;

  beforeAll(async () => {
    const bytes = new Uint8Array(readFileSync(join(SAMPLE_DIR, expected.file)));
    report = readRadiationDoseReport(await readHeader(bufferSource(expected.file, bytes)));
    const study = truths.filter((t) => t.studyInstanceUID === expected.studyInstanceUID);
    infos = new Map(await Promise.all(study.map(async (t) => [t.run, await infoOf(t)] as const)));
  });

  it('reads the totals the generator wrote, in Gy·cm², mGy and seconds', () => {
    expect(report.problems).toEqual([]);
    expect(report.events).toHaveLength(expected.events.length);
    const t = report.totals[0];
    expect(t.dapTotalGyCm2).toBeCloseTo(expected.totals.dapGym2 * 1e4, 6);
    expect(t.airKermaTotalMgy).toBeCloseTo(expected.totals.doseRpGy * 1e3, 6);
    expect(t.fluoroTimeTotalS).toBe(expected.totals.fluoroTimeS);
    expect(t.acquisitionTimeTotalS).toBe(expected.totals.acquisitionTimeS);
    expect(t.radiographicFramesTotal).toBe(expected.totals.frames);
  });

  it('gives every saved run its event, by Irradiation Event UID or by start time, as the truth says', () => {
    // The study's saved runs: AP, oblique, caudal series, DSA, lateral (rect shutter), lateral (big endian).
    expect(infos.size).toBe(6);
    for (const event of expected.events.filter((e) => e.run)) {
      const dose = runDose(infos.get(event.run!)!, [report]);
      expect(
        dose.events.map((e) => e.irradiationEventUID),
        event.run!,
      ).toEqual([event.uid]);
      expect(dose.dapGyCm2?.source).toBe('Radiation Dose SR');
      expect(dose.dapGyCm2?.value).toBeCloseTo(event.dapGym2 * 1e4, 6);
      expect(infos.get(event.run!)!.dose.irradiationEventUIDs?.length ?? 0).toBe(event.linkedBy === 'Irradiation Event UID' ? 1 : 0);
    }
  });

  it('gives the case the whole procedure from the report, more than the saved runs hold', () => {
    const dose = caseDose([...infos.values()], [report]);
    expect(dose.fluoroscopyTimeS).toEqual({ value: expected.totals.fluoroTimeS, source: 'Radiation Dose SR' });
    expect(dose.dapGyCm2?.value).toBeCloseTo(expected.totals.dapGym2 * 1e4, 6);
    expect(dose.frames).toBe(expected.totals.frames);
    const savedRunsDap = [...infos.values()].reduce((sum, info) => sum + (runDose(info, [report]).dapGyCm2?.value ?? 0), 0);
    expect(dose.dapGyCm2!.value).toBeGreaterThan(savedRunsDap);
  });
});

describe('the views of the TFESI sample case', () => {
  it('fill the lumbar TFESI checklist for the left side, and earn the badge once two views hold needle and contrast', async () => {
    const study = truths.filter((t) => t.studyInstanceUID === truthOf('l4-tfesi-ap-512').studyInstanceUID);
    const runs: ChecklistRun[] = study.map((t) => ({
      key: t.run,
      label: t.run,
      positioner: t.positioner,
      hasNeedleTip: t.run === 'l5-tfesi-1024-rle' || t.run === 'l5-lateral-rect-256',
      hasContrastSpread: t.run === 'l5-tfesi-1024-rle' || t.run === 'l5-lateral-rect-256',
    }));
    const checklist = viewChecklist({ procedure: 'transforaminalEsi', levels: ['L5'], side: 'left' }, runs);
    expect(checklist?.items.map((i) => [i.label, i.status, i.runs.map((r) => r.key)])).toEqual([
      ['AP', 'satisfied', ['l4-tfesi-ap-512', 's1-caudal-series', 's1-dsa-lin-512']],
      ['ipsilateral oblique', 'satisfied', ['l5-tfesi-1024-rle']],
      ['lateral', 'satisfied', ['l4-lat-be8', 'l5-lateral-rect-256']],
    ]);
    const badge = twoViewsBadge(runs, 'left');
    expect(badge.earned).toBe(true);
    expect(badge.earned && [...badge.runs].sort()).toEqual(['l5-lateral-rect-256', 'l5-tfesi-1024-rle']);
  });
});
