/**
 * Image ↔ world for the frame a viewport holds, laid out as the StackViewport renders it: its
 * image data has spacing [columnPixelSpacing, rowPixelSpacing] along [rowCosines, columnCosines],
 * so image x (along a row) advances by the column spacing and image y by the row spacing, with
 * the centre of the first pixel at Image Position and at image point (0.5, 0.5).
 *
 * Not Cornerstone's `utilities.imageToWorldCoords` / `worldToImageCoords`: they pair x with
 * rowPixelSpacing and y with columnPixelSpacing (cornerstone3D issue #2758, open), which agrees
 * with the rendering only for square pixels; for pixels that are not, every point drawn or read
 * was off by their aspect ratio.
 *
 * The IfKnown forms give null when the frame's run has just been closed or replaced (the same
 * data opened again): its plane metadata has gone with it, and a render or camera event of the
 * old frame can still come before the new run is shown.
 */
import { metaData, type Types } from '@cornerstonejs/core';

interface Plane {
  rowCosines: Types.Point3;
  columnCosines: Types.Point3;
  imagePositionPatient: Types.Point3;
  rowPixelSpacing?: number | null;
  columnPixelSpacing?: number | null;
}

function planeOf(imageId: string): (Plane & { xSpacing: number; ySpacing: number }) | null {
  const plane = metaData.get('imagePlaneModule', imageId) as Plane | undefined;
  if (!plane?.rowCosines || !plane.columnCosines || !plane.imagePositionPatient) return null;
  // As the StackViewport does (getImageDataMetadata): a missing spacing is 1.
  return { ...plane, xSpacing: plane.columnPixelSpacing || 1, ySpacing: plane.rowPixelSpacing || 1 };
}

export function imageToWorldIfKnown(imageId: string, [x, y]: Types.Point2): Types.Point3 | null {
  const plane = planeOf(imageId);
  if (!plane) return null;
  const { rowCosines: r, columnCosines: c, imagePositionPatient: o } = plane;
  const along = (x - 0.5) * plane.xSpacing;
  const down = (y - 0.5) * plane.ySpacing;
  return [o[0] + r[0] * along + c[0] * down, o[1] + r[1] * along + c[1] * down, o[2] + r[2] * along + c[2] * down];
}

export function worldToImageIfKnown(imageId: string, world: Types.Point3): Types.Point2 | null {
  const plane = planeOf(imageId);
  if (!plane) return null;
  const { rowCosines: r, columnCosines: c, imagePositionPatient: o } = plane;
  const d = [world[0] - o[0], world[1] - o[1], world[2] - o[2]];
  const along = d[0] * r[0] + d[1] * r[1] + d[2] * r[2];
  const down = d[0] * c[0] + d[1] * c[1] + d[2] * c[2];
  return [along / plane.xSpacing + 0.5, down / plane.ySpacing + 0.5];
}

/** As imageToWorldIfKnown, for a frame that must be known (a tool working on the frame on screen). */
export function imageToWorld(imageId: string, point: Types.Point2): Types.Point3 {
  const world = imageToWorldIfKnown(imageId, point);
  if (!world) throw new Error(`No image plane is known for ${imageId}`);
  return world;
}

/** As worldToImageIfKnown, for a frame that must be known. */
export function worldToImage(imageId: string, world: Types.Point3): Types.Point2 {
  const image = worldToImageIfKnown(imageId, world);
  if (!image) throw new Error(`No image plane is known for ${imageId}`);
  return image;
}
