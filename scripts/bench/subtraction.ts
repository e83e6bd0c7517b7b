/**
 * Micro-benchmark of the pure DSA path in Node (npm run bench:subtraction): what one 1024² frame
 * costs to subtract (the cine budget is 4 ms), what changing the mask or its shift costs, what
 * one automatic registration costs, and what rasterising a shutter once per run costs.
 * Prints one JSON object on stdout. Figures are medians of repeated runs, in wall-clock and
 * process CPU milliseconds; on a shared machine trust the CPU figures and repeat.
 *
 *   tsx scripts/bench/subtraction.ts [--size 1024] [--repeat 60]
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Registrar } from '../../src/imaging/registration';
import { displayShutterOf, rasterizeShutter } from '../../src/imaging/shutter';
import { Subtractor, subtractionModeFor, type PixelArray } from '../../src/imaging/subtraction';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const size = option('--size', 1024);
const repeat = option('--repeat', 60);

/** A frame with structure and noise (so the log table is read all over, as with real data). */
function makeFrame(seed: number, bits: 8 | 12): PixelArray {
  const out = bits === 8 ? new Uint8Array(size * size) : new Uint16Array(size * size);
  let s = seed >>> 0;
  const max = bits === 8 ? 255 : 4095;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const anatomy = 0.5 + 0.3 * Math.sin(x / 37) * Math.cos(y / 23) + 0.15 * Math.sin((x + y) / 9);
      out[y * size + x] = Math.max(1, Math.min(max, Math.round(max * anatomy + (s / 2 ** 32 - 0.5) * 0.04 * max)));
    }
  }
  return out;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function time(runs: number, fn: (k: number) => void): Timing {
  for (let k = 0; k < Math.min(5, runs); k++) fn(k); // warm-up: JIT and caches
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(k);
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { wallMs: round(median(walls)), cpuMs: round(median(cpu)) };
}

const frames12 = Array.from({ length: 8 }, (_, k) => makeFrame(k + 1, 12));
const frames8 = Array.from({ length: 8 }, (_, k) => makeFrame(k + 101, 8));
const out = new Float32Array(size * size);

const results: Record<string, unknown> = {
  bench: 'subtraction',
  frame: `${size}×${size}`,
  repeat,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
};

const linear = new Subtractor({ rows: size, columns: size }, subtractionModeFor({ pixelIntensityRelationship: 'DISP' }));
const log = new Subtractor({ rows: size, columns: size }, subtractionModeFor({ pixelIntensityRelationship: 'LIN' }));
linear.setMask(frames12.slice(0, 4));
log.setMask(frames12.slice(0, 4));
log.setShift({ dx: 0.4, dy: -0.3 });
results.subtractLinear16 = time(repeat, (k) => linear.subtract(frames12[4 + (k % 4)], out));
results.subtractLog16 = time(repeat, (k) => log.subtract(frames12[4 + (k % 4)], out));
// As the viewer will run it: under a circular shutter, shifted (covered and seam pixels set to 0).
const circle = displayShutterOf({
  rows: size,
  columns: size,
  shutter: { shapes: ['CIRCULAR'], circular: { centerRow: size / 2 + 1, centerColumn: size / 2 + 1, radius: Math.round(0.47 * size) } },
});
const shown = circle ? rasterizeShutter(circle) : null;
const shuttered = new Subtractor({ rows: size, columns: size }, subtractionModeFor({ pixelIntensityRelationship: 'LIN' }));
shuttered.setMask(frames12.slice(0, 4));
shuttered.setShown(shown);
shuttered.setShift({ dx: 0.4, dy: -0.3 });
results.subtractLog16Shuttered = time(repeat, (k) => shuttered.subtract(frames12[4 + (k % 4)], out));
const linear8 = new Subtractor({ rows: size, columns: size }, subtractionModeFor({ pixelIntensityRelationship: 'DISP' }));
linear8.setMask(frames8.slice(0, 4));
results.subtractLinear8 = time(repeat, (k) => linear8.subtract(frames8[4 + (k % 4)], out));
results.subtractLogAveraged3 = time(Math.ceil(repeat / 3), (k) => log.subtractAveraged(frames12.slice(4 + (k % 2), 7 + (k % 2)), out));
results.setMaskAverage4 = time(Math.ceil(repeat / 4), () => log.setMask(frames12.slice(0, 4)));
results.setShiftBilinear = time(Math.ceil(repeat / 2), (k) => log.setShift({ dx: 0.1 * (k % 7) + 0.05, dy: -0.1 * (k % 5) - 0.05 }));
results.setShiftBilinearShuttered = time(Math.ceil(repeat / 2), (k) =>
  shuttered.setShift({ dx: 0.1 * (k % 7) + 0.05, dy: -0.1 * (k % 5) - 0.05 }),
);

// Registration: mask vs a frame made from the same content moved by a known sub-pixel shift.
const maskDomain = new Float32Array(size * size);
const frameDomain = new Float32Array(size * size);
log.setShift({ dx: 0, dy: 0 });
maskDomain.set(log.maskValues);
log.setShift({ dx: 1.3, dy: -0.6 });
frameDomain.set(log.shiftedMaskValues);
const registrar = new Registrar();
for (const side of [128, 256]) {
  const roi = { x: size / 2 - side / 2, y: size / 2 - side / 2, width: side, height: side };
  // Cost only: accuracy is what tests/unit/imaging-registration.test.ts and samples-display.test.ts check.
  results[`register${side}Radius6`] = time(Math.ceil(repeat / 4), () =>
    registrar.register(maskDomain, frameDomain, size, size, roi, { searchRadius: 6 }),
  );
}
const tracking = { x: size / 2 - 64, y: size / 2 - 64, width: 128, height: 128 };
results.register128Radius2FromPrevious = time(Math.ceil(repeat / 4), () =>
  registrar.register(maskDomain, frameDomain, size, size, tracking, { searchRadius: 2, initial: { dx: 1, dy: -1 } }),
);

const shutter = displayShutterOf({
  rows: size,
  columns: size,
  shutter: {
    shapes: ['CIRCULAR', 'RECTANGULAR', 'POLYGONAL'],
    circular: { centerRow: size / 2 + 1, centerColumn: size / 2 + 1, radius: Math.round(0.47 * size) },
    rectangular: { left: Math.round(0.17 * size), right: Math.round(0.85 * size), upper: 1, lower: size },
    polygonal: [1, size / 2, size / 2, size, size, size / 2, size / 2, 1],
  },
});
if (shutter) results.rasterizeShutterOnce = time(5, () => rasterizeShutter(shutter));

results.budget = { subtractPerFrameMs: 4 };
results.withinBudget = (['subtractLinear16', 'subtractLog16', 'subtractLinear8', 'subtractLog16Shuttered'] as const).every(
  (key) => (results[key] as Timing).cpuMs <= 4 || (results[key] as Timing).wallMs <= 4,
);
console.log(JSON.stringify(results, null, 2));
