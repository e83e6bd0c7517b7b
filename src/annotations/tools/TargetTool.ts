/**
 * Target: a point with a radius ring. Click places it with a default radius, drag from the
 * centre outwards sets the radius; later, drag the centre to move it or the ring to resize it.
 */
import type { Types } from '@cornerstonejs/core';
import { distance, type Geometry, type Point, type TargetGeometry } from '../model';
import { imageToCanvas, type ViewportFrame } from './coords';
import { offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import type { ShownData } from './shown';
import { targetCircle } from '../marks/describe';

export const DEFAULT_TARGET_RADIUS_PX = 12;
const MIN_RADIUS_PX = 1;
const CLICK_SLOP_PX = 3;

export class TargetTool extends ModelTool {
  static override toolName = 'FluoroLensTarget';
  override readonly kind = 'target' as const;

  protected creationGesture(_frame: ViewportFrame, start: Point, shown: ShownData | null): GestureSpec {
    const radiusPx = (shown?.geometry as TargetGeometry | undefined)?.radiusPx ?? DEFAULT_TARGET_RADIUS_PX;
    const click: TargetGeometry = { center: start, radiusPx };
    return {
      initial: click,
      update: (current) => {
        const dragged = distance(start, current);
        return dragged < CLICK_SLOP_PX ? click : { center: start, radiusPx: Math.max(MIN_RADIUS_PX, dragged) };
      },
    };
  }

  /** A press on the ring resizes it. */
  protected override bodyGesture(_frame: ViewportFrame, data: ShownData): GestureSpec {
    const { center } = data.geometry as TargetGeometry;
    return { update: (current) => ({ center, radiusPx: Math.max(MIN_RADIUS_PX, distance(center, current)) }) };
  }

  protected moveHandle(geometry: Geometry, _index: number, dx: number, dy: number): Geometry {
    const g = geometry as TargetGeometry;
    return { center: offset(g.center, dx, dy), radiusPx: g.radiusPx };
  }

  protected isNearBody(frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean {
    const { centre, radius } = targetCircle(data.geometry as TargetGeometry, { project: (p) => imageToCanvas(frame, p) });
    return Math.abs(Math.hypot(canvas[0] - centre[0], canvas[1] - centre[1]) - radius) < proximity;
  }
}
