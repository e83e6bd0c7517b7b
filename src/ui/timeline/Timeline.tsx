import { useCallback, type CSSProperties } from 'react';
import { keyframeAt } from '../../annotations/model';
import { paneById, reportTimeline, runOfPane, selectedTrackOf } from '../../state/session';
import { useSession } from '../hooks/useStore';
import { frameX } from './laneLayout';
import { TimelineLane } from './TimelineLane';
import { TimelineRuler } from './TimelineRuler';
import { TimelineToolbar } from './TimelineToolbar';
import { TrackTextEditor } from './TrackTextEditor';
import { VascularFlags } from './VascularFlags';
import { useRunDocument } from '../hooks/useRunDocument';

/** A lane per annotation track of the pane's run, with the current frame as a vertical line. */
export function Timeline({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const selectedTrackId = useSession((s) => selectedTrackOf(s, runOfPane(s, paneId)?.key));
  const view = useRunDocument(run);
  const message = useSession((s) => s.timelineMessages[paneId] ?? null);
  const report = useCallback((m: string | null) => reportTimeline(paneId, m), [paneId]);

  const tracks = view?.doc.tracks ?? [];
  const track = tracks.find((t) => t.id === selectedTrackId) ?? null;
  const frameCount = run?.info.frameCount ?? 0;

  if (!run || !view) return null;
  const playhead = { '--x': frameX(frame, frameCount) } as CSSProperties;
  return (
    <div role="group" aria-label="Timeline" className="timeline">
      <TimelineToolbar paneId={paneId} runKey={run.key} track={track} frame={frame} message={message} report={report} />
      <TrackTextEditor runKey={run.key} track={track} frame={frame} frameCount={frameCount} />
      <VascularFlags paneId={paneId} runKey={run.key} doc={view.doc} frame={frame} frameCount={frameCount} />
      <div className="timeline-lanes">
        {tracks.length > 0 && <TimelineRuler paneId={paneId} frameCount={frameCount} />}
        {tracks.length === 0 && (
          <p className="timeline-empty">No tracks yet: add one, or draw with the Needle tip, Target or Contrast spread tool.</p>
        )}
        {tracks.map((t) => (
          <TimelineLane
            key={t.id}
            paneId={paneId}
            runKey={run.key}
            track={t}
            frameCount={frameCount}
            selected={t.id === selectedTrackId}
            keyframeHere={keyframeAt(t, frame) ? frame : null}
          />
        ))}
        {tracks.length > 0 && <div className="timeline-playhead" style={playhead} data-frame={frame} aria-hidden="true" />}
      </div>
    </div>
  );
}
