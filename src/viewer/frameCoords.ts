/**
 * Image ↔ world for the frame a viewport holds, or null when that frame's run has just been closed
 * or replaced (the same data opened again): its plane metadata has gone with it, Cornerstone's
 * conversions then throw, and a render or camera event of the old frame can still come before the
 * new run is shown.
 */
import { metaData, type Types, utilities } from '@cornerstonejs/core';

export function imageToWorldIfKnown(imageId: string, point: Types.Point2): Types.Point3 | null {
  if (!metaData.get('imagePlaneModule', imageId)) return null;
  return utilities.imageToWorldCoords(imageId, point) ?? null;
}

export function worldToImageIfKnown(imageId: string, world: Types.Point3): Types.Point2 | null {
  if (!metaData.get('imagePlaneModule', imageId)) return null;
  return (utilities.worldToImageCoords(imageId, world) as Types.Point2 | undefined) ?? null;
}
