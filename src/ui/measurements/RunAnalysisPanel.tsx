import { useMemo, useState } from 'react';
import { isPanePlaying, panePlayback, playback } from '../../state/playbackStore';
import { paneById, runOfPane } from '../../state/session';
import { CaseRecordForm } from '../caseRecord/CaseRecordForm';
import { ViewsPanel } from '../views/ViewsPanel';
import { CalibrationSection } from '../calibration/CalibrationSection';
import { DosePanel } from '../dose/DosePanel';
import { InjectateLog } from '../leads/InjectateLog';
import { LeadTips } from '../leads/LeadTips';
import { VascularCheck } from '../leads/VascularCheck';
import { useRunDocument } from '../hooks/useRunDocument';
import { useSession, useStore } from '../hooks/useStore';
import { MeasurementsChart } from './MeasurementsChart';
import { MeasurementsReadout } from './MeasurementsReadout';
import { frameStarts, useRunMeasurements, useRunSpacing } from './useRunMeasurements';

const PANEL_NAME = 'Measurements and case record';

/**
 * The right-hand panel for the active pane's run: measurements over time and the case record.
 * It folds to a narrow strip, to give two panes side by side more room.
 */
export function RunAnalysisPanel() {
  const [open, setOpen] = useState(true);
  const paneId = useSession((s) => s.activePaneId);
  const run = useSession((s) => runOfPane(s, s.activePaneId));
  const frame = useSession((s) => paneById(s, s.activePaneId)?.frame ?? 1);
  const playing = useStore(playback, (s) => isPanePlaying(panePlayback(paneId, s)));
  const view = useRunDocument(run);
  const measurements = useRunMeasurements(run);
  const spacing = useRunSpacing(run);
  const starts = useMemo(() => (run ? frameStarts(run) : []), [run]);
  if (!run || !view || !measurements || !spacing) return null;
  if (!open) {
    return (
      <aside className="analysis-panel folded" aria-label={PANEL_NAME}>
        <button
          type="button"
          aria-expanded={false}
          aria-label={`Show ${PANEL_NAME.toLowerCase()}`}
          title={`Show ${PANEL_NAME.toLowerCase()}`}
          onClick={() => setOpen(true)}
        >
          ‹ Measurements · Case record
        </button>
      </aside>
    );
  }
  return (
    <aside className="analysis-panel" aria-label={PANEL_NAME}>
      <section>
        <div className="panel-heading">
          <h2>Measurements</h2>
          <button
            type="button"
            aria-expanded={true}
            aria-label={`Hide ${PANEL_NAME.toLowerCase()}`}
            title={`Hide ${PANEL_NAME.toLowerCase()}`}
            onClick={() => setOpen(false)}
          >
            ›
          </button>
        </div>
        <MeasurementsReadout measurements={measurements} spacing={spacing} frame={frame} quiet={playing} />
        <MeasurementsChart paneId={paneId} measurements={measurements} frameStartMs={starts} frame={frame} />
      </section>
      <CalibrationSection run={run} paneId={paneId} />
      <section>
        <h2>Case record</h2>
        <CaseRecordForm run={run} record={view.doc.caseRecord} paneId={paneId} />
        <VascularCheck run={run} doc={view.doc} />
        <InjectateLog run={run} doc={view.doc} paneId={paneId} />
        <LeadTips run={run} doc={view.doc} paneId={paneId} />
      </section>
      <ViewsPanel />
      <DosePanel />
    </aside>
  );
}
