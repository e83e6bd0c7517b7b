import type { Point } from '../../annotations/model';
import { imagePointToClient } from '../../viewer/review';

/**
 * Where an image point is inside a layer that covers the pane's viewport element exactly, in CSS
 * pixels: what the React layers over the picture (calibration line, lead tips, quiz answers) draw at.
 */
export function imagePointInLayer(paneId: string, layer: HTMLElement | null, p: Point): { x: number; y: number } | null {
  const page = imagePointToClient(paneId, p.x, p.y);
  if (!page || !layer) return null;
  const box = layer.getBoundingClientRect();
  return { x: page.x - box.left, y: page.y - box.top };
}
