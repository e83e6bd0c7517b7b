/**
 * The viewer controllers (StackController), one per pane, owned here. The Viewport component
 * hands over its element (attachViewport) and takes it back (detachViewport); from then on this
 * module shows the pane's run and frame as the session changes. Playback reaches a pane's
 * controller through viewportOf.
 */
import { StackController } from '../viewer/stackController';
import { resetDisplay } from '../viewer/review';
import { setPrimaryTool } from '../viewer/toolGroup';
import type { OpenedRun } from '../dicom/run';
import { paneById, recordFrameFailure, recordProgress, runOfPane, session } from './session';

interface Attached {
  readonly element: HTMLDivElement;
  controller: StackController | null;
  /** What the controller was last told to show, to pass on only what changed. */
  shownRun: OpenedRun | null;
  shownFrame: number;
}

const attached = new Map<string, Attached>();
let cornerstoneReady: Promise<void> | null = null;

/** Once, at start (app/bootstrap.ts): controllers are made once Cornerstone is ready, and follow the session. */
export function startViewports(ready: Promise<void>): void {
  cornerstoneReady = ready;
  session.subscribe(showSession);
}

/** The pane's element is in the page: make its controller (once Cornerstone is ready) and show its run. */
export function attachViewport(paneId: string, element: HTMLDivElement): void {
  if (!cornerstoneReady) throw new Error('startViewports must run before a viewport attaches');
  const entry: Attached = { element, controller: null, shownRun: null, shownFrame: 0 };
  attached.set(paneId, entry);
  void cornerstoneReady.then(() => {
    if (attached.get(paneId) !== entry) return;
    entry.controller = new StackController(paneId, element, { onProgress: recordProgress, onFrameFailed: recordFrameFailure });
    // A pane opened later (side by side) takes the tool the user already picked.
    setPrimaryTool(paneId, session.getState().activeTool);
    showSession();
    controllerListeners.forEach((listener) => listener());
  });
}

/** The pane's element leaves the page: its controller goes with it. */
export function detachViewport(paneId: string, element: HTMLDivElement): void {
  const entry = attached.get(paneId);
  if (!entry || entry.element !== element) return;
  attached.delete(paneId);
  controllerListeners.forEach((listener) => listener());
  entry.controller?.destroy();
}

const controllerListeners = new Set<() => void>();

/** Called whenever a pane's controller is made or goes (display layers attach to it). */
export function onControllersChanged(listener: () => void): () => void {
  controllerListeners.add(listener);
  return () => controllerListeners.delete(listener);
}

/** The controller showing the pane, once made. */
export function viewportOf(paneId: string): StackController | undefined {
  return attached.get(paneId)?.controller ?? undefined;
}

/** R / the Reset button: camera, inversion and the window the run opened with. */
export function resetView(paneId: string): void {
  resetDisplay(paneId, viewportOf(paneId)?.defaultVoiRange() ?? null);
}

/** A new run in a pane starts at the pane's frame; a new frame is shown unless playback drives the pane. */
function showSession(): void {
  const state = session.getState();
  for (const [paneId, entry] of attached) {
    const controller = entry.controller;
    const run = runOfPane(state, paneId);
    const frame = paneById(state, paneId)?.frame ?? 1;
    if (!controller || !run) continue;
    if (run !== entry.shownRun) {
      entry.shownRun = run;
      entry.shownFrame = frame;
      void controller.showRun(run, frame);
    } else if (frame !== entry.shownFrame) {
      entry.shownFrame = frame;
      void controller.setFrame(frame);
    }
  }
}
