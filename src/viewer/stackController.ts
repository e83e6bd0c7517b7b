/**
 * One pane's Cornerstone stack viewport and the run it shows: which frames are decoded, which
 * failed, and what to decode next (every frame after opening, or a window ahead of the play head
 * for runs too long for the cache). The state layer creates one per pane (state/viewports.ts) and
 * tells it which run and frame to show; cine playback drives it through PlaybackTarget.
 * Marks `fluorolens:first-frame` and `fluorolens:run-decoded`.
 */
import { Enums, cache, imageLoader, type StackViewport, type Types } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { DECODED_CACHE_BYTES } from './cornerstoneSetup';
import { renderingEngine } from './engine';
import { imageIdsFor } from './imageIds';
import { rangeFromWindow } from './probeMath';
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
}

export interface StackControllerEvents {
  onProgress?(progress: DecodeProgress): void;
  onFrameFailed?(runKey: string, frame: number, reason: string): void;
}

const PREFETCH_IN_FLIGHT = 6;

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
  private firstFrameMarked = false;
  private runDecodedMarked = false;
  /** 'all' decodes the whole run after opening; 'window' only frames ahead of the play head (long runs). */
  private decodeMode: DecodeMode = 'all';
  private inFlight = new Set<number>();
  /** Frames in playback order after a frame; set by the playback controller while it plays. */
  private playbackOrder: ((frame: number, count: number) => number[]) | null = null;
  /** While cine playback drives this viewport, frame changes arrive through showPlaybackFrame only (the session lags behind on purpose). */
  private drivenByPlayback = false;

  constructor(
    readonly viewportId: string,
    element: HTMLDivElement,
    private readonly events: StackControllerEvents = {},
  ) {
    const re = renderingEngine();
    re.enableElement({ viewportId, type: Enums.ViewportType.STACK, element, defaultOptions: { background: [0, 0, 0] as Types.Point3 } });
    this.viewport = re.getViewport(viewportId) as StackViewport;
    attachToolGroup(viewportId, re.id);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, this.handleRendered);
    // Keeps the image fitted when the pane changes size.
    this.resizeObserver = new ResizeObserver(() => renderingEngine().resize(true, true));
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
    this.runDecodedMarked = false;
    this.firstFrameRange = null;
    performance.mark('fluorolens:show-run', { detail: { run: run.key } });
    // Frames the index already knows are unreadable are reported at once, not when reached.
    run.frames.forEach((ref, i) => {
      if (!ref.ok) this.events.onFrameFailed?.(run.key, i + 1, ref.reason);
    });
    const showFrame = Math.min(Math.max(1, frame), this.imageIds.length);
    this.inFlight = new Set();
    this.decodeMode = decodeModeFor(this.imageIds.length, decodedFrameBytes(run.info), DECODED_CACHE_BYTES);
    if (this.decodeMode === 'all') void this.decodeAll(generation, showFrame);
    else this.decodeAhead(showFrame);
    try {
      await this.viewport.setStack(this.imageIds, showFrame - 1);
      if (generation !== this.generation) return;
      this.viewport.resetCamera();
      this.applyDefaultVoi();
      this.viewport.render();
    } catch (error) {
      this.recordFailure(generation, showFrame, reasonOf(error));
    }
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
      await this.viewport.setStack(this.imageIds, frame - 1);
      if (generation !== this.generation) return;
      this.viewport.setCamera(camera);
      const voiRange = windowOf?.() ?? null;
      this.transformWindow = voiRange;
      this.viewport.setProperties({ invert, ...(voiRange ? { voiRange } : {}) });
      if (!voiRange) this.applyDefaultVoi();
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
    const index = Math.min(Math.max(1, frame), this.imageIds.length) - 1;
    if (this.viewport.getCurrentImageIdIndex() === index) return;
    if (this.decodeMode === 'window') this.decodeAhead(index + 1);
    try {
      await this.viewport.setImageIdIndex(index);
    } catch (error) {
      this.recordFailure(this.generation, index + 1, reasonOf(error));
    }
  }

  /**
   * The window the run opens with: the file's first Window Center/Width, else the value range of
   * the first frame shown. Fixed for the whole run, so a cine without a stored window does not
   * flicker as each frame would otherwise be stretched to its own min/max.
   */
  defaultVoiRange(): { lower: number; upper: number } | null {
    if (this.frameIds && this.transformWindow) return this.transformWindow;
    const window = this.run?.info.voi.windows[0];
    if (window) return rangeFromWindow(window.width, window.center);
    return this.firstFrameRange;
  }

  private firstFrameRange: { lower: number; upper: number } | null = null;

  private applyDefaultVoi() {
    if (this.run?.info.voi.windows.length) return; // Cornerstone applies the file's window itself.
    const image = this.viewport.getCornerstoneImage();
    if (!image) return;
    const lower = image.minPixelValue * image.slope + image.intercept;
    const upper = image.maxPixelValue * image.slope + image.intercept;
    this.firstFrameRange = upper > lower ? { lower, upper } : { lower: lower - 1, upper: lower + 1 };
    this.viewport.setProperties({ voiRange: this.firstFrameRange });
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

  /** Long runs: keeps the next frames after `frame` (in playback order) decoded; older ones age out of the LRU cache. */
  decodeAhead(frame: number): void {
    if (this.decodeMode !== 'window' || !this.run) return;
    const count = windowFrames(decodedFrameBytes(this.run.info), DECODED_CACHE_BYTES);
    const wanted = [frame, ...(this.playbackOrder?.(frame, count) ?? framesForwardFrom(frame + 1, this.imageIds.length, count))];
    const status = (f: number) =>
      this.frameStates[f - 1] === 'failed' ? 'failed' : this.inFlight.has(f) ? 'loading' : this.isFrameReady(f) ? 'ready' : 'missing';
    const generation = this.generation;
    for (const next of framesToRequest(wanted, status, PREFETCH_IN_FLIGHT - this.inFlight.size)) {
      this.inFlight.add(next);
      void this.decodeFrame(generation, next).finally(() => {
        if (generation !== this.generation) return;
        this.inFlight.delete(next);
        this.decodeAhead(this.currentFrame());
      });
    }
  }

  currentFrame(): number {
    return this.viewport.getCurrentImageIdIndex() + 1;
  }

  destroy(): void {
    this.generation++;
    this.resizeObserver.disconnect();
    this.viewport.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.handleRendered);
    detachToolGroup(this.viewportId);
    renderingEngine().disableElement(this.viewportId);
  }

  private handleRendered = () => {
    if (!this.run) return;
    const frame = this.currentFrame();
    if (!this.firstFrameMarked && this.frameStates[frame - 1] !== 'failed' && this.viewport.getImageData()) {
      this.firstFrameMarked = true;
      performance.mark('fluorolens:first-frame', { detail: { run: this.run.key, frame } });
    }
  };

  private recordFailure(generation: number, frame: number, reason: string) {
    if (generation !== this.generation || !this.run) return;
    this.frameStates[frame - 1] = 'failed';
    this.events.onFrameFailed?.(this.run.key, frame, reason);
  }

  private reportProgress() {
    if (!this.run) return;
    let decoded = 0;
    let failed = 0;
    for (const state of this.frameStates) {
      if (state === 'decoded') decoded++;
      else if (state === 'failed') failed++;
    }
    this.events.onProgress?.({ runKey: this.run.key, decoded, failed, total: this.frameStates.length });
    // Once per showing: a windowed run re-decodes frames that aged out of the cache.
    if (decoded + failed === this.frameStates.length && !this.runDecodedMarked) {
      this.runDecodedMarked = true;
      performance.mark('fluorolens:run-decoded', { detail: { run: this.run.key, decoded, failed } });
    }
  }

  /** Decodes every frame, the shown one first, a few at a time so both workers stay busy. */
  private async decodeAll(generation: number, firstFrame: number) {
    const order = this.imageIds.map((_, i) => ((firstFrame - 1 + i) % this.imageIds.length) + 1);
    const runKey = this.run?.key;
    let next = 0;
    const worker = async () => {
      while (next < order.length && generation === this.generation) {
        const frame = order[next++];
        if (this.frameStates[frame - 1] === 'failed') continue;
        await this.decodeFrame(generation, frame);
        if (generation !== this.generation || this.run?.key !== runKey) return;
      }
    };
    this.reportProgress();
    await Promise.all(Array.from({ length: PREFETCH_IN_FLIGHT }, worker));
  }

  private async decodeFrame(generation: number, frame: number): Promise<void> {
    try {
      await imageLoader.loadAndCacheImage(this.imageIds[frame - 1], { priority: 5, requestType: Enums.RequestType.Prefetch });
      if (generation !== this.generation) return;
      this.frameStates[frame - 1] = 'decoded';
    } catch (error) {
      this.recordFailure(generation, frame, reasonOf(error));
    }
    if (generation === this.generation) this.reportProgress();
  }
}
