/**
 * The move (CSS pixels) that puts a canvas point on the nearest device pixel corner, given the
 * device pixels per CSS pixel. At 1:1 the image's corner must sit there, or every screen pixel
 * blends two image pixels. Pure arithmetic, tested in Node.
 */
export function pixelGridShift(cssPoint: readonly [number, number], devicePerCss: number): [number, number] {
  if (!(devicePerCss > 0)) return [0, 0];
  const snap = (v: number) => (Math.round(v * devicePerCss) - v * devicePerCss) / devicePerCss;
  return [snap(cssPoint[0]), snap(cssPoint[1])];
}
