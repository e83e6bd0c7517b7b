/**
 * The DSA sample run: the same cartoon anatomy, needle and contrast as scene.ts, but
 * - values proportional to X-ray intensity (Pixel Intensity Relationship LIN):
 *   stored = round(i0 · exp(−mu · a)), a the attenuation in display units;
 * - a pre-contrast mask phase (contrast starts after it);
 * - patient motion of known sub-pixel size: bone and needle are drawn `supersample` times finer
 *   and averaged down with the motion as a whole number of fine pixels, so the image content
 *   moves by exactly (dx, dy); contrast and blush are analytic and move with it. Soft tissue,
 *   vignetting and quantum noise sit on the noise bricks and do not move (they are smooth or
 *   new every frame);
 * - a faint vascular blush (a thin radicular vessel and a small cloud at its end), a few display
 *   units strong: under the bone edges and the noise in a raw frame, plain after subtraction.
 */
import { FloatImage } from './raster';
import type { DsaSpec, RunSpec } from './runs';
import { RunScene, type FrameResult } from './scene';

export interface DsaTruth {
  pixelIntensityRelationship: 'LIN';
  /** How stored values were made from attenuation (display units). */
  valueMapping: string;
  i0: number;
  mu: number;
  /** 1-based frames of the pre-contrast mask phase. */
  maskFrames: number[];
  /** Motion of everything in the patient relative to frame 1, per frame (pixels, x right, y down). */
  motion: Array<{ frame: number; dx: number; dy: number }>;
  supersample: number;
  blush: {
    frames: [number, number];
    /** Frames where it is at full strength. */
    peakFrames: [number, number];
    /** Attenuation added at full strength, display units: vessel centre line and cloud centre. */
    vesselPeak: number;
    cloudPeak: number;
    /** Vessel centre line and cloud centre in frame-1 coordinates (add the frame's motion), pixels. */
    vessel: Array<{ x: number; y: number }>;
    vesselSigmaPx: number;
    cloud: { x: number; y: number; sigmaPx: number };
    /** Pixels (frame-1 coordinates, 0-based, inclusive) where the blush adds at least a quarter of its peak. */
    box: { x0: number; y0: number; x1: number; y1: number };
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

export class DsaScene extends RunScene {
  private readonly dsa: DsaSpec;
  private readonly fine: Float32Array;
  private readonly fineSize: number;
  private readonly staticByMotion = new Map<string, Float32Array>();
  private readonly vessel: Array<{ x: number; y: number }>;
  private readonly vesselSigmaPx: number;
  private readonly cloudSigmaPx: number;

  constructor(spec: RunSpec) {
    super(spec);
    if (!spec.dsa) throw new Error(`${spec.name}: not a DSA run`);
    this.dsa = spec.dsa;
    const s = this.dsa.supersample;
    for (const m of this.dsa.motion) {
      if (!Number.isInteger(m.dx * s) || !Number.isInteger(m.dy * s))
        throw new Error(`${spec.name}: motion must be a multiple of 1/${s} px`);
    }
    // Bone and needle, drawn finer; the collimator does not matter there (applied when mapping).
    const fineScene = new RunScene({
      ...spec,
      size: spec.size * s,
      imagerPixelSpacingMm: spec.imagerPixelSpacingMm / s,
      collimator: undefined,
      dsa: undefined,
    });
    this.fineSize = spec.size * s;
    this.fine = Float32Array.from(fineScene.anatomy.image.data);
    fineScene.drawNeedle(this.fine, fineScene.target);
    const px = this.pxPerMm;
    this.vessel = this.dsa.blush.pathMm.map(([x, y]) => ({ x: round2(this.target.x + x * px), y: round2(this.target.y + y * px) }));
    this.vesselSigmaPx = (this.dsa.blush.widthMm / 2) * px;
    this.cloudSigmaPx = this.dsa.blush.cloudSigmaMm * px;
  }

  /** Window for the stored values: attenuation 40 (soft tissue) to 230 (bone with contrast). */
  override displayWindow(): { center: number; width: number } {
    const bright = this.stored(40);
    const dark = this.stored(230);
    return { center: Math.round((bright + dark) / 2), width: Math.round(bright - dark) };
  }

  private stored(a: number): number {
    const max = 2 ** this.spec.bitsStored - 1;
    return Math.max(1, Math.min(max, Math.round(this.dsa.i0 * Math.exp(-this.dsa.mu * a))));
  }

  motionAt(frame: number): { dx: number; dy: number } {
    let current = { dx: 0, dy: 0 };
    for (const m of this.dsa.motion) if (frame >= m.frame) current = { dx: m.dx, dy: m.dy };
    return current;
  }

  /** Bone and needle averaged down from the fine image, moved by whole fine pixels. */
  private staticLayer(dx: number, dy: number): Float32Array {
    const key = `${dx},${dy}`;
    const cached = this.staticByMotion.get(key);
    if (cached) return cached;
    const n = this.spec.size;
    const s = this.dsa.supersample;
    const N = this.fineSize;
    const ox = Math.round(dx * s);
    const oy = Math.round(dy * s);
    const out = new Float32Array(n * n);
    const clamp = (v: number): number => (v < 0 ? 0 : v >= N ? N - 1 : v);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let sum = 0;
        for (let j = 0; j < s; j++) {
          const row = clamp(y * s + j - oy) * N;
          for (let i = 0; i < s; i++) sum += this.fine[row + clamp(x * s + i - ox)];
        }
        out[y * n + x] = sum / (s * s);
      }
    }
    this.staticByMotion.set(key, out);
    return out;
  }

