/**
 * Needle tip: a crosshair at the tip and, when the hub is known, the shaft from hub to tip.
 * Click places the tip (keeping the hub shown on this frame); drag from hub to tip sets both.
 */
import type { Types } from '@cornerstonejs/core';
import { distance, type Geometry, type NeedleTipGeometry, type Point } from '../model';
import { imageToCanvas, type ViewportFrame } from './coords';
import { distanceToSegment, offset } from './geometryEdit';
import { ModelTool, type GestureSpec } from './ModelTool';
import type { ShownData } from './shown';

const CROSSHAIR_ARM = 11;
/** A press that moves less than this (image px) is a click: tip only. */
const CLICK_SLOP_PX = 3;

const toPoint = (c: Types.Point2): Point => ({ x: c[0], y: c[1] });

export class NeedleTipTool extends ModelTool {
  static override toolName = 'FluoroLensNeedleTip';
  override readonly kind = 'needleTip' as const;

  protected creationGesture(_frame: ViewportFrame, start: Point, shown: ShownData | null): GestureSpec {
    const keptHub = (shown?.geometry as NeedleTipGeometry | undefined)?.hub;
    const click: NeedleTipGeometry = keptHub ? { tip: start, hub: keptHub } : { tip: start };
    return {
      initial: click,
      update: (current) => (distance(start, current) < CLICK_SLOP_PX ? click : { hub: start, tip: current }),
    };
  }

  /** A click anywhere on the crosshair re-places the tip there. */
  protected override clickPlaces(): boolean {
    return true;
  }

  protected moveHandle(geometry: Geometry, index: number, dx: number, dy: number): Geometry {
    const g = geometry as NeedleTipGeometry;
    if (index === 1 && g.hub) return { tip: g.tip, hub: offset(g.hub, dx, dy) };
    return g.hub ? { tip: offset(g.tip, dx, dy), hub: g.hub } : { tip: offset(g.tip, dx, dy) };
  }

  protected isNearBody(frame: ViewportFrame, data: ShownData, canvas: Types.Point2, proximity: number): boolean {
    const g = data.geometry as NeedleTipGeometry;
    const tip = toPoint(imageToCanvas(frame, g.tip));
    const p = toPoint(canvas);
    if (distance(p, tip) < proximity + CROSSHAIR_ARM) return true;
    return !!g.hub && distanceToSegment(p, toPoint(imageToCanvas(frame, g.hub)), tip) < proximity;
  }
}
