/**
 * The case's views: the procedure's checklist (from the case record) filled from every open run's
 * positioner angles, and the "two views: needle + contrast" badge from each run's tracks. Pure
 * over the session and the documents; the Views region shows it.
 */
import type { AnnotationDocument, CaseRecord } from '../annotations/model';
import { runEvidence, twoViewsBadge, viewChecklist, type ChecklistRun, type TwoViewsBadge, type ViewChecklist } from '../annotations/model';
import type { ProcedureSide } from '../imaging/views';
import type { OpenedRun } from '../dicom/run';
import { factsOfFrame } from '../dicom/runInfo';
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
  const checklistRuns: ChecklistRun[] = runs.flatMap((run) => checklistRunsOf(run, documentOf(run.key)));
  const side = (record?.side ?? null) as ProcedureSide;
  return {
    checklist: record ? viewChecklist(record, checklistRuns) : null,
    badge: twoViewsBadge(checklistRuns, side),
    recordFrom: speaking ? checklistLabel(speaking) : null,
  };
}

/**
 * A run as the checklist sees it. A series of single frames whose images were taken at several
 * angles counts once per angle, with the marks on those images: spot images AP and lateral in one
 * series are two views, and a needle tip marked on the AP images is not one on the lateral.
 */
export function checklistRunsOf(run: OpenedRun, doc: AnnotationDocument | undefined): ChecklistRun[] {
  const evidence = (frames?: ReadonlySet<number>) => (doc ? runEvidence(doc, frames) : { hasNeedleTip: false, hasContrastSpread: false });
  const label = checklistLabel(run);
  const byAngle = new Map<string, { positioner: ChecklistRun['positioner']; frames: number[] }>();
  for (let frame = 1; frame <= run.info.frameCount; frame++) {
    const { positioner } = factsOfFrame(run.info, frame);
    const angle = positioner ? `${positioner.primaryAngleDeg}/${positioner.secondaryAngleDeg}` : 'none';
    const group = byAngle.get(angle) ?? { positioner, frames: [] };
    group.frames.push(frame);
    byAngle.set(angle, group);
  }
  if (byAngle.size <= 1) return [{ key: run.key, label, positioner: run.info.positioner, ...evidence() }];
  return [...byAngle.values()].map(({ positioner, frames }, i) => ({
    key: `${run.key}@${i + 1}`,
    label: `${label}, ${frameList(frames)}`,
    positioner,
    ...evidence(new Set(frames)),
  }));
}

/** "frame 4", "frames 1–3, 7". */
function frameList(frames: readonly number[]): string {
  const spans: string[] = [];
  for (let i = 0; i < frames.length;) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    spans.push(i === j ? `${frames[i]}` : `${frames[i]}–${frames[j]}`);
    i = j + 1;
  }
  return `${frames.length === 1 ? 'frame' : 'frames'} ${spans.join(', ')}`;
}
