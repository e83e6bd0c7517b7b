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
  findTrack,
  frameMapBySopInstance,
  holdsWork,
  nextTrackId,
  remapDocumentFrames,
  replaceDocument,
  runRefFromRunInfo,
  type AnnotationDocument,
  type Command,
} from '../annotations/model';
import { parseDocument, runMismatch, serializeDocument } from '../annotations/schema';
import { runTitle } from '../format/run';
import { seriesIdentityPrefix, type OpenedRun } from '../dicom/run';
import type { RunInfo } from '../dicom/types';
import { loadWork, saveWork, saveWorkBeforeUnload, savedWorkIdentities } from '../io/autosave';
import { createStore } from './createStore';
import { isHidden, quiz } from './quiz';

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

/**
 * The annotation documents (saved, undoable), one per run, by run key; and, while the quiz is on,
 * the trainee's practice copies (quizByRun), which the tools edit instead (see editingViewOf).
 */
export const documents = createStore<{ byRun: Record<string, DocumentView>; quizByRun: Record<string, DocumentView> }>({
  byRun: {},
  quizByRun: {},
});

/**
 * Quiz mode: what the trainee draws goes to a practice copy of each run's document, made on the
 * first edit, never saved and dropped when quiz mode ends, so the educator's document (and the
 * hidden question tracks in it) stays exactly as it was. Undo and redo act on the copy too.
 */
const quizWork = new Map<string, History>();

/**
 * The tools see the practice copy without its hidden tracks, so a track they add may get the id of
 * a hidden one. Such a track is given a free id, and the tool's later commands naming the hidden
 * id (the rest of its gesture) go to it, by run: hidden id → the trainee's track.
 */
const practiceAliases = new Map<string, Map<string, string>>();

function practiceCommand(runKey: string, doc: AnnotationDocument, command: Command): Command {
  const state = quiz.getState();
  let aliases = practiceAliases.get(runKey);
  if (command.type === 'addTrack' && findTrack(doc, command.track.id) && isHidden(state, runKey, command.track.id)) {
    const id = nextTrackId(doc, command.track.kind);
    if (!aliases) practiceAliases.set(runKey, (aliases = new Map()));
    aliases.set(command.track.id, id);
    return { ...command, track: { ...command.track, id } };
  }
  if ('trackId' in command && isHidden(state, runKey, command.trackId)) {
    const alias = aliases?.get(command.trackId);
    // Hidden tracks are out of the trainee's reach until Reveal.
    return alias ? { ...command, trackId: alias } : command;
  }
  return command;
}

/** The view the tools and panels edit: the practice copy in quiz mode, else the document. */
export function editingViewOf(state: ReturnType<typeof documents.getState>, runKey: string | null | undefined): DocumentView | undefined {
  if (!runKey) return undefined;
  return state.quizByRun[runKey] ?? state.byRun[runKey];
}

/** The history an edit goes to: in quiz mode the practice copy (made from the document on the first edit). */
function editingHistory(runKey: string): { history: History; practice: boolean } | undefined {
  const w = work.get(runKey);
  if (!w) return undefined;
  if (!quiz.getState().active) return { history: w.history, practice: false };
  let practice = quizWork.get(runKey);
  if (!practice) {
    // Documents are immutable: the copy starts from the same object and diverges on its first command.
    practice = new History(w.history.doc);
    quizWork.set(runKey, practice);
  }
  return { history: practice, practice: true };
}

function publishPractice(runKey: string): void {
  const history = quizWork.get(runKey);
  const base = documents.getState().byRun[runKey];
  if (!history || !base) return;
  const view: DocumentView = {
    ...base,
    doc: history.doc,
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    undoLabel: history.undoLabel,
    redoLabel: history.redoLabel,
  };
  documents.setState((state) => ({ quizByRun: { ...state.quizByRun, [runKey]: view } }));
}

const editListeners = new Set<(runKey: string) => void>();

/** Called after each change to a run's document that will be autosaved (not a quiz practice copy). */
export function onDocumentEdited(listener: (runKey: string) => void): () => void {
  editListeners.add(listener);
  return () => editListeners.delete(listener);
}

/** After an edit: the practice copy is shown, the document is published and autosaved. */
function edited(runKey: string, practice: boolean, save = true): void {
  if (practice) {
    publishPractice(runKey);
    return;
  }
  publish(runKey);
  if (!save) return;
  scheduleAutosave(runKey);
  for (const listener of editListeners) listener(runKey);
}

