import { describe, expect, it } from 'vitest';
import type { VoiLut } from '../../src/dicom/types';
import { openingVoiLut, voiLutInputRange, voiLutLevel } from '../../src/dicom/voiLut';
import { voiLutDescription, voiLutName } from '../../src/format/windowPresets';

const lut: VoiLut = { firstValueMapped: 100, numberOfEntries: 3, bitsPerEntry: 12, data: [0, 1000, 4095], explanation: '' };

describe('VOI LUT lookup (PS3.3 C.11.2.1.1)', () => {
  it('maps each value to its entry on the scale of the descriptor bits, clamped at both ends', () => {
    expect([99, 100, 101, 102, 103, -5000].map((v) => voiLutLevel(v, lut))).toEqual([0, 0, 1000 / 4095, 1, 1, 0]);
  });

  it('draws the straight line between entries for values between them (pre-scaled floats)', () => {
    expect(voiLutLevel(100.5, lut)).toBeCloseTo(500 / 4095, 10);
    expect(voiLutLevel(101.25, lut)).toBeCloseTo((1000 + 0.25 * 3095) / 4095, 10);
  });

  it('reads entries against 2^bits − 1 even when a table uses less of it (as DCMTK does)', () => {
    expect(voiLutLevel(102, { ...lut, bitsPerEntry: 16 })).toBeCloseTo(4095 / 65535, 10);
  });

  it('covers the input range from the first value mapped to the last entry', () => {
    expect(voiLutInputRange(lut)).toEqual({ lower: 100, upper: 102 });
    expect(voiLutInputRange({ ...lut, data: [7] })).toEqual({ lower: 100, upper: 101 });
  });

  it('opens with the first LUT only when the file stores no window', () => {
    const second = { ...lut, explanation: 'SECOND' };
    expect(openingVoiLut({ windows: [], luts: [lut, second] })).toBe(lut);
    expect(openingVoiLut({ windows: [{ center: 1, width: 2 }], luts: [lut] })).toBeNull();
    expect(openingVoiLut({ windows: [] })).toBeNull();
  });

  it('is named by its explanation, else its place', () => {
    expect(voiLutName({ ...lut, explanation: '  NORMAL\u0000 ' }, 0)).toBe('VOI LUT NORMAL');
    expect(voiLutName(lut, 1)).toBe('VOI LUT 2');
    expect(voiLutDescription(lut)).toBe(
      'Display curve written in the file (VOI LUT Sequence): values 100–102 to grey, 3 entries of 12 bits',
    );
  });
});
