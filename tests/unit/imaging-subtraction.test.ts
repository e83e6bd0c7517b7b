import { describe, expect, it } from 'vitest';
import type { RunInfo, SubtractionInfo } from '../../src/dicom/types';
import {
  NO_SHIFT,
  Subtractor,
  describeFrames,
  planFromFile,
  shiftImage,
  stepShift,
  subtractionModeFor,
  suggestWindow,
  userPlan,
} from '../../src/imaging/subtraction';

const LINEAR = subtractionModeFor({ pixelIntensityRelationship: 'DISP' });
const LOG = subtractionModeFor({ pixelIntensityRelationship: 'LIN' });

function image(
  rows: number,
  columns: number,
  f: (x: number, y: number) => number,
  Type: typeof Uint16Array | typeof Uint8Array = Uint16Array,
) {
  const out = new Type(rows * columns);
  for (let y = 0; y < rows; y++) for (let x = 0; x < columns; x++) out[y * columns + x] = Math.round(f(x, y));
  return out;
}

describe('subtraction mode', () => {
  it('subtracts in log space for LIN pixels and linearly otherwise, saying which and why', () => {
    expect(LOG).toEqual({ domain: 'log', description: expect.stringMatching(/^log subtraction \(Pixel Intensity Relationship LIN/) });
    expect(subtractionModeFor({ pixelIntensityRelationship: 'LOG' })).toMatchObject({
      domain: 'linear',
      description: expect.stringMatching(/LOG.*log subtraction/),
    });
    expect(LINEAR).toMatchObject({ domain: 'linear', description: expect.stringMatching(/^linear subtraction: .*DISP/) });
    expect(subtractionModeFor({ pixelIntensityRelationship: '' })).toMatchObject({
      domain: 'linear',
      description: 'linear subtraction: the file does not give a Pixel Intensity Relationship',
    });
  });
});

describe('mask arithmetic', () => {
  it('subtracts the average of the mask frames, linearly', () => {
    const s = new Subtractor({ rows: 2, columns: 3 }, LINEAR);
    s.setMask([Uint16Array.from([10, 20, 30, 40, 50, 60]), Uint16Array.from([12, 22, 32, 42, 52, 62])]);
    const out = new Float32Array(6);
    s.subtract(Uint16Array.from([11, 21, 31, 41, 51, 161]), out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 100]);
    s.subtractAveraged([Uint16Array.from([11, 21, 31, 41, 51, 61]), Uint16Array.from([13, 23, 33, 43, 53, 63])], out);
    expect(Array.from(out)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('gives the same log difference for the same contrast over thin and thick anatomy (LIN)', () => {
    // Contrast that removes 20 % of the intensity, over a background that varies 40-fold.
    const background = (x: number) => 100 + 40 * x * x;
    const mask = image(1, 32, background);
    const frame = image(1, 32, (x) => background(x) * 0.8);
    const log = new Subtractor({ rows: 1, columns: 32 }, LOG);
    log.setMask([mask]);
    const out = new Float32Array(32);
    log.subtract(frame, out);
    for (const v of out) expect(v).toBeCloseTo(Math.log(0.8), 2);
    const linear = new Subtractor({ rows: 1, columns: 32 }, LINEAR);
    linear.setMask([mask]);
    linear.subtract(frame, out);
    expect(out[31] / out[0]).toBeGreaterThan(30); // linear differences scale with the anatomy
  });

  it('handles 8-bit and signed frames, and zero (collimated) values in log space', () => {
    const s = new Subtractor({ rows: 1, columns: 3 }, LOG);
    s.setMask([Uint8Array.from([0, 100, 200])]);
    const out = new Float32Array(3);
    s.subtract(Uint8Array.from([0, 50, 200]), out);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(Math.log(0.5), 5);
    expect(out[2]).toBeCloseTo(0, 6);
    const signed = new Subtractor({ rows: 1, columns: 3 }, LOG);
    signed.setMask([Int16Array.from([-5, 100, 400])]);
    signed.subtract(Int16Array.from([-5, 200, 100]), out);
    expect(Array.from(out).map((v) => Number(v.toFixed(4)))).toEqual([
      0,
      Number(Math.log(2).toFixed(4)),
      Number(Math.log(0.25).toFixed(4)),
    ]);
  });

  it('refuses frames and buffers of the wrong size, and an empty mask', () => {
    const s = new Subtractor({ rows: 2, columns: 2 }, LINEAR);
    expect(() => s.setMask([])).toThrow(/at least one frame/);
    expect(() => s.setMask([new Uint16Array(3)])).toThrow(/2×2 run got 3 pixels/);
    s.setMask([new Uint16Array(4)]);
    expect(() => s.subtract(new Uint16Array(4), new Float32Array(5))).toThrow(/5-pixel buffer/);
  });
});

describe('mask shift', () => {
  it('copies whole-pixel shifts exactly, clamping at the edges', () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i); // 3 rows × 4 columns
    const out = new Float32Array(12);
    shiftImage(src, 3, 4, { dx: 1, dy: 0 }, out);
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 4, 4, 5, 6, 8, 8, 9, 10]);
    shiftImage(src, 3, 4, { dx: 0, dy: -1 }, out);
    expect(Array.from(out)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11]);
  });

  it('moves a plane by any sub-pixel amount exactly (bilinear reproduces linear functions)', () => {
    const rows = 20;
    const columns = 24;
    const plane = (x: number, y: number) => 3 * x + 2 * y + 7;
    const src = Float32Array.from({ length: rows * columns }, (_, i) => plane(i % columns, Math.floor(i / columns)));
    const out = new Float32Array(rows * columns);
    for (const shift of [
      { dx: 0.3, dy: -0.7 },
      { dx: -2.25, dy: 1.1 },
      { dx: 0.1, dy: 0 },
    ]) {
      shiftImage(src, rows, columns, shift, out);
      for (let y = 4; y < rows - 4; y++) {
        for (let x = 4; x < columns - 4; x++) expect(out[y * columns + x]).toBeCloseTo(plane(x - shift.dx, y - shift.dy), 4);
      }
    }
  });

  it('subtracts the shifted mask: a moved plane subtracts to zero once the shift is set', () => {
    const rows = 16;
    const columns = 16;
    const s = new Subtractor({ rows, columns }, LINEAR);
    s.setMask([image(rows, columns, (x, y) => 100 + 20 * x + 10 * y)]);
    const moved = image(rows, columns, (x, y) => 100 + 20 * (x - 1) + 10 * (y - 0.5));
    const out = new Float32Array(rows * columns);
    s.subtract(moved, out);
    expect(out[8 * columns + 8]).toBeCloseTo(-25, 4);
    s.setShift({ dx: 1, dy: 0.5 });
    expect(s.shift).toEqual({ dx: 1, dy: 0.5 });
    s.subtract(moved, out);
    expect(Math.abs(out[8 * columns + 8])).toBeLessThan(1e-3);
  });

  it('steps a manual shift in tenths of a pixel without rounding noise', () => {
    let shift = NO_SHIFT;
    for (let k = 0; k < 3; k++) shift = stepShift(shift, 0.1, -0.1);
    expect(shift).toEqual({ dx: 0.3, dy: -0.3 });
  });
});

