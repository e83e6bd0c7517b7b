import { useEffect, useRef, useState } from 'react';
import { frameFailureMessage } from '../dicom/frameCheck';
import { paneById, recordFrameFailure, recordProgress, runOfPane, session } from '../state/session';
import { initCornerstone } from '../viewer/cornerstoneSetup';
import { StackController } from '../viewer/stackController';
import { setPrimaryTool } from '../viewer/toolGroup';
import { useSession } from './useStore';
import { ViewportOverlay } from './ViewportOverlay';

/** The Cornerstone stack viewport showing the selected run at the session's frame. */
export function Viewport({ paneId }: { paneId: string }) {
  const element = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<StackController | null>(null);
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const failure = useSession((s) => (run ? s.frameFailures[run.key]?.[frame] : undefined));

  useEffect(() => {
    let cancelled = false;
    let created: StackController | null = null;
    void initCornerstone().then(() => {
      if (cancelled || !element.current) return;
      created = new StackController(paneId, element.current, {
        onProgress: recordProgress,
        onFrameFailed: recordFrameFailure,
      });
      // A pane opened later (side by side) takes the tool the user already picked.
      setPrimaryTool(paneId, session.getState().activeTool);
      setController(created);
    });
    return () => {
      cancelled = true;
      created?.destroy();
      setController(null);
    };
  }, [paneId]);

  useEffect(() => {
    if (controller && run) void controller.showRun(run, 1);
    // Frame changes are handled below; a new run always starts at the session's frame 1.
  }, [controller, run]);

  useEffect(() => {
    if (controller && run && controller.currentRun === run) void controller.setFrame(frame);
  }, [controller, run, frame]);

  useEffect(() => {
    if (!controller || !element.current) return;
    const observer = new ResizeObserver(() => controller.resize());
    observer.observe(element.current);
    return () => observer.disconnect();
  }, [controller]);

  return (
    <div className="viewport-frame">
      <div
        ref={element}
        data-testid="viewport"
        className="viewport"
        onContextMenu={(e) => e.preventDefault()}
        aria-label={run ? `Frame ${frame} of ${run.frames.length}` : 'No run open'}
        role="img"
      />
      {/* Over the canvas, which still holds the last frame that decoded, and under the overlay. */}
      {failure && (
        <div className="frame-placeholder" data-testid="frame-placeholder">
          <p className="frame-failure" role="status" aria-label="Frame failure">
            {frameFailureMessage(frame, failure)}
          </p>
        </div>
      )}
      {run && <ViewportOverlay paneId={paneId} run={run} frame={frame} />}
      {!run && <div className="viewport-empty">Open a run to view it</div>}
    </div>
  );
}
