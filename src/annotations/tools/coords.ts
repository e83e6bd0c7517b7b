/**
 * Between our image coordinates (model/geometry.ts: the centre of pixel (c, r) is (c + 0.5,
 * r + 0.5)), Cornerstone world coordinates and the canvas. Cornerstone's image coordinates use
 * the same convention, so points pass unchanged through viewer/frameCoords.ts, which converts
 * them as the viewport lays the image out.
 */
import type { StackViewport, Types } from '@cornerstonejs/core';
import type { Point } from '../model';
import { imageToWorld as frameImageToWorld, worldToImage as frameWorldToImage } from '../../viewer/frameCoords';
import { parseImageId } from '../../viewer/imageIds';

export interface ViewportFrame {
  readonly viewport: StackViewport;
  readonly imageId: string;
  readonly runKey: string;
  /** 1-based frame shown now. */
  readonly frame: number;
}

/** The run and frame a stack viewport shows, or null when it shows none of ours. */
export function viewportFrame(viewport: StackViewport): ViewportFrame | null {
  const imageId = viewport.getCurrentImageId?.();
  const parsed = imageId ? parseImageId(imageId) : null;
  return imageId && parsed ? { viewport, imageId, runKey: parsed.runKey, frame: parsed.frame } : null;
}

const drawnFrames = new WeakMap<StackViewport, ViewportFrame>();

/** Called after each render of a viewport (IMAGE_RENDERED): its frame is now the one on screen. */
export function noteFrameDrawn(viewport: StackViewport): void {
  const frame = viewportFrame(viewport);
  if (frame) drawnFrames.set(viewport, frame);
}

/**
 * The frame whose pixels are on screen: the last one drawn. During playback the viewport is told
 * of the next frame a moment before it draws it; a press belongs to the frame the user saw.
 */
export function frameOnScreen(viewport: StackViewport): ViewportFrame | null {
  const current = viewportFrame(viewport);
  const drawn = drawnFrames.get(viewport);
  return drawn && current && drawn.runKey === current.runKey ? drawn : current;
}

export function imageToWorld(imageId: string, p: Point): Types.Point3 {
  return frameImageToWorld(imageId, [p.x, p.y]);
}

export function worldToImage(imageId: string, world: Types.Point3): Point {
  const [x, y] = frameWorldToImage(imageId, world);
  return { x, y };
}

export function imageToCanvas(frame: ViewportFrame, p: Point): Types.Point2 {
  return frame.viewport.worldToCanvas(imageToWorld(frame.imageId, p));
}
