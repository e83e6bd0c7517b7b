/**
 * Display Shutter (PS3.3 C.7.6.11) → a per-pixel mask and a vector outline.
 *
 * Coordinates in the file are 1-based pixel positions, ROW before COLUMN for circle centres and
 * polygon vertices. A pixel is shown when its centre lies inside or ON every shape (edges are
 * inclusive; several shapes combine so that "the least amount of image remains visible"):
 * - rectangular: columns left…right and rows upper…lower, inclusive;
 * - circular: (row − centreRow)² + (column − centreColumn)² ≤ radius²;
 * - polygonal: inside the closed polygon or on its boundary, whichever way it winds.
 *
 * The mask is rasterised once per run (rows × columns bytes, 1 shown, 0 covered), so applying it
 * to a frame is a multiply or a select per pixel. The outline is the same shapes in image
 * coordinates (annotations/model/geometry.ts: origin at the top-left corner of the top-left
 * pixel, pixel centres at +0.5) for drawing on screen, in thumbnails and in exports: rectangles
 * follow pixel edges (exactly the mask), circles and polygons are the exact geometry through the
 * pixel centres the mask tests.
 */
import type { RunInfo, Shutter } from '../dicom/types';

export type ShutterShape =
  | { readonly kind: 'rectangular'; readonly left: number; readonly right: number; readonly upper: number; readonly lower: number }
  | { readonly kind: 'circular'; readonly centerRow: number; readonly centerColumn: number; readonly radius: number }
  | { readonly kind: 'polygonal'; readonly vertices: readonly { readonly row: number; readonly column: number }[] };

export interface ShutterFill {
  /** Grey level 0 (black) … 1 (white): Shutter Presentation Value / 65535, for a monochrome display. */
  readonly grey: number;
  /** sRGB 0–255: from the CIELab colour when the file gives one, else the grey. */
  readonly rgb: readonly [number, number, number];
  readonly source: 'Shutter Presentation Color CIELab Value' | 'Shutter Presentation Value' | 'not specified in the file (black)';
}

export interface DisplayShutter {
  readonly rows: number;
  readonly columns: number;
  /** The usable shapes, combined by intersection of what they leave visible. */
  readonly shapes: readonly ShutterShape[];
  readonly fill: ShutterFill;
  /** Shapes or attributes that are present but not applied, phrased for people. */
  readonly notes: readonly string[];
  /** E.g. "circular and rectangular shutter". */
  readonly description: string;
}

export type OutlinePath =
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly width: number; readonly height: number }
  | { readonly kind: 'circle'; readonly cx: number; readonly cy: number; readonly r: number }
  | { readonly kind: 'polygon'; readonly points: readonly { readonly x: number; readonly y: number }[] };

/** The shutter a run's header describes, or null when it has none that can be applied. */
export function displayShutterOf(info: Pick<RunInfo, 'shutter' | 'rows' | 'columns'>): DisplayShutter | null {
  const shutter = info.shutter;
  if (!shutter) return null;
  const shapes = shapesOf(shutter);
  const notes = [...(shutter.notes ?? [])];
  if (shutter.shapes.includes('BITMAP')) {
    const group = shutter.overlayGroup === undefined ? '' : ` in overlay group ${shutter.overlayGroup.toString(16).toUpperCase()}`;
    notes.push(`BITMAP shutter${group} is defined for presentation states only; not applied`);
  }
  const unknown = shutter.shapes.filter((shape) => !['RECTANGULAR', 'CIRCULAR', 'POLYGONAL', 'BITMAP'].includes(shape));
  if (unknown.length > 0) notes.push(`unknown Shutter Shape ${unknown.join(', ')}; not applied`);
  if (shapes.length === 0) return null;
  return { rows: info.rows, columns: info.columns, shapes, fill: fillOf(shutter), notes, description: describeShapes(shapes) };
}

