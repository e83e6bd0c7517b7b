import { useEffect, useState } from 'react';
import { inputFilesFromDrop } from '../io/gatherFiles';
import { openInputs, setSideBySide, stepFrame } from '../state/session';
import { AlertRegion } from './AlertRegion';
import { RunAnalysisPanel } from './measurements/RunAnalysisPanel';
import { OpenControls } from './OpenControls';
import { RunsPanel } from './RunsPanel';
import { ReviewKeysHelp, useReviewKeys } from './ReviewToolbar';
import { useUndoRedoKeys } from './UndoRedo';
import { ViewerPane } from './ViewerPane';
import { usePlaybackKeys } from './playback/usePlaybackKeys';
import { useSession } from './useStore';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !['range', 'button', 'checkbox', 'radio', 'file'].includes((target as HTMLInputElement).type);
}

export function App() {
  const [dragging, setDragging] = useState(false);
  // Pane ids only: the panes' frames change at the cine rate and must not re-render the whole app.
  const paneIds = useSession((s) => s.panes.map((p) => p.id).join(' '));
  usePlaybackKeys();
  const sideBySide = useSession((s) => s.panes.length > 1);
  useReviewKeys();
  useUndoRedoKeys();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTextEntry(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      // The Frame slider handles its own arrows; everywhere else ←/→ step frames.
      if (event.target instanceof HTMLInputElement && event.target.type === 'range') return;
      if (event.key === 'ArrowLeft') stepFrame(-1);
      else if (event.key === 'ArrowRight') stepFrame(1);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
        <ReviewKeysHelp />
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
