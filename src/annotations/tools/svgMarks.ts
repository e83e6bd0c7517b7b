/**
 * Draws a track's marks (marks/describe.ts) as SVG through Cornerstone's drawing helpers, the way
 * the tools always have: same node names, attributes and data-fluorolens-* tags. The export
 * draws the same marks onto a canvas (marks/canvas.ts).
 */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import type { Mark, Xy } from '../marks/describe';
import { tagNode, type ShownData } from './shown';

type SvgHelper = ToolTypes.SVGDrawingHelper;

export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const point = (p: Xy): Types.Point2 => [p[0], p[1]];

/** Draws the marks of one shown track; returns the drawn text boxes by mark id (for hit testing). */
export function drawMarksSvg(svg: SvgHelper, uid: string, marks: readonly Mark[], data: ShownData): Map<string, TextBox> {
  const boxes = new Map<string, TextBox>();
  for (const mark of marks) {
    switch (mark.type) {
      case 'line':
        drawing.drawLine(svg, uid, mark.id, point(mark.from), point(mark.to), {
          color: mark.stroke.color,
          width: mark.stroke.width,
          lineDash: mark.stroke.dash,
        });
        break;
      case 'circle':
        drawing.drawCircle(svg, uid, mark.id, point(mark.centre), mark.radius, {
          color: mark.stroke.color,
          width: mark.stroke.width,
          lineDash: mark.stroke.dash,
        });
        break;
      case 'polyline':
        drawing.drawPolyline(svg, uid, mark.id, mark.points.map(point), {
          color: mark.stroke.color,
          width: mark.stroke.width,
          lineDash: mark.stroke.dash,
          closePath: mark.closed,
          ...(mark.fill ? { fillColor: mark.fill.color, fillOpacity: mark.fill.opacity } : {}),
        });
        break;
      case 'handles':
        drawing.drawHandles(svg, uid, mark.id, mark.points.map(point), {
          color: mark.color,
          fill: mark.fill,
          handleRadius: String(mark.radius),
        });
        break;
      case 'text': {
        const box = drawing.drawTextBox(svg, uid, mark.id, [...mark.lines], point(mark.at), {
          color: mark.color,
          background: mark.background,
          fontSize: `${mark.fontSize}px`,
          padding: 0,
        });
        boxes.set(mark.id, { x: box.x, y: box.y, width: box.width, height: box.height });
        break;
      }
    }
    if (mark.tagged && mark.type !== 'handles') tagNode(svg, uid, mark.type, mark.id, data);
  }
  return boxes;
}
