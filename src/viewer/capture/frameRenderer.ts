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
import { factsOfFrame } from '../../dicom/runInfo';
import type { RunInfo } from '../../dicom/types';
import type { OverlayCorners } from '../../format/corners';
import { scaleBar } from '../../format/scaleBar';
import { edgeMarkers, type EdgeMarkers } from '../../format/orientationMarkers';
import { MAX_ENCODE_QUEUE } from './encoders';
import { encodedSize } from './format';
import { describeOrientation, isUpright, orientPoint, orientationTransform, orientedSize, type Orientation } from './orientation';
import { exportOverlayCorners, type OverlayTextMode } from './overlayText';
import { GrayMapper, maskRgba, type FramePixels, type GrayDisplay, type PixelRect } from './pixels';
import { I420Frame, evenBox, union, type Box } from './yuv';

export interface FrameRenderSpec {
  readonly info: RunInfo;
  readonly document: AnnotationDocument | null;
  readonly display: GrayDisplay;
  /** A frame's own display when frames differ (a series windowed image by image); else `display`. */
  readonly displayOfFrame?: (frame: number) => GrayDisplay;
  readonly orientation: Orientation;
  /** How the pane words its rotation and flips ("Rotated 90° · flipped left–right"). */
  readonly orientationText?: string | null;
  /** Output pixels per image pixel (below 1 for a GIF of a large run), times `stretch`. */
  readonly scale: number;
  /** Along the image's x and y, before `scale`: pixels drawn in their shape (format.ts pixelStretch). */
  readonly stretch: { readonly x: number; readonly y: number };
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
const CANVAS_RING = MAX_ENCODE_QUEUE + 2;

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
  /** Output canvases used in turn (see CANVAS_RING), made when first needed. */
  private readonly ring: Array<{ canvas: OffscreenCanvas; ctx: Context }> = [];
  private turn = 0;
  private ctx!: Context;
  private readonly imageWidth: number;
  private readonly imageHeight: number;
  private readonly transform: [number, number, number, number, number, number];
  private readonly direct: boolean;
  /** One output pixel per image pixel (turned or mirrored, maybe): no resampling. */
  private readonly oneToOne: boolean;
  private source: OffscreenCanvas | null = null;
  private sourceCtx: Context | null = null;
  private rgba: ImageData | null = null;
  private readonly mapper: GrayMapper;
  /** Video frames of grey runs: I420 built from the pixels, and the transparent layer marks are drawn on. */
  private yuv: I420Frame | null = null;
  private overlayLayer: { canvas: OffscreenCanvas; ctx: Context; drawn: Box[] } | null = null;
  private readonly transformText: string | null;

  constructor(private readonly spec: FrameRenderSpec) {
    const { columns, rows } = spec.info;
    const { x: stretchX, y: stretchY } = spec.stretch;
    const oriented = orientedSize(columns * stretchX, rows * stretchY, spec.orientation);
    this.imageWidth = Math.max(1, Math.round(oriented.width * spec.scale));
    this.imageHeight = Math.max(1, Math.round(oriented.height * spec.scale));
    const size = encodedSize(this.imageWidth, this.imageHeight);
    this.width = size.width;
    this.height = size.height;
    this.transform = orientationTransform(columns, rows, spec.orientation, spec.scale * stretchX, spec.scale * stretchY);
    // Upright at full size, square pixels: the pixels go straight into the output canvas.
    this.oneToOne = spec.scale === 1 && stretchX === 1 && stretchY === 1;
    this.direct = isUpright(spec.orientation) && this.oneToOne;
    this.mapper = new GrayMapper(spec.display);
    // The pane's own wording of its rotation and flips when it gave it, for the bottom-right block.
    this.transformText = isUpright(spec.orientation) ? null : (spec.orientationText ?? describeOrientation(spec.orientation));
  }

  private displayOf(frame: number): GrayDisplay {
    return this.spec.displayOfFrame?.(frame) ?? this.spec.display;
  }

