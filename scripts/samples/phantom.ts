/**
 * A synthetic lumbar spine and sacrum seen by a C-arm, rendered as a static "anatomy" image.
 *
 * World: millimetres in the patient plane, x to image right, y to the feet (image down), z
 * anterior. Origin: the centre of the L3 body. A view projects (x, y, z) with the positioner
 * angles — x' = x·cos(primary) + z·sin(primary), y' = y·cos(secondary) + z·sin(secondary) — so in
 * an oblique view posterior elements (spinous processes, z ≈ -45 mm) slide across the bodies
 * (z ≈ +22 mm), which is roughly what an oblique does. It is a cartoon, not a projection of a
 * real volume.
 *
 * Values are in "8-bit display units" (0..255), additive, and proportional to attenuation: bone,
 * metal and contrast are bright (MONOCHROME2, higher value = more attenuation = less X-ray beam
 * intensity). The soft-tissue background and noise are added per frame on a coarse grid in
 * scene.ts; this file draws only the sharp structures.
 */
import { FloatImage, sdCapsule, sdRoundBox, sdTrapezoid, sdUnevenCapsule, toLocal, type Vec } from './raster';

export interface View {
  /** Image size (rows = columns). */
  size: number;
  /** Millimetres per pixel in the patient plane (Imager Pixel Spacing / ERMF). */
  mmPerPx: number;
  /** World point (mm) shown at the image centre. */
  centerXmm: number;
  centerYmm: number;
  /** Positioner Primary / Secondary Angle, degrees (LAO and CRA positive). */
  primaryDeg: number;
  secondaryDeg: number;
}

export type Side = -1 | 1; // -1: image left, +1: image right

export interface Level {
  name: string;
  /** Body centre (world mm), height, width, disc height below, in-plane tilt (degrees). */
  yc: number;
  xc: number;
  height: number;
  width: number;
  discBelow: number;
  tiltDeg: number;
  pedicleRx: number;
  pedicleRy: number;
  tpLength: number;
  tpRadius: number;
}

/** Pedicle landmark in pixel coordinates (ellipse axis-aligned before the level's tilt). */
export interface PedicleLandmark {
  level: string;
  side: Side;
  center: Vec;
  rx: number;
  ry: number;
  tilt: number;
}

/** Vertebral levels, T12 to L5, built from sizes; y positions accumulate from L3 at y = 0. */
export function buildLevels(): Level[] {
  const spec: Array<[string, number, number, number, number, number, number, number, number]> = [
    // name, height, width, disc below, tilt, pedicle rx, pedicle ry, TP length, TP radius
    ['T12', 23, 36, 7, -1.5, 3.4, 6.6, 4, 3.2],
    ['L1', 25, 40, 8, 1.0, 3.8, 7.0, 12, 3.4],
    ['L2', 27, 43, 9, 2.0, 4.2, 7.4, 18, 3.6],
    ['L3', 28, 46, 10, -1.0, 4.8, 7.8, 26, 3.8],
    ['L4', 28, 48, 10, 1.5, 5.6, 8.0, 20, 4.0],
    ['L5', 26, 50, 9, -2.0, 6.6, 7.6, 14, 5.6],
  ];
  const levels: Level[] = spec.map(([name, height, width, discBelow, tiltDeg, pedicleRx, pedicleRy, tpLength, tpRadius]) => ({
    name,
    yc: 0,
    xc: 0,
    height,
    width,
    discBelow,
    tiltDeg,
    pedicleRx,
    pedicleRy,
    tpLength,
    tpRadius,
  }));
  const l3 = levels.findIndex((l) => l.name === 'L3');
  for (let i = l3 - 1; i >= 0; i--) {
    const below = levels[i + 1];
    levels[i].yc = below.yc - below.height / 2 - levels[i].discBelow - levels[i].height / 2;
  }
  for (let i = l3 + 1; i < levels.length; i++) {
    const above = levels[i - 1];
    levels[i].yc = above.yc + above.height / 2 + above.discBelow + levels[i].height / 2;
  }
  // A gentle lateral curve, so the spine is not ruler-straight.
  for (const l of levels) l.xc = 2.5 * Math.sin((l.yc + 20) / 60);
  return levels;
}

