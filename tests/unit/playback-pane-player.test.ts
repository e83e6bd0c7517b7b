import { describe, expect, it } from 'vitest';
import type { OpenedRun } from '../../src/dicom/run';
import { PanePlayer, type PlaybackTarget } from '../../src/viewer/playback/panePlayer';

/** A fake rAF: frames run when the test says, at the timestamps it gives. */
function fakeRaf() {
  let callbacks = new Map<number, (t: number) => void>();
  let next = 1;
  let lastTime = 0;
  return {
    now: () => lastTime,
    requestFrame: (cb: (t: number) => void) => {
      callbacks.set(next, cb);
      return next++;
    },
    cancelFrame: (handle: number) => void callbacks.delete(handle),
    run(t: number) {
      lastTime = t;
      const due = callbacks;
      callbacks = new Map();
      for (const cb of due.values()) cb(t);
    },
    get pending() {
      return callbacks.size;
    },
  };
}

function fakeStack(ready: (frame: number) => boolean = () => true) {
  const shown: number[] = [];
  let order: ((frame: number, count: number) => number[]) | null = null;
  const stack: PlaybackTarget = {
    isFrameReady: ready,
    showPlaybackFrame: async (frame: number) => void shown.push(frame),
    setDrivenByPlayback: () => undefined,
    setPlaybackOrder: (o: typeof order) => (order = o),
    afterNextRender: () => undefined,
  };
  return { stack, shown, order: () => order };
}

function runAt(fps: number, frames: number, starts?: number[]): OpenedRun {
  const frameStartMs = starts ?? Array.from({ length: frames }, (_, i) => (i * 1000) / fps);
  const durationMs = starts ? starts[starts.length - 1] + 1000 / fps : (frames * 1000) / fps;
  return {
    key: 'run-1',
    info: { timing: { frameStartMs, durationMs, nominalFps: fps, source: 'Frame Time', notes: [] } },
    frames: frameStartMs.map(() => ({ ok: true })),
  } as unknown as OpenedRun;
}

function player(
  run: OpenedRun,
  stack: PlaybackTarget,
  raf: ReturnType<typeof fakeRaf>,
  extra: Partial<ConstructorParameters<typeof PanePlayer>[0]> = {},
) {
  const reported: number[] = [];
  const p = new PanePlayer({
    run,
    stack,
    speed: 1,
    mode: 'loop',
    range: null,
    startFrame: 1,
    onFrame: (f) => reported.push(f),
    requestFrame: raf.requestFrame,
    cancelFrame: raf.cancelFrame,
    now: raf.now,
    ...extra,
  });
  return { p, reported };
}

/** Runs rAF at 60 Hz from `from` for `ms`. */
function runFor(raf: ReturnType<typeof fakeRaf>, from: number, ms: number): number {
  let t = from;
  for (; t <= from + ms + 1e-9; t += 1000 / 60) raf.run(t);
  return t;
}

describe('pane player: a cine clock on requestAnimationFrame driving the viewport', () => {
  it('puts 30 frames of a 15 fps run on the viewport in 2 s and reports each one', () => {
    const raf = fakeRaf();
    const { stack, shown } = fakeStack();
    const { p, reported } = player(runAt(15, 60), stack, raf);
    p.play();
    runFor(raf, 0, 2000);
    expect(p.frame).toBe(31);
    expect(shown).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(reported).toEqual(shown);
    expect(p.stats.dropped).toBe(0);
  });

  it('drops frames instead of drifting when ticks come late, and counts them', () => {
    const raf = fakeRaf();
    const { stack } = fakeStack();
    const { p } = player(runAt(30, 300), stack, raf);
    p.play();
    // 10 Hz display for 2 s: the clock must still be at 2 s of media time (frame 61).
    for (let t = 0; t <= 2000; t += 100) raf.run(t);
    expect(p.frame).toBe(61);
    expect(p.stats.shown).toBe(20);
    expect(p.stats.dropped).toBe(40);
  });

  it('stops its rAF loop when paused and when a "once" run reaches its out point', () => {
    const raf = fakeRaf();
    const { stack, order } = fakeStack();
    const states: string[] = [];
    const { p } = player(runAt(15, 10), stack, raf, { mode: 'once', onStateChange: (s) => states.push(s) });
    p.play();
    expect(order()).not.toBeNull();
    expect(order()!(3, 4)).toEqual([4, 5, 6, 7]);
    runFor(raf, 0, 2000);
    expect(p.frame).toBe(10);
    expect(p.state).toBe('ended');
    expect(raf.pending).toBe(0);
    expect(order()).toBeNull();
    p.play();
    expect(p.frame).toBe(1);
    runFor(raf, raf.now(), 200);
    p.pause();
    expect(raf.pending).toBe(0);
    expect(states).toEqual(['playing', 'ended', 'paused', 'playing', 'paused']);
  });

  it('holds an undecoded frame instead of showing it, then catches up by the timeline', () => {
    const raf = fakeRaf();
    let decodedUpTo = 5;
    const { stack, shown } = fakeStack((f) => f <= decodedUpTo);
    const { p } = player(runAt(15, 60), stack, raf);
    p.play();
    const t = runFor(raf, 0, 1000);
    expect(p.frame).toBe(5);
    expect(p.stats.stalls).toBeGreaterThan(0);
    decodedUpTo = 60;
    raf.run(t);
    expect(p.frame).toBe(16);
    expect(shown.every((f) => f <= 5 || f === 16)).toBe(true);
  });

  it("sync: shows the frame of its own run at another clock's elapsed time, the last one past its end", () => {
    const raf = fakeRaf();
    const { stack } = fakeStack();
    const starts = [0, 53.2, 150.8, 201.9, 297.9];
    const { p } = player(runAt(10, 5, starts), stack, raf);
    p.showAtMediaTime(150.8);
    expect(p.frame).toBe(3);
    p.showAtMediaTime(200);
    expect(p.frame).toBe(3);
    p.showAtMediaTime(10_000);
    expect(p.frame).toBe(5);
    p.showAtMediaTime(0);
    expect(p.frame).toBe(1);
  });

  it('pauses on the frame due at the moment of the pause, not at the last (late) tick', () => {
    const raf = fakeRaf();
    const { stack } = fakeStack();
    let now = 0;
    const { p } = player(runAt(15, 60), stack, raf, { now: () => now });
    p.play();
    raf.run(0);
    raf.run(100);
    now = 1000; // no rAF for 900 ms (a long task), then Pause
    p.pause();
    expect(p.frame).toBe(16);
    expect(p.state).toBe('paused');
  });

  it('keeps position on a speed change while playing', () => {
    const raf = fakeRaf();
    const { stack } = fakeStack();
    const { p } = player(runAt(15, 120), stack, raf);
    p.play();
    runFor(raf, 1000, 1000);
    const before = p.frame;
    p.setSpeed(2);
    expect(p.frame).toBeGreaterThanOrEqual(before);
  });
});
