import { createImage } from '@cornerstonejs/dicom-image-loader';
import type { Types } from '@cornerstonejs/core';
import { codecFailureReason, decodedLengthProblem, frameBytesProblem } from '../dicom/frameCheck';
import { parseImageId, type RunLookup } from './imageIds';
import { correctJpeg12LevelShift } from './jpeg12LevelShift';
import { applyModalityLutSequence } from './modalityLutDisplay';

/**
 * Cornerstone image loader for `fluoro:` ids. Reads only the bytes of the one frame asked for
 * (File.slice / HTTP range), then hands them to the dicom-image-loader's codecs in its workers.
 * This is what keeps opening a 2,000-frame run as cheap as a 10-frame one.
 */
export function createFrameImageLoader(runByKey: RunLookup) {
  return (imageId: string, options: Record<string, unknown> = {}): Types.IImageLoadObject => ({
    promise: loadFrame(runByKey, imageId, options),
  });
}

async function loadFrame(runByKey: RunLookup, imageId: string, options: Record<string, unknown>): Promise<Types.IImage> {
  const parsed = parseImageId(imageId);
  if (!parsed) throw new Error(`not a FluoroLens image id: ${imageId}`);
  const run = runByKey(parsed.runKey);
  if (!run) throw new Error(`the run of ${imageId} is no longer open`);
  const ref = run.frames[parsed.frame - 1];
  if (!ref) throw new Error(`frame ${parsed.frame} is outside the run (${run.frames.length} frames)`);
  if (!ref.ok) throw new Error(ref.reason);
  const bytes = await ref.source.read();
  const problem = frameBytesProblem(bytes, ref.transferSyntaxUID, run.info);
  if (problem) throw new Error(problem);
  let image: Types.IImage;
  try {
    image = (await createImage(imageId, bytes, ref.transferSyntaxUID, { ...options, useRGBA: false })) as Types.IImage;
  } catch (error) {
    // Codecs fail in their own words or with a bare number; the user is told what kind of data broke.
    throw new Error(codecFailureReason(ref.transferSyntaxUID), { cause: error });
  }
  const lengthProblem = image.color ? null : decodedLengthProblem(image.getPixelData().length, run.info);
  if (lengthProblem) throw new Error(lengthProblem);
  correctJpeg12LevelShift(image, bytes, ref.transferSyntaxUID);
  applyModalityLutSequence(image, run.info);
  return image;
}
