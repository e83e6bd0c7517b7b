/**
 * What the playback controls show, per pane: playing, speed, mode, play range, frames shown and
 * dropped, and which pane's clock it follows under Sync playback. The frame itself is not here:
 * it stays in the session (pane.frame), so everything that follows the current frame keeps working
 * while a run plays. Changed by the actions in playback.ts.
 */
import type { CineStats, PlaybackMode, PlaybackState, PlayRange } from '../viewer/cine';
import { createStore } from './createStore';

export interface PanePlayback {
  state: PlaybackState;
  speed: number;
  mode: PlaybackMode;
  /** In and out points (1-based, inclusive); null plays the whole run. */
  range: PlayRange | null;
  stats: CineStats;
  /** The pane whose clock this pane follows while Sync playback plays, else null. */
  following: string | null;
}

export interface PlaybackStoreState {
  panes: Record<string, PanePlayback>;
  sync: boolean;
}

export const DEFAULT_PANE_PLAYBACK: PanePlayback = {
  state: 'paused',
  speed: 1,
  mode: 'loop',
  range: null,
  stats: { shown: 0, dropped: 0, stalls: 0 },
  following: null,
};

export const playback = createStore<PlaybackStoreState>({ panes: {}, sync: false });

export function panePlayback(paneId: string, state: PlaybackStoreState = playback.getState()): PanePlayback {
  return state.panes[paneId] ?? DEFAULT_PANE_PLAYBACK;
}

export function patchPanePlayback(paneId: string, patch: Partial<PanePlayback>): void {
  playback.setState((state) => ({ panes: { ...state.panes, [paneId]: { ...panePlayback(paneId, state), ...patch } } }));
}

/** True when the pane plays, on its own clock or following another pane's. */
export function isPanePlaying(view: PanePlayback): boolean {
  return view.state === 'playing' || view.following !== null;
}