function shapesOf(shutter: Shutter): ShutterShape[] {
  const shapes: ShutterShape[] = [];
  if (shutter.rectangular) shapes.push({ kind: 'rectangular', ...shutter.rectangular });
  if (shutter.circular) shapes.push({ kind: 'circular', ...shutter.circular });
  if (shutter.polygonal) {
    const vertices: { row: number; column: number }[] = [];
    for (let i = 0; i + 1 < shutter.polygonal.length; i += 2)
      vertices.push({ row: shutter.polygonal[i], column: shutter.polygonal[i + 1] });
    shapes.push({ kind: 'polygonal', vertices });
  }
  return shapes;
}

function describeShapes(shapes: readonly ShutterShape[]): string {
  const names = shapes.map((shape) => shape.kind);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `${list} shutter`;
}

// ---- fill ---------------------------------------------------------------------------------------

function fillOf(shutter: Shutter): ShutterFill {
  const grey = shutter.presentationValue === undefined ? 0 : shutter.presentationValue / 65535;
  const greyByte = Math.round(grey * 255);
  if (shutter.presentationColorCIELab) {
    return { grey, rgb: dicomLabToSrgb(shutter.presentationColorCIELab), source: 'Shutter Presentation Color CIELab Value' };
  }
  return {
    grey,
    rgb: [greyByte, greyByte, greyByte],
    source: shutter.presentationValue === undefined ? 'not specified in the file (black)' : 'Shutter Presentation Value',
  };
}

/**
 * DICOM-scaled CIELab (L* 0–100 and a*, b* −128…127, each mapped onto 0–65535; PS3.3 C.10.7.1.1)
 * to sRGB bytes, by the CIE formulas with the D65 white point DCMTK uses. Written out rather than
 * importing dcmjs for it: one colour per run does not justify a megabyte in the viewer's bundle
 * (the unit test checks it against dcmjs).
 */
export function dicomLabToSrgb(lab: readonly [number, number, number]): [number, number, number] {
  const L = (lab[0] * 100) / 65535;
  const a = (lab[1] * 255) / 65535 - 128;
  const b = (lab[2] * 255) / 65535 - 128;
  const fy = (L + 16) / 116;
  const finv = (t: number): number => (t > 6 / 29 ? t * t * t : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const [xn, yn, zn] = [0.950456, 1, 1.088754];
  const X = xn * finv(fy + a / 500);
  const Y = yn * finv(fy);
  const Z = zn * finv(fy - b / 200);
  let r = 3.2406 * X - 1.5372 * Y - 0.4986 * Z;
  let g = -0.9689 * X + 1.8758 * Y + 0.0415 * Z;
  let bl = 0.0557 * X - 0.204 * Y + 1.057 * Z;
  const lowest = Math.min(r, g, bl);
  if (lowest < 0) {
    r -= lowest;
    g -= lowest;
    bl -= lowest;
  }
  const gamma = (c: number): number => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
  const toByte = (c: number): number => Math.max(0, Math.min(255, Math.round(gamma(c) * 255)));
  return [toByte(r), toByte(g), toByte(bl)];
}

// ---- mask ---------------------------------------------------------------------------------------

/** Whether the pixel at 1-based (row, column) is shown by every shape. */
export function isShown(shapes: readonly ShutterShape[], row: number, column: number): boolean {
  return shapes.every((shape) => shapeShows(shape, row, column));
}

function shapeShows(shape: ShutterShape, row: number, column: number): boolean {
  switch (shape.kind) {
    case 'rectangular':
      return column >= shape.left && column <= shape.right && row >= shape.upper && row <= shape.lower;
    case 'circular':
      return (row - shape.centerRow) ** 2 + (column - shape.centerColumn) ** 2 <= shape.radius ** 2 + EPSILON;
    case 'polygonal':
      return polygonShows(shape.vertices, row, column);
  }
}

const EPSILON = 1e-9;

function polygonShows(vertices: readonly { row: number; column: number }[], row: number, column: number): boolean {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[j];
    const b = vertices[i];
    if (onSegment(a, b, row, column)) return true;
    if (a.row > row !== b.row > row) {
      const crossing = a.column + ((row - a.row) * (b.column - a.column)) / (b.row - a.row);
      if (column < crossing) inside = !inside;
    }
  }
  return inside;
}

