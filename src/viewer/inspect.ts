/**
 * Read-only views into what Cornerstone holds, for the test hooks and the bench
 * (app/testHooks.ts): decoded pixels, the gray levels drawn, the VOI in use, frames in the cache.
 * Nothing here changes what is shown.
 */
import { cache } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { stackViewport } from './engine';
import { imageToWorldIfKnown } from './frameCoords';
import { loadFrameImage } from './frameImageLoader';
import { imageIdFor } from './imageIds';

/** The decoded pixels of a frame, loaded through Cornerstone's cache. */
export async function decodedPixels(imageId: string): Promise<{ pixels: ArrayLike<number>; imageRange: { min: number; max: number } }> {
  // Through our loader, so a frame that cannot be decoded is a rejection handled here, not an unhandled one in the page.
  const image = await loadFrameImage(imageId);
  // The range the image itself reports (worked out lazily for some frames, nativeImage.ts).
  return { pixels: image.getPixelData() as ArrayLike<number>, imageRange: { min: image.minPixelValue, max: image.maxPixelValue } };
}

/**
 * For a grid of image points: the stored pixel value and the gray level drawn on the canvas
 * there. Lets tests check the display chain (MONOCHROME1 inversion, VOI) on real pixels.
 */
export function sampleDisplayedPixels(viewportId: string, grid: number): Array<{ stored: number; shown: number }> {
  const viewport = stackViewport(viewportId);
  const image = viewport?.getCornerstoneImage();
  if (!viewport || !image) return [];
  const canvas = viewport.getCanvas();
  const context = canvas.getContext('2d');
  if (!context) return [];
  const pixels = image.getPixelData() as ArrayLike<number>;
  const ratio = canvas.width / canvas.clientWidth;
  const samples: Array<{ stored: number; shown: number }> = [];
  for (let gy = 1; gy < grid; gy++) {
    for (let gx = 1; gx < grid; gx++) {
      const column = Math.floor((gx / grid) * image.columns);
      const row = Math.floor((gy / grid) * image.rows);
      const world = imageToWorldIfKnown(image.imageId, [column + 0.5, row + 0.5]);
      if (!world) continue;
      const [cx, cy] = viewport.worldToCanvas(world);
      const rgba = context.getImageData(Math.floor(cx * ratio), Math.floor(cy * ratio), 1, 1).data;
      samples.push({ stored: pixels[row * image.columns + column], shown: (rgba[0] + rgba[1] + rgba[2]) / 3 });
    }
  }
  return samples;
}

/** The VOI range a pane's viewport shows with now. */
export function viewportVoiRange(viewportId: string): { lower: number; upper: number } | null {
  const viewport = stackViewport(viewportId);
  const range = viewport?.getProperties().voiRange;
  return range ? { lower: range.lower, upper: range.upper } : null;
}

/** How many frames of a run sit decoded in Cornerstone's cache now (tests check the decode window stays bounded). */
export function decodedFramesInCache(runKey: string, frameCount: number): number {
  let count = 0;
  for (let frame = 1; frame <= frameCount; frame++) {
    // getImageLoadObject does not touch the LRU timestamps, unlike getImage.
    if (cache.getImageLoadObject(imageIdFor(runKey, frame))) count++;
  }
  return count;
}

/** decodeTimeInMS of each frame of a run decoded in the cache now (0 for frames made without a decoder): the bench's codec time. */
export function decodeTimesInCache(run: OpenedRun): number[] {
  const times: number[] = [];
  for (let frame = 1; frame <= run.frames.length; frame++) {
    const imageId = imageIdFor(run.key, frame);
    const image = cache.getImageLoadObject(imageId) ? cache.getImage(imageId) : undefined;
    if (image) times.push(image.decodeTimeInMS ?? 0);
  }
  return times;
}
