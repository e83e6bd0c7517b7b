import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { readHeader } from '../../src/dicom/header';
import { pixelShape, shownAspect } from '../../src/dicom/pixelShape';
import { buildRunInfo, factsOfFrame, voiFunctionOf, windowsOfFrame } from '../../src/dicom/runInfo';
import { lutFollowing, lutsOfFrame, openingVoiLut } from '../../src/dicom/voiLut';
import { displayShutterOf } from '../../src/imaging/shutter';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';
import type { ElementSpec } from '../support/dicom/syntheticDicom';
import type { ParsedHeader, RunInfo } from '../../src/dicom/types';

const IMPLICIT = '1.2.840.10008.1.2';

async function headerWith(
  extra: ElementSpec[],
  frames = 4,
  options: { transferSyntaxUID?: string; uid?: string } = {},
): Promise<ParsedHeader> {
  const elements = imageElements({ rows: 2, columns: 2, frames, extra, sopInstanceUID: options.uid });
  const bytes = buildDicom({
    elements,
    transferSyntaxUID: options.transferSyntaxUID,
    pixelData: { kind: 'native', bytes: new Uint8Array(4 * frames) },
  });
  return readHeader(bufferSource(`${options.uid ?? 'run'}.dcm`, bytes));
}

async function infoWith(extra: ElementSpec[], frames = 4, transferSyntaxUID?: string): Promise<RunInfo> {
  return buildRunInfo([await headerWith(extra, frames, { transferSyntaxUID })]);
}

