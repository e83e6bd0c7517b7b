import type { Types } from '@cornerstonejs/core';
import { describe, expect, it, vi } from 'vitest';
import { grayLevel } from '../../src/viewer/capture/pixels';
import { fittedRect, hasLinearVoi, openingDisplayOf, paintableFirst, sampleFrame } from '../../src/viewer/firstPaint';
import { runInfoWith } from './runInfoFixture';

const BLACK = 0xff000000;
const levelOf = (word: number) => word & 0xff;

describe('fittedRect (where Cornerstone fits an image)', () => {
  it('fills the height of a wide canvas, centred across', () => {
    expect(fittedRect(1220, 633, 512, 512)).toEqual({ x: (1220 - 633) / 2, y: 0, width: 633, height: 633 });
  });

  it('fills the width of a tall canvas, centred down', () => {
    expect(fittedRect(400, 900, 1024, 512)).toEqual({ x: 0, y: 350, width: 400, height: 200 });
  });

  it('takes the world size, so unequal pixel spacing stretches the image', () => {
    // 100 columns of 2 mm by 100 rows of 1 mm: twice as wide as tall.
    expect(fittedRect(300, 300, 100 * 2, 100 * 1)).toEqual({ x: 0, y: 75, width: 300, height: 150 });
  });
});

describe('sampleFrame (frame → canvas pixels as the GPU draws them)', () => {
  const display = { lower: 0, upper: 255, invert: false };

  it('at 1:1 on whole pixels: each canvas pixel is its image pixel through the window; black around', () => {
    const values = Uint16Array.from([0, 50, 100, 150, 200, 250]);
    const out = new Uint32Array(6 * 4);
    // 3×2 image placed at (2, 1) in a 6×4 canvas.
    sampleFrame(values, 3, 2, display, { x: 2, y: 1, width: 3, height: 2 }, out, 6, 4);
    const level = (x: number, y: number) => levelOf(out[y * 6 + x]);
    expect([level(2, 1), level(3, 1), level(4, 1), level(2, 2), level(3, 2), level(4, 2)]).toEqual(
      [0, 50, 100, 150, 200, 250].map((v) => grayLevel(v, display)),
    );
    for (const [x, y] of [
      [0, 0],
      [1, 1],
      [5, 1],
      [2, 0],
      [2, 3],
      [5, 3],
    ])
      expect(out[y * 6 + x], `(${x}, ${y})`).toBe(BLACK);
    expect(
      out.every((w) => w >>> 24 === 0xff),
      'opaque',
    ).toBe(true);
  });

  it('interpolates stored values, then windows them: an edge below the window stays as steep as on the GPU', () => {
    // A step 0 → 100 between columns 1 and 2, drawn twice as large; the window is 40 … 100.
    const values = Uint16Array.from([0, 0, 100, 100]);
    const out = new Uint32Array(8);
    sampleFrame(values, 4, 1, { lower: 40, upper: 100, invert: false }, { x: 0, y: 0, width: 8, height: 1 }, out, 8, 1);
    // Canvas x → image u = (x + 0.5) / 2 − 0.5: x = 3 → u 1.25 → 25 (below the window); x = 4 → 1.75 → 75 → 148.75.
    expect(Array.from(out, levelOf)).toEqual([0, 0, 0, 0, 149, 255, 255, 255]);
    // Windowing first (0 → 0, 100 → 255) and interpolating grey levels after would give 64 and 191.
  });

  it('clamps at the image edge as a texture does, and inverts when asked', () => {
    const values = Uint8Array.from([10, 20, 30, 40]);
    const out = new Uint32Array(16);
    sampleFrame(values, 2, 2, { lower: 0, upper: 255, invert: true }, { x: 0, y: 0, width: 4, height: 4 }, out, 4, 4);
    // The corner pixel's centre maps outside the first pixel's centre: it takes the edge value.
    expect(levelOf(out[0])).toBe(255 - 10);
    expect(levelOf(out[15])).toBe(255 - 40);
    // Pixel (1, 1): u = v = 0.25, a quarter of the way to the next column and row.
    expect(levelOf(out[1 * 4 + 1])).toBe(255 - Math.round(10 + 10 * 0.25 + 20 * 0.25));
  });

  it('paints only canvas pixels whose centres lie in the rectangle', () => {
    const out = new Uint32Array(10);
    sampleFrame(Uint8Array.from([255]), 1, 1, display, { x: 2.4, y: 0, width: 5.2, height: 1 }, out, 10, 1);
    // Centres 2.5 … 6.5 lie in [2.4, 7.6); 7.5 does too; 1.5 and 8.5 do not.
    expect(Array.from(out, levelOf)).toEqual([0, 0, 255, 255, 255, 255, 255, 255, 0, 0]);
  });

  it('a flat window (upper = lower) shows values above it white, the rest black, at 16 bits too', () => {
    const out = new Uint32Array(3);
    sampleFrame(Uint8Array.from([4, 5, 6]), 3, 1, { lower: 5, upper: 5, invert: false }, { x: 0, y: 0, width: 3, height: 1 }, out, 3, 1);
    expect(Array.from(out, levelOf)).toEqual([0, 0, 255]);
    const high = [65533, 65534, 65535];
    sampleFrame(
      Uint16Array.from(high),
      3,
      1,
      { lower: 65534, upper: 65534, invert: false },
      { x: 0, y: 0, width: 3, height: 1 },
      out,
      3,
      1,
    );
    expect(Array.from(out, levelOf)).toEqual([0, 0, 255]);
  });
});

