/**
 * What one track draws on one frame, as a list of marks (lines, circles, polylines, handles,
 * text boxes) in view coordinates (CSS pixels of the pane on screen, or of the exported frame).
 * Described once here and rendered two ways: as SVG through Cornerstone's drawing helpers on
 * screen (tools/svgMarks.ts) and onto a Canvas2D context for video and PNG export (canvas.ts), so
 * the two cannot drift apart. Pure: the caller gives the projection from image to view
 * coordinates and the wording of the contour's area.
 */
import type {
  ArrowGeometry,
  CaptionGeometry,
  ContrastSpreadGeometry,
  Geometry,
  GeometrySource,
  NeedleTipGeometry,
  Point,
  TargetGeometry,
  TrackKind,
} from '../model';
import { handlePointsOf } from './handles';

export type Xy = readonly [number, number];

export interface Stroke {
  readonly color: string;
  readonly width: number;
  /** SVG stroke-dasharray ("6,4"); undefined draws a solid line. */
  readonly dash: string | undefined;
}

interface MarkBase {
  /** Unique within the track: the SVG node name, so redraws reuse nodes. */
  readonly id: string;
  /** Tagged nodes carry data-fluorolens-kind/-source/-track on screen (tests and styles find them). */
  readonly tagged?: boolean;
}

export interface LineMark extends MarkBase {
  readonly type: 'line';
  readonly from: Xy;
  readonly to: Xy;
  readonly stroke: Stroke;
}

export interface CircleMark extends MarkBase {
  readonly type: 'circle';
  readonly centre: Xy;
  readonly radius: number;
  readonly stroke: Stroke;
}

export interface PolylineMark extends MarkBase {
  readonly type: 'polyline';
  readonly points: readonly Xy[];
  readonly closed: boolean;
  readonly stroke: Stroke;
  readonly fill?: { readonly color: string; readonly opacity: number };
}

/** Small circles on the points a user can drag; filled on keyframes, hollow otherwise. */
export interface HandlesMark extends MarkBase {
  readonly type: 'handles';
  readonly points: readonly Xy[];
  readonly color: string;
  /** A colour, or 'transparent'. */
  readonly fill: string;
  readonly radius: number;
}

/** Text lines on a dark box; `at` is the top left of the box. */
export interface TextMark extends MarkBase {
  readonly type: 'text';
  readonly lines: readonly string[];
  readonly at: Xy;
  readonly color: string;
  readonly background: string;
  /** CSS pixels. */
  readonly fontSize: number;
}

export type Mark = LineMark | CircleMark | PolylineMark | HandlesMark | TextMark;

/** One track as shown on one frame: the part of the adapter's ShownData that drawing needs. */
export interface MarkedTrack {
  readonly kind: TrackKind;
  readonly geometry: Geometry;
  readonly source: GeometrySource;
  readonly color: string;
  /** Arrow and caption text. */
  readonly text: string;
  readonly selected: boolean;
  /** Where a caption without a position of its own is drawn (image coordinates). */
  readonly defaultPosition?: Point;
}

/** How a track is drawn on this frame: dashed and with hollow handles unless it is a keyframe. */
export interface DrawStyle {
  readonly color: string;
  readonly lineWidth: number;
  readonly lineDash: string | undefined;
  readonly handleFill: string;
  /** Selected or under the pointer. */
  readonly emphasised: boolean;
  readonly hovered: boolean;
}

export function drawStyle(track: Pick<MarkedTrack, 'source' | 'selected' | 'color'>, highlighted: boolean): DrawStyle {
  const keyframe = track.source === 'keyframe';
  const emphasised = track.selected || highlighted;
  return {
    color: track.color,
    lineWidth: emphasised ? 2.5 : 1.75,
    lineDash: keyframe ? undefined : '6,4',
    handleFill: keyframe ? track.color : 'transparent',
    emphasised,
    hovered: highlighted,
  };
}

/** Where the marks go and what they say that the track alone does not know. */
export interface MarkView {
  /** Image coordinates → view coordinates. */
  project(p: Point): Xy;
  /** Width of the view (a label that would leave it goes to the other side). */
  readonly width: number;
  /** The label beside a contour: "Area 98.3 mm² (…)" or "Area 412 px² (uncalibrated)". */
  areaLabel(contour: readonly Point[]): string;
}

/**
 * Kinds in the order they are drawn, later ones on top: the order the tools render in on screen
 * (tools/registration.ts registers them in this order).
 */
