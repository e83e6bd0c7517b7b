/**
 * The case's views: the procedure's checklist (from the case record) filled from every open run's
 * positioner angles, and the "two views: needle + contrast" badge from each run's tracks. Pure
 * over the session and the documents; the Views region shows it.
 */
import type { AnnotationDocument, CaseRecord } from '../annotations/model';
import { runEvidence, twoViewsBadge, viewChecklist, type ChecklistRun, type TwoViewsBadge, type ViewChecklist } from '../annotations/model';
import type { ProcedureSide } from '../imaging/views';
import type { OpenedRun } from '../dicom/run';
import { runTitle } from '../format/run';

export interface CaseViews {
  /** Null until the case record names a procedure. */
  readonly checklist: ViewChecklist | null;
  readonly badge: TwoViewsBadge;
  /** The run whose case record gives the procedure and side, if any. */
  readonly recordFrom: string | null;
}

/** "Series 4: DSA S1 transforaminal AP (synthetic)" */
export function checklistLabel(run: OpenedRun): string {
  const number = run.info.series.number;
  return number === null ? runTitle(run) : `Series ${number}: ${runTitle(run)}`;
}

/**
 * The case record that speaks for the case: the active run's when it names a procedure, else
 * the first open run's that does (every run of a case carries the same record once filled in).
 */
export function caseViews(
  runs: readonly OpenedRun[],
  activeRunKey: string | null,
  documentOf: (runKey: string) => AnnotationDocument | undefined,
): CaseViews {
  const ordered = [...runs.filter((r) => r.key === activeRunKey), ...runs.filter((r) => r.key !== activeRunKey)];
  const speaking = ordered.find((run) => documentOf(run.key)?.caseRecord.procedure);
  const record: CaseRecord | undefined = speaking ? documentOf(speaking.key)?.caseRecord : undefined;
  const checklistRuns: ChecklistRun[] = runs.map((run) => {
    const doc = documentOf(run.key);
    const evidence = doc ? runEvidence(doc) : { hasNeedleTip: false, hasContrastSpread: false };
    return { key: run.key, label: checklistLabel(run), positioner: run.info.positioner, ...evidence };
  });
  const side = (record?.side ?? null) as ProcedureSide;
  return {
    checklist: record ? viewChecklist(record, checklistRuns) : null,
    badge: twoViewsBadge(checklistRuns, side),
    recordFrom: speaking ? checklistLabel(speaking) : null,
  };
}