function onSegment(a: { row: number; column: number }, b: { row: number; column: number }, row: number, column: number): boolean {
  const cross = (b.column - a.column) * (row - a.row) - (b.row - a.row) * (column - a.column);
  if (Math.abs(cross) > EPSILON * Math.max(1, Math.hypot(b.column - a.column, b.row - a.row))) return false;
  return (
    column >= Math.min(a.column, b.column) - EPSILON &&
    column <= Math.max(a.column, b.column) + EPSILON &&
    row >= Math.min(a.row, b.row) - EPSILON &&
    row <= Math.max(a.row, b.row) + EPSILON
  );
}

/**
 * The mask: rows × columns bytes, row-major, 1 where the pixel is shown and 0 where the shutter
 * covers it. Built row by row from each shape's visible spans, so a 1024² run costs a few ms once.
 */
export function rasterizeShutter(shutter: Pick<DisplayShutter, 'rows' | 'columns' | 'shapes'>): Uint8Array {
  const { rows, columns, shapes } = shutter;
  const mask = new Uint8Array(rows * columns).fill(1);
  const spans: number[] = [];
  for (const shape of shapes) {
    for (let r0 = 0; r0 < rows; r0++) {
      spans.length = 0;
      visibleSpans(shape, r0 + 1, columns, spans);
      clearOutside(mask, r0 * columns, columns, spans);
    }
  }
  return mask;
}

/** Appends [first, last] 1-based column pairs (inclusive) shown on 1-based `row`. */
function visibleSpans(shape: ShutterShape, row: number, columns: number, out: number[]): void {
  switch (shape.kind) {
    case 'rectangular':
      if (row >= shape.upper && row <= shape.lower) out.push(Math.ceil(shape.left), Math.floor(shape.right));
      return;
    case 'circular': {
      const h2 = shape.radius ** 2 - (row - shape.centerRow) ** 2;
      if (h2 < -EPSILON) return;
      const h = Math.sqrt(Math.max(0, h2));
      out.push(Math.ceil(shape.centerColumn - h - EPSILON), Math.floor(shape.centerColumn + h + EPSILON));
      return;
    }
    case 'polygonal':
      polygonSpans(shape.vertices, row, columns, out);
  }
}

/**
 * Inside spans by crossings (half-open in row, so each vertex counts once), then every column
 * whose centre lies on an edge: the bottom vertex, horizontal edges, and points exactly on a
 * slanted edge, which the crossing rule alone would leave out.
 */
function polygonSpans(vertices: readonly { row: number; column: number }[], row: number, columns: number, out: number[]): void {
  const crossings: number[] = [];
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[j];
    const b = vertices[i];
    if (a.row > row !== b.row > row) crossings.push(a.column + ((row - a.row) * (b.column - a.column)) / (b.row - a.row));
  }
  crossings.sort((x, y) => x - y);
  for (let k = 0; k + 1 < crossings.length; k += 2) out.push(Math.ceil(crossings[k] - EPSILON), Math.floor(crossings[k + 1] + EPSILON));
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[j];
    const b = vertices[i];
    if (row < Math.min(a.row, b.row) || row > Math.max(a.row, b.row)) continue;
    if (a.row === b.row) {
      out.push(Math.ceil(Math.min(a.column, b.column) - EPSILON), Math.floor(Math.max(a.column, b.column) + EPSILON));
      continue;
    }
    const x = a.column + ((row - a.row) * (b.column - a.column)) / (b.row - a.row);
    const nearest = Math.round(x);
    if (Math.abs(x - nearest) < 1e-7 && nearest >= 1 && nearest <= columns) out.push(nearest, nearest);
  }
}

