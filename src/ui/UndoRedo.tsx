import { useEffect } from 'react';
import { documents, redo, undo } from '../state/documents';
import { runOfPane, selectedRun } from '../state/session';
import { useSession, useStore } from './useStore';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  return target.tagName === 'INPUT' && !['range', 'button', 'checkbox', 'radio', 'file'].includes((target as HTMLInputElement).type);
}

/** Undo and Redo for the pane's run; their titles name the step, e.g. "Undo Move needle tip". */
export function UndoRedo({ paneId }: { paneId: string }) {
  const runKey = useSession((s) => runOfPane(s, paneId)?.key ?? null);
  const undoLabel = useStore(documents, (s) => (runKey ? s.byRun[runKey]?.undoLabel : null) ?? null);
  const redoLabel = useStore(documents, (s) => (runKey ? s.byRun[runKey]?.redoLabel : null) ?? null);
  return (
    <div className="tool-group" role="group" aria-label="History">
      <button
        type="button"
        disabled={!runKey || !undoLabel}
        title={undoLabel ?? 'Nothing to undo'}
        aria-keyshortcuts="Control+Z"
        onClick={() => runKey && undo(runKey)}
      >
        Undo
      </button>
      <button
        type="button"
        disabled={!runKey || !redoLabel}
        title={redoLabel ?? 'Nothing to redo'}
        aria-keyshortcuts="Control+Shift+Z Control+Y"
        onClick={() => runKey && redo(runKey)}
      >
        Redo
      </button>
    </div>
  );
}

/** Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, on the active pane's run; text fields keep their own undo. */
export function useUndoRedoKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || isTextEntry(event.target)) return;
      const key = event.key.toLowerCase();
      const isUndo = key === 'z' && !event.shiftKey;
      const isRedo = (key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey);
      if (!isUndo && !isRedo) return;
      const run = selectedRun();
      if (!run) return;
      event.preventDefault();
      if (isUndo) undo(run.key);
      else redo(run.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