export interface Anatomy {
  image: FloatImage;
  levels: Level[];
  pedicles: PedicleLandmark[];
  /** Sacral top (S1 endplate) centre in pixels, and S1 pedicles. */
  sacrumTop: Vec;
  project: (x: number, y: number, z: number) => Vec;
  /** Pixels per mm horizontally / vertically (including the obliquity foreshortening). */
  sx: number;
  sy: number;
}

const DEG = Math.PI / 180;

// Depths (z, mm, anterior positive) of each kind of structure, used only for the oblique shift.
const Z_BODY = 22;
const Z_PEDICLE = 2;
const Z_TP = -5;
const Z_FACET = -22;
const Z_SPINOUS = -45;
const Z_SACRUM = 0;
const Z_ILIUM = -10;
const Z_GAS = 60;

// Additive values in 8-bit display units.
const BODY_IN = 52;
const BODY_RIM = 72;
const PEDICLE_RING = 46;
const PEDICLE_IN = 14;
const SPINOUS_RIM = 34;
const SPINOUS_IN = 20;
const TP_IN = 24;
const TP_RIM = 34;
const FACET_RING = 30;
const FACET_IN = 14;
const SACRUM_IN = 30;
const SACRUM_RIM = 44;
const FORAMEN = -20;
const ILIUM_IN = 14;
const ILIUM_RIM = 30;
const GAS_CORE = -10;
const GAS_FRINGE = -5;

