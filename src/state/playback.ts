/**
 * The playback actions the controls and keys call, per pane (the active pane unless told):
 * play/pause, speed, mode, in and out points, Home/End, and Sync playback on or off. What they
 * change is in playbackStore.ts; the players themselves are in panePlayers.ts, and how panes
 * follow each other under Sync playback in playbackSync.ts.
 */
import { PLAYBACK_SPEEDS, type PlaybackMode, type PlayRange } from '../viewer/cine';
import { playerFor, players } from './panePlayers';
import { isPanePlaying, panePlayback, patchPanePlayback, playback } from './playbackStore';
import { attachFollowers, releaseFollowers } from './playbackSync';
import { paneById, runOfPane, session, setFrame } from './session';

export function play(paneId: string): void {
  const leaderOf = panePlayback(paneId).following;
  if (leaderOf) return;
  const player = playerFor(paneId);
  if (!player) return;
  const frame = paneById(session.getState(), paneId)?.frame ?? player.frame;
  // The user may have stepped or scrubbed since the clock last moved; start from what is on screen.
  if (frame !== player.frame) player.seek(frame);
  attachFollowers(paneId, player);
  player.play();
}

export function pause(paneId: string): void {
  const leader = panePlayback(paneId).following ?? paneId;
  players.get(leader)?.player.pause();
}

export function togglePlay(paneId: string = session.getState().activePaneId): void {
  if (isPanePlaying(panePlayback(paneId))) pause(paneId);
  else play(paneId);
}

export function setSpeed(speed: number, paneId: string = session.getState().activePaneId): void {
  if (!(speed > 0)) return;
  players.get(paneId)?.player.setSpeed(speed);
  patchPanePlayback(paneId, { speed });
}

/** +/− keys: the next offered speed up or down. */
export function stepSpeed(direction: 1 | -1, paneId: string = session.getState().activePaneId): void {
  const speeds: readonly number[] = PLAYBACK_SPEEDS;
  const current = speeds.indexOf(panePlayback(paneId).speed);
  const next = speeds[Math.min(speeds.length - 1, Math.max(0, (current < 0 ? speeds.indexOf(1) : current) + direction))];
  setSpeed(next, paneId);
}

export function setMode(mode: PlaybackMode, paneId: string = session.getState().activePaneId): void {
  players.get(paneId)?.player.setMode(mode);
  patchPanePlayback(paneId, { mode });
}

/** The pane's play range (null: the whole run), as In, Out and Clear set it, or the file's trim. */
export function setPlayRange(paneId: string, range: PlayRange | null): void {
  // Made now so the range is forgotten with the run (panePlayers.ts drops a player whose pane shows another run).
  playerFor(paneId)?.setRange(range);
  patchPanePlayback(paneId, { range });
}

function currentFrameAndCount(paneId: string): { frame: number; count: number } | null {
  const state = session.getState();
  const run = runOfPane(state, paneId);
  const frame = paneById(state, paneId)?.frame;
  return run && frame ? { frame, count: run.info.frameCount } : null;
}

/** I key: the play range starts at the current frame (the out point moves to the end if it was before). */
export function setInPoint(paneId: string = session.getState().activePaneId): void {
  const at = currentFrameAndCount(paneId);
  if (!at) return;
  const out = panePlayback(paneId).range?.outFrame ?? at.count;
  setPlayRange(paneId, { inFrame: at.frame, outFrame: out >= at.frame ? out : at.count });
}

/** O key: the play range ends at the current frame (the in point moves to frame 1 if it was after). */
export function setOutPoint(paneId: string = session.getState().activePaneId): void {
  const at = currentFrameAndCount(paneId);
  if (!at) return;
  const inFrame = panePlayback(paneId).range?.inFrame ?? 1;
  setPlayRange(paneId, { inFrame: inFrame <= at.frame ? inFrame : 1, outFrame: at.frame });
}

export function clearRange(paneId: string = session.getState().activePaneId): void {
  setPlayRange(paneId, null);
}

/** Home / End: the first or last frame of the play range (of the run when there is none). */
export function goToRangeEnd(end: 'start' | 'end', paneId: string = session.getState().activePaneId): void {
  const at = currentFrameAndCount(paneId);
  if (!at) return;
  const range = panePlayback(paneId).range ?? { inFrame: 1, outFrame: at.count };
  setFrame(end === 'start' ? range.inFrame : range.outFrame, paneId);
}

export function setSync(on: boolean): void {
  if (playback.getState().sync === on) return;
  if (!on) for (const id of Object.keys(playback.getState().panes)) releaseFollowers(id);
  playback.setState({ sync: on });
  if (!on) return;
  // Turned on while a pane plays: the others join it at once.
  const playing = [...players].find(([paneId]) => panePlayback(paneId).state === 'playing');
  if (playing) attachFollowers(playing[0], playing[1].player);
}
