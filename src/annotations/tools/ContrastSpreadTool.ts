/**
 * Contrast spread: a closed freehand contour drawn by dragging, with editable vertex handles and
 * its area (mm² when the run is calibrated, naming the spacing used; px² otherwise).
 */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import { contourAreaLabel } from '../../format/measurements';
import { distance, polygonArea, type ContrastSpreadGeometry, type Geometry, type Point } from '../model';
import { imageToCanvas, type ViewportFrame } from './coords';
import { annotationEditor } from './editor';
import { distanceToPolygon, offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import { tagNode, type DrawStyle, type ShownData } from './shown';

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

  protected drawShown(svg: ToolTypes.SVGDrawingHelper, uid: string, frame: ViewportFrame, data: ShownData, style: DrawStyle): void {
    const { contour } = data.geometry as ContrastSpreadGeometry;
    const points = this.canvasHandles(frame, data);
    drawing.drawPolyline(svg, uid, 'contour', points, {
      color: style.color,
      width: style.lineWidth,
      lineDash: style.lineDash,
      closePath: true,
      fillColor: style.color,
      fillOpacity: 0.12,
    });
    tagNode(svg, uid, 'polyline', 'contour', data);
    // Every vertex is a handle; they are drawn only under the pointer, or a freehand outline turns into beads.
    if (style.hovered) drawing.drawHandles(svg, uid, 'handles', points, { color: style.color, fill: style.handleFill, handleRadius: '2' });
    const xs = points.map((p) => p[0]);
    const top = Math.min(...points.map((p) => p[1]));
    // Right of the outline, or left of it when that would leave the canvas.
    const text = contourAreaLabel(polygonArea(contour), annotationEditor()?.spacingOf(data.runKey) ?? null);
    const roomRight = frame.viewport.canvas.clientWidth - Math.max(...xs) > text.length * 7;
    const at: Types.Point2 = roomRight ? [Math.max(...xs) + 6, top] : [Math.max(0, Math.min(...xs) - 6 - text.length * 7), top];
    drawing.drawTextBox(svg, uid, 'area', [text], at, {
      color: style.color,
      background: 'rgba(0, 0, 0, 0.55)',
      fontSize: '13px',
      padding: 0,
    });
  }
}
