import { isFolded, layout, setFolded, type Arrangement, type Panel } from '../../state/layout';
import { session, type SessionState } from '../../state/session';
import { useSession, useStore } from './useStore';

export function arrangementOf(state: SessionState = session.getState()): Arrangement {
  return state.panes.length > 1 ? 'sideBySide' : 'single';
}

/** Whether a side panel is folded in the current arrangement, and the way to change it. */
export function useFolded(panel: Panel): { folded: boolean; fold(folded: boolean): void } {
  const arrangement = useSession(arrangementOf);
  const folded = useStore(layout, (s) => isFolded(panel, arrangement, s));
  return { folded, fold: (value) => setFolded(panel, arrangement, value) };
}
