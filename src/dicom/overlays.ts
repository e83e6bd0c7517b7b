import type { DataSet } from 'dicom-parser';
import type { OverlayPlane } from './types';
import { decimal, text, uint16 } from './values';

/**
 * Overlay planes (PS3.3 C.9.2, Overlay Plane and Multi-frame Overlay Modules): 1-bit graphics a
 * modality stores beside the pixels in the even groups 6000–601E, e.g. markers and text a C-arm
 * drew. A viewer shows them over the image (DCMTK does by default, as white); they are not pixels.
 * Only planes with their own Overlay Data (60xx,3000) are read: the retired planes embedded in
 * unused bits of the pixel words are not image data and are left out (storedBits.ts).
 */

const FIRST_GROUP = 0x6000;
const LAST_GROUP = 0x601e;

/**
 * Every overlay plane of the data set, in group order, with the problems of those left out.
 * `bigEndian`: the data set is Explicit VR Big Endian, whose OW words hold their bytes swapped.
 */
export function readOverlays(ds: DataSet, bigEndian = false): { planes: OverlayPlane[]; notes: string[] } {
  const planes: OverlayPlane[] = [];
  const notes: string[] = [];
  for (let group = FIRST_GROUP; group <= LAST_GROUP; group += 2) {
    const tag = (element: number) => `x${group.toString(16)}${element.toString(16).padStart(4, '0')}`;
    const rows = uint16(ds, tag(0x0010));
    const columns = uint16(ds, tag(0x0011));
    if (rows === undefined && columns === undefined) continue;
    const name = `Overlay ${group.toString(16).toUpperCase()}`;
    const data = ds.elements[tag(0x3000)];
    if (!data) {
      notes.push(`${name} has no Overlay Data of its own (an overlay in the pixel words): not shown`);
      continue;
    }
    if (!rows || !columns) {
      notes.push(`${name} gives no size: not shown`);
      continue;
    }
    const frames = Math.max(1, Math.floor(decimal(ds, tag(0x0015)) ?? 1));
    const bitsNeeded = rows * columns * frames;
    if (data.length * 8 < bitsNeeded) {
      notes.push(`${name} holds ${data.length} bytes of Overlay Data, fewer than its ${rows}×${columns}×${frames} bits: not shown`);
      continue;
    }
    const origin = signedPair(ds, tag(0x0050));
    const type = text(ds, tag(0x0040)).toUpperCase() === 'R' ? 'R' : 'G';
    const plane: OverlayPlane = {
      group,
      rows,
      columns,
      type,
      origin: { row: origin?.[0] ?? 1, column: origin?.[1] ?? 1 },
      frames,
      firstFrame: Math.max(1, uint16(ds, tag(0x0051)) ?? 1),
      bits: overlayBytes(ds, data, Math.ceil(bitsNeeded / 8), bigEndian && data.vr !== 'OB'),
    };
    const description = text(ds, tag(0x0022));
    const label = text(ds, tag(0x1500));
    if (description) plane.description = description;
    if (label) plane.label = label;
    planes.push(plane);
  }
  return { planes, notes };
}

/** The plane's packed bits as bytes in bit order (big endian OW words put back byte for byte). */
function overlayBytes(ds: DataSet, data: { dataOffset: number; length: number }, length: number, swapWords: boolean): Uint8Array {
  const bytes = ds.byteArray.slice(data.dataOffset, data.dataOffset + data.length);
  if (swapWords) for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  return bytes.subarray(0, length);
}

/** Overlay Origin (60xx,0050) is SS: row and column of the plane's first bit, 1-based, may be ≤ 0. */
function signedPair(ds: DataSet, tag: string): [number, number] | undefined {
  const element = ds.elements[tag];
  if (!element || element.length < 4) return undefined;
  return [ds.int16(tag, 0) as number, ds.int16(tag, 1) as number];
}

/**
 * Which frame of the plane goes with image frame `frame` of its own image (1-based), or null when
 * none: a plane of one frame goes with every frame; a multi-frame plane with the frames from its
 * Image Frame Origin on.
 */
export function overlayFrameFor(plane: OverlayPlane, frame: number): number | null {
  if (plane.frames === 1) return 0;
  const index = frame - plane.firstFrame;
  return index >= 0 && index < plane.frames ? index : null;
}

/**
 * Calls `set(column, row)` (0-based image pixel) for every set bit of the plane's frame `index`
 * that lands inside an image of `columns` × `rows`. Bits are packed from the least significant
 * bit of each byte, row by row (PS3.5 8.1.2; OW words little endian keep that order).
 */
export function forEachOverlayPixel(
  plane: OverlayPlane,
  index: number,
  columns: number,
  rows: number,
  set: (column: number, row: number) => void,
): void {
  const perFrame = plane.rows * plane.columns;
  const start = index * perFrame;
  const { bits } = plane;
  for (let i = 0; i < perFrame; i++) {
    const bit = start + i;
    if (((bits[bit >> 3] >> (bit & 7)) & 1) === 0) continue;
    const row = plane.origin.row - 1 + Math.floor(i / plane.columns);
    const column = plane.origin.column - 1 + (i % plane.columns);
    if (row >= 0 && row < rows && column >= 0 && column < columns) set(column, row);
  }
}
