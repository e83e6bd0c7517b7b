/**
 * A run with vascular uptake flags opens subtracted, at its first flag: the frames the physician
 * marked as intravascular are what the next reader must see, and DSA is how they were seen.
 * Applies when a pane comes to show a run whose document holds flags it did not just get from
 * the user (loaded, restored from autosave, imported, or opened from a teaching package); a flag
 * the user adds while reviewing does not move the view.
 */
import { documents } from './documents';
import { setSubtract } from './display';
import { session, setFrame } from './session';
import { canSubtract } from '../imaging/subtractionPlan';
import { runByKey } from './session';

/** Per pane, the run whose opening was already handled. */
const handled = new Map<string, string>();

export function startVascularOpening(): void {
  session.subscribe(check);
  documents.subscribe(check);
}

function check(): void {
  const state = session.getState();
  for (const pane of state.panes) {
    const runKey = pane.runKey;
    if (!runKey || handled.get(pane.id) === runKey) continue;
    const view = documents.getState().byRun[runKey];
    if (!view || view.doc.vascularFlags.length === 0) continue;
    handled.set(pane.id, runKey);
    // Flags the user made in this session (the document has an undo history) leave the view alone.
    if (view.canUndo) continue;
    const first = [...view.doc.vascularFlags].sort((a, b) => a.from - b.from)[0];
    const run = runByKey(runKey);
    queueMicrotask(() => {
      if (session.getState().panes.find((p) => p.id === pane.id)?.runKey !== runKey) return;
      if (run && canSubtract(run.info)) setSubtract(pane.id, true);
      setFrame(first.from, pane.id);
    });
  }
}
