import { useState } from 'react';
import { inputFilesFromDrop } from '../io/gatherFiles';
import { layout } from '../state/layout';
import { openInputs, setSideBySide } from '../state/session';
import { AlertRegion } from './AlertRegion';
import { AppToolbar } from './AppToolbar';
import { RunAnalysisPanel } from './measurements/RunAnalysisPanel';
import { OpenControls } from './OpenControls';
import { RunsPanel } from './RunsPanel';
import { KeysHelp } from './keys/KeysHelp';
import { TeachingControls } from './teaching/TeachingControls';
import { useKeymap } from './keys/useKeymap';
import { ViewerPane } from './ViewerPane';
import { SyncToggle } from './playback/PlaybackControls';
import { FullScreenButton, PresentationButton } from './ScreenControls';
import { useSession, useStore } from './hooks/useStore';

/**
 * The page: a header row (open, side by side, teaching, screen modes, keys), the one toolbar acting
 * on the active pane, and the workspace: the runs list, the panes and the right-hand panel, both
 * panels folding to a strip. In presentation mode only the panes' pictures and slim play bars stay.
 */
export function App() {
  const [dragging, setDragging] = useState(false);
  // Pane ids only: the panes' frames change at the cine rate and must not re-render the whole app.
  const paneIds = useSession((s) => s.panes.map((p) => p.id).join(' '));
  const sideBySide = useSession((s) => s.panes.length > 1);
  const presentation = useStore(layout, (s) => s.presentation);
  useKeymap();
  const classes = ['app', dragging && 'dragging', presentation && 'presentation'].filter(Boolean).join(' ');
  return (
    <div
      className={classes}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void inputFilesFromDrop(e.dataTransfer).then(openInputs);
      }}
    >
      <header className="app-header">
        <h1>FluoroLens</h1>
        <OpenControls />
        <button type="button" className="side-by-side" aria-pressed={sideBySide} onClick={() => setSideBySide(!sideBySide)}>
          Side by side
        </button>
        <SyncToggle />
        <TeachingControls />
        <FullScreenButton />
        <PresentationButton />
        <KeysHelp />
      </header>
      <AppToolbar />
      <AlertRegion />
      <div className="workspace">
        <RunsPanel />
        <main className="panes">
          {paneIds.split(' ').map((paneId, index) => (
            <ViewerPane key={paneId} paneId={paneId} label={`Viewer ${index + 1}`} first={index === 0} />
          ))}
        </main>
        <RunAnalysisPanel />
      </div>
    </div>
  );
}
