/**
 * Cine playback of one pane: a CineClock (pure, media-time based) ticked by requestAnimationFrame,
 * putting each frame it calls for straight onto the pane's Cornerstone viewport. Showing a frame
 * never waits for React: the viewport changes image inside the rAF callback, and the session is
 * told afterwards so sliders and readouts follow.
 */
import type { OpenedRun } from '../../dicom/run';
import {
  CineClock,
  frameAtMediaTime,
  startRafLoop,
  type CancelFrame,
  type CineStats,
  type PlaybackMode,
  type PlaybackState,
  type PlayRange,
  type RequestFrame,
} from '../cine';

/**
 * What playback needs of the viewport it drives (StackController implements it): whether a frame
 * is decoded, a way to show a frame while the session lags behind, and where to decode ahead.
 */
export interface PlaybackTarget {
  isFrameReady(frame: number): boolean;
  /** Shows a frame even while playback drives the viewport. */
  showPlaybackFrame(frame: number): Promise<void>;
  /** While true, only showPlaybackFrame changes the frame (the session's frame lags on purpose). */
  setDrivenByPlayback(driven: boolean): void;
  /** Frames in playback order after a frame, to decode ahead of the play head; null when not playing. */
  setPlaybackOrder(order: ((frame: number, count: number) => number[]) | null): void;
  /**
   * Calls `callback` once, with the frame drawn, inside the animation frame that next draws the
   * viewport: what it changes in the page goes to the screen with that image, in the same frame.
   */
  afterNextRender(callback: (frame: number) => void): void;
}

export interface PanePlayerOptions {
  run: OpenedRun;
  stack: PlaybackTarget;
  speed: number;
  mode: PlaybackMode;
  range: PlayRange | null;
  startFrame: number;
  /** A frame went on screen (playback, seek or sync), 1-based. */
  onFrame(frame: number): void;
  /** After every rAF tick while playing: position on the run's timeline, ms from frame 1 (sync uses it). */
  onTick?(mediaTimeMs: number): void;
  onStateChange?(state: PlaybackState): void;
  requestFrame?: RequestFrame;
  cancelFrame?: CancelFrame;
  /** The clock rAF timestamps are on (performance.now in a page); tests pass their fake rAF's. */
  now?: () => number;
}

export class PanePlayer {
  readonly run: OpenedRun;
  readonly stack: PlaybackTarget;
  private readonly clock: CineClock;
  private stopLoop: (() => void) | null = null;
  private readonly options: PanePlayerOptions;

  constructor(options: PanePlayerOptions) {
    this.options = options;
    this.run = options.run;
    this.stack = options.stack;
    this.clock = new CineClock({
      timing: options.run.info.timing,
      mode: options.mode,
      speed: options.speed,
      range: options.range ?? undefined,
      startFrame: options.startFrame,
      isFrameReady: (frame) => this.stack.isFrameReady(frame),
      onFrame: (frame) => this.show(frame),
      onStateChange: (state) => this.handleState(state),
    });
  }

  get frame(): number {
    return this.clock.frame;
  }
  get state(): PlaybackState {
    return this.clock.state;
  }
  get stats(): CineStats {
    return this.clock.stats;
  }
  get mediaTimeMs(): number {
    return this.clock.mediaTimeMs;
  }

  play(): void {
    if (this.clock.state === 'playing') return;
    this.clock.resetStats();
    this.stack.setDrivenByPlayback(true);
    this.stack.setPlaybackOrder((frame, count) => this.clock.framesAhead(frame, count));
    this.clock.play(this.now());
    const requestFrame = this.options.requestFrame ?? ((cb) => requestAnimationFrame(cb));
    const cancelFrame = this.options.cancelFrame ?? ((handle) => cancelAnimationFrame(handle));
    this.stopLoop = startRafLoop(
      {
        tick: (now) => {
          this.clock.tick(now);
          if (this.clock.state === 'playing') this.options.onTick?.(this.clock.mediaTimeMs);
        },
      },
      requestFrame,
      cancelFrame,
    );
    performance.mark('fluorolens:playback-start', {
      detail: { run: this.run.key, frame: this.clock.frame, speed: this.clock.speed, mode: this.clock.mode },
    });
  }

  /** Stops on the frame due now, not on the one of the last rAF tick (which a busy page may have delayed). */
  pause(): void {
    if (this.clock.state === 'playing') this.clock.tick(this.now());
    this.clock.pause();
  }

  /** Jumps to a frame (clamped into the play range) without playing through the frames between. */
  seek(frame: number): void {
    this.clock.seek(frame);
  }

  /** Sync: shows the frame of this run that is on screen `mediaTimeMs` after its frame 1 (the last one past its end). */
  showAtMediaTime(mediaTimeMs: number): void {
    const timing = this.run.info.timing;
    this.clock.seek(frameAtMediaTime(timing, Math.min(mediaTimeMs, timing.durationMs - 1e-3)));
  }

  /** Sync: while this pane follows another pane's clock, only playback may change its frame. */
  setFollowing(following: boolean): void {
    this.stack.setDrivenByPlayback(following || this.clock.state === 'playing');
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed, this.clock.state === 'playing' ? this.now() : undefined);
  }

  setMode(mode: PlaybackMode): void {
    this.clock.setMode(mode);
  }

  setRange(range: PlayRange | null): void {
    if (range) this.clock.setRange(range);
    else this.clock.clearRange();
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }

  dispose(): void {
    this.stopLoop?.();
    this.stopLoop = null;
    this.stack.setPlaybackOrder(null);
    this.stack.setDrivenByPlayback(false);
  }

  private show(frame: number): void {
    void this.stack.showPlaybackFrame(frame);
    this.options.onFrame(frame);
  }

  private handleState(state: PlaybackState): void {
    if (state !== 'playing') {
      this.stopLoop?.();
      this.stopLoop = null;
      this.stack.setPlaybackOrder(null);
      this.stack.setDrivenByPlayback(false);
      const { shown, dropped, stalls } = this.clock.stats;
      performance.mark('fluorolens:playback-stop', {
        detail: { run: this.run.key, frame: this.clock.frame, state, shown, dropped, stalls },
      });
    }
    this.options.onStateChange?.(state);
  }
}
