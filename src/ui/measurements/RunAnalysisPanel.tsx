import { paneById, runOfPane } from '../../state/session';
import { CaseRecordForm } from '../caseRecord/CaseRecordForm';
import { useRunDocument } from '../timeline/useRunDocument';
import { useSession } from '../useStore';
import { MeasurementsChart } from './MeasurementsChart';
import { MeasurementsReadout } from './MeasurementsReadout';
import { frameStarts, useRunMeasurements } from './useRunMeasurements';
import { useMemo } from 'react';

/** The right-hand panel for the active pane's run: measurements over time and the case record. */
export function RunAnalysisPanel() {
  const paneId = useSession((s) => s.activePaneId);
  const run = useSession((s) => runOfPane(s, s.activePaneId));
  const frame = useSession((s) => paneById(s, s.activePaneId)?.frame ?? 1);
  const view = useRunDocument(run);
  const measurements = useRunMeasurements(run);
  const starts = useMemo(() => (run ? frameStarts(run) : []), [run]);
  if (!run || !view || !measurements) return null;
  return (
    <aside className="analysis-panel" aria-label="Measurements and case record">
      <section>
        <h2>Measurements</h2>
        <MeasurementsReadout measurements={measurements} spacing={run.info.spacing.preferred} frame={frame} />
        <MeasurementsChart paneId={paneId} measurements={measurements} frameStartMs={starts} frame={frame} />
      </section>
      <section>
        <h2>Case record</h2>
        <CaseRecordForm run={run} record={view.doc.caseRecord} paneId={paneId} />
      </section>
    </aside>
  );
}