export function renderAnatomy(view: View): Anatomy {
  const n = view.size;
  const image = new FloatImage(n, n);
  const ca = Math.cos(view.primaryDeg * DEG);
  const sa = Math.sin(view.primaryDeg * DEG);
  const cb = Math.cos(view.secondaryDeg * DEG);
  const sb = Math.sin(view.secondaryDeg * DEG);
  const project = (x: number, y: number, z: number): Vec => ({
    x: n / 2 + (x * ca + z * sa - view.centerXmm) / view.mmPerPx,
    y: n / 2 + (y * cb + z * sb - view.centerYmm) / view.mmPerPx,
  });
  const sx = ca / view.mmPerPx;
  const sy = cb / view.mmPerPx;
  const px = 1 / view.mmPerPx; // isotropic pixels per mm
  const levels = buildLevels();
  const pedicles: PedicleLandmark[] = [];

  // Soft gas shadows in the bowel, drawn first (they sit under everything).
  const gas: Array<[number, number, number, number, number]> = [
    [-68, -32, 17, 11, 20],
    [58, 12, 22, 13, -15],
    [-44, 58, 15, 10, 5],
    [74, -70, 19, 12, 30],
    [-80, 95, 20, 14, -10],
  ];
  for (const [gx, gy, rx, ry, rot] of gas) {
    const c = project(gx, gy, Z_GAS);
    const ax = rx * px;
    const ay = ry * px;
    const r = Math.max(ax, ay) + 2;
    image.addShape({ x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r }, (x, y) => {
      const p = toLocal(x, y, c.x, c.y, rot * DEG);
      const e = (p.x / ax) ** 2 + (p.y / ay) ** 2;
      return e < 0.55 ? GAS_CORE : e < 1 ? GAS_FRINGE : 0;
    });
  }

  // Sacrum, with the S1 "body" top, S1 pedicles and the sacral foramina.
  const l5 = levels[levels.length - 1];
  const sacTopY = l5.yc + l5.height / 2 + l5.discBelow;
  const sacH = 95;
  const sacC = project(0, sacTopY + sacH / 2, Z_SACRUM);
  {
    const r1 = 55 * sx;
    const r2 = 18 * sx;
    const he = (sacH / 2) * sy;
    const round = 6 * px;
    const rim = 1.6 * px;
    image.addShape({ x0: sacC.x - r1 - round, y0: sacC.y - he - round, x1: sacC.x + r1 + round, y1: sacC.y + he + round }, (x, y) => {
      const d = sdTrapezoid(x - sacC.x, y - sacC.y, r1 - round, r2, he - round) - round;
      return d < 0 ? (d > -rim ? SACRUM_RIM : SACRUM_IN) : 0;
    });
  }
  const s1Body = project(0, sacTopY + 11, Z_BODY);
  drawBody(image, s1Body, (25 * ca + 16 * Math.abs(sa)) * px, (11 * cb + 8 * Math.abs(sb)) * px, 4 * px, 1.5 * px, 0, 1.4 * px, 14, 26);
  for (const side of [-1, 1] as const) {
    const pc = project(side * 16.5, sacTopY + 6, Z_PEDICLE);
    const ped: PedicleLandmark = { level: 'S1', side, center: pc, rx: (6 * ca + 3 * Math.abs(sa)) * px, ry: 6.5 * cb * px, tilt: 0 };
    drawPedicle(image, ped, 1.7 * px);
    pedicles.push(ped);
    const foramina: Array<[number, number, number, number]> = [
      [17, 22, 5.5, 4.5],
      [15, 44, 5.0, 4.2],
      [13, 62, 4.4, 3.8],
      [11, 76, 3.8, 3.2],
    ];
    for (const [fx, fy, rx, ry] of foramina) {
      const fc = project(side * fx, sacTopY + fy, Z_SACRUM);
      const ax = rx * sx;
      const ay = ry * sy;
      image.addShape({ x0: fc.x - ax - 1, y0: fc.y - ay - 1, x1: fc.x + ax + 1, y1: fc.y + ay + 1 }, (x, y) =>
        ((x - fc.x) / ax) ** 2 + ((y - fc.y) / ay) ** 2 < 1 ? FORAMEN : 0,
      );
    }
    // Ilium: a large oval wing lateral to the sacrum with a bright crest.
    const ic = project(side * 93, sacTopY + 20, Z_ILIUM);
    const irx = 58 * sx;
    const iry = 85 * sy;
    const rimW = 3 * px;
    image.addShape({ x0: ic.x - irx - 1, y0: ic.y - iry - 1, x1: ic.x + irx + 1, y1: ic.y + iry + 1 }, (x, y) => {
      const dx = (x - ic.x) / irx;
      const dy = (y - ic.y) / iry;
      const e = Math.sqrt(dx * dx + dy * dy);
      if (e >= 1) return 0;
      return (1 - e) * Math.min(irx, iry) < rimW ? ILIUM_RIM : ILIUM_IN;
    });
  }

  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    const tilt = l.tiltDeg * DEG;
    // Body: rounded box with slightly concave sides and a bright cortical rim.
    const bc = project(l.xc, l.yc, Z_BODY);
    const hx = ((l.width / 2) * ca + 16 * Math.abs(sa)) * px;
    const hy = ((l.height / 2) * cb + 8 * Math.abs(sb)) * px;
    drawBody(image, bc, hx, hy, 4 * px, 2.5 * px, tilt, 1.4 * px, BODY_IN, BODY_RIM);

    // Transverse processes (drawn before pedicles so the pedicle ring sits on top).
    for (const side of [-1, 1] as const) {
      const root = project(l.xc + side * (l.width / 2 - 4), l.yc - 0.05 * l.height, Z_TP);
      const tip = project(l.xc + side * (l.width / 2 + l.tpLength), l.yc - 0.05 * l.height + (l.name === 'L5' ? -5 : 2), Z_TP);
      const r = l.tpRadius * px;
      const rim = 1.2 * px;
      image.addShape(
        {
          x0: Math.min(root.x, tip.x) - r - 1,
          y0: Math.min(root.y, tip.y) - r - 1,
          x1: Math.max(root.x, tip.x) + r + 1,
          y1: Math.max(root.y, tip.y) + r + 1,
        },
        (x, y) => {
          const d = sdCapsule(x, y, root, tip, r);
          return d < 0 ? (d > -rim ? TP_RIM : TP_IN) : 0;
        },
      );
    }
    // Pedicles: the "eyes", oval rings on the upper lateral part of the body.
    for (const side of [-1, 1] as const) {
      const pc = project(l.xc + side * (0.3 * l.width + 1.5), l.yc - 0.22 * l.height, Z_PEDICLE);
      const ped: PedicleLandmark = {
        level: l.name,
        side,
        center: pc,
        rx: (l.pedicleRx * ca + 4 * Math.abs(sa)) * px,
        ry: l.pedicleRy * cb * px,
        tilt,
      };
      drawPedicle(image, ped, 1.7 * px);
      pedicles.push(ped);
    }
    // Spinous process: a teardrop in the midline over the lower body and the disc below.
    {
      const top = project(l.xc, l.yc + 0.18 * l.height, Z_SPINOUS);
      const r1 = (l.name === 'L5' ? 3.8 : 5) * px;
      const r2 = 2.2 * px;
      const h = (l.name === 'L5' ? 10 : 15) * sy;
      const rim = 1.2 * px;
      image.addShape({ x0: top.x - r1 - 1, y0: top.y - r1 - 1, x1: top.x + r1 + 1, y1: top.y + h + r2 + 1 }, (x, y) => {
        const p = toLocal(x, y, top.x, top.y, tilt);
        const d = sdUnevenCapsule(p.x, p.y, r1, r2, h);
        return d < 0 ? (d > -rim ? SPINOUS_RIM : SPINOUS_IN) : 0;
      });
    }
    // Facet joints (articular pillars) over the disc below, both sides.
    const discY = l.yc + l.height / 2 + l.discBelow / 2;
    for (const side of [-1, 1] as const) {
      const fc = project(l.xc + side * 0.34 * l.width, discY, Z_FACET);
      const ax = 5 * sx;
      const ay = 10 * sy;
      const ring = 1.5 * px;
      image.addShape({ x0: fc.x - ax - 1, y0: fc.y - ay - 1, x1: fc.x + ax + 1, y1: fc.y + ay + 1 }, (x, y) => {
        const p = toLocal(x, y, fc.x, fc.y, side * 12 * DEG);
        const e = Math.sqrt((p.x / ax) ** 2 + (p.y / ay) ** 2);
        if (e >= 1) return 0;
        return (1 - e) * ax < ring ? FACET_RING : FACET_IN;
      });
    }
  }

  return { image, levels, pedicles, sacrumTop: project(0, sacTopY, Z_SACRUM), project, sx, sy };
}

