import { describe, expect, it } from 'vitest';
import type { FrameTiming, RunInfo } from '../../src/dicom/types';
import { formatPositionerAngles } from '../../src/format/angles';
import { formatLossy, overlayCorners, presentationCorners, type OverlayPlayback } from '../../src/format/corners';
import { formatDicomDate, formatDicomTime, formatPersonName } from '../../src/format/dicomValues';
import { formatFrameRate } from '../../src/format/rate';

function regularTiming(frameCount: number, fps: number, source: FrameTiming['source'] = 'Frame Time'): FrameTiming {
  const frameMs = 1000 / fps;
  return {
    frameStartMs: Array.from({ length: frameCount }, (_, i) => i * frameMs),
    durationMs: frameCount * frameMs,
    nominalFps: fps,
    source,
    notes: [],
  };
}

function sampleRun(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    patient: { name: 'DOE^Jane^Q', id: 'MRN-0042', birthDate: '19610305', sex: 'F' },
    study: {
      instanceUID: '1.2.3',
      date: '20240315',
      time: '140327.123456',
      description: 'L5-S1 TFESI right',
      accessionNumber: 'A1',
      institution: 'Spine Center',
    },
    series: { instanceUID: '1.2.3.4', number: 3, description: 'Contrast run AP', modality: 'XA' },
    sopClassUID: '1.2.840.10008.5.1.4.1.1.12.1',
    sopInstanceUIDs: ['1.2.3.4.5'],
    instanceNumber: 1,
    instances: [],
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    imageType: ['ORIGINAL', 'PRIMARY', 'SINGLE PLANE'],
    lossy: null,
    patientOrientation: null,
    rows: 1024,
    columns: 1024,
    bitsAllocated: 8,
    bitsStored: 8,
    highBit: 7,
    pixelRepresentation: 0,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    frameCount: 60,
    timing: regularTiming(60, 15),
    cineDisplay: { trim: null, sequencing: null },
    spacing: { preferred: null, candidates: [] },
    positioner: { primaryAngleDeg: -32, secondaryAngleDeg: 2 },
    exposure: { kvp: 78, tubeCurrentMa: 3.2, exposureTimeMs: 12, exposureMas: 0.04 },
    dose: { fluoroscopyTimeS: 42.5, areaDoseProduct: 1.234, entranceDoseMgy: 3.4 },
    acquisitionDateTime: '20240315140327',
    shutter: null,
    maskSubtraction: null,
    subtraction: { items: [], recommendedViewingMode: '', framePixelShifts: [] },
    pixelIntensityRelationship: '',
    pixelIntensityRelationshipSign: null,
    voi: { windows: [] },
    modalityLut: { kind: 'rescale', slope: 1, intercept: 0 },
    ...overrides,
  };
}

const atFrame12: OverlayPlayback = { frame: 12, elapsedSeconds: 11 / 15 };

describe('positioner angles', () => {
  it('names primary +/− as LAO/RAO and secondary +/− as CRAN/CAUD', () => {
    expect(formatPositionerAngles(-32, 2)).toBe('RAO 32° CRAN 2°');
    expect(formatPositionerAngles(25, -10)).toBe('LAO 25° CAUD 10°');
  });

  it('calls 0° AP, omits a zero tilt, keeps one decimal and calls ±180° PA', () => {
    expect(formatPositionerAngles(0, 0)).toBe('AP');
    expect(formatPositionerAngles(-0.04, 0.02)).toBe('AP');
    expect(formatPositionerAngles(0, 15)).toBe('AP CRAN 15°');
    expect(formatPositionerAngles(90, 0)).toBe('LAO 90°');
    expect(formatPositionerAngles(-12.46, -3.5)).toBe('RAO 12.5° CAUD 3.5°');
    expect(formatPositionerAngles(180, 0)).toBe('PA');
    expect(formatPositionerAngles(Number.NaN, Number.NaN)).toBeNull();
  });
});

