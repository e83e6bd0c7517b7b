import { describe, expect, it } from 'vitest';
import {
  AnnotationCommandError,
  addLeadTip,
  addVascularFlag,
  applyCommand,
  createDocument,
  formatArea,
  formatLength,
  lengthMm,
  newLeadTip,
  newVascularFlag,
  removeLeadTip,
  removeVascularFlag,
  resolveCalibration,
  setCalibration,
  updateCaseRecord,
  updateLeadTip,
  updateVascularFlag,
  vascularFlagText,
  type AnnotationDocument,
  type Command,
  type UserCalibration,
} from '../../src/annotations/model';
import type { SpacingInfo } from '../../src/dicom/types';

const RUN = { studyInstanceUID: '1', seriesInstanceUID: '1.1', sopInstanceUIDs: ['1.1.1'], frameCount: 30 };
const run = (doc: AnnotationDocument, ...commands: Command[]) => commands.reduce((d, c) => applyCommand(d, c).doc, doc);
const labelOf = (doc: AnnotationDocument, command: Command) => applyCommand(doc, command).entry?.label;

const ball: UserCalibration = {
  objectName: '25 mm marker ball',
  lengthMm: 25,
  frame: 4,
  line: { from: { x: 100, y: 100 }, to: { x: 150, y: 100 } },
};
const pixelSpacing: SpacingInfo = {
  preferred: { rowMm: 0.2, columnMm: 0.2, source: 'Pixel Spacing' },
  candidates: [{ rowMm: 0.2, columnMm: 0.2, source: 'Pixel Spacing' }],
  pixelSpacingCalibration: { type: 'FIDUCIAL', description: 'ball in the isocentre' },
};
const ipsErmf: SpacingInfo = {
  preferred: { rowMm: 0.2464, columnMm: 0.2464, source: 'Imager Pixel Spacing corrected by ERMF' },
  candidates: [
    { rowMm: 0.308, columnMm: 0.308, source: 'Imager Pixel Spacing' },
    { rowMm: 0.2464, columnMm: 0.2464, source: 'Imager Pixel Spacing corrected by ERMF' },
  ],
  estimatedRadiographicMagnificationFactor: 1.25,
};
const ipsOnly: SpacingInfo = {
  preferred: { rowMm: 0.4, columnMm: 0.36, source: 'Imager Pixel Spacing' },
  candidates: [{ rowMm: 0.4, columnMm: 0.36, source: 'Imager Pixel Spacing' }],
};

describe('calibration precedence and wording', () => {
  it('a user calibration beats every header value, and names the object', () => {
    for (const spacing of [pixelSpacing, ipsErmf, ipsOnly, { preferred: null, candidates: [] }]) {
      const c = resolveCalibration(spacing, ball);
      expect(c?.source).toBe('user');
      expect(c?.name).toBe('calibrated by user (25 mm marker ball)');
    }
    expect(resolveCalibration(pixelSpacing, ball)?.detail).toMatch(
      /50 px line over "25 mm marker ball" is 25 mm.*replaces the header's Pixel Spacing/,
    );
  });

  it('scales a user calibration so the drawn line measures the typed length, keeping the header aspect ratio', () => {
    const square = resolveCalibration({ preferred: null, candidates: [] }, ball)!;
    expect([square.rowMm, square.columnMm]).toEqual([0.5, 0.5]);
    const diagonal: UserCalibration = { ...ball, line: { from: { x: 0, y: 0 }, to: { x: 30, y: 40 } } };
    const anisotropic = resolveCalibration(ipsOnly, diagonal)!;
    expect(anisotropic.columnMm / anisotropic.rowMm).toBeCloseTo(0.9, 10);
    expect(lengthMm(diagonal.line.from, diagonal.line.to, anisotropic)).toBeCloseTo(25, 10);
    // Without a spacing, Pixel Aspect Ratio 2:1 (pixels twice as tall as wide) gives the aspect.
    const tallPixels = resolveCalibration({ preferred: null, candidates: [], pixelAspectRatio: { vertical: 2, horizontal: 1 } }, diagonal)!;
    expect(tallPixels.rowMm / tallPixels.columnMm).toBeCloseTo(2, 10);
    expect(lengthMm(diagonal.line.from, diagonal.line.to, tallPixels)).toBeCloseTo(25, 10);
  });

  it('then Pixel Spacing with its calibration type, then IPS ÷ ERMF at the isocentre, then IPS at the detector', () => {
    expect(resolveCalibration(pixelSpacing, null)).toMatchObject({
      source: 'Pixel Spacing',
      name: 'Pixel Spacing (calibrated on a fiducial: ball in the isocentre)',
    });
    expect(resolveCalibration({ ...pixelSpacing, pixelSpacingCalibration: { type: 'GEOMETRY' } }, null)?.name).toBe(
      'Pixel Spacing (calibrated by geometry)',
    );
    expect(resolveCalibration({ ...pixelSpacing, pixelSpacingCalibration: undefined }, null)?.name).toBe('Pixel Spacing');
    expect(resolveCalibration(ipsErmf, null)).toMatchObject({ rowMm: 0.2464, name: 'at the isocentre: Imager Pixel Spacing ÷ ERMF 1.25' });
    expect(resolveCalibration(ipsOnly, null)).toMatchObject({
      name: 'at the detector: Imager Pixel Spacing, not corrected for magnification',
    });
    expect(resolveCalibration(ipsOnly, null)?.detail).toMatch(/read too large/);
    expect(resolveCalibration({ preferred: null, candidates: [] }, null)).toBeNull();
  });

  it('every millimetre shown names the calibration it rests on; pixels say they are not calibrated', () => {
    const c = resolveCalibration(pixelSpacing, ball)!;
    expect(formatLength(24.8, 12.4, c)).toBe('12.4 mm (calibrated by user (25 mm marker ball))');
    expect(formatArea(80, 3.21, resolveCalibration(ipsErmf, null))).toBe('3.2 mm² (at the isocentre: Imager Pixel Spacing ÷ ERMF 1.25)');
    expect(formatLength(24.83, null, null)).toBe('24.8 px (not calibrated)');
  });
});

