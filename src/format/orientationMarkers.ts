/**
 * The patient's directions at the four edges of the picture as shown: from the file's Patient
 * Orientation (which way its rows and columns run) and the pane's quarter turns and mirrors. A
 * flip of an AP image must swap R and L at the edges, or a right-sided injection reads as left.
 */
import type { PatientOrientation } from '../dicom/types';

/** Where the image's axes point on screen: image (dx, dy) → screen (xx·dx + xy·dy, yx·dx + yy·dy); entries −1, 0, 1. */
export interface ScreenAxes {
  readonly xx: number;
  readonly xy: number;
  readonly yx: number;
  readonly yy: number;
}

export interface EdgeMarkers {
  readonly left: string;
  readonly right: string;
  readonly top: string;
  readonly bottom: string;
}

const OPPOSITE: Record<string, string> = { A: 'P', P: 'A', R: 'L', L: 'R', H: 'F', F: 'H' };
const WORDS: Record<string, string> = { A: 'anterior', P: 'posterior', R: 'right', L: 'left', H: 'head', F: 'feet' };

/** "L" → "R"; "LP" → "RA". */
export function oppositeDirection(direction: string): string {
  return [...direction].map((letter) => OPPOSITE[letter] ?? letter).join('');
}

/** "LP" → "patient left posterior", for an accessible name. */
export function directionWords(direction: string): string {
  return `patient ${[...direction].map((letter) => WORDS[letter] ?? letter).join(' ')}`;
}

/**
 * The direction at each edge: the screen's right is whichever image axis points along it on
 * screen (the rows' direction for +x, the columns' for +y, their opposites when it points back).
 */
export function edgeMarkers(orientation: PatientOrientation, axes: ScreenAxes): EdgeMarkers | null {
  const along = (x: number, y: number): string | null => {
    if (x === 1) return orientation.row;
    if (x === -1) return oppositeDirection(orientation.row);
    if (y === 1) return orientation.column;
    if (y === -1) return oppositeDirection(orientation.column);
    return null;
  };
  // Screen right (1, 0) is image x·xx + y·xy: the image axis with a non-zero entry in that row.
  const right = along(axes.xx, axes.xy);
  const bottom = along(axes.yx, axes.yy);
  if (right === null || bottom === null) return null;
  return { left: oppositeDirection(right), right, top: oppositeDirection(bottom), bottom };
}
