import { useEffect, useMemo } from 'react';
import { useFolded } from '../hooks/useFolded';
import { quiz } from '../../state/quiz';
import { QuizPanel } from '../teaching/QuizPanel';
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
 * The right-hand panel for the active pane's run: measurements over time, the case record and the
 * Views checklist. It folds to a narrow strip (the default: the picture first) and is there, folded
 * or open, whether or not a run is shown, so opening a run does not change the panes' size.
 */
export function RunAnalysisPanel() {
  const { folded, fold } = useFolded('analysis');
  const quizActive = useStore(quiz, (s) => s.active);
  // A quiz starting (a package opened, or the switch) opens the panel: the quiz is at its top.
  useEffect(() => {
    if (quizActive) fold(false);
    // fold is a new function each render; only the quiz turning on matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [quizActive]);
  if (folded) {
    return (
      <aside className="analysis-panel folded" aria-label={PANEL_NAME}>
        <button
          type="button"
          className="panel-strip"
          aria-expanded={false}
          aria-label={`Show ${PANEL_NAME.toLowerCase()}`}
          aria-keyshortcuts="]"
          title={`Show ${PANEL_NAME.toLowerCase()} (])`}
          onClick={() => fold(false)}
        >
          {PANEL_NAME}
        </button>
      </aside>
    );
  }
  return (
    <aside className="analysis-panel" aria-label={PANEL_NAME}>
      <QuizPanel />
      <AnalysisContent hide={() => fold(true)} />
    </aside>
  );
}

function HideButton({ hide }: { hide(): void }) {
  return (
    <button
      type="button"
      aria-expanded={true}
      aria-label={`Hide ${PANEL_NAME.toLowerCase()}`}
      aria-keyshortcuts="]"
      title={`Hide ${PANEL_NAME.toLowerCase()} (])`}
      onClick={hide}
    >
      ›
    </button>
  );
}

function AnalysisContent({ hide }: { hide(): void }) {
  const paneId = useSession((s) => s.activePaneId);
  const run = useSession((s) => runOfPane(s, s.activePaneId));
  const frame = useSession((s) => paneById(s, s.activePaneId)?.frame ?? 1);
  const playing = useStore(playback, (s) => isPanePlaying(panePlayback(paneId, s)));
  const view = useRunDocument(run);
  const measurements = useRunMeasurements(run);
  const spacing = useRunSpacing(run);
  const starts = useMemo(() => (run ? frameStarts(run) : []), [run]);
  if (!run || !view || !measurements || !spacing) {
    return (
      <section>
        <div className="panel-heading">
          <h2>Measurements</h2>
          <HideButton hide={hide} />
        </div>
        <p className="hint">Open a run to see its measurements and case record.</p>
      </section>
    );
  }
  return (
    <>
      <section>
        <div className="panel-heading">
          <h2>Measurements</h2>
          <HideButton hide={hide} />
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
    </>
  );
}
