/** A calibrated scale bar for the overlay, naming which spacing it rests on. */
import type { SpacingInfo } from '../dicom/types';
import { spacingName } from './measurements';

/** Lengths a bar may have: round numbers a reader takes in at a glance. */
export const SCALE_BAR_LENGTHS_MM = [1, 2, 5, 10, 20, 50] as const;

export interface ScaleBarSpec {
  lengthMm: number;
  /** On-screen width of the bar in CSS pixels (not rounded). */
  widthPx: number;
  /** e.g. "10 mm (Imager Pixel Spacing ÷ ERMF)". */
  label: string;
  /** The spacing the length rests on, e.g. "Imager Pixel Spacing ÷ ERMF". */
  basis: string;
}

/**
 * The longest round bar that fits in `maxWidthPx`, drawn horizontally (so it uses the column
 * spacing). Null when the run is not calibrated — an uncalibrated run gets no bar at all — or when
 * even 1 mm does not fit.
 */
export function scaleBar(
  spacing: Pick<SpacingInfo, 'preferred'>,
  viewportPixelsPerImagePixel: number,
  maxWidthPx: number,
): ScaleBarSpec | null {
  const preferred = spacing.preferred;
  if (!preferred || !(preferred.columnMm > 0) || !(viewportPixelsPerImagePixel > 0)) return null;
  const pixelsPerMm = viewportPixelsPerImagePixel / preferred.columnMm;
  const fitting = SCALE_BAR_LENGTHS_MM.filter((lengthMm) => lengthMm * pixelsPerMm <= maxWidthPx);
  if (fitting.length === 0) return null;
  const lengthMm = fitting[fitting.length - 1];
  const basis = spacingName(preferred);
  return { lengthMm, widthPx: lengthMm * pixelsPerMm, label: `${lengthMm} mm (${basis})`, basis };
}
