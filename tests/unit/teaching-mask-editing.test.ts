/** The mask step's rectangle editing (state/maskEditing.ts), in image pixels. */
import { describe, expect, it } from 'vitest';
import { grabAt, movedRect, newRect, previewFrames, resizedRect } from '../../src/state/maskEditing';

const rects = [
  { x: 0, y: 0, width: 50, height: 20 },
  { x: 40, y: 10, width: 30, height: 30 },
];

describe('mask rectangles', () => {
  it('grabs the topmost rectangle, and its bottom-right corner for resizing', () => {
    expect(grabAt(rects, { x: 45, y: 15 }, 3)).toEqual({ index: 1, part: 'body' });
    expect(grabAt(rects, { x: 5, y: 5 }, 3)).toEqual({ index: 0, part: 'body' });
    expect(grabAt(rects, { x: 69, y: 41 }, 3)).toEqual({ index: 1, part: 'corner' });
    expect(grabAt(rects, { x: 200, y: 200 }, 3)).toBeNull();
  });

  it('moves and resizes within the image, in whole pixels', () => {
    expect(movedRect(rects[0], 10.4, 5.6, 256, 256)).toEqual({ x: 10, y: 6, width: 50, height: 20 });
    expect(movedRect(rects[0], 500, -40, 256, 256)).toEqual({ x: 206, y: 0, width: 50, height: 20 });
    expect(resizedRect(rects[1], { x: 100, y: 300 }, 256, 256)).toEqual({ x: 40, y: 10, width: 60, height: 246 });
    expect(resizedRect(rects[1], { x: 0, y: 0 }, 256, 256)).toEqual({ x: 40, y: 10, width: 1, height: 1 });
  });

  it('adds a rectangle in the middle and previews first, thirds and last frame', () => {
    expect(newRect(256, 256)).toEqual({ x: 96, y: 115, width: 64, height: 26 });
    expect(previewFrames(12)).toEqual([1, 4, 8, 12]);
    expect(previewFrames(1)).toEqual([1]);
  });
});