describe('buildRunInfo: frame timing', () => {
  it('uses Frame Time for regular frames', async () => {
    const { timing } = await infoWith([el(0x00181063, 'DS', '33')], 4);
    expect(timing).toEqual({ frameStartMs: [0, 33, 66, 99], durationMs: 132, nominalFps: 30.30303, source: 'Frame Time', notes: [] });
  });

  it.each([
    ['0', 'Frame Time 0 ms is not usable'],
    ['-5', 'Frame Time -5 ms is not usable'],
    ['abc', 'Frame Time "abc" is not usable'],
  ])('falls back from Frame Time %s with a note', async (value, note) => {
    const { timing } = await infoWith([el(0x00181063, 'DS', value)], 3);
    expect(timing.source).toBe('default');
    expect(timing.notes).toEqual([note, 'no usable frame timing; assuming 15 fps']);
    expect(timing.nominalFps).toBe(15);
    expect(timing.frameStartMs[2]).toBeCloseTo(133.333, 2);
  });

  it('assumes 15 fps when there is no timing at all', async () => {
    const { timing } = await infoWith([], 3);
    expect(timing.source).toBe('default');
    expect(timing.notes).toEqual(['no usable frame timing; assuming 15 fps']);
    expect(timing.durationMs).toBeCloseTo(200, 6);
  });

  it('needs no excuse for a single frame without timing', async () => {
    const { timing } = await infoWith([], 1);
    expect(timing).toMatchObject({ source: 'default', notes: [], frameStartMs: [0] });
  });

  it('uses an irregular Frame Time Vector cumulatively', async () => {
    const { timing } = await infoWith([el(0x00181065, 'DS', '0\\40\\60\\50'), el(0x00181063, 'DS', '33')], 4);
    expect(timing.source).toBe('Frame Time Vector');
    expect(timing.frameStartMs).toEqual([0, 40, 100, 150]);
    expect(timing.durationMs).toBe(200);
    expect(timing.nominalFps).toBe(20);
  });

  it('falls back from a Frame Time Vector with the wrong number of values', async () => {
    const { timing } = await infoWith([el(0x00181065, 'DS', '0\\40\\60'), el(0x00181063, 'DS', '50')], 4);
    expect(timing.source).toBe('Frame Time');
    expect(timing.notes).toEqual(['Frame Time Vector (0018,1065) has 3 values for 4 frames; not used']);
  });

  it('falls back from a Frame Time Vector with a zero increment', async () => {
    const { timing } = await infoWith([el(0x00181065, 'DS', '0\\40\\0\\50'), el(0x00180040, 'IS', '10')], 4);
    expect(timing.source).toBe('Cine Rate');
    expect(timing.frameStartMs).toEqual([0, 100, 200, 300]);
    expect(timing.notes).toEqual(['Frame Time Vector (0018,1065): the increment before frame 3 is 0 ms; increments must be > 0; not used']);
  });

  it('treats a Frame Time Vector not starting at 0 as starting at 0, with a note', async () => {
    const { timing } = await infoWith([el(0x00181065, 'DS', '33\\33\\33')], 3);
    expect(timing.frameStartMs).toEqual([0, 33, 66]);
    expect(timing.notes).toEqual(['Frame Time Vector (0018,1065) starts with 33 instead of 0; treated as 0']);
  });

  it('goes on to Cine Rate, then Recommended Display Frame Rate', async () => {
    expect((await infoWith([el(0x00180040, 'IS', '0'), el(0x00082144, 'IS', '25')], 2)).timing).toMatchObject({
      source: 'Recommended Display Frame Rate',
      frameStartMs: [0, 40],
      notes: ['Cine Rate 0 fps is not usable'],
    });
  });

  it('follows the Frame Increment Pointer to Frame Time ahead of a Frame Time Vector', async () => {
    const { timing } = await infoWith(
      [el(0x00280009, 'AT', [0x0018, 0x1063]), el(0x00181063, 'DS', '100'), el(0x00181065, 'DS', '0\\10\\10')],
      3,
    );
    expect(timing.source).toBe('Frame Time');
    expect(timing.frameIncrementPointer).toEqual(['(0018,1063)']);
  });

  it('says when the Frame Increment Pointer names a missing attribute', async () => {
    const { timing } = await infoWith([el(0x00280009, 'AT', [0x0018, 0x1065]), el(0x00181063, 'DS', '50')], 3);
    expect(timing.source).toBe('Frame Time');
    expect(timing.notes).toEqual(['Frame Increment Pointer names Frame Time Vector (0018,1065), which is missing']);
  });

  it('reads timing from implicit VR files too', async () => {
    const { timing } = await infoWith([el(0x00181063, 'DS', '40')], 3, IMPLICIT);
    expect(timing.frameStartMs).toEqual([0, 40, 80]);
  });

  describe("an enhanced multi-frame object (no Cine module): each frame's Frame Content Sequence", () => {
    /** Per-frame Functional Groups, one item per frame, each with a Frame Content Sequence holding `content`. */
    const perFrame = (...contents: ElementSpec[][]) =>
      el(
        0x52009230,
        'SQ',
        contents.map((content) => [el(0x00209111, 'SQ', [content])]),
      );
    const reference = (dt: string) => [el(0x00189151, 'DT', dt)];
    const acquisition = (dt: string) => [el(0x00189074, 'DT', dt)];

    it('plays at the Frame Reference DateTimes, irregular gaps and all', async () => {
      const { timing } = await infoWith(
        [perFrame(reference('20240101120000.000000'), reference('20240101120000.066667'), reference('20240101120000.200000'))],
        3,
      );
      expect(timing.source).toBe('Frame Reference DateTime');
      expect(timing.notes).toEqual([]);
      expect(timing.frameStartMs.map((ms) => Math.round(ms * 1000) / 1000)).toEqual([0, 66.667, 200]);
      expect(timing.durationMs).toBeCloseTo(300, 6);
    });

    it('falls back to Frame Acquisition DateTime, and ranks below Frame Time', async () => {
      const frames = [acquisition('20240101120000'), acquisition('20240101120000.125'), acquisition('20240101120000.25')];
      const { timing } = await infoWith([perFrame(...frames)], 3);
      expect(timing).toMatchObject({ source: 'Frame Acquisition DateTime', frameStartMs: [0, 125, 250], nominalFps: 8 });
      const explicit = await infoWith([el(0x00181063, 'DS', '40'), perFrame(...frames)], 3);
      expect(explicit.timing.source).toBe('Frame Time');
    });

    it('says why it is not used: a frame without a time, times that go back, items missing', async () => {
      const gap = await infoWith([perFrame(reference('20240101120000'), [], reference('20240101120001'))], 3);
      expect(gap.timing.source).toBe('default');
      expect(gap.timing.notes[0]).toBe(
        'Frame Content Sequence (0020,9111): frame 2 has no Frame Reference or Frame Acquisition DateTime; not used',
      );
      const back = await infoWith([perFrame(reference('20240101120001'), reference('20240101120000.5'), reference('20240101120002'))], 3);
      expect(back.timing.notes[0]).toBe(
        "Frame Content Sequence (0020,9111): the Frame Reference DateTime of frame 2 is not after frame 1's; not used",
      );
      const short = await infoWith([perFrame(reference('20240101120000'), reference('20240101120001'))], 3);
      expect(short.timing.notes[0]).toBe(
        'Frame Content Sequence (0020,9111): the Per-frame Functional Groups have 2 items for 3 frames; not used',
      );
    });
  });

  it("reads the Cine module's Start Trim, Stop Trim and Preferred Playback Sequencing", async () => {
    const trimmed = await infoWith(
      [el(0x00181063, 'DS', '66.67'), el(0x00082142, 'IS', '3'), el(0x00082143, 'IS', '8'), el(0x00181244, 'US', [1])],
      10,
    );
    expect(trimmed.cineDisplay).toEqual({ trim: { firstFrame: 3, lastFrame: 8 }, sequencing: 'sweeping' });
    const onlyStart = await infoWith([el(0x00082142, 'IS', '4'), el(0x00181244, 'US', [0])], 10);
    expect(onlyStart.cineDisplay).toEqual({ trim: { firstFrame: 4, lastFrame: 10 }, sequencing: 'looping' });
    // The whole run is no trim; none at all is none.
    expect((await infoWith([el(0x00082142, 'IS', '1'), el(0x00082143, 'IS', '10')], 10)).cineDisplay.trim).toBeNull();
    expect((await infoWith([], 10)).cineDisplay).toEqual({ trim: null, sequencing: null });
  });

  it.each([
    ['0', '5', 'Start Trim 0 / Stop Trim 5 do not fit frames 1–10; not used'],
    ['6', '4', 'Start Trim 6 / Stop Trim 4 do not fit frames 1–10; not used'],
    ['2', '12', 'Start Trim 2 / Stop Trim 12 do not fit frames 1–10; not used'],
  ])('does not use Start Trim %s / Stop Trim %s, and says so', async (start, stop, note) => {
    const { cineDisplay, timing } = await infoWith(
      [el(0x00181063, 'DS', '50'), el(0x00082142, 'IS', start), el(0x00082143, 'IS', stop)],
      10,
    );
    expect(cineDisplay.trim).toBeNull();
    expect(timing.notes).toEqual([note]);
  });

  it('times a single-frame series by acquisition time, and notes times that do not increase', async () => {
    const at = (uid: string, time: string) => headerWith([el(0x00080022, 'DA', '20240101'), el(0x00080032, 'TM', time)], 1, { uid });
    const headers = [await at('1.1', '120000'), await at('1.2', '120000.5'), await at('1.3', '120001.5')];
    const info = buildRunInfo(headers);
    expect(info.frameCount).toBe(3);
    expect(info.sopInstanceUIDs).toEqual(['1.1', '1.2', '1.3']);
    expect(info.timing).toMatchObject({ source: 'Acquisition times', frameStartMs: [0, 500, 1500], durationMs: 2250 });
    const jumbled = buildRunInfo([headers[1], headers[0], headers[2]]);
    expect(jumbled.timing.source).toBe('default');
    expect(jumbled.timing.notes[0]).toBe('acquisition times do not increase from frame to frame; not used for timing');
  });
});