  /** Whether frame `frame` is drawn inverted (white is then the low end of its window). */
  invertsFrame(frame: number): boolean {
    return this.displayOf(frame).invert;
  }

  /** The next canvas of the ring, cleared to black where the image will not cover it. */
  private nextCanvas(covered: boolean): { canvas: OffscreenCanvas; ctx: Context } {
    if (this.ring.length < CANVAS_RING && this.turn === this.ring.length) {
      const canvas = new OffscreenCanvas(this.width, this.height);
      this.ring.push({ canvas, ctx: context2d(canvas) });
    }
    const slot = this.ring[this.turn];
    this.turn = (this.turn + 1) % CANVAS_RING;
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
    const rgba = (this.rgba ??= new ImageData(spec.info.columns, spec.info.rows));
    this.mapper.setDisplay(this.displayOf(frame));
    this.mapper.toRgba(pixels, rgba.data);
    if (spec.masks?.length) maskRgba(rgba.data, spec.info.columns, spec.info.rows, spec.masks);
    const { canvas, ctx } = this.nextCanvas(this.direct);
    if (this.direct) {
      ctx.putImageData(rgba, 0, 0);
    } else {
      if (!this.source) {
        this.source = new OffscreenCanvas(spec.info.columns, spec.info.rows);
        this.sourceCtx = context2d(this.source);
      }
      this.sourceCtx!.putImageData(rgba, 0, 0);
      ctx.setTransform(...this.transform);
      // Quarter turns map pixels onto pixels; a scaled-down GIF and stretched pixels need smoothing.
      ctx.imageSmoothingEnabled = !this.oneToOne;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.source!, 0, 0);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    this.drawMarks(frame);
    this.drawOverlay(frame);
    return canvas;
  }

  /**
   * A video frame of a grey run as I420 (yuv.ts), without an RGBA copy of the frame: luma from
   * the pixels through the window's table, the marks and text drawn on a transparent layer and
   * blended in where they fall. The same picture as render() gives, in the encoder's layout; the
   * buffer is reused by the next call. Null for what only the canvas draws (colour, scaled).
   */
  renderYuv(pixels: FramePixels, frame: number): Uint8Array | null {
    const { spec } = this;
    if (pixels.samplesPerPixel !== 1 || !this.oneToOne) return null;
    this.yuv ??= new I420Frame(this.width, this.height, this.imageWidth, this.imageHeight, spec.display);
    this.yuv.setDisplay(this.displayOf(frame));
    this.yuv.writeGrey(pixels, this.direct ? null : this.transform, spec.masks);
    const layer = (this.overlayLayer ??= this.newOverlayLayer());
    const { ctx } = layer;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    // Only what the last frame drew is cleared (a union of far-apart boxes would be most of the frame).
    for (const box of layer.drawn) ctx.clearRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    this.ctx = ctx;
    const marks = this.drawMarks(frame);
    const drawn = mergeOverlapping([...(marks ? [marks] : []), ...this.drawOverlay(frame)].map((box) => this.clip(box))).filter(
      (box) => box.right > box.left && box.bottom > box.top,
    );
    // Each pixel is blended once: overlapping boxes were merged.
    for (const box of drawn) {
      const { left, top, right, bottom } = box;
      this.yuv.blendOverlay(ctx.getImageData(left, top, right - left, bottom - top).data, box);
    }
    layer.drawn = drawn;
    return this.yuv.buffer;
  }

  private newOverlayLayer(): { canvas: OffscreenCanvas; ctx: Context; drawn: Box[] } {
    const canvas = new OffscreenCanvas(this.width, this.height);
    const ctx = canvas.getContext('2d', { alpha: true, willReadFrequently: true });
    if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas (2D).');
    return { canvas, ctx, drawn: [] };
  }

