/**
 * A new run's first frame painted straight into the pane's canvas the moment it is decoded, before
 * Cornerstone has made its image data, actor and camera for it (about 12 ms of main-thread work
 * on a 512² frame, then its draw in the next animation frame, 9 ms more on software GL).
 * Cornerstone's own render of the same frame replaces these pixels a frame later; the
 * browser test (first-paint.test.ts) checks that the two agree, so the swap cannot be seen.
 * The paint costs 5–13 ms of sampling and 3–4 ms to put for a 633² box here (warmed, see
 * warmUpFirstPaint). On software GL the extra frame it presents costs the GPU process 30–60 ms
 * of CPU beside the decode workers; that is the price of seeing frame 1 sooner.
 *
 * Only frames whose display is fully known before Cornerstone has seen them are painted this way:
 * plain grayscale (8 or 16 bits, unsigned, no rescale, no Modality LUT Sequence), a linear VOI,
 * the run's opening window (the frame's image's first window, else the frame's value range, as
 * StackController.defaultVoiRange), MONOCHROME1 inverted, fitted and centred as Cornerstone's
 * resetCamera fits it, upright. Anything else waits for Cornerstone, as before.
 */
import type { Types } from '@cornerstonejs/core';
import { opensInverted } from '../dicom/presentationLut';
import { voiFunctionOf, windowsOfFrame } from '../dicom/runInfo';
import type { RunInfo, VoiFunction } from '../dicom/types';
import { openingVoiLut, voiLutInputRange } from '../dicom/voiLut';
import type { GrayDisplay } from './capture/pixels';
import { rangeFromWindow } from './probeMath';

/** Dispatched on the pane's element right after the paint; detail: image → canvas CSS pixels. */
export const FIRST_PAINT_EVENT = 'fluorolens:first-paint';

export interface FirstPaintDetail {
  /** Canvas CSS pixels of an image point (x, y): [a, b, c, d, e, f] as in SVG's matrix(). */
  readonly imageToCanvas: readonly [number, number, number, number, number, number];
}

/**
 * If the next animation frame never comes (a hidden tab), Cornerstone gets the frame after this.
 * Generous: on a loaded 2-core machine with software GL a frame can take a few hundred ms, and
 * Cornerstone would wait for the same frame to draw.
 */
const COMMIT_WAIT_MAX_MS = 1000;

/** A frame's smallest and largest value (after its rescale), worked out when asked for. */
export type ValueRange = () => { readonly min: number; readonly max: number };

/**
 * The opening display of frame `frame`, inverted when the file asks for it (MONOCHROME1, or a
 * Presentation LUT Shape of INVERSE: presentationLut.ts): StackController's default window
 * (the frame's own image's in a series windowed image by image), or the file's first VOI LUT when
 * it stores no window (never painted first: hasLinearVoi). The frame's value range is asked for
 * only when the file has no window: scanning a 1024² frame for it was 5–7 ms of the first paint
 * (profiled), for a figure the display then did not use.
 */
export function openingDisplayOf(info: RunInfo, valueRange: ValueRange, frame = 1): GrayDisplay {
  const invert = opensInverted(info);
  const fn = voiFunctionOf(info.voi);
  const window = windowsOfFrame(info.voi, frame)[0];
  const lut = openingVoiLut(info.voi, frame);
  if (lut) return { ...voiLutInputRange(lut), invert, lut };
  // One object shape for every linear case: sampleFrame's optimised code is specialised to it (warmUpFirstPaint).
  if (window) {
    const { lower, upper } = rangeFromWindow(window.width, window.center, fn);
    return displayWithFunction({ lower, upper, invert }, fn);
  }
  const { min, max } = valueRange();
  return displayWithFunction(max > min ? { lower: min, upper: max, invert } : { lower: min - 1, upper: min + 1, invert }, fn);
}

/**
 * A linear display as it is, marked sigmoid under that VOI LUT Function (only then: a linear
 * display keeps the object shape the first paint's sampling was optimised for).
 */
export function displayWithFunction(display: GrayDisplay, fn: VoiFunction): GrayDisplay {
  return fn === 'SIGMOID' ? { ...display, sigmoid: true } : display;
}

/**
 * Whether the run opens with a straight line between the window's ends (LINEAR or LINEAR_EXACT,
 * stated or by default), as the first paint draws it: not a sigmoid, nor a VOI LUT.
 */
export function hasLinearVoi(info: RunInfo): boolean {
  return voiFunctionOf(info.voi) !== 'SIGMOID' && !openingVoiLut(info.voi);
}

/** Whether this decoded frame's display is known without Cornerstone (see the header). */
export function paintableFirst(image: Types.IImage, info: RunInfo, plainGrayscale: boolean, lutApplied: boolean): boolean {
  if (!plainGrayscale || lutApplied || image.color || !hasLinearVoi(info)) return false;
  const pixels = image.getPixelData();
  return (pixels instanceof Uint8Array || pixels instanceof Uint16Array) && pixels.length === image.columns * image.rows;
}

