import type { OpenedRun } from '../../dicom/run';
import { factsOfFrame } from '../../dicom/runInfo';
import { overlayCorners, presentationCorners, type OverlayCorners } from '../../format/corners';
import { scaleBar } from '../../format/scaleBar';
import { directionWords, edgeMarkers } from '../../format/orientationMarkers';
import { formatViewTransform } from '../../format/display';
import { panePlayback, playback } from '../../state/playbackStore';
import { useSession, useStore } from '../hooks/useStore';
import { layout } from '../../state/layout';
import { useViewportDisplay } from './useViewportDisplay';
import { useRunSpacing } from '../measurements/useRunMeasurements';

/** The longest bar takes at most this share of the pane's width (the corner block is at most 48%). */
const SCALE_BAR_MAX_SHARE = 0.3;

const EDGES = ['left', 'right', 'top', 'bottom'] as const;

const CORNERS: Array<[keyof OverlayCorners, string]> = [
  ['topLeft', 'top-left'],
  ['topRight', 'top-right'],
  ['bottomLeft', 'bottom-left'],
  ['bottomRight', 'bottom-right'],
];

/**
 * Patient, study, run and acquisition text in the four corners, a scale bar when the run is
 * calibrated, and the patient's directions at the edges when the file gives Patient Orientation. File text is rendered as React text (never markup); the overlay lets every mouse
 * event through to the viewport beneath.
 */
export function ViewportOverlay({ paneId, run, frame }: { paneId: string; run: OpenedRun; frame: number }) {
  const visible = useSession((s) => s.overlayVisible);
  // Presentation (teaching to a room): no patient or study text; the run's lines spread over the corners.
  const presentation = useStore(layout, (s) => s.presentation);
  // Shown in the bottom-left block only when not 1×.
  const speed = useStore(playback, (s) => panePlayback(paneId, s).speed);
  const display = useViewportDisplay(paneId);
  const spacing = useRunSpacing(run);
  if (!visible) return null;
  const elapsedSeconds = (run.info.timing.frameStartMs[frame - 1] ?? 0) / 1000;
  const corners = (presentation ? presentationCorners : overlayCorners)(run.info, { frame, elapsedSeconds, speed });
  const transform = display ? formatViewTransform(display.rotation, display.flipHorizontal, display.flipVertical) : null;
  if (transform) corners.bottomRight.push(transform);
  const bar = display && spacing ? scaleBar(spacing, display.pixelScale, display.paneWidth * SCALE_BAR_MAX_SHARE) : null;
  // The frame's image's: a series may hold AP and lateral spot images.
  const orientation = factsOfFrame(run.info, frame).patientOrientation;
  const markers = display && orientation ? edgeMarkers(orientation, display.axes) : null;
  return (
    <div className="viewport-overlay" data-testid="viewport-overlay" role="group" aria-label="Image information">
      {markers &&
        EDGES.map((edge) => (
          <div
            key={edge}
            className={`orientation-marker ${edge}`}
            role="img"
            aria-label={`${edge[0].toUpperCase()}${edge.slice(1)} edge: ${directionWords(markers[edge])}`}
          >
            {markers[edge]}
          </div>
        ))}
      {CORNERS.filter(([key]) => corners[key].length > 0 || (key === 'bottomRight' && bar)).map(([key, className]) => (
        <div key={key} className={`overlay-corner ${className}`}>
          {/* The bar heads the bottom-right block, so it never runs into the corner text. */}
          {key === 'bottomRight' && bar && (
            <div className="scale-bar" role="img" aria-label={`Scale bar ${bar.label}`}>
              <div className="scale-bar-line" style={{ width: `${bar.widthPx}px` }} />
              {/* In presentation the length is read from the back of the room; its basis stays small. */}
              <div className="scale-bar-label">
                {bar.lengthMm} mm <span className="scale-bar-basis">({bar.basis})</span>
              </div>
            </div>
          )}
          {corners[key].map((line, index) => (
            <div key={index}>{line}</div>
          ))}
        </div>
      ))}
    </div>
  );
}