describe('subtraction under a shutter', () => {
  it('leaves covered pixels and the seam a shifted mask would draw along the shutter edge at 0', () => {
    const rows = 6;
    const columns = 8;
    // Columns 0–1 covered (0 in the file), the rest a flat field of 1000.
    const field = Uint16Array.from({ length: rows * columns }, (_, i) => (i % columns < 2 ? 0 : 1000));
    const shown = Uint8Array.from(field, (v) => (v > 0 ? 1 : 0));
    const s = new Subtractor({ rows, columns }, LOG);
    s.setMask([field]);
    s.setShift({ dx: 0.5, dy: 0 });
    const out = new Float32Array(rows * columns);
    s.subtract(field, out);
    expect(out[2]).toBeGreaterThan(1); // column 2 reads half a covered pixel: a bright seam
    s.setShown(shown);
    s.subtract(field, out);
    expect(Array.from(out.subarray(0, columns)).map((v) => Math.abs(v) < 1e-6)).toEqual(Array(columns).fill(true));
    s.setShift({ dx: -0.5, dy: 0 });
    s.subtract(
      Uint16Array.from(field, (v) => (v ? 500 : 0)),
      out,
    );
    expect(out[2]).toBeCloseTo(Math.log(0.5), 5); // no covered tap any more: a real difference
    expect(out[1]).toBe(0);
    expect(() => s.setShown(new Uint8Array(3))).toThrow(/3 pixels, the run has 48/);
  });
});

