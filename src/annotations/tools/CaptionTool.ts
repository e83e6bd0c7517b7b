/**
 * Caption: text shown on a range of frames (edited in the toolbar's caption form). Click to
 * place it; drag it to move it. Without a position of its own it sits at the top left.
 */
import type { Types } from '@cornerstonejs/core';
import { drawing, type Types as ToolTypes } from '@cornerstonejs/tools';
import { createTrack, type AnnotationDocument, type CaptionGeometry, type Geometry, type Point, type Track } from '../model';
import { imageToCanvas, type ViewportFrame } from './coords';
import { offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import { shownUid, tagNode, type DrawStyle, type ShownData } from './shown';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class CaptionTool extends ModelTool {
  static override toolName = 'FluoroLensCaption';
  override readonly kind = 'caption' as const;
  /** Last drawn text box per annotation, in canvas coordinates, for hit testing. */
  private boxes = new Map<string, Box>();

  protected override newTrack(doc: AnnotationDocument, frame: ViewportFrame): Track {
    return createTrack(doc, 'caption', { text: 'Caption', range: { from: frame.frame, to: doc.runRef.frameCount } });
  }

  protected creationGesture(_frame: ViewportFrame, start: Point): GestureSpec {
    return { initial: { position: start }, update: (current) => ({ position: current }) };
  }

  protected override bodyGesture(_frame: ViewportFrame, data: ShownData, start: Point): GestureSpec {
    const from = this.anchor(data);
    return { update: (p) => ({ position: offset(from, p.x - start.x, p.y - start.y) }) };
  }

  protected moveHandle(geometry: Geometry, _index: number, dx: number, dy: number): Geometry {
    const position = (geometry as CaptionGeometry).position;
    return position ? { position: offset(position, dx, dy) } : geometry;
  }

  private anchor(data: ShownData): Point {
    return (data.geometry as CaptionGeometry).position ?? data.defaultPosition ?? { x: 0, y: 0 };
  }

  protected isNearBody(_frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean {
    const box = this.boxes.get(shownUid(data.viewportId, data.trackId));
    if (!box) return false;
    const [x, y] = canvas;
    return x >= box.x - proximity && x <= box.x + box.width + proximity && y >= box.y - proximity && y <= box.y + box.height + proximity;
  }

  protected drawShown(svg: ToolTypes.SVGDrawingHelper, uid: string, frame: ViewportFrame, data: ShownData, style: DrawStyle): void {
    const at = imageToCanvas(frame, this.anchor(data));
    const box = drawing.drawTextBox(svg, uid, 'caption', [data.text || '(empty caption)'], at, {
      color: style.color,
      background: style.emphasised ? 'rgba(0, 0, 0, 0.75)' : 'rgba(0, 0, 0, 0.55)',
      fontSize: '16px',
      padding: 0,
    });
    tagNode(svg, uid, 'text', 'caption', data);
    this.boxes.set(uid, { x: box.x, y: box.y, width: box.width, height: box.height });
    const handles = this.canvasHandles(frame, data);
    if (handles.length > 0)
      drawing.drawHandles(svg, uid, 'handles', handles, { color: style.color, fill: style.handleFill, handleRadius: '3' });
  }
}
