/**
 * How an export shows the image: the pane's window/level and inversion, and its quarter turns and
 * mirrors; never its zoom or pan (an export shows the whole image). Without a pane (a teaching
 * package made from the document alone), the run's opening display: the file's first window, else
 * the first exported frame's value range, as the viewer opens a run; upright; MONOCHROME1 inverted.
 */
import type { RunInfo } from '../../dicom/types';
import { formatViewTransform } from '../../format/display';
import { openingDisplayOf } from '../firstPaint';
import { imageToWorld } from '../frameCoords';
import { reviewViewport } from '../review';
import { UPRIGHT, orientationFromAxes, type Orientation } from './orientation';
import type { FramePixels, GrayDisplay } from './pixels';

export interface CaptureDisplay {
  /** Null: the run's opening window (decided on the first frame exported). */
  readonly voi: GrayDisplay | null;
  readonly orientation: Orientation;
  /** The pane's words for its rotation and flips, for the overlay text. */
  readonly orientationText: string | null;
}

export const OPENING_DISPLAY: CaptureDisplay = { voi: null, orientation: UPRIGHT, orientationText: null };

/** What the pane shows now, or null when it shows no image. */
export function paneCaptureDisplay(viewportId: string): CaptureDisplay | null {
  const viewport = reviewViewport(viewportId);
  const image = viewport?.getCornerstoneImage();
  if (!viewport || !image) return null;
  const { voiRange, invert } = viewport.getProperties();
  const canvasOf = (x: number, y: number) => viewport.worldToCanvas(imageToWorld(image.imageId, [x, y]));
  const origin = canvasOf(0, 0);
  const alongX = canvasOf(image.columns, 0);
  const alongY = canvasOf(0, image.rows);
  const orientation = orientationFromAxes([alongX[0] - origin[0], alongX[1] - origin[1]], [alongY[0] - origin[0], alongY[1] - origin[1]]);
  const camera = viewport.getCamera();
  const lower = voiRange?.lower ?? Number(image.windowCenter) - Number(image.windowWidth) / 2;
  const upper = voiRange?.upper ?? Number(image.windowCenter) + Number(image.windowWidth) / 2;
  return {
    voi: { lower, upper, invert: Boolean(invert) },
    orientation,
    orientationText: formatViewTransform(viewport.getRotation() ?? 0, Boolean(camera.flipHorizontal), Boolean(camera.flipVertical)),
  };
}

/** The window a run opens with (StackController.defaultVoiRange), for a frame of it. */
export function openingVoi(info: RunInfo, first: FramePixels): GrayDisplay {
  return openingDisplayOf(info, () => {
    let min = Infinity;
    let max = -Infinity;
    const { pixels } = first;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const scale = (v: number) => (first.prescaled ? v : v * first.slope + first.intercept);
    return { min: scale(min), max: scale(max) };
  });
}
