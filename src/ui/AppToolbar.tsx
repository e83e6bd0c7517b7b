import { findTrack } from '../annotations/model';
import { display, subtractionOf } from '../state/display';
import { documents } from '../state/documents';
import { runOfPane, selectedTrackOf } from '../state/session';
import { AnnotationFileTools, AnnotationToolButtons, TrackTextForm } from './annotations/AnnotationToolbar';
import { DisplaySwitches, SubtractionControls } from './display/DisplayBar';
import { useSession, useStore } from './hooks/useStore';
import { ReviewReadouts, ReviewTools } from './review/ReviewToolbar';

/**
 * The app's one toolbar: review and annotation tools, view, display, history and export, acting on
 * the active pane (outlined when there are two; chosen by a click in it or by Tab). A second row
 * appears only for what the moment needs: the subtraction's mask and shift while Subtract is on,
 * or the selected arrow's or caption's text.
 */
export function AppToolbar() {
  const paneId = useSession((s) => s.activePaneId);
  const paneNumber = useSession((s) => s.panes.findIndex((p) => p.id === s.activePaneId) + 1);
  const subtracting = useStore(display, (s) => subtractionOf(paneId, s) !== null);
  const runKey = useSession((s) => runOfPane(s, paneId)?.key ?? null);
  const selectedId = useSession((s) => selectedTrackOf(s, runKey));
  const textTrack = useStore(documents, (s) => {
    const doc = runKey ? s.byRun[runKey]?.doc : undefined;
    const kind = doc && selectedId ? findTrack(doc, selectedId)?.kind : undefined;
    return kind === 'arrow' || kind === 'caption';
  });
  return (
    <div className="app-toolbar" role="toolbar" aria-label="Review tools" data-pane={paneId} title={`Acting on Viewer ${paneNumber}`}>
      <div className="toolbar-row">
        <ReviewTools paneId={paneId}>
          <AnnotationToolButtons />
        </ReviewTools>
        <DisplaySwitches paneId={paneId} />
        <AnnotationFileTools paneId={paneId} />
        <ReviewReadouts paneId={paneId} />
      </div>
      {(subtracting || textTrack) && (
        <div className="toolbar-row context-row">
          {subtracting && <SubtractionControls key={paneId} paneId={paneId} />}
          <TrackTextForm paneId={paneId} />
        </div>
      )}
    </div>
  );
}
