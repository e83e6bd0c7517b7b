import { useRef } from 'react';
import { DEFAULT_TIMELINE_HEIGHT, MAX_TIMELINE_HEIGHT, MIN_TIMELINE_HEIGHT, layout, setTimelineHeight } from '../../state/layout';
import { useStore } from '../hooks/useStore';

/** One arrow-key press moves the edge this far. */
const KEY_STEP_PX = 20;

/**
 * The timeline's top edge: drag it up for more lanes, down for more picture (every pane's
 * timeline follows; the height is remembered). From the keyboard, ↑ and ↓ move it, Home
 * restores the default; a double-click restores it too.
 */
export function TimelineResizer() {
  const height = useStore(layout, (s) => s.timelineHeight);
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);
  return (
    <div
      className="timeline-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Timeline height"
      aria-valuemin={MIN_TIMELINE_HEIGHT}
      aria-valuemax={MAX_TIMELINE_HEIGHT}
      aria-valuenow={height}
      tabIndex={0}
      title="Drag to give the timeline more or less room (↑ ↓ from the keyboard; double-click for the default)"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { startY: e.clientY, startHeight: height };
      }}
      onPointerMove={(e) => {
        if (drag.current) setTimelineHeight(drag.current.startHeight + drag.current.startY - e.clientY);
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onDoubleClick={() => setTimelineHeight(DEFAULT_TIMELINE_HEIGHT)}
      onKeyDown={(e) => {
        const next =
          e.key === 'ArrowUp'
            ? height + KEY_STEP_PX
            : e.key === 'ArrowDown'
              ? height - KEY_STEP_PX
              : e.key === 'Home'
                ? DEFAULT_TIMELINE_HEIGHT
                : null;
        if (next === null) return;
        // These keys step frames and pan elsewhere; here they move the edge only.
        e.preventDefault();
        e.stopPropagation();
        setTimelineHeight(next);
      }}
    />
  );
}
