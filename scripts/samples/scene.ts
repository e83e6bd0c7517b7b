/**
 * Renders the frames of one run: static anatomy (phantom.ts) + a soft-tissue background and
 * quantum noise on a coarse grid + a needle whose tip advances to the target + a contrast blob
 * that grows from the tip after the needle arrives + circular collimation.
 *
 * Size trade-off (deliberate): PackBits RLE only pays off on runs of equal bytes along a row, and
 * per-pixel noise makes it nearly incompressible. So for the RLE runs the background and noise
 * are constant over "bricks" (cellH rows tall, random widths around cellW, a new random layout
 * every frame) and the anatomy is piecewise constant with hard edges; outside the collimation
 * circle is exactly 0. That trades some realism for a repository that stays under its size
 * budget. Native (uncompressed) runs use per-pixel noise (cell 1×1), since it costs nothing there.
 *
 * Pixel value convention: MONOCHROME2, values rise with attenuation (Pixel Intensity Relationship
 * DISP, see dicom.ts): bone, metal and iodinated contrast are BRIGHT, soft tissue grey, bowel gas
 * darker, collimated area 0. (The usual fluoroscopy display, bone and contrast dark, is this image
 * inverted.)
 */
import { FloatImage, toLocal, type Vec } from './raster';
import { deriveSeed, mulberry32 } from './prng';
import { renderAnatomy, type Anatomy, type PedicleLandmark } from './phantom';
import type { RunSpec } from './runs';

export interface FrameResult {
  /** Stored pixel values, row-major (Uint8Array for 8 bits allocated, Uint16Array for 16). */
  pixels: Uint8Array | Uint16Array;
  /** Needle tip this frame (pixel coordinates, rounded to 0.01). */
  tip: Vec;
  /** Pixels (inside the collimation circle) whose centre lies inside the contrast blob. */
  contrastAreaPx: number;
}

export interface Collimation {
  /** Circle centre in pixel coordinates (0-based) and radius in pixels. */
  centerX: number;
  centerY: number;
  radius: number;
  /** Vertical blades, if any: exposed columns are [left, right) (0-based). */
  blades?: { left: number; right: number };
  /** A rectangular collimator, if any: exposed columns [left, right) and rows [top, bottom) (0-based). */
  rectangle?: { left: number; right: number; top: number; bottom: number };
  /** A polygonal (convex) collimator, if any: exposed pixels have their centre inside or on it (0-based x, y vertices). */
  polygon?: Array<{ x: number; y: number }>;
}

const NEEDLE_VALUE = 244;
const NEEDLE_HALO = -14;
const HUB_VALUE = 62;
const CONTRAST_CORE = 75;
const CONTRAST_FRINGE = 48;
const DEG = Math.PI / 180;

const round2 = (v: number): number => Math.round(v * 100) / 100;
const smoothstep = (t: number): number => t * t * (3 - 2 * t);

export class RunScene {
  readonly anatomy: Anatomy;
  readonly mmPerPx: number;
  readonly pxPerMm: number;
  readonly target: Vec;
  readonly hub: Vec;
  readonly collimation: Collimation;
  /**
   * Stored value = round(gain · v + offset) for v in 8-bit display units, clamped to
   * [minValue, maxValue] inside the collimation (0 outside). For 10 bits stored the map puts the
   * soft-tissue/bone border near 256 and the bone/contrast border near 512, so the RLE high-byte
   * plane rarely flips inside a structure (fewer runs, smaller file).
   */
  readonly gain: number;
  readonly offset: number;
  readonly minValue: number;
  readonly maxValue: number;
  private readonly tissue: Float32Array;
  protected readonly spans: Int32Array; // per row: [x0, x1) inside the circle (x0 = x1 for none)
  private readonly phases: number[];

