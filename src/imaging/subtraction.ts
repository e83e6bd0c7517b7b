/**
 * Digital subtraction (DSA): every frame minus a mask, the mask being one frame or the average of
 * several, optionally shifted by a sub-pixel amount to undo patient motion.
 *
 * Domain. When the Pixel Intensity Relationship is LIN (values proportional to X-ray intensity),
 * frames are subtracted in log space: ln(frame) − ln(mask) depends only on what was added between
 * the two (contrast), not on the anatomy it lies over. LOG values are already logarithmic, so a
 * linear difference is the log subtraction. DISP (or nothing) means the values were shaped for
 * display; the difference is linear and says so, because it is only an approximation there.
 *
 * Cost. Everything per frame is one pass over typed arrays that the Subtractor owns: a lookup
 * (log domain) and a subtraction per pixel, no allocation. The mask is averaged and shifted only
 * when the mask or the shift changes; a constant shift means one set of four bilinear weights for
 * the whole image.
 *
 * Shift convention: {dx, dy} in pixels along columns and rows; positive dx moves the mask's
 * content right, positive dy moves it down: shifted(x, y) = mask(x − dx, y − dy). The file's Mask
 * Sub-pixel Shift (0028,6114) is written row shift first ("vertical … and horizontal"), read as
 * the same movement of the mask.
 */
import type { RunInfo } from '../dicom/types';

export type PixelArray = Uint8Array | Uint8ClampedArray | Uint16Array | Int16Array;

export interface Shift {
  /** Columns (x), positive to the right. */
  readonly dx: number;
  /** Rows (y), positive downwards. */
  readonly dy: number;
}

export const NO_SHIFT: Shift = { dx: 0, dy: 0 };

export interface SubtractionMode {
  readonly domain: 'log' | 'linear';
  /** For the UI: which subtraction it is and why, e.g. "log subtraction (Pixel Intensity Relationship LIN)". */
  readonly description: string;
}

/** Log subtraction for LIN pixels, linear otherwise, with the reason. */
export function subtractionModeFor(info: Pick<RunInfo, 'pixelIntensityRelationship'>): SubtractionMode {
  switch (info.pixelIntensityRelationship) {
    case 'LIN':
      return {
        domain: 'log',
        description: 'log subtraction (Pixel Intensity Relationship LIN: values proportional to X-ray intensity)',
      };
    case 'LOG':
      return {
        domain: 'linear',
        description: 'linear subtraction of logarithmic values (Pixel Intensity Relationship LOG), which is a log subtraction',
      };
    case 'DISP':
      return {
        domain: 'linear',
        description: 'linear subtraction: Pixel Intensity Relationship is DISP (values shaped for display, not proportional to intensity)',
      };
    default:
      return { domain: 'linear', description: 'linear subtraction: the file does not give a Pixel Intensity Relationship' };
  }
}

export interface SubtractorGeometry {
  readonly rows: number;
  readonly columns: number;
}

/**
 * Holds the mask (averaged, in the working domain), its shifted copy and the lookup table, and
 * subtracts frames into caller-provided buffers. One per run and subtraction setting.
 */
export class Subtractor {
  readonly rows: number;
  readonly columns: number;
  readonly mode: SubtractionMode;
  private readonly mask: Float32Array;
  private readonly shifted: Float32Array;
  private currentShift: Shift = NO_SHIFT;
  private maskFrameCount = 0;
  /** 1 where a difference means something: shown by the shutter, and the shifted mask's taps shown too. */
  private shown: Uint8Array | null = null;
  private shownValues: Float32Array | null = null;
  private reach: Float32Array | null = null;
  private valid: Float32Array | null = null;
  /** ln(max(v, 1)) for every value of the input's type; built on first use per type. */
  private logTables = new Map<string, Float32Array>();

  constructor(geometry: SubtractorGeometry, mode: SubtractionMode) {
    this.rows = geometry.rows;
    this.columns = geometry.columns;
    this.mode = mode;
    this.mask = new Float32Array(this.rows * this.columns);
    this.shifted = new Float32Array(this.rows * this.columns);
  }

  get shift(): Shift {
    return this.currentShift;
  }

  get hasMask(): boolean {
    return this.maskFrameCount > 0;
  }

  /** The mask in the working domain, before shifting (read-only view; do not keep across setMask). */
  get maskValues(): Float32Array {
    return this.mask;
  }

