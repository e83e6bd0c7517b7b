/**
 * Automatic pixel shift: the sub-pixel translation that best lays the mask over the current
 * frame inside a region of interest (a bony area without contrast, which the user can move).
 *
 * 1. Integer search: normalised cross-correlation (NCC) of the region against the mask displaced
 *    by every whole-pixel shift within ±searchRadius of the starting shift, both high-passed
 *    (minus a 7×7 box mean) so that edges decide and a smooth contrast cloud arriving in the
 *    region does not. NCC ignores brightness and gain changes between exposures.
 * 2. Sub-pixel: a parabola through the NCC peak and its neighbours, separately along x and y.
 * 3. Refinement: Gauss–Newton on frame − (gain · shifted mask + offset), with the mask resampled
 *    bilinearly (the way it will be subtracted) and residuals far above the noise (contrast)
 *    down-weighted (Tukey). A step that wanders more than a pixel from the parabola's answer is
 *    not trusted; the parabola's answer stands.
 *
 * Shift convention as in subtraction.ts: the returned {dx, dy} is what Subtractor.setShift takes.
 * Work buffers are allocated once per Registrar and reused; a call allocates nothing else of size.
 */
import { NO_SHIFT, type Shift } from './subtraction';

export interface Roi {
  /** Left column and top row (0-based), width and height in pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface RegistrationOptions {
  /** Whole pixels searched either side of `initial` (default 6). */
  readonly searchRadius?: number;
  /** Where to search around (default: no shift), e.g. the previous frame's answer. */
  readonly initial?: Shift;
  /** Gauss–Newton iterations at most (default 12). */
  readonly maxIterations?: number;
  /**
   * The shutter mask (rows × columns, 1 shown; shutter.ts). Pixels the shutter covers, and those
   * within a few pixels of it, are left out: the shutter does not move with the patient, and its
   * edge would pull the answer towards no shift.
   */
  readonly shown?: Uint8Array;
}

export interface RegistrationResult {
  readonly shift: Shift;
  /**
   * NCC of the region's raw values at the whole-pixel peak, −1…1: how alike mask and frame are
   * there. Below ~0.5 the region holds too little structure, or too much contrast, to trust.
   */
  readonly correlation: number;
  /** Which stage gave the answer. */
  readonly method: 'gauss-newton' | 'parabola';
  readonly iterations: number;
  /** The region actually used, after keeping it clear of the image edges by the search radius. */
  readonly roi: Roi;
}

export class Registrar {
  private sampled = new Float32Array(0);
  private weights = new Float32Array(0);
  private scratch = new Float32Array(0);
  private scores = new Float64Array(0);
  private highMask = new Float32Array(0);
  private highFrame = new Float32Array(0);
  private blurTemp = new Float32Array(0);
  private usable = new Uint8Array(0);

