/**
 * The corner text burned into an exported frame. 'full' is what the pane's overlay shows;
 * 'teaching' keeps only what describes the acquisition (frame, time, rate, technique, projection,
 * dose) and never anything about the patient, the study or the people and places involved (no
 * name, ID, birth date, sex, dates, institution or free-text description); 'none' draws no text.
 * Pure.
 */
import type { RunInfo } from '../../dicom/types';
import { acquisitionLines, overlayCorners, runLines, type OverlayCorners } from '../../format/corners';

export const OVERLAY_TEXT_MODES = ['none', 'teaching', 'full'] as const;
export type OverlayTextMode = (typeof OVERLAY_TEXT_MODES)[number];

export interface OverlayFrame {
  /** 1-based frame. */
  readonly frame: number;
  /** Seconds from frame 1 of the run. */
  readonly elapsedSeconds: number;
  /** Shown when not 1. */
  readonly speed: number;
  /** "Rotated 90° · flipped left–right" when the export is not upright. */
  readonly transform: string | null;
}

const EMPTY: OverlayCorners = { topLeft: [], topRight: [], bottomLeft: [], bottomRight: [] };

export function exportOverlayCorners(info: RunInfo, mode: OverlayTextMode, at: OverlayFrame): OverlayCorners {
  const playback = { frame: at.frame, elapsedSeconds: at.elapsedSeconds, speed: at.speed };
  const withTransform = (lines: string[]) => (at.transform ? [...lines, at.transform] : lines);
  switch (mode) {
    case 'none':
      return EMPTY;
    case 'full': {
      const corners = overlayCorners(info, playback);
      return { ...corners, bottomRight: withTransform(corners.bottomRight) };
    }
    case 'teaching':
      return {
        topLeft: [],
        topRight: [],
        // Series and instance numbers and the description are left out with the rest of the study's text.
        bottomLeft: runLines(
          {
            series: { ...info.series, description: '', number: null },
            instanceNumber: null,
            instances: [],
            positioner: null,
            patientOrientation: null,
            exposure: {},
            frameCount: info.frameCount,
            timing: info.timing,
            // Not identity: that the pixels are not the acquired ones belongs to the teaching too.
            lossy: info.lossy,
          },
          playback,
        ),
        bottomRight: withTransform(acquisitionLines(info, playback.frame)),
      };
  }
}
