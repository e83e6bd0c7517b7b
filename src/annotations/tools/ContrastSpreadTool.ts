/**
 * Contrast spread: a closed freehand contour drawn by dragging, with editable vertex handles and
 * its area (mm² when the run is calibrated, naming the spacing used; px² otherwise).
 */
import type { Types } from '@cornerstonejs/core';
import { distance, polygonArea, type ContrastSpreadGeometry, type Geometry, type Point } from '../model';
import { imageToCanvas, type ViewportFrame } from './coords';
import { distanceToPolygon, offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import type { ShownData } from './shown';

/** Freehand points closer than this on screen are dropped, so the contour stays editable. */
const MIN_STEP_CANVAS_PX = 4;
/** Smaller outlines are taken for a slip of the mouse and not kept. */
const MIN_AREA_PX2 = 4;

/** Canvas pixels per image pixel at the current zoom. */
function canvasScale(frame: ViewportFrame): number {
  const a = imageToCanvas(frame, { x: 0, y: 0 });
  const b = imageToCanvas(frame, { x: 1, y: 0 });
  return Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
}

export class ContrastSpreadTool extends ModelTool {
  static override toolName = 'FluoroLensContrastSpread';
  override readonly kind = 'contrastSpread' as const;

  protected creationGesture(frame: ViewportFrame, start: Point): GestureSpec {
    const minStep = MIN_STEP_CANVAS_PX / canvasScale(frame);
    const path: Point[] = [start];
    return {
      update: (current) => {
        if (distance(path[path.length - 1], current) < minStep) return null;
        path.push(current);
        return path.length >= 3 ? { contour: [...path] } : null;
      },
      finish: () => path.length >= 3 && polygonArea(path) >= MIN_AREA_PX2,
    };
  }

  protected moveHandle(geometry: Geometry, index: number, dx: number, dy: number): Geometry {
    const { contour } = geometry as ContrastSpreadGeometry;
    return { contour: contour.map((p, i) => (i === index ? offset(p, dx, dy) : p)) };
  }

  protected isNearBody(frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean {
    const polygon = this.canvasHandles(frame, data).map(([x, y]) => ({ x, y }));
    return distanceToPolygon({ x: canvas[0], y: canvas[1] }, polygon) < proximity;
  }
}
