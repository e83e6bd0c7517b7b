import type { ModalityLut, RunInfo } from './types';

/**
 * The Modality LUT Sequence on the way to the screen. Cornerstone's GPU rendering applies Rescale
 * Slope/Intercept but not a LUT sequence, so the viewer maps such frames itself, as DCMTK does.
 */

type LutSequence = Extract<ModalityLut, { kind: 'sequence' }>;

/**
 * X-ray angiography and radiofluoroscopy (and their enhanced forms) keep their Modality LUT out of
 * the display: it describes the detector, and the stored values are already for display (DCMTK:
 * "processing XA or XRF image ... ignoring possible modality transform").
 */
const MODALITY_LUT_NOT_FOR_DISPLAY = new Set([
  '1.2.840.10008.5.1.4.1.1.12.1',
  '1.2.840.10008.5.1.4.1.1.12.1.1',
  '1.2.840.10008.5.1.4.1.1.12.2',
  '1.2.840.10008.5.1.4.1.1.12.2.1',
]);

/** The LUT sequence to apply before display, or null (no sequence, or an XA/XRF run). */
export function modalityLutSequenceForDisplay(info: Pick<RunInfo, 'modalityLut' | 'sopClassUID'>): LutSequence | null {
  const lut = info.modalityLut;
  if (lut.kind !== 'sequence' || lut.data.length === 0) return null;
  return MODALITY_LUT_NOT_FOR_DISPLAY.has(info.sopClassUID) ? null : lut;
}

/**
 * Stored values through the table (PS3.3 C.11.1): values below First Value Mapped take the first
 * entry and values past the table the last. Unsigned 16-bit out when every entry fits, else float.
 */
export function mapThroughLutSequence(
  stored: ArrayLike<number>,
  lut: LutSequence,
): { values: Uint16Array | Float32Array; min: number; max: number } {
  const table = lut.data;
  const fitsUint16 = table.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff);
  const values = fitsUint16 ? new Uint16Array(stored.length) : new Float32Array(stored.length);
  const last = table.length - 1;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < stored.length; i++) {
    const index = stored[i] - lut.firstValueMapped;
    const value = table[index < 0 ? 0 : index > last ? last : index];
    values[i] = value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { values, min, max };
}
