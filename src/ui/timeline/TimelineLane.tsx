import { memo, useMemo, useState, type CSSProperties } from 'react';
import type { Track } from '../../annotations/model';
import { selectTrack } from '../../state/session';
import { KeyframeMark } from './KeyframeMark';
import { frameX, laneLayout } from './laneLayout';

const pct = (x: number) => `${(x * 100).toFixed(4)}%`;
/** Past this many keyframes a lane draws thin ticks instead of diamonds, so neighbours stay apart. */
const DENSE_MARKS = 40;

interface LaneProps {
  paneId: string;
  runKey: string;
  track: Track;
  frameCount: number;
  selected: boolean;
  /** The current frame, when it is one of this track's keyframes (to highlight that mark). */
  keyframeHere: number | null;
}

/**
 * One track: its spans drawn in one SVG (interpolated shaded, held lighter, caption range as a
 * bar) and one button per keyframe. Clicking the lane selects the track; a mark also seeks, and
 * dragging a mark moves that keyframe to another frame.
 */
export const TimelineLane = memo(function TimelineLane({ paneId, runKey, track, frameCount, selected, keyframeHere }: LaneProps) {
  const [dropFrame, setDropFrame] = useState<number | null>(null);
  const layout = useMemo(() => laneLayout(track, frameCount), [track, frameCount]);
  const style = { '--track-color': track.color } as CSSProperties;
  const caption = track.kind === 'caption' && track.text ? ` — “${track.text}”` : '';
  return (
    <div className={selected ? 'timeline-lane selected' : 'timeline-lane'} style={style} onClick={() => selectTrack(runKey, track.id)}>
      <button
        type="button"
        className="lane-label"
        aria-pressed={selected}
        aria-label={`Select ${track.label} track`}
        title={track.label + caption}
      >
        <span className="lane-swatch" aria-hidden="true" />
        {track.label}
      </button>
      <div className="lane-area">
        <svg className="lane-spans" aria-hidden="true">
          {layout.spans.map((span) => (
            <rect
              key={`${span.kind}-${span.fromFrame}-${span.toFrame}`}
              className={`span-${span.kind}`}
              data-from={span.fromFrame}
              data-to={span.toFrame}
              x={pct(span.x0)}
              width={pct(span.x1 - span.x0)}
              y={span.kind === 'range' ? '72%' : '25%'}
              height={span.kind === 'range' ? '22%' : '50%'}
            />
          ))}
        </svg>
        <ul className={layout.marks.length > DENSE_MARKS ? 'lane-marks dense' : 'lane-marks'} aria-label={track.label}>
          {layout.marks.map((mark) => (
            <li key={mark.frame} style={{ left: pct(mark.x) }}>
              <KeyframeMark
                paneId={paneId}
                runKey={runKey}
                track={track}
                frame={mark.frame}
                frameCount={frameCount}
                current={mark.frame === keyframeHere}
                onDragTo={setDropFrame}
              />
            </li>
          ))}
        </ul>
        {dropFrame !== null && (
          <div className="keyframe-drop" style={{ left: pct(frameX(dropFrame, frameCount)) }} aria-hidden="true">
            {dropFrame}
          </div>
        )}
      </div>
    </div>
  );
});
