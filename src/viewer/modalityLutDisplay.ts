import { cache, imageLoader, utilities, type Types } from '@cornerstonejs/core';
import { mapThroughLutSequence, modalityLutSequenceForDisplay } from '../dicom/modalityLut';
import type { RunInfo } from '../dicom/types';

/** Stored values of frames whose pixel array now holds Modality LUT output (for the pixel probe). */
const storedValues = new WeakMap<Types.IImage, ArrayLike<number>>();

/**
 * Puts the Modality LUT Sequence's output in a decoded frame's pixel array, as Cornerstone does
 * with Rescale Slope/Intercept ("pre-scaling"): its GPU path ignores `image.modalityLUT`, so the
 * window would otherwise be applied to stored values. The stored values stay reachable through
 * storedValuesOf. Frames without a sequence, colour frames and XA/XRF runs are left as they are.
 */
export function applyModalityLutSequence(image: Types.IImage, info: RunInfo): void {
  const lut = modalityLutSequenceForDisplay(info);
  if (!lut || image.color) return;
  const stored = image.getPixelData() as ArrayLike<number> & { byteLength: number };
  const { values, min, max } = mapThroughLutSequence(stored, lut);
  storedValues.set(image, stored);
  const frame = image.imageFrame as { pixelData: ArrayLike<number>; smallestPixelValue?: number; largestPixelValue?: number } | undefined;
  if (frame) {
    frame.pixelData = values;
    frame.smallestPixelValue = min;
    frame.largestPixelValue = max;
  }
  image.getPixelData = () => values as unknown as Types.PixelDataTypedArray;
  image.voxelManager = utilities.VoxelManager.createImageVoxelManager({
    scalarData: values,
    width: image.columns,
    height: image.rows,
    numberOfComponents: 1,
  }) as unknown as Types.IImage['voxelManager'];
  image.dataType = values instanceof Uint16Array ? 'Uint16Array' : 'Float32Array';
  image.sizeInBytes = values.byteLength + stored.byteLength;
  image.minPixelValue = min;
  image.maxPixelValue = max;
  image.slope = 1;
  image.intercept = 0;
  // Already applied: Cornerstone's CPU fallback must not apply it a second time.
  image.modalityLUT = undefined;
}

/** The stored values of a frame whose array holds Modality LUT output, else undefined. */
export function storedValuesOf(image: Types.IImage): ArrayLike<number> | undefined {
  return storedValues.get(image);
}

/** A frame's decoded values before any Modality LUT Sequence (rescaled ones stay rescaled), loaded through the cache. */
export async function storedPixelsOf(imageId: string): Promise<ArrayLike<number>> {
  const image = cache.getImage(imageId) ?? (await imageLoader.loadAndCacheImage(imageId));
  return storedValues.get(image) ?? (image.getPixelData() as ArrayLike<number>);
}

/**
 * A frame's stored values as the file holds them (no Rescale Slope/Intercept pre-scaling, no
 * Modality LUT Sequence), for writing it back out (teaching export masks burned-in text).
 */
export async function fileStoredPixelsOf(imageId: string): Promise<ArrayLike<number>> {
  const image = cache.getImage(imageId) ?? (await imageLoader.loadAndCacheImage(imageId));
  const values = storedValues.get(image) ?? (image.getPixelData() as ArrayLike<number>);
  const scaling = image.preScale?.scaled ? image.preScale.scalingParameters : undefined;
  const slope = scaling?.rescaleSlope ?? 1;
  const intercept = scaling?.rescaleIntercept ?? 0;
  if (slope === 1 && intercept === 0) return values;
  return Float64Array.from(values as ArrayLike<number>, (v) => Math.round((v - intercept) / slope));
}
