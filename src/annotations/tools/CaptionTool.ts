/**
 * Caption: text shown on a range of frames (edited in the toolbar's caption form). Click to
 * place it; drag it to move it. Without a position of its own it sits at the top left.
 */
import type { Types } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import { createTrack, type AnnotationDocument, type CaptionGeometry, type Geometry, type Point, type Track } from '../model';
import type { ViewportFrame } from './coords';
import { offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import { shownUid, type DrawStyle, type ShownData } from './shown';
import type { TextBox } from './svgMarks';
import { captionAnchor } from '../marks/describe';

export class CaptionTool extends ModelTool {
  static override toolName = 'FluoroLensCaption';
  override readonly kind = 'caption' as const;
  /** Last drawn text box per annotation, in canvas coordinates, for hit testing. */
  private boxes = new Map<string, TextBox>();

  protected override newTrack(doc: AnnotationDocument, frame: ViewportFrame): Track {
    return createTrack(doc, 'caption', { text: 'Caption', range: { from: frame.frame, to: doc.runRef.frameCount } });
  }

  protected creationGesture(_frame: ViewportFrame, start: Point): GestureSpec {
    return { initial: { position: start }, update: (current) => ({ position: current }) };
  }

  protected override bodyGesture(_frame: ViewportFrame, data: ShownData, start: Point): GestureSpec {
    const from = captionAnchor(data);
    return { update: (p) => ({ position: offset(from, p.x - start.x, p.y - start.y) }) };
  }

  protected moveHandle(geometry: Geometry, _index: number, dx: number, dy: number): Geometry {
    const position = (geometry as CaptionGeometry).position;
    return position ? { position: offset(position, dx, dy) } : geometry;
  }

  protected isNearBody(_frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean {
    const box = this.boxes.get(shownUid(data.viewportId, data.trackId));
    if (!box) return false;
    const [x, y] = canvas;
    return x >= box.x - proximity && x <= box.x + box.width + proximity && y >= box.y - proximity && y <= box.y + box.height + proximity;
  }

  protected override drawShown(svg: ToolTypes.SVGDrawingHelper, uid: string, frame: ViewportFrame, data: ShownData, style: DrawStyle) {
    const boxes = super.drawShown(svg, uid, frame, data, style);
    const box = boxes.get('caption');
    if (box) this.boxes.set(uid, box);
    return boxes;
  }
}
