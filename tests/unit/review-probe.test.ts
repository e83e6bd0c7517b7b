import { describe, expect, it } from 'vitest';
import type { ModalityLut } from '../../src/dicom/types';
import { formatProbe, formatViewTransform, formatWindowLevel, formatZoom } from '../../src/format/display';
import {
  modalityValueOf,
  nextQuarterTurn,
  pixelAt,
  rangeFromWindow,
  storedValueOf,
  windowFromRange,
  continuousWindowFromRange,
  zoomFactorFor,
} from '../../src/viewer/probeMath';

const identity: ModalityLut = { kind: 'rescale', slope: 1, intercept: 0 };

describe('pixel under the cursor', () => {
  it('takes the pixel whose area holds the point (pixel centres at +0.5)', () => {
    expect(pixelAt(0.5, 0.5, 512, 512)).toEqual({ column: 0, row: 0 });
    expect(pixelAt(0, 0, 512, 512)).toEqual({ column: 0, row: 0 });
    expect(pixelAt(200.99, 300.01, 512, 512)).toEqual({ column: 200, row: 300 });
    expect(pixelAt(511.999, 463.5, 512, 464)).toEqual({ column: 511, row: 463 });
  });

  it('says null outside the image, at its far edges and for non-numbers', () => {
    expect(pixelAt(-0.01, 5, 512, 512)).toBeNull();
    expect(pixelAt(5, -3, 512, 512)).toBeNull();
    expect(pixelAt(512, 5, 512, 512)).toBeNull();
    expect(pixelAt(5, 464, 512, 464)).toBeNull();
    expect(pixelAt(Number.NaN, 5, 512, 512)).toBeNull();
  });
});

describe('stored and modality values', () => {
  it('undoes the rescale the decoder applied, and leaves raw arrays alone', () => {
    expect(storedValueOf(87, { kind: 'stored' })).toBe(87);
    expect(storedValueOf(-1024 + 2 * 300, { kind: 'rescaled', slope: 2, intercept: -1024 })).toBe(300);
    expect(storedValueOf(1.5 * 7 + 3, { kind: 'rescaled', slope: 1.5, intercept: 3 })).toBe(7);
  });

  it('applies Rescale Slope/Intercept', () => {
    expect(modalityValueOf(300, { kind: 'rescale', slope: 2, intercept: -1024 })).toBe(-424);
    expect(modalityValueOf(87, identity)).toBe(87);
  });

  it('looks values up in a Modality LUT Sequence, clamping below First Value Mapped and past the end', () => {
    const lut: ModalityLut = { kind: 'sequence', firstValueMapped: 10, numberOfEntries: 4, bitsPerEntry: 16, data: [100, 200, 300, 400] };
    expect(modalityValueOf(10, lut)).toBe(100);
    expect(modalityValueOf(12, lut)).toBe(300);
    expect(modalityValueOf(3, lut)).toBe(100);
    expect(modalityValueOf(99, lut)).toBe(400);
  });

  it('an empty LUT passes the stored value through', () => {
    expect(modalityValueOf(42, { kind: 'sequence', firstValueMapped: 0, numberOfEntries: 0, bitsPerEntry: 8, data: [] })).toBe(42);
  });
});

