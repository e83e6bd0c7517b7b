/**
 * One track as shown on one frame of one viewport (what the adapter stores in
 * annotation.data.fluorolens), and how it is drawn: keyframes solid with filled handles,
 * interpolated and held frames dashed with hollow handles.
 */
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import type { Geometry, GeometrySource, Point, TrackKind } from '../model';

type Annotation = ToolTypes.Annotation;
type SvgHelper = ToolTypes.SVGDrawingHelper;

/** What the adapter stores in annotation.data.fluorolens: one track as shown on one frame. */
export interface ShownData {
  readonly trackId: string;
  readonly kind: TrackKind;
  readonly viewportId: string;
  readonly runKey: string;
  readonly frame: number;
  readonly geometry: Geometry;
  readonly source: GeometrySource;
  readonly color: string;
  readonly label: string;
  readonly text: string;
  readonly selected: boolean;
  /** Where a caption without a position of its own is drawn (image coordinates). */
  readonly defaultPosition?: Point;
}

/** The Cornerstone annotation UID of a track shown in a viewport: stable, so redraws reuse SVG nodes. */
export function shownUid(viewportId: string, trackId: string): string {
  return `fluorolens:${viewportId}:${trackId}`;
}

export function shownData(annotation: Annotation): ShownData | undefined {
  return annotation.data?.fluorolens as ShownData | undefined;
}

export { drawStyle, type DrawStyle } from '../marks/describe';

/** Labels a drawn SVG node with its kind and source, so tests and styles can find it. */
export function tagNode(svg: SvgHelper, annotationUID: string, type: string, nodeUID: string, data: ShownData): void {
  const node = svg.getSvgNode(`${annotationUID}::${type}::${nodeUID}`) as SVGElement | undefined;
  if (!node) return;
  node.setAttribute('data-fluorolens-kind', data.kind);
  node.setAttribute('data-fluorolens-source', data.source);
  node.setAttribute('data-fluorolens-track', data.trackId);
}
