import type { OpenedRun } from '../../dicom/run';
import { documents, editingViewOf, type DocumentView } from '../../state/documents';
import { quiz, visibleDocument } from '../../state/quiz';
import { useStore } from './useStore';

const views = new WeakMap<DocumentView, { doc: DocumentView['doc']; view: DocumentView }>();

/**
 * The run's annotation document as the user may see it (in quiz mode, the asked tracks are hidden
 * until Reveal); undefined until it exists. Documents are made (or restored from autosave) by
 * state/annotationEditing.ts as soon as a pane shows the run.
 */
export function useRunDocument(run: OpenedRun | null): DocumentView | undefined {
  // In quiz mode, the trainee's practice copy (the tools edit it, not the document).
  const full = useStore(documents, (s) => editingViewOf(s, run?.key));
  const quizState = useStore(quiz, (s) => s);
  if (!full || !run) return full;
  const doc = visibleDocument(run.key, full.doc, quizState);
  if (doc === full.doc) return full;
  const cached = views.get(full);
  if (cached?.doc === doc) return cached.view;
  const view = { ...full, doc };
  views.set(full, { doc, view });
  return view;
}
