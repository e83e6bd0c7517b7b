/**
 * An exported video frame built straight in the encoder's own layout, I420 (a luma plane and two
 * quarter-size chroma planes, BT.601 limited range, what the H.264 and VP9 encoders take without
 * converting): luma from the decoded grey pixels through one lookup table per export, chroma
 * neutral, and the marks and text (drawn on a transparent canvas) blended in only inside the
 * rectangle they cover. A grey frame costs one byte written per pixel, instead of an RGBA frame
 * put into a canvas and read back out of it. One buffer serves every frame: VideoFrame copies
 * it. Pure.
 */
import type { FramePixels, GrayDisplay, PixelRect } from './pixels';
import { StoredValueTable, grayLevel } from './pixels';

/** BT.601 limited range, 8-bit (the integer form of ITU-R BT.601 used by libyuv and ffmpeg). */
export function rgbToY(r: number, g: number, b: number): number {
  return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
}
export function rgbToU(r: number, g: number, b: number): number {
  return ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
}
export function rgbToV(r: number, g: number, b: number): number {
  return ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
}

/** The colour space the planes are written in, for VideoFrame's colorSpace. */
export const I420_COLOR_SPACE = { primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m', fullRange: false } as const;

/** Luma of black (the even-size padding, masked rectangles). */
const Y_BLACK = rgbToY(0, 0, 0);
const NEUTRAL_CHROMA = 128;

/** An integer rectangle of the frame: [left, top) to [right, bottom). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Affine image → output map of a quarter turn or mirror at scale 1 (orientation.ts orientationTransform). */
export type QuarterTransform = readonly [number, number, number, number, number, number];

export class I420Frame {
  /** Y plane, then U, then V (each chroma plane is (width/2) × (height/2)). */
  readonly buffer: Uint8Array;
  private readonly y: Uint8Array;
  private readonly u: Uint8Array;
  private readonly v: Uint8Array;
  private readonly chromaWidth: number;
  /** Grey level → luma, by grey level. */
  private readonly lumaOfLevel = new Uint8Array(256);
  /** Raw stored value → luma, for integer pixel types (as GrayMapper does for RGBA). */
  private readonly table: StoredValueTable<Uint8Array>;
  /** Luma → grey level (the frame under the marks is grey). */
  private readonly levelOfLuma = new Uint8Array(256);
  /** Where the last frame's marks changed the chroma: reset before the next frame. */
  private tinted: Box[] = [];

  /**
   * @param width, height the encoded size (even).
   * @param imageWidth, imageHeight the oriented image inside it; the rest is black padding.
   */
  constructor(
    readonly width: number,
    readonly height: number,
    private readonly imageWidth: number,
    private readonly imageHeight: number,
    private display: GrayDisplay,
  ) {
    if (width % 2 || height % 2) throw new RangeError(`I420 needs even sides, not ${width}×${height}`);
    const lumaSize = width * height;
    this.chromaWidth = width / 2;
    const chromaSize = (width / 2) * (height / 2);
    this.buffer = new Uint8Array(lumaSize + 2 * chromaSize);
    this.y = this.buffer.subarray(0, lumaSize);
    this.u = this.buffer.subarray(lumaSize, lumaSize + chromaSize);
    this.v = this.buffer.subarray(lumaSize + chromaSize);
    this.y.fill(Y_BLACK);
    this.u.fill(NEUTRAL_CHROMA);
    this.v.fill(NEUTRAL_CHROMA);
    for (let level = 0; level < 256; level++) this.lumaOfLevel[level] = rgbToY(level, level, level);
    this.table = new StoredValueTable(
      display,
      (length) => new Uint8Array(length),
      (level) => this.lumaOfLevel[level],
    );
    for (let luma = 0; luma < 256; luma++) this.levelOfLuma[luma] = Math.min(255, Math.max(0, Math.round(((luma - 16) * 255) / 219)));
  }

  /** Another window for the frames after (a series windowed image by image). */
  setDisplay(display: GrayDisplay): void {
    this.display = display;
    this.table.setDisplay(display);
  }

  /**
   * Writes the grey frame's luma (window, inversion, masks) and returns the chroma the last
   * frame's marks tinted to neutral. `transform` places image pixels in the output (null: upright).
   */
  writeGrey(frame: FramePixels, transform: QuarterTransform | null, masks: readonly PixelRect[] = []): void {
    const { columns, rows } = frame;
    const lookup = this.table.lookupFor(frame);
    const src = frame.pixels;
    const y = this.y;
    const width = this.width;
    if (!transform) {
      for (let row = 0; row < rows; row++) {
        const from = row * columns;
        const to = row * width;
        if (lookup) {
          const { table, offset } = lookup;
          for (let col = 0; col < columns; col++) y[to + col] = table[src[from + col] + offset];
        } else {
          this.floatRowToLuma(frame, from, to, columns);
        }
      }
    } else {
      // Pixel (col, row) has its centre at (col + ½, row + ½); a quarter turn maps centres onto centres.
      const [a, b, c, d, e, f] = transform;
      for (let row = 0; row < rows; row++) {
        for (let col = 0; col < columns; col++) {
          const x = Math.floor(a * (col + 0.5) + c * (row + 0.5) + e);
          const yy = Math.floor(b * (col + 0.5) + d * (row + 0.5) + f);
          const raw = src[row * columns + col];
          y[yy * width + x] = lookup ? lookup.table[raw + lookup.offset] : this.lumaOf(raw, frame);
        }
      }
    }
    for (const rect of masks) this.maskImageRect(rect, columns, rows, transform);
    for (const box of this.tinted) this.fillChroma(box, NEUTRAL_CHROMA);
    this.tinted = [];
  }

  /**
   * Blends the marks over the frame: `rgba` holds the (unpremultiplied) overlay pixels of `box`,
   * as getImageData returns them; the box has even edges (evenBox). One pass over its 2×2
   * blocks: blocks the marks left clear are skipped; elsewhere each pixel's luma and the block's
   * chroma come from the blended colours.
   */
  blendOverlay(rgba: Uint8ClampedArray, box: Box): void {
    const boxWidth = box.right - box.left;
    const { y, u, v, width, chromaWidth } = this;
    const grey = this.levelOfLuma;
    let touched = false;
    for (let row = box.top; row < box.bottom; row += 2) {
      const o0 = (row - box.top) * boxWidth * 4;
      const o1 = o0 + boxWidth * 4;
      for (let col = box.left; col < box.right; col += 2) {
        const o = o0 + (col - box.left) * 4;
        const p = o1 + (col - box.left) * 4;
        if ((rgba[o + 3] | rgba[o + 7] | rgba[p + 3] | rgba[p + 7]) === 0) continue;
        touched = true;
        let r = 0;
        let g = 0;
        let b = 0;
        for (let k = 0; k < 4; k++) {
          const q = (k < 2 ? o : p) + (k & 1) * 4;
          const at = (row + (k >> 1)) * width + col + (k & 1);
          const alpha = rgba[q + 3];
          const under = grey[y[at]];
          if (alpha === 0) {
            r += under;
            g += under;
            b += under;
            continue;
          }
          const pr = blend(rgba[q], under, alpha);
          const pg = blend(rgba[q + 1], under, alpha);
          const pb = blend(rgba[q + 2], under, alpha);
          y[at] = rgbToY(pr, pg, pb);
          r += pr;
          g += pg;
          b += pb;
        }
        const c = (row >> 1) * chromaWidth + (col >> 1);
        u[c] = rgbToU(r >> 2, g >> 2, b >> 2);
        v[c] = rgbToV(r >> 2, g >> 2, b >> 2);
      }
    }
    if (touched) this.tinted.push({ ...box });
  }

  /**
   * One row of a float frame (Cornerstone's pre-scaled pixels): grayLevel written out inline,
   * the same arithmetic, as a call per pixel would cost more than the rest of the frame.
   */
  private floatRowToLuma(frame: FramePixels, from: number, to: number, count: number): void {
    const src = frame.pixels;
    const slope = frame.prescaled ? 1 : frame.slope;
    const intercept = frame.prescaled ? 0 : frame.intercept;
    const { lower, upper, invert } = this.display;
    const span = upper - lower;
    const y = this.y;
    const luma = this.lumaOfLevel;
    if (this.display.sigmoid || this.display.lut) {
      for (let i = 0; i < count; i++) y[to + i] = luma[grayLevel(src[from + i] * slope + intercept, this.display)];
      return;
    }
    for (let i = 0; i < count; i++) {
      const value = src[from + i] * slope + intercept;
      const t = span > 0 ? (value - lower) / span : value > lower ? 1 : 0;
      const level = Math.round((t < 0 ? 0 : t > 1 ? 1 : t) * 255);
      y[to + i] = luma[invert ? 255 - level : level];
    }
  }

  private lumaOf(raw: number, frame: FramePixels): number {
    const slope = frame.prescaled ? 1 : frame.slope;
    const intercept = frame.prescaled ? 0 : frame.intercept;
    return this.lumaOfLevel[grayLevel(raw * slope + intercept, this.display)];
  }

  /** Blacks out an image rectangle (widened to whole pixels), wherever the orientation puts it. */
  private maskImageRect(rect: PixelRect, columns: number, rows: number, transform: QuarterTransform | null): void {
    const left = Math.max(0, Math.floor(rect.x));
    const top = Math.max(0, Math.floor(rect.y));
    const right = Math.min(columns, Math.ceil(rect.x + rect.width));
    const bottom = Math.min(rows, Math.ceil(rect.y + rect.height));
    if (right <= left || bottom <= top) return;
    const [a, b, c, d, e, f] = transform ?? [1, 0, 0, 1, 0, 0];
    const corners = [
      [left, top],
      [right, top],
      [left, bottom],
      [right, bottom],
    ].map(([x, yy]) => [a * x + c * yy + e, b * x + d * yy + f]);
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const box = {
      left: Math.max(0, Math.round(Math.min(...xs))),
      right: Math.min(this.imageWidth, Math.round(Math.max(...xs))),
      top: Math.max(0, Math.round(Math.min(...ys))),
      bottom: Math.min(this.imageHeight, Math.round(Math.max(...ys))),
    };
    for (let row = box.top; row < box.bottom; row++) this.y.fill(Y_BLACK, row * this.width + box.left, row * this.width + box.right);
  }

  private fillChroma(box: Box, value: number): void {
    const cw = this.chromaWidth;
    for (let row = box.top / 2; row < box.bottom / 2; row++) {
      this.u.fill(value, row * cw + box.left / 2, row * cw + box.right / 2);
      this.v.fill(value, row * cw + box.left / 2, row * cw + box.right / 2);
    }
  }
}

/** Source-over of an unpremultiplied colour channel on an opaque one. */
function blend(over: number, under: number, alpha: number): number {
  return ((over * alpha + under * (255 - alpha) + 127) / 255) | 0;
}

/** The box widened to even edges (whole 2×2 chroma blocks), inside a frame of even sides. */
export function evenBox(box: Box, width: number, height: number): Box {
  return {
    left: Math.max(0, box.left & ~1),
    top: Math.max(0, box.top & ~1),
    right: Math.min(width, (box.right + 1) & ~1),
    bottom: Math.min(height, (box.bottom + 1) & ~1),
  };
}

export function union(a: Box, b: Box): Box {
  return {
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
  };
}
