import { useState } from 'react';

/**
 * Text the user is editing, seeded from the document. When the document's value changes under it
 * (undo, import, restore, another pane) the draft follows; until then the user's edit stands.
 */
export function useDraft(committed: string): [draft: string, setDraft: (text: string) => void] {
  const [state, setState] = useState({ committed, draft: committed });
  if (state.committed !== committed) {
    setState({ committed, draft: committed });
    return [committed, (draft) => setState((s) => ({ ...s, draft }))];
  }
  return [state.draft, (draft) => setState((s) => ({ ...s, draft }))];
}
