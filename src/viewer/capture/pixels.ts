/**
 * Decoded frame → RGBA as the pane shows it: modality values (Rescale Slope/Intercept unless the
 * loader already applied them) through the pane's VOI range (lower → black, upper → white, as
 * Cornerstone maps it; the DICOM linear window of PS3.3 C.11.2.1.2 is the same line; a sigmoid
 * VOI LUT Function bends it), or through the VOI LUT Sequence item the pane shows instead, then
 * inverted when the pane is (MONOCHROME1 included). Integer frames go through a lookup table built
 * once per export. Pure.
 */
import type { SampledLut } from '../../dicom/types';
import { voiLutLevel } from '../../dicom/voiLut';

export interface GrayDisplay {
  /** VOI range in modality values. */
  readonly lower: number;
  readonly upper: number;
  readonly invert: boolean;
  /**
   * VOI LUT Function SIGMOID: the S-curve of PS3.3 C.11.2.1.3.1 about the window the range stands
   * for, as Cornerstone draws it; absent or false, the straight line from lower to upper.
   */
  readonly sigmoid?: boolean;
  /**
   * A VOI LUT Sequence item the pane shows instead of a window (`lower`/`upper` are then its input
   * range): each value takes its entry's grey (dicom/voiLut.ts).
   */
  readonly lut?: SampledLut;
}

export interface FramePixels {
  readonly pixels: ArrayLike<number> & { readonly length: number };
  readonly columns: number;
  readonly rows: number;
  /** 1 for grey, 3 (RGB) or 4 (RGBA) for colour. */
  readonly samplesPerPixel: number;
  readonly slope: number;
  readonly intercept: number;
  /** The loader applied slope and intercept already (Cornerstone's pre-scaling). */
  readonly prescaled: boolean;
}

/** Grey level 0…255 of a modality value. */
export function grayLevel(value: number, display: GrayDisplay): number {
  const t = display.lut ? voiLutLevel(value, display.lut) : display.sigmoid ? sigmoidOf(value, display) : linearOf(value, display);
  const level = Math.round(Math.min(1, Math.max(0, t)) * 255);
  return display.invert ? 255 - level : level;
}

function linearOf(value: number, { lower, upper }: GrayDisplay): number {
  const span = upper - lower;
  return span > 0 ? (value - lower) / span : value > lower ? 1 : 0;
}

/**
 * y = 1 / (1 + exp(−4 (x − c) / w)), with c and w the window of the range as Cornerstone reads it
 * back (windowFromRange, LINEAR). Cornerstone samples this curve between 1/1026 and 1025/1026,
 * which round to black and white as the exact curve does.
 */
function sigmoidOf(value: number, { lower, upper }: GrayDisplay): number {
  const width = Math.abs(upper - lower) + 1;
  const center = (lower + upper + 1) / 2;
  return 1 / (1 + Math.exp((-4 * (value - center)) / width));
}

/** Reuses one table per integer pixel type, slope, intercept and display. */
export class GrayMapper {
  private readonly table: StoredValueTable<Uint32Array>;

  constructor(private display: GrayDisplay) {
    this.table = new StoredValueTable(display, (length) => new Uint32Array(length), rgbaWord);
  }

  /** Another window for the frames after (a series windowed image by image). */
  setDisplay(display: GrayDisplay): void {
    this.display = display;
    this.table.setDisplay(display);
  }

  /** Writes the frame's RGBA (opaque) into `out` (columns × rows × 4 bytes). */
  toRgba(frame: FramePixels, out: Uint8ClampedArray): void {
    const count = frame.columns * frame.rows;
    if (out.length < count * 4) throw new RangeError(`RGBA buffer of ${out.length} bytes is too small for ${frame.columns}×${frame.rows}`);
    if (frame.samplesPerPixel >= 3) {
      copyColour(frame, out, count);
      return;
    }
    const words = new Uint32Array(out.buffer, out.byteOffset, count);
    const src = frame.pixels;
    const lookup = this.table.lookupFor(frame);
    if (lookup) {
      const { table, offset } = lookup;
      for (let i = 0; i < count; i++) words[i] = table[src[i] + offset];
      return;
    }
    const slope = frame.prescaled ? 1 : frame.slope;
    const intercept = frame.prescaled ? 0 : frame.intercept;
    for (let i = 0; i < count; i++) words[i] = rgbaWord(grayLevel(src[i] * slope + intercept, this.display));
  }
}

