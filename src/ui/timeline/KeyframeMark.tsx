import { useRef } from 'react';
import { keyframeAt, moveKeyframe, type Track } from '../../annotations/model';
import { apply } from '../../state/documents';
import { selectTrack, setFrame } from '../../state/session';
import { frameAtX } from './laneLayout';

/** Pointer travel (px) before a press on a mark counts as a drag rather than a click. */
const DRAG_THRESHOLD_PX = 4;

interface MarkProps {
  paneId: string;
  runKey: string;
  track: Track;
  frame: number;
  frameCount: number;
  current: boolean;
  /** The frame a drag would drop the keyframe on (null when not dragging), for the lane to preview. */
  onDragTo: (frame: number | null) => void;
}

/** A keyframe on its lane: click to go to its frame, drag along the lane to move it to another frame. */
export function KeyframeMark({ paneId, runKey, track, frame, frameCount, current, onDragTo }: MarkProps) {
  const drag = useRef<{ startX: number; left: number; width: number; to: number; moved: boolean } | null>(null);
  const label = `${track.label} keyframe at frame ${frame}`;
  return (
    <button
      type="button"
      className="keyframe-mark"
      aria-label={label}
      aria-current={current ? 'true' : undefined}
      title={`Keyframe at frame ${frame}: click to go there, drag to move it`}
      onPointerDown={(event) => {
        const area = event.currentTarget.closest('.lane-area')?.getBoundingClientRect();
        if (event.button !== 0 || !area) return;
        drag.current = { startX: event.clientX, left: area.left, width: area.width, to: frame, moved: false };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        const d = drag.current;
        if (!d) return;
        if (!d.moved && Math.abs(event.clientX - d.startX) < DRAG_THRESHOLD_PX) return;
        d.moved = true;
        d.to = frameAtX((event.clientX - d.left) / d.width, frameCount);
        onDragTo(d.to);
      }}
      onPointerUp={() => {
        const d = drag.current;
        if (!d?.moved) return;
        onDragTo(null);
        // Dropped on another keyframe of the track, or where it started: nothing moves.
        if (d.to !== frame && !keyframeAt(track, d.to)) {
          apply(runKey, moveKeyframe(track.id, frame, d.to));
          selectTrack(runKey, track.id);
          setFrame(d.to, paneId);
        }
      }}
      onPointerCancel={() => {
        drag.current = null;
        onDragTo(null);
      }}
      onClick={(event) => {
        event.stopPropagation();
        const dragged = drag.current?.moved;
        drag.current = null;
        if (dragged) return;
        selectTrack(runKey, track.id);
        setFrame(frame, paneId);
      }}
    />
  );
}
