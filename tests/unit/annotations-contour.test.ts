import { describe, expect, it } from 'vitest';
import {
  CONTOUR_MIN_SAMPLES,
  alignContour,
  contourSampleCount,
  distance,
  interpolateContours,
  perimeter,
  polygonArea,
  resampleContour,
  reverseContour,
  signedArea,
  type Point,
} from '../../src/annotations/model';

const square: Point[] = [
  { x: 0, y: 0 },
  { x: 10, y: 0 },
  { x: 10, y: 10 },
  { x: 0, y: 10 },
];

function circle(cx: number, cy: number, r: number, n: number, startAngle = 0): Point[] {
  return Array.from({ length: n }, (_, i) => {
    const a = startAngle + (2 * Math.PI * i) / n;
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
  });
}

function edgeLengths(points: readonly Point[]): number[] {
  return points.map((p, i) => distance(p, points[(i + 1) % points.length]));
}

describe('polygon arithmetic', () => {
  it('gives the shoelace area and its sign from the winding', () => {
    expect(polygonArea(square)).toBe(100);
    expect(signedArea(square)).toBe(100);
    expect(signedArea(reverseContour(square))).toBe(-100);
    expect(perimeter(square)).toBe(40);
  });

  it('gives zero area for fewer than three points', () => {
    expect(polygonArea(square.slice(0, 2))).toBe(0);
  });
});

describe('resampleContour', () => {
  it('spaces points equally along the boundary, starting at the first vertex', () => {
    const samples = resampleContour(square, 64);
    expect(samples).toHaveLength(64);
    expect(samples[0]).toEqual({ x: 0, y: 0 });
    for (const length of edgeLengths(samples)) expect(length).toBeCloseTo(40 / 64, 9);
  });

  it('keeps a square exactly when the samples land on its corners', () => {
    expect(polygonArea(resampleContour(square, 64))).toBeCloseTo(100, 9);
  });

  it('keeps a square approximately when they do not (corners are cut)', () => {
    const area = polygonArea(resampleContour(square, 50));
    expect(area).toBeLessThanOrEqual(100);
    expect(area).toBeGreaterThan(99);
  });

  it('spaces equally on an irregular polygon with very uneven edges', () => {
    const uneven: Point[] = [
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 30, y: 0 },
      { x: 30, y: 1 },
      { x: 0, y: 20 },
    ];
    const samples = resampleContour(uneven, 100);
    const step = perimeter(uneven) / 100;
    // Chords at a corner are shorter than the arc step, never longer.
    for (const length of edgeLengths(samples)) expect(length).toBeLessThanOrEqual(step + 1e-9);
    expect(edgeLengths(samples).filter((l) => Math.abs(l - step) < 1e-9).length).toBeGreaterThan(90);
  });
});

describe('alignContour', () => {
  it('fixes opposite winding and rotates the start to the nearest point', () => {
    const reference = resampleContour(square, 64);
    const shifted = [...reference.slice(20), ...reference.slice(0, 20)];
    const reversed = reverseContour(shifted);
    const aligned = alignContour(reference, reversed);
    expect(Math.sign(signedArea(aligned))).toBe(Math.sign(signedArea(reference)));
    aligned.forEach((p, i) => {
      expect(p.x).toBeCloseTo(reference[i].x, 9);
      expect(p.y).toBeCloseTo(reference[i].y, 9);
    });
  });

  it('refuses contours of different lengths', () => {
    expect(() => alignContour(square, square.slice(0, 3))).toThrow();
  });
});

describe('interpolateContours', () => {
  it(`samples max(${CONTOUR_MIN_SAMPLES}, vertex counts) points`, () => {
    expect(contourSampleCount(square, circle(0, 0, 5, 12))).toBe(CONTOUR_MIN_SAMPLES);
    expect(contourSampleCount(square, circle(0, 0, 5, 100))).toBe(100);
  });

  it('gives the circle of mean radius halfway between two concentric circles with different vertex counts', () => {
    const inner = circle(50, 40, 10, 40);
    const outer = circle(50, 40, 20, 72, 1.1);
    const mid = interpolateContours(inner, outer, 0.5);
    expect(mid).toHaveLength(72);
    for (const p of mid) expect(Math.hypot(p.x - 50, p.y - 40)).toBeCloseTo(15, 1);
  });

  it('still gives the mean circle when the second circle winds the other way', () => {
    const inner = circle(0, 0, 10, 64);
    const outer = reverseContour(circle(0, 0, 30, 48, 0.4));
    const mid = interpolateContours(inner, outer, 0.5);
    for (const p of mid) expect(Math.hypot(p.x, p.y)).toBeCloseTo(20, 1);
    expect(polygonArea(mid)).toBeCloseTo(Math.PI * 400, -1);
  });

  it('is each endpoint at t = 0 and t = 1 (as resampled outlines)', () => {
    const a = circle(0, 0, 10, 64);
    const b = circle(5, 5, 10, 64);
    const atStart = interpolateContours(a, b, 0);
    const atEnd = interpolateContours(a, b, 1);
    expect(polygonArea(atStart)).toBeCloseTo(polygonArea(a), 6);
    for (const p of atEnd) expect(Math.hypot(p.x - 5, p.y - 5)).toBeCloseTo(10, 1);
  });

  it('morphs a square into a larger square with its area in between', () => {
    const big = square.map((p) => ({ x: p.x * 2, y: p.y * 2 }));
    const mid = interpolateContours(square, big, 0.5);
    expect(polygonArea(mid)).toBeCloseTo(225, 6);
  });
});