describe('commands for format 2', () => {
  const empty = createDocument(RUN);

  it('sets and removes a user calibration, refusing an unusable one', () => {
    const calibrated = run(empty, setCalibration(ball));
    expect(calibrated.calibration).toEqual(ball);
    expect(labelOf(empty, setCalibration(ball))).toBe('Calibrate on 25 mm marker ball');
    expect(run(calibrated, setCalibration(null)).calibration).toBeNull();
    expect(labelOf(calibrated, setCalibration(null))).toBe('Remove calibration');
    expect(() => run(empty, setCalibration({ ...ball, frame: 31 }))).toThrow(/calibration frame 31 is outside the run \(frames 1–30\)/);
    expect(() => run(empty, setCalibration({ ...ball, objectName: ' ' }))).toThrow(/name of the object/);
    expect(() => run(empty, setCalibration({ ...ball, line: { from: { x: 0, y: 0 }, to: { x: 1, y: 0 } } }))).toThrow(
      /shorter than 2 pixels/,
    );
  });

  it('adds, edits and removes vascular flags with fresh ids', () => {
    const first = newVascularFlag(empty, { from: 8, to: 12, uptake: 'arterial' });
    let doc = run(empty, addVascularFlag(first));
    const second = newVascularFlag(doc, { from: 20, to: 20, uptake: 'uncertain', note: 'maybe venous' });
    expect([first.id, second.id]).toEqual(['vascular-1', 'vascular-2']);
    doc = run(doc, addVascularFlag(second), updateVascularFlag('vascular-2', { uptake: 'venous', to: 22 }));
    expect(doc.vascularFlags.map(vascularFlagText)).toEqual([
      'vascular uptake: arterial, frames 8–12',
      'vascular uptake: venous, frames 20–22',
    ]);
    expect(labelOf(empty, addVascularFlag(first))).toBe('Flag vascular uptake (arterial)');
    expect(() => run(doc, updateVascularFlag('vascular-1', { to: 5 }))).toThrow(/8–5 run backwards/);
    expect(() => run(doc, addVascularFlag({ ...first, id: 'x', to: 31 }))).toThrow(/not frames of the run/);
    expect(() => run(doc, addVascularFlag(first))).toThrow(/already exists/);
    expect(run(doc, removeVascularFlag('vascular-1')).vascularFlags.map((f) => f.id)).toEqual(['vascular-2']);
    expect(() => run(doc, removeVascularFlag('vascular-9'))).toThrow(AnnotationCommandError);
  });

  it('labels lead tips at canonical levels and refuses levels that do not exist', () => {
    const lead = newLeadTip(empty, { frame: 30, level: 't8' });
    expect(lead).toEqual({ id: 'leadTip-1', label: 'Lead 1', frame: 30, level: 'T8', position: null });
    let doc = run(empty, addLeadTip(lead));
    expect(labelOf(empty, addLeadTip(lead))).toBe('Label lead tip at T8');
    doc = run(doc, updateLeadTip('leadTip-1', { level: 't9-t10', position: { x: 5, y: 6 } }));
    expect(doc.leadTips[0]).toMatchObject({ level: 'T9-T10', position: { x: 5, y: 6 } });
    expect(() => run(doc, updateLeadTip('leadTip-1', { level: 'T13' }))).toThrow(/"T13" is not a vertebral level/);
    expect(run(doc, removeLeadTip('leadTip-1')).leadTips).toEqual([]);
  });

  it('keeps an injectate log in the case record, checking frames, volumes and times', () => {
    const entry = { agent: 'Iohexol 240', volumeMl: 1.5, frame: 12, time: null, note: '' };
    const doc = run(empty, updateCaseRecord({ injectates: [entry, { ...entry, agent: 'Dexamethasone', frame: null, time: '10:42' }] }));
    expect(doc.caseRecord.injectates).toHaveLength(2);
    expect(labelOf(empty, updateCaseRecord({ injectates: [entry] }))).toBe('Edit injectate log');
    expect(() => run(empty, updateCaseRecord({ injectates: [{ ...entry, frame: 40 }] }))).toThrow(/injectate frame 40 is outside the run/);
    expect(() => run(empty, updateCaseRecord({ injectates: [{ ...entry, time: '9:5' }] }))).toThrow(/not a clock time/);
    expect(() => run(empty, updateCaseRecord({ injectates: [{ ...entry, volumeMl: -1 }] }))).toThrow(/not a number of millilitres/);
    expect(() => run(empty, updateCaseRecord({ injectates: [{ ...entry, agent: '' }] }))).toThrow(/needs the agent/);
  });
});