export const DRAW_ORDER: readonly TrackKind[] = ['needleTip', 'target', 'contrastSpread', 'arrow', 'caption'];

const NEEDLE_ARM = 11;
const NEEDLE_GAP = 3;
const ARROW_HEAD = 12;
const TARGET_CENTRE_ARM = 5;
const TEXT_BACKGROUND = 'rgba(0, 0, 0, 0.55)';
const TEXT_BACKGROUND_EMPHASISED = 'rgba(0, 0, 0, 0.75)';
/** Rough width of a label character at 13 px, for placing the area label without measuring text. */
const LABEL_CHAR_PX = 7;

export function describeTrack(track: MarkedTrack, style: DrawStyle, view: MarkView): Mark[] {
  switch (track.kind) {
    case 'needleTip':
      return needleTipMarks(track, style, view);
    case 'target':
      return targetMarks(track, style, view);
    case 'contrastSpread':
      return contrastSpreadMarks(track, style, view);
    case 'arrow':
      return arrowMarks(track, style, view);
    case 'caption':
      return captionMarks(track, style, view);
  }
}

/** View positions of the track's handles, in the tools' handle order. */
export function viewHandles(track: Pick<MarkedTrack, 'kind' | 'geometry'>, view: Pick<MarkView, 'project'>): Xy[] {
  return handlePointsOf(track.kind, track.geometry).map((p) => view.project(p));
}

/**
 * Where a caption without a position goes: at the image's left edge, a fifth of the way down, one
 * line per caption. Not the top left corner: there the viewer's overlay shows the patient block
 * (four lines, up to a sixth of a fitted image's height in a side-by-side pane), which hid it.
 */
export function defaultCaptionPosition(rows: number, index: number): Point {
  return { x: rows * 0.04, y: rows * 0.2 + index * rows * 0.06 };
}

/** Where a caption is anchored: its own position, else its default place, else the top left. */
export function captionAnchor(track: Pick<MarkedTrack, 'geometry' | 'defaultPosition'>): Point {
  return (track.geometry as CaptionGeometry).position ?? track.defaultPosition ?? { x: 0, y: 0 };
}

/** The target ring in view coordinates (a zoomed view scales the radius). */
export function targetCircle(geometry: TargetGeometry, view: Pick<MarkView, 'project'>): { centre: Xy; radius: number } {
  const centre = view.project(geometry.center);
  const rim = view.project({ x: geometry.center.x + geometry.radiusPx, y: geometry.center.y });
  return { centre, radius: Math.hypot(rim[0] - centre[0], rim[1] - centre[1]) };
}

function stroke(style: DrawStyle): Stroke {
  return { color: style.color, width: style.lineWidth, dash: style.lineDash };
}

/** A crosshair at the tip (a gap in the middle keeps the tip visible) and the shaft from the hub. */
function needleTipMarks(track: MarkedTrack, style: DrawStyle, view: MarkView): Mark[] {
  const g = track.geometry as NeedleTipGeometry;
  const [x, y] = view.project(g.tip);
  const line = stroke(style);
  // The arms are short: a finer dash keeps "interpolated" readable on them.
  const arm: Stroke = { ...line, dash: style.lineDash ? '3,2' : undefined };
  const arms: Array<[string, Xy, Xy]> = [
    ['left', [x - NEEDLE_GAP - NEEDLE_ARM, y], [x - NEEDLE_GAP, y]],
    ['right', [x + NEEDLE_GAP, y], [x + NEEDLE_GAP + NEEDLE_ARM, y]],
    ['up', [x, y - NEEDLE_GAP - NEEDLE_ARM], [x, y - NEEDLE_GAP]],
    ['down', [x, y + NEEDLE_GAP], [x, y + NEEDLE_GAP + NEEDLE_ARM]],
  ];
  const marks: Mark[] = arms.map(([name, from, to]) => ({ type: 'line', id: `crosshair-${name}`, from, to, stroke: arm, tagged: true }));
  if (g.hub) marks.push({ type: 'line', id: 'shaft', from: view.project(g.hub), to: [x, y], stroke: line, tagged: true });
  marks.push({ type: 'handles', id: 'handles', points: viewHandles(track, view), color: style.color, fill: style.handleFill, radius: 3.5 });
  return marks;
}

