import type { Types } from '@cornerstonejs/core';
import { jpegSamplePrecision } from '../dicom/jpegFrame';

/** Transfer syntaxes the dicom-image-loader hands to its JavaScript 12-bit DCT decoder. */
const JS_DCT_DECODER = new Set(['1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.53', '1.2.840.10008.1.2.4.55']);

/**
 * The dicom-image-loader's JavaScript decoder for 12-bit lossy JPEG (codecs/jpeg.js) adds the
 * level shift scaled by 4095/255 instead of 4096/256, so every sample comes out 15 (sometimes 16)
 * too high: the WG04 XA1 frame reads 16 where DCMTK and GDCM read 1. Taking 15 off brings it within
 * one stored value of them. 8-bit streams of the same syntaxes decode right and are left alone.
 */
export const JPEG12_LEVEL_SHIFT_ERROR = 15;

/** Whether the decoded samples of this frame will need the correction: asked before its bytes go to a decoder (which may take them). */
export function hasJpeg12LevelShiftError(frameBytes: Uint8Array, transferSyntaxUID: string): boolean {
  return JS_DCT_DECODER.has(transferSyntaxUID) && jpegSamplePrecision(frameBytes) === 12;
}

/** Takes the error off a grayscale frame for which hasJpeg12LevelShiftError said yes. */
export function correctJpeg12LevelShift(image: Types.IImage): void {
  if (image.color) return;
  const pixels = image.getPixelData() as unknown as { [index: number]: number; length: number };
  // Pre-scaled arrays hold slope·stored + intercept: correct the stored value inside.
  const parameters = image.preScale?.scaled ? image.preScale.scalingParameters : undefined;
  const slope = parameters?.rescaleSlope ?? 1;
  const intercept = parameters?.rescaleIntercept ?? 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const stored = Math.max(0, Math.round((pixels[i] - intercept) / slope) - JPEG12_LEVEL_SHIFT_ERROR);
    const value = stored * slope + intercept;
    pixels[i] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  image.minPixelValue = min;
  image.maxPixelValue = max;
  const frame = image.imageFrame as { smallestPixelValue?: number; largestPixelValue?: number } | undefined;
  if (frame) {
    frame.smallestPixelValue = min;
    frame.largestPixelValue = max;
  }
}