describe('buildRunInfo: calibration and acquisition', () => {
  const ps = el(0x00280030, 'DS', '0.30\\0.25');
  const ips = el(0x00181164, 'DS', '0.40\\0.36');
  const ermf = el(0x00181114, 'DS', '1.25');

  it('prefers Pixel Spacing, keeps row then column order, and lists every candidate', async () => {
    const { spacing } = await infoWith([ps, ips, ermf]);
    expect(spacing.preferred).toEqual({ rowMm: 0.3, columnMm: 0.25, source: 'Pixel Spacing' });
    expect(spacing.candidates.map((c) => c.source)).toEqual([
      'Pixel Spacing',
      'Imager Pixel Spacing',
      'Imager Pixel Spacing corrected by ERMF',
    ]);
    expect(spacing.estimatedRadiographicMagnificationFactor).toBe(1.25);
  });

  it('uses Imager Pixel Spacing ÷ ERMF without Pixel Spacing', async () => {
    const { spacing } = await infoWith([ips, ermf, el(0x00181110, 'DS', '1000'), el(0x00181111, 'DS', '800')]);
    expect(spacing.preferred?.source).toBe('Imager Pixel Spacing corrected by ERMF');
    expect(spacing.preferred?.rowMm).toBeCloseTo(0.32, 10);
    expect(spacing.preferred?.columnMm).toBeCloseTo(0.288, 10);
    expect(spacing.distanceSourceToDetectorMm).toBe(1000);
    expect(spacing.distanceSourceToPatientMm).toBe(800);
  });

  it('uses Imager Pixel Spacing alone when that is all there is', async () => {
    expect((await infoWith([ips])).spacing.preferred).toEqual({ rowMm: 0.4, columnMm: 0.36, source: 'Imager Pixel Spacing' });
  });

  it('measures a series of single frames with its images’ one spacing, and in pixels when they give different ones', async () => {
    const image = (uid: string, magnification: string) => headerWith([ips, el(0x00181114, 'DS', magnification)], 1, { uid });
    const same = buildRunInfo([await image('1.9.1', '1.25'), await image('1.9.2', '1.25'), await image('1.9.3', '1.25')]);
    expect(same.spacing.preferred?.source).toBe('Imager Pixel Spacing corrected by ERMF');
    expect(same.spacing.preferred?.columnMm).toBeCloseTo(0.288, 10);
    expect(same.spacing.notes).toBeUndefined();
    // Written otherwise, the same value: still one spacing.
    const rewritten = buildRunInfo([await image('1.9.1', '1.25'), await image('1.9.2', '1.250')]);
    expect(rewritten.spacing.preferred?.columnMm).toBeCloseTo(0.288, 10);
    expect(rewritten.spacing.notes).toBeUndefined();
    // The third spot image was taken at another magnification: no one spacing is right for all.
    const mixed = buildRunInfo([await image('1.9.1', '1.25'), await image('1.9.2', '1.25'), await image('1.9.3', '1.5')]);
    expect(mixed.spacing.preferred).toBeNull();
    expect(mixed.spacing.candidates.map((c) => c.source)).toContain('Imager Pixel Spacing corrected by ERMF');
    expect(mixed.spacing.notes).toEqual(['The images of this series give different pixel spacings (0.24–0.288 mm/px): measured in pixels']);
    const oneWithout = buildRunInfo([await image('1.9.1', '1.25'), await headerWith([], 1, { uid: '1.9.4' })]);
    expect(oneWithout.spacing.preferred).toBeNull();
    expect(oneWithout.spacing.notes).toEqual([
      'The images of this series give different pixel spacings (0.288 mm/px, 1 without one): measured in pixels',
    ]);
  });

  it('shows a series’ display shutter only when all its images give the same one', async () => {
    const collimated = (uid: string, right: string) =>
      headerWith(
        [
          el(0x00181600, 'CS', 'RECTANGULAR'),
          el(0x00181602, 'IS', '1'),
          el(0x00181604, 'IS', right),
          el(0x00181606, 'IS', '1'),
          el(0x00181608, 'IS', '2'),
        ],
        1,
        { uid },
      );
    const same = buildRunInfo([await collimated('1.9.1', '2'), await collimated('1.9.2', '2')]);
    expect(same.shutter?.rectangular).toEqual({ left: 1, right: 2, upper: 1, lower: 2 });
    expect(displayShutterOf(same)?.description).toBe('rectangular shutter');
    // The collimation changed for the second image: the first image's shutter would hide what it shows.
    const changed = buildRunInfo([await collimated('1.9.1', '2'), await collimated('1.9.2', '1')]);
    expect(changed.shutter).toEqual({ shapes: [], notes: ['The images of this series give different display shutters: none is applied'] });
    expect(displayShutterOf(changed)).toBeNull();
  });

  it('notes spacing it cannot use and leaves the run uncalibrated', async () => {
    const { spacing } = await infoWith([el(0x00280030, 'DS', '0\\0')]);
    expect(spacing.preferred).toBeNull();
    expect(spacing.notes).toEqual(['Pixel Spacing (0028,0030) "0\\0" is not usable']);
  });

  it('reads positioner angles, exposure (µA forms too) and dose', async () => {
    const info = await infoWith([
      el(0x00181510, 'DS', '-32'),
      el(0x00181511, 'DS', '2'),
      el(0x00180060, 'DS', '75'),
      el(0x00188151, 'DS', '4500'),
      el(0x00181150, 'IS', '8'),
      el(0x00181152, 'IS', '12'),
      el(0x00400300, 'US', [95]),
      el(0x0018115e, 'DS', '1.75'),
      el(0x00400302, 'US', [3]),
      el(0x0040030e, 'SQ', [[el(0x00180060, 'DS', '70')], [el(0x00180060, 'DS', '72')]]),
    ]);
    expect(info.positioner).toEqual({ primaryAngleDeg: -32, secondaryAngleDeg: 2 });
    expect(info.exposure).toEqual({ kvp: 75, tubeCurrentMa: 4.5, exposureTimeMs: 8, exposureMas: 12 });
    expect(info.dose).toEqual({ fluoroscopyTimeS: 95, areaDoseProduct: 1.75, entranceDoseMgy: 300, exposureDoseSequenceCount: 2 });
  });

  it('prefers the finer µA, µs and µAs forms where both are given (a pulse below 1 mAs is "0" in mAs)', async () => {
    const info = await infoWith([
      el(0x00181151, 'IS', '18'),
      el(0x00188151, 'DS', '18250'),
      el(0x00181150, 'IS', '12'),
      el(0x00188150, 'DS', '11800'),
      el(0x00181152, 'IS', '0'),
      el(0x00181153, 'IS', '216'),
    ]);
    expect(info.exposure).toEqual({ tubeCurrentMa: 18.25, exposureTimeMs: 11.8, exposureMas: 0.216 });
  });

  it('reads the Irradiation Event UID and when the run was acquired', async () => {
    const info = await infoWith([el(0x00083010, 'UI', '1.2.3.99'), el(0x00080022, 'DA', '20240312'), el(0x00080032, 'TM', '102000')]);
    expect(info.dose.irradiationEventUIDs).toEqual(['1.2.3.99']);
    expect(info.acquisitionDateTime).toBe('20240312102000');
    expect((await infoWith([el(0x0008002a, 'DT', '20240312102001.5')])).acquisitionDateTime).toBe('20240312102001.5');
    expect((await infoWith([])).acquisitionDateTime).toBe('');
  });

  it('reads Pixel Spacing Calibration Type and Description', async () => {
    const { spacing } = await infoWith([
      el(0x00280030, 'DS', '0.2\\0.2'),
      el(0x00280a02, 'CS', 'FIDUCIAL'),
      el(0x00280a04, 'LO', 'calibrated on a 25 mm sphere'),
    ]);
    expect(spacing.pixelSpacingCalibration).toEqual({ type: 'FIDUCIAL', description: 'calibrated on a 25 mm sphere' });
  });

  it('reads Pixel Aspect Ratio; the pixels take its shape only when no spacing gives one', async () => {
    const tall = await infoWith([el(0x00280034, 'IS', '2\\1')]);
    expect(tall.spacing.pixelAspectRatio).toEqual({ vertical: 2, horizontal: 1 });
    expect(tall.spacing.preferred).toBeNull();
    expect(pixelShape(tall.spacing)).toEqual({ row: 2, column: 1 });
    expect(shownAspect({ columns: 256, rows: 128, spacing: tall.spacing })).toBe(1);
    expect(pixelShape((await infoWith([el(0x00280034, 'IS', '4\\5')])).spacing)).toEqual({ row: 0.8, column: 1 });
    // A spacing says the shape in mm, and wins (DICOM sends Pixel Aspect Ratio only without one).
    const both = await infoWith([el(0x00280034, 'IS', '2\\1'), ips]);
    expect(pixelShape(both.spacing)).toEqual({ row: 0.4, column: 0.36 });
    // 1:1 is square pixels, said as nothing; what is not a ratio is noted and the pixels stay square.
    expect((await infoWith([el(0x00280034, 'IS', '3\\3')])).spacing.pixelAspectRatio).toBeUndefined();
    const broken = await infoWith([el(0x00280034, 'IS', '0\\1')]);
    expect(broken.spacing.pixelAspectRatio).toBeUndefined();
    expect(broken.spacing.notes).toEqual(['Pixel Aspect Ratio (0028,0034) "0\\1" is not usable; pixels are shown square']);
    expect(pixelShape(broken.spacing)).toEqual({ row: 1, column: 1 });
    expect(pixelShape((await infoWith([])).spacing)).toEqual({ row: 1, column: 1 });
  });

  it('leaves empty attributes out instead of reading them as 0', async () => {
    const info = await infoWith([el(0x00180060, 'DS', ''), el(0x00181152, 'IS', ''), el(0x00181510, 'DS', '')]);
    expect(info.exposure).toEqual({});
    expect(info.positioner).toBeNull();
  });
});

