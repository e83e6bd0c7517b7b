import { describe, expect, it } from 'vitest';
import type { FrameTiming } from '../../src/dicom/types';
import type { OpenedRun } from '../../src/dicom/run';
import { frameSpanText, runLossyNote, runSummary, runTiming } from '../../src/format/run';

function runWith(frameCount: number, timing: Partial<FrameTiming>): OpenedRun {
  const frameStartMs = timing.frameStartMs ?? Array.from({ length: frameCount }, (_, i) => i * (1000 / (timing.nominalFps ?? 15)));
  return {
    fileNames: ['run.dcm'],
    info: {
      frameCount,
      columns: 512,
      rows: 512,
      series: { description: 'AP', modality: 'XA', number: 1, instanceUID: '1' },
      timing: { frameStartMs, durationMs: 4000, nominalFps: 15, source: 'Frame Time', notes: [], ...timing },
    },
  } as unknown as OpenedRun;
}

describe('run timing in the Runs list', () => {
  it('frames, duration and rate', () => {
    expect(runTiming(runWith(60, {}))).toBe('60 frames · 4.0 s · 15 fps');
    expect(runTiming(runWith(60, { nominalFps: 7.5, durationMs: 8000 }))).toBe('60 frames · 8.0 s · 7.5 fps');
  });

  it('names irregular Frame Time Vector timing as "FTV ~N fps"', () => {
    const starts = [0, 50, 150, 200, 300, 350, 450, 500];
    expect(runTiming(runWith(8, { frameStartMs: starts, durationMs: 600, nominalFps: 8 / 0.6, source: 'Frame Time Vector' }))).toBe(
      '8 frames · 0.6 s · FTV ~13 fps',
    );
  });

  it('keeps a decimal for slow irregular runs: spot images seconds apart are not "~0 fps"', () => {
    const starts = [0, 2500, 7000];
    expect(runTiming(runWith(3, { frameStartMs: starts, durationMs: 7500, nominalFps: 0.4, source: 'Acquisition times' }))).toBe(
      '3 frames · 7.5 s · irregular ~0.4 fps',
    );
  });

  it('says when the rate is assumed, and a still is one frame', () => {
    expect(runTiming(runWith(10, { source: 'default', nominalFps: 10, durationMs: 1000 }))).toBe('10 frames · 1.0 s · 10 fps assumed');
    expect(runTiming(runWith(1, { frameStartMs: [0], durationMs: 67 }))).toBe('1 frame');
  });

  it('the accessible summary keeps modality, matrix and frame count together', () => {
    expect(runSummary(runWith(60, {}))).toBe('XA 512×512, 60 frames, 4.0 s, 15 fps');
  });

  it('ends with "lossy JPEG" when the pixels went through lossy compression', () => {
    const lossy = (methods: string[]) => {
      const run = runWith(60, {});
      return { ...run, info: { ...run.info, lossy: { methods, ratios: [12.7] } } } as OpenedRun;
    };
    expect(runSummary(lossy(['ISO_10918_1']))).toBe('XA 512×512, 60 frames, 4.0 s, 15 fps, lossy JPEG');
    expect(runLossyNote(lossy(['ISO_15444_1', 'ISO_10918_1']))).toBe('lossy JPEG 2000, JPEG');
    expect(runLossyNote(lossy([]))).toBe('lossy compressed');
    expect(runLossyNote(runWith(60, {}))).toBeNull();
  });

  it('names a decode window by its first and last frame, also when it wraps past the end', () => {
    expect(frameSpanText(37, 156, 2000)).toBe('37–156');
    expect(frameSpanText(1990, 109, 2000)).toBe('1990–2000, 1–109');
  });
});
