import { display, subtractionOf } from '../state/display';
import { AnnotationFileTools, AnnotationToolButtons } from './annotations/AnnotationToolbar';
import { DisplaySwitches, SubtractionControls } from './display/DisplayBar';
import { useSession, useStore } from './hooks/useStore';
import { ReviewReadouts, ReviewTools } from './review/ReviewToolbar';

/**
 * The app's one toolbar: review and annotation tools, view, display, history and export, acting on
 * the active pane (outlined when there are two; chosen by a click in it or by Tab). A second row
 * appears only while Subtract is on, for the subtraction's mask and shift (a selected arrow's or
 * caption's text is edited on the pane's timeline, whose height is fixed).
 */
export function AppToolbar() {
  const paneId = useSession((s) => s.activePaneId);
  const paneNumber = useSession((s) => s.panes.findIndex((p) => p.id === s.activePaneId) + 1);
  const subtracting = useStore(display, (s) => subtractionOf(paneId, s) !== null);
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
      {subtracting && (
        <div className="toolbar-row context-row">
          <SubtractionControls key={paneId} paneId={paneId} />
        </div>
      )}
    </div>
  );
}
