import { useState } from 'react';
import type { Point } from '../../annotations/model';
import { imagePick, updatePick } from '../../state/imagePick';
import { paneById, runOfPane } from '../../state/session';
import { clientToImagePoint } from '../../viewer/review';
import { useRunDocument } from '../hooks/useRunDocument';
import { useSession, useStore } from '../hooks/useStore';
import { imagePointInLayer as toLayer } from '../review/imagePoints';
import { useViewportDisplay, useViewportElement } from '../review/useViewportDisplay';
import './calibration.css';

/**
 * Over the pane's viewport: while a calibration line or a lead tip is being picked, it takes the
 * pointer (press, drag, release for a line; a click for a point) and turns it into image points;
 * at any time it draws the run's calibration line (on its frame) and its lead tips (on theirs).
 */
export function ImagePickLayer({ paneId }: { paneId: string }) {
  const [dragging, setDragging] = useState(false);
  const pick = useStore(imagePick, (s) => (s.pick?.paneId === paneId ? s.pick : null));
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const doc = useRunDocument(run)?.doc;
  // Re-render when zoom, pan or rotation move the image under the marks.
  useViewportDisplay(paneId);
  const viewportElement = useViewportElement(paneId);
  const picking = pick !== null && pick.runKey === run?.key && !pick.done;
  const at = (e: React.PointerEvent) => clientToImagePoint(paneId, e.clientX, e.clientY);

  const lines: Array<{ key: string; from: Point; to: Point; label: string; className: string }> = [];
  const dots: Array<{ key: string; at: Point; label: string }> = [];
  if (doc?.calibration && doc.calibration.frame === frame && !(pick?.purpose === 'calibration' && pick.points.length > 0)) {
    const c = doc.calibration;
    lines.push({ key: 'calibration', ...c.line, label: `${c.lengthMm} mm (${c.objectName})`, className: 'calibration-line' });
  }
  if (pick?.kind === 'line' && pick.points.length === 2 && pick.runKey === run?.key)
    lines.push({ key: 'pick', from: pick.points[0], to: pick.points[1], label: '', className: 'calibration-line drawing' });
  for (const lead of doc?.leadTips ?? [])
    if (lead.frame === frame && lead.position) dots.push({ key: lead.id, at: lead.position, label: `${lead.label} ${lead.level}` });
  if (pick?.kind === 'point' && pick.points[0] && pick.runKey === run?.key) dots.push({ key: 'pick', at: pick.points[0], label: 'tip' });

  if (!picking && lines.length === 0 && dots.length === 0) return null;
  return (
    <div
      className={picking ? 'image-pick-layer picking' : 'image-pick-layer'}
      data-testid="image-pick-layer"
      aria-hidden={!picking}
      onPointerDown={(e) => {
        if (!picking) return;
        const p = at(e);
        if (!p) return;
        e.preventDefault();
        e.stopPropagation();
        if (pick.kind === 'point') {
          updatePick([p], true);
          return;
        }
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
        updatePick([p, p], false);
      }}
      onPointerMove={(e) => {
        if (!picking || !dragging || pick.kind !== 'line') return;
        const p = at(e);
        if (p) updatePick([pick.points[0], p], false);
      }}
      onPointerUp={(e) => {
        if (!picking || !dragging || pick.kind !== 'line') return;
        setDragging(false);
        const p = at(e);
        if (p) updatePick([pick.points[0], p], true);
      }}
    >
      <svg className="image-pick-marks">
        {lines.map((l) => {
          const a = toLayer(paneId, viewportElement, l.from);
          const b = toLayer(paneId, viewportElement, l.to);
          if (!a || !b) return null;
          return (
            <g key={l.key} className={l.className}>
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
              <circle cx={a.x} cy={a.y} r={3} />
              <circle cx={b.x} cy={b.y} r={3} />
              {l.label && (
                <text x={(a.x + b.x) / 2 + 6} y={(a.y + b.y) / 2 - 6}>
                  {l.label}
                </text>
              )}
            </g>
          );
        })}
        {dots.map((d) => {
          const p = toLayer(paneId, viewportElement, d.at);
          if (!p) return null;
          return (
            <g key={d.key} className="lead-tip-mark">
              <circle cx={p.x} cy={p.y} r={6} />
              <text x={p.x + 9} y={p.y + 4}>
                {d.label}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
