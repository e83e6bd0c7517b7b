/**
 * The draggable handles of a shown track, in image coordinates, in the order the tools number
 * them (needle: tip, hub; target: centre; contour: vertices; arrow: from, to; caption: position).
 * Pure, shared by the tools (hit testing, drawing) and the adapter (Cornerstone handle points).
 */
import type {
  ArrowGeometry,
  CaptionGeometry,
  ContrastSpreadGeometry,
  Geometry,
  NeedleTipGeometry,
  Point,
  TargetGeometry,
  TrackKind,
} from '../model';

export function handlePointsOf(kind: TrackKind, geometry: Geometry): Point[] {
  switch (kind) {
    case 'needleTip': {
      const g = geometry as NeedleTipGeometry;
      return g.hub ? [g.tip, g.hub] : [g.tip];
    }
    case 'target':
      return [(geometry as TargetGeometry).center];
    case 'contrastSpread':
      return [...(geometry as ContrastSpreadGeometry).contour];
    case 'arrow': {
      const g = geometry as ArrowGeometry;
      return [g.from, g.to];
    }
    case 'caption': {
      // A caption with no position yet has no handle: dragging its text gives it one.
      const position = (geometry as CaptionGeometry).position;
      return position ? [position] : [];
    }
  }
}
