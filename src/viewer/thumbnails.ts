import { Enums, utilities } from '@cornerstonejs/core';
import type { OpenedRun } from '../io/openFiles';
import { loadFrameImage } from './frameImageLoader';
import { imageIdFor, registerRun } from './runRegistry';
import { afterFirstFrames } from './stackController';

function idle(): Promise<void> {
  return new Promise((resolve) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(resolve, 0),
  );
}

/**
 * Draws the run's first readable frame into a small canvas for the Runs list. Waits until every
 * viewport has its first frame on screen, then draws grayscale frames on the CPU: a thumbnail
 * through WebGL costs a second GL context (hundreds of ms on software GL), and when it came first
 * it held up the viewport's first frame.
 */
export async function renderThumbnail(canvas: HTMLCanvasElement, run: OpenedRun): Promise<void> {
  registerRun(run);
  const firstReadable = run.frames.findIndex((f) => f.ok);
  if (firstReadable < 0) return;
  await afterFirstFrames();
  await idle();
  const imageId = imageIdFor(run.key, firstReadable + 1);
  // Loaded through ours first, so a frame that cannot be decoded is no unhandled rejection.
  const image = await loadFrameImage(imageId, { priority: 0, requestType: Enums.RequestType.Thumbnail });
  // Not for color: Cornerstone's CPU path turns a color image's cached pixels into RGBA in place.
  await utilities.loadImageToCanvas({ canvas, imageId, thumbnail: true, useCPURendering: !image.color });
}
