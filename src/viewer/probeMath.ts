/**
 * Pure arithmetic behind the review readouts and actions: which pixel lies under the cursor, what
 * the file stores there and what that means after the Modality LUT, window ↔ VOI range, zoom and
 * quarter turns. No Cornerstone, no DOM: tested in Node. The wording is in format/display.ts.
 */
import type { ModalityLut, VoiFunction } from '../dicom/types';

export interface PixelIndex {
  /** 0-based column (x) and row (y) of the pixel whose area holds the point. */
  column: number;
  row: number;
}

/**
 * Image coordinates as Cornerstone gives them (corner of the first pixel at 0,0; its centre at
 * 0.5,0.5) → the pixel holding that point, or null outside the image.
 */
export function pixelAt(imageX: number, imageY: number, columns: number, rows: number): PixelIndex | null {
  if (!Number.isFinite(imageX) || !Number.isFinite(imageY)) return null;
  const column = Math.floor(imageX);
  const row = Math.floor(imageY);
  if (column < 0 || row < 0 || column >= columns || row >= rows) return null;
  return { column, row };
}

/** How the decoder handed us the pixel array: raw stored values, or already rescaled. */
export type PixelArrayScaling = { kind: 'stored' } | { kind: 'rescaled'; slope: number; intercept: number };

/**
 * The stored value behind a decoded array entry. Cornerstone's loader applies a non-identity
 * Rescale Slope/Intercept while decoding ("pre-scaling"), so such arrays must be scaled back.
 */
export function storedValueOf(arrayValue: number, scaling: PixelArrayScaling): number {
  if (scaling.kind === 'stored') return arrayValue;
  if (scaling.slope === 0) return arrayValue;
  return Math.round((arrayValue - scaling.intercept) / scaling.slope);
}

/**
 * The modality value of a stored value (PS3.3 C.11.1): Rescale Slope/Intercept, or the Modality
 * LUT Sequence, where values below First Value Mapped take the first entry and values past the
 * table take the last one.
 */
export function modalityValueOf(stored: number, lut: ModalityLut): number {
  if (lut.kind === 'rescale') return stored * lut.slope + lut.intercept;
  if (lut.data.length === 0) return stored;
  const index = Math.min(Math.max(0, stored - lut.firstValueMapped), lut.data.length - 1);
  return lut.data[index];
}

/**
 * DICOM window centre/width from a Cornerstone VOI range (lower/upper), and back. LINEAR (and
 * SIGMOID, whose curve Cornerstone fits to the same range) puts the window's ends half a value in
 * and one short of the width, as PS3.3 C.11.2.1.2 does; LINEAR_EXACT (C.11.2.1.3.2) puts them at
 * centre ± width/2. A file's window read with the wrong one is off by half a value at each end.
 */
export function windowFromRange(lower: number, upper: number, fn: VoiFunction = 'LINEAR'): { width: number; center: number } {
  if (fn === 'LINEAR_EXACT') return continuousWindowFromRange(lower, upper);
  return { width: Math.abs(upper - lower) + 1, center: (lower + upper + 1) / 2 };
}

/**
 * The same for values on a continuous scale (a subtracted frame's log or linear differences):
 * DICOM's half-pixel and +1 offsets are for integer stored values, and on a window ±0.28 wide they
 * made the readout say "W 1.57 L 0.5" for what is W 0.57 L 0.
 */
export function continuousWindowFromRange(lower: number, upper: number): { width: number; center: number } {
  return { width: Math.abs(upper - lower), center: (lower + upper) / 2 };
}

/** The VOI range of a DICOM window under its VOI LUT Function, as Cornerstone applies it (see windowFromRange). */
export function rangeFromWindow(width: number, center: number, fn: VoiFunction = 'LINEAR'): { lower: number; upper: number } {
  if (fn === 'LINEAR_EXACT') return { lower: center - width / 2, upper: center + width / 2 };
  return { lower: center - 0.5 - (width - 1) / 2, upper: center - 0.5 + (width - 1) / 2 };
}

/** Zoom factor that makes one image pixel cover `target` screen pixels, from the current ratio. */
export function zoomFactorFor(currentPixelsPerImagePixel: number, target: number): number {
  if (!(currentPixelsPerImagePixel > 0) || !(target > 0)) return 1;
  return target / currentPixelsPerImagePixel;
}

/** The next quarter turn clockwise, in 0…270. */
export function nextQuarterTurn(rotationDeg: number): number {
  const quarter = Math.round((((rotationDeg % 360) + 360) % 360) / 90) * 90;
  return (quarter + 90) % 360;
}
