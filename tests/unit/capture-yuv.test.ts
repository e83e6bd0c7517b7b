import { describe, expect, it } from 'vitest';
import { grayLevel, type FramePixels } from '../../src/viewer/capture/pixels';
import { I420Frame, evenBox, rgbToU, rgbToV, rgbToY } from '../../src/viewer/capture/yuv';

const display = { lower: 0, upper: 1000, invert: false };

function frameOf(columns: number, rows: number, values: number[]): FramePixels {
  return { pixels: Uint16Array.from(values), columns, rows, samplesPerPixel: 1, slope: 1, intercept: 0, prescaled: false };
}

function planes(f: I420Frame) {
  const luma = f.width * f.height;
  const chroma = luma / 4;
  return { y: f.buffer.subarray(0, luma), u: f.buffer.subarray(luma, luma + chroma), v: f.buffer.subarray(luma + chroma) };
}

describe('I420 frames built from grey pixels', () => {
  it('gives each pixel the limited-range luma of its grey level, chroma neutral, the padding black', () => {
    // 3×2 image in a 4×2 frame: the fourth column is the even-size padding.
    const f = new I420Frame(4, 2, 3, 2, display);
    const values = [0, 500, 1000, 250, 750, 2000];
    f.writeGrey(frameOf(3, 2, values), null);
    const { y, u, v } = planes(f);
    const luma = values.map((value) => rgbToY(grayLevel(value, display), grayLevel(value, display), grayLevel(value, display)));
    expect([...y]).toEqual([luma[0], luma[1], luma[2], 16, luma[3], luma[4], luma[5], 16]);
    expect([luma[0], luma[2]]).toEqual([16, 235]);
    expect([...u, ...v]).toEqual([128, 128, 128, 128]);
  });

  it('takes another window for the frames after setDisplay', () => {
    const f = new I420Frame(4, 2, 4, 2, display);
    const values = [0, 250, 500, 750, 1000, 100, 900, 600];
    const lumaOf = (d: typeof display) => values.map((v) => rgbToY(grayLevel(v, d), grayLevel(v, d), grayLevel(v, d)));
    f.writeGrey(frameOf(4, 2, values), null);
    expect([...planes(f).y]).toEqual(lumaOf(display));
    const other = { lower: 200, upper: 700, invert: true };
    f.setDisplay(other);
    f.writeGrey(frameOf(4, 2, values), null);
    expect([...planes(f).y]).toEqual(lumaOf(other));
  });

  it('maps float (pre-scaled) pixels exactly as grayLevel does', () => {
    const values = [-5, 0, 0.4, 1.5, 123.5, 127.49, 500.2, 999.9, 1000, 1e6];
    const f = new I420Frame(10, 2, 10, 1, { lower: 0, upper: 1000, invert: true });
    f.writeGrey({ ...frameOf(10, 1, []), pixels: Float32Array.from(values), prescaled: true }, null);
    const expected = Float32Array.from(values).map((v) => {
      const level = grayLevel(v, { lower: 0, upper: 1000, invert: true });
      return rgbToY(level, level, level);
    });
    expect([...planes(f).y.subarray(0, 10)]).toEqual([...expected]);
  });

  it('bends integer and float pixels along a sigmoid display as grayLevel does', () => {
    const sigmoid = { lower: 0, upper: 1000, invert: false, sigmoid: true };
    const values = [0, 100, 400, 500, 600, 900, 1000, 1500];
    const lumaOf = (list: ArrayLike<number>) =>
      Array.from(list, (v) => rgbToY(grayLevel(v, sigmoid), grayLevel(v, sigmoid), grayLevel(v, sigmoid)));
    const f = new I420Frame(8, 2, 8, 1, sigmoid);
    f.writeGrey(frameOf(8, 1, values), null);
    expect([...planes(f).y.subarray(0, 8)]).toEqual(lumaOf(values));
    const floats = Float32Array.from(values, (v) => v + 0.25);
    f.writeGrey({ ...frameOf(8, 1, []), pixels: floats, prescaled: true }, null);
    expect([...planes(f).y.subarray(0, 8)]).toEqual(lumaOf(floats));
    // Not the straight line: the window's lower end is 1 / (1 + e²) of white, not black.
    expect([grayLevel(0, sigmoid), grayLevel(0, { ...sigmoid, sigmoid: false })]).toEqual([30, 0]);
  });

  it('looks float pixels up in a VOI LUT display as grayLevel does', () => {
    const lut = {
      lower: 0,
      upper: 3,
      invert: false,
      lut: { firstValueMapped: 0, numberOfEntries: 4, bitsPerEntry: 8, data: [0, 200, 220, 255] },
    };
    const floats = Float32Array.from([-1, 0, 0.5, 1, 2.5, 3, 9, 1.75]);
    const f = new I420Frame(8, 2, 8, 1, lut);
    f.writeGrey({ ...frameOf(8, 1, []), pixels: floats, prescaled: true }, null);
    const expected = Array.from(floats, (v) => rgbToY(grayLevel(v, lut), grayLevel(v, lut), grayLevel(v, lut)));
    expect([...planes(f).y.subarray(0, 8)]).toEqual(expected);
    // Between entries 0 and 1, half way: 100, not the straight window's 43.
    expect(grayLevel(0.5, lut)).toBe(100);
  });

  it('turns the image as the transform says (a quarter turn clockwise)', () => {
    // Image 2 wide × 1 high → output 1 wide (padded to 2) × 2 high: x' = 1 − y, y' = x.
    const f = new I420Frame(2, 2, 1, 2, { lower: 0, upper: 255, invert: false });
    f.writeGrey(frameOf(2, 1, [0, 255]), [0, 1, -1, 0, 1, 0]);
    const { y } = planes(f);
    expect([y[0], y[2]]).toEqual([16, 235]);
  });

  it('blacks out masked rectangles', () => {
    const f = new I420Frame(4, 2, 4, 2, display);
    f.writeGrey(frameOf(4, 2, Array(8).fill(1000)), null, [{ x: 0.5, y: 0, width: 1, height: 1 }]);
    expect([...planes(f).y]).toEqual([16, 16, 235, 235, 235, 235, 235, 235]);
  });

  it('blends overlay colour over the grey where it is drawn, and resets the chroma on the next frame', () => {
    const f = new I420Frame(4, 4, 4, 4, { lower: 0, upper: 255, invert: false });
    const grey = frameOf(4, 4, Array(16).fill(128));
    f.writeGrey(grey, null);
    // The overlay's 2×2 box at (2, 0): an opaque yellow pixel, a half-transparent one, two clear.
    const rgba = new Uint8ClampedArray([255, 212, 0, 255, 255, 212, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0]);
    f.blendOverlay(rgba, { left: 2, top: 0, right: 4, bottom: 2 });
    const { y, u, v } = planes(f);
    expect(y[2]).toBe(rgbToY(255, 212, 0));
    const half = [
      Math.round((255 * 128 + 128 * 127) / 255),
      Math.round((212 * 128 + 128 * 127) / 255),
      Math.round((0 * 128 + 128 * 127) / 255),
    ];
    expect(Math.abs(y[3] - rgbToY(half[0], half[1], half[2]))).toBeLessThanOrEqual(1);
    expect(y[6]).toBe(rgbToY(128, 128, 128));
    expect(y[0]).toBe(rgbToY(128, 128, 128));
    // The block's chroma is that of the four pixels' mean colour: yellow pulls U down and V up.
    expect(u[1]).toBeLessThan(110);
    expect(v[1]).toBeGreaterThan(135);
    expect([u[0], v[0], u[2], v[2], u[3], v[3]]).toEqual([128, 128, 128, 128, 128, 128]);
    expect(rgbToU(128, 128, 128)).toBe(128);
    expect(rgbToV(128, 128, 128)).toBe(128);
    f.writeGrey(grey, null);
    expect([...planes(f).u, ...planes(f).v]).toEqual(Array(8).fill(128));
    expect(planes(f).y[2]).toBe(rgbToY(128, 128, 128));
  });

  it('widens boxes to whole 2×2 blocks inside the frame', () => {
    expect(evenBox({ left: -3, top: 3, right: 7, bottom: 9 }, 8, 8)).toEqual({ left: 0, top: 2, right: 8, bottom: 8 });
  });
});
