import { Enums, eventTarget, metaData, type StackViewport, type Types } from '@cornerstonejs/core';
import { opensInverted } from '../dicom/presentationLut';
import { voiFunctionNamed } from '../dicom/runInfo';
import type { RunInfo, VoiFunction, VoiLut } from '../dicom/types';
import {
  modalityValueOf,
  nextQuarterTurn,
  pixelAt,
  rangeFromWindow,
  storedValueOf,
  continuousWindowFromRange,
  windowFromRange,
  zoomFactorFor,
  type PixelArrayScaling,
} from './probeMath';
import type { ProbeReading } from '../format/display';
import { stackViewport, viewportElement } from './engine';
import { storedValuesOf } from './modalityLutDisplay';
import { imageToWorldIfKnown, worldToImageIfKnown } from './frameCoords';
import { pixelGridShift } from './pixelGrid';
import { DERIVED_SCHEME } from './imageIds';
import { holdsSetWindow } from './setWindowHold';
import { UPRIGHT, orientationFromAxes, type Orientation } from './capture/orientation';
import { showVoiLut, voiLutShown } from './voiLutDisplay';

export { showsVoiLut } from './voiLutDisplay';

/**
 * Review actions on one pane's stack viewport (window/level, invert, zoom, rotate, flip, reset)
 * and the readings the toolbar and overlay show. Panes are addressed by viewport id, which is the
 * pane id (viewer/engine.ts). Window/level, zoom, pan, rotation and flips live in the Cornerstone
 * viewport, not in the session: these functions change it and read it back.
 */

/** Fired on a viewport element after each render (new frame, camera or VOI change). */
export const FRAME_RENDERED_EVENT: string = Enums.Events.IMAGE_RENDERED;

export function reviewViewport(viewportId: string): StackViewport | null {
  const viewport = stackViewport(viewportId);
  return viewport && viewport.getCornerstoneImage?.() ? viewport : null;
}

/** What the pane shows now, for the toolbar's pressed states and readouts. */
export interface DisplayState {
  windowWidth: number;
  windowCenter: number;
  /** Inverted against how the file asks to be shown (MONOCHROME1, or a Presentation LUT Shape of INVERSE, is drawn inverted by default). */
  inverted: boolean;
  /** CSS pixels per image pixel (rotation does not change it). */
  pixelScale: number;
  rotation: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** Width of the pane's drawing area in CSS pixels (for sizing the scale bar). */
  paneWidth: number;
  /** Each frame is shown in its image's own window: none was set since the run opened or Reset. */
  windowFromImage: boolean;
  /** Where the image's axes point on screen (quarter turns and mirrors), read off the viewport. */
  axes: Orientation;
  /** The file's VOI LUT the frames are shown through instead of a window, or null. */
  voiLut: VoiLut | null;
}

export function displayState(viewportId: string): DisplayState | null {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return null;
  const { voiRange, invert } = viewport.getProperties();
  const image = viewport.getCornerstoneImage();
  // A subtracted frame holds differences, not stored integers (viewer/subtractionImages.ts).
  const fn = voiFunctionOfViewport(viewport);
  const fromRange = image.imageId.startsWith(`${DERIVED_SCHEME}:`)
    ? continuousWindowFromRange
    : (lower: number, upper: number) => windowFromRange(lower, upper, fn);
  const window = voiRange
    ? fromRange(voiRange.lower, voiRange.upper)
    : { width: Number(image.windowWidth), center: Number(image.windowCenter) };
  const camera = viewport.getCamera();
  const invertedByFile = fileInverted(image);
  const steps = pixelSteps(viewport);
  // The viewport still holds a frame of a run just closed or replaced: the new run's render tells.
  if (steps === null) return null;
  return {
    windowWidth: window.width,
    windowCenter: window.center,
    inverted: Boolean(invert) !== invertedByFile,
    pixelScale: scaleOf(steps),
    rotation: Math.round(viewport.getRotation() ?? 0) % 360,
    flipHorizontal: Boolean(camera.flipHorizontal),
    flipVertical: Boolean(camera.flipVertical),
    paneWidth: viewport.element.clientWidth,
    windowFromImage: !holdsSetWindow(viewport),
    axes: axesOf(steps),
    voiLut: voiLutShown(viewport),
  };
}

