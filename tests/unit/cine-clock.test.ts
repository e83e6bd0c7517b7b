import { describe, expect, it } from 'vitest';
import { CineClock, type PlaybackState, type Timeline } from '../../src/viewer/cine';

/** A run at a constant rate: frame n starts at (n-1) × 1000/fps ms. */
function regularTimeline(frameCount: number, fps: number): Timeline {
  const frameMs = 1000 / fps;
  return {
    frameStartMs: Array.from({ length: frameCount }, (_, i) => i * frameMs),
    durationMs: frameCount * frameMs,
  };
}

/** rAF timestamps every `intervalMs` from `startMs` up to and including `endMs`. */
function tickTimes(startMs: number, endMs: number, intervalMs: number): number[] {
  const count = Math.round((endMs - startMs) / intervalMs);
  return Array.from({ length: count + 1 }, (_, i) => startMs + i * intervalMs);
}

function playedClock(clock: CineClock, startMs = 1000): CineClock {
  clock.play();
  clock.tick(startMs);
  return clock;
}

describe('cine clock: rate from the run timeline', () => {
  it('plays a 15 fps run ticked at 60 Hz for 2 s exactly 30 frames, one per four ticks', () => {
    const frames: number[] = [];
    const clock = new CineClock({ timing: regularTimeline(60, 15), onFrame: (f) => frames.push(f) });
    clock.play();
    tickTimes(1000, 3000, 1000 / 60).forEach((t, i) => {
      clock.tick(t);
      expect(clock.frame).toBe(1 + Math.floor(i / 4));
    });
    expect(clock.frame).toBe(31);
    expect(frames).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(clock.stats).toEqual({ shown: 30, dropped: 0, stalls: 0 });
  });

  it('plays 60 frames in 2 s at 2×', () => {
    const clock = new CineClock({ timing: regularTimeline(120, 15), speed: 2 });
    clock.play();
    tickTimes(1000, 3000, 1000 / 60).forEach((t) => clock.tick(t));
    expect(clock.frame).toBe(61);
    expect(clock.stats).toEqual({ shown: 60, dropped: 0, stalls: 0 });
  });

  it('at 2× a whole 60-frame run plays in 2 s and wraps back to frame 1', () => {
    const clock = new CineClock({ timing: regularTimeline(60, 15), speed: 2 });
    clock.play();
    tickTimes(1000, 3000, 1000 / 60).forEach((t) => clock.tick(t));
    expect(clock.frame).toBe(1);
    expect(clock.stats.shown).toBe(60);
    expect(clock.stats.dropped).toBe(0);
  });

  it('shows each frame of an irregular Frame Time Vector run at its own start', () => {
    const timing = { frameStartMs: [0, 100, 150, 400, 410, 700], durationMs: 800 };
    const firstSeenAt = new Map<number, number>();
    let now = 0;
    const clock = new CineClock({ timing, mode: 'once', onFrame: (f) => firstSeenAt.set(f, now) });
    clock.play();
    for (now = 0; now <= 800; now += 1) clock.tick(now);
    expect([...firstSeenAt]).toEqual([
      [2, 100],
      [3, 150],
      [4, 400],
      [5, 410],
      [6, 700],
    ]);
    expect(clock.state).toBe('ended');
  });

  it('scales an irregular timeline by speed', () => {
    const timing = { frameStartMs: [0, 100, 150, 400], durationMs: 500 };
    const firstSeenAt = new Map<number, number>();
    let now = 0;
    const clock = new CineClock({ timing, speed: 0.25, onFrame: (f) => firstSeenAt.set(f, now) });
    clock.play();
    for (now = 0; now < 2000; now += 1) clock.tick(now);
    expect([...firstSeenAt]).toEqual([
      [2, 400],
      [3, 600],
      [4, 1600],
    ]);
  });

  it('reports elapsed run time of the frame on screen, not wall time', () => {
    const clock = playedClock(new CineClock({ timing: { frameStartMs: [0, 40, 1270, 1300], durationMs: 1400 } }));
    clock.tick(1000 + 1280);
    expect(clock.frame).toBe(3);
    expect(clock.elapsedSeconds).toBeCloseTo(1.27, 10);
    expect(clock.mediaTimeMs).toBeCloseTo(1280, 6);
  });

  it('rejects unusable timing', () => {
    expect(() => new CineClock({ timing: { frameStartMs: [], durationMs: 0 } })).toThrow(RangeError);
    expect(() => new CineClock({ timing: { frameStartMs: [0, 50, 40], durationMs: 100 } })).toThrow(RangeError);
    expect(() => new CineClock({ timing: { frameStartMs: [0, 50], durationMs: 50 } })).toThrow(RangeError);
  });
});