function drawBody(
  image: FloatImage,
  c: Vec,
  hx: number,
  hy: number,
  corner: number,
  waist: number,
  tilt: number,
  rim: number,
  inside: number,
  rimValue: number,
): void {
  const r = Math.max(hx, hy) * 1.5 + 2;
  image.addShape({ x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r }, (x, y) => {
    const p = toLocal(x, y, c.x, c.y, tilt);
    if (Math.abs(p.y) > hy) return 0;
    const t = p.y / hy;
    const hxEff = hx - waist * (1 - t * t);
    const d = sdRoundBox(p.x, p.y, hxEff, hy, corner);
    if (d >= 0) return 0;
    // Endplates read a little thicker than the side walls.
    return d > -rim || Math.abs(p.y) > hy - rim * 1.4 ? rimValue : inside;
  });
}

function drawPedicle(image: FloatImage, ped: PedicleLandmark, ring: number): void {
  const { center: c, rx, ry, tilt } = ped;
  const r = Math.max(rx, ry) + 2;
  image.addShape({ x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r }, (x, y) => {
    const p = toLocal(x, y, c.x, c.y, tilt);
    const e = Math.sqrt((p.x / rx) ** 2 + (p.y / ry) ** 2);
    if (e >= 1) return 0;
    return (1 - e) * Math.min(rx, ry) < ring ? PEDICLE_RING : PEDICLE_IN;
  });
}
