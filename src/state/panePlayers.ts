/**
 * One PanePlayer (viewer/playback) per pane, made on demand for the run the pane shows and
 * dropped when the pane shows another run or closes. While a run plays, the player puts frames on
 * the viewport itself and tells the session at most every PLAYING_UI_INTERVAL_MS; a frame the
 * user chooses while it plays (slider, keys) moves its clock there.
 */
import type { CineStats } from '../viewer/cine';
import { PanePlayer } from '../viewer/playback/panePlayer';
import { DEFAULT_PANE_PLAYBACK, isPanePlaying, panePlayback, patchPanePlayback } from './playbackStore';
import { paneById, runOfPane, session, setFrame } from './session';
import { viewportOf } from './viewports';

/**
 * While playing, the image changes at the run's rate straight from the rAF callback, but the
 * session (slider, readouts, overlay text, charts) hears of the frame at most this often, then in
 * the animation frame that draws the next image (afterNextRender): published from a timer of its
 * own, each update was a frame of its own for the GPU process to present, 25 frames a second for
 * a 15 fps run, and on software GL each costs it ~25 ms of CPU (bench, 1024² runs at 1×: 1.30–1.38
 * cores before, 1.01–1.05 after). Pausing publishes the exact frame.
 */
const PLAYING_UI_INTERVAL_MS = 100;
/** The readouts catch up at the latest this long after they are due, should no render come (a frame that is not decoded yet). */
const RENDER_WAIT_MAX_MS = 250;

export interface PlayerEntry {
  player: PanePlayer;
  runKey: string;
  lastUiUpdate: number;
  uiTimer: ReturnType<typeof setTimeout> | null;
  /** The publish waiting for the viewport's next render, if any (a later publish makes it moot). */
  uiDue: object | null;
  /** The pane's frame in the session as last seen, to tell a user's seek from other session changes. */
  sessionFrame: number;
}

/** What Sync playback (playbackSync.ts) hears from the players. */
export interface PlayerEvents {
  /** After every rAF tick of a playing pane: its position, ms from frame 1. */
  tick(paneId: string, mediaTimeMs: number): void;
  /** The pane's player stopped playing, or went away. */
  stopped(paneId: string): void;
}

export const players = new Map<string, PlayerEntry>();
let events: PlayerEvents = { tick: () => undefined, stopped: () => undefined };
/** Set while playback itself writes a pane's frame to the session, so that write is not taken for a user seek. */
let writingFrame = false;

/** Once, at start (app/bootstrap.ts): players follow the session (new runs, closed panes, user seeks). */
export function startPanePlayers(): void {
  session.subscribe(followSession);
}

export function listenToPlayers(listener: PlayerEvents): void {
  events = listener;
}

/** Playback's own write of a pane's frame (not a user seek: the session listeners let it pass). */
export function writePaneFrame(paneId: string, frame: number): void {
  writingFrame = true;
  try {
    setFrame(frame, paneId);
  } finally {
    writingFrame = false;
  }
}

export function isWritingFrame(): boolean {
  return writingFrame;
}

/** The pane's player for the run it shows now, made if needed; null until the viewport shows that run. */
export function playerFor(paneId: string): PanePlayer | null {
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
    uiDue: null,
    sessionFrame: paneById(session.getState(), paneId)?.frame ?? 1,
    player: new PanePlayer({
      run,
      stack,
      speed: view.speed,
      mode: view.mode,
      range: view.range,
      startFrame: paneById(session.getState(), paneId)?.frame ?? 1,
      onFrame: () => scheduleUiUpdate(paneId, entry),
      onTick: (mediaTimeMs) => events.tick(paneId, mediaTimeMs),
      onStateChange: (state) => {
        publishFrameNow(paneId, entry);
        patchPanePlayback(paneId, { state, stats: entry.player.stats });
        if (state !== 'playing') events.stopped(paneId);
      },
    }),
  };
  players.set(paneId, entry);
  return entry.player;
}

/** Live counters of the pane's player (the store's copy lags while playing), for the bench and tests. */
export function playbackStats(paneId: string): CineStats {
  return players.get(paneId)?.player.stats ?? panePlayback(paneId).stats;
}

/**
 * Frame (and stats) to the session: now when nothing plays, else at most every
 * PLAYING_UI_INTERVAL_MS, in the animation frame that draws the viewport's next image.
 */
function scheduleUiUpdate(paneId: string, entry: PlayerEntry): void {
  if (!isPanePlaying(panePlayback(paneId))) {
    publishFrameNow(paneId, entry);
    return;
  }
  if (entry.uiTimer !== null) return;
  const wait = Math.max(0, entry.lastUiUpdate + PLAYING_UI_INTERVAL_MS - performance.now());
  entry.uiTimer = setTimeout(() => {
    if (players.get(paneId) !== entry) return;
    const due = {};
    entry.uiDue = due;
    const publish = (frame?: number) => {
      if (entry.uiDue === due && players.get(paneId) === entry) publishFrameNow(paneId, entry, frame);
    };
    entry.player.stack.afterNextRender(publish);
    entry.uiTimer = setTimeout(() => publish(), RENDER_WAIT_MAX_MS);
  }, wait);
}

/** The player's frame, or `frame` (the one just drawn, which the player's clock may have passed), to the session. */
export function publishFrameNow(paneId: string, entry: PlayerEntry, frame = entry.player.frame): void {
  if (entry.uiTimer !== null) clearTimeout(entry.uiTimer);
  entry.uiTimer = null;
  entry.uiDue = null;
  entry.lastUiUpdate = performance.now();
  writePaneFrame(paneId, frame);
  entry.sessionFrame = paneById(session.getState(), paneId)?.frame ?? entry.player.frame;
  if (isPanePlaying(panePlayback(paneId))) patchPanePlayback(paneId, { stats: entry.player.stats });
}

/**
 * A new run in a pane starts over (paused, whole run), a closed pane stops, and a frame the user
 * chose while the pane plays moves the clock there.
 */
function followSession(): void {
  if (writingFrame) return;
  const state = session.getState();
  for (const [paneId, entry] of players) {
    const pane = paneById(state, paneId);
    if (!pane || pane.runKey !== entry.runKey || viewportOf(paneId) !== entry.player.stack) {
      entry.player.dispose();
      players.delete(paneId);
      events.stopped(paneId);
      patchPanePlayback(paneId, { state: 'paused', range: null, following: null, stats: DEFAULT_PANE_PLAYBACK.stats });
      continue;
    }
    if (pane.frame === entry.sessionFrame) continue;
    entry.sessionFrame = pane.frame;
    const view = panePlayback(paneId);
    if (view.state === 'playing' && view.following === null && pane.frame !== entry.player.frame) entry.player.seek(pane.frame);
  }
}
