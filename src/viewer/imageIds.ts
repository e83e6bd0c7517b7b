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

/**
 * A frame shown after a pixel transform (DSA subtraction): `fluoro-derived:<setting>:<runKey>:<frame>`,
 * one id per setting so Cornerstone's cache never mixes a raw frame with a subtracted one, and a
 * new setting (mask, shift) is simply new ids. Everything that asks which run and frame an id
 * shows (annotations, metadata) gets the same answer as for the raw id.
 */
export const DERIVED_SCHEME = 'fluoro-derived';

export function derivedImageIdFor(setting: number, runKey: string, frame: number): string {
  return `${DERIVED_SCHEME}:${setting}:${runKey}:${frame}`;
}

export function parseImageId(imageId: string): { runKey: string; frame: number; setting?: number } | null {
  let rest: string;
  let setting: number | undefined;
  if (imageId.startsWith(`${FLUORO_SCHEME}:`)) rest = imageId.slice(FLUORO_SCHEME.length + 1);
  else if (imageId.startsWith(`${DERIVED_SCHEME}:`)) {
    const afterScheme = imageId.slice(DERIVED_SCHEME.length + 1);
    const colon = afterScheme.indexOf(':');
    setting = Number(afterScheme.slice(0, colon));
    if (colon < 0 || !Number.isInteger(setting)) return null;
    rest = afterScheme.slice(colon + 1);
  } else return null;
  const lastColon = rest.lastIndexOf(':');
  const frame = Number(rest.slice(lastColon + 1));
  const runKey = rest.slice(0, lastColon);
  if (lastColon < 0 || !Number.isInteger(frame) || frame < 1) return null;
  return setting === undefined ? { runKey, frame } : { runKey, frame, setting };
}

/** Drops a run's decoded frames from Cornerstone's cache (it was closed, or opened again under a new key). */
export function forgetDecodedFrames(run: OpenedRun): void {
  for (const imageId of imageIdsFor(run)) {
    if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
  }
}