/** Canvas positions of the centre of image pixel (0, 0) and of its right and lower neighbours. */
interface PixelSteps {
  readonly origin: Types.Point2;
  readonly right: Types.Point2;
  readonly down: Types.Point2;
}

/** Null while the frame's geometry is not known (see frameCoords.ts). */
function pixelSteps(viewport: StackViewport): PixelSteps | null {
  const imageId = viewport.getCurrentImageId();
  const at = (x: number, y: number) => {
    const world = imageToWorldIfKnown(imageId, [x, y]);
    return world ? viewport.worldToCanvas(world) : null;
  };
  const origin = at(0.5, 0.5);
  const right = at(1.5, 0.5);
  const down = at(0.5, 1.5);
  return origin && right && down ? { origin, right, down } : null;
}

/** CSS pixels between the centres of two horizontally adjacent image pixels. */
function scaleOf({ origin, right }: PixelSteps): number {
  return Math.hypot(right[0] - origin[0], right[1] - origin[1]);
}

/**
 * The image's +x and +y on the canvas, snapped to a quarter-turn orientation: read off the viewport
 * rather than worked out from its rotation and flips, whose order Cornerstone composes itself.
 */
function axesOf({ origin, right, down }: PixelSteps): Orientation {
  return orientationFromAxes([right[0] - origin[0], right[1] - origin[1]], [down[0] - origin[0], down[1] - origin[1]]);
}

/** The pane's quarter turns and mirrors as an orientation (upright while its frame's geometry is not known). */
export function screenAxes(viewport: StackViewport): Orientation {
  const steps = pixelSteps(viewport);
  return steps ? axesOf(steps) : UPRIGHT;
}

/**
 * The file asks to be drawn inverted (MONOCHROME1, or MONOCHROME2 with a Presentation LUT Shape of
 * INVERSE: presentationLut.ts): that inversion is the file's, not the user's.
 */
function fileInverted(image: Types.IImage): boolean {
  const pixelModule = metaData.get('imagePixelModule', image.imageId) as
    { photometricInterpretation?: string; presentationLUTShape?: string } | undefined;
  return pixelModule?.photometricInterpretation
    ? opensInverted({
        photometricInterpretation: pixelModule.photometricInterpretation,
        presentationLutShape: pixelModule.presentationLUTShape,
      })
    : false;
}

/**
 * Calls `onChange` whenever the pane's display may have changed (VOI, camera, new frame), and when
 * its viewport appears or goes away. Returns the unsubscribe function.
 */
export function watchDisplay(viewportId: string, onChange: () => void): () => void {
  let element: HTMLDivElement | null = null;
  const elementEvents = [Enums.Events.VOI_MODIFIED, Enums.Events.CAMERA_MODIFIED, Enums.Events.IMAGE_RENDERED];
  // Showing a run fires a burst of camera and VOI events in one task; the watcher hears of it once,
  // after the burst (each hearing reads layout, which would otherwise be forced again and again).
  let queued = false;
  let watching = true;
  const onEvent = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      if (watching) onChange();
    });
  };
  const attach = () => {
    const next = viewportElement(viewportId);
    if (next === element) return;
    for (const type of elementEvents) element?.removeEventListener(type, onEvent);
    element = next;
    for (const type of elementEvents) element?.addEventListener(type, onEvent);
    onChange();
  };
  const onEnabledChange = (event: Event) => {
    if ((event as CustomEvent<{ viewportId?: string }>).detail?.viewportId !== viewportId) return;
    // Disabling fires before the viewport is removed: look again once it is gone.
    queueMicrotask(attach);
  };
  eventTarget.addEventListener(Enums.Events.ELEMENT_ENABLED, onEnabledChange);
  eventTarget.addEventListener(Enums.Events.ELEMENT_DISABLED, onEnabledChange);
  attach();
  return () => {
    eventTarget.removeEventListener(Enums.Events.ELEMENT_ENABLED, onEnabledChange);
    eventTarget.removeEventListener(Enums.Events.ELEMENT_DISABLED, onEnabledChange);
    for (const type of elementEvents) element?.removeEventListener(type, onEvent);
    element = null;
    watching = false;
  };
}