describe('default window of a subtracted frame', () => {
  it('centres on the background and spans the contrast, between ±6 and ±15 noise sigmas', () => {
    let seed = 3;
    const uniform = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return (seed + 0.5) / 2 ** 32;
    };
    // Gaussian, σ = 2 (Box–Muller).
    const noise = () => 2 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const diff = Float32Array.from({ length: 100_000 }, (_, i) => noise() + (i % 50 === 0 ? -80 : 0));
    const w = suggestWindow(diff);
    expect(Math.abs(w.center)).toBeLessThan(0.3);
    // Dense contrast (−80, 40 σ) saturates: the window stops at 15 σ so faint uptake stays visible.
    expect(w.width / 2).toBeGreaterThan(15 * 1.8);
    expect(w.width / 2).toBeLessThan(15 * 2.2);
    const moderate = suggestWindow(Float32Array.from(diff, (v, i) => (i % 50 === 0 ? -20 : v)));
    expect(moderate.width / 2).toBeCloseTo(20, 0);
    const quiet = suggestWindow(Float32Array.from({ length: 10_000 }, () => noise()));
    expect(quiet.width / 2).toBeGreaterThanOrEqual(6 * 1.8);
    expect(quiet.width / 2).toBeLessThan(6 * 2.3);
  });

  it('pools several frames into one window, as wide as the contrast of any of them', () => {
    const quiet = Float32Array.from({ length: 40_000 }, (_, i) => ((i * 7919) % 13) / 6 - 1);
    const dense = Float32Array.from(quiet, (v, i) => (i % 20 === 0 ? v - 8 : v));
    const alone = suggestWindow(quiet);
    const pooled = suggestWindow([quiet, quiet, dense]);
    expect(pooled.width).toBeGreaterThan(1.5 * alone.width);
    expect(suggestWindow([quiet])).toEqual(alone);
  });

  it('leaves shuttered pixels out', () => {
    const diff = Float32Array.from({ length: 1000 }, (_, i) => (i < 500 ? -1000 : (i % 7) - 3));
    const shown = Uint8Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0 : 1));
    expect(suggestWindow(diff, shown).width).toBeLessThan(50);
    expect(suggestWindow(diff).width).toBeGreaterThan(1000);
  });
});

