/**
 * The same run annotated in two tabs: each tab's autosave writes over the other's (both are keyed
 * by the run's identity), so whichever saved last is what a reload restores, and the other tab's
 * work is gone. When a tab makes its first change to a run, it says so to the other tabs; a tab
 * that has the run open answers, and both warn, naming the run.
 */
import { runTitle } from '../format/run';
import { listenToOtherTabs, postToOtherTabs } from '../io/tabChannel';
import { onDocumentEdited } from './documents';
import { reportAlert, runByKey, session } from './session';

/** Runs (identities) whose first change this tab has told the other tabs about. */
const announced = new Set<string>();
/** Runs already warned about in this tab: once is enough. */
const warned = new Set<string>();

/** The first change to a run in this tab is told to the other tabs. */
function tellFirstEdit(runKey: string): void {
  const identity = runByKey(runKey)?.identity;
  if (!identity || announced.has(identity)) return;
  announced.add(identity);
  postToOtherTabs({ kind: 'editing', identity });
}

export function startOtherTabsWatch(): () => void {
  const stopTelling = onDocumentEdited(tellFirstEdit);
  const stopListening = listenToOtherTabs(({ kind, identity }) => {
    const run = session.getState().runs.find((r) => r.identity === identity);
    if (!run) return;
    if (kind === 'editing') postToOtherTabs({ kind: 'open-here', identity });
    if (warned.has(identity)) return;
    warned.add(identity);
    reportAlert(
      run.fileNames[0],
      `${runTitle(run)} is open in another FluoroLens tab too, and annotated in one of them: both tabs autosave its ` +
        "annotations under the same key, each over the other's, so a reload keeps only the last saved. Annotate it in " +
        'one tab; in the other, Export annotations first to keep what it has.',
    );
  });
  return () => {
    stopTelling();
    stopListening();
  };
}
