/**
 * Shape rasterisers for the synthetic phantom. Shapes are tested at pixel centres: pixel (c, r)
 * (column c, row r, 0-based) is sampled at x = c, y = r. Membership is binary (no anti-aliasing)
 * on purpose: hard, piecewise-constant edges keep PackBits runs long (see generate.ts).
 */

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A float image with additive drawing limited to a shape's bounding box. */
export class FloatImage {
  readonly data: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height);
  }

  /**
   * Visits every pixel in the (clipped) box and adds `fn(x, y)` to it; fn returns 0 outside the
   * shape.
   */
  addShape(box: Box, fn: (x: number, y: number) => number): void {
    const x0 = Math.max(0, Math.floor(box.x0));
    const y0 = Math.max(0, Math.floor(box.y0));
    const x1 = Math.min(this.width - 1, Math.ceil(box.x1));
    const y1 = Math.min(this.height - 1, Math.ceil(box.y1));
    for (let y = y0; y <= y1; y++) {
      const row = y * this.width;
      for (let x = x0; x <= x1; x++) {
        const v = fn(x, y);
        if (v !== 0) this.data[row + x] += v;
      }
    }
  }
}

export interface Vec {
  x: number;
  y: number;
}

/** Signed distance to a rounded box of half-size (hx, hy) and corner radius rc, centred at 0. */
export function sdRoundBox(px: number, py: number, hx: number, hy: number, rc: number): number {
  const qx = Math.abs(px) - hx + rc;
  const qy = Math.abs(py) - hy + rc;
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.min(Math.max(qx, qy), 0) + Math.sqrt(ox * ox + oy * oy) - rc;
}

/** Signed distance to a capsule from a to b with radius r. */
export function sdCapsule(px: number, py: number, a: Vec, b: Vec, r: number): number {
  const bax = b.x - a.x;
  const bay = b.y - a.y;
  const pax = px - a.x;
  const pay = py - a.y;
  const len2 = bax * bax + bay * bay;
  const h = len2 > 0 ? Math.min(1, Math.max(0, (pax * bax + pay * bay) / len2)) : 0;
  const dx = pax - bax * h;
  const dy = pay - bay * h;
  return Math.sqrt(dx * dx + dy * dy) - r;
}

/**
 * Signed distance to an "uneven capsule" (a teardrop): circle r1 at the origin, circle r2 at
 * (0, h), joined by tangents. Local frame: +y from the first circle to the second.
 */
export function sdUnevenCapsule(px: number, py: number, r1: number, r2: number, h: number): number {
  const x = Math.abs(px);
  const b = (r1 - r2) / h;
  const a = Math.sqrt(1 - b * b);
  const k = -b * x + a * py;
  if (k < 0) return Math.sqrt(x * x + py * py) - r1;
  if (k > a * h) return Math.sqrt(x * x + (py - h) * (py - h)) - r2;
  return x * a + py * b - r1;
}

/** Signed distance to an isosceles trapezoid: half-width r1 at y = -he, r2 at y = +he. */
export function sdTrapezoid(px: number, py: number, r1: number, r2: number, he: number): number {
  const k1x = r2;
  const k1y = he;
  const k2x = r2 - r1;
  const k2y = 2 * he;
  const x = Math.abs(px);
  const cax = x - Math.min(x, py < 0 ? r1 : r2);
  const cay = Math.abs(py) - he;
  const t = Math.min(1, Math.max(0, ((k1x - x) * k2x + (k1y - py) * k2y) / (k2x * k2x + k2y * k2y)));
  const cbx = x - k1x + k2x * t;
  const cby = py - k1y + k2y * t;
  const s = cbx < 0 && cay < 0 ? -1 : 1;
  return s * Math.sqrt(Math.min(cax * cax + cay * cay, cbx * cbx + cby * cby));
}

/** Rotates (x, y) by -angle (radians): world → shape-local coordinates. */
export function toLocal(x: number, y: number, cx: number, cy: number, angle: number): Vec {
  const dx = x - cx;
  const dy = y - cy;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return { x: dx * c + dy * s, y: -dx * s + dy * c };
}