describe('buildRunInfo: display attributes', () => {
  it('reads a rectangular and circular shutter', async () => {
    const { shutter } = await infoWith([
      el(0x00181600, 'CS', 'RECTANGULAR\\CIRCULAR'),
      el(0x00181602, 'IS', '10'),
      el(0x00181604, 'IS', '500'),
      el(0x00181606, 'IS', '20'),
      el(0x00181608, 'IS', '490'),
      el(0x00181610, 'IS', '256\\250'),
      el(0x00181612, 'IS', '240'),
    ]);
    expect(shutter).toEqual({
      shapes: ['RECTANGULAR', 'CIRCULAR'],
      rectangular: { left: 10, right: 500, upper: 20, lower: 490 },
      circular: { centerRow: 256, centerColumn: 250, radius: 240 },
    });
  });

  it('keeps each image’s window in a series whose spot images store different ones, and one window otherwise', async () => {
    const windowed = (uid: string, center: string, width: string) =>
      headerWith([el(0x00281050, 'DS', center), el(0x00281051, 'DS', width)], 1, { uid });
    const same = buildRunInfo([await windowed('1.9.1', '140', '230'), await windowed('1.9.2', '140', '230')]);
    expect(same.voi).toEqual({ windows: [{ center: 140, width: 230 }] });
    // Written otherwise, the same window.
    const rewritten = buildRunInfo([await windowed('1.9.1', '140', '230'), await windowed('1.9.2', '140.0', '230.00')]);
    expect(rewritten.voi.perImage).toBeUndefined();
    const own = buildRunInfo([
      await windowed('1.9.1', '140', '230'),
      await windowed('1.9.2', '152', '246'),
      await windowed('1.9.3', '136\\100', '234\\400'),
    ]);
    expect(own.voi.windows).toEqual([{ center: 140, width: 230 }]);
    expect(own.voi.perImage).toEqual([
      [{ center: 140, width: 230 }],
      [{ center: 152, width: 246 }],
      [
        { center: 136, width: 234 },
        { center: 100, width: 400 },
      ],
    ]);
    expect(windowsOfFrame(own.voi, 2)).toEqual([{ center: 152, width: 246 }]);
    expect(windowsOfFrame(own.voi, 3)[0]).toEqual({ center: 136, width: 234 });
    expect(windowsOfFrame(same.voi, 2)).toEqual([{ center: 140, width: 230 }]);
    // An image without a window has no own display: all are shown in the first image's, as before.
    const oneWithout = buildRunInfo([await windowed('1.9.1', '140', '230'), await headerWith([], 1, { uid: '1.9.4' })]);
    expect(oneWithout.voi).toEqual({ windows: [{ center: 140, width: 230 }] });
    // A multi-frame run has one header, so one window.
    expect((await infoWith([el(0x00281050, 'DS', '140'), el(0x00281051, 'DS', '230')])).voi.perImage).toBeUndefined();
  });

  it('reads Patient Orientation, and none when malformed or when the images of a series differ', async () => {
    expect((await infoWith([el(0x00200020, 'CS', 'L\\F')])).patientOrientation).toEqual({ row: 'L', column: 'F' });
    expect((await infoWith([el(0x00200020, 'CS', 'LP\\FL')])).patientOrientation).toEqual({ row: 'LP', column: 'FL' });
    expect((await infoWith([el(0x00200020, 'CS', '')])).patientOrientation).toBeNull();
    expect((await infoWith([el(0x00200020, 'CS', 'L')])).patientOrientation).toBeNull();
    expect((await infoWith([el(0x00200020, 'CS', 'X\\F')])).patientOrientation).toBeNull();
    expect((await infoWith([])).patientOrientation).toBeNull();
    const oriented = (uid: string, value: string) => headerWith([el(0x00200020, 'CS', value)], 1, { uid });
    expect(buildRunInfo([await oriented('1.9.1', 'L\\F'), await oriented('1.9.2', 'L\\F')]).patientOrientation).toEqual({
      row: 'L',
      column: 'F',
    });
    // An AP and a lateral spot image: no one orientation for the run, each frame its image's.
    const mixed = buildRunInfo([await oriented('1.9.1', 'L\\F'), await oriented('1.9.2', 'P\\F')]);
    expect(mixed.patientOrientation).toBeNull();
    expect(factsOfFrame(mixed, 1).patientOrientation).toEqual({ row: 'L', column: 'F' });
    expect(factsOfFrame(mixed, 2).patientOrientation).toEqual({ row: 'P', column: 'F' });
  });

  it('reads a polygonal shutter, and none when absent', async () => {
    expect((await infoWith([el(0x00181600, 'CS', 'POLYGONAL'), el(0x00181620, 'IS', '0\\0\\0\\100\\100\\50')])).shutter).toEqual({
      shapes: ['POLYGONAL'],
      polygonal: [0, 0, 0, 100, 100, 50],
    });
    expect((await infoWith([])).shutter).toBeNull();
  });

  it('reads the mask subtraction of a DSA run', async () => {
    const { maskSubtraction } = await infoWith([
      el(0x00286100, 'SQ', [[el(0x00286101, 'CS', 'AVG_SUB'), el(0x00286110, 'US', [1, 2]), el(0x00286190, 'ST', 'two-frame mask')]]),
    ]);
    expect(maskSubtraction).toEqual({ operation: 'AVG_SUB', maskFrames: [1, 2], description: 'two-frame mask' });
  });

  it('reads the shutter presentation value, a CIELab colour and a bitmap overlay group', async () => {
    const { shutter } = await infoWith([
      el(0x00181600, 'CS', 'CIRCULAR'),
      el(0x00181610, 'IS', '257\\257'),
      el(0x00181612, 'IS', '240'),
      el(0x00181622, 'US', [0x8000]),
      el(0x00181624, 'US', [65535, 32896, 32896]),
      el(0x00181623, 'US', [0x6000]),
    ]);
    expect(shutter).toEqual({
      shapes: ['CIRCULAR'],
      circular: { centerRow: 257, centerColumn: 257, radius: 240 },
      presentationValue: 0x8000,
      presentationColorCIELab: [65535, 32896, 32896],
      overlayGroup: 0x6000,
    });
  });

  it('names shutter shapes it cannot use', async () => {
    const { shutter } = await infoWith([
      el(0x00181600, 'CS', 'RECTANGULAR\\POLYGONAL\\CIRCULAR'),
      el(0x00181602, 'IS', '10'),
      el(0x00181620, 'IS', '1\\1\\1\\100\\100'),
      el(0x00181610, 'IS', '256'),
    ]);
    expect(shutter?.rectangular).toBeUndefined();
    expect(shutter?.polygonal).toBeUndefined();
    expect(shutter?.circular).toBeUndefined();
    expect(shutter?.notes).toEqual([
      'RECTANGULAR shutter without all four edges (0018,1602–1608); not applied',
      'CIRCULAR shutter without a usable centre (0018,1610) and radius (0018,1612); not applied',
      'POLYGONAL shutter without at least three row\\column vertices (0018,1620); not applied',
    ]);
  });

  it("finds an enhanced object's shutter in the Frame Display Shutter Sequence of the shared functional groups", async () => {
    const { shutter } = await infoWith([
      el(0x52009229, 'SQ', [
        [
          el(0x00189472, 'SQ', [
            [
              el(0x00181600, 'CS', 'RECTANGULAR'),
              ...['1', '400', '2', '300'].map((v, i) => el(0x00181602 + 2 * i, 'IS', v)),
              el(0x00181622, 'US', [0]),
            ],
          ]),
        ],
      ]),
    ]);
    expect(shutter).toEqual({ shapes: ['RECTANGULAR'], rectangular: { left: 1, right: 400, upper: 2, lower: 300 }, presentationValue: 0 });
  });

  it('reads every mask item with its frame ranges, sub-pixel shift (row first), TID offset and item id', async () => {
    const { maskSubtraction, subtraction } = await infoWith(
      [
        el(0x00281090, 'CS', 'SUB'),
        el(0x00286100, 'SQ', [
          [
            el(0x00286101, 'CS', 'AVG_SUB'),
            el(0x00286110, 'US', [1, 2, 3]),
            el(0x00286102, 'US', [4, 10, 14, 20]),
            el(0x00286114, 'FL', [0.5, -1.25]),
            el(0x00289416, 'US', [1]),
          ],
          [el(0x00286101, 'CS', 'TID'), el(0x00286120, 'SS', [-2])],
        ]),
      ],
      20,
    );
    expect(subtraction.recommendedViewingMode).toBe('SUB');
    expect(subtraction.items).toEqual([
      {
        operation: 'AVG_SUB',
        maskFrames: [1, 2, 3],
        applicableFrameRanges: [
          { first: 4, last: 10 },
          { first: 14, last: 20 },
        ],
        maskSubPixelShift: { rowShift: 0.5, columnShift: -1.25 },
        subtractionItemId: 1,
      },
      { operation: 'TID', tidOffset: -2 },
    ]);
    expect(maskSubtraction).toEqual(subtraction.items[0]);
    expect(subtraction.framePixelShifts).toEqual([]);
  });

  it('reads per-frame pixel shifts from the Per-frame Functional Groups', async () => {
    const frameGroup = (row: number, column: number) => [
      el(0x00289415, 'SQ', [[el(0x00289416, 'US', [1]), el(0x00286114, 'FL', [row, column])]]),
    ];
    const { subtraction } = await infoWith([el(0x52009230, 'SQ', [[], frameGroup(0.25, 0.5), frameGroup(-1, 2)])], 3);
    expect(subtraction.framePixelShifts).toEqual([
      { frame: 2, subtractionItemId: 1, rowShift: 0.25, columnShift: 0.5 },
      { frame: 3, subtractionItemId: 1, rowShift: -1, columnShift: 2 },
    ]);
  });

  it('reads the Pixel Intensity Relationship and its sign', async () => {
    const lin = await infoWith([el(0x00281040, 'CS', 'LIN')]);
    expect([lin.pixelIntensityRelationship, lin.pixelIntensityRelationshipSign]).toEqual(['LIN', null]);
    const log = await infoWith([el(0x00281040, 'CS', 'LOG'), el(0x00281041, 'SS', [-1])]);
    expect([log.pixelIntensityRelationship, log.pixelIntensityRelationshipSign]).toEqual(['LOG', -1]);
    expect((await infoWith([])).pixelIntensityRelationship).toBe('');
  });

  it('keeps every window pair with its explanation and drops unusable ones', async () => {
    const { voi } = await infoWith([
      el(0x00281050, 'DS', '128\\40\\x'),
      el(0x00281051, 'DS', '256\\0.5\\10'),
      el(0x00281055, 'LO', 'NORMAL\\NARROW\\BAD'),
      el(0x00281056, 'CS', 'SIGMOID'),
    ]);
    expect(voi).toEqual({ windows: [{ center: 128, width: 256, explanation: 'NORMAL' }], lutFunction: 'SIGMOID' });
    expect(voiFunctionOf(voi)).toBe('SIGMOID');
  });

  it('takes the VOI LUT Function the standard defines, and LINEAR for anything else', () => {
    const fn = (lutFunction?: string) => voiFunctionOf({ windows: [], ...(lutFunction === undefined ? {} : { lutFunction }) });
    expect([fn(), fn('LINEAR'), fn('linear_exact '), fn('SIGMOID'), fn('LOG'), fn('')]).toEqual([
      'LINEAR',
      'LINEAR',
      'LINEAR_EXACT',
      'SIGMOID',
      'LINEAR',
      'LINEAR',
    ]);
  });

  it('defaults rescale to 1/0 and records it when present', async () => {
    expect((await infoWith([])).modalityLut).toEqual({ kind: 'rescale', slope: 1, intercept: 0 });
    expect((await infoWith([el(0x00281052, 'DS', '-1024'), el(0x00281053, 'DS', '2'), el(0x00281054, 'LO', 'HU')])).modalityLut).toEqual({
      kind: 'rescale',
      slope: 2,
      intercept: -1024,
      type: 'HU',
    });
  });

  it('reads a Modality LUT Sequence, with 0 entries meaning 65536 and OW data', async () => {
    const data = Array.from({ length: 65536 }, (_, i) => 65535 - i);
    const ow = new Uint8Array(new Uint16Array(data).buffer);
    const { modalityLut } = await infoWith([
      el(0x00283000, 'SQ', [[el(0x00283002, 'US', [0, 0, 16]), el(0x00283004, 'LO', 'US'), el(0x00283006, 'OW', ow)]]),
    ]);
    expect(modalityLut.kind).toBe('sequence');
    if (modalityLut.kind !== 'sequence') return;
    expect(modalityLut).toMatchObject({ numberOfEntries: 65536, firstValueMapped: 0, bitsPerEntry: 16, type: 'US' });
    expect(modalityLut.data.length).toBe(65536);
    expect(modalityLut.data[1]).toBe(65534);
  });

  it('reads signed first-mapped values for signed pixels', async () => {
    const { modalityLut } = await infoWith([
      el(0x00280103, 'US', [1]),
      el(0x00283000, 'SQ', [[el(0x00283002, 'US', [4, 0xfffe, 12]), el(0x00283006, 'US', [1, 2, 3, 4])]]),
    ]);
    expect(modalityLut).toMatchObject({ kind: 'sequence', firstValueMapped: -2, numberOfEntries: 4, data: [1, 2, 3, 4] });
  });
});