describe('openingDisplayOf (the window a run opens with)', () => {
  it("uses the file's first window, as DICOM's linear window", () => {
    const info = runInfoWith({
      voi: {
        windows: [
          { center: 128, width: 256 },
          { center: 10, width: 20 },
        ],
      } as never,
    });
    const valueRange = vi.fn(() => ({ min: 3, max: 90 }));
    expect(openingDisplayOf(info, valueRange)).toEqual({ lower: 0, upper: 255, invert: false });
    // The frame is not scanned for a range the window makes needless.
    expect(valueRange).not.toHaveBeenCalled();
  });

  it('is inverted for MONOCHROME1 and for MONOCHROME2 with a Presentation LUT Shape of INVERSE', () => {
    const range = () => ({ min: 3, max: 90 });
    const opening = (photometricInterpretation: string, presentationLutShape?: 'INVERSE' | 'IDENTITY') =>
      openingDisplayOf(runInfoWith({ voi: { windows: [] }, photometricInterpretation, presentationLutShape }), range).invert;
    expect(opening('MONOCHROME2')).toBe(false);
    expect(opening('MONOCHROME2', 'IDENTITY')).toBe(false);
    expect(opening('MONOCHROME2', 'INVERSE')).toBe(true);
    expect(opening('MONOCHROME1')).toBe(true);
    expect(opening('MONOCHROME1', 'INVERSE')).toBe(true);
  });

  it("else the frame's value range; a flat frame gets a window of 2 around its value", () => {
    const info = runInfoWith({ voi: { windows: [] } });
    expect(openingDisplayOf(info, () => ({ min: 3, max: 90 }))).toEqual({ lower: 3, upper: 90, invert: false });
    expect(openingDisplayOf(info, () => ({ min: 7, max: 7 }))).toEqual({ lower: 6, upper: 8, invert: false });
  });

  it("places the window's ends as the file's VOI LUT Function says, and marks a sigmoid one", () => {
    const window = { center: 140, width: 230 };
    const withFunction = (lutFunction: string) => runInfoWith({ voi: { windows: [window], lutFunction } });
    expect(openingDisplayOf(withFunction('LINEAR'), () => ({ min: 0, max: 1 }))).toEqual({ lower: 25, upper: 254, invert: false });
    expect(openingDisplayOf(withFunction('LINEAR_EXACT'), () => ({ min: 0, max: 1 }))).toEqual({ lower: 25, upper: 255, invert: false });
    expect(openingDisplayOf(withFunction('SIGMOID'), () => ({ min: 0, max: 1 }))).toEqual({
      lower: 25,
      upper: 254,
      invert: false,
      sigmoid: true,
    });
    // Without a window, the frame's range under the sigmoid (DCMTK bends its min–max window so too).
    expect(openingDisplayOf(runInfoWith({ voi: { windows: [], lutFunction: 'SIGMOID' } }), () => ({ min: 3, max: 90 }))).toEqual({
      lower: 3,
      upper: 90,
      invert: false,
      sigmoid: true,
    });
  });

  it('opens through the first VOI LUT when the file stores no window, and does not paint it first', () => {
    const lut = { firstValueMapped: 5, numberOfEntries: 3, bitsPerEntry: 8, data: [0, 9, 255], explanation: 'NORMAL' };
    const info = runInfoWith({ photometricInterpretation: 'MONOCHROME1', voi: { windows: [], luts: [lut, { ...lut, explanation: 'B' }] } });
    const valueRange = vi.fn(() => ({ min: 0, max: 1 }));
    expect(openingDisplayOf(info, valueRange)).toEqual({ lower: 5, upper: 7, invert: true, lut });
    expect(valueRange).not.toHaveBeenCalled();
    expect(hasLinearVoi(info)).toBe(false);
    // A window comes first.
    const windowed = runInfoWith({ voi: { windows: [{ center: 140, width: 230 }], luts: [lut] } });
    expect(openingDisplayOf(windowed, valueRange)).toEqual({ lower: 25, upper: 254, invert: false });
    expect(hasLinearVoi(windowed)).toBe(true);
  });

  it('inverts MONOCHROME1', () => {
    const info = runInfoWith({ photometricInterpretation: 'MONOCHROME1', voi: { windows: [] } });
    expect(openingDisplayOf(info, () => ({ min: 0, max: 1023 })).invert).toBe(true);
  });
});

