/**
 * Connects the annotation tools to the stores: tool gestures become commands on the run's
 * document (documents.ts), and every document or selection change is mirrored into the viewports
 * by the adapter. Runs get their document (restored from autosave when there is one) as soon as
 * a pane shows them, and pending autosaves are written when the page goes away.
 */
import { calibratedSpacing, type AnnotationDocument } from '../annotations/model';
import { connectAnnotationEditor, registerAnnotationTools, startMirroring, syncAllViewports, syncRun } from '../annotations/tools';
import {
  apply,
  beginGesture,
  cancelGesture,
  documentOf,
  documents,
  editingDocumentOf,
  editingViewOf,
  endGesture,
  ensureDocument,
  flushPendingAutosaves,
} from './documents';
import { carriedWorkText, runTitle, workElsewhereText } from '../format/run';
import { quiz, visibleDocument } from './quiz';
import { reportAlert, runByKey, selectTrack, selectedTrackOf, session } from './session';

/**
 * An autosave that failed (storage full, private mode, blocked) is told in the alert region once,
 * naming the run, until a save of that run succeeds again: the toolbar's short "Not saved" is easy
 * to miss, and work only in memory is lost with the tab.
 */
function tellFailedAutosave(runKey: string, saveError: string | null, failedSaves: Set<string>): void {
  if (!saveError) {
    failedSaves.delete(runKey);
    return;
  }
  if (failedSaves.has(runKey)) return;
  failedSaves.add(runKey);
  const run = runByKey(runKey);
  reportAlert(
    run?.fileNames[0] ?? runKey,
    `its annotations could not be saved in this browser (${saveError}); they stay only while this tab is open: use Export annotations to keep a copy`,
  );
}

/** Once, at start (app/bootstrap.ts). */
export function startAnnotationEditing(): void {
  registerAnnotationTools();
  startMirroring();
  connectAnnotationEditor({
    // In quiz mode the tools edit the trainee's practice copy, with the asked tracks hidden until Reveal.
    documentOf: (runKey) => {
      const doc = editingDocumentOf(runKey);
      return doc && visibleDocument(runKey, doc);
    },
    spacingOf: (runKey) => {
      const run = runByKey(runKey);
      return run ? calibratedSpacing(run.info.spacing, documentOf(runKey)?.calibration).preferred : null;
    },
    selectedTrackId: (runKey) => selectedTrackOf(session.getState(), runKey),
    selectTrack: (runKey, trackId) => {
      if (selectedTrackOf(session.getState(), runKey) !== trackId) selectTrack(runKey, trackId);
    },
    beginGesture,
    apply: (runKey, command) => void apply(runKey, command),
    endGesture,
    cancelGesture,
  });

  const shownDocs = new Map<string, AnnotationDocument>();
  const failedSaves = new Set<string>();
  documents.subscribe(() => {
    const state = documents.getState();
    for (const runKey of Object.keys(state.byRun)) {
      tellFailedAutosave(runKey, state.byRun[runKey].saveError, failedSaves);
      const doc = editingViewOf(state, runKey)!.doc;
      if (shownDocs.get(runKey) === doc) continue;
      shownDocs.set(runKey, doc);
      syncRun(runKey);
    }
    // A closed run's document is let go here too.
    for (const runKey of shownDocs.keys()) if (!(runKey in state.byRun)) shownDocs.delete(runKey);
  });

  let selected = session.getState().selectedTrackByRun;
  let shownRuns = '';
  session.subscribe(() => {
    const state = session.getState();
    if (state.selectedTrackByRun !== selected) {
      selected = state.selectedTrackByRun;
      syncAllViewports();
    }
    const runKeys = state.panes.map((p) => p.runKey ?? '').join(' ');
    if (runKeys === shownRuns) return;
    shownRuns = runKeys;
    for (const pane of state.panes) {
      const run = state.runs.find((r) => r.key === pane.runKey);
      if (!run) continue;
      void ensureDocument(run).then((found) => {
        if (found && 'carried' in found) reportAlert(runTitle(run), carriedWorkText(found.carried, run.info.frameCount));
        if (found && 'elsewhere' in found) reportAlert(runTitle(run), workElsewhereText(found.elsewhere, run.info.frameCount));
      });
    }
  });

  quiz.subscribe(syncAllViewports);

  window.addEventListener('pagehide', flushPendingAutosaves);
}
