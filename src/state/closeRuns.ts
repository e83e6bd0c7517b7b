/**
 * Closing runs (the ✕ beside a run, a study's "Close study", "Close all"): after a case, or before
 * the next one is shown to a room. A closed run's frames are let go and its annotations stay saved
 * under its identity, so opening the same data again (or Reopen) brings them back; only the undo
 * history goes. A run whose annotations cannot be saved stays open, and the alert says why.
 */
import { runTitle } from '../format/run';
import { closeDocument } from './documents';
import { cancelPacsOpening, forgetPacsListings, openPacsSeries } from './pacs';
import { forgetQuizRun } from './quiz';
import { cancelOpenings, closedAllSince, removeRuns, reopenLocalRuns, reportAlert, runByKey, session } from './session';

/** Closes one run; resolves with whether it was closed. */
export async function closeRun(key: string): Promise<boolean> {
  return (await closeRuns([key])).length === 1;
}

/**
 * Closes every open run and, once none is left, forgets the listings that name patients (DICOMDIR,
 * PACS search); resolves with how many runs were closed. Files or a PACS series still being opened
 * show nothing when their reading ends.
 */
export async function closeAllRuns(): Promise<number> {
  cancelOpenings();
  cancelPacsOpening();
  const keys = session.getState().runs.map((run) => run.key);
  const closed = await closeRuns(keys, true);
  if (session.getState().runs.length === 0) forgetPacsListings();
  return closed.length;
}

/** Closes the runs of one study (one patient's case, when several are open); resolves with how many were closed. */
export async function closeStudy(studyInstanceUID: string): Promise<number> {
  const keys = session
    .getState()
    .runs.filter((run) => run.info.study.instanceUID === studyInstanceUID)
    .map((run) => run.key);
  return (await closeRuns(keys)).length;
}

async function closeRuns(keys: readonly string[], everything = false): Promise<string[]> {
  const closed: string[] = [];
  for (const key of keys) {
    const run = runByKey(key);
    if (!run) continue;
    const unsaved = await closeDocument(key);
    if (unsaved) {
      reportAlert(run.fileNames[0], `${runTitle(run)} was left open: its annotations could not be saved (${unsaved}). Export them first.`);
      continue;
    }
    forgetQuizRun(key);
    closed.push(key);
  }
  removeRuns(closed, everything && closed.length === keys.length, everything);
  return closed;
}

/**
 * Reopen: the runs the last close took away, opened again without choosing them again. Runs of
 * local files from the same files; runs from the PACS from the PACS, series by series, as its
 * Open button does (a failure is told there, and Reopen stays offered).
 */
export async function reopenClosedRuns(): Promise<void> {
  const { closedRuns } = session.getState();
  const cancelled = closedAllSince();
  reopenLocalRuns(closedRuns.filter((run) => run.files !== undefined));
  const remoteSeries = new Map<string, string>();
  for (const run of closedRuns) if (run.files === undefined) remoteSeries.set(run.info.series.instanceUID, run.info.study.instanceUID);
  for (const [seriesInstanceUID, studyInstanceUID] of remoteSeries) {
    if (cancelled()) return;
    await openPacsSeries({ studyInstanceUID, seriesInstanceUID });
  }
}
