/** Arrow with text: drag from where the text sits to what it points at; a click points at the spot. */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import { createTrack, distance, type AnnotationDocument, type ArrowGeometry, type Geometry, type Point, type Track } from '../model';
import type { ViewportFrame } from './coords';
import { distanceToSegment, offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import { tagNode, type DrawStyle, type ShownData } from './shown';

const CLICK_SLOP_PX = 3;
const DEFAULT_LENGTH_PX = 40;
const HEAD_PX = 12;

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

  protected drawShown(svg: ToolTypes.SVGDrawingHelper, uid: string, frame: ViewportFrame, data: ShownData, style: DrawStyle): void {
    const [from, to] = this.canvasHandles(frame, data);
    const line = { color: style.color, width: style.lineWidth, lineDash: style.lineDash };
    drawing.drawLine(svg, uid, 'shaft', from, to, line);
    tagNode(svg, uid, 'line', 'shaft', data);
    const angle = Math.atan2(to[1] - from[1], to[0] - from[0]);
    for (const [name, turn] of [
      ['head-a', Math.PI * 0.85],
      ['head-b', -Math.PI * 0.85],
    ] as const) {
      const end: Types.Point2 = [to[0] + HEAD_PX * Math.cos(angle + turn), to[1] + HEAD_PX * Math.sin(angle + turn)];
      drawing.drawLine(svg, uid, name, to, end, { color: style.color, width: style.lineWidth });
    }
    if (style.emphasised)
      drawing.drawHandles(svg, uid, 'handles', [from, to], { color: style.color, fill: style.handleFill, handleRadius: '3' });
    if (data.text) {
      // The text sits at the tail, above the shaft when the arrow points down, below otherwise.
      const above = to[1] >= from[1];
      drawing.drawTextBox(svg, uid, 'text', [data.text], [from[0] - 6, from[1] + (above ? -24 : 4)], {
        color: style.color,
        background: 'rgba(0, 0, 0, 0.55)',
        fontSize: '14px',
        padding: 0,
      });
    }
  }
}
