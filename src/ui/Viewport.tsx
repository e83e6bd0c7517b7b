import { useEffect, useRef } from 'react';
import { frameFailureMessage } from '../dicom/frameCheck';
import { paneById, runOfPane } from '../state/session';
import { attachViewport, detachViewport } from '../state/viewports';
import { useSession } from './hooks/useStore';
import { OverlayPlaneLayer } from './review/OverlayPlaneLayer';
import { ViewportOverlay } from './review/ViewportOverlay';
import { ImagePickLayer } from './calibration/ImagePickLayer';
import { QuizAnswerLayer } from './teaching/QuizAnswerLayer';

/**
 * The element the pane's Cornerstone stack viewport draws into, with the overlay on top. The
 * state layer owns the viewer controller (state/viewports.ts) and shows the session's run and
 * frame in it; this component only lends it the element.
 */
export function Viewport({ paneId }: { paneId: string }) {
  const element = useRef<HTMLDivElement>(null);
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const failure = useSession((s) => (run ? s.frameFailures[run.key]?.[frame] : undefined));
  const opening = useSession((s) => s.opening);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    attachViewport(paneId, el);
    return () => detachViewport(paneId, el);
  }, [paneId]);

  return (
    <div className="viewport-frame">
      <div
        ref={element}
        data-testid="viewport"
        className="viewport"
        onContextMenu={(e) => e.preventDefault()}
        aria-label={run ? `Frame ${frame} of ${run.info.frameCount}` : 'No run open'}
        role="img"
      />
      {run && <OverlayPlaneLayer paneId={paneId} />}
      {/* Over the canvas, which still holds the last frame that decoded, and under the overlay. */}
      {failure && (
        <div className="frame-placeholder" data-testid="frame-placeholder">
          <p className="frame-failure" role="status" aria-label="Frame failure">
            {frameFailureMessage(frame, failure)}
          </p>
        </div>
      )}
      {run && <ViewportOverlay paneId={paneId} run={run} frame={frame} />}
      {run && <ImagePickLayer paneId={paneId} />}
      {run && <QuizAnswerLayer paneId={paneId} />}
      {!run && <div className="viewport-empty">{opening ?? 'Open a run to view it'}</div>}
    </div>
  );
}
