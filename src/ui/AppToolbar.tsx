import { AnnotationFileTools, AnnotationToolButtons } from './annotations/AnnotationToolbar';
import { DisplaySwitches } from './display/DisplayBar';
import { useSession } from './hooks/useStore';
import { ReviewReadouts, ReviewTools } from './review/ReviewToolbar';

/**
 * The app's one toolbar: review and annotation tools, view, display, history and export, acting on
 * the active pane (outlined when there are two; chosen by a click in it or by Tab). One row, always:
 * a second one shrank the picture as it came and went, so what belongs to one pane and one moment
 * (the subtraction's mask and shift, an arrow's or caption's text) is on that pane's timeline,
 * whose height is fixed.
 */
export function AppToolbar() {
  const paneId = useSession((s) => s.activePaneId);
  const paneNumber = useSession((s) => s.panes.findIndex((p) => p.id === s.activePaneId) + 1);
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
    </div>
  );
}