  /** The mask as subtracted: shifted by the current shift. */
  get shiftedMaskValues(): Float32Array {
    return this.shifted;
  }

  /** Averages the given decoded frames (in the working domain) into the mask, then applies the current shift. */
  setMask(frames: readonly PixelArray[]): void {
    if (frames.length === 0) throw new Error('a mask needs at least one frame');
    this.mask.fill(0);
    for (const frame of frames) this.accumulate(frame, this.mask);
    const scale = 1 / frames.length;
    for (let i = 0; i < this.mask.length; i++) this.mask[i] *= scale;
    this.maskFrameCount = frames.length;
    this.applyShift();
  }

  /**
   * The run's shutter mask (1 shown, 0 covered; shutter.ts). Differences are then 0 where the
   * shutter covers the frame, and where the shifted mask would reach under the shutter (which
   * would otherwise draw a bright seam along its edge).
   */
  setShown(shown: Uint8Array | null): void {
    if (shown && shown.length !== this.rows * this.columns)
      throw new Error(`a shutter mask for ${shown.length} pixels, the run has ${this.rows * this.columns}`);
    this.shown = shown;
    const n = this.rows * this.columns;
    this.shownValues = shown ? Float32Array.from(shown) : null;
    this.reach = shown ? (this.reach ?? new Float32Array(n)) : null;
    this.valid = shown ? (this.valid ?? new Float32Array(n)) : null;
    this.updateValid();
  }

  /** Moves the mask by a (sub-pixel) shift; resamples once, bilinearly, edges clamped. */
  setShift(shift: Shift): void {
    if (shift.dx === this.currentShift.dx && shift.dy === this.currentShift.dy) return;
    this.currentShift = { dx: shift.dx, dy: shift.dy };
    this.applyShift();
  }

  private applyShift(): void {
    this.updateValid();
    if (this.maskFrameCount === 0) return;
    shiftImage(this.mask, this.rows, this.columns, this.currentShift, this.shifted);
  }

  private updateValid(): void {
    const { shown, shownValues, reach, valid } = this;
    if (!shown || !shownValues || !reach || !valid) return;
    // A covered tap pulls the shifted value below 1: only pixels whose every tap is shown stay 1.
    shiftImage(shownValues, this.rows, this.columns, this.currentShift, reach);
    for (let i = 0; i < valid.length; i++) valid[i] = shown[i] && reach[i] > 0.999999 ? 1 : 0;
  }

  /** out[i] = frame[i] − mask[i] in the working domain (0 where not valid, see setShown). No allocation. */
  subtract(frame: PixelArray, out: Float32Array): void {
    this.check(frame, out);
    const m = this.shifted;
    const v = this.valid;
    const n = m.length;
    // One loop per input type and shutter case, so each stays monomorphic; "+ 0" turns −0 into 0.
    if (this.mode.domain === 'log') {
      const t = this.logTable(frame);
      if (frame instanceof Uint16Array) {
        if (v) for (let i = 0; i < n; i++) out[i] = (t[frame[i]] - m[i]) * v[i] + 0;
        else for (let i = 0; i < n; i++) out[i] = t[frame[i]] - m[i];
      } else if (frame instanceof Int16Array) {
        if (v) for (let i = 0; i < n; i++) out[i] = (t[frame[i] + 32768] - m[i]) * v[i] + 0;
        else for (let i = 0; i < n; i++) out[i] = t[frame[i] + 32768] - m[i];
      } else if (v) for (let i = 0; i < n; i++) out[i] = (t[frame[i]] - m[i]) * v[i] + 0;
      else for (let i = 0; i < n; i++) out[i] = t[frame[i]] - m[i];
    } else if (frame instanceof Uint16Array) {
      if (v) for (let i = 0; i < n; i++) out[i] = (frame[i] - m[i]) * v[i] + 0;
      else for (let i = 0; i < n; i++) out[i] = frame[i] - m[i];
    } else if (frame instanceof Int16Array) {
      if (v) for (let i = 0; i < n; i++) out[i] = (frame[i] - m[i]) * v[i] + 0;
      else for (let i = 0; i < n; i++) out[i] = frame[i] - m[i];
    } else if (v) for (let i = 0; i < n; i++) out[i] = (frame[i] - m[i]) * v[i] + 0;
    else for (let i = 0; i < n; i++) out[i] = frame[i] - m[i];
  }