describe('cine clock: modes', () => {
  it('loop wraps from the last frame to the first', () => {
    const frames: number[] = [];
    const clock = new CineClock({ timing: regularTimeline(5, 10), onFrame: (f) => frames.push(f) });
    playedClock(clock, 0);
    tickTimes(0, 1200, 10).forEach((t) => clock.tick(t));
    expect(frames).toEqual([2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3]);
    expect(clock.stats.dropped).toBe(0);
  });

  it('bounce reverses at both ends and shows each end frame once per turn', () => {
    const frames: number[] = [];
    const directions: string[] = [];
    const clock = new CineClock({
      timing: regularTimeline(5, 10),
      mode: 'bounce',
      onFrame: (f) => {
        frames.push(f);
        directions.push(clock.direction);
      },
    });
    playedClock(clock, 0);
    tickTimes(0, 1000, 10).forEach((t) => clock.tick(t));
    expect(frames).toEqual([2, 3, 4, 5, 4, 3, 2, 1, 2, 3]);
    expect(directions).toEqual([
      'forward',
      'forward',
      'forward',
      'forward',
      'backward',
      'backward',
      'backward',
      'forward',
      'forward',
      'forward',
    ]);
    expect(clock.stats).toEqual({ shown: 10, dropped: 0, stalls: 0 });
  });

  it('bounce over a two-frame range alternates', () => {
    const frames: number[] = [];
    const clock = new CineClock({
      timing: regularTimeline(10, 10),
      mode: 'bounce',
      range: { inFrame: 4, outFrame: 5 },
      onFrame: (f) => frames.push(f),
    });
    playedClock(clock, 0);
    tickTimes(0, 500, 10).forEach((t) => clock.tick(t));
    expect(frames).toEqual([5, 4, 5, 4, 5]);
  });

  it('bounce plays backward frames for their own durations on an irregular timeline', () => {
    const timing = { frameStartMs: [0, 100, 400, 450], durationMs: 500 };
    const seen: Array<[number, number]> = [];
    let now = 0;
    const clock = new CineClock({ timing, mode: 'bounce', onFrame: (f) => seen.push([f, now]) });
    clock.play();
    for (now = 0; now <= 900; now += 1) clock.tick(now);
    // forward 1 (100) 2 (300) 3 (50) 4 (50), backward 3 (50) 2 (300), then 1 again.
    expect(seen).toEqual([
      [2, 100],
      [3, 400],
      [4, 450],
      [3, 500],
      [2, 550],
      [1, 850],
    ]);
  });

  it('once stops at the out point and reports ended; play restarts at the in point', () => {
    const frames: number[] = [];
    const states: PlaybackState[] = [];
    const clock = new CineClock({
      timing: regularTimeline(10, 10),
      mode: 'once',
      range: { inFrame: 3, outFrame: 7 },
      onFrame: (f) => frames.push(f),
      onStateChange: (s) => states.push(s),
    });
    playedClock(clock, 0);
    tickTimes(0, 2000, 10).forEach((t) => clock.tick(t));
    expect(frames).toEqual([4, 5, 6, 7]);
    expect(clock.frame).toBe(7);
    expect(clock.state).toBe('ended');
    expect(states).toEqual(['playing', 'ended']);

    clock.play();
    expect(clock.frame).toBe(3);
    expect(clock.state).toBe('playing');
  });

  it('once ends on the out point even when a late tick overshoots it', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(10, 10), mode: 'once' }), 0);
    clock.tick(150);
    clock.tick(5000);
    expect(clock.frame).toBe(10);
    expect(clock.state).toBe('ended');
    expect(clock.stats.dropped).toBe(7); // frames 3–9
  });

  it('switching mode keeps the frame on screen', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(10, 10), mode: 'bounce' }), 0);
    clock.tick(1150); // past frame 10, back on frame 8
    expect(clock.frame).toBe(8);
    expect(clock.direction).toBe('backward');
    clock.setMode('loop');
    expect(clock.frame).toBe(8);
    expect(clock.direction).toBe('forward');
    clock.tick(1250);
    expect(clock.frame).toBe(9);
  });
});