  /**
   * Registers `mask` to `frame` (both rows × columns, the same working domain, e.g. from
   * Subtractor.toDomain / maskValues) inside `roi`.
   */
  register(
    mask: Float32Array,
    frame: Float32Array,
    rows: number,
    columns: number,
    roi: Roi,
    options: RegistrationOptions = {},
  ): RegistrationResult {
    const radius = Math.max(1, Math.round(options.searchRadius ?? 6));
    const initial = options.initial ?? NO_SHIFT;
    const startX = Math.round(initial.dx);
    const startY = Math.round(initial.dy);
    const reach = radius + Math.max(Math.abs(startX), Math.abs(startY)) + 1;
    const margin = reach + BLUR + 1;
    const region = clampRoi(roi, rows, columns, margin);
    if (region.width < 8 || region.height < 8)
      throw new Error(`the registration region is too small once kept ${margin} px from the edges`);

    // 1. Whole-pixel NCC search on high-passed copies of the region (grown by the search reach).
    const around: Roi = { x: region.x - reach, y: region.y - reach, width: region.width + 2 * reach, height: region.height + 2 * reach };
    const size = around.width * around.height;
    if (this.highMask.length < size) {
      this.highMask = new Float32Array(size);
      this.highFrame = new Float32Array(size);
      this.blurTemp = new Float32Array((around.height + 2 * BLUR) * around.width);
    }
    highPass(mask, columns, around, this.highMask, this.blurTemp);
    highPass(frame, columns, around, this.highFrame, this.blurTemp);
    const local: Roi = { x: reach, y: reach, width: region.width, height: region.height };
    // Where the shutter allows: shown, and shown BLUR + 1 pixels away in the four directions.
    let usable: Uint8Array | null = null;
    if (options.shown) {
      if (this.usable.length < size) this.usable = new Uint8Array(size);
      usable = this.usable;
      const shown = options.shown;
      const d = BLUR + 1;
      for (let j = 0; j < around.height; j++) {
        for (let i = 0; i < around.width; i++) {
          const p = (around.y + j) * columns + around.x + i;
          usable[j * around.width + i] =
            shown[p] && shown[p - d] && shown[p + d] && shown[p - d * columns] && shown[p + d * columns] ? 1 : 0;
        }
      }
    }
    const side = 2 * radius + 1;
    if (this.scores.length < side * side) this.scores = new Float64Array(side * side);
    const scores = this.scores;
    let best = -Infinity;
    let bestI = radius;
    let bestJ = radius;
    for (let j = 0; j < side; j++) {
      for (let i = 0; i < side; i++) {
        const score = ncc(this.highMask, this.highFrame, around.width, local, startX + i - radius, startY + j - radius, usable);
        scores[j * side + i] = score;
        if (score > best) {
          best = score;
          bestI = i;
          bestJ = j;
        }
      }
    }
    // 2. Parabola through the peak and its neighbours (when the peak is not on the search border).
    const at = (i: number, j: number): number => scores[j * side + i];
    const vertex = (m: number, c: number, p: number): number => {
      const denominator = m - 2 * c + p;
      return denominator < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (m - p)) / denominator)) : 0;
    };
    const px = bestI > 0 && bestI < side - 1 ? vertex(at(bestI - 1, bestJ), best, at(bestI + 1, bestJ)) : 0;
    const py = bestJ > 0 && bestJ < side - 1 ? vertex(at(bestI, bestJ - 1), best, at(bestI, bestJ + 1)) : 0;
    const parabola: Shift = { dx: startX + bestI - radius + px, dy: startY + bestJ - radius + py };
    const correlation = rawCorrelation(
      mask,
      frame,
      columns,
      region,
      startX + bestI - radius,
      startY + bestJ - radius,
      usable ? { map: usable, region: around } : null,
    );

    // 3. Gauss–Newton refinement.
    const allowed = usable ? { map: usable, region: around } : null;
    const refined = this.refine(mask, frame, columns, region, parabola, options.maxIterations ?? 12, allowed);
    const trusted = refined && Math.hypot(refined.shift.dx - parabola.dx, refined.shift.dy - parabola.dy) <= 1;
    return trusted
      ? { shift: refined.shift, correlation, method: 'gauss-newton', iterations: refined.iterations, roi: region }
      : { shift: parabola, correlation, method: 'parabola', iterations: 0, roi: region };
  }

  private refine(
    mask: Float32Array,
    frame: Float32Array,
    columns: number,
    roi: Roi,
    start: Shift,
    maxIterations: number,
    allowed: { map: Uint8Array; region: Roi } | null,
  ): { shift: Shift; iterations: number } | null {
    const count = roi.width * roi.height;
    if (this.sampled.length < count) {
      this.sampled = new Float32Array(count);
      this.weights = new Float32Array(count);
      this.scratch = new Float32Array(count);
    }
    const sampled = this.sampled;
    const weights = this.weights;
    let dx = start.dx;
    let dy = start.dy;
    let gain = 1;
    let offset = NaN;
    const h = new Float64Array(16);
    const b = new Float64Array(4);
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      sampleShifted(mask, columns, roi, dx, dy, sampled);
      if (Number.isNaN(offset)) offset = meanDifference(frame, sampled, columns, roi);
      // Robust scale of the residuals: contrast arriving in the region must not pull the shift.
      let k = 0;
      for (let y = roi.y; y < roi.y + roi.height; y++) {
        for (let x = roi.x; x < roi.x + roi.width; x++, k++) weights[k] = Math.abs(frame[y * columns + x] - gain * sampled[k] - offset);
      }
      const scale = Math.max(1e-12, 1.4826 * medianOf(weights, count, this.scratch)) * 4.685;
      // Normal equations for [δx, δy, δgain, δoffset] with Tukey weights. residual(p + δ) ≈
      // residual + gain·gx·δx + gain·gy·δy − sampled·δgain − δoffset, the gradient of the shifted
      // mask taken by central differences inside the resampled region.
      h.fill(0);
      b.fill(0);
      const w = roi.width;
      for (let j = 1; j < roi.height - 1; j++) {
        const row = (roi.y + j) * columns + roi.x;
        for (let i = 1; i < w - 1; i++) {
          const q = j * w + i;
          if (allowed && !allowedAt(allowed, roi.x + i, roi.y + j, dx, dy)) continue;
          const s = sampled[q];
          const residual = frame[row + i] - gain * s - offset;
          const u = residual / scale;
          if (u >= 1 || u <= -1) continue;
          const weight = (1 - u * u) ** 2;
          const j0 = gain * 0.5 * (sampled[q + 1] - sampled[q - 1]);
          const j1 = gain * 0.5 * (sampled[q + w] - sampled[q - w]);
          const j2 = -s;
          const j3 = -1;
          h[0] += weight * j0 * j0;
          h[1] += weight * j0 * j1;
          h[2] += weight * j0 * j2;
          h[3] += weight * j0 * j3;
          h[5] += weight * j1 * j1;
          h[6] += weight * j1 * j2;
          h[7] += weight * j1 * j3;
          h[10] += weight * j2 * j2;
          h[11] += weight * j2 * j3;
          h[15] += weight * j3 * j3;
          b[0] -= weight * j0 * residual;
          b[1] -= weight * j1 * residual;
          b[2] -= weight * j2 * residual;
          b[3] -= weight * j3 * residual;
        }
      }
      h[4] = h[1];
      h[8] = h[2];
      h[9] = h[6];
      h[12] = h[3];
      h[13] = h[7];
      h[14] = h[11];
      const step = solve4(h, b);
      if (!step) return null;
      dx += step[0];
      dy += step[1];
      gain += step[2];
      offset += step[3];
      if (!Number.isFinite(dx) || !Number.isFinite(dy)) return null;
      if (Math.hypot(step[0], step[1]) < 1e-3) return { shift: { dx, dy }, iterations: iteration };
    }
    return { shift: { dx, dy }, iterations: maxIterations };
  }
}