  constructor(readonly spec: RunSpec) {
    const n = spec.size;
    this.mmPerPx = spec.imagerPixelSpacingMm / spec.ermf;
    this.pxPerMm = 1 / this.mmPerPx;
    this.anatomy = renderAnatomy({
      size: n,
      mmPerPx: this.mmPerPx,
      centerXmm: spec.viewCenterMm[0],
      centerYmm: spec.viewCenterMm[1],
      primaryDeg: spec.primaryDeg,
      secondaryDeg: spec.secondaryDeg,
    });
    if (spec.bitsStored === 8) {
      this.gain = 1;
      this.offset = 0;
    } else {
      // v = 100 → 256, v = 205 → 512.
      this.gain = 256 / 105;
      this.offset = 256 - 100 * this.gain;
    }
    this.minValue = Math.max(1, Math.round(this.gain + this.offset));
    this.maxValue = Math.round(250 * this.gain + this.offset);
    if (this.maxValue >= 2 ** spec.bitsStored) throw new Error(`${spec.name}: value map exceeds ${spec.bitsStored} bits`);
    this.collimation = { centerX: n / 2, centerY: n / 2, radius: Math.round((spec.collimator?.kind === 'rectangle' ? 0.75 : 0.47) * n) };
    if (spec.blades) this.collimation.blades = { left: Math.round(spec.blades.left * n), right: Math.round(spec.blades.right * n) };
    const bladeL = this.collimation.blades?.left ?? 0;
    const bladeR = this.collimation.blades?.right ?? n;
    this.spans = new Int32Array(2 * n);
    const { centerX, centerY, radius } = this.collimation;
    for (let y = 0; y < n; y++) {
      const dy = y - centerY;
      const h2 = radius * radius - dy * dy;
      if (h2 < 0) continue;
      // Pixel centres with (x-cx)^2 + (y-cy)^2 <= r^2.
      const h = Math.floor(Math.sqrt(h2) + 1e-9);
      this.spans[2 * y] = Math.max(bladeL, Math.ceil(centerX - h));
      this.spans[2 * y + 1] = Math.max(this.spans[2 * y], Math.min(bladeR, Math.floor(centerX + h) + 1));
    }
    if (spec.collimator) this.applyCollimator(spec.collimator);
    this.tissue = this.buildTissue();
    this.target = this.computeTarget();
    this.hub = {
      x: round2(this.target.x + spec.needle.hubOffsetMm[0] * this.pxPerMm),
      y: round2(this.target.y + spec.needle.hubOffsetMm[1] * this.pxPerMm),
    };
    const rng = mulberry32(deriveSeed(spec.seed, 0xc0));
    this.phases = [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)];
  }

  /** Narrows the exposed spans to a rectangular or (convex, octagonal) polygonal collimator as well. */
  private applyCollimator(collimator: NonNullable<RunSpec['collimator']>): void {
    const n = this.spec.size;
    if (collimator.kind === 'rectangle') {
      const r = {
        left: Math.round(collimator.left * n),
        right: Math.round(collimator.right * n),
        top: Math.round(collimator.top * n),
        bottom: Math.round(collimator.bottom * n),
      };
      this.collimation.rectangle = r;
      for (let y = 0; y < n; y++) {
        const inside = y >= r.top && y < r.bottom;
        const x0 = inside ? Math.max(this.spans[2 * y], r.left) : 0;
        const x1 = inside ? Math.min(this.spans[2 * y + 1], r.right) : 0;
        this.spans[2 * y] = x0;
        this.spans[2 * y + 1] = Math.max(x0, x1);
      }
      return;
    }
    // Octagon with integer vertices on a circle (exact inside/on tests in integers).
    const { centerX, centerY } = this.collimation;
    const radius = collimator.radius * n;
    const polygon = Array.from({ length: 8 }, (_, k) => {
      const angle = ((22.5 + 45 * k) * Math.PI) / 180;
      return { x: Math.round(centerX + radius * Math.cos(angle)), y: Math.round(centerY + radius * Math.sin(angle)) };
    });
    this.collimation.polygon = polygon;
    const inside = (x: number, y: number): boolean =>
      polygon.every((a, i) => {
        const b = polygon[(i + 1) % polygon.length];
        return (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) >= 0;
      });
    for (let y = 0; y < n; y++) {
      let x0 = -1;
      let x1 = -1;
      for (let x = this.spans[2 * y]; x < this.spans[2 * y + 1]; x++) {
        if (!inside(x, y)) continue;
        if (x0 < 0) x0 = x;
        x1 = x + 1;
      }
      this.spans[2 * y] = x0 < 0 ? 0 : x0;
      this.spans[2 * y + 1] = x0 < 0 ? 0 : x1;
    }
  }

  private pedicle(): PedicleLandmark {
    const { level, side } = this.spec.target;
    const p = this.anatomy.pedicles.find((q) => q.level === level && q.side === side);
    if (!p) throw new Error(`${this.spec.name}: no pedicle ${level} side ${side}`);
    return p;
  }

  private computeTarget(): Vec {
    const p = this.pedicle();
    const { kind, side } = this.spec.target;
    // Offsets in the pedicle's own (tilted) frame, then rotated into the image.
    const local =
      kind === 'pedicle-6-oclock' ? { x: 0, y: p.ry + 1.5 * this.pxPerMm } : { x: side * (p.rx + 1.2 * this.pxPerMm), y: -0.45 * p.ry };
    const c = Math.cos(p.tilt);
    const s = Math.sin(p.tilt);
    return { x: round2(p.center.x + local.x * c - local.y * s), y: round2(p.center.y + local.x * s + local.y * c) };
  }

  /** Static soft tissue: thicker in the midline, psoas shadows, more tissue toward the pelvis, vignetting. */
  private buildTissue(): Float32Array {
    const n = this.spec.size;
    const t = new Float32Array(n * n);
    const [cx, cy] = this.spec.viewCenterMm;
    const { centerX, centerY, radius } = this.collimation;
    for (let y = 0; y < n; y++) {
      const ymm = (y - n / 2) * this.mmPerPx + cy;
      // Psoas lateral border runs from ±22 mm at y = -80 to ±62 mm at y = +60 (world mm).
      const border = 22 + ((Math.min(90, Math.max(-80, ymm)) + 80) / 140) * 40;
      const psoasFade = smoothstep(Math.min(1, Math.max(0, (ymm + 110) / 40)));
      for (let x = 0; x < n; x++) {
        const xmm = (x - n / 2) * this.mmPerPx + cx;
        const ax = Math.abs(xmm);
        let v = 44 + 34 * Math.exp(-((xmm / 115) ** 2)) + 4 * (ymm / 100);
        const edge = Math.min(1, Math.max(0, (border - ax) / 6 + 0.5));
        v += 5 * smoothstep(edge) * psoasFade;
        const r2 = ((x - centerX) ** 2 + (y - centerY) ** 2) / (radius * radius);
        v -= 14 * r2;
        t[y * n + x] = v;
      }
    }
    return t;
  }

  /** The file's default window: display values 140 ± 115, as stored values. */
  displayWindow(): { center: number; width: number } {
    return { center: Math.round(140 * this.gain + this.offset), width: Math.round(230 * this.gain) };
  }

  /** Needle tip for a 1-based frame number. */
  tipAt(frame: number): Vec {
    const path = this.spec.needle.path;
    let s = path[path.length - 1][1];
    if (frame <= path[0][0]) s = path[0][1];
    for (let i = 0; i + 1 < path.length; i++) {
      const [f0, s0] = path[i];
      const [f1, s1] = path[i + 1];
      if (frame >= f0 && frame <= f1) {
        s = s0 + (s1 - s0) * smoothstep((frame - f0) / (f1 - f0));
        break;
      }
    }
    if (s >= 1) return { ...this.target };
    const dx = this.target.x - this.hub.x;
    const dy = this.target.y - this.hub.y;
    const len = Math.hypot(dx, dy);
    const s0 = path[0][1];
    const bow = this.spec.needle.bowMm * this.pxPerMm * Math.sin((Math.PI * (s - s0)) / (1 - s0));
    return { x: round2(this.hub.x + dx * s - (dy / len) * bow), y: round2(this.hub.y + dy * s + (dx / len) * bow) };
  }

  /** Renders one 1-based frame. */
  renderFrame(frame: number): FrameResult {
    const spec = this.spec;
    const n = spec.size;
    const img = new FloatImage(n, n);
    img.data.set(this.anatomy.image.data);
    const tip = this.tipAt(frame);
    const inContrast = this.drawContrast(img, frame, tip);
    this.fillBackground(img.data, frame);
    this.drawNeedle(img.data, tip);

    const out = spec.bitsAllocated === 8 ? new Uint8Array(n * n) : new Uint16Array(n * n);
    let area = 0;
    for (let y = 0; y < n; y++) {
      const x0 = this.spans[2 * y];
      const x1 = this.spans[2 * y + 1];
      for (let x = x0; x < x1; x++) {
        const i = y * n + x;
        const v = Math.round(img.data[i] * this.gain + this.offset);
        out[i] = v < this.minValue ? this.minValue : v > this.maxValue ? this.maxValue : v;
        if (inContrast && inContrast[i]) area++;
      }
    }
    return { pixels: out, tip, contrastAreaPx: area };
  }

  /** Adds the contrast blob; returns its mask (or null before onset). */
  protected drawContrast(img: FloatImage, frame: number, tip: Vec): Uint8Array | null {
    const c = this.spec.contrast;
    const s = frame - c.onsetFrame;
    if (s < 0) return null;
    const n = this.spec.size;
    const side = this.spec.target.side;
    const ph = this.phases;
    const grow = (len: number, t: number): number => len * this.pxPerMm * (0.18 + 0.82 * (1 - Math.exp(-(t + 1) / c.tauFrames)));
    const lobes: Array<{ center: Vec; angle: number; a: number; b: number; k: number }> = [];
    const addLobe = (angleDeg: number, a: number, b: number, offset: number, k: number): void => {
      const th = angleDeg * DEG;
      const d = { x: side * Math.sin(th), y: Math.cos(th) };
      lobes.push({ center: { x: tip.x + d.x * offset * a, y: tip.y + d.y * offset * a }, angle: Math.atan2(d.y, d.x), a, b, k });
    };
    const a1 = grow(c.lengthMm, s);
    addLobe(c.angleDeg, a1, c.aspect * a1 + 0.8 * this.pxPerMm, 0.62, 0);
    if (c.secondLobe && s >= c.secondLobe.delayFrames) {
      const a2 = grow(c.secondLobe.lengthMm, s - c.secondLobe.delayFrames);
      addLobe(c.secondLobe.angleDeg, a2, 0.45 * a2 + 0.6 * this.pxPerMm, 0.55, 1);
    }
    const ramp = Math.min(1, (s + 1) / 3);
    const mask = new Uint8Array(n * n);
    let x0 = n;
    let y0 = n;
    let x1 = 0;
    let y1 = 0;
    for (const l of lobes) {
      const r = l.a * 1.3 + 2;
      x0 = Math.min(x0, l.center.x - r);
      y0 = Math.min(y0, l.center.y - r);
      x1 = Math.max(x1, l.center.x + r);
      y1 = Math.max(y1, l.center.y + r);
    }
    img.addShape({ x0, y0, x1, y1 }, (x, y) => {
      let q = Infinity;
      for (const l of lobes) {
        const p = toLocal(x, y, l.center.x, l.center.y, l.angle);
        const u = p.x / l.a;
        const v = p.y / l.b;
        const rho = Math.sqrt(u * u + v * v);
        const th = Math.atan2(v, u);
        const wob =
          1 +
          0.1 * Math.sin(3 * th + ph[0 + l.k] + 0.04 * s) +
          0.07 * Math.sin(5 * th + ph[1 + l.k] - 0.03 * s) +
          0.04 * Math.sin(8 * th + ph[2 + l.k]);
        q = Math.min(q, rho / wob);
      }
      if (q >= 1) return 0;
      mask[y * n + x] = 1;
      return (q < 0.72 ? CONTRAST_CORE : CONTRAST_FRINGE) * ramp;
    });
    return mask;
  }

  /**
   * Soft tissue + quantum noise, constant over bricks of cellH rows and random widths (a new
   * layout every frame). Noise grows a little with attenuation (fewer photons behind bone).
   */
  protected fillBackground(data: Float32Array, frame: number): void {
    const { cellW, cellH, sigma } = this.spec.noise;
    const n = this.spec.size;
    const rng = mulberry32(deriveSeed(this.spec.seed, frame));
    for (let y0 = 0; y0 < n; y0 += cellH) {
      const yEnd = Math.min(n, y0 + cellH);
      const yc = Math.min(n - 1, y0 + (cellH >> 1));
      let x = cellW > 1 ? -Math.floor(rng.next() * cellW) : 0;
      while (x < n) {
        const w = cellW > 1 ? Math.max(2, Math.round(cellW * rng.range(0.5, 1.5))) : 1;
        const xs = Math.max(0, x);
        const xe = Math.min(n, x + w);
        const xc = Math.min(n - 1, Math.max(0, x + (w >> 1)));
        const t = this.tissue[yc * n + xc];
        const nz = sigma * rng.normal();
        for (let y = y0; y < yEnd; y++) {
          const row = y * n;
          for (let xi = xs; xi < xe; xi++) {
            const base = data[row + xi] + t;
            data[row + xi] = base + nz * (0.8 + base / 510);
          }
        }
        x += w;
      }
    }
  }

  /** Metal shaft (saturated) with a dark edge-enhancement halo, and the hub behind its base. */
  drawNeedle(data: Float32Array, tip: Vec): void {
    const n = this.spec.size;
    const hub = this.hub;
    const dx = tip.x - hub.x;
    const dy = tip.y - hub.y;
    const len = Math.hypot(dx, dy);
    const ux = dx / len;
    const uy = dy / len;
    const rCore = Math.max(0.8, 0.36 * this.pxPerMm);
    const rHalo = rCore + 1;
    // Hub: a rounded block behind the hub point, along the needle axis.
    const hubLen = 4 * this.pxPerMm;
    const hubHalfW = 2.2 * this.pxPerMm;
    const hc = { x: hub.x - ux * hubLen, y: hub.y - uy * hubLen };
    const angle = Math.atan2(uy, ux);
    const reach = hubLen + hubHalfW + 2;
    const x0 = Math.max(0, Math.floor(Math.min(hub.x, tip.x, hc.x - reach) - rHalo - 1));
    const x1 = Math.min(n - 1, Math.ceil(Math.max(hub.x, tip.x, hc.x + reach) + rHalo + 1));
    const y0 = Math.max(0, Math.floor(Math.min(hub.y, tip.y, hc.y - reach) - rHalo - 1));
    const y1 = Math.min(n - 1, Math.ceil(Math.max(hub.y, tip.y, hc.y + reach) + rHalo + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * n + x;
        const p = toLocal(x, y, hc.x, hc.y, angle);
        if (Math.abs(p.x) <= hubLen && Math.abs(p.y) <= hubHalfW) {
          data[i] += Math.abs(p.y) < hubHalfW * 0.35 ? HUB_VALUE + 40 : HUB_VALUE;
          continue;
        }
        const px = x - hub.x;
        const py = y - hub.y;
        const h = Math.min(len, Math.max(0, px * ux + py * uy));
        const d = Math.hypot(px - ux * h, py - uy * h);
        if (d <= rCore) data[i] = NEEDLE_VALUE;
        else if (d <= rHalo) data[i] += NEEDLE_HALO;
      }
    }
  }
}