describe('names, dates and times', () => {
  it('formats person names as "FAMILY, Given"', () => {
    expect(formatPersonName('Doe^Jane')).toBe('DOE, Jane');
    expect(formatPersonName('DOE^JANE^Q^Dr^Jr')).toBe('DOE, Dr JANE Q, Jr');
    expect(formatPersonName('Yamada^Tarou=山田^太郎=やまだ^たろう')).toBe('YAMADA, Tarou');
    expect(formatPersonName('Anonymous')).toBe('ANONYMOUS');
    expect(formatPersonName('^Jane')).toBe('Jane');
    expect(formatPersonName(' DOE ^ Jane \u0000')).toBe('DOE, Jane');
    // Cases of the second copy that lived in dicom/runInfo.ts (deleted: one formatter for names).
    expect(formatPersonName('Doe^Jane^Q^Dr.^PhD')).toBe('DOE, Dr. Jane Q, PhD');
    expect(formatPersonName('^^^^')).toBe('');
    expect(formatPersonName('')).toBe('');
  });

  it('formats DA as YYYY-MM-DD and keeps what it cannot parse', () => {
    expect(formatDicomDate('19610305')).toBe('1961-03-05');
    expect(formatDicomDate('1961.03.05')).toBe('1961-03-05');
    expect(formatDicomDate('19611305')).toBe('19611305');
    expect(formatDicomDate('unknown')).toBe('unknown');
    expect(formatDicomDate(undefined)).toBe('');
  });

  it('formats TM as HH:MM:SS without the fraction', () => {
    expect(formatDicomTime('140327.123456')).toBe('14:03:27');
    expect(formatDicomTime('1403')).toBe('14:03');
    expect(formatDicomTime('14')).toBe('14:00');
    expect(formatDicomTime('14:03:27')).toBe('14:03:27');
    expect(formatDicomTime('2503')).toBe('2503');
  });
});

