/**
 * Export of a run as the pane shows it, frame by frame: decode (Cornerstone's loader and cache),
 * draw (FrameRenderer), encode and mux (encoders.ts). At most a few decoded frames are referenced
 * and one RGBA frame is drawn at a time, so memory stays flat however long the run. Cancelling
 * (the AbortSignal) stops at the next frame, closes the encoder and muxer and returns nothing.
 */
import type { AnnotationDocument } from '../../annotations/model';
import { pixelShape } from '../../dicom/pixelShape';
import type { OpenedRun } from '../../dicom/run';
import type { PlayRange } from '../cine/sequence';
import { imageIdFor } from '../imageIds';
import { OPENING_DISPLAY, imageDisplaysOf, openingVoi, type CaptureDisplay } from './display';
import { withOverlayPlanes } from './overlayPlanes';
import { canvasToPng, createGifEncoder, createVideoEncoder, type FrameEncoder } from './encoders';
import { CAPTURE_MIME, markScaleFor, outputScale, pixelStretch, type CaptureFormat } from './format';
import { FrameQueue, loadFrame, type LoadedFrame } from './frames';
import { FrameRenderer } from './frameRenderer';
import type { OverlayTextMode } from './overlayText';
import type { PixelRect } from './pixels';
import { exportRange, frameSchedule, gifFrames, scheduleDurationUs, type ScheduledFrame } from './schedule';

export interface CaptureRequest {
  readonly run: OpenedRun;
  /** The run's annotations, burned in as drawn; null exports the bare run. */
  readonly document: AnnotationDocument | null;
  readonly format: CaptureFormat;
  /** Video: the in/out range (null: the whole run). */
  readonly range: PlayRange | null;
  /** PNG: the frame (1-based). */
  readonly frame: number;
  /** Playback speed: 2 makes a video half as long. */
  readonly speed: number;
  readonly display: CaptureDisplay;
  readonly overlay: OverlayTextMode;
  /**
   * Burn in the run's overlay planes (60xx), as the pane shows them when its switch is on. Never
   * for a teaching package: the de-identified files drop overlay groups, which may carry text.
   */
  readonly overlayPlanes?: boolean;
  /** Image rectangles to black out (the teaching package's masks of burned-in text). */
  readonly masks?: readonly PixelRect[];
}

export interface CaptureResult {
  readonly bytes: Uint8Array;
  readonly mime: string;
  readonly format: CaptureFormat;
  readonly width: number;
  readonly height: number;
  /** Frames in the file (a GIF may hold fewer than the range: see gifFrames). */
  readonly frames: number;
  /** First and last run frame exported. */
  readonly range: PlayRange;
  readonly durationUs: number;
  /** What the file holds, e.g. "H.264 avc1.640028". */
  readonly encoding: string;
  /** Wall time spent waiting for decoded frames, drawing, encoding (with muxing) and finishing, in ms. */
  readonly stageMs: { readonly decode: number; readonly draw: number; readonly encode: number; readonly finish: number };
}

export interface CaptureProgress {
  readonly done: number;
  readonly total: number;
}

export interface CaptureOptions {
  readonly signal?: AbortSignal;
  onProgress?(progress: CaptureProgress): void;
}

/** Thrown when the signal aborts: nothing was produced. */
export function isCaptureCancelled(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The export was cancelled.', 'AbortError');
}

/** Lets the page breathe between frames (progress bar, Cancel), without a long pause. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function captureRun(request: CaptureRequest, options: CaptureOptions = {}): Promise<CaptureResult> {
  const { run, format } = request;
  throwIfCancelled(options.signal);
  performance.mark('fluorolens:capture-start', { detail: { run: run.key, format } });
  const result = format === 'png' ? await capturePng(request, options) : await captureVideo(request, options);
  performance.mark('fluorolens:capture-done', {
    detail: { run: run.key, format, frames: result.frames, bytes: result.bytes.length, stageMs: result.stageMs, encoding: result.encoding },
  });
  return result;
}

function rendererFor(request: CaptureRequest, first: LoadedFrame): FrameRenderer {
  const { run, display } = request;
  // Pixels that are not square are drawn in their shape, as on screen.
  const stretch = pixelStretch(pixelShape(run.info.spacing));
  const columns = run.info.columns * stretch.x;
  const rows = run.info.rows * stretch.y;
  const scale = outputScale(request.format, columns, rows);
  const voi = display.voi ?? (first.ok ? openingVoi(run.info, first.pixels) : { lower: 0, upper: 255, invert: false });
  return new FrameRenderer({
    info: run.info,
    document: request.document,
    display: voi,
    displayOfFrame: imageDisplaysOf(run.info, display, voi) ?? undefined,
    orientation: display.orientation,
    orientationText: display.orientationText,
    scale,
    stretch,
    markScale: markScaleFor(columns * scale, rows * scale),
    overlay: request.overlay,
    speed: request.speed,
    masks: request.masks,
  });
}

/** The frame with its overlay planes burned in when the request asks for them (overlayPlanes.ts). */
function withPlanes(request: CaptureRequest, renderer: FrameRenderer, loaded: LoadedFrame, frame: number): LoadedFrame {
  return request.overlayPlanes ? withOverlayPlanes(loaded, request.run.info, frame, renderer.invertsFrame(frame)) : loaded;
}