/** The ring, a small cross at the centre and the centre handle. */
function targetMarks(track: MarkedTrack, style: DrawStyle, view: MarkView): Mark[] {
  const { centre, radius } = targetCircle(track.geometry as TargetGeometry, view);
  const [x, y] = centre;
  const cross: Stroke = { color: style.color, width: 1.25, dash: style.lineDash };
  return [
    { type: 'circle', id: 'ring', centre, radius, stroke: stroke(style), tagged: true },
    { type: 'line', id: 'centre-h', from: [x - TARGET_CENTRE_ARM, y], to: [x + TARGET_CENTRE_ARM, y], stroke: cross },
    { type: 'line', id: 'centre-v', from: [x, y - TARGET_CENTRE_ARM], to: [x, y + TARGET_CENTRE_ARM], stroke: cross },
    { type: 'handles', id: 'handles', points: [centre], color: style.color, fill: style.handleFill, radius: 3 },
  ];
}

/** The closed outline, lightly filled, with its area beside it. */
function contrastSpreadMarks(track: MarkedTrack, style: DrawStyle, view: MarkView): Mark[] {
  const { contour } = track.geometry as ContrastSpreadGeometry;
  const points = viewHandles(track, view);
  const marks: Mark[] = [
    {
      type: 'polyline',
      id: 'contour',
      points,
      closed: true,
      stroke: stroke(style),
      fill: { color: style.color, opacity: 0.12 },
      tagged: true,
    },
  ];
  // Every vertex is a handle; they are drawn only under the pointer, or a freehand outline turns into beads.
  if (style.hovered) marks.push({ type: 'handles', id: 'handles', points, color: style.color, fill: style.handleFill, radius: 2 });
  const xs = points.map((p) => p[0]);
  const top = Math.min(...points.map((p) => p[1]));
  const text = view.areaLabel(contour);
  // Right of the outline, or left of it when that would leave the view.
  const roomRight = view.width - Math.max(...xs) > text.length * LABEL_CHAR_PX;
  const at: Xy = roomRight ? [Math.max(...xs) + 6, top] : [Math.max(0, Math.min(...xs) - 6 - text.length * LABEL_CHAR_PX), top];
  marks.push({ type: 'text', id: 'area', lines: [text], at, color: style.color, background: TEXT_BACKGROUND, fontSize: 13 });
  return marks;
}

/** Shaft and head (the head always solid), the text at the tail. */
function arrowMarks(track: MarkedTrack, style: DrawStyle, view: MarkView): Mark[] {
  const g = track.geometry as ArrowGeometry;
  const from = view.project(g.from);
  const to = view.project(g.to);
  const marks: Mark[] = [{ type: 'line', id: 'shaft', from, to, stroke: stroke(style), tagged: true }];
  const angle = Math.atan2(to[1] - from[1], to[0] - from[0]);
  for (const [id, turn] of [
    ['head-a', Math.PI * 0.85],
    ['head-b', -Math.PI * 0.85],
  ] as const) {
    const end: Xy = [to[0] + ARROW_HEAD * Math.cos(angle + turn), to[1] + ARROW_HEAD * Math.sin(angle + turn)];
    marks.push({ type: 'line', id, from: to, to: end, stroke: { color: style.color, width: style.lineWidth, dash: undefined } });
  }
  if (style.emphasised)
    marks.push({ type: 'handles', id: 'handles', points: [from, to], color: style.color, fill: style.handleFill, radius: 3 });
  if (track.text) {
    // The text sits at the tail, above the shaft when the arrow points down, below otherwise.
    const above = to[1] >= from[1];
    marks.push({
      type: 'text',
      id: 'text',
      lines: [track.text],
      at: [from[0] - 6, from[1] + (above ? -24 : 4)],
      color: style.color,
      background: TEXT_BACKGROUND,
      fontSize: 14,
    });
  }
  return marks;
}

function captionMarks(track: MarkedTrack, style: DrawStyle, view: MarkView): Mark[] {
  const marks: Mark[] = [
    {
      type: 'text',
      id: 'caption',
      lines: [track.text || '(empty caption)'],
      at: view.project(captionAnchor(track)),
      color: style.color,
      background: style.emphasised ? TEXT_BACKGROUND_EMPHASISED : TEXT_BACKGROUND,
      fontSize: 16,
      tagged: true,
    },
  ];
  const handles = viewHandles(track, view);
  if (handles.length > 0)
    marks.push({ type: 'handles', id: 'handles', points: handles, color: style.color, fill: style.handleFill, radius: 3 });
  return marks;
}
