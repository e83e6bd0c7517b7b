import { describe, expect, it } from 'vitest';
import {
  MAX_WINDOW_FRAMES,
  MIN_WINDOW_FRAMES,
  decodeModeFor,
  decodedFrameBytes,
  framesForwardFrom,
  framesToRequest,
  windowFrames,
  type FrameDecodeStatus,
} from '../../src/viewer/playback/decodePolicy';
import { CineClock } from '../../src/viewer/cine';

const BUDGET = 1536 * 1024 * 1024;
const frame1024x16 = decodedFrameBytes({ rows: 1024, columns: 1024, bitsAllocated: 16, samplesPerPixel: 1 });

describe('decode policy: whole run or a window ahead of the play head', () => {
  it('sizes decoded frames from rows, columns, bits and samples', () => {
    expect(frame1024x16).toBe(2 * 1024 * 1024);
    expect(decodedFrameBytes({ rows: 512, columns: 512, bitsAllocated: 8, samplesPerPixel: 1 })).toBe(512 * 512);
    expect(decodedFrameBytes({ rows: 10, columns: 10, bitsAllocated: 8, samplesPerPixel: 3 })).toBe(300);
    expect(decodedFrameBytes({ rows: 10, columns: 10, bitsAllocated: 1, samplesPerPixel: 1 })).toBe(100);
  });

  it('decodes the sample-sized runs whole but a 2,000-frame 1024² run in a window', () => {
    expect(decodeModeFor(90, frame1024x16, BUDGET)).toBe('all');
    expect(decodeModeFor(60, 512 * 512, BUDGET)).toBe('all');
    expect(decodeModeFor(2000, frame1024x16, BUDGET)).toBe('window');
    // Two panes of the largest "whole" run still fit the budget together.
    const largestWhole = Math.floor((BUDGET * 0.45) / frame1024x16);
    expect(decodeModeFor(largestWhole, frame1024x16, BUDGET)).toBe('all');
    expect(decodeModeFor(largestWhole + 1, frame1024x16, BUDGET)).toBe('window');
    expect(2 * largestWhole * frame1024x16).toBeLessThan(BUDGET);
  });

  it('keeps a window that fits the budget, within its bounds', () => {
    expect(windowFrames(frame1024x16, BUDGET)).toBe(MAX_WINDOW_FRAMES);
    expect(windowFrames(frame1024x16, 16 * 1024 * 1024)).toBe(MIN_WINDOW_FRAMES);
    const mid = windowFrames(frame1024x16, 400 * 1024 * 1024);
    expect(mid).toBe(40);
    expect(mid * frame1024x16).toBeLessThanOrEqual(400 * 1024 * 1024 * 0.2);
  });

  it('requests the nearest missing frames first, skipping decoded, in-flight and failed ones', () => {
    const states: Record<number, FrameDecodeStatus> = { 5: 'ready', 6: 'loading', 7: 'failed' };
    const status = (f: number) => states[f] ?? 'missing';
    expect(framesToRequest([5, 6, 7, 8, 9, 10, 11], status, 3)).toEqual([8, 9, 10]);
    expect(framesToRequest([5, 6, 7], status, 3)).toEqual([]);
    expect(framesToRequest([8, 9], status, 0)).toEqual([]);
  });

  it('follows the clock in bounce mode: frames after the turn come back down', () => {
    const timing = { frameStartMs: Array.from({ length: 10 }, (_, i) => i * 100), durationMs: 1000 };
    const clock = new CineClock({ timing, mode: 'bounce', startFrame: 8 });
    const wanted = [8, ...clock.framesAhead(8, 5)];
    expect(wanted).toEqual([8, 9, 10, 7, 6, 5]);
    const states: Record<number, FrameDecodeStatus> = { 8: 'ready', 9: 'ready' };
    expect(framesToRequest(wanted, (f) => states[f] ?? 'missing', 2)).toEqual([10, 7]);
  });

  it('lists frames forward from a frame, wrapping at the end, never more than the run', () => {
    expect(framesForwardFrom(58, 60, 5)).toEqual([58, 59, 60, 1, 2]);
    expect(framesForwardFrom(1, 3, 10)).toEqual([1, 2, 3]);
  });
});
