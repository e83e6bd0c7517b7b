import { History, createDocument, replaceDocument, runRefFromRunInfo, type AnnotationDocument, type Command } from '../annotations/model';
import { parseDocument, serializeDocument } from '../annotations/schema';
import type { OpenedRun } from '../dicom/run';
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

const histories = new Map<string, History>();
const runsByKey = new Map<string, OpenedRun>();
const pendingSaves = new Map<string, ReturnType<typeof setTimeout>>();
const origins = new Map<string, DocumentView['origin']>();
const saveErrors = new Map<string, string | null>();
const restoredTrackCounts = new Map<string, number>();
const saveStates = new Map<string, DocumentView['saveState']>();

function publish(runKey: string): void {
  const history = histories.get(runKey);
  if (!history) return;
  const view: DocumentView = {
    doc: history.doc,
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    undoLabel: history.undoLabel,
    redoLabel: history.redoLabel,
    origin: origins.get(runKey) ?? 'new',
    restoredTracks: restoredTrackCounts.get(runKey) ?? 0,
    saveState: saveStates.get(runKey) ?? 'unchanged',
    saveError: saveErrors.get(runKey) ?? null,
  };
  documents.setState((state) => ({ byRun: { ...state.byRun, [runKey]: view } }));
}

function scheduleAutosave(runKey: string): void {
  clearTimeout(pendingSaves.get(runKey));
  saveStates.set(runKey, 'pending');
  pendingSaves.set(
    runKey,
    setTimeout(() => {
      pendingSaves.delete(runKey);
      void flushAutosave(runKey);
    }, AUTOSAVE_DELAY_MS),
  );
}

/** Writes the run's document now (also called before the page unloads). */
export async function flushAutosave(runKey: string): Promise<void> {
  const history = histories.get(runKey);
  const run = runsByKey.get(runKey);
  if (!history || !run) return;
  try {
    await saveWork(run.identity, serializeDocument(history.doc, { appVersion: APP_VERSION }));
    saveErrors.set(runKey, null);
    if (!pendingSaves.has(runKey)) saveStates.set(runKey, 'saved');
  } catch (error) {
    saveErrors.set(runKey, `autosave failed: ${String(error)}`);
  }
  publish(runKey);
  performance.mark('fluorolens:autosaved', { detail: { run: runKey } });
}

/**
 * The page is going away: every document with a change still waiting for its autosave is written
 * synchronously (localStorage) as well as to IndexedDB, which a reload may abort.
 */
export function flushPendingAutosaves(): void {
  for (const [runKey, timer] of pendingSaves) {
    clearTimeout(timer);
    pendingSaves.delete(runKey);
    const history = histories.get(runKey);
    const run = runsByKey.get(runKey);
    if (history && run) saveWorkBeforeUnload(run.identity, serializeDocument(history.doc, { appVersion: APP_VERSION }));
    void flushAutosave(runKey);
  }
}

/** Creates the run's document, restoring autosaved work when there is some. Idempotent. */
export async function ensureDocument(run: OpenedRun): Promise<void> {
  if (histories.has(run.key)) return;
  runsByKey.set(run.key, run);
  const history = new History(createDocument(runRefFromRunInfo(run.info)));
  histories.set(run.key, history);
  publish(run.key);
  const saved = await loadWork(run.identity).catch(() => undefined);
  if (!saved) return;
  const parsed = parseDocument(saved, runRefFromRunInfo(run.info));
  if (parsed.ok && histories.get(run.key) === history && !history.canUndo) {
    history.apply(replaceDocument(parsed.doc, 'restore'));
    origins.set(run.key, 'restored');
    restoredTrackCounts.set(run.key, parsed.doc.tracks.length);
    publish(run.key);
  }
}

export function documentOf(runKey: string): AnnotationDocument | undefined {
  return histories.get(runKey)?.doc;
}

/** Applies a command; outside a transaction it becomes one undo step. */
export function apply(runKey: string, command: Command): AnnotationDocument | undefined {
  const history = histories.get(runKey);
  if (!history) return undefined;
  const doc = history.apply(command);
  publish(runKey);
  scheduleAutosave(runKey);
  return doc;
}

/** Starts a gesture (a drag) whose commands form one undo step. */
export function beginGesture(runKey: string, label: string): void {
  histories.get(runKey)?.begin(label);
}

export function endGesture(runKey: string): void {
  const history = histories.get(runKey);
  if (!history?.inTransaction) return;
  history.commit();
  publish(runKey);
  scheduleAutosave(runKey);
}

export function cancelGesture(runKey: string): void {
  const history = histories.get(runKey);
  if (!history?.inTransaction) return;
  history.cancel();
  publish(runKey);
}

export function undo(runKey: string): void {
  histories.get(runKey)?.undo();
  publish(runKey);
  scheduleAutosave(runKey);
}

export function redo(runKey: string): void {
  histories.get(runKey)?.redo();
  publish(runKey);
  scheduleAutosave(runKey);
}

/**
 * The versioned JSON envelope of the run's work, as exported, with the read-only derived block
 * (per-frame tip and target positions, measurement series) regenerated from the tracks.
 */
export function exportDocument(runKey: string): string | null {
  const history = histories.get(runKey);
  const run = runsByKey.get(runKey);
  if (!history) return null;
  const derived = run ? { spacing: run.info.spacing, frameStartMs: run.info.timing.frameStartMs } : undefined;
  return serializeDocument(history.doc, { appVersion: APP_VERSION, derived });
}

/**
 * Replaces the run's work with an imported file. A malformed file, or one made for another run,
 * leaves the current work untouched and returns the reason.
 */
export function importDocument(runKey: string, text: string): { ok: true; warnings: string[] } | { ok: false; error: string } {
  const history = histories.get(runKey);
  const run = runsByKey.get(runKey);
  if (!history || !run) return { ok: false, error: 'no run is open' };
  const parsed = parseDocument(text, runRefFromRunInfo(run.info));
  if (!parsed.ok) return { ok: false, error: parsed.error };
  history.apply(replaceDocument(parsed.doc, 'import'));
  publish(runKey);
  scheduleAutosave(runKey);
  return { ok: true, warnings: parsed.warnings };
}
