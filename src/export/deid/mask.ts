/**
 * Burned-in text (the pure part of Clean Pixel Data): rectangles in image pixels painted over
 * decoded frames. Rectangles are whole pixels: x, y are the column and row (0-based) of the
 * top-left pixel covered; width and height count pixels. Anything outside the image is clipped.
 */
import { opensInverted } from '../../dicom/presentationLut';

export type DecodedFrame = Int16Array | Uint16Array | Uint8Array;

export interface MaskRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Share of the width and height each default corner rectangle covers. */
export const CORNER_WIDTH_FRACTION = 0.3;
export const CORNER_HEIGHT_FRACTION = 0.12;

/**
 * The rectangles offered before the educator draws: one at each corner, where C-arms write the
 * patient's name, ID, dates and the institution. 30 % of the width by 12 % of the height each.
 */
export function defaultCornerRects(columns: number, rows: number): MaskRect[] {
  const width = Math.max(1, Math.ceil(columns * CORNER_WIDTH_FRACTION));
  const height = Math.max(1, Math.ceil(rows * CORNER_HEIGHT_FRACTION));
  return [
    { x: 0, y: 0, width, height },
    { x: columns - width, y: 0, width, height },
    { x: 0, y: rows - height, width, height },
    { x: columns - width, y: rows - height, width, height },
  ];
}

/** The part of a rectangle inside the image, in whole pixels, or null when nothing is left. */
export function clipRect(rect: MaskRect, columns: number, rows: number): MaskRect | null {
  const values = [rect.x, rect.y, rect.width, rect.height];
  if (!values.every(Number.isFinite)) return null;
  const left = Math.max(0, Math.floor(rect.x));
  const top = Math.max(0, Math.floor(rect.y));
  const right = Math.min(columns, Math.ceil(rect.x + rect.width));
  const bottom = Math.min(rows, Math.ceil(rect.y + rect.height));
  if (right <= left || bottom <= top) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** Paints the rectangles with `value`, in place, on one frame of one sample per pixel. */
export function applyMask(pixels: DecodedFrame, columns: number, rows: number, rects: readonly MaskRect[], value: number): void {
  if (pixels.length !== columns * rows) {
    throw new Error(`a decoded frame has ${pixels.length} values; ${columns} × ${rows} = ${columns * rows} were expected`);
  }
  for (const rect of rects) {
    const clipped = clipRect(rect, columns, rows);
    if (!clipped) continue;
    for (let row = clipped.y; row < clipped.y + clipped.height; row++) {
      const start = row * columns + clipped.x;
      pixels.fill(value, start, start + clipped.width);
    }
  }
}

export interface FillValueInputs {
  readonly photometricInterpretation: string;
  /** Presentation LUT Shape (2050,0020): INVERSE turns a MONOCHROME2 image's black to its highest value. */
  readonly presentationLutShape?: string;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
}

/** Black as displayed: the lowest stored value, or the highest for an image shown inverted (MONOCHROME1, or a Presentation LUT Shape of INVERSE). */
export function defaultFillValue({
  photometricInterpretation,
  presentationLutShape,
  bitsStored,
  pixelRepresentation,
}: FillValueInputs): number {
  const signed = pixelRepresentation === 1;
  const lowest = signed ? -(2 ** (bitsStored - 1)) : 0;
  const highest = signed ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
  return opensInverted({ photometricInterpretation, presentationLutShape }) ? highest : lowest;
}
