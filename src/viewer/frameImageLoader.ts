import { createImage } from '@cornerstonejs/dicom-image-loader';
import type { Types } from '@cornerstonejs/core';
import { readFrameBytes } from '../dicom/frameIndex';
import { getRun, parseImageId } from './runRegistry';

/**
 * Cornerstone image loader for `fluoro:` ids. Reads only the bytes of the one frame asked for
 * (File.slice / HTTP range), then hands them to the dicom-image-loader's codecs in its workers.
 * This is what keeps opening a 2,000-frame run as cheap as a 10-frame one.
 */
export function loadFluoroImage(imageId: string, options: Record<string, unknown> = {}): Types.IImageLoadObject {
  const promise = (async () => {
    const parsed = parseImageId(imageId);
    if (!parsed) throw new Error(`not a FluoroLens image id: ${imageId}`);
    const run = getRun(parsed.runKey);
    if (!run) throw new Error(`the run of ${imageId} is no longer open`);
    const ref = run.frames[parsed.frame - 1];
    if (!ref) throw new Error(`frame ${parsed.frame} is outside the run (${run.frames.length} frames)`);
    if (!ref.ok) throw new Error(ref.reason);
    const bytes = await readFrameBytes(ref.source, ref.span);
    const image = await createImage(imageId, bytes, ref.transferSyntaxUID, {
      ...options,
      useRGBA: false,
    });
    return image as Types.IImage;
  })();
  return { promise };
}
