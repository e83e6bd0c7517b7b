/**
 * One pane's Cornerstone stack viewport and the run it shows: which frames are decoded, which
 * failed, and what to decode next (every frame after opening, or a window ahead of the play head
 * for runs too long for the cache). The state layer creates one per pane (state/viewports.ts) and
 * tells it which run and frame to show; cine playback drives it through PlaybackTarget.
 * Marks `fluorolens:first-frame` (frame 1 on screen, painted here or drawn by Cornerstone),
 * `fluorolens:first-render` (drawn by Cornerstone: the viewport holds the run) and
 * `fluorolens:run-decoded`.
 */
import { Enums, cache, metaData, type StackViewport, type Types } from '@cornerstonejs/core';
import { ReadInterruptedError } from '../dicom/byteSource';
import type { OpenedRun } from '../dicom/run';
import { voiFunctionOf, windowsOfFrame } from '../dicom/runInfo';
import type { VoiLut } from '../dicom/types';
import { lutFollowing, openingVoiLut, voiLutInputRange } from '../dicom/voiLut';
import { opensInverted } from '../dicom/presentationLut';
import {
  FIRST_FRAME_LOAD,
  FrameLoadCancelled,
  loadFrameImage,
  PREFETCH_LOAD,
  WHOLE_RUN_LOAD,
  type BeforeResolve,
} from './frameImageLoader';
import {
  afterNextFrame,
  FIRST_PAINT_EVENT,
  hasLinearVoi,
  openingDisplayOf,
  paintableFirst,
  paintFrame,
  type FirstPaintDetail,
} from './firstPaint';
import { storedValuesOf } from './modalityLutDisplay';
import { buildsNativeImage, decodesHere, isPlainGrayscale } from './nativeImage';
import { forgetChunks } from './frameReads';
import { warmUpRendering } from './renderWarmup';
import { alignTransferFunctionWithInvert } from './transferFunctionGuard';
import { dropVoiLutIfWindowed, leaveVoiLut, showVoiLut, showsVoiLut, voiLutShown } from './voiLutDisplay';
import { DECODED_CACHE_BYTES } from './cornerstoneSetup';
import { renderingEngine, resizeKeepingViewPresentation } from './engine';
import { imageIdsFor } from './imageIds';
import { rangeFromWindow } from './probeMath';
import { releaseSetWindow } from './setWindowHold';
import type { PlaybackTarget } from './playback/panePlayer';
import { attachToolGroup, detachToolGroup } from './toolGroup';
import {
  decodeModeFor,
  decodedFrameBytes,
  framesForwardFrom,
  framesToRequest,
  windowFrames,
  type DecodeMode,
} from './playback/decodePolicy';

export type FrameState = 'pending' | 'decoded' | 'failed';

export interface DecodeProgress {
  runKey: string;
  decoded: number;
  failed: number;
  total: number;
  /**
   * Long runs (decoded in a window ahead of the play head): the window's first and last frame in
   * playback order, its size, and how many of its frames are decoded now.
   */
  window?: { first: number; last: number; size: number; ready: number };
}

export interface StackControllerEvents {
  onProgress?(progress: DecodeProgress): void;
  onFrameFailed?(runKey: string, frame: number, reason: string): void;
}

const PREFETCH_IN_FLIGHT = 6;
/**
 * The session (and so React) hears of decode progress at most this often; every frame would
 * re-render the Runs list 100×/s. Each update is a new picture of the page to composite, which
 * without a GPU (SwiftShader here, and a reading-room PC in a virtual desktop) costs the GPU
 * process 25–50 ms of one of the cores decoding the run. l5-tfesi-1024-rle decoded whole, medians
 * of alternating builds (6 opens each): 599 ms with updates every 150 ms against 526 every 500;
 * 564 against 531 every 400 (a noisy gain: the opening's other pictures cost the GPU more).
 */
