/** Small geometry edits the tools make while dragging. Pure. */
import { distance, type Geometry, type Point } from '../model';

export function offset(p: Point, dx: number, dy: number): Point {
  return { x: p.x + dx, y: p.y + dy };
}

/** Every point of a geometry moved by (dx, dy); sizes (a target's radius) stay. */
export function translateGeometry(geometry: Geometry, dx: number, dy: number): Geometry {
  const moved: Record<string, unknown> = { ...geometry };
  for (const [key, value] of Object.entries(geometry)) {
    if (key === 'contour') moved.contour = (value as Point[]).map((p) => offset(p, dx, dy));
    else if (value && typeof value === 'object' && 'x' in value) moved[key] = offset(value as Point, dx, dy);
  }
  return moved as unknown as Geometry;
}

/** Distance from `p` to the segment a–b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const lengthSquared = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
  if (lengthSquared === 0) return distance(p, a);
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / lengthSquared));
  return distance(p, { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
}

/** Distance from `p` to a closed polygon's boundary. */
export function distanceToPolygon(p: Point, polygon: readonly Point[]): number {
  let best = Infinity;
  for (let i = 0; i < polygon.length; i++) best = Math.min(best, distanceToSegment(p, polygon[i], polygon[(i + 1) % polygon.length]));
  return best;
}
