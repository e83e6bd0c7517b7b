import { fnv1aPixelHash } from '../dicom/pixelHash';
import { setKeyframe, type Geometry } from '../annotations/model';
import { apply, exportDocument, importDocument, redo, undo } from '../state/documents';
import { runByKey, session } from '../state/session';
import { decodedCacheBytes } from '../viewer/cornerstoneSetup';
import { imageIdFor } from '../viewer/imageIds';
import { decodeTimesInCache, decodedFramesInCache, decodedPixels, sampleDisplayedPixels, viewportVoiRange } from '../viewer/inspect';
import { playbackStats } from '../state/panePlayers';
import { imagePointToClient } from '../viewer/review';
import { storedPixelsOf } from '../viewer/modalityLutDisplay';
import { frameOnScreen, shownInViewport } from '../annotations/tools';
import { stackViewport } from '../viewer/engine';

/**
 * A small window into the app for browser tests and the bench: which runs are open, what
 * Cornerstone decoded for a frame (read back from its image cache), what the viewports show.
 * These read and never change anything.
 *
 * drawKeyframe, importAnnotations and undoRedo change documents: they exist only in builds made
 * for the browser tests (`npm run build:test`, Vite mode `browser-test`, which sets
 * VITE_FLUOROLENS_TEST_HOOKS=on); `npm run build` leaves them out of the bundle
 * (tests/unit/production-build.test.ts checks it).
 */
export interface FluoroLensHooks {
  runs(): Array<{ key: string; files: string[]; frames: number; rows: number; columns: number; failed: number[] }>;
  /** The panes, in order: the run each shows (null: none) and its frame. */
  panes(): Array<{ id: string; runKey: string | null; frame: number }>;
  /** A decoded frame's pixels: hash, length, range and first values, and the range its image reports. */
  decodedFrame(
    runKey: string,
    frame: number,
  ): Promise<{ hash: string; length: number; min: number; max: number; head: number[]; imageRange: { min: number; max: number } }>;
  /** Stored value and displayed gray level at a grid of image points of the main viewport's frame. */
  displaySamples(grid: number): Array<{ stored: number; shown: number }>;
  /** The VOI range (modality values) the pane's viewport displays with now. */
  viewportVoi(paneId?: string): { lower: number; upper: number } | null;
  /** Bytes of decoded frames held in Cornerstone's image cache. */
  decodedCacheBytes(): number;
  /**
   * How many frames of a run are decoded in the cache now (long runs keep only a window ahead of
   * the play head); of a run no longer open, of its first `frameCount` frames.
   */
  decodedFramesInCache(runKey: string, frameCount?: number): number;
  /** The codec's decode time (ms, as the decoder measured it) of each frame of a run in the cache (the bench's codec time). */
  decodeTimes(runKey: string): number[];
  /** Frames the pane's cine player has shown and dropped since Play (live while playing). */
  playbackStats(paneId?: string): { shown: number; dropped: number; stalls: number };
  /** The run's annotation document as exported (versioned JSON), or null before it exists. */
  annotations(runKey: string): string | null;
  /** Test builds only. Stand-in for a drawing tool in tests: puts geometry on a track at a frame (one undo step). */
  drawKeyframe(runKey: string, trackId: string, frame: number, geometry: Geometry): void;
  /** Test builds only. Stand-in for the Import annotations button: returns the error, or null when imported. */
  importAnnotations(runKey: string, text: string): string | null;
  /** Test builds only. Stand-in for the Undo / Redo buttons. */
  undoRedo(runKey: string, which: 'undo' | 'redo'): void;
  /** The decoded array value at a pixel (column, row 0-based) of a frame: the stored value unless rescaled on decode. */
  pixelValue(runKey: string, frame: number, column: number, row: number): Promise<number>;
  /** Page (client) position of an image point of the pane's current frame; pixel (c, r) has its centre at (c+0.5, r+0.5). */
  imagePointOnPage(paneId: string, x: number, y: number): { x: number; y: number } | null;
  /** The frame the pane's Cornerstone viewport shows and the annotation tracks mirrored onto it. */
  annotationsShown(paneId: string): { frame: number; tracks: Array<{ trackId: string; kind: string; source: string }> } | null;
  /** The frame whose pixels the pane last drew (a press belongs to it), or null before any. */
  frameDrawn(paneId: string): number | null;
}

declare global {
  interface Window {
    __fluorolens?: FluoroLensHooks;
  }
}

export function installTestHooks(): void {
  window.__fluorolens = {
    panes: () => session.getState().panes.map(({ id, runKey, frame }) => ({ id, runKey, frame })),
    runs: () =>
      session.getState().runs.map((run) => ({
        key: run.key,
        files: run.fileNames,
        frames: run.info.frameCount,
        rows: run.info.rows,
        columns: run.info.columns,
        failed: Object.keys(session.getState().frameFailures[run.key] ?? {}).map(Number),
      })),
    async decodedFrame(runKey, frame) {
      const { pixels, imageRange } = await decodedPixels(imageIdFor(runKey, frame));
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < pixels.length; i++) {
        const v = pixels[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return {
        hash: fnv1aPixelHash(pixels),
        length: pixels.length,
        min,
        max,
        head: Array.from({ length: Math.min(16, pixels.length) }, (_, i) => pixels[i]),
        imageRange,
      };
    },
    displaySamples: (grid) => sampleDisplayedPixels('main', grid),
    decodedCacheBytes,
    decodedFramesInCache: (runKey, frameCount) => {
      const run = runByKey(runKey);
      return decodedFramesInCache(runKey, run?.frames.length ?? frameCount ?? 0);
    },
    decodeTimes: (runKey) => {
      const run = runByKey(runKey);
      return run ? decodeTimesInCache(run) : [];
    },
    playbackStats: (paneId = 'main') => playbackStats(paneId),
    viewportVoi: (paneId = 'main') => viewportVoiRange(paneId),
    annotations: (runKey) => exportDocument(runKey),
    async pixelValue(runKey, frame, column, row) {
      const run = runByKey(runKey);
      const pixels = await storedPixelsOf(imageIdFor(runKey, frame));
      return pixels[row * (run?.info.columns ?? 0) + column];
    },
    imagePointOnPage: (paneId, x, y) => imagePointToClient(paneId, x, y),
    annotationsShown: (paneId) => shownInViewport(paneId),
    frameDrawn: (paneId) => {
      const viewport = stackViewport(paneId);
      return viewport ? (frameOnScreen(viewport)?.frame ?? null) : null;
    },
    // Statically false in `npm run build`, so the bundler drops these hooks altogether.
    ...(import.meta.env.VITE_FLUOROLENS_TEST_HOOKS === 'on' ? documentChangingHooks() : {}),
  } as FluoroLensHooks;
}

type DocumentChangingHooks = Pick<FluoroLensHooks, 'drawKeyframe' | 'importAnnotations' | 'undoRedo'>;

function documentChangingHooks(): DocumentChangingHooks {
  return {
    drawKeyframe: (runKey, trackId, frame, geometry) => void apply(runKey, setKeyframe(trackId, frame, geometry)),
    importAnnotations(runKey, text) {
      const result = importDocument(runKey, text);
      return result.ok ? null : result.error;
    },
    undoRedo: (runKey, which) => (which === 'undo' ? undo(runKey) : redo(runKey)),
  };
}
