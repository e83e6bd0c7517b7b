import { useMemo } from 'react';
import { measureRun, type RunMeasurements } from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import { useRunDocument } from '../hooks/useRunDocument';

/** Frame start times in ms, one per frame; runs without timing count frames as seconds apart. */
export function frameStarts(run: OpenedRun): readonly number[] {
  const { frameCount, timing } = run.info;
  const starts = timing.frameStartMs;
  return starts.length >= frameCount ? starts : Array.from({ length: frameCount }, (_, i) => starts[i] ?? i * 1000);
}

/** measureRun for the run's document, recomputed only when the document changes. */
export function useRunMeasurements(run: OpenedRun | null): RunMeasurements | null {
  const doc = useRunDocument(run)?.doc;
  return useMemo(() => (run && doc ? measureRun(doc, run.info.spacing, frameStarts(run)) : null), [run, doc]);
}
