/**
 * Between our image coordinates (model/geometry.ts: the centre of pixel (c, r) is (c + 0.5,
 * r + 0.5)), Cornerstone world coordinates and the canvas. Cornerstone's image coordinates use
 * the same convention, so points pass through its converters unchanged.
 */
import { utilities, type StackViewport, type Types } from '@cornerstonejs/core';
import type { Point } from '../model';
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

export function imageToWorld(imageId: string, p: Point): Types.Point3 {
  return utilities.imageToWorldCoords(imageId, [p.x, p.y]) as Types.Point3;
}

export function worldToImage(imageId: string, world: Types.Point3): Point {
  const [x, y] = utilities.worldToImageCoords(imageId, world) as [number, number];
  return { x, y };
}

export function imageToCanvas(frame: ViewportFrame, p: Point): Types.Point2 {
  return frame.viewport.worldToCanvas(imageToWorld(frame.imageId, p));
}
