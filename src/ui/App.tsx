import { useState } from 'react';
import { inputFilesFromDrop } from '../io/gatherFiles';
import { openInputs, setSideBySide } from '../state/session';
import { AlertRegion } from './AlertRegion';
import { RunAnalysisPanel } from './measurements/RunAnalysisPanel';
import { OpenControls } from './OpenControls';
import { RunsPanel } from './RunsPanel';
import { KeysHelp } from './keys/KeysHelp';
import { TeachingControls } from './teaching/TeachingControls';
import { useKeymap } from './keys/useKeymap';
import { ViewerPane } from './ViewerPane';
import { useSession } from './hooks/useStore';

export function App() {
  const [dragging, setDragging] = useState(false);
  // Pane ids only: the panes' frames change at the cine rate and must not re-render the whole app.
  const paneIds = useSession((s) => s.panes.map((p) => p.id).join(' '));
  const sideBySide = useSession((s) => s.panes.length > 1);
  useKeymap();
  return (
    <div
      className={dragging ? 'app dragging' : 'app'}
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
        <TeachingControls />
        <KeysHelp />
      </header>
      <AlertRegion />
      <div className="workspace">
        <RunsPanel />
        <main className="panes">
          {paneIds.split(' ').map((paneId, index) => (
            <ViewerPane key={paneId} paneId={paneId} label={`Viewer ${index + 1}`} />
          ))}
        </main>
        <RunAnalysisPanel />
      </div>
    </div>
  );
}