  private applyValid(out: Float32Array): void {
    const valid = this.valid;
    if (!valid) return;
    for (let i = 0; i < out.length; i++) out[i] = out[i] * valid[i] + 0;
  }

  /**
   * Contrast Frame Averaging (0028,6112): the average of several consecutive frames minus the mask.
   * Uses `out` as the accumulator, so it allocates nothing either.
   */
  subtractAveraged(frames: readonly PixelArray[], out: Float32Array): void {
    if (frames.length === 1) return this.subtract(frames[0], out);
    if (frames.length === 0) throw new Error('nothing to subtract');
    out.fill(0);
    for (const frame of frames) this.accumulate(frame, out);
    const scale = 1 / frames.length;
    const mask = this.shifted;
    for (let i = 0; i < out.length; i++) out[i] = out[i] * scale - mask[i];
    this.applyValid(out);
  }

  /** A frame's values in the working domain (what registration compares), into out. */
  toDomain(frame: PixelArray, out: Float32Array): void {
    this.check(frame, out);
    out.fill(0);
    this.accumulate(frame, out);
  }

  private accumulate(frame: PixelArray, into: Float32Array): void {
    this.check(frame, into);
    const n = into.length;
    if (this.mode.domain === 'log') {
      const table = this.logTable(frame);
      const offset = frame instanceof Int16Array ? 32768 : 0;
      for (let i = 0; i < n; i++) into[i] += table[frame[i] + offset];
    } else {
      for (let i = 0; i < n; i++) into[i] += frame[i];
    }
  }

  private check(frame: PixelArray, out: Float32Array): void {
    const n = this.rows * this.columns;
    if (frame.length !== n || out.length !== n) {
      throw new Error(`subtraction of a ${this.columns}×${this.rows} run got ${frame.length} pixels and a ${out.length}-pixel buffer`);
    }
  }

  private logTable(frame: PixelArray): Float32Array {
    const key = frame.constructor.name;
    let table = this.logTables.get(key);
    if (!table) {
      table = buildLogTable(frame);
      this.logTables.set(key, table);
    }
    return table;
  }
}

function buildLogTable(frame: PixelArray): Float32Array {
  if (frame instanceof Uint16Array) return Float32Array.from({ length: 65536 }, (_, v) => Math.log(Math.max(v, 1)));
  // Signed values below 1 carry no intensity: they map like 1 (ln 1 = 0), as does 0.
  if (frame instanceof Int16Array) return Float32Array.from({ length: 65536 }, (_, i) => Math.log(Math.max(i - 32768, 1)));
  return Float32Array.from({ length: 256 }, (_, v) => Math.log(Math.max(v, 1)));
}

/**
 * out(x, y) = src(x − dx, y − dy), bilinear, clamped at the edges. One set of weights for the
 * whole image (the shift is uniform); integer shifts copy.
 */
export function shiftImage(src: Float32Array, rows: number, columns: number, shift: Shift, out: Float32Array): void {
  if (src === out) throw new Error('shiftImage cannot work in place');
  const sx = -shift.dx;
  const sy = -shift.dy;
  const ix = Math.floor(sx);
  const iy = Math.floor(sy);
  const fx = sx - ix;
  const fy = sy - iy;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const maxX = columns - 1;
  const maxY = rows - 1;
  // Columns whose taps x+ix and x+ix+1 both lie inside: the fast interior loop.
  const xStart = Math.min(columns, Math.max(0, -ix));
  const xEnd = Math.max(xStart, Math.min(columns, maxX - ix));
  for (let y = 0; y < rows; y++) {
    const y0 = clamp(y + iy, 0, maxY);
    const y1 = clamp(y + iy + 1, 0, maxY);
    const r0 = y0 * columns;
    const r1 = y1 * columns;
    const o = y * columns;
    for (let x = 0; x < xStart; x++) out[o + x] = sampleClamped(src, r0, r1, x + ix, maxX, w00, w10, w01, w11);
    if (fx === 0 && fy === 0) {
      out.set(src.subarray(r0 + xStart + ix, r0 + xEnd + ix), o + xStart);
    } else {
      for (let x = xStart; x < xEnd; x++) {
        const a = r0 + x + ix;
        const b = r1 + x + ix;
        out[o + x] = w00 * src[a] + w10 * src[a + 1] + w01 * src[b] + w11 * src[b + 1];
      }
    }
    for (let x = xEnd; x < columns; x++) out[o + x] = sampleClamped(src, r0, r1, x + ix, maxX, w00, w10, w01, w11);
  }
}

