/**
 * Sync playback (side by side, "Sync playback" on): while one pane plays, its clock leads and
 * every other pane shows the frame of its own run at the same elapsed time from frame 1; while
 * nothing plays, a frame chosen in one pane puts the others at the same elapsed time.
 */
import { frameAtMediaTime } from '../viewer/cine';
import type { PanePlayer } from '../viewer/playback/panePlayer';
import { isWritingFrame, listenToPlayers, playerFor, players, publishFrameNow, writePaneFrame } from './panePlayers';
import { isPanePlaying, panePlayback, patchPanePlayback, playback } from './playbackStore';
import { runOfPane, session, type SessionState } from './session';

/** Each pane's run and frame as last seen, to find the pane the user moved. */
const seenFrames = new Map<string, { runKey: string | null; frame: number }>();

/** Once, at start (app/bootstrap.ts), after startPanePlayers. */
export function startPlaybackSync(): void {
  listenToPlayers({ tick: driveFollowers, stopped: releaseFollowers });
  session.subscribe(followSession);
}

/** The panes that play together now: every pane with a run, when Sync is on and there are two. */
export function syncedPanes(): string[] {
  const { panes } = session.getState();
  return playback.getState().sync && panes.length > 1 ? panes.filter((p) => p.runKey).map((p) => p.id) : [];
}

/** Every other synced pane stops its own clock and shows its run at the leader's elapsed time. */
export function attachFollowers(leaderId: string, leader: PanePlayer): void {
  for (const id of syncedPanes().filter((paneId) => paneId !== leaderId)) {
    const follower = playerFor(id);
    if (!follower) continue;
    follower.pause();
    patchPanePlayback(id, { following: leaderId });
    follower.setFollowing(true);
    follower.showAtMediaTime(leader.mediaTimeMs);
  }
}

/**
 * The leader stopped (or went away): its followers are on their own again. A leader that paused
 * stops on the frame due at the pause, which may be past its last animation frame's (PanePlayer
 * pause): its followers are put at that same elapsed time first, else a pane could stay a long
 * frame behind (seen in the browser test on a loaded machine: 1.51 s against 1.40 s).
 */
export function releaseFollowers(leaderId: string): void {
  const leader = players.get(leaderId)?.player;
  for (const [paneId, view] of Object.entries(playback.getState().panes)) {
    if (view.following !== leaderId) continue;
    const entry = players.get(paneId);
    if (entry && leader) entry.player.showAtMediaTime(leader.mediaTimeMs);
    entry?.player.setFollowing(false);
    patchPanePlayback(paneId, { following: null });
    if (entry) publishFrameNow(paneId, entry);
  }
}

function driveFollowers(leaderId: string, mediaTimeMs: number): void {
  for (const [paneId, view] of Object.entries(playback.getState().panes)) {
    if (view.following === leaderId) players.get(paneId)?.player.showAtMediaTime(mediaTimeMs);
  }
}

function rememberFrames(state: SessionState): void {
  for (const pane of state.panes) seenFrames.set(pane.id, { runKey: pane.runKey, frame: pane.frame });
}

function followSession(): void {
  if (isWritingFrame()) {
    rememberFrames(session.getState());
    return;
  }
  const state = session.getState();
  if (state.panes.length < 2 && Object.values(playback.getState().panes).some((v) => v.following)) {
    for (const id of Object.keys(playback.getState().panes)) releaseFollowers(id);
  }
  followPausedSeek(session.getState());
}

/** Sync on and nothing playing: a frame chosen in one pane puts the others at the same elapsed time. */
function followPausedSeek(state: SessionState): void {
  const synced = syncedPanes();
  const moved = state.panes.filter((pane) => {
    const seen = seenFrames.get(pane.id);
    return seen && seen.runKey === pane.runKey && seen.frame !== pane.frame;
  });
  rememberFrames(state);
  if (moved.length !== 1 || !synced.includes(moved[0].id) || synced.some((id) => isPanePlaying(panePlayback(id)))) return;
  const source = moved[0];
  const elapsedMs = runOfPane(state, source.id)?.info.timing.frameStartMs[source.frame - 1];
  if (elapsedMs === undefined) return;
  for (const id of synced.filter((paneId) => paneId !== source.id)) {
    const timing = runOfPane(session.getState(), id)?.info.timing;
    if (timing) writePaneFrame(id, frameAtMediaTime(timing, Math.min(elapsedMs, timing.durationMs - 1e-3)));
  }
  rememberFrames(session.getState());
}
