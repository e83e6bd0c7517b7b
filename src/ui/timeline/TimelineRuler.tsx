import { useRef } from 'react';
import { setFrame } from '../../state/session';
import { useElementWidth } from '../hooks/useElementWidth';
import { frameAtX, frameX, rulerTicks } from './laneLayout';

const pct = (x: number) => `${(x * 100).toFixed(4)}%`;
/** Room one frame number needs on the ruler (four digits and a gap): a narrow pane gets fewer numbers, not overlapping ones. */
const TICK_SPACING_PX = 44;

/**
 * Frame numbers above the lanes; clicking or dragging on it scrubs. A pointer convenience only:
 * the Frame slider is the accessible way to seek, so this is hidden from assistive technology.
 */
export function TimelineRuler({ paneId, frameCount }: { paneId: string; frameCount: number }) {
  const scale = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scale);
  const maxTicks = width > 0 ? Math.max(2, Math.min(10, Math.floor(width / TICK_SPACING_PX))) : 10;
  const seek = (event: React.PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    setFrame(frameAtX((event.clientX - box.left) / box.width, frameCount), paneId);
  };
  return (
    <div className="timeline-ruler" aria-hidden="true">
      <span className="ruler-label">Frame</span>
      <div
        ref={scale}
        className="ruler-scale"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          seek(event);
        }}
        onPointerMove={(event) => event.buttons === 1 && seek(event)}
      >
        {rulerTicks(frameCount, maxTicks).map((frame) => {
          const x = frameX(frame, frameCount);
          // Near the right edge the number goes left of its tick, so it is not cut off.
          return (
            <span key={frame} className={x > 0.92 ? 'ruler-tick end' : 'ruler-tick'} style={{ left: pct(x) }}>
              {frame}
            </span>
          );
        })}
      </div>
    </div>
  );
}
