import type { OpenedRun } from '../../dicom/run';
import { documents, type DocumentView } from '../../state/documents';
import { useStore } from './useStore';

/**
 * The run's annotation document; undefined until it exists. Documents are made (or restored from
 * autosave) by state/annotationEditing.ts as soon as a pane shows the run.
 */
export function useRunDocument(run: OpenedRun | null): DocumentView | undefined {
  return useStore(documents, (s) => (run ? s.byRun[run.key] : undefined));
}