const PROGRESS_INTERVAL_MS = 400;
/** Waits before reading a frame again after an interrupted read (then it is reported). */
const READ_RETRY_DELAYS_MS = [250, 1000];
/** If no IMAGE_RENDERED comes (a hidden viewport), the rest of the run starts decoding after this. */
const FIRST_FRAME_WAIT_MS = 1000;
/** The longest setStack waits for frame 1 to reach the screen (a slow read: a busy disk, a PACS). */
const FIRST_FRAME_AHEAD_MAX_MS = 250;

const PANE_BACKGROUND: Types.Point3 = [0, 0, 0];

/** Viewports that show a run whose first frame is not on screen yet. */
const awaitingFirstFrame = new Set<StackController>();
let firstFrameWaiters: Array<() => void> = [];
let firstSettle: () => void = () => undefined;
const firstFrameOfPage = new Promise<void>((resolve) => (firstSettle = resolve));

/** Resolves the first time a viewport of the page has frame 1 of a run drawn (or gives up on it). */
export function firstFrameEverSettled(): Promise<void> {
  return firstFrameOfPage;
}

function settleFirstFrameWaiters() {
  if (awaitingFirstFrame.size > 0) return;
  const waiters = firstFrameWaiters;
  firstFrameWaiters = [];
  for (const resolve of waiters) resolve();
}

/** True while a viewport waits for the first frame of the run it shows. */
export function firstFramePending(): boolean {
  return awaitingFirstFrame.size > 0;
}

/** Resolves once no viewport is waiting for its first frame: work that can wait (thumbnails) goes after it. */
export function afterFirstFrames(): Promise<void> {
  if (awaitingFirstFrame.size === 0) return Promise.resolve();
  return new Promise((resolve) => firstFrameWaiters.push(resolve));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const nested = (error as { error?: unknown } | null)?.error;
  if (nested) return reasonOf(nested);
  return String(error);
}

/**
 * One Cornerstone stack viewport showing one run: frame 1 on screen as soon as it is decoded,
 * the rest decoded behind it, failures reported per frame while the run stays usable.
 */
export class StackController implements PlaybackTarget {
  private viewport: StackViewport;
  private readonly resizeObserver: ResizeObserver;
  private run: OpenedRun | null = null;
  private imageIds: string[] = [];
  private frameStates: FrameState[] = [];
  private generation = 0;
  /** `fluorolens:first-frame`: frame 1 painted (firstPaint.ts) or drawn by Cornerstone, whichever came first. */
  private firstFrameMarked = false;
  /** Cornerstone has drawn frame 1 of this showing (`fluorolens:first-render`). */
  private firstFrameRendered = false;
  /** Why this showing's first paint did not reach the screen first, if it did not. */
  private paintMissed: string | null = null;
  /** Renders of this viewport so far (IMAGE_RENDERED), whatever they drew. */
  private rendersSeen = 0;
  /** Whether this pane's canvas has ever had an image drawn on it. */
  private imageEverShown = false;
  private runDecodedMarked = false;
  /** 'all' decodes the whole run after opening; 'window' only frames ahead of the play head (long runs). */
  private decodeMode: DecodeMode = 'all';
  private inFlight = new Set<number>();
  /** Frames in playback order after a frame; set by the playback controller while it plays. */
  private playbackOrder: ((frame: number, count: number) => number[]) | null = null;
  /** While cine playback drives this viewport, frame changes arrive through showPlaybackFrame only (the session lags behind on purpose). */
  private drivenByPlayback = false;
  /** Resolves when frame 1 of the current showing is on screen, painted or drawn (or cannot be): the rest of the run then starts decoding. */
  private firstFrameShown: Promise<void> = Promise.resolve();
  /** Resolves once the viewport has the current run's stack (setStack called), which may follow frame 1's paint. */
  private stackGiven: Promise<void> = Promise.resolve();
  private resolveStackGiven: () => void = () => undefined;
  private resolveFirstFrame: () => void = () => undefined;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private lastProgressAt = 0;
  /** The frames a windowed run wants decoded now, nearest the play head first. */
  private windowWanted: number[] = [];

