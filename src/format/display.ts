/**
 * Wording of the review readouts: the pixel probe, window/level, zoom, and a note when the view is
 * turned or flipped. Pure; the numbers come from viewer/probeMath.ts and the viewport.
 */
import type { ModalityLut } from '../dicom/types';

export interface ProbeReading {
  column: number;
  row: number;
  stored: number;
  value: number;
}

/** Short numbers: integers as they are, others to at most 3 decimals. */
function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(3)));
}

/**
 * "120, 340: 87": the modality value, with the LUT's unit (Rescale Type / LUT Type) when the file
 * names one, and the stored value after it only when the two differ ("1, 2: 13.5 OD (stored 7)").
 * Short, as it must be read whole in the toolbar of a 1280-px screen.
 */
export function formatProbe(reading: ProbeReading, lut: ModalityLut): string {
  const unit = lut.type && lut.type.trim() !== '' && lut.type.trim() !== 'US' ? ` ${lut.type.trim()}` : '';
  const stored = reading.stored === reading.value ? '' : ` (stored ${formatValue(reading.stored)})`;
  return `${reading.column}, ${reading.row}: ${formatValue(reading.value)}${unit}${stored}`;
}

export const PROBE_OUTSIDE = 'Outside the image';
export const PROBE_IDLE = 'Point at the image';

/** "W 561 L 354" (window width and level = centre, rounded for reading). */
export function formatWindowLevel(width: number, center: number): string {
  const round = (v: number) => (Math.abs(v) >= 10 ? String(Math.round(v)) : String(Number(v.toFixed(2))));
  return `W ${round(width)} L ${round(center)}`;
}

/** Screen pixels per image pixel as a reader sees it: "1:1", "2.5×", "0.62×". */
export function formatZoom(screenPixelsPerImagePixel: number): string {
  if (!(screenPixelsPerImagePixel > 0)) return '';
  if (Math.abs(screenPixelsPerImagePixel - 1) < 0.005) return '1:1';
  const digits = screenPixelsPerImagePixel >= 10 ? 0 : screenPixelsPerImagePixel >= 1 ? 1 : 2;
  return `${Number(screenPixelsPerImagePixel.toFixed(digits))}×`;
}

/**
 * Says when the picture is not as acquired: a flipped AP image has the patient's sides swapped,
 * so the overlay must say so. Null when unturned and unflipped.
 */
export function formatViewTransform(rotationDeg: number, flipHorizontal: boolean, flipVertical: boolean): string | null {
  const turn = (((Math.round(rotationDeg / 90) * 90) % 360) + 360) % 360;
  const parts = [
    turn !== 0 ? `Rotated ${turn}°` : null,
    flipHorizontal ? 'flipped left–right' : null,
    flipVertical ? 'flipped top–bottom' : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return null;
  const text = parts.join(' · ');
  return text[0].toUpperCase() + text.slice(1);
}
