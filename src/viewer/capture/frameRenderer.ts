/**
 * Draws one exported frame into an OffscreenCanvas: the whole image with the pane's window/level,
 * inversion, quarter turns and mirrors; the annotation marks exactly as the tools draw them on
 * screen (the same mark description, rendered on a canvas instead of SVG); the scale bar when the
 * run is calibrated; and, if asked, the overlay's corner text. One RGBA buffer and a small ring of
 * canvases are reused for every frame, so memory does not grow with the run.
 */
import type { AnnotationDocument } from '../../annotations/model';
import { DRAW_ORDER, defaultCaptionPosition, describeTrack, drawStyle, type Mark, type MarkView } from '../../annotations/marks/describe';
import { drawMarksCanvas } from '../../annotations/marks/canvas';
import { calibratedSpacing, polygonArea } from '../../annotations/model';
import { contourAreaLabel } from '../../format/measurements';
import { projectFrame } from '../../annotations/tools/projection';
import type { RunInfo } from '../../dicom/types';
import type { OverlayCorners } from '../../format/corners';
import { scaleBar } from '../../format/scaleBar';
import { encodedSize } from './format';
import { describeOrientation, isUpright, orientPoint, orientationTransform, orientedSize, type Orientation } from './orientation';
import { exportOverlayCorners, type OverlayTextMode } from './overlayText';
import { GrayMapper, maskRgba, type FramePixels, type GrayDisplay, type PixelRect } from './pixels';

export interface FrameRenderSpec {
  readonly info: RunInfo;
  readonly document: AnnotationDocument | null;
  readonly display: GrayDisplay;
  readonly orientation: Orientation;
  /** How the pane words its rotation and flips ("Rotated 90° · flipped left–right"). */
  readonly orientationText?: string | null;
  /** Output pixels per image pixel (below 1 for a GIF of a large run). */
  readonly scale: number;
  /** Output pixels per CSS pixel of marks and text (format.ts markScaleFor). */
  readonly markScale: number;
  readonly overlay: OverlayTextMode;
  /** Playback speed, for the overlay's "Playback 2×". */
  readonly speed: number;
  /** Image rectangles blacked out before anything is drawn (burned-in text). */
  readonly masks?: readonly PixelRect[];
}

/** The overlay's look (app.css .viewport-overlay), in CSS pixels. */
const OVERLAY_FONT_PX = 12;
const OVERLAY_LINE_HEIGHT = 1.35;
const OVERLAY_COLOUR = '#f2f2f2';
const OVERLAY_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const OVERLAY_MARGIN_X = 10;
const OVERLAY_MARGIN_Y = 8;
const OVERLAY_MAX_SHARE = 0.48;
const SCALE_BAR_MAX_SHARE = 0.3;
const SCALE_BAR_LABEL_PX = 11;

type Context = OffscreenCanvasRenderingContext2D;

/**
 * The encoder holds on to the last few frames it was given (MAX_ENCODE_QUEUE in encoders.ts), and
 * a VideoFrame made from a canvas shares the canvas's pixels: drawing the next frame into that
 * canvas makes the browser copy them first, which costs more than the whole frame otherwise
 * does. So frames are drawn into canvases in turn, one more than the encoder can hold.
 */
const CANVAS_RING = 5;

function context2d(canvas: OffscreenCanvas): Context {
  // CPU-backed: frames are read back every time (VideoFrame, GIF, PNG).
  const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas (2D).');
  return ctx;
}

export class FrameRenderer {
  /** Encoded size: the oriented, scaled image rounded up to even sides. */
  readonly width: number;
  readonly height: number;
  /** Output canvases used in turn (see CANVAS_RING). */
  private readonly ring: Array<{ canvas: OffscreenCanvas; ctx: Context }>;
  private turn = 0;
  private ctx: Context;
  private readonly imageWidth: number;
  private readonly imageHeight: number;
  private readonly transform: [number, number, number, number, number, number];
  private readonly direct: boolean;
  private readonly source: OffscreenCanvas | null;
  private readonly sourceCtx: Context | null;
  private readonly rgba: ImageData;
  private readonly mapper: GrayMapper;
  private readonly transformText: string | null;

