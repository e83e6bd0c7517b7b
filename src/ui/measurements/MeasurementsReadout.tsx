import type { RunMeasurements } from '../../annotations/model';
import type { SpacingInfo } from '../../dicom/types';
import { calibrationText, frameReadout } from '../../format/measurements';

interface Props {
  measurements: RunMeasurements;
  spacing: SpacingInfo;
  frame: number;
  /** While the run plays the values change ~10 times a second: too fast to announce. */
  quiet?: boolean;
}

/** The measurements at the current frame, with the spacing they use (or that there is none, and why). */
export function MeasurementsReadout({ measurements, spacing, frame, quiet = false }: Props) {
  const now = frameReadout(measurements, frame);
  return (
    <div role="status" aria-label="Measurements" aria-live={quiet ? 'off' : 'polite'} className="measurements-readout">
      <dl>
        <dt>Tip → target</dt>
        <dd data-testid="tip-to-target">{now.distance ?? '—'}</dd>
        <dt>Contrast area</dt>
        <dd data-testid="contrast-area">{now.area ?? '—'}</dd>
        <dt>Contrast onset</dt>
        <dd>
          {now.onset}
          {now.sinceOnset && ` · ${now.sinceOnset}`}
        </dd>
        <dt>Calibration</dt>
        <dd data-testid="calibration">{calibrationText(spacing.preferred)}</dd>
        {spacing.notes?.map((note) => (
          <dd key={note} className="spacing-note">
            {note}
          </dd>
        ))}
      </dl>
    </div>
  );
}
