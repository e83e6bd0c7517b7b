import { documents, editingViewOf, redo, undo } from '../../state/documents';
import { runOfPane } from '../../state/session';
import { useSession, useStore } from '../hooks/useStore';
import { Icon } from '../icons';

/** Undo and Redo for the pane's run; their titles name the step, e.g. "Undo Move needle tip". Keys: keys/keymap.ts. */
export function UndoRedo({ paneId }: { paneId: string }) {
  const runKey = useSession((s) => runOfPane(s, paneId)?.key ?? null);
  const undoLabel = useStore(documents, (s) => editingViewOf(s, runKey)?.undoLabel ?? null);
  const redoLabel = useStore(documents, (s) => editingViewOf(s, runKey)?.redoLabel ?? null);
  return (
    <div className="tool-group" role="group" aria-label="History">
      <button
        type="button"
        className="icon-button"
        aria-label="Undo"
        disabled={!runKey || !undoLabel}
        title={undoLabel ?? 'Nothing to undo'}
        aria-keyshortcuts="Control+Z"
        onClick={() => runKey && undo(runKey)}
      >
        <Icon name="undo" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Redo"
        disabled={!runKey || !redoLabel}
        title={redoLabel ?? 'Nothing to redo'}
        aria-keyshortcuts="Control+Shift+Z Control+Y"
        onClick={() => runKey && redo(runKey)}
      >
        <Icon name="redo" />
      </button>
    </div>
  );
}