  constructor(private readonly spec: FrameRenderSpec) {
    const { columns, rows } = spec.info;
    const oriented = orientedSize(columns, rows, spec.orientation);
    this.imageWidth = Math.max(1, Math.round(oriented.width * spec.scale));
    this.imageHeight = Math.max(1, Math.round(oriented.height * spec.scale));
    const size = encodedSize(this.imageWidth, this.imageHeight);
    this.width = size.width;
    this.height = size.height;
    this.transform = orientationTransform(columns, rows, spec.orientation, spec.scale);
    this.ring = Array.from({ length: CANVAS_RING }, () => {
      const canvas = new OffscreenCanvas(this.width, this.height);
      return { canvas, ctx: context2d(canvas) };
    });
    this.ctx = this.ring[0].ctx;
    // Upright at full size: the pixels go straight into the output canvas.
    this.direct = isUpright(spec.orientation) && spec.scale === 1;
    this.source = this.direct ? null : new OffscreenCanvas(columns, rows);
    this.sourceCtx = this.source ? context2d(this.source) : null;
    this.rgba = new ImageData(columns, rows);
    this.mapper = new GrayMapper(spec.display);
    // The pane's own wording of its rotation and flips when it gave it, for the bottom-right block.
    this.transformText = isUpright(spec.orientation) ? null : (spec.orientationText ?? describeOrientation(spec.orientation));
  }

  /** The next canvas of the ring, cleared to black where the image will not cover it. */
  private nextCanvas(covered: boolean): { canvas: OffscreenCanvas; ctx: Context } {
    const slot = this.ring[this.turn];
    this.turn = (this.turn + 1) % this.ring.length;
    this.ctx = slot.ctx;
    const ctx = slot.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    if (!covered) ctx.fillRect(0, 0, this.width, this.height);
    else {
      // Only the even-size padding (a column and/or a row) lies outside the image.
      if (this.width > this.imageWidth) ctx.fillRect(this.imageWidth, 0, this.width - this.imageWidth, this.height);
      if (this.height > this.imageHeight) ctx.fillRect(0, this.imageHeight, this.width, this.height - this.imageHeight);
    }
    return slot;
  }

  /** Draws `frame` (1-based) from its decoded pixels into the next canvas of the ring, and returns it. */
  render(pixels: FramePixels, frame: number): OffscreenCanvas {
    const { spec } = this;
    this.mapper.toRgba(pixels, this.rgba.data);
    if (spec.masks?.length) maskRgba(this.rgba.data, spec.info.columns, spec.info.rows, spec.masks);
    const { canvas, ctx } = this.nextCanvas(this.direct);
    if (this.direct) {
      ctx.putImageData(this.rgba, 0, 0);
    } else {
      this.sourceCtx!.putImageData(this.rgba, 0, 0);
      ctx.setTransform(...this.transform);
      // Quarter turns map pixels onto pixels; only a scaled-down GIF needs smoothing.
      ctx.imageSmoothingEnabled = spec.scale < 1;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.source!, 0, 0);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    this.drawMarks(frame);
    this.drawOverlay(frame);
    return canvas;
  }

  /**
   * A frame that could not be decoded: black with the reason in the middle, the marks and text
   * still drawn, so the video keeps its timing and says what is missing.
   */
  renderFailed(frame: number, reason: string): OffscreenCanvas {
    const { spec } = this;
    const { canvas, ctx } = this.nextCanvas(false);
    const k = spec.markScale;
    ctx.save();
    ctx.setTransform(k, 0, 0, k, 0, 0);
    ctx.font = `${OVERLAY_FONT_PX + 2}px ${OVERLAY_FONT_FAMILY}`;
    ctx.textBaseline = 'middle';
    const centreX = this.imageWidth / k / 2;
    const centreY = this.imageHeight / k / 2;
    const maxWidth = (this.imageWidth / k) * 0.9;
    shadowedText(ctx, fitText(ctx, `Frame ${frame} could not be decoded`, maxWidth), centreX, centreY - 10, 'center');
    shadowedText(ctx, fitText(ctx, reason, maxWidth), centreX, centreY + 10, 'center');
    ctx.restore();
    this.drawMarks(frame);
    this.drawOverlay(frame);
    return canvas;
  }

  /** The marks of the frame, in draw order, in CSS pixels of the marks' scale. */
  marksOf(frame: number): Mark[] {
    const { spec } = this;
    if (!spec.document) return [];
    const k = spec.markScale;
    const spacing = calibratedSpacing(spec.info.spacing, spec.document.calibration).preferred;
    const view: MarkView = {
      project: (p) => {
        const [x, y] = orientPoint(p, this.transform);
        return [x / k, y / k];
      },
      width: this.imageWidth / k,
      areaLabel: (contour) => contourAreaLabel(polygonArea(contour), spacing),
    };
    const shown = projectFrame(spec.document, frame).sort((a, b) => DRAW_ORDER.indexOf(a.kind) - DRAW_ORDER.indexOf(b.kind));
    return shown.flatMap((track) => {
      // Exported as nobody sees it selected or under the pointer.
      const marked = { ...track, selected: false, defaultPosition: defaultCaptionPosition(spec.info.rows, track.indexOfKind) };
      return describeTrack(marked, drawStyle(marked, false), view);
    });
  }

