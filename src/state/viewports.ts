/**
 * The viewer controllers (StackController), one per pane, owned here. The Viewport component
 * hands over its element (attachViewport) and takes it back (detachViewport); from then on this
 * module shows the pane's run and frame as the session changes. Playback reaches a pane's
 * controller through viewportOf.
 */
import { StackController, afterFirstFrames, firstFramePending } from '../viewer/stackController';
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
    entry.controller = makeController(paneId, element);
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

/** The window preset "Image's own": a series windowed image by image, as it opened. */
export function showImageWindows(paneId: string): void {
  viewportOf(paneId)?.followImageWindows();
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
    if (!controller) continue;
    if (!run) {
      if (entry.shownRun) emptyPane(paneId, entry);
      continue;
    }
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

/**
 * The pane's run was closed and no other is open: its viewport is made anew, so nothing of the
 * closed run (its last frame, its annotations, the image a resize would draw again) stays in it.
 */
function emptyPane(paneId: string, entry: Attached): void {
  entry.shownRun = null;
  entry.shownFrame = 0;
  entry.controller?.destroy();
  entry.controller = makeController(paneId, entry.element);
  controllerListeners.forEach((listener) => listener());
}

function makeController(paneId: string, element: HTMLDivElement): StackController {
  const controller = new StackController(paneId, element, { onProgress: recordProgress, onFrameFailed: recordFrameFailure });
  // A pane made later (side by side, or emptied) takes the tool the user already picked.
  setPrimaryTool(paneId, session.getState().activeTool);
  return controller;
}

/** Listeners of the page's chrome (React) held back while a viewport waits for its first frame. */
const heldChromeListeners = new Set<() => void>();
let chromeFlush: ReturnType<typeof setTimeout> | null = null;
/** The chrome catches up at the latest after this, even if a first frame never comes (a hidden pane). */
const CHROME_HOLD_MAX_MS = 250;

function flushChrome() {
  if (chromeFlush !== null) clearTimeout(chromeFlush);
  chromeFlush = null;
  const listeners = [...heldChromeListeners];
  heldChromeListeners.clear();
  for (const listener of listeners) listener();
}

/**
 * Tells a chrome listener of a store change at once, or, while a run's first frame is on its way,
 * once it is on screen: the reading, decoding and drawing of frame 1 then has the main thread
 * (and the compositor) to itself, and the panels, timeline and lists follow a few ms later.
 */
export function notifyChrome(listener: () => void): void {
  if (!firstFramePending()) {
    listener();
    return;
  }
  heldChromeListeners.add(listener);
  if (chromeFlush !== null) return;
  chromeFlush = setTimeout(flushChrome, CHROME_HOLD_MAX_MS);
  void afterFirstFrames().then(flushChrome);
}