/** Zeroes every column of one row that no span covers (spans are 1-based, inclusive, unsorted, may overlap). */
function clearOutside(mask: Uint8Array, rowStart: number, columns: number, spans: number[]): void {
  if (spans.length === 0) {
    mask.fill(0, rowStart, rowStart + columns);
    return;
  }
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k + 1 < spans.length; k += 2) pairs.push([Math.max(1, spans[k]), Math.min(columns, spans[k + 1])]);
  pairs.sort((p, q) => p[0] - q[0]);
  let next = 1; // first 1-based column not yet known to be shown
  for (const [first, last] of pairs) {
    if (last < first) continue;
    if (first > next) mask.fill(0, rowStart + next - 1, rowStart + first - 1);
    next = Math.max(next, last + 1);
  }
  if (next <= columns) mask.fill(0, rowStart + next - 1, rowStart + columns);
}

// ---- outline ------------------------------------------------------------------------------------

/**
 * The shapes in image coordinates. To paint the shutter: for each path, fill the image rectangle
 * minus the path (even-odd) with the fill colour; to clip instead, intersect the paths.
 */
export function shutterOutline(shutter: Pick<DisplayShutter, 'shapes'>): OutlinePath[] {
  return shutter.shapes.map((shape): OutlinePath => {
    switch (shape.kind) {
      case 'rectangular':
        return {
          kind: 'rect',
          x: shape.left - 1,
          y: shape.upper - 1,
          width: shape.right - shape.left + 1,
          height: shape.lower - shape.upper + 1,
        };
      case 'circular':
        return { kind: 'circle', cx: shape.centerColumn - 0.5, cy: shape.centerRow - 0.5, r: shape.radius };
      case 'polygonal':
        return { kind: 'polygon', points: shape.vertices.map((v) => ({ x: v.column - 0.5, y: v.row - 0.5 })) };
    }
  });
}

/** The smallest pixel box (0-based, inclusive) holding every shown pixel, or null if none is shown. */
export function shownBounds(mask: Uint8Array, rows: number, columns: number): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = columns;
  let y0 = rows;
  let x1 = -1;
  let y1 = -1;
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    const first = mask.indexOf(1, start);
    if (first < 0 || first >= start + columns) continue;
    const last = mask.lastIndexOf(1, start + columns - 1);
    y0 = Math.min(y0, r);
    y1 = r;
    x0 = Math.min(x0, first - start);
    x1 = Math.max(x1, last - start);
  }
  return y1 < 0 ? null : { x0, y0, x1, y1 };
}

// ---- applying -----------------------------------------------------------------------------------

/** Paints covered pixels of an RGBA raster (same size as the mask) with the fill colour. */
export function applyShutterToRgba(rgba: Uint8Array | Uint8ClampedArray, mask: Uint8Array, fill: ShutterFill): void {
  if (rgba.length !== mask.length * 4) throw new Error(`applyShutterToRgba: ${rgba.length / 4} pixels, mask has ${mask.length}`);
  const [r, g, b] = fill.rgb;
  for (let i = 0, p = 0; i < mask.length; i++, p += 4) {
    if (mask[i]) continue;
    rgba[p] = r;
    rgba[p + 1] = g;
    rgba[p + 2] = b;
    rgba[p + 3] = 255;
  }
}

/**
 * Sets covered pixels of a value raster (stored values, or a subtracted frame) to `value`: a
 * branch-free select, cheap enough per frame.
 */
export function applyShutterToValues(values: Float32Array | Uint16Array | Int16Array | Uint8Array, mask: Uint8Array, value: number): void {
  if (values.length !== mask.length) throw new Error(`applyShutterToValues: ${values.length} values, mask has ${mask.length}`);
  for (let i = 0; i < mask.length; i++) values[i] = mask[i] ? values[i] : value;
}
