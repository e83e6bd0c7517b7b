/**
 * Contour interpolation between two keyframes of a contrast spread.
 *
 * Both contours are resampled to the same number of points at equal arc-length steps, the second
 * is given the first's winding and rotated so its start lines up with the first's, and then the
 * points are blended pairwise. Sample count: max(CONTOUR_MIN_SAMPLES, vertices of either contour)
 * — at least 64 so a 4-point sketch still morphs smoothly into a 30-point one, and never fewer than
 * either input so a detailed outline keeps its detail.
 */
import { lerpPoint, perimeter, signedArea, squaredDistance, type Point } from './geometry';

export const CONTOUR_MIN_SAMPLES = 64;

export function contourSampleCount(a: readonly Point[], b: readonly Point[]): number {
  return Math.max(CONTOUR_MIN_SAMPLES, a.length, b.length);
}

/**
 * `count` points spaced equally along the closed boundary, starting at the first vertex.
 * Samples lie on the original edges, so corners between samples are cut slightly.
 */
export function resampleContour(contour: readonly Point[], count: number): Point[] {
  const total = perimeter(contour);
  if (contour.length === 0 || total === 0) return Array.from({ length: count }, () => contour[0] ?? { x: 0, y: 0 });
  const step = total / count;
  const samples: Point[] = [];
  let edge = 0;
  let edgeStartAt = 0; // arc length at the start of `edge`
  for (let k = 0; k < count; k++) {
    const target = k * step;
    let edgeLength = edgeLengthAt(contour, edge);
    while (edgeStartAt + edgeLength < target && edge < contour.length - 1) {
      edgeStartAt += edgeLength;
      edge += 1;
      edgeLength = edgeLengthAt(contour, edge);
    }
    const t = edgeLength === 0 ? 0 : Math.min(1, (target - edgeStartAt) / edgeLength);
    samples.push(lerpPoint(contour[edge], contour[(edge + 1) % contour.length], t));
  }
  return samples;
}

function edgeLengthAt(contour: readonly Point[], edge: number): number {
  const a = contour[edge];
  const b = contour[(edge + 1) % contour.length];
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** The same closed contour traversed the other way, keeping its start point. */
export function reverseContour(contour: readonly Point[]): Point[] {
  return contour.length === 0 ? [] : [contour[0], ...contour.slice(1).reverse()];
}

/**
 * `contour` (same length as `reference`) with `reference`'s winding, its start index rotated to
 * minimise the summed squared distance to `reference`, so pairwise blending does not twist.
 */
export function alignContour(reference: readonly Point[], contour: readonly Point[]): Point[] {
  if (reference.length !== contour.length) throw new Error('alignContour needs contours with the same number of points');
  const sameWinding = Math.sign(signedArea(reference)) === Math.sign(signedArea(contour));
  const oriented = sameWinding ? contour : reverseContour(contour);
  const shift = bestRotation(reference, oriented);
  return oriented.map((_, i) => oriented[(i + shift) % oriented.length]);
}

function bestRotation(reference: readonly Point[], contour: readonly Point[]): number {
  const n = reference.length;
  let best = 0;
  let bestCost = Infinity;
  for (let shift = 0; shift < n; shift++) {
    let cost = 0;
    for (let i = 0; i < n && cost < bestCost; i++) cost += squaredDistance(reference[i], contour[(i + shift) % n]);
    if (cost < bestCost) {
      bestCost = cost;
      best = shift;
    }
  }
  return best;
}

// Alignment is O(n²) and keyframe contours are immutable, so each keyframe pair is aligned once
// and reused for every frame between them (charts walk every frame of long runs).
const alignedPairs = new WeakMap<readonly Point[], WeakMap<readonly Point[], readonly [Point[], Point[]]>>();

/** Resampled, aligned versions of `a` and `b`, ready for pairwise blending. */
export function correspondContours(a: readonly Point[], b: readonly Point[]): readonly [Point[], Point[]] {
  const cached = alignedPairs.get(a)?.get(b);
  if (cached) return cached;
  const count = contourSampleCount(a, b);
  const resampledA = resampleContour(a, count);
  const pair = [resampledA, alignContour(resampledA, resampleContour(b, count))] as const;
  if (!alignedPairs.has(a)) alignedPairs.set(a, new WeakMap());
  alignedPairs.get(a)?.set(b, pair);
  return pair;
}

/** The contour a fraction `t` (0 → a, 1 → b) of the way from `a` to `b`. */
export function interpolateContours(a: readonly Point[], b: readonly Point[], t: number): Point[] {
  const [from, to] = correspondContours(a, b);
  return from.map((p, i) => lerpPoint(p, to[i], t));
}