  constructor(
    readonly viewportId: string,
    element: HTMLDivElement,
    private readonly events: StackControllerEvents = {},
  ) {
    const re = renderingEngine();
    re.enableElement({ viewportId, type: Enums.ViewportType.STACK, element, defaultOptions: { background: PANE_BACKGROUND } });
    this.viewport = re.getViewport(viewportId) as StackViewport;
    attachToolGroup(viewportId, re.id);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, this.handleRendered);
    // A window set over a VOI LUT (a drag, a preset, subtraction) is drawn as a window.
    element.addEventListener(Enums.Events.VOI_MODIFIED, () => dropVoiLutIfWindowed(this.viewport));
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, this.followImageLuts);
    void warmUpRendering(re);
    // Keeps the image fitted (or as zoomed, relative to fitted) when the pane changes size.
    this.resizeObserver = new ResizeObserver(() => resizeKeepingViewPresentation());
    this.resizeObserver.observe(element);
  }

  get currentRun(): OpenedRun | null {
    return this.run;
  }

  async showRun(run: OpenedRun, frame = 1): Promise<void> {
    const generation = ++this.generation;
    this.run = run;
    this.imageIds = this.frameIdsFor(run);
    this.frameStates = run.frames.map((ref) => (ref.ok ? 'pending' : 'failed'));
    this.firstFrameMarked = false;
    this.firstFrameRendered = false;
    this.paintMissed = null;
    this.runDecodedMarked = false;
    this.firstFrameRange = null;
    this.windowWanted = [];
    this.cancelProgress();
    awaitingFirstFrame.add(this);
    this.firstFrameShown = new Promise((resolve) => (this.resolveFirstFrame = resolve));
    // Waiters for the last run's stack go on (and find the run changed).
    this.resolveStackGiven();
    this.stackGiven = new Promise((resolve) => (this.resolveStackGiven = resolve));
    performance.mark('fluorolens:show-run', { detail: { run: run.key } });
    this.clearLastRun();
    const showFrame = Math.min(Math.max(1, frame), this.imageIds.length);
    this.inFlight = new Set();
    this.decodeMode = decodeModeFor(this.imageIds.length, decodedFrameBytes(run.info), DECODED_CACHE_BYTES);
    // A windowed run's progress is about its window from the first report on (frame 1 decoded), never about the whole run.
    if (this.decodeMode === 'window') this.windowWanted = this.windowFrom(showFrame, run);
    // Frame 1 first, alone: its read and decode start now and nothing else is queued before it is on screen.
    if (this.frameStates[showFrame - 1] !== 'failed') {
      this.inFlight.add(showFrame);
      const beforeResolve: BeforeResolve = (image) => {
        if (generation !== this.generation) return;
        // For the bench's breakdown of the first frame: read and decoded, not yet drawn.
        performance.mark('fluorolens:first-frame-decoded', { detail: { run: run.key } });
        return this.paintFirstFrame(generation, showFrame, image);
      };
      const loaded = this.decodeFrame(generation, showFrame, { ...FIRST_FRAME_LOAD, beforeResolve });
      void loaded.finally(() => this.inFlight.delete(showFrame));
      // A frame made on this thread and painted first goes to the screen before Cornerstone is
      // given the run: setStack's synchronous part (10–20 ms here) would otherwise hold its bytes
      // when they arrive, then its paint. One decoded in a worker does not wait: setStack runs
      // while it is read (A/B: J2K's first frame 20 ms later when setStack followed its paint).
      if (this.paintedHere(run, showFrame)) {
        await Promise.race([loaded, delay(FIRST_FRAME_AHEAD_MAX_MS)]);
        if (generation !== this.generation) return;
      }
    }
    try {
      // A window the user set on the last run is not this run's (applyDefaultVoi sets one when the file has none).
      releaseSetWindow(this.viewport);
      leaveVoiLut(this.viewport);
      const stackSet = this.setStackWithoutFill(showFrame);
      this.resolveStackGiven();
      await stackSet;
      if (generation !== this.generation) return;
      this.viewport.resetCamera();
      this.applyDefaultVoi();
      this.applyFileInversion();
      this.viewport.render();
    } catch (error) {
      if (!(error instanceof FrameLoadCancelled)) this.recordFailure(generation, showFrame, reasonOf(error));
      if (generation === this.generation) this.firstFrameSettled();
    }
    await Promise.race([this.firstFrameShown, delay(FIRST_FRAME_WAIT_MS)]);
    if (generation !== this.generation) return;
    // Frames the index already knows are unreadable are reported now, after the first paint.
    run.frames.forEach((ref, i) => {
      if (!ref.ok) this.events.onFrameFailed?.(run.key, i + 1, ref.reason);
    });
    if (this.decodeMode === 'all') void this.decodeAll(generation, showFrame);
    else this.decodeAhead(this.currentFrame());
  }

  /**
   * setStack, without its fill of the canvas with the background: showRun clears the last run's
   * pixels itself when it starts (clearLastRun), and setStack may come after frame 1 is painted.
   * While the pane has never shown an image there is nothing to clear (the canvas is still blank
   * over the pane's black), and the fill changed the page: on software GL its frame took the GPU
   * process 60–80 ms to present, and frame 1's draw waited for it.
   */
  private setStackWithoutFill(showFrame: number): Promise<string> {
    const viewport = this.viewport as unknown as { fillWithBackgroundColor?: () => void };
    const skip = typeof viewport.fillWithBackgroundColor === 'function';
    if (skip) viewport.fillWithBackgroundColor = () => undefined;
    try {
      // The fill is in setStack's synchronous part, so it is restored before anything else runs.
      return this.viewport.setStack(this.imageIds, showFrame - 1);
    } finally {
      if (skip) delete viewport.fillWithBackgroundColor;
    }
  }

  /**
   * Whether frame `frame` of the run is made on this thread (native, or RLE decoded here) and is
   * likely to be painted first (paintableFirst decides once it is made).
   */
  private paintedHere(run: OpenedRun, frame: number): boolean {
    const imageId = this.imageIds[frame - 1];
    const ref = run.frames[frame - 1];
    if (!ref?.ok || !isPlainGrayscale(imageId) || !hasLinearVoi(run.info)) return false;
    return buildsNativeImage(imageId, ref.transferSyntaxUID) || decodesHere(imageId, ref.transferSyntaxUID);
  }

  /** The last run's pixels go the moment another run is shown: they are never seen under the new run's name. */
  private clearLastRun() {
    if (this.imageEverShown) renderingEngine().fillCanvasWithBackgroundColor(this.viewport.getCanvas(), PANE_BACKGROUND);
  }

  /** Cornerstone has drawn frame 1, or it cannot be drawn: the chrome and thumbnails held back for it may go. */
  private firstFrameSettled() {
    if (this.run) firstSettle();
    awaitingFirstFrame.delete(this);
    this.resolveFirstFrame();
    settleFirstFrameWaiters();
  }

  /** Image ids for a run's frames: raw, or those of a pixel transform (subtraction) the display layer chose. */
  private frameIds: ((run: OpenedRun, frame: number) => string) | null = null;
  /** The window the transformed frames were shown with (Reset returns to it). */
  private transformWindow: { lower: number; upper: number } | null = null;

  private frameIdsFor(run: OpenedRun): string[] {
    const map = this.frameIds;
    return map ? run.frames.map((_, i) => map(run, i + 1)) : imageIdsFor(run);
  }

  /**
   * Shows the run through other image ids (a subtraction setting), or raw again with null, at
   * the same frame, keeping zoom, pan, rotation, flips and inversion; `voiRange` is the window to
   * show them with, asked once the first of them is made. Every frame is derived ahead as it is
   * decoded for a raw run.
   */
  async setFrameIds(
    map: ((run: OpenedRun, frame: number) => string) | null,
    windowOf?: () => { lower: number; upper: number } | null,
  ): Promise<void> {
    this.frameIds = map;
    const run = this.run;
    if (!run) return;
    const generation = ++this.generation;
    const frame = this.currentFrame();
    const camera = this.viewport.getCamera();
    const { invert } = this.viewport.getProperties();
    this.imageIds = this.frameIdsFor(run);
    this.inFlight = new Set();
    try {
      releaseSetWindow(this.viewport);
      leaveVoiLut(this.viewport);
      await this.viewport.setStack(this.imageIds, frame - 1);
      if (generation !== this.generation) return;
      this.viewport.setCamera(camera);
      const voiRange = windowOf?.() ?? null;
      this.transformWindow = voiRange;
      this.viewport.setProperties({ invert, ...(voiRange ? { voiRange } : {}) });
      if (!voiRange) this.applyDefaultVoi();
      alignTransferFunctionWithInvert(this.viewport);
      this.viewport.render();
    } catch (error) {
      this.recordFailure(generation, frame, reasonOf(error));
    }
    if (this.decodeMode === 'all') void this.decodeAll(generation, frame);
    else this.decodeAhead(frame);
  }

  async setFrame(frame: number): Promise<void> {
    if (this.drivenByPlayback) return;
    return this.showFrame(frame);
  }

  /** Playback's way in: shows a frame even while playback drives the viewport. */
  showPlaybackFrame(frame: number): Promise<void> {
    return this.showFrame(frame);
  }

  setDrivenByPlayback(driven: boolean): void {
    this.drivenByPlayback = driven;
  }

  private async showFrame(frame: number): Promise<void> {
    if (!this.run) return;
    const generation = this.generation;
    // Until showRun has given the viewport the run's stack, it still holds the last run's.
    await this.stackGiven;
    if (generation !== this.generation) return;
    const index = Math.min(Math.max(1, frame), this.imageIds.length) - 1;
    if (this.viewport.getCurrentImageIdIndex() === index) return;
    if (this.decodeMode === 'window') this.decodeAhead(index + 1);
    try {
      // Started here so a failure is handled (see loadFrameImage); the viewport then finds it cached.
      if (this.frameStates[index] !== 'failed') await loadFrameImage(this.imageIds[index], FIRST_FRAME_LOAD);
      if (generation !== this.generation) return;
      await this.viewport.setImageIdIndex(index);
    } catch (error) {
      if (!(error instanceof FrameLoadCancelled) && !(error instanceof ReadInterruptedError))
        this.recordFailure(generation, index + 1, reasonOf(error));
    }
  }

  /**
   * The window the run opens with: the file's first Window Center/Width, else the value range of
   * the first frame shown. Fixed for the whole run, so a cine without a stored window does not
   * flicker as each frame would otherwise be stretched to its own min/max.
   */
  defaultVoiRange(): { lower: number; upper: number; lut?: VoiLut } | null {
    if (this.frameIds && this.transformWindow) return this.transformWindow;
    // Null: each frame in its own image's window (Reset lets Cornerstone take it from the image).
    const voi = this.run?.info.voi;
    if (voi?.perImage) return null;
    const window = voi?.windows[0];
    if (voi && window) return rangeFromWindow(window.width, window.center, voiFunctionOf(voi));
    const lut = voi && !this.frameIds ? openingVoiLut(voi, this.currentFrame()) : null;
    if (lut) return { ...voiLutInputRange(lut), lut };
    return this.firstFrameRange;
  }

  private firstFrameRange: { lower: number; upper: number } | null = null;

  /**
   * Each frame in its own image's window again, after the user set one (a series whose images
   * store different windows; the window preset "Image's own").
   */
  followImageWindows(): void {
    const run = this.run;
    const window = run && windowsOfFrame(run.info.voi, this.currentFrame())[0];
    if (!window) return;
    this.viewport.setProperties({ voiRange: rangeFromWindow(window.width, window.center, voiFunctionOf(run.info.voi)) });
    releaseSetWindow(this.viewport);
    this.viewport.render();
  }

  private applyDefaultVoi() {
    const run = this.run;
    if (!run || run.info.voi.windows.length) return; // Cornerstone applies the file's window itself.
    const image = this.viewport.getCornerstoneImage();
    if (!image) return;
    // Subtracted frames hold differences, which the file's LUT was not drawn for.
    const lut = this.frameIds ? null : openingVoiLut(run.info.voi, this.currentFrame());
    if (lut) return showVoiLut(this.viewport, lut);
    // The same rule as the first paint's and the exports' opening window (firstPaint.ts).
    const { lower, upper } = openingDisplayOf(run.info, () => ({
      min: image.minPixelValue * image.slope + image.intercept,
      max: image.maxPixelValue * image.slope + image.intercept,
    }));
    this.firstFrameRange = { lower, upper };
    this.viewport.setProperties({ voiRange: this.firstFrameRange });
  }

  /**
   * setStack inverts MONOCHROME1 only; a MONOCHROME2 file whose Presentation LUT Shape is INVERSE
   * asks to be shown inverted too (presentationLut.ts), as the first paint already drew it.
   */
  private applyFileInversion() {
    const run = this.run;
    if (!run) return;
    const invert = opensInverted(run.info);
    if (Boolean(this.viewport.getProperties().invert) !== invert) this.viewport.setProperties({ invert });
  }

  /** True when the frame is decoded and in the cache, so showing it costs no decode. */
  isFrameReady(frame: number): boolean {
    const imageId = this.imageIds[frame - 1];
    return imageId !== undefined && this.frameStates[frame - 1] !== 'failed' && cache.getImage(imageId) !== undefined;
  }

  get decoding(): DecodeMode {
    return this.decodeMode;
  }

  setPlaybackOrder(order: ((frame: number, count: number) => number[]) | null): void {
    this.playbackOrder = order;
  }

  /** The frames a windowed run keeps decoded when `frame` is on screen: it, then the next ones in playback order. */
  private windowFrom(frame: number, run: OpenedRun): number[] {
    const count = windowFrames(decodedFrameBytes(run.info), DECODED_CACHE_BYTES);
    return [frame, ...(this.playbackOrder?.(frame, count) ?? framesForwardFrom(frame + 1, this.imageIds.length, count))];
  }

  /** Long runs: keeps the next frames after `frame` (in playback order) decoded; older ones age out of the LRU cache. */
  decodeAhead(frame: number): void {
    if (this.decodeMode !== 'window' || !this.run) return;
    const wanted = this.windowFrom(frame, this.run);
    const moved = wanted[0] !== this.windowWanted[0] || wanted.at(-1) !== this.windowWanted.at(-1);
    this.windowWanted = wanted;
    if (moved) this.reportProgress();
    const status = (f: number) =>
      this.frameStates[f - 1] === 'failed' ? 'failed' : this.inFlight.has(f) ? 'loading' : this.isFrameReady(f) ? 'ready' : 'missing';
    const generation = this.generation;
    for (const next of framesToRequest(wanted, status, PREFETCH_IN_FLIGHT - this.inFlight.size)) {
      this.inFlight.add(next);
      void this.decodeFrame(generation, next, PREFETCH_LOAD).finally(() => {
        if (generation !== this.generation) return;
        this.inFlight.delete(next);
        this.decodeAhead(this.currentFrame());
      });
    }
  }

  currentFrame(): number {
    return this.viewport.getCurrentImageIdIndex() + 1;
  }

  afterNextRender(callback: (frame: number) => void): void {
    this.renderWaiters.push(callback);
  }

  /** Called at the next render (afterNextRender). */
  private renderWaiters: Array<(frame: number) => void> = [];

  destroy(): void {
    this.renderWaiters = [];
    this.generation++;
    this.resolveStackGiven();
    this.cancelProgress();
    this.firstFrameSettled();
    this.resizeObserver.disconnect();
    this.viewport.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.handleRendered);
    this.viewport.element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, this.followImageLuts);
    detachToolGroup(this.viewportId);
    renderingEngine().disableElement(this.viewportId);
  }

  /**
   * A series whose images each store their own VOI LUTs: while the viewport shows one of them (no
   * window set), each frame is shown through its image's table at the same place in its list.
   */
  private followImageLuts = () => {
    const voi = this.run?.info.voi;
    if (!voi?.perImageLuts || this.frameIds) return;
    const shown = voiLutShown(this.viewport);
    const next = shown && lutFollowing(voi, shown, this.currentFrame());
    if (!next || showsVoiLut(shown, next)) return;
    showVoiLut(this.viewport, next);
    this.viewport.render();
  };

  private handleRendered = () => {
    this.rendersSeen++;
    if (!this.run) return;
    const frame = this.currentFrame();
    if (this.renderWaiters.length > 0) for (const callback of this.renderWaiters.splice(0)) callback(frame);
    if (!this.firstFrameRendered && this.frameStates[frame - 1] !== 'failed' && this.viewport.getImageData()) {
      this.firstFrameRendered = true;
      this.imageEverShown = true;
      delete this.viewport.element.dataset.firstPaint;
      this.markFirstFrame(frame, 'cornerstone');
      performance.mark('fluorolens:first-render', { detail: { run: this.run.key, frame } });
      this.firstFrameSettled();
    }
  };

  /**
   * `by`: who put frame 1 on screen first, the first paint or Cornerstone's render; `paint`: why a
   * first paint that was made did not count (for the bench and tests).
   */
  private markFirstFrame(frame: number, by: 'first-paint' | 'cornerstone') {
    if (this.firstFrameMarked || !this.run) return;
    this.firstFrameMarked = true;
    const detail = { run: this.run.key, frame, by, ...(this.paintMissed ? { paint: this.paintMissed } : {}) };
    performance.mark('fluorolens:first-frame', { detail });
    this.resolveFirstFrame();
  }

  /**
   * Frame 1, decoded, painted into the pane's canvas at once (firstPaint.ts) when its display is
   * known without Cornerstone; the load then resolves (and Cornerstone starts on the frame) only
   * after the next animation frame has taken the paint to the screen. The pane's annotation layer
   * is hidden until Cornerstone has drawn the run: it may still hold the last run's marks.
   */
  private paintFirstFrame(generation: number, frame: number, image: Types.IImage): Promise<void> | void {
    const run = this.run;
    if (!run || this.firstFrameRendered) return;
    if (!paintableFirst(image, run.info, isPlainGrayscale(image.imageId), storedValuesOf(image) !== undefined)) return;
    const plane = metaData.get(Enums.MetadataModules.IMAGE_PLANE, image.imageId) as
      { rowPixelSpacing?: number; columnPixelSpacing?: number } | undefined;
    const spacing = { row: plane?.rowPixelSpacing || 1, column: plane?.columnPixelSpacing || 1 };
    const display = openingDisplayOf(run.info, () => ({ min: image.minPixelValue, max: image.maxPixelValue }), frame);
    const canvas = this.viewport.getCanvas();
    // A failure here is logged by the loader (BeforeResolve) and Cornerstone's render shows the frame.
    const painted = paintFrame(canvas, image, display, spacing);
    if (!painted) return;
    this.viewport.element.dataset.firstPaint = '';
    this.viewport.element.dispatchEvent(new CustomEvent<FirstPaintDetail>(FIRST_PAINT_EVENT, { detail: painted, bubbles: true }));
    const size = `${canvas.width}×${canvas.height}`;
    const rendersBefore = this.rendersSeen;
    return afterNextFrame((shown) => {
      if (generation !== this.generation) return;
      // A resize clears the canvas, and any render of Cornerstone's draws over the paint: then
      // the paint is not what reaches the screen, and Cornerstone's render of frame 1 marks it.
      if (!shown) this.paintMissed = 'no animation frame came';
      else if (size !== `${canvas.width}×${canvas.height}`) this.paintMissed = 'the canvas was resized';
      else if (this.rendersSeen !== rendersBefore) this.paintMissed = 'a render drew over it';
      else this.markFirstFrame(frame, 'first-paint');
    });
  }

  private recordFailure(generation: number, frame: number, reason: string) {
    if (generation !== this.generation || !this.run) return;
    this.frameStates[frame - 1] = 'failed';
    this.events.onFrameFailed?.(this.run.key, frame, reason);
  }

  /** Progress to the session at most every PROGRESS_INTERVAL_MS (and at once when the run is done); the run-decoded mark at once. */
  private reportProgress() {
    if (!this.run) return;
    const progress = this.progress();
    if (progress.decoded + progress.failed === progress.total && !this.runDecodedMarked) {
      // Once per showing: a windowed run re-decodes frames that aged out of the cache.
      this.runDecodedMarked = true;
      performance.mark('fluorolens:run-decoded', { detail: { run: this.run.key, decoded: progress.decoded, failed: progress.failed } });
    }
    // A run decoded whole has no window: only its last frame makes it done, else the interval holds.
    const windowFull = progress.window !== undefined && progress.window.ready === progress.window.size;
    const done = progress.decoded + progress.failed === progress.total || windowFull;
    const wait = this.lastProgressAt + PROGRESS_INTERVAL_MS - performance.now();
    if (done || wait <= 0) {
      this.cancelProgress();
      this.lastProgressAt = performance.now();
      this.events.onProgress?.(progress);
    } else {
      this.progressTimer ??= setTimeout(() => {
        this.progressTimer = null;
        this.reportProgress();
      }, wait);
    }
  }

  private cancelProgress() {
    if (this.progressTimer !== null) clearTimeout(this.progressTimer);
    this.progressTimer = null;
  }

  private progress(): DecodeProgress {
    let decoded = 0;
    let failed = 0;
    for (const state of this.frameStates) {
      if (state === 'decoded') decoded++;
      else if (state === 'failed') failed++;
    }
    const progress: DecodeProgress = { runKey: this.run!.key, decoded, failed, total: this.frameStates.length };
    if (this.decodeMode === 'window' && this.windowWanted.length > 0) {
      const wanted = this.windowWanted;
      progress.window = {
        first: wanted[0],
        last: wanted[wanted.length - 1],
        size: wanted.length,
        ready: wanted.filter((f) => this.frameStates[f - 1] === 'failed' || this.isFrameReady(f)).length,
      };
    }
    return progress;
  }

  /** Decodes every frame after the shown one (already loading), wrapping round, a few at a time so both workers stay busy. */
  private async decodeAll(generation: number, firstFrame: number) {
    const order = this.imageIds.map((_, i) => ((firstFrame - 1 + i) % this.imageIds.length) + 1).slice(1);
    let next = 0;
    const worker = async () => {
      while (next < order.length && generation === this.generation) {
        const frame = order[next++];
        if (this.frameStates[frame - 1] !== 'pending') continue;
        await this.decodeFrame(generation, frame, WHOLE_RUN_LOAD);
      }
    };
    this.reportProgress();
    await Promise.all(Array.from({ length: PREFETCH_IN_FLIGHT }, worker));
    if (this.run) forgetChunks(this.run);
  }

  /**
   * Decodes one frame into the cache. A run closed meanwhile drops it; an interrupted read is
   * tried again before the frame is reported failed (and then as a failed read, not a bad file).
   */
  private async decodeFrame(generation: number, frame: number, load: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await loadFrameImage(this.imageIds[frame - 1], load);
        if (generation !== this.generation) return;
        this.frameStates[frame - 1] = 'decoded';
        break;
      } catch (error) {
        if (generation !== this.generation || error instanceof FrameLoadCancelled) return;
        if (error instanceof ReadInterruptedError && attempt < READ_RETRY_DELAYS_MS.length) {
          await delay(READ_RETRY_DELAYS_MS[attempt]);
          if (generation !== this.generation) return;
          continue;
        }
        this.recordFailure(generation, frame, reasonOf(error));
        break;
      }
    }
    this.reportProgress();
  }
}