describe('buildRunInfo: identity', () => {
  it('fills patient, study, series and pixel fields', async () => {
    const info = await infoWith([
      el(0x00100010, 'PN', 'Doe^Jane^Q^Dr.'),
      el(0x00100020, 'LO', 'P-1'),
      el(0x00080020, 'DA', '20240312'),
      el(0x00081030, 'LO', 'L4 TFESI'),
      el(0x00200011, 'IS', '3'),
      el(0x00200013, 'IS', '7'),
      el(0x00080008, 'CS', 'ORIGINAL\\PRIMARY\\SINGLE PLANE'),
      el(0x00282110, 'CS', '01'),
    ]);
    expect(info.patient).toEqual({ name: 'Doe^Jane^Q^Dr.', id: 'P-1', birthDate: '', sex: '' });
    expect(info.study).toMatchObject({ date: '20240312', description: 'L4 TFESI', instanceUID: '1.2.3.4' });
    expect(info.series).toEqual({ instanceUID: '1.2.3.4.1', number: 3, description: '', modality: 'XA' });
    expect(info.instanceNumber).toBe(7);
    expect(info.imageType).toEqual(['ORIGINAL', 'PRIMARY', 'SINGLE PLANE']);
    expect(info.lossy).toEqual({ methods: [], ratios: [] });
    expect(info).toMatchObject({ rows: 2, columns: 2, bitsAllocated: 8, bitsStored: 8, highBit: 7, frameCount: 4, planarConfiguration: 0 });
  });

  it('calls a series lossy when any of its images is, with every method and ratio recorded', async () => {
    const image = (uid: string, extra: ElementSpec[]) => headerWith(extra, 1, { uid });
    const original = await image('1.9.1', []);
    const compressed = await image('1.9.2', [el(0x00282110, 'CS', '01'), el(0x00282112, 'DS', '8.5'), el(0x00282114, 'CS', 'ISO_10918_1')]);
    expect(buildRunInfo([original, await image('1.9.3', [])]).lossy).toBeNull();
    expect(buildRunInfo([original, compressed]).lossy).toEqual({ methods: ['ISO_10918_1'], ratios: [8.5] });
    // Once lossy, always (00 after 01 is not allowed, PS3.3 C.7.6.1.1.5): the retired tag counts too.
    expect(buildRunInfo([await image('1.9.4', [el(0x00082110, 'CS', '01')])]).lossy).toEqual({ methods: [], ratios: [] });
  });
});

