import { describe, expect, it } from 'vitest';
import { pixelGridShift } from '../../src/viewer/pixelGrid';

describe('pixelGridShift (1:1 puts image pixels on device pixels)', () => {
  it('moves a point half a pixel off the grid onto it, by the shorter way', () => {
    expect(pixelGridShift([10.5, 3.25], 1)).toEqual([0.5, -0.25]);
    expect(pixelGridShift([10.75, 3], 1)).toEqual([0.25, 0]);
  });

  it('works in device pixels when there are two per CSS pixel', () => {
    // 10.3 CSS px = 20.6 device px → 21 device px = 10.5 CSS px.
    const [dx, dy] = pixelGridShift([10.3, 4.5], 2);
    expect(dx).toBeCloseTo(0.2, 10);
    expect(dy).toBe(0);
  });

  it('does nothing without a usable scale', () => {
    expect(pixelGridShift([10.3, 4.5], 0)).toEqual([0, 0]);
  });
});