// Leaving quiz mode drops the practice copies: the documents show again exactly as they were.
// A new quiz (another package) starts from the documents too.
let quizShown = { active: quiz.getState().active, questions: quiz.getState().questions };
quiz.subscribe(() => {
  const { active, questions } = quiz.getState();
  if (active === quizShown.active && questions === quizShown.questions) return;
  const leftOrRestarted = !active || quizShown.active;
  quizShown = { active, questions };
  if (!leftOrRestarted) return;
  quizWork.clear();
  practiceAliases.clear();
  if (Object.keys(documents.getState().quizByRun).length) documents.setState({ quizByRun: {} });
});

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

/**
 * Work saved on the same series when it was opened otherwise (a part of its images), carried to
 * this run because it had none of its own (seriesFrames.ts).
 */
export interface CarriedWork {
  /** How many images the opening the work was made on had. */
  readonly fromFrames: number;
  readonly tracks: number;
  /** The first and last of this run's frames that carried keyframes are on; null when none are. */
  readonly keyframes: { readonly first: number; readonly last: number } | null;
}

/**
 * Work saved on another opening of the same series that could not come to this run: some of its
 * marks are on images this run does not hold. It stays saved under its own identity.
 */
export interface WorkElsewhere {
  /** How many images the opening the work was made on had. */
  readonly fromFrames: number;
  readonly tracks: number;
}

/** What ensureDocument found of the series' other openings, for the alert. */
export type SeriesWork = { readonly carried: CarriedWork } | { readonly elsewhere: WorkElsewhere };

/**
 * Creates the run's document, restoring autosaved work when there is some; without any, it
 * carries over work saved on the same series opened in part (the answer says what came, or what
 * was found and could not come). Idempotent.
 */
export async function ensureDocument(run: OpenedRun): Promise<SeriesWork | null> {
  if (work.has(run.key)) return null;
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
  if (!saved) return carryOverSeriesWork(run, w);
  const parsed = parseDocument(saved, runRefFromRunInfo(run.info));
  if (parsed.ok && work.get(run.key) === w && !w.history.canUndo) {
    w.history.apply(replaceDocument(parsed.doc, 'restore'));
    w.origin = 'restored';
    w.restoredTracks = parsed.doc.tracks.length;
    publish(run.key);
  }
  return null;
}

/**
 * A series opened in part, worked on, then opened whole (or as another part) is another run with
 * another identity. Its saved work is carried over when every frame it names is in this run; when
 * several earlier openings qualify, the one with the most images. The earlier work stays saved
 * under its own identity; this run's copy is saved once it is edited, like restored work.
 */
async function carryOverSeriesWork(run: OpenedRun, w: RunWork): Promise<SeriesWork | null> {
  const to = runRefFromRunInfo(run.info);
  if (to.sopInstanceUIDs.length !== to.frameCount) return null;
  const prefix = seriesIdentityPrefix(run.info);
  const identities = (await savedWorkIdentities().catch(() => [])).filter((id) => id.startsWith(prefix) && id !== run.identity);
  let best: { doc: AnnotationDocument; fromFrames: number } | null = null;
  // Work on images this run shares, that could not come whole: said, so it is not taken for lost.
  let elsewhere: WorkElsewhere | null = null;
  for (const identity of identities) {
    const text = await loadWork(identity).catch(() => undefined);
    const parsed = text === undefined ? null : parseDocument(text);
    if (!parsed?.ok || !holdsWork(parsed.doc)) continue;
    const map = frameMapBySopInstance(parsed.doc.runRef, to);
    const doc = map && remapDocumentFrames(parsed.doc, to, map);
    const fromFrames = parsed.doc.runRef.frameCount;
    if (doc && (!best || fromFrames > best.fromFrames)) best = { doc, fromFrames };
    else if (map && !doc && (!elsewhere || fromFrames > elsewhere.fromFrames)) elsewhere = { fromFrames, tracks: parsed.doc.tracks.length };
  }
  if (work.get(run.key) !== w || w.history.canUndo) return null;
  if (!best) return elsewhere && { elsewhere };
  w.history.apply(replaceDocument(best.doc, 'restore'));
  w.origin = 'restored';
  w.restoredTracks = best.doc.tracks.length;
  publish(run.key);
  const frames = best.doc.tracks.flatMap((t) => t.keyframes.map((k) => k.frame));
  return {
    carried: {
      fromFrames: best.fromFrames,
      tracks: best.doc.tracks.length,
      keyframes: frames.length ? { first: Math.min(...frames), last: Math.max(...frames) } : null,
    },
  };
}