/** Half-width of the box whose mean the high-pass removes (7×7). */
const BLUR = 3;

/**
 * out = src − its (2·BLUR+1)² box mean over the given region (row-major, region-sized). The
 * region must lie at least BLUR pixels inside the image.
 */
function highPass(src: Float32Array, columns: number, region: Roi, out: Float32Array, temp: Float32Array): void {
  const width = region.width;
  const tall = region.height + 2 * BLUR;
  const box = 2 * BLUR + 1;
  // Horizontal box sums for the region's columns, over rows region.y − BLUR … region.y + height + BLUR.
  for (let j = 0; j < tall; j++) {
    const row = (region.y - BLUR + j) * columns + region.x;
    let sum = 0;
    for (let d = -BLUR; d <= BLUR; d++) sum += src[row + d];
    const o = j * width;
    temp[o] = sum;
    for (let i = 1; i < width; i++) {
      sum += src[row + i + BLUR] - src[row + i - BLUR - 1];
      temp[o + i] = sum;
    }
  }
  const norm = 1 / (box * box);
  for (let i = 0; i < width; i++) {
    let sum = 0;
    for (let d = 0; d < box; d++) sum += temp[d * width + i];
    for (let j = 0; j < region.height; j++) {
      if (j > 0) sum += temp[(j + box - 1) * width + i] - temp[(j - 1) * width + i];
      out[j * width + i] = src[(region.y + j) * columns + region.x + i] - sum * norm;
    }
  }
}

