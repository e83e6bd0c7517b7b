import { useMemo } from 'react';
import { calibratedSpacing, measureRun, type RunMeasurements } from '../../annotations/model';
import type { SpacingInfo } from '../../dicom/types';
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
  const spacing = useRunSpacing(run);
  return useMemo(() => (run && doc && spacing ? measureRun(doc, spacing, frameStarts(run)) : null), [run, doc, spacing]);
}

/** The run's spacing with the user's calibration applied (calibratedSpacing): what every mm shown rests on. */
export function useRunSpacing(run: OpenedRun | null): SpacingInfo | null {
  const calibration = useRunDocument(run)?.doc.calibration;
  return useMemo(() => (run ? calibratedSpacing(run.info.spacing, calibration) : null), [run, calibration]);
}