/** The run's document (what is saved and exported; in quiz mode, not the trainee's practice copy). */
export function documentOf(runKey: string): AnnotationDocument | undefined {
  return work.get(runKey)?.history.doc;
}

/** The document the tools edit now: in quiz mode the trainee's practice copy, else documentOf. */
export function editingDocumentOf(runKey: string): AnnotationDocument | undefined {
  return quizWork.get(runKey)?.doc ?? documentOf(runKey);
}

/** Applies a command; outside a transaction it becomes one undo step. */
export function apply(runKey: string, command: Command): AnnotationDocument | undefined {
  const target = editingHistory(runKey);
  if (!target) return undefined;
  const doc = target.history.apply(target.practice ? practiceCommand(runKey, target.history.doc, command) : command);
  edited(runKey, target.practice);
  return doc;
}

/** Starts a gesture (a drag) whose commands form one undo step. */
export function beginGesture(runKey: string, label: string): void {
  editingHistory(runKey)?.history.begin(label);
}

export function endGesture(runKey: string): void {
  const target = editingHistory(runKey);
  if (!target?.history.inTransaction) return;
  target.history.commit();
  edited(runKey, target.practice);
}

export function cancelGesture(runKey: string): void {
  const target = editingHistory(runKey);
  if (!target?.history.inTransaction) return;
  target.history.cancel();
  edited(runKey, target.practice, false);
}

export function undo(runKey: string): void {
  const target = editingHistory(runKey);
  if (!target) return;
  target.history.undo();
  edited(runKey, target.practice);
}

export function redo(runKey: string): void {
  const target = editingHistory(runKey);
  if (!target) return;
  target.history.redo();
  edited(runKey, target.practice);
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
 * leaves the current work untouched and returns the reason; `openRuns` (the session's) let it say
 * which open run a file was made for, when it was made for one of them.
 */
export function importDocument(
  runKey: string,
  text: string,
  openRuns: readonly OpenedRun[] = [],
): { ok: true; warnings: string[] } | { ok: false; error: string } {
  const w = work.get(runKey);
  if (!w) return { ok: false, error: 'no run is open' };
  const shown = openRuns.find((run) => run.key === runKey);
  const parsed = parseDocument(text, runRefFromRunInfo(w.info), shown && runTitle(shown));
  if (!parsed.ok) {
    const meant = shown && runMadeFor(text, openRuns, runKey);
    if (meant) {
      const error = `these annotations were made for ${runTitle(meant)}, which is open too, not for ${runTitle(shown)}: show that run and import them there`;
      return { ok: false, error };
    }
    return { ok: false, error: parsed.error };
  }
  w.history.apply(replaceDocument(parsed.doc, 'import'));
  publish(runKey);
  scheduleAutosave(runKey);
  return { ok: true, warnings: parsed.warnings };
}

/** Another of the open runs that these annotations (a well-formed file) were made for, if any. */
function runMadeFor(text: string, openRuns: readonly OpenedRun[], notKey: string): OpenedRun | null {
  const loose = parseDocument(text);
  if (!loose.ok) return null;
  return openRuns.find((run) => run.key !== notKey && runMismatch(loose.doc.runRef, runRefFromRunInfo(run.info)) === null) ?? null;
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

/**
 * The run is being closed: its document is written now if a change waits, then let go (undo
 * history with it). Returns why it could not be saved, and then keeps it: the run must stay open
 * so that nothing the user drew is lost.
 */
export async function closeDocument(runKey: string): Promise<string | null> {
  const w = work.get(runKey);
  if (!w) return null;
  // A change waiting for its autosave, or one whose save failed before (storage may work again).
  if (w.pendingSave !== null || w.saveError) {
    if (w.pendingSave !== null) clearTimeout(w.pendingSave);
    w.pendingSave = null;
    await flushAutosave(runKey);
  }
  if (w.saveError) return w.saveError;
  work.delete(runKey);
  quizWork.delete(runKey);
  practiceAliases.delete(runKey);
  documents.setState((state) => {
    const byRun = { ...state.byRun };
    const quizByRun = { ...state.quizByRun };
    delete byRun[runKey];
    delete quizByRun[runKey];
    return { byRun, quizByRun };
  });
  return null;
}
