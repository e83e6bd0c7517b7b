/**
 * The annotation documents: one per open run, by run key; what is saved, exported and undone.
 *
 * Contract: every change goes through a Command (apply, or a gesture: beginGesture … apply …
 * endGesture is one undo step) and is published to `documents` as a new DocumentView, which the
 * UI reads and the adapter mirrors into the viewports (state/annotationEditing.ts). Each change
 * is autosaved to IndexedDB after AUTOSAVE_DELAY_MS, keyed by the run's identity, so opening the
 * same data again restores it (ensureDocument). Import and restore replace the document without
 * entering history. The session (state/session.ts) is never saved; this is.
 */
import {
  History,
  calibratedSpacing,
  createDocument,
  replaceDocument,
  runRefFromRunInfo,
  type AnnotationDocument,
  type Command,
} from '../annotations/model';
import { parseDocument, serializeDocument } from '../annotations/schema';
import type { OpenedRun } from '../dicom/run';
import type { RunInfo } from '../dicom/types';
import { loadWork, saveWork, saveWorkBeforeUnload } from '../io/autosave';
import { createStore } from './createStore';

export const APP_VERSION = '0.1.0';
const AUTOSAVE_DELAY_MS = 250;

/** What the UI reads of one run's annotation document. */
export interface DocumentView {
  doc: AnnotationDocument;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  /** 'restored' once autosaved work was found and loaded for this run. */
  origin: 'new' | 'restored';
  /** How many tracks the autosave restored (0 unless origin is 'restored'). */
  restoredTracks: number;
  /** 'pending' while a change waits for the debounced autosave, 'saved' once written. */
  saveState: 'unchanged' | 'pending' | 'saved';
  saveError: string | null;
}

/** The annotation documents (saved, undoable), one per run, by run key. */
export const documents = createStore<{ byRun: Record<string, DocumentView> }>({ byRun: {} });

/** Everything kept about one run's work; published to the store as a DocumentView. */
interface RunWork {
  /** Autosave key: the same for the same data however it is opened (OpenedRun.identity). */
  readonly identity: string;
  /** To check imported files against, and for the derived block of exports. */
  readonly info: RunInfo;
  readonly history: History;
  origin: DocumentView['origin'];
  restoredTracks: number;
  saveState: DocumentView['saveState'];
  saveError: string | null;
  /** The debounced autosave waiting to run, if any. */
  pendingSave: ReturnType<typeof setTimeout> | null;
}

const work = new Map<string, RunWork>();

function publish(runKey: string): void {
  const w = work.get(runKey);
  if (!w) return;
  const { history } = w;
  const view: DocumentView = {
    doc: history.doc,
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    undoLabel: history.undoLabel,
    redoLabel: history.redoLabel,
    origin: w.origin,
    restoredTracks: w.restoredTracks,
    saveState: w.saveState,
    saveError: w.saveError,
  };
  documents.setState((state) => ({ byRun: { ...state.byRun, [runKey]: view } }));
}

function scheduleAutosave(runKey: string): void {
  const w = work.get(runKey);
  if (!w) return;
  if (w.pendingSave !== null) clearTimeout(w.pendingSave);
  w.saveState = 'pending';
  w.pendingSave = setTimeout(() => {
    w.pendingSave = null;
    void flushAutosave(runKey);
  }, AUTOSAVE_DELAY_MS);
}

/** Writes the run's document now (also called before the page unloads). */
export async function flushAutosave(runKey: string): Promise<void> {
  const w = work.get(runKey);
  if (!w) return;
  try {
    await saveWork(w.identity, serializeDocument(w.history.doc, { appVersion: APP_VERSION }));
    w.saveError = null;
    if (w.pendingSave === null) w.saveState = 'saved';
  } catch (error) {
    w.saveError = `autosave failed: ${String(error)}`;
  }
  publish(runKey);
  performance.mark('fluorolens:autosaved', { detail: { run: runKey } });
}

/**
 * The page is going away: every document with a change still waiting for its autosave is written
 * synchronously (localStorage) as well as to IndexedDB, which a reload may abort.
 */