describe('overlay corners', () => {
  it('fills all four corners of a complete run', () => {
    expect(overlayCorners(sampleRun(), atFrame12)).toEqual({
      topLeft: ['DOE, Jane Q', 'ID MRN-0042', 'DOB 1961-03-05', 'Sex F'],
      topRight: ['2024-03-15 14:03:27', 'Spine Center', 'L5-S1 TFESI right'],
      bottomLeft: ['Contrast run AP', 'Series 3 · Instance 1', 'Frame 12 / 60', 't = 0.73 s', '15 fps'],
      bottomRight: [
        '78 kVp · 3.2 mA',
        'Exposure 12 ms · 0.04 mAs',
        'RAO 32° CRAN 2°',
        'Fluoro time 42.5 s',
        'DAP 1.23 dGy·cm²',
        'Entrance dose 3.4 mGy',
      ],
    });
  });

  it('says under the run’s numbers that its pixels went through lossy compression, with method and ratio', () => {
    const lossy = { ...sampleRun(), lossy: { methods: ['ISO_10918_1'], ratios: [12.702] } };
    expect(overlayCorners(lossy, atFrame12).bottomLeft.slice(0, 3)).toEqual([
      'Contrast run AP',
      'Series 3 · Instance 1',
      'Lossy compressed: JPEG 12.7:1',
    ]);
    expect(presentationCorners(lossy, atFrame12).topLeft).toContain('Lossy compressed: JPEG 12.7:1');
    expect(formatLossy({ methods: ['ISO_10918_1'], ratios: [] })).toBe('Lossy compressed: JPEG');
    // Compressed twice: both steps. An unknown method is named as written; none known: the fact alone.
    expect(formatLossy({ methods: ['ISO_15444_1', 'ISO_10918_1'], ratios: [10, 2.5] })).toBe(
      'Lossy compressed: JPEG 2000, JPEG 10:1, 2.5:1',
    );
    expect(formatLossy({ methods: ['VENDOR_X'], ratios: [] })).toBe('Lossy compressed: VENDOR_X');
    expect(formatLossy({ methods: [], ratios: [] })).toBe('Lossy compressed');
    expect(formatLossy(null)).toBeNull();
  });

  it('spreads the run over the four corners for presentation, with no patient or study text', () => {
    const corners = presentationCorners(sampleRun(), atFrame12);
    expect(corners).toEqual({
      topLeft: ['Contrast run AP', 'Series 3 · Instance 1'],
      topRight: ['78 kVp · 3.2 mA', 'Exposure 12 ms · 0.04 mAs', 'RAO 32° CRAN 2°'],
      bottomLeft: ['Frame 12 / 60', 't = 0.73 s', '15 fps'],
      bottomRight: ['Fluoro time 42.5 s', 'DAP 1.23 dGy·cm²', 'Entrance dose 3.4 mGy'],
    });
    // The same lines as the bottom corners of the full overlay, and nothing from the top ones.
    const full = overlayCorners(sampleRun(), atFrame12);
    expect(Object.values(corners).flat()).toEqual([
      ...full.bottomLeft.slice(0, 2),
      ...full.bottomRight.slice(0, 3),
      ...full.bottomLeft.slice(2),
      ...full.bottomRight.slice(3),
    ]);
  });

  it('omits missing values instead of writing "undefined" or empty lines', () => {
    const run = sampleRun({
      patient: { name: '', id: 'MRN-1', birthDate: '', sex: '' },
      study: { instanceUID: '1', date: '', time: '101500', description: '', accessionNumber: '', institution: '' },
      series: { instanceUID: '2', number: null, description: '', modality: 'XA' },
      instanceNumber: null,
      positioner: null,
      exposure: { kvp: 70 },
      dose: {},
    });
    const corners = overlayCorners(run, { frame: 1, elapsedSeconds: 0 });
    expect(corners).toEqual({
      topLeft: ['ID MRN-1'],
      topRight: ['10:15:00'],
      bottomLeft: ['Frame 1 / 60', 't = 0.00 s', '15 fps'],
      bottomRight: ['70 kVp'],
    });
    const text = Object.values(corners).flat().join('\n');
    expect(text).not.toMatch(/undefined|null|NaN/);
  });

  it('gives a single image its frame and no time or rate (it has none to tell)', () => {
    const single = sampleRun({ frameCount: 1, timing: regularTiming(1, 15, 'default') });
    const lines = overlayCorners(single, { frame: 1, elapsedSeconds: 0 }).bottomLeft;
    expect(lines.slice(-1)).toEqual(['Frame 1 / 1']);
    expect(lines.join('\n')).not.toMatch(/t = |fps/);
  });

  it('tells the number, projection and technique of the image on screen in a series of single frames, not the first one', () => {
    const facts = (instanceNumber: number | null, primary: number, kvp: number) => ({
      instanceNumber,
      positioner: { primaryAngleDeg: primary, secondaryAngleDeg: 0 },
      exposure: { kvp },
      patientOrientation: null,
    });
    const spots = sampleRun({
      frameCount: 4,
      timing: regularTiming(4, 1),
      sopInstanceUIDs: ['1.2.3.4.11', '1.2.3.4.12', '1.2.3.4.13', '1.2.3.4.14'],
      instanceNumber: 3,
      positioner: { primaryAngleDeg: 0, secondaryAngleDeg: 0 },
      exposure: { kvp: 70 },
      instances: [facts(3, 0, 70), facts(5, 30, 75), facts(7, -30, 80), facts(null, 90, 85)],
    });
    const corners = (frame: number) => overlayCorners(spots, { frame, elapsedSeconds: frame - 1 });
    expect([1, 2, 3, 4].map((f) => corners(f).bottomLeft[1])).toEqual([
      'Series 3 · Instance 3',
      'Series 3 · Instance 5',
      'Series 3 · Instance 7',
      'Series 3',
    ]);
    // Technique and projection come first; the run's dose lines follow.
    expect([1, 2, 3, 4].map((f) => corners(f).bottomRight.slice(0, 2))).toEqual([
      ['70 kVp', 'AP'],
      ['75 kVp', formatPositionerAngles(30, 0)],
      ['80 kVp', formatPositionerAngles(-30, 0)],
      ['85 kVp', formatPositionerAngles(90, 0)],
    ]);
    const presented = presentationCorners(spots, { frame: 2, elapsedSeconds: 1 });
    expect(presented.topLeft[1]).toBe('Series 3 · Instance 5');
    expect(presented.topRight).toContain(formatPositionerAngles(30, 0));
    // A multi-frame instance keeps its one number and projection on every frame.
    const multiFrame = sampleRun({ instanceNumber: 9, instances: [facts(9, 45, 90)] });
    expect(overlayCorners(multiFrame, atFrame12).bottomLeft[1]).toBe('Series 3 · Instance 9');
    expect(overlayCorners(multiFrame, atFrame12).bottomRight).toContain('RAO 32° CRAN 2°');
  });

  it('keeps text with markup as literal text', () => {
    const run = sampleRun({
      patient: { name: '<script>alert(1)</script>^<b>Jane</b>', id: '<img src=x onerror=alert(1)>', birthDate: '', sex: '' },
      series: { instanceUID: '2', number: 3, description: 'Run <script>x</script> & "AP"', modality: 'XA' },
    });
    const corners = overlayCorners(run, atFrame12);
    expect(corners.topLeft).toEqual(['<SCRIPT>ALERT(1)</SCRIPT>, <b>Jane</b>', 'ID <img src=x onerror=alert(1)>']);
    expect(corners.bottomLeft[0]).toBe('Run <script>x</script> & "AP"');
  });

  it('shows playback speed and measured rate when given', () => {
    const corners = overlayCorners(sampleRun(), { ...atFrame12, speed: 2, playbackFps: 29.84 });
    expect(corners.bottomLeft.at(-1)).toBe('Playback 2× · 29.8 fps');
    expect(overlayCorners(sampleRun(), { ...atFrame12, speed: 1 }).bottomLeft.at(-1)).toBe('15 fps');
  });
});

