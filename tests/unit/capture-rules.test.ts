import { describe, expect, it } from 'vitest';
import {
  bitrateFor,
  captureFileName,
  codecCandidates,
  encodedSize,
  keyFrameInterval,
  markScaleFor,
  outputScale,
} from '../../src/viewer/capture/format';
import { exportRange, frameSchedule, gifFrames, scheduleDurationUs } from '../../src/viewer/capture/schedule';
import { keyFrameCaption, teachingKeyFrames } from '../../src/viewer/capture/keyFrames';
import {
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  setKeyframe,
  type AnnotationDocument,
  type Command,
} from '../../src/annotations/model';

const regular = (count: number, frameMs: number) => ({
  frameStartMs: Array.from({ length: count }, (_, i) => i * frameMs),
  durationMs: count * frameMs,
});

describe('frame schedule: the run’s own timing over the range', () => {
  it('times every frame of a regular run at its rate, durations adding up to the run', () => {
    const schedule = frameSchedule(regular(30, 1000 / 15), null);
    expect(schedule).toHaveLength(30);
    expect(schedule[0]).toEqual({ frame: 1, timestampUs: 0, durationUs: 66_667 });
    expect(schedule[1].timestampUs).toBe(66_667);
    expect(scheduleDurationUs(schedule)).toBe(2_000_000);
    for (let i = 1; i < schedule.length; i++)
      expect(schedule[i].timestampUs).toBe(schedule[i - 1].timestampUs + schedule[i - 1].durationUs);
  });

  it('keeps variable frame times (Frame Time Vector) as they are', () => {
    const timeline = { frameStartMs: [0, 40, 140, 150, 300], durationMs: 380 };
    const schedule = frameSchedule(timeline, null);
    expect(schedule.map((s) => s.durationUs)).toEqual([40_000, 100_000, 10_000, 150_000, 80_000]);
    expect(schedule.map((s) => s.timestampUs)).toEqual([0, 40_000, 140_000, 150_000, 300_000]);
  });

  it('starts a range at 0 and ends it with its last frame’s own duration', () => {
    const timeline = { frameStartMs: [0, 40, 140, 150, 300], durationMs: 380 };
    const schedule = frameSchedule(timeline, { inFrame: 2, outFrame: 4 });
    expect(schedule).toEqual([
      { frame: 2, timestampUs: 0, durationUs: 100_000 },
      { frame: 3, timestampUs: 100_000, durationUs: 10_000 },
      { frame: 4, timestampUs: 110_000, durationUs: 150_000 },
    ]);
  });

  it('divides times by the speed', () => {
    const schedule = frameSchedule(regular(10, 100), { inFrame: 3, outFrame: 6 }, 2);
    expect(schedule.map((s) => s.frame)).toEqual([3, 4, 5, 6]);
    expect(schedule.map((s) => s.durationUs)).toEqual([50_000, 50_000, 50_000, 50_000]);
    expect(scheduleDurationUs(frameSchedule(regular(10, 100), null, 0.5))).toBe(2_000_000);
    expect(() => frameSchedule(regular(10, 100), null, 0)).toThrow(RangeError);
  });

  it('leaves out a frame with no time of its own, as playback never shows it', () => {
    const schedule = frameSchedule({ frameStartMs: [0, 50, 50, 100], durationMs: 150 }, null);
    expect(schedule.map((s) => s.frame)).toEqual([1, 3, 4]);
  });

  it('clamps and orders a range to the run', () => {
    expect(exportRange(20, null)).toEqual({ inFrame: 1, outFrame: 20 });
    expect(exportRange(20, { inFrame: 0, outFrame: 99 })).toEqual({ inFrame: 1, outFrame: 20 });
    expect(exportRange(20, { inFrame: 12, outFrame: 5 })).toEqual({ inFrame: 5, outFrame: 12 });
  });
});

describe('GIF frames: delays a browser honours', () => {
  it('keeps every frame of a 15 fps run, delays in centiseconds adding up to the run', () => {
    const frames = gifFrames(frameSchedule(regular(15, 1000 / 15), null));
    expect(frames).toHaveLength(15);
    expect(new Set(frames.map((f) => f.delayMs))).toEqual(new Set([60, 70]));
    expect(frames.reduce((sum, f) => sum + f.delayMs, 0)).toBe(1000);
  });

  it('drops frames shorter than 20 ms into the next kept one (60 fps at 2×)', () => {
    const schedule = frameSchedule(regular(60, 1000 / 60), null, 2);
    const frames = gifFrames(schedule);
    expect(frames.every((f) => f.delayMs >= 20)).toBe(true);
    expect(frames.map((f) => f.frame).slice(0, 3)).toEqual([1, 4, 7]);
    expect(frames.reduce((sum, f) => sum + f.delayMs, 0)).toBe(500);
  });
});

