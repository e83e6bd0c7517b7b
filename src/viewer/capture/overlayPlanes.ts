import { forEachOverlayPixel } from '../../dicom/overlays';
import { overlaysOfFrame } from '../../dicom/runInfo';
import type { RunInfo } from '../../dicom/types';
import type { LoadedFrame } from './frames';

/**
 * A grey frame with the run's overlay planes (60xx) for that frame burned in as the pane draws
 * them, white: their pixels get a value beyond any window (+∞, or −∞ under an inverted display,
 * which the grey mappers take to white), in a float copy of the frame. Every output path (RGBA,
 * I420, GIF) then draws them without knowing about overlays. Colour frames, and frames without a
 * plane, come back as they are.
 */
export function withOverlayPlanes(
  loaded: LoadedFrame,
  info: Pick<RunInfo, 'overlays' | 'frameCount' | 'columns' | 'rows'>,
  frame: number,
  invert: boolean,
): LoadedFrame {
  if (!loaded.ok || loaded.pixels.samplesPerPixel !== 1) return loaded;
  const planes = overlaysOfFrame(info, frame);
  if (!planes.length) return loaded;
  const { pixels } = loaded;
  const values = Float32Array.from(pixels.pixels);
  const white = invert ? -Infinity : Infinity;
  for (const { plane, index } of planes) {
    forEachOverlayPixel(plane, index, pixels.columns, pixels.rows, (column, row) => {
      values[row * pixels.columns + column] = white;
    });
  }
  return { ok: true, pixels: { ...pixels, pixels: values } };
}