  private drawMarks(frame: number): void {
    const marks = this.marksOf(frame);
    if (marks.length === 0) return;
    const k = this.spec.markScale;
    this.ctx.save();
    this.ctx.setTransform(k, 0, 0, k, 0, 0);
    drawMarksCanvas(this.ctx, marks);
    this.ctx.restore();
  }

  private drawOverlay(frame: number): void {
    const { spec, ctx } = this;
    const k = spec.markScale;
    const corners = exportOverlayCorners(spec.info, spec.overlay, {
      frame,
      elapsedSeconds: (spec.info.timing.frameStartMs[frame - 1] ?? 0) / 1000,
      speed: spec.speed,
      transform: this.transformText,
    });
    // The bar measures the image, so it is drawn whatever the text option (only when calibrated).
    const bar = scaleBar(
      calibratedSpacing(spec.info.spacing, spec.document?.calibration),
      spec.scale / k,
      (this.imageWidth / k) * SCALE_BAR_MAX_SHARE,
    );
    if (!bar && isEmpty(corners)) return;
    ctx.save();
    ctx.setTransform(k, 0, 0, k, 0, 0);
    const width = this.imageWidth / k;
    const height = this.imageHeight / k;
    const lineHeight = OVERLAY_FONT_PX * OVERLAY_LINE_HEIGHT;
    const maxWidth = width * OVERLAY_MAX_SHARE;
    ctx.font = `${OVERLAY_FONT_PX}px ${OVERLAY_FONT_FAMILY}`;
    ctx.textBaseline = 'middle';
    const block = (lines: string[], left: boolean, top: number) => {
      lines.forEach((line, i) => {
        const x = left ? OVERLAY_MARGIN_X : width - OVERLAY_MARGIN_X;
        shadowedText(ctx, fitText(ctx, line, maxWidth), x, top + lineHeight * (i + 0.5), left ? 'left' : 'right');
      });
    };
    block(corners.topLeft, true, OVERLAY_MARGIN_Y);
    block(corners.topRight, false, OVERLAY_MARGIN_Y);
    block(corners.bottomLeft, true, height - OVERLAY_MARGIN_Y - corners.bottomLeft.length * lineHeight);
    const bottomRightTop = height - OVERLAY_MARGIN_Y - corners.bottomRight.length * lineHeight;
    block(corners.bottomRight, false, bottomRightTop);
    if (bar) this.drawScaleBar(bar.widthPx, bar.label, width - OVERLAY_MARGIN_X, bottomRightTop - 4);
    ctx.restore();
  }

  /** The bar as app.css draws it: a 6 px bracket open at the top, its label under it, right-aligned. */
  private drawScaleBar(widthPx: number, label: string, right: number, bottom: number): void {
    const ctx = this.ctx;
    const labelHeight = SCALE_BAR_LABEL_PX * OVERLAY_LINE_HEIGHT;
    const barBottom = bottom - labelHeight - 1;
    const left = right - widthPx;
    ctx.save();
    ctx.shadowColor = '#000';
    ctx.shadowBlur = 2;
    ctx.shadowOffsetY = 1;
    ctx.strokeStyle = OVERLAY_COLOUR;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(left + 1, barBottom - 6);
    ctx.lineTo(left + 1, barBottom - 1);
    ctx.lineTo(right - 1, barBottom - 1);
    ctx.lineTo(right - 1, barBottom - 6);
    ctx.stroke();
    ctx.restore();
    ctx.save();
    ctx.font = `${SCALE_BAR_LABEL_PX}px ${OVERLAY_FONT_FAMILY}`;
    ctx.textBaseline = 'middle';
    shadowedText(ctx, label, right, bottom - labelHeight / 2, 'right');
    ctx.restore();
  }
}

function isEmpty(corners: OverlayCorners): boolean {
  return !corners.topLeft.length && !corners.topRight.length && !corners.bottomLeft.length && !corners.bottomRight.length;
}

/** Overlay text with the overlay's dark halo (text-shadow 0 0 3px #000, 0 0 2px #000). */
function shadowedText(ctx: Context, text: string, x: number, y: number, align: CanvasTextAlign): void {
  ctx.save();
  ctx.textAlign = align;
  ctx.fillStyle = OVERLAY_COLOUR;
  ctx.shadowColor = '#000';
  for (const blur of [3, 2]) {
    ctx.shadowBlur = blur;
    ctx.fillText(text, x, y);
  }
  ctx.restore();
}

/** Cuts a line to the corner's width with an ellipsis, as the overlay's CSS does. */
function fitText(ctx: Context, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxWidth) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low)}…`;
}
