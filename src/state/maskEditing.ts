/**
 * The mask step's rectangle editing, in image pixels: find the rectangle (or its resize corner)
 * under the pointer, move or resize it within the image, add one. Pure, so the dialog stays thin.
 */
import type { MaskRect } from '../export/deid';

export type RectGrab = { index: number; part: 'body' | 'corner' } | null;

/** The topmost rectangle under `p`; its bottom-right corner (within `handle` pixels) resizes it. */
export function grabAt(rects: readonly MaskRect[], p: { x: number; y: number }, handle: number): RectGrab {
  for (let index = rects.length - 1; index >= 0; index--) {
    const r = rects[index];
    const right = r.x + r.width;
    const bottom = r.y + r.height;
    if (Math.abs(p.x - right) <= handle && Math.abs(p.y - bottom) <= handle) return { index, part: 'corner' };
    if (p.x >= r.x && p.x <= right && p.y >= r.y && p.y <= bottom) return { index, part: 'body' };
  }
  return null;
}

const clamp = (v: number, low: number, high: number): number => Math.min(high, Math.max(low, v));

/** The rectangle moved by (dx, dy) and kept inside the image (whole pixels). */
export function movedRect(r: MaskRect, dx: number, dy: number, columns: number, rows: number): MaskRect {
  return {
    ...r,
    x: clamp(Math.round(r.x + dx), 0, columns - r.width),
    y: clamp(Math.round(r.y + dy), 0, rows - r.height),
  };
}

/** The rectangle with its bottom-right corner at `p` (at least 1 × 1, inside the image). */
export function resizedRect(r: MaskRect, p: { x: number; y: number }, columns: number, rows: number): MaskRect {
  return {
    ...r,
    width: clamp(Math.round(p.x - r.x), 1, columns - r.x),
    height: clamp(Math.round(p.y - r.y), 1, rows - r.y),
  };
}

/** A new rectangle in the middle of the image, a quarter of its width by a tenth of its height. */
export function newRect(columns: number, rows: number): MaskRect {
  const width = Math.max(1, Math.round(columns / 4));
  const height = Math.max(1, Math.round(rows / 10));
  return { x: Math.round((columns - width) / 2), y: Math.round((rows - height) / 2), width, height };
}

/** Frames the preview shows: first, a third, two thirds, last (distinct). */
export function previewFrames(frameCount: number): number[] {
  return [...new Set([1, Math.round(frameCount / 3), Math.round((2 * frameCount) / 3), frameCount].filter((f) => f >= 1))];
}