describe('frame rate wording', () => {
  it('writes a regular rate plainly and a fractional one with a decimal', () => {
    expect(formatFrameRate(regularTiming(10, 15, 'Frame Time'))).toBe('15 fps');
    expect(formatFrameRate(regularTiming(10, 7.5, 'Cine Rate'))).toBe('7.5 fps');
  });

  it('treats whole-ms Frame Time Vector rounding as regular', () => {
    const starts = [0, 66, 133, 200, 266, 333];
    expect(formatFrameRate({ frameStartMs: starts, durationMs: 400, nominalFps: 15, source: 'Frame Time Vector', notes: [] })).toBe(
      '15 fps',
    );
  });

  it('marks irregular timing with its source and an approximate rate', () => {
    const timing: FrameTiming = {
      frameStartMs: [0, 50, 150, 200, 400],
      durationMs: 406,
      nominalFps: 12.315,
      source: 'Frame Time Vector',
      notes: [],
    };
    expect(formatFrameRate(timing)).toBe('FTV, ~12.3 fps');
    expect(formatFrameRate({ ...timing, source: 'Acquisition times' })).toBe('Acquisition times, ~12.3 fps');
  });

  it('says when the rate is a fallback', () => {
    expect(formatFrameRate(regularTiming(10, 15, 'default'))).toBe('15 fps (assumed — no timing in file)');
    expect(formatFrameRate(regularTiming(10, 30, 'Recommended Display Frame Rate'))).toBe('30 fps (recommended display rate)');
    expect(formatFrameRate(regularTiming(10, 10, 'Acquisition times'))).toBe('10 fps (from acquisition times)');
  });
});
