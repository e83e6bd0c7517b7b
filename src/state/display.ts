/**
 * What each pane shows on top of the raw frames: the Display Shutter (one switch for the app,
 * on by default) and DSA subtraction (per pane: on/off, mask choice, pixel shift). Never saved,
 * never undone, like the session. This module keeps the viewer in step: a ShutterLayer per pane
 * and, while Subtract is on, the pane's StackController showing a subtraction setting's image ids
 * (viewer/subtractionImages.ts). A new run in a pane starts raw.
 */
import type { OpenedRun } from '../dicom/run';
import { stackViewport } from '../viewer/engine';
import { centredRoi } from '../viewer/registrationRoi';
import { ShutterLayer } from '../viewer/shutterLayer';
import {
  canSubtract,
  createSetting,
  fileShiftOf,
  forgetSetting,
  registerFrame,
  settingImageId,
  settingWindow,
  voiRangeOf,
  type SubtractionChoice,
} from '../viewer/subtractionImages';
import { NO_SHIFT, stepShift, type Shift } from '../imaging/subtraction';
import { createStore } from './createStore';
import { paneById, runOfPane, session } from './session';
import { onControllersChanged, viewportOf } from './viewports';

export interface PaneSubtraction {
  /** The run it was switched on for: another run in the pane turns it off. */
  readonly runKey: string;
  readonly choice: SubtractionChoice;
  /** The setting on screen (new one per change of mask or shift). */
  readonly setting: number;
  /** The last automatic shift's result, in words. */
  readonly autoShift: string | null;
}

export interface DisplayState {
  readonly shutters: boolean;
  /** The files' overlay planes (60xx) over the picture, in every pane and in exports. */
  readonly overlayPlanes: boolean;
  readonly subtraction: Readonly<Record<string, PaneSubtraction>>;
}

export const display = createStore<DisplayState>({ shutters: true, overlayPlanes: true, subtraction: {} });

export function setShutters(on: boolean): void {
  display.setState({ shutters: on });
}

export function setOverlayPlanes(on: boolean): void {
  display.setState({ overlayPlanes: on });
}

export function subtractionOf(paneId: string, state: DisplayState = display.getState()): PaneSubtraction | null {
  return state.subtraction[paneId] ?? null;
}

/** Subtract on (file's mask, no added shift) or off, for the run in the pane. */
export function setSubtract(paneId: string, on: boolean): void {
  const run = runOfPane(session.getState(), paneId);
  if (on && run && canSubtract(run.info)) changeChoice(paneId, run, { mask: null, shift: NO_SHIFT });
  else removeSubtraction(paneId);
}

/** Arrow-key nudges of the mask, in 0.1 px steps (the user's shift, added to the file's). */
export function nudgeShift(paneId: string, ddx: number, ddy: number): void {
  const current = subtractionOf(paneId);
  const run = runOfPane(session.getState(), paneId);
  if (!current || !run) return;
  changeChoice(paneId, run, { ...current.choice, shift: stepShift(current.choice.shift, ddx, ddy) });
}

export function resetShift(paneId: string): void {
  const current = subtractionOf(paneId);
  const run = runOfPane(session.getState(), paneId);
  if (current && run) changeChoice(paneId, run, { ...current.choice, shift: NO_SHIFT });
}

/** A mask chosen by the user (a frame or an inclusive range), or the file's again with null. */
export function setMaskRange(paneId: string, mask: { first: number; last: number } | null): void {
  const current = subtractionOf(paneId);
  const run = runOfPane(session.getState(), paneId);
  if (current && run) changeChoice(paneId, run, { ...current.choice, mask });
}

/**
 * Automatic shift: the mask registered to the frame on screen, on a square region centred where
 * the view is centred (pan to move it over bone without contrast). Returns the words shown.
 */