/**
 * The VOI LUT Function the viewport draws its frame with (Cornerstone takes it from the image: the
 * file's, LINEAR for a subtracted frame).
 */
export function voiFunctionOfViewport(viewport: StackViewport): VoiFunction {
  return voiFunctionNamed(viewport.getProperties().VOILUTFunction as string | undefined);
}

/** Shows the frames through one of the file's VOI LUTs instead of a window. */
export function applyVoiLut(viewportId: string, lut: VoiLut): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  showVoiLut(viewport, lut);
  viewport.render();
}

/** Applies a DICOM window (centre/width, in modality values) under the frame's VOI LUT Function. */
export function applyWindow(viewportId: string, center: number, width: number): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  viewport.setProperties({ voiRange: rangeFromWindow(width, center, voiFunctionOfViewport(viewport)) });
  viewport.render();
}

export function toggleInvert(viewportId: string): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  viewport.setProperties({ invert: !viewport.getProperties().invert });
  viewport.render();
}

/** Fits the whole image in the pane and centres it; rotation and flips stay. */
export function fitImage(viewportId: string): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  const { flipHorizontal, flipVertical } = viewport.getCamera();
  const rotation = viewport.getRotation();
  viewport.resetCamera({ resetPan: true, resetZoom: true });
  viewport.setCamera({ flipHorizontal, flipVertical });
  viewport.setViewPresentation({ rotation });
  viewport.render();
}

/**
 * One image pixel per device pixel, around the current centre, with pixel edges on device pixel
 * edges: otherwise each screen pixel would blend two image pixels and 1:1 would show a blur.
 */
export function showActualSize(viewportId: string): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  const target = 1 / (globalThis.devicePixelRatio || 1);
  const steps = pixelSteps(viewport);
  if (steps === null) return;
  viewport.setZoom(viewport.getZoom() * zoomFactorFor(scaleOf(steps), target));
  alignToDevicePixels(viewport);
  viewport.render();
}

/** Pans by less than a device pixel so the image's top-left corner lands on a device pixel corner. */
function alignToDevicePixels(viewport: StackViewport): void {
  const canvas = viewport.getCanvas();
  const corner = imageToWorldIfKnown(viewport.getCurrentImageId(), [0, 0]);
  if (!corner || !(canvas.clientWidth > 0)) return;
  const shift = pixelGridShift(viewport.worldToCanvas(corner), canvas.width / canvas.clientWidth);
  const zero = viewport.canvasToWorld([0, 0]);
  const along = viewport.canvasToWorld(shift as Types.Point2);
  const camera = viewport.getCamera();
  if (!camera.focalPoint || !camera.position) return;
  const delta = [along[0] - zero[0], along[1] - zero[1], along[2] - zero[2]];
  const minus = (point: Types.Point3): Types.Point3 => [point[0] - delta[0], point[1] - delta[1], point[2] - delta[2]];
  viewport.setCamera({ focalPoint: minus(camera.focalPoint), position: minus(camera.position) });
}

export function rotateQuarterTurn(viewportId: string): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  viewport.setViewPresentation({ rotation: nextQuarterTurn(viewport.getRotation() ?? 0) });
  viewport.render();
}

