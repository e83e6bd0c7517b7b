/**
 * Draws marks (describe.ts) onto a Canvas2D context, matching what Cornerstone's SVG helpers draw
 * on screen for the same marks (tools/svgMarks.ts): stroke widths and dash patterns, handle
 * circles (stroke 2, filled on keyframes), polylines with their points rounded to 0.1 px as the
 * SVG attribute holds them, and text boxes laid out like Cornerstone's drawTextBox (one line per
 * 1.2 em, the box from the font's ascent to its descent, a 0.5 px drop shadow of the text in the
 * colour darkened to 20 % in linear light, as the SVG layer's filter does).
 * No DOM globals: the caller hands in the context (a canvas's or an OffscreenCanvas's).
 */
import type { Mark, Stroke, TextMark, Xy } from './describe';

export type MarkContext = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Cornerstone's drawTextBox default. */
export const MARK_FONT_FAMILY = 'Helvetica, Arial, sans-serif';
/** Cornerstone's drawHandle default stroke width. */
const HANDLE_STROKE_WIDTH = 2;
/** SVG's default stroke-miterlimit (the canvas default is 10). */
const SVG_MITER_LIMIT = 4;
/** Offset and darkening of the SVG layer's text shadow filter (tools' addEnabledElement). */
const TEXT_SHADOW_OFFSET = 0.5;
const TEXT_SHADOW_FACTOR = 0.2;
/** drawTextBox puts each line 1.2 em below the previous one (tspan dy). */
const LINE_ADVANCE_EM = 1.2;

export interface DrawnBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Draws the marks in order; returns the text boxes by mark id. */
export function drawMarksCanvas(ctx: MarkContext, marks: readonly Mark[]): Map<string, DrawnBox> {
  const boxes = new Map<string, DrawnBox>();
  for (const mark of marks) {
    ctx.save();
    switch (mark.type) {
      case 'line':
        ctx.beginPath();
        ctx.moveTo(mark.from[0], mark.from[1]);
        ctx.lineTo(mark.to[0], mark.to[1]);
        strokePath(ctx, mark.stroke);
        break;
      case 'circle':
        ctx.beginPath();
        ctx.arc(mark.centre[0], mark.centre[1], mark.radius, 0, 2 * Math.PI);
        strokePath(ctx, mark.stroke);
        break;
      case 'polyline': {
        if (mark.points.length < 2) break;
        // The SVG points attribute holds each point to 0.1 px, and the closing point unrounded.
        const rounded = mark.points.map((p): Xy => [Number(p[0].toFixed(1)), Number(p[1].toFixed(1))]);
        ctx.beginPath();
        ctx.moveTo(rounded[0][0], rounded[0][1]);
        for (const p of rounded.slice(1)) ctx.lineTo(p[0], p[1]);
        if (mark.closed) ctx.lineTo(mark.points[0][0], mark.points[0][1]);
        if (mark.fill) {
          ctx.fillStyle = mark.fill.color;
          ctx.globalAlpha = mark.fill.opacity;
          ctx.fill();
          ctx.globalAlpha = 1;
        }
        strokePath(ctx, mark.stroke);
        break;
      }
      case 'handles':
        for (const p of mark.points) {
          ctx.beginPath();
          ctx.arc(p[0], p[1], mark.radius, 0, 2 * Math.PI);
          if (mark.fill !== 'transparent') {
            ctx.fillStyle = mark.fill;
            ctx.fill();
          }
          strokePath(ctx, { color: mark.color, width: HANDLE_STROKE_WIDTH, dash: undefined });
        }
        break;
      case 'text':
        boxes.set(mark.id, drawText(ctx, mark));
        break;
    }
    ctx.restore();
  }
  return boxes;
}

/** "6,4" or "6 4" → [6, 4]; undefined → solid. */
export function dashArray(dash: string | undefined): number[] {
  if (!dash) return [];
  return dash
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isFinite(n) && n >= 0);
}

function strokePath(ctx: MarkContext, stroke: Stroke): void {
  ctx.strokeStyle = stroke.color;
  ctx.lineWidth = stroke.width;
  ctx.setLineDash(dashArray(stroke.dash));
  ctx.lineDashOffset = 0;
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  ctx.miterLimit = SVG_MITER_LIMIT;
  ctx.stroke();
}

/** Text box layout as drawTextBox makes it: what the canvas renderer draws, exposed for tests. */
export function textBoxLayout(
  mark: Pick<TextMark, 'lines' | 'at' | 'fontSize'>,
  measure: (line: string) => { width: number; ascent: number; descent: number },
): { box: DrawnBox; baselines: number[] } {
  const advance = LINE_ADVANCE_EM * mark.fontSize;
  const metrics = mark.lines.map(measure);
  const ascent = Math.max(...metrics.map((m) => m.ascent));
  const descent = Math.max(...metrics.map((m) => m.descent));
  const baselines = mark.lines.map((_, i) => mark.at[1] + advance * (i + 1));
  const top = baselines[0] - ascent;
  return {
    box: {
      x: mark.at[0],
      y: top,
      width: Math.max(...metrics.map((m) => m.width)),
      height: baselines[baselines.length - 1] + descent - top,
    },
    baselines,
  };
}

function drawText(ctx: MarkContext, mark: TextMark): DrawnBox {
  ctx.font = `${mark.fontSize}px ${MARK_FONT_FAMILY}`;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  const { box, baselines } = textBoxLayout(mark, (line) => {
    const m = ctx.measureText(line);
    return { width: m.width, ascent: m.fontBoundingBoxAscent, descent: m.fontBoundingBoxDescent };
  });
  if (mark.background) {
    ctx.fillStyle = mark.background;
    ctx.fillRect(box.x, box.y, box.width, box.height);
  }
  const shadow = darkenedColour(mark.color, TEXT_SHADOW_FACTOR);
  mark.lines.forEach((line, i) => {
    if (shadow) {
      ctx.fillStyle = shadow;
      ctx.fillText(line, mark.at[0] + TEXT_SHADOW_OFFSET, baselines[i] + TEXT_SHADOW_OFFSET);
    }
    ctx.fillStyle = mark.color;
    ctx.fillText(line, mark.at[0], baselines[i]);
  });
  return box;
}

/**
 * The colour with its RGB scaled by `factor` in linear light (SVG filters work in linearRGB), as
 * rgba(); null for colours this parser does not read (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()).
 */
export function darkenedColour(colour: string, factor: number): string | null {
  const rgba = parseColour(colour);
  if (!rgba) return null;
  const toLinear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const toSrgb = (l: number) => {
    const s = l <= 0.0031308 ? l * 12.92 : 1.055 * l ** (1 / 2.4) - 0.055;
    return Math.round(Math.min(1, Math.max(0, s)) * 255);
  };
  const [r, g, b] = rgba.slice(0, 3).map((c) => toSrgb(toLinear(c) * factor));
  return `rgba(${r}, ${g}, ${b}, ${rgba[3]})`;
}

export function parseColour(colour: string): [number, number, number, number] | null {
  const text = colour.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(text);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    const byte = (i: number) => parseInt(digits.slice(i * 2, i * 2 + 2), 16);
    return [byte(0), byte(1), byte(2), digits.length === 8 ? byte(3) / 255 : 1];
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+))?\s*\)$/.exec(text);
  if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3]), fn[4] === undefined ? 1 : Number(fn[4])];
  return null;
}
