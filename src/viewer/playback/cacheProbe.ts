import { cache } from '@cornerstonejs/core';
import { getRun, imageIdFor } from '../runRegistry';

/** How many frames of a run sit decoded in Cornerstone's cache now (tests check the decode window stays bounded). */
export function decodedFramesInCache(runKey: string): number {
  const run = getRun(runKey);
  if (!run) return 0;
  let count = 0;
  for (let frame = 1; frame <= run.frames.length; frame++) {
    // getImageLoadObject does not touch the LRU timestamps, unlike getImage.
    if (cache.getImageLoadObject(imageIdFor(runKey, frame))) count++;
  }
  return count;
}

/** decodeTimeInMS of each frame of a run decoded in the cache now (0 for frames made without a decoder). */
export function decodeTimesInCache(runKey: string): number[] {
  const run = getRun(runKey);
  if (!run) return [];
  const times: number[] = [];
  for (let frame = 1; frame <= run.frames.length; frame++) {
    const image = cache.getImageLoadObject(imageIdFor(runKey, frame)) ? cache.getImage(imageIdFor(runKey, frame)) : undefined;
    if (image) times.push(image.decodeTimeInMS ?? 0);
  }
  return times;
}