export function flushPendingAutosaves(): void {
  for (const [runKey, w] of work) {
    if (w.pendingSave === null) continue;
    clearTimeout(w.pendingSave);
    w.pendingSave = null;
    saveWorkBeforeUnload(w.identity, serializeDocument(w.history.doc, { appVersion: APP_VERSION }));
    void flushAutosave(runKey);
  }
}

/** Creates the run's document, restoring autosaved work when there is some. Idempotent. */
export async function ensureDocument(run: OpenedRun): Promise<void> {
  if (work.has(run.key)) return;
  const w: RunWork = {
    identity: run.identity,
    info: run.info,
    history: new History(createDocument(runRefFromRunInfo(run.info))),
    origin: 'new',
    restoredTracks: 0,
    saveState: 'unchanged',
    saveError: null,
    pendingSave: null,
  };
  work.set(run.key, w);
  publish(run.key);
  const saved = await loadWork(run.identity).catch(() => undefined);
  if (!saved) return;
  const parsed = parseDocument(saved, runRefFromRunInfo(run.info));
  if (parsed.ok && work.get(run.key) === w && !w.history.canUndo) {
    w.history.apply(replaceDocument(parsed.doc, 'restore'));
    w.origin = 'restored';
    w.restoredTracks = parsed.doc.tracks.length;
    publish(run.key);
  }
}

export function documentOf(runKey: string): AnnotationDocument | undefined {
  return work.get(runKey)?.history.doc;
}

/** Applies a command; outside a transaction it becomes one undo step. */
export function apply(runKey: string, command: Command): AnnotationDocument | undefined {
  const history = work.get(runKey)?.history;
  if (!history) return undefined;
  const doc = history.apply(command);
  publish(runKey);
  scheduleAutosave(runKey);
  return doc;
}

/** Starts a gesture (a drag) whose commands form one undo step. */
export function beginGesture(runKey: string, label: string): void {
  work.get(runKey)?.history.begin(label);
}

export function endGesture(runKey: string): void {
  const history = work.get(runKey)?.history;
  if (!history?.inTransaction) return;
  history.commit();
  publish(runKey);
  scheduleAutosave(runKey);
}

export function cancelGesture(runKey: string): void {
  const history = work.get(runKey)?.history;
  if (!history?.inTransaction) return;
  history.cancel();
  publish(runKey);
}

export function undo(runKey: string): void {
  work.get(runKey)?.history.undo();
  publish(runKey);
  scheduleAutosave(runKey);
}

export function redo(runKey: string): void {
  work.get(runKey)?.history.redo();
  publish(runKey);
  scheduleAutosave(runKey);
}

/**
 * The versioned JSON envelope of the run's work, as exported, with the read-only derived block
 * (per-frame tip and target positions, measurement series) regenerated from the tracks.
 */
export function exportDocument(runKey: string): string | null {
  const w = work.get(runKey);
  if (!w) return null;
  const derived = { spacing: calibratedSpacing(w.info.spacing, w.history.doc.calibration), frameStartMs: w.info.timing.frameStartMs };
  return serializeDocument(w.history.doc, { appVersion: APP_VERSION, derived });
}

/**
 * Replaces the run's work with an imported file. A malformed file, or one made for another run,
 * leaves the current work untouched and returns the reason.
 */
export function importDocument(runKey: string, text: string): { ok: true; warnings: string[] } | { ok: false; error: string } {
  const w = work.get(runKey);
  if (!w) return { ok: false, error: 'no run is open' };
  const parsed = parseDocument(text, runRefFromRunInfo(w.info));
  if (!parsed.ok) return { ok: false, error: parsed.error };
  w.history.apply(replaceDocument(parsed.doc, 'import'));
  publish(runKey);
  scheduleAutosave(runKey);
  return { ok: true, warnings: parsed.warnings };
}

/**
 * Gives an opened run the document that came with it (a teaching package), replacing what was
 * there; undo brings back earlier (autosaved) work, so nothing is lost.
 */
export async function adoptDocument(run: OpenedRun, doc: AnnotationDocument): Promise<void> {
  await ensureDocument(run);
  const w = work.get(run.key);
  if (!w) return;
  w.history.apply(replaceDocument(doc, 'import'));
  publish(run.key);
  scheduleAutosave(run.key);
}
