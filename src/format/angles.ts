/**
 * C-arm positioner angles in the words radiologists use.
 *
 * DICOM PS3.3 C.8.7.5.1.2 (XA Positioner module):
 * - Positioner Primary Angle (0018,1510) lies in the transaxial plane, 0° perpendicular to the
 *   patient's chest, +90° at the patient's left (LAO), −90° at the patient's right (RAO); range
 *   −180…+180°. So positive → LAO, negative → RAO, ±180° → PA.
 * - Positioner Secondary Angle (0018,1511) lies in the sagittal plane, 0° perpendicular to the
 *   patient's chest, +90° towards the head (cranial); range −90…+90°. Positive → CRAN,
 *   negative → CAUD.
 * Both are relative to the patient, not the room, so the wording holds whatever the table does.
 */
import { formatNumber } from './text';

/** e.g. (−32, 2) → "RAO 32° CRAN 2°", (25, −10) → "LAO 25° CAUD 10°", (0, 0) → "AP". */
export function formatPositionerAngles(primaryDeg: number, secondaryDeg: number): string | null {
  const parts = [formatPrimaryAngle(primaryDeg), formatSecondaryAngle(secondaryDeg)].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

/** LAO/RAO, or AP at 0° and PA at ±180°; null when the angle is not a number. */
export function formatPrimaryAngle(degrees: number): string | null {
  const magnitude = roundedMagnitude(degrees);
  if (magnitude === null) return null;
  if (magnitude === 0) return 'AP';
  if (magnitude === 180) return 'PA';
  return `${degrees > 0 ? 'LAO' : 'RAO'} ${formatNumber(magnitude, 1)}°`;
}

/** CRAN/CAUD; null at 0° (no tilt is the unremarkable case) or when not a number. */
export function formatSecondaryAngle(degrees: number): string | null {
  const magnitude = roundedMagnitude(degrees);
  if (magnitude === null || magnitude === 0) return null;
  return `${degrees > 0 ? 'CRAN' : 'CAUD'} ${formatNumber(magnitude, 1)}°`;
}

/** |angle| to 0.1°, so −0.04° reads as AP rather than "RAO 0°". */
function roundedMagnitude(degrees: number): number | null {
  if (typeof degrees !== 'number' || !Number.isFinite(degrees)) return null;
  return Math.round(Math.abs(degrees) * 10) / 10;
}
