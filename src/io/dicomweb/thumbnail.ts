import type { SeriesSummary } from './qido';
import type { InstanceRef } from './wado';

/**
 * Which frame stands for a series in the PACS list (see wado.ts retrieveThumbnail): the middle
 * frame of its first multi-frame instance, else the middle instance of a single-frame series.
 * Null when the series has no image (a report, a presentation state).
 */
export function thumbnailFrame(series: SeriesSummary): (InstanceRef & { frameNumber: number }) | null {
  const images = series.instances.filter((i) => i.rows !== null || (i.numberOfFrames ?? 0) > 0);
  if (images.length === 0) return null;
  const multiFrame = images.find((i) => (i.numberOfFrames ?? 1) > 1);
  const chosen = multiFrame ?? images[Math.floor(images.length / 2)];
  return {
    studyInstanceUID: series.studyInstanceUID,
    seriesInstanceUID: series.seriesInstanceUID,
    sopInstanceUID: chosen.sopInstanceUID,
    frameNumber: multiFrame ? Math.ceil((multiFrame.numberOfFrames ?? 1) / 2) : 1,
  };
}
