import { Enums, type Types } from '@cornerstonejs/core';
import { shownAspect } from '../dicom/pixelShape';
import { opensInverted } from '../dicom/presentationLut';
import type { OpenedRun } from '../dicom/run';
import type { RunInfo } from '../dicom/types';
import { openingVoiLut, voiLutLevel } from '../dicom/voiLut';
import { displayShutterOf, shutterOutline } from '../imaging/shutter';
import { loadFrameImage } from './frameImageLoader';
import { imageIdFor } from './imageIds';
import { outlineToSvgPath } from './shutterPaths';
import { afterFirstFrames } from './stackController';

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function idle(): Promise<void> {
  return new Promise((resolve) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(resolve, 0),
  );
}

/** The window a thumbnail is drawn with (modality values): the image's own, else its value range. */
function thumbnailWindow(image: Types.IImage): { lower: number; upper: number } {
  const center = Number(image.windowCenter);
  const width = Number(image.windowWidth);
  if (Number.isFinite(center) && Number.isFinite(width) && width > 0) return { lower: center - width / 2, upper: center + width / 2 };
  const lower = image.minPixelValue * image.slope + image.intercept;
  const upper = image.maxPixelValue * image.slope + image.intercept;
  return upper > lower ? { lower, upper } : { lower: lower - 1, upper: lower + 1 };
}

/**
 * A small preview of a decoded frame, drawn by sampling it straight into the canvas (nearest
 * pixel, linear window or the VOI LUT the run opens with, inverted as the file asks:
 * presentationLut.ts). Through Cornerstone it cost a second WebGL context or, on its CPU path, a
 * read back from a GPU canvas: hundreds of ms on software GL, which landed on the first frame of
 * the run being opened.
 */
export function drawThumbnail(canvas: HTMLCanvasElement, image: Types.IImage, info: RunInfo): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { x, y: top, width, height } = thumbnailPlacement(canvas, info);
  const out = context.createImageData(width, height);
  const pixels = image.getPixelData() as ArrayLike<number>;
  const samples = image.color ? (image.rgba ? 4 : 3) : 1;
  const { lower, upper } = thumbnailWindow(image);
  const gain = 255 / (upper - lower);
  // A run that opens through its VOI LUT is previewed through it too.
  const lut = openingVoiLut(info.voi);
  const inverted = opensInverted(info);
  const greyOf = (value: number) =>
    lut ? Math.round(voiLutLevel(value, lut) * 255) : Math.max(0, Math.min(255, ((value - lower) * gain) | 0));
  for (let y = 0; y < height; y++) {
    const row = Math.min(image.rows - 1, Math.floor(((y + 0.5) * image.rows) / height));
    for (let x = 0; x < width; x++) {
      const column = Math.min(image.columns - 1, Math.floor(((x + 0.5) * image.columns) / width));
      const at = (row * image.columns + column) * samples;
      const o = (y * width + x) * 4;
      if (samples > 1) {
        out.data[o] = pixels[at];
        out.data[o + 1] = pixels[at + 1];
        out.data[o + 2] = pixels[at + 2];
      } else {
        const gray = greyOf(pixels[at] * image.slope + image.intercept);
        out.data[o] = out.data[o + 1] = out.data[o + 2] = inverted ? 255 - gray : gray;
      }
      out.data[o + 3] = 255;
    }
  }
  context.fillStyle = '#000';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.putImageData(out, x, top);
}

/**
 * Where a run's image lies in a thumbnail canvas: fitted and centred, each pixel drawn in its
 * shape (pixelShape: not square when the header says so), in whole canvas pixels.
 */
function thumbnailPlacement(
  canvas: { width: number; height: number },
  info: RunInfo,
): { x: number; y: number; width: number; height: number } {
  const aspect = shownAspect(info);
  const scale = Math.min(canvas.width / aspect, canvas.height);
  const width = Math.max(1, Math.round(aspect * scale));
  const height = Math.max(1, Math.round(scale));
  return { x: (canvas.width - width) >> 1, y: (canvas.height - height) >> 1, width, height };
}

/**
 * Paints the Display Shutter over a thumbnail drawn by drawThumbnail: its outline in image
 * pixels under the image's placement, so a circle stays the shape it has on screen.
 */
function paintShutterOnThumbnail(canvas: HTMLCanvasElement, run: OpenedRun): void {
  const shutter = displayShutterOf(run.info);
  const context = canvas.getContext('2d');
  if (!shutter || !context) return;
  const { x, y, width, height } = thumbnailPlacement(canvas, run.info);
  const sx = width / run.info.columns;
  const sy = height / run.info.rows;
  const [r, g, b] = shutter.fill.rgb;
  context.save();
  context.fillStyle = `rgb(${r},${g},${b})`;
  context.setTransform(sx, 0, 0, sy, x, y);
  for (const path of shutterOutline(shutter)) {
    const outside = new Path2D();
    outside.rect(-x / sx, -y / sy, canvas.width / sx, canvas.height / sy);
    outside.addPath(new Path2D(outlineToSvgPath(path, false)));
    context.fill(outside, 'evenodd');
  }
  context.restore();
}

/**
 * Draws the run's first readable frame into a small canvas for the Runs list, under its Display
 * Shutter unless `shutters` is off, once every viewport that is showing a run has its first frame
 * on screen (a macrotask first, so a viewport given a run in the same React commit has said so).
 */
export async function renderThumbnail(canvas: HTMLCanvasElement, run: OpenedRun, shutters = true): Promise<void> {
  const firstReadable = run.frames.findIndex((f) => f.ok);
  if (firstReadable < 0) return;
  await nextTask();
  await afterFirstFrames();
  await idle();
  // Loaded through ours, so a frame that cannot be decoded is no unhandled rejection.
  const image = await loadFrameImage(imageIdFor(run.key, firstReadable + 1), { priority: 0, requestType: Enums.RequestType.Thumbnail });
  drawThumbnail(canvas, image, run.info);
  if (shutters) paintShutterOnThumbnail(canvas, run);
}