/** Mirrors the image as seen on screen, left–right or top–bottom. */
export function flipImage(viewportId: string, direction: 'horizontal' | 'vertical'): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  // setViewPresentation cannot unflip (it only ever calls flip with true); setCamera toggles both ways.
  const camera = viewport.getCamera();
  if (direction === 'horizontal') viewport.setCamera({ flipHorizontal: !camera.flipHorizontal });
  else viewport.setCamera({ flipVertical: !camera.flipVertical });
  viewport.render();
}

/**
 * Camera fitted, unrotated, unflipped, the file's own inversion, and the window the run opened
 * with (`opening`, StackController.defaultVoiRange): the file's, its VOI LUT when it stores no
 * window, or for a run with neither the first frame's range, held for every frame (a per-frame
 * range would flicker in cine).
 */
export function resetDisplay(viewportId: string, opening: { lower: number; upper: number; lut?: VoiLut } | null): void {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return;
  viewport.resetCamera();
  // Not resetProperties(): it restores Cornerstone's initial transfer function under a stale invert
  // flag, which leaves MONOCHROME1 images drawn the wrong way round (and knows nothing of the
  // Presentation LUT Shape).
  if (opening?.lut) showVoiLut(viewport, opening.lut);
  else if (opening) viewport.setProperties({ voiRange: opening });
  else viewport.resetProperties();
  const invertedByFile = fileInverted(viewport.getCornerstoneImage());
  if (Boolean(viewport.getProperties().invert) !== invertedByFile) viewport.setProperties({ invert: invertedByFile });
  viewport.render();
}

/**
 * The pixel under a point of the pane (CSS pixels from the viewport element's top left):
 * column/row, the stored value and the modality value. 'outside' when the point misses the image.
 */
export function probePixel(viewportId: string, info: RunInfo, canvasX: number, canvasY: number): ProbeReading | 'outside' | null {
  const viewport = reviewViewport(viewportId);
  const image = viewport?.getCornerstoneImage();
  if (!viewport || !image || image.color) return null;
  const world = viewport.canvasToWorld([canvasX, canvasY] as Types.Point2);
  const [imageX, imageY] = worldToImageIfKnown(image.imageId, world) ?? [NaN, NaN];
  const pixel = pixelAt(imageX, imageY, image.columns, image.rows);
  if (!pixel) return 'outside';
  const index = pixel.row * image.columns + pixel.column;
  const storedArray = storedValuesOf(image);
  const stored = storedArray ? storedArray[index] : storedValueOf((image.getPixelData() as ArrayLike<number>)[index], arrayScaling(image));
  return { ...pixel, stored, value: modalityValueOf(stored, info.modalityLut) };
}

function arrayScaling(image: Types.IImage): PixelArrayScaling {
  const parameters = image.preScale?.scaled ? image.preScale.scalingParameters : undefined;
  if (!parameters) return { kind: 'stored' };
  return { kind: 'rescaled', slope: parameters.rescaleSlope ?? 1, intercept: parameters.rescaleIntercept ?? 0 };
}

/** Where an image point (Cornerstone image coordinates) is on the page, in client pixels. */
export function imagePointToClient(viewportId: string, imageX: number, imageY: number): { x: number; y: number } | null {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return null;
  const world = imageToWorldIfKnown(viewport.getCurrentImageId(), [imageX, imageY]);
  if (!world) return null;
  const [cx, cy] = viewport.worldToCanvas(world);
  const box = viewport.element.getBoundingClientRect();
  return { x: box.left + cx, y: box.top + cy };
}

/** The image point (Cornerstone image coordinates) under a page (client) position; the inverse of imagePointToClient. */
export function clientToImagePoint(viewportId: string, clientX: number, clientY: number): { x: number; y: number } | null {
  const viewport = reviewViewport(viewportId);
  if (!viewport) return null;
  const box = viewport.element.getBoundingClientRect();
  const world = viewport.canvasToWorld([clientX - box.left, clientY - box.top]);
  const image = worldToImageIfKnown(viewport.getCurrentImageId(), world);
  if (!image) return null;
  return { x: image[0], y: image[1] };
}
