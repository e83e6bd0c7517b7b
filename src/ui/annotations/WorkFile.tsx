import { runFileStem } from '../../format/run';
import { documents, exportDocument, importDocument, type DocumentView } from '../../state/documents';
import { reportAlert, runOfPane, session } from '../../state/session';
import { useSession, useStore } from '../hooks/useStore';
import { Icon } from '../icons';
import { FileButton } from '../FileButton';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function saveStatus(view: DocumentView | undefined): string {
  if (!view) return '';
  if (view.saveError) return 'Not saved';
  if (view.saveState === 'pending') return 'Saving…';
  if (view.saveState === 'saved') return 'Saved';
  if (view.origin === 'restored') return `Restored ${view.restoredTracks} track${view.restoredTracks === 1 ? '' : 's'}`;
  return '';
}

/** The status's title: the whole sentence (the toolbar has room for two short lines). */
function saveTitle(view: DocumentView | undefined, status: string): string | undefined {
  if (view?.saveError) return `Not saved: ${view.saveError}`;
  if (view?.saveState === 'unchanged' && view.origin === 'restored') return `${status} from autosave`;
  return status || undefined;
}

/** Export and Import of the pane's annotations, and whether the work is saved in this browser. */
export function WorkFile({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const view = useStore(documents, (s) => (run ? s.byRun[run.key] : undefined));
  const status = saveStatus(view);

  const importFile = async (file: File) => {
    if (!run) return;
    const result = importDocument(run.key, await file.text(), session.getState().runs);
    if (!result.ok) reportAlert(file.name, `not imported, your annotations are unchanged: ${result.error}`);
    else for (const warning of result.warnings) reportAlert(file.name, `imported with a change: ${warning}`);
  };

  return (
    <div className="tool-group work-file" role="group" aria-label="Annotation file">
      <button
        type="button"
        className="icon-button"
        aria-label="Export annotations"
        disabled={!view}
        title="Export annotations: download the annotations of this run as JSON (with per-frame positions and measurements)"
        onClick={() => {
          const text = run && exportDocument(run.key);
          if (run && text) download(`${runFileStem(run)}.fluorolens.json`, text);
        }}
      >
        <Icon name="download" />
      </button>
      <FileButton
        name="Import annotations"
        className="button icon-button"
        title="Import annotations: replace this run's annotations with a saved file"
        disabled={!view}
        accept=".json,application/json"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void importFile(file);
        }}
      >
        <Icon name="upload" />
        <span className="visually-hidden">Import annotations</span>
      </FileButton>
      <output
        className={view?.saveError ? 'save-status failed' : 'save-status'}
        aria-label="Autosave status"
        aria-live="polite"
        title={saveTitle(view, status)}
      >
        {status}
      </output>
    </div>
  );
}
