/**
 * Cine playback per pane: what the controls show (playing, speed, mode, play range, frames shown
 * and dropped) and the actions they call. The frame itself stays in the session (pane.frame), so
 * everything that follows the current frame keeps working while a run plays.
 *
 * A PanePlayer (viewer/playback) is made on demand for the run a pane shows and dropped when the
 * pane shows another run. With "Sync playback" on and two panes, one pane's clock leads and every
 * other pane shows the frame of its own run at the same elapsed time from frame 1.
 */
import { PLAYBACK_SPEEDS, frameAtMediaTime, type CineStats, type PlaybackMode, type PlaybackState, type PlayRange } from '../viewer/cine';
import { PanePlayer } from '../viewer/playback/panePlayer';
import { createStore } from './createStore';
import { paneById, runOfPane, session, setFrame, type SessionState } from './session';
import { viewportOf } from './viewports';

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

/**
 * While playing, the image changes at the run's rate straight from the rAF callback, but the
 * session (slider, readouts, overlay text, charts) hears of the frame at most this often: a React
 * pass over every pane's components costs more than drawing a frame (measured: ~30 ms per step
 * through the session on a 1024² run vs ~15 ms for the viewport alone). Pausing publishes the exact frame.
 */
const PLAYING_UI_INTERVAL_MS = 100;

interface PlayerEntry {
  player: PanePlayer;
  runKey: string;
  lastUiUpdate: number;
  uiTimer: ReturnType<typeof setTimeout> | null;
  /** The pane's frame in the session as last seen, to tell a user's seek from other session changes. */
  sessionFrame: number;
}
const players = new Map<string, PlayerEntry>();
/** Set while this module itself writes a pane's frame to the session, so that write is not taken for a user seek. */
let publishingFrame = false;

export function panePlayback(paneId: string, state: PlaybackStoreState = playback.getState()): PanePlayback {
  return state.panes[paneId] ?? DEFAULT_PANE_PLAYBACK;
}

function patchPane(paneId: string, patch: Partial<PanePlayback>): void {
  playback.setState((state) => ({ panes: { ...state.panes, [paneId]: { ...panePlayback(paneId, state), ...patch } } }));
}

/** True when the pane plays, on its own clock or following another pane's. */
export function isPanePlaying(view: PanePlayback): boolean {
  return view.state === 'playing' || view.following !== null;
}

/** The pane's player for the run it shows now, made if needed; null until the viewport shows that run. */
function playerFor(paneId: string): PanePlayer | null {
  const run = runOfPane(session.getState(), paneId);
  const stack = viewportOf(paneId);
  if (!run || !stack || stack.currentRun !== run) return null;
  const existing = players.get(paneId);
  if (existing && existing.runKey === run.key && existing.player.stack === stack) return existing.player;
  existing?.player.dispose();
  const view = panePlayback(paneId);
  const entry: PlayerEntry = {
    runKey: run.key,
    lastUiUpdate: 0,
    uiTimer: null,
    sessionFrame: paneById(session.getState(), paneId)?.frame ?? 1,
    player: new PanePlayer({
      run,
      stack,
      speed: view.speed,
      mode: view.mode,
      range: view.range,
      startFrame: paneById(session.getState(), paneId)?.frame ?? 1,
      onFrame: () => scheduleUiUpdate(paneId, entry),
      onTick: (mediaTimeMs) => driveFollowers(paneId, mediaTimeMs),
      onStateChange: (state) => {
        publishFrameNow(paneId, entry);
        patchPane(paneId, { state, stats: entry.player.stats });
        if (state !== 'playing') releaseFollowers(paneId);
      },
    }),
  };
  players.set(paneId, entry);
  return entry.player;
}

/** Frame (and stats) to the session: now when nothing plays, else at most every PLAYING_UI_INTERVAL_MS. */
function scheduleUiUpdate(paneId: string, entry: PlayerEntry): void {
  if (!isPanePlaying(panePlayback(paneId))) {
    publishFrameNow(paneId, entry);
    return;
  }
  if (entry.uiTimer !== null) return;
  const wait = Math.max(0, entry.lastUiUpdate + PLAYING_UI_INTERVAL_MS - performance.now());
  // Out of the rAF callback, so the React pass never delays the frame being drawn.
  entry.uiTimer = setTimeout(() => {
    if (players.get(paneId) === entry) publishFrameNow(paneId, entry);
  }, wait);
}

function publishFrameNow(paneId: string, entry: PlayerEntry): void {
  if (entry.uiTimer !== null) clearTimeout(entry.uiTimer);
  entry.uiTimer = null;
  entry.lastUiUpdate = performance.now();
  publishingFrame = true;
  try {
    setFrame(entry.player.frame, paneId);
  } finally {
    publishingFrame = false;
  }
  entry.sessionFrame = paneById(session.getState(), paneId)?.frame ?? entry.player.frame;
  if (isPanePlaying(panePlayback(paneId))) patchPane(paneId, { stats: entry.player.stats });
}

