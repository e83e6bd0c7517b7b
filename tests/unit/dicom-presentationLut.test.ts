import { describe, expect, it } from 'vitest';
import { opensInverted, presentationLutShapeOf } from '../../src/dicom/presentationLut';

describe('presentationLutShapeOf', () => {
  it('reads the two defined terms in any case and padding, and nothing else', () => {
    expect(presentationLutShapeOf('INVERSE')).toBe('INVERSE');
    expect(presentationLutShapeOf(' identity ')).toBe('IDENTITY');
    expect(presentationLutShapeOf('LIN OD')).toBeUndefined();
    expect(presentationLutShapeOf('')).toBeUndefined();
    expect(presentationLutShapeOf(undefined)).toBeUndefined();
  });
});

describe('opensInverted (which way round a file asks to be shown)', () => {
  it.each([
    ['MONOCHROME2', undefined, false],
    ['MONOCHROME2', 'IDENTITY', false],
    // DCMTK's dcm2pnm inverts this one (PS3.3 C.11.6.1.2).
    ['MONOCHROME2', 'INVERSE', true],
    ['MONOCHROME2 ', 'inverse', true],
    ['MONOCHROME1', undefined, true],
    // With MONOCHROME1 the DX IOD requires INVERSE: the same inversion, not a second one.
    ['MONOCHROME1', 'INVERSE', true],
    // Forbidden by the DX IOD; DCMTK shows it not inverted, most viewers (and FluoroLens) inverted.
    ['MONOCHROME1', 'IDENTITY', true],
    // Colour is never turned over.
    ['RGB', 'INVERSE', false],
    ['PALETTE COLOR', undefined, false],
  ] as const)('%s with shape %s → %s', (photometricInterpretation, presentationLutShape, inverted) => {
    expect(opensInverted({ photometricInterpretation, presentationLutShape })).toBe(inverted);
  });
});