/**
 * Stored value → what an output holds for it (an RGBA word, a luma byte), for integer pixel types:
 * one entry per value the type can hold, rebuilt only when the type or the rescale changes (once
 * per export in practice), so a frame costs one table read per pixel.
 */
export class StoredValueTable<T extends Uint8Array | Uint32Array> {
  private table: T | null = null;
  private tableKey = '';

  constructor(
    private display: GrayDisplay,
    private readonly make: (length: number) => T,
    private readonly valueOfLevel: (level: number) => number,
  ) {}

  /** The table is made again, on the next frame, only when the display changed. */
  setDisplay(display: GrayDisplay): void {
    if (sameDisplay(display, this.display)) return;
    this.display = display;
    this.table = null;
  }

  /** The table and the offset to add to a stored value; null for float pixels (no finite range). */
  lookupFor(frame: FramePixels): { table: T; offset: number } | null {
    const range = integerRange(frame.pixels);
    if (!range) return null;
    const slope = frame.prescaled ? 1 : frame.slope;
    const intercept = frame.prescaled ? 0 : frame.intercept;
    const key = `${range.min}:${range.max}:${slope}:${intercept}`;
    if (key !== this.tableKey || !this.table) {
      const table = this.make(range.max - range.min + 1);
      for (let raw = range.min; raw <= range.max; raw++)
        table[raw - range.min] = this.valueOfLevel(grayLevel(raw * slope + intercept, this.display));
      this.table = table;
      this.tableKey = key;
    }
    return { table: this.table, offset: -range.min };
  }
}

export function sameDisplay(a: GrayDisplay, b: GrayDisplay): boolean {
  return (
    a.lower === b.lower && a.upper === b.upper && a.invert === b.invert && Boolean(a.sigmoid) === Boolean(b.sigmoid) && a.lut === b.lut
  );
}

/** Opaque grey as one little-endian RGBA word. */
function rgbaWord(level: number): number {
  return (0xff000000 | (level << 16) | (level << 8) | level) >>> 0;
}

/** The value range of an integer typed array's element type; null for floats and plain arrays. */
function integerRange(pixels: ArrayLike<number>): { min: number; max: number } | null {
  if (pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray) return { min: 0, max: 255 };
  if (pixels instanceof Int8Array) return { min: -128, max: 127 };
  if (pixels instanceof Uint16Array) return { min: 0, max: 65535 };
  if (pixels instanceof Int16Array) return { min: -32768, max: 32767 };
  return null;
}

/** Colour frames are shown as decoded (fluoroscopy is grey; colour runs are secondary captures). */
function copyColour(frame: FramePixels, out: Uint8ClampedArray, count: number): void {
  const src = frame.pixels;
  const step = frame.samplesPerPixel;
  for (let i = 0, j = 0; i < count; i++, j += step) {
    out[i * 4] = src[j];
    out[i * 4 + 1] = src[j + 1];
    out[i * 4 + 2] = src[j + 2];
    out[i * 4 + 3] = 255;
  }
}

/** A rectangle in image pixels (column, row of its top left; width, height). */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Blacks out rectangles of an RGBA frame (burned-in text the teaching export masks). Edges are
 * widened to whole pixels, so a rectangle never leaves part of a pixel it touches.
 */
export function maskRgba(rgba: Uint8ClampedArray, columns: number, rows: number, rects: readonly PixelRect[]): void {
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, columns * rows);
  for (const rect of rects) {
    const left = Math.max(0, Math.floor(rect.x));
    const top = Math.max(0, Math.floor(rect.y));
    const right = Math.min(columns, Math.ceil(rect.x + rect.width));
    const bottom = Math.min(rows, Math.ceil(rect.y + rect.height));
    for (let row = top; row < bottom; row++) words.fill(0xff000000, row * columns + left, row * columns + Math.max(left, right));
  }
}
