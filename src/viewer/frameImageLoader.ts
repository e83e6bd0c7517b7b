import { Enums, cache, imageLoader, type Types } from '@cornerstonejs/core';
import { createImage } from '@cornerstonejs/dicom-image-loader';
import { codecFailureReason, decodedLengthProblem, frameBytesProblem } from '../dicom/frameCheck';
import { readFrameInChunk } from './frameReads';
import { FLUORO_SCHEME, parseImageId, type RunLookup } from './imageIds';
import { applyModalityLutSequence } from './modalityLutDisplay';
import { buildNativeImage, buildsDecodedImage, buildsNativeImage, decodeHereToImage, decodesHere, decodeToImage } from './nativeImage';

/**
 * Frame 1 (and a frame the user went to) goes to a decoder ahead of anything queued; small RLE
 * frames are decoded in this thread, without the trip to a worker (nativeImage.ts decodesHere).
 */
export const FIRST_FRAME_LOAD = { priority: -10, requestType: Enums.RequestType.Interaction, decodeHere: true };
export const PREFETCH_LOAD = { priority: 5, requestType: Enums.RequestType.Prefetch };
/** A run decoded whole is read many frames at a time (frameReads.ts). */
export const WHOLE_RUN_LOAD = { ...PREFETCH_LOAD, readAhead: true };

/**
 * Called with the finished image before the load's promise resolves, so before Cornerstone (or
 * anyone awaiting the load) sees it; the promise waits for what it returns. A failure in it is
 * logged and never fails the frame.
 */
export type BeforeResolve = (image: Types.IImage) => Promise<void> | void;

/**
 * A frame load that stopped because its run was closed or opened again meanwhile: nobody wants
 * the frame any more, and it says nothing about the file.
 */
export class FrameLoadCancelled extends Error {
  constructor(imageId: string) {
    super(`the run of ${imageId} is no longer open`);
    this.name = 'FrameLoadCancelled';
  }
}

/**
 * Cornerstone image loader for `fluoro:` ids. Reads only the bytes of the one frame asked for
 * (File.slice / HTTP range). Native grayscale frames become images right here (their bytes are
 * the pixels; nativeImage.ts); everything else goes to the dicom-image-loader's codecs in its
 * workers (compressed bytes, small to copy there), plain grayscale ones without createImage's
 * extra copy of the decoded pixels (nativeImage.ts decodeToImage). Reading one frame at a time is what keeps
 * opening a 2,000-frame run as cheap as a 10-frame one.
 */
/** The session's open runs (app/bootstrap.tsx gives them to initCornerstone). */
let lookup: RunLookup = () => undefined;

export function createFrameImageLoader(runByKey: RunLookup) {
  lookup = runByKey;
  return loadFluoroImage;
}

function loadFluoroImage(imageId: string, options: Record<string, unknown> = {}): Types.IImageLoadObject {
  const { readAhead, beforeResolve, decodeHere, ...decodeOptions } = options;
  const promise = (async () => {
    const parsed = parseImageId(imageId);
    if (!parsed || parsed.setting !== undefined) throw new Error(`not a FluoroLens frame id: ${imageId}`);
    const run = lookup(parsed.runKey);
    if (!run) throw new FrameLoadCancelled(imageId);
    const ref = run.frames[parsed.frame - 1];
    if (!ref) throw new Error(`frame ${parsed.frame} is outside the run (${run.frames.length} frames)`);
    if (!ref.ok) throw new Error(ref.reason);
    // Frames of a run decoded whole come with their neighbours (frameReads.ts); frame 1 and seeks on their own.
    const bytes = readAhead ? await readFrameInChunk(run, parsed.frame, ref) : await ref.source.read();
    // Closed or opened again while its bytes were read: its metadata is gone with it.
    if (lookup(parsed.runKey) !== run) throw new FrameLoadCancelled(imageId);
    const problem = frameBytesProblem(bytes, ref.transferSyntaxUID, run.info);
    if (problem) throw new Error(problem);
    let image: Types.IImage;
    if (buildsNativeImage(imageId, ref.transferSyntaxUID)) image = buildNativeImage(imageId, bytes, ref.transferSyntaxUID);
    else {
      try {
        if (decodeHere && decodesHere(imageId, ref.transferSyntaxUID)) image = await decodeHereToImage(imageId, bytes);
        else if (buildsDecodedImage(imageId, ref.transferSyntaxUID))
          image = await decodeToImage(imageId, bytes, ref.transferSyntaxUID, decodeOptions);
        else image = (await createImage(imageId, bytes, ref.transferSyntaxUID, { ...decodeOptions, useRGBA: false })) as Types.IImage;
      } catch (error) {
        // Codecs fail in their own words or with a bare number; the user is told what kind of data broke.
        throw new Error(codecFailureReason(ref.transferSyntaxUID), { cause: error });
      }
    }
    const lengthProblem = image.color ? null : decodedLengthProblem(image.getPixelData().length, run.info);
    if (lengthProblem) throw new Error(lengthProblem);
    applyModalityLutSequence(image, run.info);
    if (typeof beforeResolve === 'function') {
      try {
        await (beforeResolve as BeforeResolve)(image);
      } catch (error) {
        console.warn(`${imageId}: work before the frame was handed over failed:`, error);
      }
    }
    return image;
  })();
  return { promise };
}

/**
 * A frame's image, decoded once and kept in Cornerstone's cache. Every load FluoroLens starts goes
 * through here, before a viewport asks for the frame (it then finds it cached): Cornerstone's own
 * loadAndCacheImage leaves the cache's copy of the promise unhandled, so each frame that fails
 * there becomes an unhandled rejection in the page.
 */
export function loadFrameImage(imageId: string, options: Record<string, unknown> = {}): Promise<Types.IImage> {
  const cached = cache.getImageLoadObject(imageId);
  if (cached) return cached.promise;
  const image = cache.getImage(imageId);
  if (image) return Promise.resolve(image);
  // Derived (subtracted) ids have their own loader; this one would cache the raw frame under their id.
  if (!imageId.startsWith(`${FLUORO_SCHEME}:`)) return imageLoader.loadAndCacheImage(imageId, options as never);
  const loading = loadFluoroImage(imageId, options);
  cache.putImageLoadObject(imageId, loading).catch(() => undefined);
  return loading.promise;
}