describe('readout wording', () => {
  it('"x, y: M", with the unit the file names and the stored value when it differs', () => {
    expect(formatProbe({ column: 120, row: 340, stored: 87, value: 87 }, identity)).toBe('120, 340: 87');
    expect(formatProbe({ column: 1, row: 2, stored: 7, value: 13.5 }, { kind: 'rescale', slope: 1.5, intercept: 3, type: 'OD' })).toBe(
      '1, 2: 13.5 OD (stored 7)',
    );
    expect(formatProbe({ column: 1, row: 2, stored: 7, value: 1 / 3 }, { kind: 'rescale', slope: 1, intercept: 0, type: 'US' })).toBe(
      '1, 2: 0.333 (stored 7)',
    );
    expect(formatProbe({ column: 1, row: 2, stored: 7, value: 7 }, { kind: 'rescale', slope: 1, intercept: 0, type: 'OD' })).toBe(
      '1, 2: 7 OD',
    );
  });

  it('W/L as "W 561 L 354"', () => {
    expect(formatWindowLevel(561, 354)).toBe('W 561 L 354');
    expect(formatWindowLevel(230.4, 139.6)).toBe('W 230 L 140');
    expect(formatWindowLevel(2.5, 0.25)).toBe('W 2.5 L 0.25');
  });

  it('converts between Cornerstone VOI ranges and DICOM linear centre/width both ways', () => {
    for (const [width, center] of [
      [230, 140],
      [561, 354],
      [1, 0],
      [256, 128],
    ]) {
      const { lower, upper } = rangeFromWindow(width, center);
      expect(windowFromRange(lower, upper)).toEqual({ width, center });
    }
    // PS3.3 C.11.2.1.2: centre 128 / width 256 puts 0 at black and 255 at white.
    expect(rangeFromWindow(256, 128)).toEqual({ lower: 0, upper: 255 });
  });

  it('reads and writes windows under LINEAR_EXACT at centre ± width/2, and SIGMOID as LINEAR (Cornerstone fits its curve to that range)', () => {
    // PS3.3 C.11.2.1.3.2: LINEAR_EXACT maps c − w/2 to black and c + w/2 to white.
    expect(rangeFromWindow(230, 140, 'LINEAR_EXACT')).toEqual({ lower: 25, upper: 255 });
    expect(windowFromRange(25, 255, 'LINEAR_EXACT')).toEqual({ width: 230, center: 140 });
    expect(rangeFromWindow(230, 140, 'SIGMOID')).toEqual(rangeFromWindow(230, 140));
    for (const fn of ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as const) {
      const { lower, upper } = rangeFromWindow(561, 354.5, fn);
      expect(windowFromRange(lower, upper, fn)).toEqual({ width: 561, center: 354.5 });
    }
  });

  it('reads a window on a continuous scale (subtracted frames) without the integer offsets', () => {
    expect(continuousWindowFromRange(-0.28, 0.28)).toEqual({ width: 0.56, center: 0 });
    expect(windowFromRange(-0.28, 0.28)).toEqual({ width: 1.56, center: 0.5 });
  });

  it('zoom as 1:1 or a factor', () => {
    expect(formatZoom(1)).toBe('1:1');
    expect(formatZoom(1.003)).toBe('1:1');
    expect(formatZoom(0.9123)).toBe('0.91×');
    expect(formatZoom(2.46)).toBe('2.5×');
    expect(formatZoom(12.4)).toBe('12×');
    expect(formatZoom(0)).toBe('');
  });
});

describe('camera arithmetic', () => {
  it('scales the zoom so one image pixel covers the target screen pixels', () => {
    expect(zoomFactorFor(0.5, 1)).toBe(2);
    expect(zoomFactorFor(2, 1)).toBe(0.5);
    expect(zoomFactorFor(2, 0.5)).toBe(0.25);
    expect(zoomFactorFor(0, 1)).toBe(1);
  });

  it('turns a quarter at a time and snaps odd angles', () => {
    expect([0, 90, 180, 270].map(nextQuarterTurn)).toEqual([90, 180, 270, 0]);
    expect(nextQuarterTurn(89.9999)).toBe(180);
    expect(nextQuarterTurn(-90)).toBe(0);
    expect(nextQuarterTurn(360)).toBe(90);
  });
});

describe('view transform note', () => {
  it('is silent for the view as acquired and names turns and flips otherwise', () => {
    expect(formatViewTransform(0, false, false)).toBeNull();
    expect(formatViewTransform(360, false, false)).toBeNull();
    expect(formatViewTransform(90, false, false)).toBe('Rotated 90°');
    expect(formatViewTransform(0, true, false)).toBe('Flipped left–right');
    expect(formatViewTransform(270.0001, true, true)).toBe('Rotated 270° · flipped left–right · flipped top–bottom');
  });
});
