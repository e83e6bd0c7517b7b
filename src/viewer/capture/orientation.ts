/**
 * The orientation of an exported frame: the pane's quarter turns and mirrors, read off the
 * viewport as where the image's x and y axes point on the canvas, snapped to the nearest of the
 * eight right-angle orientations. Zoom and pan are left out: an export shows the whole image.
 * Pure.
 */
import type { Point } from '../../annotations/model';
import { formatViewTransform } from '../../format/display';

/**
 * Image vector (dx, dy) → output vector (xx·dx + xy·dy, yx·dx + yy·dy). Entries are -1, 0 or 1,
 * one non-zero per row and per column.
 */
export interface Orientation {
  readonly xx: number;
  readonly xy: number;
  readonly yx: number;
  readonly yy: number;
}

export const UPRIGHT: Orientation = { xx: 1, xy: 0, yx: 0, yy: 1 };

/** -0 would print as "-0" in tests and transforms; keep zeros plain. */
const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);

/**
 * From the canvas directions of the image's +x and +y axes (any length): the orientation, or
 * UPRIGHT when the axes do not make a right-angle orientation (a viewport not showing an image).
 */
export function orientationFromAxes(xAxis: readonly [number, number], yAxis: readonly [number, number]): Orientation {
  const snap = ([u, v]: readonly [number, number]): [number, number] => (Math.abs(u) >= Math.abs(v) ? [sign(u), 0] : [0, sign(v)]);
  const [xx, yx] = snap(xAxis);
  const [xy, yy] = snap(yAxis);
  const determinant = xx * yy - xy * yx;
  if (Math.abs(determinant) !== 1) return UPRIGHT;
  return { xx, xy, yx, yy };
}

export function isUpright(o: Orientation): boolean {
  return o.xx === 1 && o.yy === 1 && o.xy === 0 && o.yx === 0;
}

/** Width and height of the oriented image (a quarter turn swaps them). */
export function orientedSize(width: number, height: number, o: Orientation): { width: number; height: number } {
  return o.xx !== 0 ? { width, height } : { width: height, height: width };
}

/**
 * The affine map image → output for an image of this size shown with this orientation and
 * `scaleX` (`scaleY`) output pixels per image pixel along the image's x (y) axis, the oriented
 * image's top left at (0, 0). As [a, b, c, d, e, f] in Canvas2D setTransform order:
 * x' = a·x + c·y + e, y' = b·x + d·y + f.
 */
export function orientationTransform(
  width: number,
  height: number,
  o: Orientation,
  scaleX = 1,
  scaleY = scaleX,
): [number, number, number, number, number, number] {
  const e = -(Math.min(0, o.xx * width * scaleX) + Math.min(0, o.xy * height * scaleY));
  const f = -(Math.min(0, o.yx * width * scaleX) + Math.min(0, o.yy * height * scaleY));
  return [o.xx * scaleX, o.yx * scaleX, o.xy * scaleY, o.yy * scaleY, e || 0, f || 0];
}

export function orientPoint(p: Point, transform: readonly number[]): [number, number] {
  const [a, b, c, d, e, f] = transform;
  return [a * p.x + c * p.y + e, b * p.x + d * p.y + f];
}

/** The orientation of a clockwise turn (screen y points down). */
export function rotationOrientation(turnDeg: 0 | 90 | 180 | 270): Orientation {
  switch (turnDeg) {
    case 90:
      return { xx: 0, xy: -1, yx: 1, yy: 0 };
    case 180:
      return { xx: -1, xy: 0, yx: 0, yy: -1 };
    case 270:
      return { xx: 0, xy: 1, yx: -1, yy: 0 };
    default:
      return UPRIGHT;
  }
}

/** "Rotated 90° · flipped left–right" (a clockwise turn, then a mirror of what it shows); null when upright. */
export function describeOrientation(o: Orientation): string | null {
  for (const flip of [false, true]) {
    for (const turn of [0, 90, 180, 270] as const) {
      const r = rotationOrientation(turn);
      const m = flip ? { xx: -r.xx || 0, xy: -r.xy || 0, yx: r.yx, yy: r.yy } : r;
      if (m.xx === o.xx && m.xy === o.xy && m.yx === o.yx && m.yy === o.yy) return formatViewTransform(turn, flip, false);
    }
  }
  return null;
}
