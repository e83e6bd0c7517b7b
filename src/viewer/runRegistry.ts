import { cache } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';

/**
 * The runs Cornerstone can load, by key. Our image ids are `fluoro:<runKey>:<frame>` (frame
 * 1-based), resolved here by both the image loader and the metadata provider.
 */
const runs = new Map<string, OpenedRun>();

export const FLUORO_SCHEME = 'fluoro';

export function registerRun(run: OpenedRun): void {
  runs.set(run.key, run);
}

/** Drops a run and its decoded frames (it was closed, or opened again under a new key). */
export function forgetRun(key: string): void {
  const run = runs.get(key);
  runs.delete(key);
  if (!run) return;
  for (const imageId of imageIdsFor(run)) {
    if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
  }
}

export function getRun(key: string): OpenedRun | undefined {
  return runs.get(key);
}

export function imageIdFor(runKey: string, frame: number): string {
  return `${FLUORO_SCHEME}:${runKey}:${frame}`;
}

export function imageIdsFor(run: OpenedRun): string[] {
  return run.frames.map((_, index) => imageIdFor(run.key, index + 1));
}

export function parseImageId(imageId: string): { runKey: string; frame: number } | null {
  if (!imageId.startsWith(`${FLUORO_SCHEME}:`)) return null;
  const lastColon = imageId.lastIndexOf(':');
  const frame = Number(imageId.slice(lastColon + 1));
  const runKey = imageId.slice(FLUORO_SCHEME.length + 1, lastColon);
  if (!Number.isInteger(frame) || frame < 1) return null;
  return { runKey, frame };
}
