import { utilities } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { imageIdFor } from './imageIds';
import { paintShutterOnThumbnail } from './shutterLayer';

/** Draws the run's first readable frame into a small canvas for the Runs list, under its Display Shutter unless `shutters` is off. */
export async function renderThumbnail(canvas: HTMLCanvasElement, run: OpenedRun, shutters = true): Promise<void> {
  const firstReadable = run.frames.findIndex((f) => f.ok);
  if (firstReadable < 0) return;
  await utilities.loadImageToCanvas({ canvas, imageId: imageIdFor(run.key, firstReadable + 1), thumbnail: true });
  if (shutters) paintShutterOnThumbnail(canvas, run);
}
