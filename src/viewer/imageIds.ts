import { cache } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';

/**
 * Our Cornerstone image ids: `fluoro:<runKey>:<frame>` (frame 1-based). The image loader and the
 * metadata provider resolve the run key through the lookup the app gives initCornerstone (the
 * session's open runs), so a run lives in one place.
 */
export const FLUORO_SCHEME = 'fluoro';

/** Finds an open run by key; undefined once it is closed or opened again under a new key. */
export type RunLookup = (runKey: string) => OpenedRun | undefined;

export function imageIdFor(runKey: string, frame: number): string {
  return `${FLUORO_SCHEME}:${runKey}:${frame}`;
}

export function imageIdsFor(run: OpenedRun): string[] {
  return Array.from({ length: run.frames.length }, (_, index) => imageIdFor(run.key, index + 1));
}

export function parseImageId(imageId: string): { runKey: string; frame: number } | null {
  if (!imageId.startsWith(`${FLUORO_SCHEME}:`)) return null;
  const lastColon = imageId.lastIndexOf(':');
  const frame = Number(imageId.slice(lastColon + 1));
  const runKey = imageId.slice(FLUORO_SCHEME.length + 1, lastColon);
  if (!Number.isInteger(frame) || frame < 1) return null;
  return { runKey, frame };
}

/** Drops a run's decoded frames from Cornerstone's cache (it was closed, or opened again under a new key). */
export function forgetDecodedFrames(run: OpenedRun): void {
  for (const imageId of imageIdsFor(run)) {
    if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
  }
}
