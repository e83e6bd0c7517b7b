/**
 * Registration against shifts known exactly: the "frame" is the same analytic scene as the mask,
 * sampled at positions moved by the shift (no resampling of one image into the other), with
 * independent noise in each.
 */
import { describe, expect, it } from 'vitest';
import { Registrar } from '../../src/imaging/registration';
import { Subtractor, subtractionModeFor, type Shift } from '../../src/imaging/subtraction';

const ROWS = 160;
const COLUMNS = 192;

function rng(seed: number) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

/** Smooth blobs and soft-edged bands, like bone edges and soft tissue: a function of continuous (x, y). */
function scene(seed: number): (x: number, y: number) => number {
  const r = rng(seed);
  const blobs = Array.from({ length: 40 }, () => ({
    x: r.uniform() * COLUMNS,
    y: r.uniform() * ROWS,
    s: 2 + r.uniform() * 7,
    a: (r.uniform() - 0.3) * 60,
  }));
  const edges = Array.from({ length: 6 }, () => ({ angle: r.uniform() * Math.PI, offset: r.uniform() * 150, a: 20 + r.uniform() * 30 }));
  return (x, y) => {
    let v = 100;
    for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s * b.s));
    for (const e of edges) v += e.a / (1 + Math.exp(-(x * Math.cos(e.angle) + y * Math.sin(e.angle) - e.offset) / 0.8));
    return v;
  };
}

/** Samples the scene moved by `shift` (content at x in the mask appears at x + dx in the frame), plus noise. */
function render(f: (x: number, y: number) => number, shift: Shift, noiseSigma: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(ROWS * COLUMNS);
  for (let y = 0; y < ROWS; y++)
    for (let x = 0; x < COLUMNS; x++) out[y * COLUMNS + x] = f(x - shift.dx, y - shift.dy) + noiseSigma * r.normal();
  return out;
}

const ROI = { x: 48, y: 40, width: 96, height: 80 };

describe('automatic pixel shift', () => {
  const f = scene(11);
  const mask = render(f, { dx: 0, dy: 0 }, 1, 100);
  const registrar = new Registrar();

  it.each([
    { dx: 0.3, dy: -0.7 },
    { dx: 1.25, dy: 0.5 },
    { dx: -2.6, dy: 1.85 },
    { dx: 0, dy: 0 },
    { dx: 0.1, dy: -0.1 },
    { dx: -4.45, dy: -3.2 },
  ])('recovers a shift of (%o) to within 0.25 px (in fact 0.05)', (shift) => {
    const frame = render(f, shift, 1, 200);
    const result = registrar.register(mask, frame, ROWS, COLUMNS, ROI);
    expect(result.method).toBe('gauss-newton');
    expect(result.correlation).toBeGreaterThan(0.9);
    expect(Math.abs(result.shift.dx - shift.dx)).toBeLessThan(0.05);
    expect(Math.abs(result.shift.dy - shift.dy)).toBeLessThan(0.05);
  });

  it('ignores contrast arriving in part of the region and a change of exposure', () => {
    const shift = { dx: 0.65, dy: -1.35 };
    // The frame is 8 % brighter overall with a dense contrast blob over a fifth of the region.
    const moved = render(f, shift, 1, 300);
    for (let y = 0; y < ROWS; y++) {
      for (let x = 0; x < COLUMNS; x++) {
        const i = y * COLUMNS + x;
        moved[i] = 1.08 * moved[i] + 4 + 70 * Math.exp(-((x - 70) ** 2 + (y - 60) ** 2) / (2 * 12 * 12));
      }
    }
    const result = registrar.register(mask, moved, ROWS, COLUMNS, ROI);
    expect(Math.abs(result.shift.dx - shift.dx)).toBeLessThan(0.25);
    expect(Math.abs(result.shift.dy - shift.dy)).toBeLessThan(0.25);
  });

  it('starts from a previous answer and keeps the region clear of the image edges', () => {
    const shift = { dx: 7.4, dy: -6.6 };
    const frame = render(f, shift, 1, 400);
    const result = registrar.register(
      mask,
      frame,
      ROWS,
      COLUMNS,
      { x: 0, y: 0, width: 120, height: 100 },
      { initial: { dx: 7, dy: -7 }, searchRadius: 3 },
    );
    expect(result.roi.x).toBeGreaterThanOrEqual(3 + 7 + 2);
    expect(Math.abs(result.shift.dx - shift.dx)).toBeLessThan(0.05);
    expect(Math.abs(result.shift.dy - shift.dy)).toBeLessThan(0.05);
  });

  it('works in the log domain of LIN pixels, as subtraction uses it', () => {
    const shift = { dx: -0.4, dy: 0.9 };
    const lin = (g: Float32Array) => Uint16Array.from(g, (v) => Math.round(4000 * Math.exp(-v / 80)));
    const subtractor = new Subtractor({ rows: ROWS, columns: COLUMNS }, subtractionModeFor({ pixelIntensityRelationship: 'LIN' }));
    subtractor.setMask([lin(mask)]);
    const frame = new Float32Array(ROWS * COLUMNS);
    subtractor.toDomain(lin(render(f, shift, 1, 500)), frame);
    const result = registrar.register(subtractor.maskValues, frame, ROWS, COLUMNS, ROI);
    expect(Math.abs(result.shift.dx - shift.dx)).toBeLessThan(0.1);
    expect(Math.abs(result.shift.dy - shift.dy)).toBeLessThan(0.1);
    // Subtracting a noise-free mask with that shift leaves almost nothing of the anatomy behind.
    const clean = new Subtractor({ rows: ROWS, columns: COLUMNS }, subtractionModeFor({ pixelIntensityRelationship: 'LIN' }));
    clean.setMask([lin(render(f, { dx: 0, dy: 0 }, 0, 0))]);
    const moved = lin(render(f, shift, 0, 0));
    const out = new Float32Array(ROWS * COLUMNS);
    const residual = () => {
      clean.subtract(moved, out);
      let sum = 0;
      for (let y = ROI.y; y < ROI.y + ROI.height; y++) for (let x = ROI.x; x < ROI.x + ROI.width; x++) sum += out[y * COLUMNS + x] ** 2;
      return sum;
    };
    const before = residual();
    clean.setShift(result.shift);
    expect(residual()).toBeLessThan(before / 20);
  });

  it('leaves out what a shutter covers: the shutter does not move with the patient', () => {
    const shift = { dx: 0.75, dy: -0.5 };
    // A shutter covering the left third of the region, exactly 0 in both images.
    const shown = Uint8Array.from({ length: ROWS * COLUMNS }, (_, i) => (i % COLUMNS < 80 ? 0 : 1));
    const cover = (image: Float32Array) => image.map((v, i) => (shown[i] ? v : 0));
    const frame = cover(render(f, shift, 1, 600));
    const covered = cover(mask);
    const blind = registrar.register(covered, frame, ROWS, COLUMNS, ROI);
    const aware = registrar.register(covered, frame, ROWS, COLUMNS, ROI, { shown });
    expect(Math.hypot(aware.shift.dx - shift.dx, aware.shift.dy - shift.dy)).toBeLessThan(0.05);
    expect(Math.hypot(blind.shift.dx - shift.dx, blind.shift.dy - shift.dy)).toBeGreaterThan(
      Math.hypot(aware.shift.dx - shift.dx, aware.shift.dy - shift.dy),
    );
  });

  it('refuses a region with no room once kept clear of the edges', () => {
    expect(() => registrar.register(mask, mask, ROWS, COLUMNS, { x: 0, y: 0, width: 10, height: 10 })).toThrow(/too small/);
  });
});
