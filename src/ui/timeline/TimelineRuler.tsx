import { setFrame } from '../../state/session';
import { frameAtX, frameX, rulerTicks } from './laneLayout';

const pct = (x: number) => `${(x * 100).toFixed(4)}%`;

/**
 * Frame numbers above the lanes; clicking or dragging on it scrubs. A pointer convenience only:
 * the Frame slider is the accessible way to seek, so this is hidden from assistive technology.
 */
export function TimelineRuler({ paneId, frameCount }: { paneId: string; frameCount: number }) {
  const seek = (event: React.PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    setFrame(frameAtX((event.clientX - box.left) / box.width, frameCount), paneId);
  };
  return (
    <div className="timeline-ruler" aria-hidden="true">
      <span className="ruler-label">Frame</span>
      <div
        className="ruler-scale"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          seek(event);
        }}
        onPointerMove={(event) => event.buttons === 1 && seek(event)}
      >
        {rulerTicks(frameCount).map((frame) => {
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
