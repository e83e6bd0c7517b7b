import { setActivePane } from '../state/session';
import { display, subtractionOf } from '../state/display';
import { layout } from '../state/layout';
import { TimelineResizer } from './timeline/TimelineResizer';
import { SubtractionControls } from './display/DisplayBar';
import { FrameControls } from './playback/FrameControls';
import { PlaybackControls } from './playback/PlaybackControls';
import { Timeline } from './timeline/Timeline';
import { useSession, useStore } from './hooks/useStore';
import { Viewport } from './Viewport';
import { PresentationButton } from './ScreenControls';

/**
 * One viewer: the viewport, one row of playback controls under it, and the annotation timeline,
 * with the pane's subtraction controls above it while Subtract is on.
 * The tools live once, in the app toolbar, and act on the active pane: a click in a pane or Tab
 * onto it makes it the active one. The rows under the viewport keep their size whether or not a
 * run is shown, so the viewport does not change size (and Cornerstone does not rebuild its
 * buffers) when the first run opens.
 */
export function ViewerPane({ paneId, label, first }: { paneId: string; label: string; first: boolean }) {
  const active = useSession((s) => s.activePaneId === paneId);
  const many = useSession((s) => s.panes.length > 1);
  const presentation = useStore(layout, (s) => s.presentation);
  const subtracting = useStore(display, (s) => subtractionOf(paneId, s) !== null);
  const timelineHeight = useStore(layout, (s) => s.timelineHeight);
  return (
    <section
      className={many && active ? 'viewer-pane active' : 'viewer-pane'}
      aria-label={label}
      data-pane={paneId}
      tabIndex={0}
      onPointerDownCapture={() => setActivePane(paneId)}
      onFocusCapture={() => setActivePane(paneId)}
    >
      <Viewport paneId={paneId} />
      <div className="pane-controls">
        <FrameControls paneId={paneId} />
        <PlaybackControls paneId={paneId} />
        {presentation && first && <PresentationButton />}
      </div>
      {/* The user's height: Subtract on or off, the picture keeps its size (as a toolbar row, it shrank in both panes). */}
      <div className="pane-timeline" style={{ height: timelineHeight }}>
        <TimelineResizer />
        {subtracting && <SubtractionControls paneId={paneId} />}
        <Timeline paneId={paneId} />
      </div>
    </section>
  );
}
