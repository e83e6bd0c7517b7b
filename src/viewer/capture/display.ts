/**
 * How an export shows the image: the pane's window/level (or VOI LUT) and inversion, and its quarter turns and
 * mirrors; never its zoom or pan (an export shows the whole image). Without a pane (a teaching
 * package made from the document alone), the run's opening display: the file's first window, else
 * the first exported frame's value range, as the viewer opens a run; upright; inverted as the file asks (presentationLut.ts).
 * A series whose images store different windows shows each frame in its own until a window is set,
 * on screen and in exports alike (imageDisplaysOf).
 */
import { voiFunctionOf, windowsOfFrame } from '../../dicom/runInfo';
import { lutFollowing, voiLutInputRange } from '../../dicom/voiLut';
import type { RunInfo } from '../../dicom/types';
import { formatViewTransform } from '../../format/display';
import { displayWithFunction, openingDisplayOf } from '../firstPaint';
import { rangeFromWindow } from '../probeMath';
import { reviewViewport, screenAxes, voiFunctionOfViewport } from '../review';
import { holdsSetWindow } from '../setWindowHold';
import { voiLutShown } from '../voiLutDisplay';
import { UPRIGHT, type Orientation } from './orientation';
import type { FramePixels, GrayDisplay } from './pixels';

export interface CaptureDisplay {
  /** Null: the run's opening window (decided on the first frame exported). */
  readonly voi: GrayDisplay | null;
  /**
   * The pane shows each frame in its image's own window (no window set since the run opened):
   * a series windowed image by image is exported so too, with `voi`'s inversion.
   */
  readonly windowFromImage: boolean;
  readonly orientation: Orientation;
  /** The pane's words for its rotation and flips, for the overlay text. */
  readonly orientationText: string | null;
}

export const OPENING_DISPLAY: CaptureDisplay = { voi: null, windowFromImage: true, orientation: UPRIGHT, orientationText: null };

/** What the pane shows now, or null when it shows no image. */
export function paneCaptureDisplay(viewportId: string): CaptureDisplay | null {
  const viewport = reviewViewport(viewportId);
  const image = viewport?.getCornerstoneImage();
  if (!viewport || !image) return null;
  const { voiRange, invert } = viewport.getProperties();
  const orientation = screenAxes(viewport);
  const camera = viewport.getCamera();
  const fn = voiFunctionOfViewport(viewport);
  const { lower, upper } = voiRange ?? rangeFromWindow(Number(image.windowWidth), Number(image.windowCenter), fn);
  const lut = voiLutShown(viewport);
  return {
    voi: lut ? { lower, upper, invert: Boolean(invert), lut } : displayWithFunction({ lower, upper, invert: Boolean(invert) }, fn),
    windowFromImage: !holdsSetWindow(viewport),
    orientation,
    orientationText: formatViewTransform(viewport.getRotation() ?? 0, Boolean(camera.flipHorizontal), Boolean(camera.flipVertical)),
  };
}

/**
 * Each frame's own image's window with `voi`'s inversion, for a series whose images store
 * different windows shown so; each frame's image's VOI LUT at the place of the one `voi` shows,
 * for a series whose images each store their own (as the pane follows them: StackController);
 * null for any other run or display (one window for every frame).
 */
export function imageDisplaysOf(info: RunInfo, display: CaptureDisplay, voi: GrayDisplay): ((frame: number) => GrayDisplay) | null {
  const { invert } = voi;
  const shownLut = voi.lut;
  if (info.voi.perImageLuts && shownLut) {
    return (frame) => {
      const lut = lutFollowing(info.voi, shownLut, frame) ?? shownLut;
      return { ...voiLutInputRange(lut), invert, lut };
    };
  }
  if (!info.voi.perImage || !display.windowFromImage) return null;
  const fn = voiFunctionOf(info.voi);
  return (frame) => {
    const { width, center } = windowsOfFrame(info.voi, frame)[0];
    return displayWithFunction({ ...rangeFromWindow(width, center, fn), invert }, fn);
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
