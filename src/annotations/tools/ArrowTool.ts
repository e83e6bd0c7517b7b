/** Arrow with text: drag from where the text sits to what it points at; a click points at the spot. */
import type { Types } from '@cornerstonejs/core';
import { createTrack, distance, type AnnotationDocument, type ArrowGeometry, type Geometry, type Point, type Track } from '../model';
import type { ViewportFrame } from './coords';
import { distanceToSegment, offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import type { ShownData } from './shown';

const CLICK_SLOP_PX = 3;
const DEFAULT_LENGTH_PX = 40;

export class ArrowTool extends ModelTool {
  static override toolName = 'FluoroLensArrow';
  override readonly kind = 'arrow' as const;

  protected override newTrack(doc: AnnotationDocument): Track {
    return createTrack(doc, 'arrow', { text: 'Arrow' });
  }

  protected creationGesture(_frame: ViewportFrame, start: Point): GestureSpec {
    const click: ArrowGeometry = { from: offset(start, -DEFAULT_LENGTH_PX, -DEFAULT_LENGTH_PX), to: start };
    return { initial: click, update: (current) => (distance(start, current) < CLICK_SLOP_PX ? click : { from: start, to: current }) };
  }

  protected moveHandle(geometry: Geometry, index: number, dx: number, dy: number): Geometry {
    const g = geometry as ArrowGeometry;
    return index === 0 ? { from: offset(g.from, dx, dy), to: g.to } : { from: g.from, to: offset(g.to, dx, dy) };
  }

  protected isNearBody(frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean {
    const [from, to] = this.canvasHandles(frame, data).map(([x, y]) => ({ x, y }));
    return distanceToSegment({ x: canvas[0], y: canvas[1] }, from, to) < proximity;
  }
}