describe("the file's Mask Subtraction Sequence", () => {
  const run = (subtraction: Partial<SubtractionInfo>, frameCount = 20): Pick<RunInfo, 'subtraction' | 'frameCount'> => ({
    frameCount,
    subtraction: { items: [], recommendedViewingMode: '', framePixelShifts: [], ...subtraction },
  });

  it('averages the 1-based Mask Frame Numbers for frames in the Applicable Frame Range', () => {
    const info = run({
      items: [
        {
          operation: 'AVG_SUB',
          maskFrames: [1, 2, 3, 4],
          applicableFrameRanges: [{ first: 5, last: 20 }],
          maskSubPixelShift: { rowShift: -0.5, columnShift: 0.75 },
        },
      ],
    });
    expect(planFromFile(info, 8)).toEqual({
      kind: 'subtract',
      maskFrames: [1, 2, 3, 4],
      contrastFrames: [8],
      shift: { dx: 0.75, dy: -0.5 },
      source: 'Mask Subtraction Sequence item 1: AVG_SUB, mask frames 1–4',
      summary: 'AVG_SUB, mask frames 1–4',
    });
    expect(planFromFile(info, 3)).toEqual({
      kind: 'native',
      reason: 'frame 3 is outside every Applicable Frame Range of the Mask Subtraction Sequence',
    });
  });

  it('without a range, AVG_SUB applies up to the last frame minus the contrast averaging plus one', () => {
    const info = run({ items: [{ operation: 'AVG_SUB', maskFrames: [2], contrastFrameAveraging: [3] }] }, 10);
    expect(planFromFile(info, 8)).toMatchObject({ kind: 'subtract', maskFrames: [2], contrastFrames: [8, 9, 10] });
    expect(planFromFile(info, 9).kind).toBe('native');
  });

  it('TID subtracts the frame TID Offset earlier (1 by default), and later for a negative offset', () => {
    expect(planFromFile(run({ items: [{ operation: 'TID' }] }), 7)).toMatchObject({ maskFrames: [6] });
    expect(planFromFile(run({ items: [{ operation: 'TID' }] }), 1).kind).toBe('native');
    expect(planFromFile(run({ items: [{ operation: 'TID', tidOffset: -2 }] }), 18)).toMatchObject({ maskFrames: [20] });
    expect(planFromFile(run({ items: [{ operation: 'TID', tidOffset: -2 }] }), 19).kind).toBe('native');
  });

  it('REV_TID mirrors the mask frames around the first contrast frame (PS3.3 C.7.6.10.1)', () => {
    const info = run({ items: [{ operation: 'REV_TID', tidOffset: 1, applicableFrameRanges: [{ first: 6, last: 11 }] }] });
    // MFN = (FCFN − offset) − (CFN − FCFN): 6 → 5, 7 → 4, 8 → 3.
    expect([6, 7, 8].map((f) => planFromFile(info, f)).map((p) => (p.kind === 'subtract' ? p.maskFrames[0] : p.reason))).toEqual([5, 4, 3]);
    expect(planFromFile(info, 10)).toMatchObject({ maskFrames: [1] });
    expect(planFromFile(info, 11)).toEqual({
      kind: 'native',
      reason: 'Mask Subtraction Sequence item 1: REV_TID: mask frame 0 is not in the run (frames 1–20)',
    });
    expect(planFromFile(run({ items: [{ operation: 'REV_TID' }] }), 4)).toEqual({
      kind: 'native',
      reason: 'Mask Subtraction Sequence item 1: REV_TID without an Applicable Frame Range',
    });
  });

  it('takes the first item whose range holds the frame, and names NONE and unknown operations', () => {
    const info = run({
      items: [
        { operation: 'NONE', applicableFrameRanges: [{ first: 1, last: 4 }] },
        { operation: 'AVG_SUB', maskFrames: [1], applicableFrameRanges: [{ first: 5, last: 12 }] },
        { operation: 'MAGIC', applicableFrameRanges: [{ first: 13, last: 20 }] },
      ],
    });
    expect(planFromFile(info, 2)).toEqual({ kind: 'native', reason: 'Mask Subtraction Sequence item 1: NONE: no subtraction' });
    expect(planFromFile(info, 5)).toMatchObject({ kind: 'subtract', source: 'Mask Subtraction Sequence item 2: AVG_SUB, mask frame 1' });
    expect(planFromFile(info, 15)).toEqual({
      kind: 'native',
      reason: 'Mask Subtraction Sequence item 3: MAGIC is not a mask operation this viewer knows',
    });
    expect(planFromFile(run({}), 3)).toEqual({ kind: 'native', reason: 'the file has no Mask Subtraction Sequence' });
  });

  it("prefers the frame's own pixel shift for its item to the item's shift", () => {
    const info = run({
      items: [{ operation: 'AVG_SUB', maskFrames: [1], subtractionItemId: 7, maskSubPixelShift: { rowShift: 1, columnShift: 1 } }],
      framePixelShifts: [
        { frame: 5, subtractionItemId: 7, rowShift: 0.25, columnShift: -0.5 },
        { frame: 6, subtractionItemId: 8, rowShift: 9, columnShift: 9 },
      ],
    });
    expect(planFromFile(info, 5)).toMatchObject({ shift: { dx: -0.5, dy: 0.25 } });
    expect(planFromFile(info, 6)).toMatchObject({ shift: { dx: 1, dy: 1 } });
  });

  it('names mask frames that are not in the run', () => {
    expect(planFromFile(run({ items: [{ operation: 'AVG_SUB', maskFrames: [0, 1] }] }), 5)).toEqual({
      kind: 'native',
      reason: 'Mask Subtraction Sequence item 1: AVG_SUB: mask frame 0 is not in the run (frames 1–20)',
    });
  });
});

describe('a mask chosen by the user', () => {
  it('averages an inclusive range, in either order, clipped to the run', () => {
    expect(userPlan({ first: 4, last: 1 }, 9, 20, { dx: 0.2, dy: 0 })).toEqual({
      kind: 'subtract',
      maskFrames: [1, 2, 3, 4],
      contrastFrames: [9],
      shift: { dx: 0.2, dy: 0 },
      source: 'mask frames 1–4 chosen by the user',
      summary: 'mask frames 1–4 (chosen)',
    });
    expect(userPlan({ first: 3, last: 3 }, 9, 20, NO_SHIFT)).toMatchObject({ source: 'mask frame 3 chosen by the user' });
    expect(userPlan({ first: 30, last: 40 }, 9, 20, NO_SHIFT).kind).toBe('native');
    expect(describeFrames([1, 3, 5])).toBe('frames 1, 3, 5');
  });
});
