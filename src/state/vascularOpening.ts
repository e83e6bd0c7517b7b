/**
 * A run with vascular uptake flags opens subtracted, at its first flag: the frames the physician
 * marked as intravascular are what the next reader must see, and DSA is how they were seen.
 * Applies when a pane comes to show a run whose document holds flags it did not just get from
 * the user (loaded, restored from autosave, imported, or opened from a teaching package); a flag
 * the user adds while reviewing does not move the view.
 */
import { frameOnScreen } from '../annotations/tools';
import { canSubtract } from '../imaging/subtractionPlan';
import { stackViewport } from '../viewer/engine';
import { documents } from './documents';
import { setSubtract } from './display';
import { runByKey, session, setFrame } from './session';

const POLL_MS = 50;
const GIVE_UP_MS = 60_000;

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
    void openAtFlag(pane.id, runKey, first.from);
  }
}

/**
 * The pane first shows the flag's frame raw, then Subtract goes on there: switching the stack to
 * subtracted frames while the run's first frame is still loading, or before the frame change is
 * drawn, left the viewport blank or showing a raw frame under the subtraction's window.
 */
async function openAtFlag(paneId: string, runKey: string, frame: number): Promise<void> {
  const stillShown = () => session.getState().panes.find((p) => p.id === paneId)?.runKey === runKey;
  const drawn = () => {
    const viewport = stackViewport(paneId);
    return viewport ? frameOnScreen(viewport) : null;
  };
  const until = async (done: () => boolean): Promise<boolean> => {
    const start = performance.now();
    while (!done()) {
      if (!stillShown() || performance.now() - start > GIVE_UP_MS) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return stillShown();
  };
  if (!(await until(() => drawn()?.runKey === runKey))) return;
  setFrame(frame, paneId);
  if (!(await until(() => drawn()?.runKey === runKey && drawn()?.frame === frame))) return;
  const run = runByKey(runKey);
  if (run && canSubtract(run.info)) setSubtract(paneId, true);
}