describe('cine clock: play range', () => {
  it('setting the range pulls the current frame inside it', () => {
    const frames: number[] = [];
    const clock = new CineClock({ timing: regularTimeline(10, 10), startFrame: 9, onFrame: (f) => frames.push(f) });
    clock.setRange({ inFrame: 3, outFrame: 7 });
    expect(clock.frame).toBe(7);
    clock.setRange({ inFrame: 8, outFrame: 10 });
    expect(clock.frame).toBe(8);
    clock.setRange({ inFrame: 2, outFrame: 9 });
    expect(clock.frame).toBe(8);
    expect(frames).toEqual([7, 8]);
  });

  it('playback stays inside the range in every mode', () => {
    for (const mode of ['loop', 'bounce', 'once'] as const) {
      const seen = new Set<number>();
      const clock = new CineClock({ timing: regularTimeline(20, 15), mode, onFrame: (f) => seen.add(f) });
      clock.setRange({ inFrame: 5, outFrame: 9 });
      seen.clear();
      playedClock(clock, 0);
      tickTimes(0, 10_000, 16).forEach((t) => clock.tick(t));
      expect([...seen].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9].filter((f) => mode !== 'once' || f > 5));
    }
  });

  it('clamps in/out points to the run and rejects an in point after the out point', () => {
    const clock = new CineClock({ timing: regularTimeline(10, 10) });
    clock.setRange({ inFrame: -4, outFrame: 99 });
    expect(clock.range).toEqual({ inFrame: 1, outFrame: 10 });
    expect(() => clock.setRange({ inFrame: 8, outFrame: 3 })).toThrow(RangeError);
    clock.setRange({ inFrame: 4, outFrame: 6 });
    clock.clearRange();
    expect(clock.range).toEqual({ inFrame: 1, outFrame: 10 });
  });

  it('seeking outside the range lands on its nearest end', () => {
    const clock = new CineClock({ timing: regularTimeline(10, 10), range: { inFrame: 3, outFrame: 7 } });
    clock.seek(1);
    expect(clock.frame).toBe(3);
    clock.seek(10);
    expect(clock.frame).toBe(7);
  });
});

describe('cine clock: late ticks and dropped frames', () => {
  it('jumps to the frame the timeline calls for and counts the skipped ones', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(20, 10) }), 0);
    clock.tick(100);
    expect(clock.frame).toBe(2);
    clock.tick(450);
    expect(clock.frame).toBe(5);
    expect(clock.stats).toEqual({ shown: 2, dropped: 2, stalls: 0 });
  });

  it('counts drops across a loop wrap', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(20, 10) }), 0);
    clock.tick(1950);
    expect(clock.frame).toBe(20);
    expect(clock.stats.dropped).toBe(18);
    clock.tick(2150);
    expect(clock.frame).toBe(2);
    expect(clock.stats.dropped).toBe(19);
  });

  it('drops nothing when a slow display shows every other tick at 1×, then resets the counts', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(60, 15) }), 0);
    tickTimes(0, 4000, 1000 / 30).forEach((t) => clock.tick(t));
    expect(clock.stats.dropped).toBe(0);
    clock.tick(4500);
    expect(clock.stats.dropped).toBeGreaterThan(0);
    clock.resetStats();
    expect(clock.stats).toEqual({ shown: 0, dropped: 0, stalls: 0 });
  });

  it('never drops at 0.25× even with jittery ticks and a 100 ms hiccup', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(60, 15), speed: 0.25 }), 0);
    let now = 0;
    let seed = 7;
    while (now < 20_000) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      now += 16 + (seed % 19);
      if (now > 10_000 && now < 10_040) now += 100;
      clock.tick(now);
    }
    expect(clock.stats.dropped).toBe(0);
    // Every frame the timeline passed was shown: one frame change per 66.7 ms of media time.
    expect(clock.stats.shown).toBe(Math.floor((now * 0.25 * 15) / 1000));
  });
});