  /** 0…1: rises over 2 frames, holds, fades over the last 3. */
  private blushStrength(frame: number): number {
    const { from, to } = this.dsa.blush;
    if (frame < from || frame > to) return 0;
    return Math.min(1, (frame - from + 1) / 2, (to - frame + 1) / 3);
  }

  private blushAt(x: number, y: number): number {
    const b = this.dsa.blush;
    let d2 = Infinity;
    for (let i = 0; i + 1 < this.vessel.length; i++) d2 = Math.min(d2, segmentDistance2(x, y, this.vessel[i], this.vessel[i + 1]));
    const end = this.vessel[this.vessel.length - 1];
    const vessel = b.peak * Math.exp(-d2 / (2 * this.vesselSigmaPx ** 2));
    const cloud = b.peak * Math.exp(-((x - end.x) ** 2 + (y - end.y) ** 2) / (2 * this.cloudSigmaPx ** 2));
    return Math.max(vessel, cloud);
  }

  override renderFrame(frame: number): FrameResult {
    const n = this.spec.size;
    const { dx, dy } = this.motionAt(frame);
    const img = new FloatImage(n, n);
    img.data.set(this.staticLayer(dx, dy));
    const tip = { x: round2(this.target.x + dx), y: round2(this.target.y + dy) };
    const inContrast = this.drawContrast(img, frame, tip);
    const strength = this.blushStrength(frame);
    if (strength > 0) {
      const reach = 3 * Math.max(this.cloudSigmaPx, this.vesselSigmaPx);
      const xs = this.vessel.map((p) => p.x);
      const ys = this.vessel.map((p) => p.y);
      img.addShape(
        {
          x0: Math.min(...xs) - reach + dx,
          y0: Math.min(...ys) - reach + dy,
          x1: Math.max(...xs) + reach + dx,
          y1: Math.max(...ys) + reach + dy,
        },
        (x, y) => strength * this.blushAt(x - dx, y - dy),
      );
    }
    this.fillBackground(img.data, frame);
    const out = new Uint16Array(n * n);
    let area = 0;
    for (let y = 0; y < n; y++) {
      for (let x = this.spans[2 * y]; x < this.spans[2 * y + 1]; x++) {
        const i = y * n + x;
        out[i] = this.stored(img.data[i]);
        if (inContrast && inContrast[i]) area++;
      }
    }
    return { pixels: out, tip, contrastAreaPx: area };
  }

  truth(): DsaTruth {
    const b = this.dsa.blush;
    const end = this.vessel[this.vessel.length - 1];
    // Where the blush adds at least a quarter of its peak, at full strength, in frame-1 coordinates.
    const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    const n = this.spec.size;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (this.blushAt(x, y) < 0.25 * b.peak) continue;
        box.x0 = Math.min(box.x0, x);
        box.y0 = Math.min(box.y0, y);
        box.x1 = Math.max(box.x1, x);
        box.y1 = Math.max(box.y1, y);
      }
    }
    const frames = Array.from({ length: this.spec.frames }, (_, k) => k + 1);
    const full = frames.filter((f) => this.blushStrength(f) === 1);
    return {
      pixelIntensityRelationship: 'LIN',
      valueMapping: `stored = round(${this.dsa.i0} · exp(−${this.dsa.mu} · a)), a = attenuation in display units (bone ~100–250, soft tissue ~40–80, contrast adds 48–75); clamped to 1…${2 ** this.spec.bitsStored - 1}; 0 outside the shutter`,
      i0: this.dsa.i0,
      mu: this.dsa.mu,
      maskFrames: Array.from({ length: this.dsa.maskFrames }, (_, k) => k + 1),
      motion: frames.map((frame) => ({ frame, ...this.motionAt(frame) })),
      supersample: this.dsa.supersample,
      blush: {
        frames: [b.from, b.to],
        peakFrames: [full[0], full[full.length - 1]],
        vesselPeak: b.peak,
        cloudPeak: b.peak,
        vessel: this.vessel,
        vesselSigmaPx: round2(this.vesselSigmaPx),
        cloud: { x: end.x, y: end.y, sigmaPx: round2(this.cloudSigmaPx) },
        box,
      },
    };
  }
}

function segmentDistance2(x: number, y: number, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const bx = b.x - a.x;
  const by = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((x - a.x) * bx + (y - a.y) * by) / (bx * bx + by * by)));
  return (x - a.x - bx * t) ** 2 + (y - a.y - by * t) ** 2;
}