describe('paintableFirst (frames whose display is known before Cornerstone has them)', () => {
  const imageOf = (pixels: ArrayLike<number>, extra: Partial<Types.IImage> = {}) =>
    ({ columns: 2, rows: 2, color: false, getPixelData: () => pixels, ...extra }) as unknown as Types.IImage;
  const info = runInfoWith({ voi: { windows: [] } });

  it('takes plain 8- and 16-bit grayscale', () => {
    expect(paintableFirst(imageOf(new Uint8Array(4)), info, true, false)).toBe(true);
    expect(paintableFirst(imageOf(new Uint16Array(4)), info, true, false)).toBe(true);
    expect(paintableFirst(imageOf(new Uint16Array(4)), runInfoWith({ voi: { windows: [], lutFunction: 'LINEAR' } }), true, false)).toBe(
      true,
    );
  });

  it('leaves to Cornerstone what it would show otherwise', () => {
    expect(paintableFirst(imageOf(new Uint8Array(4)), info, false, false), 'rescaled, signed, Modality LUT in the file').toBe(false);
    expect(paintableFirst(imageOf(new Uint16Array(4)), info, true, true), 'Modality LUT Sequence applied').toBe(false);
    expect(paintableFirst(imageOf(new Uint8Array(12), { color: true }), info, true, false), 'colour').toBe(false);
    expect(paintableFirst(imageOf(new Float32Array(4)), info, true, false), 'float pixels').toBe(false);
    expect(paintableFirst(imageOf(new Uint8Array(3)), info, true, false), 'too few pixels').toBe(false);
    expect(
      paintableFirst(imageOf(new Uint16Array(4)), runInfoWith({ voi: { windows: [], lutFunction: 'SIGMOID' } }), true, false),
      'a sigmoid VOI LUT function',
    ).toBe(false);
    // LINEAR_EXACT is a straight line too (openingDisplayOf places its ends).
    expect(
      paintableFirst(imageOf(new Uint16Array(4)), runInfoWith({ voi: { windows: [], lutFunction: 'LINEAR_EXACT' } }), true, false),
    ).toBe(true);
  });
});
