import { setActivePane } from '../state/session';
import { FrameControls } from './playback/FrameControls';
import { PlaybackControls } from './playback/PlaybackControls';
import { Timeline } from './timeline/Timeline';
import { AnnotationToolButtons, AnnotationToolbar } from './annotations/AnnotationToolbar';
import { ReviewToolbar } from './review/ReviewToolbar';
import { useSession } from './hooks/useStore';
import { Viewport } from './Viewport';
import { DisplayBar } from './display/DisplayBar';

/** One viewer: the viewport with its own controls. Clicking in it makes it the active pane. */
export function ViewerPane({ paneId, label }: { paneId: string; label: string }) {
  const active = useSession((s) => s.activePaneId === paneId);
  const many = useSession((s) => s.panes.length > 1);
  return (
    <section
      className={many && active ? 'viewer-pane active' : 'viewer-pane'}
      aria-label={label}
      onPointerDownCapture={() => setActivePane(paneId)}
      onFocusCapture={() => setActivePane(paneId)}
    >
      <ReviewToolbar paneId={paneId}>
        <AnnotationToolButtons />
      </ReviewToolbar>
      <AnnotationToolbar paneId={paneId} />
      <DisplayBar paneId={paneId} />
      <Viewport paneId={paneId} />
      <FrameControls paneId={paneId} />
      <PlaybackControls paneId={paneId} />
      <Timeline paneId={paneId} />
    </section>
  );
}