describe('buildRunInfo: Presentation LUT Shape', () => {
  it('keeps a defined term, in capitals; an absent or unknown shape leaves no field', async () => {
    expect((await infoWith([el(0x20500020, 'CS', 'INVERSE')])).presentationLutShape).toBe('INVERSE');
    expect((await infoWith([el(0x20500020, 'CS', 'identity')])).presentationLutShape).toBe('IDENTITY');
    expect('presentationLutShape' in (await infoWith([el(0x20500020, 'CS', 'LIN OD')]))).toBe(false);
    expect('presentationLutShape' in (await infoWith([]))).toBe(false);
  });
});

describe('buildRunInfo: VOI LUT Sequence', () => {
  it('reads every item with its explanation, words or (8-bit entries) bytes, beside the windows', async () => {
    const { voi } = await infoWith([
      el(0x00281050, 'DS', '128'),
      el(0x00281051, 'DS', '256'),
      el(0x00283010, 'SQ', [
        [el(0x00283002, 'US', [4, 10, 12]), el(0x00283003, 'LO', 'NORMAL'), el(0x00283006, 'US', [0, 100, 4000, 4095])],
        [el(0x00283002, 'US', [4, 0, 8]), el(0x00283006, 'OW', new Uint8Array([0, 50, 200, 255]))],
      ]),
    ]);
    expect(voi.windows).toEqual([{ center: 128, width: 256 }]);
    expect(voi.luts).toEqual([
      { firstValueMapped: 10, numberOfEntries: 4, bitsPerEntry: 12, data: [0, 100, 4000, 4095], explanation: 'NORMAL' },
      { firstValueMapped: 0, numberOfEntries: 4, bitsPerEntry: 8, data: [0, 50, 200, 255], explanation: '' },
    ]);
  });

  it('reads the first value mapped as signed for signed pixels, and skips items without data', async () => {
    const { voi } = await infoWith([
      el(0x00280103, 'US', [1]),
      el(0x00283010, 'SQ', [
        [el(0x00283002, 'US', [2, 0xff00, 16])],
        [el(0x00283002, 'US', [2, 0xff00, 16]), el(0x00283006, 'US', [0, 65535])],
      ]),
    ]);
    expect(voi.luts).toEqual([{ firstValueMapped: -256, numberOfEntries: 2, bitsPerEntry: 16, data: [0, 65535], explanation: '' }]);
  });

  it('has no luts when the file stores none', async () => {
    expect((await infoWith([])).voi.luts).toBeUndefined();
  });

  describe('in a series of single frames', () => {
    const lutItem = (first: number, data: number[], explanation?: string) => [
      el(0x00283002, 'US', [data.length, first, 12]),
      ...(explanation ? [el(0x00283003, 'LO', explanation)] : []),
      el(0x00283006, 'US', data),
    ];
    const image = (uid: string, items: ElementSpec[][], extra: ElementSpec[] = []) =>
      headerWith([el(0x00283010, 'SQ', items), ...extra], 1, { uid });
    const lut = (first: number, data: number[], explanation = '') => ({
      firstValueMapped: first,
      numberOfEntries: data.length,
      bitsPerEntry: 12,
      data,
      explanation,
    });

    it("keeps each image's tables when the images store different ones and no window", async () => {
      const info = buildRunInfo([
        await image('1.8.1', [lutItem(0, [0, 4095], 'NORMAL'), lutItem(0, [0, 2000], 'SOFT')]),
        await image('1.8.2', [lutItem(10, [0, 1000, 4095], 'NORMAL'), lutItem(10, [0, 3000], 'SOFT')]),
        await image('1.8.3', [lutItem(20, [0, 4095])]),
      ]);
      expect(info.voi.luts).toEqual([lut(0, [0, 4095], 'NORMAL'), lut(0, [0, 2000], 'SOFT')]);
      expect(info.voi.perImageLuts).toEqual([
        [lut(0, [0, 4095], 'NORMAL'), lut(0, [0, 2000], 'SOFT')],
        [lut(10, [0, 1000, 4095], 'NORMAL'), lut(10, [0, 3000], 'SOFT')],
        [lut(20, [0, 4095])],
      ]);
      expect(lutsOfFrame(info.voi, 2)[0]).toEqual(lut(10, [0, 1000, 4095], 'NORMAL'));
      expect(openingVoiLut(info.voi, 3)).toEqual(lut(20, [0, 4095]));
      expect(openingVoiLut(info.voi)).toEqual(lut(0, [0, 4095], 'NORMAL'));
      // Going to another image keeps the place in its list, else its first table.
      expect(lutFollowing(info.voi, info.voi.perImageLuts![0][1], 2)).toEqual(lut(10, [0, 3000], 'SOFT'));
      expect(lutFollowing(info.voi, info.voi.perImageLuts![1][1], 3)).toEqual(lut(20, [0, 4095]));
      expect(lutFollowing(info.voi, lut(5, [1, 2]), 2)).toBeNull();
    });

    it('keeps one list when the tables are the same, or an image stores a window or no table', async () => {
      const same = buildRunInfo([await image('1.8.1', [lutItem(0, [0, 4095], 'A')]), await image('1.8.2', [lutItem(0, [0, 4095], 'B')])]);
      expect(same.voi.perImageLuts).toBeUndefined();
      expect(lutsOfFrame(same.voi, 2)).toEqual([lut(0, [0, 4095], 'A')]);
      const windowed = buildRunInfo([
        await image('1.8.1', [lutItem(0, [0, 4095])]),
        await image('1.8.2', [lutItem(0, [0, 2000])], [el(0x00281050, 'DS', '100'), el(0x00281051, 'DS', '200')]),
      ]);
      expect(windowed.voi.perImageLuts).toBeUndefined();
      const without = buildRunInfo([await image('1.8.1', [lutItem(0, [0, 4095])]), await headerWith([], 1, { uid: '1.8.2' })]);
      expect(without.voi.perImageLuts).toBeUndefined();
      expect(openingVoiLut(without.voi, 2)).toEqual(lut(0, [0, 4095]));
    });
  });
});
