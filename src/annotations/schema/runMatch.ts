/**
 * Do these annotations belong to the open run?
 *
 * When both sides list SOP Instance UIDs, they must list the same ones in the same order (a
 * single-frame series maps frame n to its n-th instance, so order matters) and agree on the frame
 * count; SOP Instance UIDs are globally unique, so this cannot match the wrong images. When either
 * side has no list (hand-written files, sources that do not give instance UIDs) the Series
 * Instance UID and the frame count must match. The Study UID is not compared: it adds nothing
 * once the series matches.
 */
import type { RunRef } from '../model';

/** The fields of a RunRef that decide whether annotations belong to a run. */
export type RunMatchFields = Pick<RunRef, 'seriesInstanceUID' | 'sopInstanceUIDs' | 'frameCount'>;

/**
 * Null when `fileRun` is the open run, else the message to show. `openRunName` (the run's title)
 * says which run was meant; the UIDs are there for whoever has to find the series.
 */
export function runMismatch(fileRun: RunMatchFields, openRun: RunMatchFields, openRunName?: string): string | null {
  const reason = mismatchReason(fileRun, openRun);
  if (reason === null) return null;
  const open = openRunName ?? 'the open run';
  return (
    `these annotations are for series ${fileRun.seriesInstanceUID} (${frames(fileRun.frameCount)}), ` +
    `not ${open} (series ${openRun.seriesInstanceUID}, ${frames(openRun.frameCount)}): ${reason}`
  );
}

function mismatchReason(fileRun: RunMatchFields, openRun: RunMatchFields): string | null {
  if (fileRun.frameCount !== openRun.frameCount) return 'the frame counts differ';
  if (fileRun.sopInstanceUIDs.length > 0 && openRun.sopInstanceUIDs.length > 0) {
    return sameList(fileRun.sopInstanceUIDs, openRun.sopInstanceUIDs) ? null : 'the images (SOP Instance UIDs) differ';
  }
  return fileRun.seriesInstanceUID === openRun.seriesInstanceUID ? null : 'the series differ';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((uid, i) => uid === b[i]);
}

function frames(count: number): string {
  return count === 1 ? '1 frame' : `${count} frames`;
}