export async function autoShift(paneId: string): Promise<string> {
  const current = subtractionOf(paneId);
  const state = session.getState();
  const run = runOfPane(state, paneId);
  const viewport = stackViewport(paneId);
  if (!current || !run || !viewport) return 'Subtract is off';
  const frame = paneById(state, paneId)?.frame ?? 1;
  const roi = centredRoi(viewport, run.info.rows, run.info.columns);
  let words: string;
  try {
    const result = await registerFrame(current.setting, frame, roi);
    const file = fileShiftOf(current.setting, frame);
    const user = { dx: round2(result.shift.dx - file.dx), dy: round2(result.shift.dy - file.dy) };
    // The correlation first: the bar shows what fits, and the shift is beside it already.
    words =
      `frame ${frame}: correlation ${result.correlation.toFixed(2)}${result.correlation < 0.5 ? ' (low: move the region over bone without contrast)' : ''}, ` +
      `${formatShift(result.shift)} on ${result.roi.width}×${result.roi.height} px at (${result.roi.x}, ${result.roi.y})`;
    changeChoice(paneId, run, { ...current.choice, shift: user }, words);
  } catch (error) {
    words = `automatic shift failed: ${error instanceof Error ? error.message : String(error)}`;
    const now = subtractionOf(paneId);
    if (now) display.setState((s) => ({ subtraction: { ...s.subtraction, [paneId]: { ...now, autoShift: words } } }));
  }
  return words;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** "x +0.50 px, y −0.25 px" */
export function formatShift(shift: Shift): string {
  const one = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(2)}`;
  return `x ${one(shift.dx)} px, y ${one(shift.dy)} px`;
}

function changeChoice(paneId: string, run: OpenedRun, choice: SubtractionChoice, autoShiftWords: string | null = null): void {
  const previous = subtractionOf(paneId);
  const setting = createSetting(run, choice);
  display.setState((s) => ({
    subtraction: { ...s.subtraction, [paneId]: { runKey: run.key, choice, setting, autoShift: autoShiftWords } },
  }));
  if (previous) retire(previous.setting);
}

function removeSubtraction(paneId: string): void {
  const previous = subtractionOf(paneId);
  if (!previous) return;
  display.setState((s) => {
    const subtraction = { ...s.subtraction };
    delete subtraction[paneId];
    return { subtraction };
  });
  retire(previous.setting);
}

/** A replaced setting's frames leave the cache once the pane no longer shows them. */
function retire(setting: number): void {
  setTimeout(() => forgetSetting(setting), 2000);
}

// ---- keeping the viewer in step -----------------------------------------------------------------

interface PaneLayers {
  shutter: ShutterLayer;
  /** The setting the controller was last given (null: raw). */
  shownSetting: number | null;
  shownRun: OpenedRun | null;
  readonly viewport: NonNullable<ReturnType<typeof stackViewport>>;
}

const layers = new Map<string, PaneLayers>();

/** Once, at start (app/bootstrap.tsx), after startViewports. */
export function startDisplay(): void {
  session.subscribe(sync);
  display.subscribe(sync);
  onControllersChanged(sync);
}

function sync(): void {
  const state = session.getState();
  const shown = display.getState();
  for (const [paneId, entry] of layers) {
    // The pane went, or its viewport was made anew (its run closed): the layer goes with the old one.
    if (!viewportOf(paneId) || !paneById(state, paneId) || stackViewport(paneId) !== entry.viewport) {
      entry.shutter.destroy();
      layers.delete(paneId);
    }
  }
  for (const pane of state.panes) {
    const controller = viewportOf(pane.id);
    const viewport = stackViewport(pane.id);
    if (!controller || !viewport) continue;
    let entry = layers.get(pane.id);
    if (!entry) {
      entry = { shutter: new ShutterLayer(viewport), viewport, shownSetting: null, shownRun: null };
      layers.set(pane.id, entry);
    }
    const run = runOfPane(state, pane.id);
    entry.shutter.show(run, shown.shutters);
    const subtraction = subtractionOf(pane.id, shown);
    if (subtraction && run?.key !== subtraction.runKey) {
      // Another run in the pane: it starts raw (showRun already uses raw ids for it).
      queueMicrotask(() => removeSubtraction(pane.id));
      entry.shownSetting = null;
      entry.shownRun = run;
      continue;
    }
    const wanted = subtraction?.setting ?? null;
    if (wanted === entry.shownSetting && run === entry.shownRun) continue;
    const wasShowing = entry.shownSetting;
    entry.shownSetting = wanted;
    entry.shownRun = run;
    if (wanted === null) {
      if (wasShowing !== null) void controller.setFrameIds(null);
      continue;
    }
    void controller.setFrameIds(
      (r, frame) => settingImageId(wanted, r, frame),
      () => {
        const window = settingWindow(wanted);
        return window ? voiRangeOf(window) : null;
      },
    );
  }
}