function sampleClamped(
  src: Float32Array,
  r0: number,
  r1: number,
  x: number,
  maxX: number,
  w00: number,
  w10: number,
  w01: number,
  w11: number,
): number {
  const x0 = clamp(x, 0, maxX);
  const x1 = clamp(x + 1, 0, maxX);
  return w00 * src[r0 + x0] + w10 * src[r0 + x1] + w01 * src[r1 + x0] + w11 * src[r1 + x1];
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

// ---- window ------------------------------------------------------------------------------------

export interface SubtractionWindow {
  readonly center: number;
  readonly width: number;
}

/**
 * A window for a subtracted frame: centred on the median (static anatomy subtracts to about 0),
 * as wide as the strongest 0.5 % of differences either side but kept between ±6 and ±15 noise
 * sigmas (robust: 1.4826 × median absolute deviation). The upper bound matters: dense contrast
 * would otherwise set a window in which a blush of a few sigmas, the thing DSA is for, vanishes;
 * with it, dense contrast saturates and faint uptake stays visible. Samples at most ~65k pixels
 * of one frame, or of several pooled (one window for a run); `shown` (a shutter mask) leaves
 * covered pixels out.
 */
export function suggestWindow(difference: Float32Array | readonly Float32Array[], shown?: Uint8Array): SubtractionWindow {
  const frames = difference instanceof Float32Array ? [difference] : difference;
  const total = frames.reduce((sum, f) => sum + f.length, 0);
  const stride = Math.max(1, Math.floor(total / 65536));
  const sample: number[] = [];
  for (const frame of frames) for (let i = 0; i < frame.length; i += stride) if (!shown || shown[i]) sample.push(frame[i]);
  if (sample.length === 0) return { center: 0, width: 1 };
  sample.sort((a, b) => a - b);
  const at = (q: number): number => sample[Math.min(sample.length - 1, Math.max(0, Math.round(q * (sample.length - 1))))];
  const median = at(0.5);
  const deviations = sample.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const sigma = 1.4826 * deviations[Math.floor(deviations.length / 2)];
  const extreme = Math.max(median - at(0.005), at(0.995) - median);
  const half = sigma > 0 ? Math.min(15 * sigma, Math.max(6 * sigma, extreme)) : extreme;
  return { center: median, width: half > 0 ? 2 * half : 1 };
}

// ---- the file's mask settings ------------------------------------------------------------------

/** What to subtract from one frame, and where that came from. */
export type FramePlan =
  | {
      readonly kind: 'subtract';
      /** 1-based mask frames to average. */
      readonly maskFrames: readonly number[];
      /** 1-based frames averaged for the contrast image (Contrast Frame Averaging), starting with the frame itself. */
      readonly contrastFrames: readonly number[];
      readonly shift: Shift;
      /** E.g. "Mask Subtraction Sequence item 1: AVG_SUB, mask frames 1–4". */
      readonly source: string;
      /** The mask in a few words, for the display bar (the source goes in its title): "AVG_SUB, mask frames 1–4". */
      readonly summary: string;
    }
  | { readonly kind: 'native'; readonly reason: string };

/**
 * How the file says frame `frame` is to be subtracted (PS3.3 C.7.6.10.1): the first item of the
 * Mask Subtraction Sequence whose Applicable Frame Range holds the frame decides.
 * - AVG_SUB: the Mask Frame Numbers averaged; without a range, frames 1 … N − averaging + 1.
 * - TID: mask = frame − TID Offset (1 when empty); without a range, every frame whose mask exists.
 * - REV_TID: mask = (FCFN − offset) − (frame − FCFN), FCFN the first frame of the first range.
 * - NONE and anything else: not subtracted, with the reason.
 * The shift is the frame's own Frame Pixel Shift for that item when present, else the item's Mask
 * Sub-pixel Shift, else none.
 */
export function planFromFile(info: Pick<RunInfo, 'subtraction' | 'frameCount'>, frame: number): FramePlan {
  const { items, framePixelShifts } = info.subtraction;
  const n = info.frameCount;
  if (items.length === 0) return { kind: 'native', reason: 'the file has no Mask Subtraction Sequence' };
  for (const [index, item] of items.entries()) {
    const averaging = Math.max(1, item.contrastFrameAveraging?.[0] ?? 1);
    const offset = item.tidOffset ?? 1;
    const ranges = item.applicableFrameRanges;
    const label = `Mask Subtraction Sequence item ${index + 1}: ${item.operation || 'no Mask Operation'}`;
    let maskFrames: number[];
    switch (item.operation) {
      case 'AVG_SUB':
        if (!inRanges(frame, ranges, 1, n - averaging + 1)) continue;
        maskFrames = item.maskFrames ?? [];
        if (maskFrames.length === 0) return { kind: 'native', reason: `${label} names no Mask Frame Numbers` };
        break;
      case 'TID':
        if (!inRanges(frame, ranges, Math.max(1, 1 + offset), Math.min(n, n + offset))) continue;
        maskFrames = [frame - offset];
        break;
      case 'REV_TID': {
        if (!ranges || ranges.length === 0) return { kind: 'native', reason: `${label} without an Applicable Frame Range` };
        if (!inRanges(frame, ranges, 1, n)) continue;
        const first = ranges[0].first;
        maskFrames = [first - offset - (frame - first)];
        break;
      }
      case 'NONE':
        if (!inRanges(frame, ranges, 1, n)) continue;
        return { kind: 'native', reason: `${label}: no subtraction` };
      default:
        if (!inRanges(frame, ranges, 1, n)) continue;
        return { kind: 'native', reason: `${label} is not a mask operation this viewer knows` };
    }
    const outside = maskFrames.filter((m) => !Number.isInteger(m) || m < 1 || m > n);
    if (outside.length > 0)
      return { kind: 'native', reason: `${label}: mask frame ${outside.join(', ')} is not in the run (frames 1–${n})` };
    const contrastFrames = Array.from({ length: averaging }, (_, k) => Math.min(n, frame + k));
    const perFrame = framePixelShifts.find((s) => s.frame === frame && s.subtractionItemId === item.subtractionItemId);
    const written = perFrame ?? item.maskSubPixelShift;
    const shift = written ? { dx: written.columnShift, dy: written.rowShift } : NO_SHIFT;
    const summary = `${item.operation}, mask ${describeFrames(maskFrames)}`;
    return {
      kind: 'subtract',
      maskFrames,
      contrastFrames,
      shift,
      source: `Mask Subtraction Sequence item ${index + 1}: ${summary}`,
      summary,
    };
  }
  return { kind: 'native', reason: `frame ${frame} is outside every Applicable Frame Range of the Mask Subtraction Sequence` };
}

function inRanges(frame: number, ranges: ReadonlyArray<{ first: number; last: number }> | undefined, first: number, last: number): boolean {
  if (!ranges || ranges.length === 0) return frame >= first && frame <= last;
  return ranges.some((r) => frame >= r.first && frame <= r.last);
}

/** "frame 3", "frames 1–4", "frames 1, 3, 5". */
export function describeFrames(frames: readonly number[]): string {
  if (frames.length === 1) return `frame ${frames[0]}`;
  const consecutive = frames.every((f, i) => i === 0 || f === frames[i - 1] + 1);
  return consecutive ? `frames ${frames[0]}–${frames[frames.length - 1]}` : `frames ${frames.join(', ')}`;
}

/** A mask chosen by the user: one frame, or an inclusive range averaged. */
export function userPlan(mask: { first: number; last: number }, frame: number, frameCount: number, shift: Shift): FramePlan {
  const first = Math.max(1, Math.min(mask.first, mask.last));
  const last = Math.min(frameCount, Math.max(mask.first, mask.last));
  if (first > last) return { kind: 'native', reason: `mask frames ${mask.first}–${mask.last} are not in the run (frames 1–${frameCount})` };
  const maskFrames = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  const named = `mask ${describeFrames(maskFrames)}`;
  return {
    kind: 'subtract',
    maskFrames,
    contrastFrames: [frame],
    shift,
    source: `${named} chosen by the user`,
    summary: `${named} (chosen)`,
  };
}

/** Rounds a manual shift to the 0.1 px steps the keys make (avoids 0.30000000000000004). */
export function stepShift(shift: Shift, ddx: number, ddy: number): Shift {
  const tenth = (v: number): number => Math.round(v * 10) / 10;
  return { dx: tenth(shift.dx + ddx), dy: tenth(shift.dy + ddy) };
}