function syncedPanes(): string[] {
  const { panes } = session.getState();
  return playback.getState().sync && panes.length > 1 ? panes.filter((p) => p.runKey).map((p) => p.id) : [];
}

function driveFollowers(leaderId: string, mediaTimeMs: number): void {
  for (const [paneId, view] of Object.entries(playback.getState().panes)) {
    if (view.following === leaderId) players.get(paneId)?.player.showAtMediaTime(mediaTimeMs);
  }
}

function releaseFollowers(leaderId: string): void {
  for (const [paneId, view] of Object.entries(playback.getState().panes)) {
    if (view.following !== leaderId) continue;
    const entry = players.get(paneId);
    entry?.player.setFollowing(false);
    patchPane(paneId, { following: null });
    if (entry) publishFrameNow(paneId, entry);
  }
}

/** Live counters of the pane's player (the store's copy lags while playing), for the bench and tests. */
export function playbackStats(paneId: string): CineStats {
  return players.get(paneId)?.player.stats ?? panePlayback(paneId).stats;
}

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

/** Sync playback: every other pane stops its own clock and shows its run at the leader's elapsed time. */
function attachFollowers(leaderId: string, leader: PanePlayer): void {
  for (const id of syncedPanes().filter((paneId) => paneId !== leaderId)) {
    const follower = playerFor(id);
    if (!follower) continue;
    follower.pause();
    patchPane(id, { following: leaderId });
    follower.setFollowing(true);
    follower.showAtMediaTime(leader.mediaTimeMs);
  }
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
  patchPane(paneId, { speed });
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
  patchPane(paneId, { mode });
}

function applyRange(paneId: string, range: PlayRange | null): void {
  // Made now so the range is forgotten with the run (see the session subscription below).
  playerFor(paneId)?.setRange(range);
  patchPane(paneId, { range });
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
  applyRange(paneId, { inFrame: at.frame, outFrame: out >= at.frame ? out : at.count });
}

/** O key: the play range ends at the current frame (the in point moves to frame 1 if it was after). */
export function setOutPoint(paneId: string = session.getState().activePaneId): void {
  const at = currentFrameAndCount(paneId);
  if (!at) return;
  const inFrame = panePlayback(paneId).range?.inFrame ?? 1;
  applyRange(paneId, { inFrame: inFrame <= at.frame ? inFrame : 1, outFrame: at.frame });
}

export function clearRange(paneId: string = session.getState().activePaneId): void {
  applyRange(paneId, null);
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

// Keep players in step with the session: a new run in a pane starts over (paused, whole run), a
// closed pane stops, and a frame chosen by the user while playing moves the clock there.
/** Each pane's run and frame as last seen, to find the pane the user moved. */
const seenFrames = new Map<string, { runKey: string | null; frame: number }>();
let syncingSeek = false;

function rememberFrames(state: SessionState): void {
  for (const pane of state.panes) seenFrames.set(pane.id, { runKey: pane.runKey, frame: pane.frame });
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
  syncingSeek = true;
  try {
    for (const id of synced.filter((paneId) => paneId !== source.id)) {
      const timing = runOfPane(session.getState(), id)?.info.timing;
      if (timing) setFrame(frameAtMediaTime(timing, Math.min(elapsedMs, timing.durationMs - 1e-3)), id);
    }
  } finally {
    syncingSeek = false;
  }
  rememberFrames(session.getState());
}

/** Once, at start (app/bootstrap.ts). */
export function startPlaybackSync(): void {
  session.subscribe(followSession);
}

function followSession(): void {
  if (publishingFrame || syncingSeek) {
    rememberFrames(session.getState());
    return;
  }
  const state = session.getState();
  for (const [paneId, entry] of players) {
    const pane = paneById(state, paneId);
    if (!pane || pane.runKey !== entry.runKey || viewportOf(paneId) !== entry.player.stack) {
      entry.player.dispose();
      players.delete(paneId);
      releaseFollowers(paneId);
      patchPane(paneId, { state: 'paused', range: null, following: null, stats: DEFAULT_PANE_PLAYBACK.stats });
      continue;
    }
    // The user moved the frame (slider, keys) while this pane plays: playback goes on from there.
    if (pane.frame === entry.sessionFrame) continue;
    entry.sessionFrame = pane.frame;
    const view = panePlayback(paneId);
    if (view.state === 'playing' && view.following === null && pane.frame !== entry.player.frame) entry.player.seek(pane.frame);
  }
  if (state.panes.length < 2 && Object.values(playback.getState().panes).some((v) => v.following)) {
    for (const id of Object.keys(playback.getState().panes)) releaseFollowers(id);
  }
  followPausedSeek(session.getState());
}
