import type { StackViewport } from '@cornerstonejs/core';
import type { Roi } from '../imaging/registration';
import { worldToImageIfKnown } from './frameCoords';

/** Side of the automatic shift's region in image pixels (a quarter of the image at most). */
export function roiSide(rows: number, columns: number): number {
  return Math.max(16, Math.min(128, Math.floor(Math.min(rows, columns) / 4)));
}

/** A square around image point (cx, cy), kept inside the image. */
export function squareRoiAt(cx: number, cy: number, rows: number, columns: number): Roi {
  const side = roiSide(rows, columns);
  const x = Math.round(Math.max(0, Math.min(columns - side, cx - side / 2)));
  const y = Math.round(Math.max(0, Math.min(rows - side, cy - side / 2)));
  return { x, y, width: side, height: side };
}

/** The registration region under the centre of the pane's view: panning moves it. */
export function centredRoi(viewport: StackViewport, rows: number, columns: number): Roi {
  const canvas = viewport.getCanvas();
  const world = viewport.canvasToWorld([canvas.clientWidth / 2, canvas.clientHeight / 2]);
  const imageId = viewport.getCurrentImageId();
  const point = imageId ? worldToImageIfKnown(imageId, world) : null;
  const [cx, cy] = point ?? [columns / 2, rows / 2];
  return squareRoiAt(cx, cy, rows, columns);
}