describe('file names', () => {
  it('names a whole run by its stem, a range by its frames, a picture by its frame', () => {
    expect(captureFileName('l4-tfesi-ap-512', 'mp4', { inFrame: 1, outFrame: 60 }, 60)).toBe('l4-tfesi-ap-512.mp4');
    expect(captureFileName('l4-tfesi-ap-512', 'webm', { inFrame: 10, outFrame: 40 }, 60)).toBe('l4-tfesi-ap-512_frames-10-40.webm');
    expect(captureFileName('l4-tfesi-ap-512', 'png', { frame: 12 }, 60)).toBe('l4-tfesi-ap-512_frame-12.png');
    expect(captureFileName('run: 3/AP ', 'gif', { inFrame: 1, outFrame: 5 }, 5)).toBe('run_3_AP.gif');
    expect(captureFileName('...', 'gif', { inFrame: 1, outFrame: 5 }, 5)).toBe('run.gif');
  });
});

describe('codec choice by frame size', () => {
  it('offers Baseline H.264 up to 512², then High profile at the lowest level the frame fits', () => {
    expect(codecCandidates('mp4', 512, 512)).toEqual(['avc1.42001f', 'avc1.64001f', 'avc1.640028', 'avc1.640032', 'avc1.640033']);
    expect(codecCandidates('mp4', 1024, 1024)).toEqual(['avc1.640028', 'avc1.640032', 'avc1.640033']);
    expect(codecCandidates('mp4', 2048, 2048)).toEqual(['avc1.640032', 'avc1.640033']);
    expect(codecCandidates('mp4', 8192, 8192)).toEqual([]);
    expect(codecCandidates('webm', 1024, 1024)[0]).toMatch(/^vp09\.00\./);
  });

  it('rounds odd sides up to even, keeps bitrates within 1–16 Mbit/s and a key frame every 2 s', () => {
    expect(encodedSize(511, 480)).toEqual({ width: 512, height: 480 });
    expect(encodedSize(512, 513)).toEqual({ width: 512, height: 514 });
    expect(bitrateFor(1024, 1024, 15)).toBe(Math.round(1024 * 1024 * 15 * 0.2));
    expect(bitrateFor(64, 64, 15)).toBe(1e6);
    expect(bitrateFor(4096, 4096, 30)).toBe(16e6);
    expect(keyFrameInterval(15)).toBe(30);
    expect(keyFrameInterval(Number.NaN)).toBe(30);
  });

  it('scales GIFs to 512 on the long side, and marks up on frames larger than 768', () => {
    expect(outputScale('gif', 1024, 1024)).toBe(0.5);
    expect(outputScale('gif', 480, 320)).toBe(1);
    expect(outputScale('mp4', 1024, 1024)).toBe(1);
    expect(markScaleFor(512, 512)).toBe(1);
    expect(markScaleFor(1024, 1024)).toBeCloseTo(4 / 3, 6);
  });
});

describe('teaching key frames', () => {
  const run = { studyInstanceUID: '1', seriesInstanceUID: '1.2', sopInstanceUIDs: ['1.2.1'], frameCount: 60 };
  function docWith(frames: number[]): AnnotationDocument {
    const empty = createDocument(run);
    const commands: Command[] = [
      addTrack(createTrack(empty, 'needleTip')),
      ...frames.map((f) => setKeyframe('needleTip-1', f, { tip: { x: f, y: f } })),
    ];
    return commands.reduce((d, c) => applyCommand(d, c).doc, empty);
  }

  it('are the frames holding keyframes, within the range', () => {
    expect(teachingKeyFrames(docWith([31, 1, 16]), { inFrame: 1, outFrame: 60 })).toEqual([1, 16, 31]);
    expect(teachingKeyFrames(docWith([31, 1, 16]), { inFrame: 10, outFrame: 40 })).toEqual([16, 31]);
  });

  it('fall back to the middle frame, and are thinned evenly past the maximum', () => {
    expect(teachingKeyFrames(null, { inFrame: 11, outFrame: 20 })).toEqual([16]);
    const many = teachingKeyFrames(docWith(Array.from({ length: 40 }, (_, i) => i + 1)), { inFrame: 1, outFrame: 60 }, 5);
    expect(many).toEqual([1, 11, 21, 30, 40]);
  });

  it('say only the frame and its time', () => {
    expect(keyFrameCaption(12, regular(20, 1000 / 15).frameStartMs)).toBe('Frame 12 · t = 0.73 s');
  });
});