describe('cine clock: position', () => {
  it('a speed change mid-play keeps the position continuous', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(20, 10) }), 0);
    clock.tick(250);
    expect(clock.mediaTimeMs).toBeCloseTo(250, 6);
    expect(clock.frame).toBe(3);
    clock.setSpeed(2);
    clock.tick(300);
    expect(clock.mediaTimeMs).toBeCloseTo(350, 6);
    expect(clock.frame).toBe(4);
    clock.setSpeed(0.5, 400); // 100 ms more at 2× first
    expect(clock.mediaTimeMs).toBeCloseTo(550, 6);
    clock.tick(600);
    expect(clock.mediaTimeMs).toBeCloseTo(650, 6);
    expect(clock.frame).toBe(7);
  });

  it('rejects a speed that is not positive', () => {
    const clock = new CineClock({ timing: regularTimeline(5, 10) });
    expect(() => clock.setSpeed(0)).toThrow(RangeError);
    expect(() => clock.setSpeed(Number.NaN)).toThrow(RangeError);
  });

  it('pause and resume keep the position; paused ticks do nothing', () => {
    const states: PlaybackState[] = [];
    const clock = new CineClock({ timing: regularTimeline(20, 10), onStateChange: (s) => states.push(s) });
    playedClock(clock, 0);
    clock.tick(250);
    clock.pause();
    clock.tick(5000);
    expect(clock.frame).toBe(3);
    expect(clock.mediaTimeMs).toBeCloseTo(250, 6);
    clock.play();
    clock.tick(9000); // baseline only
    clock.tick(9100);
    expect(clock.mediaTimeMs).toBeCloseTo(350, 6);
    expect(clock.frame).toBe(4);
    expect(states).toEqual(['playing', 'paused', 'playing']);
  });

  it('play(now) uses now as the baseline, so the next tick already advances', () => {
    const clock = new CineClock({ timing: regularTimeline(20, 10) });
    clock.play(1000);
    clock.tick(1100);
    expect(clock.frame).toBe(2);
  });

  it('seek puts media time at the frame start and playback continues from there', () => {
    const frames: number[] = [];
    const clock = new CineClock({ timing: regularTimeline(20, 10), onFrame: (f) => frames.push(f) });
    clock.seek(7);
    expect(clock.frame).toBe(7);
    expect(clock.mediaTimeMs).toBe(600);
    expect(clock.elapsedSeconds).toBeCloseTo(0.6, 10);
    playedClock(clock, 0);
    clock.tick(100);
    expect(clock.frame).toBe(8);
    clock.seek(7);
    clock.seek(7);
    expect(frames).toEqual([7, 8, 7]);
    expect(clock.stats.shown).toBe(1);
  });

  it('step moves one frame and stays inside the range', () => {
    const clock = new CineClock({ timing: regularTimeline(10, 10), range: { inFrame: 2, outFrame: 4 } });
    clock.step(1);
    clock.step(1);
    clock.step(1);
    expect(clock.frame).toBe(4);
    clock.step(-5);
    expect(clock.frame).toBe(2);
  });

  it('seeking after once ended leaves it paused, not ended', () => {
    const clock = playedClock(new CineClock({ timing: regularTimeline(5, 10), mode: 'once' }), 0);
    clock.tick(1000);
    expect(clock.state).toBe('ended');
    clock.seek(2);
    expect(clock.state).toBe('paused');
  });
});

describe('cine clock: decode readiness', () => {
  it('holds the latest decoded frame when the called-for one is not ready, and counts one stall', () => {
    const frames: number[] = [];
    const clock = new CineClock({ timing: regularTimeline(10, 10), isFrameReady: (f) => f !== 4, onFrame: (f) => frames.push(f) });
    playedClock(clock, 0);
    tickTimes(0, 550, 10).forEach((t) => clock.tick(t));
    expect(frames).toEqual([2, 3, 5, 6]);
    expect(clock.stats).toEqual({ shown: 4, dropped: 1, stalls: 1 });
  });

  it('shows the most recent decoded frame at or before the target in playback direction', () => {
    const decoded = new Set([1, 2, 3, 9]);
    const clock = new CineClock({ timing: regularTimeline(10, 10), mode: 'bounce', isFrameReady: (f) => decoded.has(f) });
    playedClock(clock, 0);
    clock.tick(650); // target 7: 3 is the latest decoded frame passed
    expect(clock.frame).toBe(3);
    decoded.add(10);
    decoded.add(8);
    clock.tick(950); // target 10 → shown
    expect(clock.frame).toBe(10);
    decoded.delete(8);
    clock.tick(1250); // backward pass, target 7 not decoded; 8 was dropped from cache, 9 is ready
    expect(clock.frame).toBe(9);
    expect(clock.direction).toBe('backward');
  });

  it('once ends only when the out frame is decoded and on screen', () => {
    const decoded = new Set([1, 2, 3, 4]);
    const clock = new CineClock({ timing: regularTimeline(5, 10), mode: 'once', isFrameReady: (f) => decoded.has(f) });
    playedClock(clock, 0);
    clock.tick(800);
    expect(clock.frame).toBe(4);
    expect(clock.state).toBe('playing');
    decoded.add(5);
    clock.tick(816);
    expect(clock.frame).toBe(5);
    expect(clock.state).toBe('ended');
    expect(clock.stats.stalls).toBe(1);
  });

  it('without any decoded frame ahead it keeps the frame on screen', () => {
    const clock = new CineClock({ timing: regularTimeline(10, 10), isFrameReady: (f) => f === 1 });
    playedClock(clock, 0);
    clock.tick(500);
    expect(clock.frame).toBe(1);
    expect(clock.stats.stalls).toBe(1);
    clock.setFrameReadiness(undefined);
    clock.tick(520);
    expect(clock.frame).toBe(6);
  });
});
