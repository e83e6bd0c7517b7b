import { forEachOverlayPixel } from '../../dicom/overlays';
import { overlayPlanesOfRun, overlaysOfFrame } from '../../dicom/runInfo';
import type { OverlayPlane } from '../../dicom/types';
import { display } from '../../state/display';
import { paneById, runOfPane } from '../../state/session';
import { useSession, useStore } from '../hooks/useStore';
import { imagePointInLayer } from './imagePoints';
import { useViewportDisplay, useViewportElement } from './useViewportDisplay';

/**
 * The file's overlay planes (60xx) over the frame on screen, as DCMTK draws graphics planes: their
 * set bits white, one per image pixel, turning and scaling with the image. Not over a frame that
 * failed (its placeholder covers the pane). The Display bar's "DICOM overlays" switch hides them.
 */
export function OverlayPlaneLayer({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const shown = useStore(display, (s) => s.overlayPlanes);
  // Runs without planes follow nothing here (the frame changes on every published frame of a playing run).
  return run && shown && overlayPlanesOfRun(run.info).length > 0 ? <OverlayPlanes paneId={paneId} /> : null;
}

function OverlayPlanes({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const failed = useSession((s) => (run ? s.frameFailures[run.key]?.[frame] !== undefined : false));
  // Re-render when zoom, pan, rotation or flips move the image under the planes.
  useViewportDisplay(paneId);
  const layer = useViewportElement(paneId);
  if (!run || failed) return null;
  const planes = overlaysOfFrame(run.info, frame);
  if (!planes.length) return null;
  return (
    <div className="overlay-plane-layer" data-testid="overlay-planes" aria-hidden="true">
      <svg className="overlay-planes">
        {planes.map(({ plane, index }) => {
          const left = plane.origin.column - 1;
          const top = plane.origin.row - 1;
          const at = imagePointInLayer(paneId, layer, { x: left, y: top });
          const right = imagePointInLayer(paneId, layer, { x: left + plane.columns, y: top });
          const down = imagePointInLayer(paneId, layer, { x: left, y: top + plane.rows });
          if (!at || !right || !down) return null;
          const matrix = [
            (right.x - at.x) / plane.columns,
            (right.y - at.y) / plane.columns,
            (down.x - at.x) / plane.rows,
            (down.y - at.y) / plane.rows,
            at.x,
            at.y,
          ];
          return (
            <image
              key={`${plane.group}-${index}`}
              data-group={plane.group.toString(16)}
              href={planeImage(plane, index, run.info.columns, run.info.rows)}
              width={plane.columns}
              height={plane.rows}
              preserveAspectRatio="none"
              transform={`matrix(${matrix.join(' ')})`}
            />
          );
        })}
      </svg>
    </div>
  );
}

/** Each plane frame drawn once, as a PNG of its own size: set bits white, the rest transparent. */
const drawn = new WeakMap<OverlayPlane, Map<number, string>>();

function planeImage(plane: OverlayPlane, index: number, columns: number, rows: number): string {
  const byIndex = drawn.get(plane) ?? new Map<number, string>();
  drawn.set(plane, byIndex);
  const cached = byIndex.get(index);
  if (cached) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = plane.columns;
  canvas.height = plane.rows;
  const pixels = new ImageData(plane.columns, plane.rows);
  const words = new Uint32Array(pixels.data.buffer);
  const { row: originRow, column: originColumn } = plane.origin;
  // Bits outside the image are left out, as DCMTK leaves them.
  forEachOverlayPixel(plane, index, columns, rows, (column, row) => {
    words[(row - originRow + 1) * plane.columns + (column - originColumn + 1)] = 0xffffffff;
  });
  canvas.getContext('2d')?.putImageData(pixels, 0, 0);
  const url = canvas.toDataURL('image/png');
  byIndex.set(index, url);
  return url;
}