  /** A box in output pixels, widened to whole 2×2 blocks and kept inside the frame. */
  private clip(box: Box): Box {
    const whole = { left: Math.floor(box.left), top: Math.floor(box.top), right: Math.ceil(box.right), bottom: Math.ceil(box.bottom) };
    return evenBox(whole, this.width, this.height);
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

  /** Draws the frame's marks; returns the output pixels they may have touched. */
  private drawMarks(frame: number): Box | null {
    const marks = this.marksOf(frame);
    if (marks.length === 0) return null;
    const k = this.spec.markScale;
    this.ctx.save();
    this.ctx.setTransform(k, 0, 0, k, 0, 0);
    const textBoxes = drawMarksCanvas(this.ctx, marks);
    this.ctx.restore();
    const box = marksBounds(marks, textBoxes);
    return box && { left: box.left * k, top: box.top * k, right: box.right * k, bottom: box.bottom * k };
  }

  /** Draws the corner text and scale bar; returns the bands of output rows they may have touched. */
  private drawOverlay(frame: number): Box[] {
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
      // Output pixels per column width; stretched pixels come out square, so this holds on either axis.
      (spec.scale * spec.stretch.x) / k,
      (this.imageWidth / k) * SCALE_BAR_MAX_SHARE,
    );
    const orientation = spec.overlay !== 'none' ? factsOfFrame(spec.info, frame).patientOrientation : null;
    const markers = orientation ? edgeMarkers(orientation, spec.orientation) : null;
    if (!bar && !markers && isEmpty(corners)) return [];
    ctx.save();
    ctx.setTransform(k, 0, 0, k, 0, 0);
    const width = this.imageWidth / k;
    const height = this.imageHeight / k;
    const lineHeight = OVERLAY_FONT_PX * OVERLAY_LINE_HEIGHT;
    const maxWidth = width * OVERLAY_MAX_SHARE;
    ctx.font = `${OVERLAY_FONT_PX}px ${OVERLAY_FONT_FAMILY}`;
    ctx.textBaseline = 'middle';
    const boxes: Box[] = [];
    /** Draws a corner's lines; notes the box they cover, shadows included (CSS pixels). */
    const block = (lines: string[], left: boolean, top: number) => {
      if (lines.length === 0) return;
      const x = left ? OVERLAY_MARGIN_X : width - OVERLAY_MARGIN_X;
      let widest = 0;
      lines.forEach((line, i) => {
        const fitted = fitText(ctx, line, maxWidth);
        widest = Math.max(widest, ctx.measureText(fitted).width);
        shadowedText(ctx, fitted, x, top + lineHeight * (i + 0.5), left ? 'left' : 'right');
      });
      const from = left ? x : x - widest;
      boxes.push(marginBox(from, top, from + widest, top + lines.length * lineHeight, SHADOW_MARGIN));
    };
    block(corners.topLeft, true, OVERLAY_MARGIN_Y);
    block(corners.topRight, false, OVERLAY_MARGIN_Y);
    block(corners.bottomLeft, true, height - OVERLAY_MARGIN_Y - corners.bottomLeft.length * lineHeight);
    const bottomRightTop = height - OVERLAY_MARGIN_Y - corners.bottomRight.length * lineHeight;
    block(corners.bottomRight, false, bottomRightTop);
    if (bar) boxes.push(this.drawScaleBar(bar.widthPx, bar.label, width - OVERLAY_MARGIN_X, bottomRightTop - 4));
    if (markers) boxes.push(...drawEdgeMarkers(ctx, markers, width, height));
    ctx.restore();
    return boxes.map((b) => ({ left: b.left * k, top: b.top * k, right: b.right * k, bottom: b.bottom * k }));
  }

  /**
   * The bar as app.css draws it: a 6 px bracket open at the top, its label under it,
   * right-aligned. Returns the box it covers, shadows included (CSS pixels).
   */
  private drawScaleBar(widthPx: number, label: string, right: number, bottom: number): Box {
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
    const labelWidth = ctx.measureText(label).width;
    ctx.restore();
    return marginBox(right - Math.max(widthPx, labelWidth), barBottom - 6, right, bottom, SHADOW_MARGIN);
  }
}

