/**
 * Video and picture export of a pane (Export video): the run it shows, its annotations, its play
 * range, frame and display, handed to the capture engine; progress and the outcome in a small
 * store the dialog reads; Cancel aborts. Also the media of a teaching package, for the package
 * export (patient text never drawn).
 */
import type { AnnotationDocument } from '../annotations/model';
import type { OpenedRun } from '../dicom/run';
import type { TeachingRunInput } from '../export/package';
import {
  OPENING_DISPLAY,
  captureRun,
  captureTeachingMedia,
  isCaptureCancelled,
  paneCaptureDisplay,
  type CaptureFormat,
  type CaptureResult,
  type OverlayTextMode,
  type TeachingMedia,
  type TeachingMediaOptions,
} from '../viewer/capture';
import { createStore } from './createStore';
import { display as displayLayers } from './display';
import { documentOf, editingDocumentOf } from './documents';
import { visibleDocument } from './quiz';
import { panePlayback } from './playbackStore';
import { paneById, runOfPane, session } from './session';

export type VideoExportStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface VideoExportState {
  status: VideoExportStatus;
  /** Frames drawn and encoded so far, of `total`. */
  done: number;
  total: number;
  /** What happened, in a sentence (the file made, or why nothing was). */
  message: string;
}

export const videoExport = createStore<VideoExportState>({ status: 'idle', done: 0, total: 0, message: '' });

export interface VideoExportChoice {
  format: CaptureFormat;
  /** 'range': the pane's in/out range (the whole run when none is set). */
  frames: 'range' | 'run';
  /** 1 plays at the run's own timing. */
  speed: number;
  overlay: OverlayTextMode;
}

let running: AbortController | null = null;

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** A sentence for the dialog: "60 frames, 512×512, H.264 avc1.42001f, 1.2 MB". */
export function describeResult(result: CaptureResult): string {
  const frames = result.format === 'png' ? `frame ${result.range.inFrame}` : `${result.frames} frame${result.frames === 1 ? '' : 's'}`;
  return `${frames}, ${result.width}×${result.height}, ${result.encoding}, ${describeSize(result.bytes.length)}`;
}

/**
 * The annotations as the pane draws them: in quiz mode the trainee's practice copy with the asked
 * tracks hidden until Reveal, so an export made during a quiz never burns in the answers.
 */
function shownDocument(runKey: string): AnnotationDocument | null {
  const doc = editingDocumentOf(runKey);
  return doc ? visibleDocument(runKey, doc) : null;
}

/**
 * Exports what the pane shows. Resolves with the file (the caller saves it), or null when
 * cancelled, failed (the store says why) or when the pane shows no run.
 */
export async function exportPaneVideo(
  paneId: string,
  choice: VideoExportChoice,
): Promise<{ run: OpenedRun; result: CaptureResult } | null> {
  const state = session.getState();
  const run = runOfPane(state, paneId);
  if (!run || running) return null;
  const controller = new AbortController();
  running = controller;
  const view = panePlayback(paneId);
  const request = {
    run,
    document: shownDocument(run.key),
    format: choice.format,
    range: choice.frames === 'range' ? view.range : null,
    frame: paneById(state, paneId)?.frame ?? 1,
    speed: choice.speed,
    display: paneCaptureDisplay(paneId) ?? OPENING_DISPLAY,
    overlay: choice.overlay,
    // The files' overlay planes as the panes show them (the Display bar's switch).
    overlayPlanes: displayLayers.getState().overlayPlanes,
  };
  videoExport.setState({ status: 'running', done: 0, total: 0, message: '' });
  try {
    const result = await captureRun(request, {
      signal: controller.signal,
      onProgress: ({ done, total }) => videoExport.setState({ done, total }),
    });
    videoExport.setState({ status: 'done', message: describeResult(result) });
    return { run, result };
  } catch (error) {
    if (isCaptureCancelled(error)) {
      videoExport.setState({ status: 'cancelled', message: 'Export cancelled: nothing was saved.' });
    } else {
      const reason = error instanceof Error ? error.message : String(error);
      videoExport.setState({ status: 'failed', message: `Not exported: ${reason}` });
    }
    return null;
  } finally {
    running = null;
  }
}

/** Stops the running export at its next frame; it then reports 'cancelled' and makes no file. */
export function cancelVideoExport(): void {
  running?.abort();
}

export function resetVideoExport(): void {
  if (!running) videoExport.setState({ status: 'idle', done: 0, total: 0, message: '' });
}

/**
 * For the teaching package export: the annotated video and PNG key frames of an open run, its
 * annotations burned in, the overlay reduced to acquisition facts (no patient, study or people's
 * text), the package's masks applied (pass the run's pixelCleaning.rectangles as `masks`).
 * `paneId` takes that pane's window/level and orientation; without it, the run's opening display.
 * `video` and `keyFrames` are what the package writer's TeachingRunInput takes, as they are:
 * `{ ...runInput, video: media.video, keyFrames: media.keyFrames }`; `notes` say what changed
 * (e.g. WebM where the browser cannot encode H.264 at the run's size).
 */
export async function teachingMediaForRun(
  runKey: string,
  options: TeachingMediaOptions & { paneId?: string; signal?: AbortSignal; document?: AnnotationDocument | null } = {},
): Promise<TeachingMedia & Required<Pick<TeachingRunInput, 'video' | 'keyFrames'>>> {
  const run = session.getState().runs.find((r) => r.key === runKey);
  if (!run) throw new Error(`The run ${runKey} is not open.`);
  const display = options.display ?? (options.paneId ? paneCaptureDisplay(options.paneId) : null) ?? OPENING_DISPLAY;
  const document = options.document !== undefined ? options.document : (documentOf(runKey) ?? null);
  return captureTeachingMedia(run, document, { ...options, display });
}