/**
 * Where Cornerstone's resetCamera puts an image of `widthWorld` × `heightWorld` (columns × column
 * spacing, rows × row spacing) in a canvas: fitted whole, centred. In the canvas's own pixels.
 */
export function fittedRect(canvasWidth: number, canvasHeight: number, widthWorld: number, heightWorld: number) {
  const scale = Math.min(canvasWidth / widthWorld, canvasHeight / heightWorld);
  const width = widthWorld * scale;
  const height = heightWorld * scale;
  return { x: (canvasWidth - width) / 2, y: (canvasHeight - height) / 2, width, height };
}

/**
 * The canvas's pixels for a frame drawn in `rect` as Cornerstone draws it: each canvas pixel whose
 * centre lies in the rectangle samples the stored values bilinearly (clamped at the image's edge,
 * as a GPU texture is) and then goes through the window, so a sharp edge crossing the window's
 * lower end comes out as steep as on the GPU (windowing first and interpolating grey levels
 * after would soften it). Everything else is black. Pure: RGBA words, little endian.
 *
 * Separable: each source row is interpolated across once into a row of the canvas's width, and
 * each canvas row blends two of those.
 */
export function sampleFrame(
  values: ArrayLike<number>,
  columns: number,
  rows: number,
  display: GrayDisplay,
  rect: { x: number; y: number; width: number; height: number },
  out: Uint32Array,
  width: number,
  height: number,
): void {
  // Written as signed words: an opaque grey is a negative int32, and staying in int32 keeps V8's
  // stores on its fast path (as unsigned they are doubles, which cost 3× the whole loop).
  const words = new Int32Array(out.buffer, out.byteOffset, out.length);
  const black = 0xff000000 | 0;
  words.fill(black);
  // Canvas pixels whose centres lie inside the rectangle.
  const x0 = Math.max(0, Math.ceil(rect.x - 0.5));
  const x1 = Math.min(width, Math.ceil(rect.x + rect.width - 0.5));
  const y0 = Math.max(0, Math.ceil(rect.y - 0.5));
  const y1 = Math.min(height, Math.ceil(rect.y + rect.height - 0.5));
  if (x1 <= x0 || y1 <= y0) return;
  const span = display.upper - display.lower;
  // A flat window (upper = lower) shows values above it white and the rest black: a very steep
  // line does the same without a branch per pixel (steep, not so steep that 16-bit values lose
  // the 0.5 of the rounding).
  const gain = span > 0 ? 255 / span : 1e6;
  const offset = 0.5 - display.lower * gain;
  const invertMask = display.invert ? 255 : 0;
  const perX = columns / rect.width;
  const perY = rows / rect.height;
  const count = x1 - x0;
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  const fractionX = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.min(columns - 1, Math.max(0, (x0 + i + 0.5 - rect.x) * perX - 0.5));
    left[i] = Math.floor(u);
    right[i] = Math.min(columns - 1, left[i] + 1);
    fractionX[i] = u - left[i];
  }
  // Source rows interpolated across, kept while consecutive canvas rows need them.
  let above = new Float64Array(count);
  let below = new Float64Array(count);
  let aboveRow = -1;
  let belowRow = -1;
  for (let y = y0; y < y1; y++) {
    const v = Math.min(rows - 1, Math.max(0, (y + 0.5 - rect.y) * perY - 0.5));
    const top = Math.floor(v);
    const bottom = Math.min(rows - 1, top + 1);
    if (top !== aboveRow) {
      if (top === belowRow) {
        const spare = above;
        above = below;
        below = spare;
        aboveRow = top;
        belowRow = -1;
      } else {
        interpolateRow(values, top * columns, left, right, fractionX, above);
        aboveRow = top;
      }
    }
    if (bottom !== belowRow) {
      interpolateRow(values, bottom * columns, left, right, fractionX, below);
      belowRow = bottom;
    }
    // value = above·(1 − fy) + below·fy; t = (value − lower)·gain + 0.5, rounded down below.
    const weightAbove = (1 - (v - top)) * gain;
    const weightBelow = (v - top) * gain;
    let o = y * width + x0;
    for (let i = 0; i < count; i++, o++) {
      const t = above[i] * weightAbove + below[i] * weightBelow + offset;
      // The nearest grey level, as grayLevel rounds it; 255 − level for an inverted display.
      const level = (t <= 0 ? 0 : t >= 255 ? 255 : t | 0) ^ invertMask;
      words[o] = black | (level * 0x010101);
    }
  }
}

