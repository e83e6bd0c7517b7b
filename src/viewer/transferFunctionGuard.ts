/**
 * Cornerstone 5.14's StackViewport.setStack resets its `invert` flag to false but can keep the
 * previous image's colour transfer function, which may be inverted. After swapping a pane between
 * raw and subtracted frames the flag and the function then disagree, and the image is drawn the
 * wrong way round while the viewport (and our Invert button) says it is not inverted: DSA
 * contrast, which absorbs X-rays and subtracts to negative values, came out bright instead of
 * dark. This reads the function's orientation and makes it agree with the flag.
 */
import { utilities, type StackViewport } from '@cornerstonejs/core';

export interface ColorTransferFunction {
  getSize(): number;
  getNodeValue(index: number, out: number[]): void;
}

/** True when the function draws its lowest node brighter than its highest (an inverted ramp). */
export function isDescendingRamp(tf: ColorTransferFunction): boolean {
  const size = tf.getSize();
  if (size < 2) return false;
  const first: number[] = [];
  const last: number[] = [];
  tf.getNodeValue(0, first);
  tf.getNodeValue(size - 1, last);
  // Node values are [x, r, g, b, midpoint, sharpness]; nodes are sorted by x.
  return first[1] + first[2] + first[3] > last[1] + last[2] + last[3];
}

/** The grey transfer function the viewport's image is drawn with, or null before it has one. */
export function transferFunctionOf(viewport: StackViewport): ColorTransferFunction | null {
  const actor = viewport.getDefaultActor()?.actor as { getProperty?: () => { getRGBTransferFunction(i: number): unknown } } | undefined;
  const tf = actor?.getProperty?.().getRGBTransferFunction(0) as ColorTransferFunction | null | undefined;
  return tf && typeof tf.getSize === 'function' ? tf : null;
}

/** Makes the viewport's transfer function agree with its invert flag; true when it had to flip it. */
export function alignTransferFunctionWithInvert(viewport: StackViewport): boolean {
  const tf = transferFunctionOf(viewport);
  if (!tf) return false;
  const invert = Boolean(viewport.getProperties().invert);
  if (isDescendingRamp(tf) === invert) return false;
  utilities.invertRgbTransferFunction(tf as never);
  return true;
}
