import { describe, expect, it } from 'vitest';
import {
  CineClock,
  frameAtMediaTime,
  frameAtMediaTimeReversed,
  framesAhead,
  startRafLoop,
  type PlaybackPlan,
  type Timeline,
} from '../../src/viewer/cine';

/** A run at a constant rate: frame n starts at (n-1) × 1000/fps ms. */
function regularTimeline(frameCount: number, fps: number): Timeline {
  const frameMs = 1000 / fps;
  return {
    frameStartMs: Array.from({ length: frameCount }, (_, i) => i * frameMs),
    durationMs: frameCount * frameMs,
  };
}

function plan(mode: PlaybackPlan['mode'], inFrame = 1, outFrame = 10): PlaybackPlan {
  return { timeline: regularTimeline(10, 10), mode, range: { inFrame, outFrame } };
}

describe('framesAhead', () => {
  it('loop wraps to the in point near the end', () => {
    expect(framesAhead(plan('loop'), 9, 'forward', 4)).toEqual([10, 1, 2, 3]);
  });

  it('bounce turns back at the out point', () => {
    expect(framesAhead(plan('bounce'), 9, 'forward', 4)).toEqual([10, 8, 7, 6]);
    expect(framesAhead(plan('bounce'), 10, 'forward', 3)).toEqual([9, 8, 7]);
  });

  it('bounce turns forward at the in point', () => {
    expect(framesAhead(plan('bounce'), 2, 'backward', 4)).toEqual([1, 3, 4, 5]);
    expect(framesAhead(plan('bounce'), 1, 'backward', 2)).toEqual([2, 3]);
  });

  it('once stops at the out point', () => {
    expect(framesAhead(plan('once'), 8, 'forward', 5)).toEqual([9, 10]);
    expect(framesAhead(plan('once'), 10, 'forward', 5)).toEqual([]);
  });

  it('stays inside the range and lists each frame once', () => {
    expect(framesAhead(plan('loop', 3, 7), 6, 'forward', 10)).toEqual([7, 3, 4, 5]);
    expect(framesAhead(plan('bounce', 3, 7), 6, 'forward', 10)).toEqual([7, 5, 4, 3]);
    expect(framesAhead(plan('loop', 3, 7), 1, 'forward', 2)).toEqual([4, 5]);
  });

  it('the clock lists frames in its own playback direction', () => {
    const clock = new CineClock({ timing: regularTimeline(10, 10), mode: 'bounce' });
    clock.play();
    clock.tick(0);
    clock.tick(1050); // backward, on frame 9
    expect(clock.frame).toBe(9);
    expect(clock.framesAhead(clock.frame, 3)).toEqual([8, 7, 6]);
  });
});

describe('frame lookup by media time', () => {
  const run = regularTimeline(2000, 30);

  it('finds the frame on screen in a 2000-frame run', () => {
    expect(frameAtMediaTime(run, 0)).toBe(1);
    expect(frameAtMediaTime(run, 1000 / 30 - 0.01)).toBe(1);
    expect(frameAtMediaTime(run, 1000 / 30)).toBe(2);
    expect(frameAtMediaTime(run, 1234 * (1000 / 30) + 5)).toBe(1235);
    expect(frameAtMediaTime(run, run.durationMs + 100)).toBe(2000);
    expect(frameAtMediaTime(run, -5)).toBe(1);
  });

  it('going backward a frame appears at its end', () => {
    const timing = { frameStartMs: [0, 100, 250], durationMs: 300 };
    expect(frameAtMediaTimeReversed(timing, 250)).toBe(2);
    expect(frameAtMediaTimeReversed(timing, 100.5)).toBe(2);
    expect(frameAtMediaTimeReversed(timing, 100)).toBe(1);
  });
});

describe('startRafLoop', () => {
  it('ticks the clock with each rAF timestamp until stopped', () => {
    const pending = new Map<number, (t: number) => void>();
    let nextHandle = 1;
    const cancelled: number[] = [];
    const ticks: number[] = [];
    const stop = startRafLoop(
      { tick: (t) => ticks.push(t) },
      (callback) => {
        pending.set(nextHandle, callback);
        return nextHandle++;
      },
      (handle) => {
        cancelled.push(handle);
        pending.delete(handle);
      },
    );
    const runFrame = (t: number): void => {
      const [[handle, callback]] = pending;
      pending.delete(handle);
      callback(t);
    };
    runFrame(16);
    runFrame(33);
    expect(ticks).toEqual([16, 33]);
    stop();
    expect(cancelled).toEqual([3]);
    expect(pending.size).toBe(0);
  });
});
