import { isDoseReportClass, nonImageClassName } from '../../dicom/classify';
import type { SeriesSummary } from './qido';
import type { InstanceRef } from './wado';

/**
 * Which frame stands for a series in the PACS list (see wado.ts retrieveThumbnail): the middle
 * frame of its first multi-frame instance, else the middle instance of a single-frame series.
 * Null when the series has no image (a report, a presentation state).
 */
export function thumbnailFrame(series: SeriesSummary): (InstanceRef & { frameNumber: number }) | null {
  const images = imageInstances(series);
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

/** The series' instances that hold pixels (Rows or Number of Frames given), in Instance Number order. */
export function imageInstances(series: SeriesSummary): SeriesSummary['instances'] {
  return series.instances.filter((i) => i.rows !== null || (i.numberOfFrames ?? 0) > 0);
}

/** The image instance a run of this series starts with (lowest Instance Number), or null. */
export function firstImageInstance(series: SeriesSummary): { sopInstanceUID: string } | null {
  const first = imageInstances(series)[0];
  return first ? { sopInstanceUID: first.sopInstanceUID } : null;
}

/**
 * What a series without images holds, for people: "Radiation dose report", "Comprehensive
 * Structured Report", …, or "No images"; null when the series has images (it opens as a run).
 */
export function nonImageSeriesKind(series: SeriesSummary): string | null {
  if (imageInstances(series).length > 0) return null;
  const classes = series.instances.map((i) => i.sopClassUID);
  if (classes.some(isDoseReportClass)) return 'Radiation dose report';
  const named = classes.map(nonImageClassName).find((name) => name !== null);
  return named ?? 'No images';
}
