import { useEffect } from 'react';
import type { OpenedRun } from '../../dicom/run';
import { documents, ensureDocument, type DocumentView } from '../../state/documents';
import { useStore } from '../useStore';

/** The run's annotation document, created (or restored from autosave) the first time it is shown. */
export function useRunDocument(run: OpenedRun | null): DocumentView | undefined {
  useEffect(() => {
    if (run) void ensureDocument(run);
  }, [run]);
  return useStore(documents, (s) => (run ? s.byRun[run.key] : undefined));
}
