/**
 * Wording for measurements. Millimetres appear only with the spacing they came from, and always
 * beside the pixel value, so a calibrated and an uncalibrated number are never confused.
 */
import { areaMm2, type ContrastOnset, type RunMeasurements } from '../annotations/model';
import type { Spacing, SpacingSource } from '../dicom/types';

/**
 * The one name of each spacing source, wherever mm are shown (side panel, chart, scale bar,
 * contour label). Uncorrected Imager Pixel Spacing measures at the detector, not at the patient
 * (objects look larger by the magnification), so its name says so.
 */
export const SPACING_SOURCE_NAMES: Readonly<Record<SpacingSource, string>> = {
  'Pixel Spacing': 'Pixel Spacing',
  'Imager Pixel Spacing': 'Imager Pixel Spacing at detector',
  'Imager Pixel Spacing corrected by ERMF': 'Imager Pixel Spacing ÷ ERMF',
  'User calibration': 'by user',
};

export function spacingSourceName(source: SpacingSource): string {
  return SPACING_SOURCE_NAMES[source];
}

/** The calibration every mm shown names: "by user (25 mm marker ball)", "Imager Pixel Spacing ÷ ERMF", … */
export function spacingName(spacing: Pick<Spacing, 'source' | 'name'>): string {
  return spacing.name ?? spacingSourceName(spacing.source);
}

/** "Imager Pixel Spacing ÷ ERMF, 0.4928 mm/px" or "Not calibrated: pixels only". */
export function calibrationText(spacing: Spacing | null): string {
  if (!spacing) return 'Not calibrated: pixels only';
  const size =
    spacing.rowMm === spacing.columnMm
      ? `${round(spacing.rowMm, 4)} mm/px`
      : `${round(spacing.columnMm, 4)} × ${round(spacing.rowMm, 4)} mm/px (column × row)`;
  return `${spacingName(spacing)}, ${size}`;
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** "12.3 mm (25.0 px)", or "25.0 px" when uncalibrated; null when there is no value. */
export function distanceText(px: number | null, mm: number | null): string | null {
  if (px === null) return null;
  return mm === null ? `${px.toFixed(1)} px` : `${mm.toFixed(1)} mm (${px.toFixed(1)} px)`;
}

/** The side panel's area: "388.6 mm² (1600 px²)", or "1600 px²" when uncalibrated; null when there is none. */
export function areaText(px2: number | null, mm2: number | null): string | null {
  if (px2 === null) return null;
  return mm2 === null ? `${Math.round(px2)} px²` : `${mm2.toFixed(1)} mm² (${Math.round(px2)} px²)`;
}

/**
 * The label drawn beside a contrast outline, where there is no room for both units:
 * "Area 98.3 mm² (Imager Pixel Spacing ÷ ERMF)", or "Area 412 px² (uncalibrated)".
 */
export function contourAreaLabel(px2: number, spacing: Spacing | null): string {
  if (!spacing) return `Area ${Math.round(px2)} px² (uncalibrated)`;
  return `Area ${areaMm2(px2, spacing).toFixed(1)} mm² (${spacingName(spacing)})`;
}

export function onsetText(onset: ContrastOnset): string {
  if (onset.frame === null) return 'not recorded';
  return `frame ${onset.frame} (${onset.source === 'caseRecord' ? 'case record' : 'first contour'})`;
}

/** "1.20 s after onset", "0.40 s before onset", "at onset", or null. */
export function sinceOnsetText(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (Math.abs(seconds) < 0.0005) return 'at onset';
  return `${Math.abs(seconds).toFixed(2)} s ${seconds > 0 ? 'after' : 'before'} onset`;
}

export interface FrameReadout {
  distance: string | null;
  area: string | null;
  onset: string;
  sinceOnset: string | null;
}

/** What the readout says for one 1-based frame. */
export function frameReadout(m: RunMeasurements, frame: number): FrameReadout {
  const i = frame - 1;
  const { tipToTarget, contrastArea, timeSinceOnset } = m;
  return {
    distance: distanceText(tipToTarget.px[i] ?? null, tipToTarget.mm?.[i] ?? null),
    area: areaText(contrastArea.px2[i] ?? null, contrastArea.mm2?.[i] ?? null),
    onset: onsetText(timeSinceOnset.onset),
    sinceOnset: sinceOnsetText(timeSinceOnset.seconds[i] ?? null),
  };
}