/**
 * One source row (starting at `base`) interpolated across at the canvas's columns. A function of
 * its own, not a closure made per call: optimised code that inlined one call's closure was thrown
 * away ("wrong call target") when the next paint made a new one, and the paint ran unoptimised.
 */
function interpolateRow(
  values: ArrayLike<number>,
  base: number,
  left: Int32Array,
  right: Int32Array,
  fractionX: Float64Array,
  into: Float64Array,
): void {
  for (let i = 0; i < into.length; i++) {
    const a = values[base + left[i]];
    into[i] = a + (values[base + right[i]] - a) * fractionX[i];
  }
}

/**
 * Runs sampleFrame on made-up 8- and 16-bit frames, in turns, so V8 has optimised it for both
 * pixel types before a file is chosen. Run cold it took 17 ms of a 512² run's first paint; warmed
 * on one type and then given the other, its optimised code was thrown away and the paint ran
 * cold again (30–45 ms here).
 */
export function warmUpFirstPaint(): void {
  const size = 64;
  const out = new Uint32Array(4 * size * size);
  const frames = [new Uint8Array(size * size), new Uint16Array(size * size)];
  for (const values of frames) for (let i = 0; i < values.length; i++) values[i] = i % size;
  // Enough calls for V8's top tier to compile the function itself (12 larger calls left it in
  // its middle tier, and the first real paint spent part of its time switching tiers mid-loop).
  for (let pass = 0; pass < 48; pass++) {
    // Objects of the shapes paintFrame and openingDisplayOf make, with fractional numbers as real
    // ones have: V8 specialises the optimised code to whole or fractional fields, and a switch
    // from one to the other later would throw it away.
    const box = { x: 0.25 + pass / 8, y: 0.5, width: 2 * size - 0.5, height: 2 * size - 0.5 };
    const display = { lower: 0.5, upper: size - 0.5, invert: pass % 4 < 2 };
    sampleFrame(frames[pass % 2], size, size, display, box, out, 2 * size, 2 * size);
  }
}

/**
 * Paints the frame into the canvas, fitted as Cornerstone fits it, and returns image → canvas CSS
 * pixels, or null when the canvas has no size yet (a pane not laid out).
 */
export function paintFrame(
  canvas: HTMLCanvasElement,
  image: Types.IImage,
  display: GrayDisplay,
  spacing: { row: number; column: number },
): FirstPaintDetail | null {
  const { width, height } = canvas;
  if (width === 0 || height === 0) return null;
  const context = canvas.getContext('2d');
  if (!context) return null;
  const { columns, rows } = image;
  const rect = fittedRect(width, height, columns * spacing.column, rows * spacing.row);
  // Only the canvas pixels the image covers are sampled and put; the rest is cleared, and a
  // cleared opaque canvas (cornerstoneSetup.ts) is black, as Cornerstone's background.
  const left = Math.max(0, Math.ceil(rect.x - 0.5));
  const top = Math.max(0, Math.ceil(rect.y - 0.5));
  const boxWidth = Math.min(width, Math.ceil(rect.x + rect.width - 0.5)) - left;
  const boxHeight = Math.min(height, Math.ceil(rect.y + rect.height - 0.5)) - top;
  if (boxWidth <= 0 || boxHeight <= 0) return null;
  const pixels = new ImageData(boxWidth, boxHeight);
  const inBox = { x: rect.x - left, y: rect.y - top, width: rect.width, height: rect.height };
  sampleFrame(image.getPixelData(), columns, rows, display, inBox, new Uint32Array(pixels.data.buffer), boxWidth, boxHeight);
  context.clearRect(0, 0, width, height);
  context.putImageData(pixels, left, top);
  // The canvas's pixels per CSS pixel (devicePixelRatio, as Cornerstone sized it).
  const cssScaleX = canvas.clientWidth > 0 ? canvas.clientWidth / width : 1;
  const cssScaleY = canvas.clientHeight > 0 ? canvas.clientHeight / height : 1;
  return {
    imageToCanvas: [(rect.width / columns) * cssScaleX, 0, 0, (rect.height / rows) * cssScaleY, rect.x * cssScaleX, rect.y * cssScaleY],
  };
}

/**
 * Resolves in a task after the next animation frame, so what was painted before it is on its way
 * to the screen before the caller's next work (Cornerstone's handling of the frame) holds the main
 * thread; `onFrame(true)` runs in that animation frame. If none comes within COMMIT_WAIT_MAX_MS
 * (a hidden tab), `onFrame(false)`: nothing was shown.
 */
export function afterNextFrame(onFrame: (shown: boolean) => void): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (shown: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      onFrame(shown);
      setTimeout(resolve, 0);
    };
    const fallback = setTimeout(() => finish(false), COMMIT_WAIT_MAX_MS);
    requestAnimationFrame(() => finish(true));
  });
}