function draw(renderer: FrameRenderer, loaded: LoadedFrame, frame: number): OffscreenCanvas {
  return loaded.ok ? renderer.render(loaded.pixels, frame) : renderer.renderFailed(frame, loaded.reason);
}

async function capturePng(request: CaptureRequest, options: CaptureOptions): Promise<CaptureResult> {
  const { run } = request;
  const frame = Math.min(Math.max(1, Math.round(request.frame)), run.info.frameCount);
  const t0 = performance.now();
  const loaded = await loadFrame(imageIdFor(run.key, frame));
  throwIfCancelled(options.signal);
  const t1 = performance.now();
  const renderer = rendererFor({ ...request, display: request.display ?? OPENING_DISPLAY }, loaded);
  const canvas = draw(renderer, withPlanes(request, renderer, loaded, frame), frame);
  const t2 = performance.now();
  const bytes = await canvasToPng(canvas);
  options.onProgress?.({ done: 1, total: 1 });
  return {
    bytes,
    mime: CAPTURE_MIME.png,
    format: 'png',
    width: renderer.width,
    height: renderer.height,
    frames: 1,
    range: { inFrame: frame, outFrame: frame },
    durationUs: 0,
    encoding: 'PNG',
    stageMs: { decode: t1 - t0, draw: t2 - t1, encode: performance.now() - t2, finish: 0 },
  };
}

async function captureVideo(request: CaptureRequest, options: CaptureOptions): Promise<CaptureResult> {
  const { run, format } = request;
  const { signal } = options;
  const schedule = frameSchedule(run.info.timing, request.range, request.speed);
  if (schedule.length === 0) throw new Error('The range holds no frame to export.');
  // A GIF keeps only frames a browser shows for their time; its delays replace the durations.
  const entries: ReadonlyArray<ScheduledFrame & { delayMs?: number }> = format === 'gif' ? gifEntries(schedule) : schedule;
  const queue = new FrameQueue(entries.map((e) => imageIdFor(run.key, e.frame)));
  let encoder: FrameEncoder | null = null;
  /** Frames drawn and handed to the encoder. */
  let done = 0;
  const stageMs = { decode: 0, draw: 0, encode: 0, finish: 0 };
  let mark = performance.now();
  const lap = (stage: keyof typeof stageMs) => {
    const now = performance.now();
    stageMs[stage] += now - mark;
    mark = now;
  };
  try {
    const first = await queue.next();
    throwIfCancelled(signal);
    const renderer = rendererFor(request, first);
    const fps = (run.info.timing.nominalFps || 15) * request.speed;
    const gif = format === 'gif' ? createGifEncoder(renderer.width, renderer.height) : null;
    encoder = gif ?? (await createVideoEncoder(format as 'mp4' | 'webm', renderer.width, renderer.height, fps, entries.length));
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (i > 0) mark = performance.now();
      const loaded = i === 0 ? first : await queue.next();
      throwIfCancelled(signal);
      lap('decode');
      // Video of a grey run: I420 straight from the pixels (no RGBA frame); else the canvas.
      const shown = withPlanes(request, renderer, loaded, entry.frame);
      const planes = !gif && encoder.addI420 && shown.ok ? renderer.renderYuv(shown.pixels, entry.frame) : null;
      if (planes) {
        lap('draw');
        await encoder.addI420!(planes, entry);
      } else {
        const canvas = draw(renderer, shown, entry.frame);
        lap('draw');
        if (gif) gif.addWithDelay(canvas, entry.delayMs ?? Math.round(entry.durationUs / 1000));
        else await encoder.add(canvas, entry);
      }
      lap('encode');
      done = i + 1;
      options.onProgress?.({ done, total: entries.length });
      // Every few frames: the progress bar repaints and a click on Cancel is heard.
      if (i % 4 === 3) await yieldToPage();
      throwIfCancelled(signal);
    }
    mark = performance.now();
    const bytes = await encoder.finish();
    lap('finish');
    throwIfCancelled(signal);
    return {
      bytes,
      mime: CAPTURE_MIME[format],
      format,
      width: renderer.width,
      height: renderer.height,
      frames: entries.length,
      range: exportRange(run.info.frameCount, request.range),
      durationUs: scheduleDurationUs(schedule),
      encoding: encoder.description,
      stageMs,
    };
  } catch (error) {
    await encoder?.abort();
    if (isCaptureCancelled(error)) {
      performance.mark('fluorolens:capture-cancelled', { detail: { run: run.key, format, done, total: entries.length } });
    }
    throw error;
  }
}

function gifEntries(schedule: readonly ScheduledFrame[]): Array<ScheduledFrame & { delayMs: number }> {
  const byFrame = new Map(schedule.map((entry) => [entry.frame, entry]));
  return gifFrames(schedule).map(({ frame, delayMs }) => ({ ...byFrame.get(frame)!, delayMs }));
}
