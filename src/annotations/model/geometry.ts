/**
 * Points and polygon arithmetic.
 *
 * COORDINATE CONVENTION (the one place it is defined; every module and file uses it):
 * a Point is in image pixel coordinates, continuous, with the origin at the top-left CORNER of the
 * top-left pixel. x grows along a row (columns, rightwards), y grows down the columns (rows,
 * downwards). The centre of the pixel at column c, row r (both 0-based) is (c + 0.5, r + 0.5);
 * the whole image spans [0, columns] × [0, rows]. These are Cornerstone3D's image coordinates
 * (viewer/frameCoords.ts converts them to world as the StackViewport lays the image out), so the
 * tools adapter passes points through unchanged.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export function isFinitePoint(value: unknown): value is Point {
  if (typeof value !== 'object' || value === null) return false;
  const { x, y } = value as { x?: unknown; y?: unknown };
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y);
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export function lerpPoint(a: Point, b: Point, t: number): Point {
  return { x: lerp(a.x, b.x, t), y: lerp(a.y, b.y, t) };
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

export function squaredDistance(a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return dx * dx + dy * dy;
}

/**
 * Shoelace signed area of a closed polygon, in px². With y pointing down, a polygon that looks
 * clockwise on screen has a positive area.
 */
export function signedArea(polygon: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i];
    const b = polygon[(i + 1) % polygon.length];
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

/** Unsigned area of a closed polygon in px² (0 for fewer than 3 vertices). */
export function polygonArea(polygon: readonly Point[]): number {
  return polygon.length < 3 ? 0 : Math.abs(signedArea(polygon));
}

/** Length of a closed polygon's boundary, closing edge included. */
export function perimeter(polygon: readonly Point[]): number {
  let total = 0;
  for (let i = 0; i < polygon.length; i++) total += distance(polygon[i], polygon[(i + 1) % polygon.length]);
  return total;
}