function clampRoi(roi: Roi, rows: number, columns: number, margin: number): Roi {
  const x0 = Math.max(margin, Math.round(roi.x));
  const y0 = Math.max(margin, Math.round(roi.y));
  const x1 = Math.min(columns - margin, Math.round(roi.x + roi.width));
  const y1 = Math.min(rows - margin, Math.round(roi.y + roi.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** Whether image pixel (x, y) and its source under the shift (x − dx, y − dy) are both clear of the shutter. */
function allowedAt(allowed: { map: Uint8Array; region: Roi }, x: number, y: number, dx: number, dy: number): boolean {
  const { map, region } = allowed;
  const at = (px: number, py: number): number => map[(py - region.y) * region.width + (px - region.x)];
  return at(x, y) === 1 && at(Math.round(x - dx), Math.round(y - dy)) === 1;
}

/**
 * NCC between frame(x, y) and mask(x − sx, y − sy) over the region (sx, sy whole pixels), both
 * indexed with `columns` per row. `usable` (same indexing) leaves out pixels near the shutter.
 */
function ncc(
  mask: Float32Array,
  frame: Float32Array,
  columns: number,
  roi: Roi,
  sx: number,
  sy: number,
  usable: Uint8Array | null = null,
): number {
  let sf = 0,
    sm = 0,
    sff = 0,
    smm = 0,
    sfm = 0,
    count = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    const fo = y * columns;
    const mo = (y - sy) * columns - sx;
    for (let x = roi.x; x < roi.x + roi.width; x++) {
      if (usable && !(usable[fo + x] && usable[mo + x])) continue;
      count++;
      const f = frame[fo + x];
      const m = mask[mo + x];
      sf += f;
      sm += m;
      sff += f * f;
      smm += m * m;
      sfm += f * m;
    }
  }
  const n = count;
  if (n < 2) return 0;
  const cov = sfm - (sf * sm) / n;
  const vf = sff - (sf * sf) / n;
  const vm = smm - (sm * sm) / n;
  return vf > 0 && vm > 0 ? cov / Math.sqrt(vf * vm) : 0;
}

/** NCC of the raw images at a whole-pixel shift, over the region's pixels clear of the shutter. */
function rawCorrelation(
  mask: Float32Array,
  frame: Float32Array,
  columns: number,
  roi: Roi,
  sx: number,
  sy: number,
  allowed: { map: Uint8Array; region: Roi } | null,
): number {
  if (!allowed) return ncc(mask, frame, columns, roi, sx, sy);
  let sf = 0,
    sm = 0,
    sff = 0,
    smm = 0,
    sfm = 0,
    count = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    for (let x = roi.x; x < roi.x + roi.width; x++) {
      if (!allowedAt(allowed, x, y, sx, sy)) continue;
      const f = frame[y * columns + x];
      const m = mask[(y - sy) * columns + x - sx];
      count++;
      sf += f;
      sm += m;
      sff += f * f;
      smm += m * m;
      sfm += f * m;
    }
  }
  if (count < 2) return 0;
  const cov = sfm - (sf * sm) / count;
  const vf = sff - (sf * sf) / count;
  const vm = smm - (sm * sm) / count;
  return vf > 0 && vm > 0 ? cov / Math.sqrt(vf * vm) : 0;
}

/** mask(x − dx, y − dy) over the region, bilinear (the region is kept clear of the edges). */
function sampleShifted(mask: Float32Array, columns: number, roi: Roi, dx: number, dy: number, out: Float32Array): void {
  const sx = -dx;
  const sy = -dy;
  const ix = Math.floor(sx);
  const iy = Math.floor(sy);
  const fx = sx - ix;
  const fy = sy - iy;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  let k = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    const a0 = (y + iy) * columns + ix;
    const b0 = a0 + columns;
    for (let x = roi.x; x < roi.x + roi.width; x++, k++) {
      const a = a0 + x;
      const b = b0 + x;
      out[k] = w00 * mask[a] + w10 * mask[a + 1] + w01 * mask[b] + w11 * mask[b + 1];
    }
  }
}

/** Median of the first n values: Hoare's selection in a scratch buffer, O(n) on average. */
function medianOf(values: Float32Array, n: number, scratch: Float32Array): number {
  scratch.set(values.subarray(0, n));
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = scratch[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (scratch[i] < pivot) i++;
      while (scratch[j] > pivot) j--;
      if (i <= j) {
        const t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return scratch[k];
}

/** Mean of frame − sampled mask over the region: the brightness offset to start from. */
function meanDifference(frame: Float32Array, sampled: Float32Array, columns: number, roi: Roi): number {
  let sum = 0;
  let k = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    for (let x = roi.x; x < roi.x + roi.width; x++, k++) sum += frame[y * columns + x] - sampled[k];
  }
  return sum / k;
}

/** Solves the 4×4 system h·x = b (row-major h) by Gaussian elimination with partial pivoting; null if singular. */
function solve4(h: Float64Array, b: Float64Array): [number, number, number, number] | null {
  const a = [0, 1, 2, 3].map((r) => [h[4 * r], h[4 * r + 1], h[4 * r + 2], h[4 * r + 3], b[r]]);
  const scale = Math.max(...a.map((row) => Math.max(...row.slice(0, 4).map(Math.abs))));
  for (let c = 0; c < 4; c++) {
    let pivot = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (!(Math.abs(a[pivot][c]) > 1e-12 * scale)) return null;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = c + 1; r < 4; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 5; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = [0, 0, 0, 0];
  for (let r = 3; r >= 0; r--) {
    let sum = a[r][4];
    for (let k = r + 1; k < 4; k++) sum -= a[r][k] * x[k];
    x[r] = sum / a[r][r];
  }
  return [x[0], x[1], x[2], x[3]];
}