/** How far past its outline a mark may paint: half the widest stroke, handles, antialiasing. */
const MARK_MARGIN = 8;
/** How far text shadows (blur 3) and the bar's shadow reach. */
const SHADOW_MARGIN = 8;

/** The marks' bounding box in CSS pixels of the marks' scale, with MARK_MARGIN around it. */
function marksBounds(
  marks: readonly Mark[],
  textBoxes: ReadonlyMap<string, { x: number; y: number; width: number; height: number }>,
): Box | null {
  let box: Box | null = null;
  const add = (x: number, y: number, r = 0) => {
    const b = { left: x - r - MARK_MARGIN, top: y - r - MARK_MARGIN, right: x + r + MARK_MARGIN, bottom: y + r + MARK_MARGIN };
    box = box ? union(box, b) : b;
  };
  for (const mark of marks) {
    switch (mark.type) {
      case 'line':
        add(...mark.from);
        add(...mark.to);
        break;
      case 'circle':
        add(mark.centre[0], mark.centre[1], mark.radius);
        break;
      case 'polyline':
        for (const p of mark.points) add(p[0], p[1]);
        break;
      case 'handles':
        for (const p of mark.points) add(p[0], p[1], mark.radius);
        break;
      case 'text': {
        const t = textBoxes.get(mark.id);
        if (t) {
          add(t.x, t.y);
          add(t.x + t.width, t.y + t.height);
        }
        break;
      }
    }
  }
  return box;
}

function marginBox(left: number, top: number, right: number, bottom: number, margin: number): Box {
  return { left: left - margin, top: top - margin, right: right + margin, bottom: bottom + margin };
}

/** The boxes with every overlapping pair replaced by their union, so no pixel is in two. */
function mergeOverlapping(boxes: Box[]): Box[] {
  const merged = [...boxes];
  const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < merged.length && !changed; i++) {
      for (let j = i + 1; j < merged.length && !changed; j++) {
        if (!overlaps(merged[i], merged[j])) continue;
        merged[i] = union(merged[i], merged[j]);
        merged.splice(j, 1);
        changed = true;
      }
    }
  }
  return merged;
}

function isEmpty(corners: OverlayCorners): boolean {
  return !corners.topLeft.length && !corners.topRight.length && !corners.bottomLeft.length && !corners.bottomRight.length;
}

/** Overlay text with the overlay's dark halo (text-shadow 0 0 3px #000, 0 0 2px #000). */
/** The patient's direction at each edge's midpoint, as app.css .orientation-marker draws it; the boxes they cover. */
function drawEdgeMarkers(ctx: Context, markers: EdgeMarkers, width: number, height: number): Box[] {
  const size = OVERLAY_FONT_PX * 1.25;
  ctx.font = `600 ${size}px ${OVERLAY_FONT_FAMILY}`;
  const half = (size * OVERLAY_LINE_HEIGHT) / 2;
  const places: Array<[string, number, number, CanvasTextAlign]> = [
    [markers.left, OVERLAY_MARGIN_X, height / 2, 'left'],
    [markers.right, width - OVERLAY_MARGIN_X, height / 2, 'right'],
    [markers.top, width / 2, OVERLAY_MARGIN_Y + half, 'center'],
    [markers.bottom, width / 2, height - OVERLAY_MARGIN_Y - half, 'center'],
  ];
  return places.map(([text, x, y, align]) => {
    shadowedText(ctx, text, x, y, align);
    const w = ctx.measureText(text).width;
    const from = align === 'left' ? x : align === 'right' ? x - w : x - w / 2;
    return marginBox(from, y - half, from + w, y + half, SHADOW_MARGIN);
  });
}

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
