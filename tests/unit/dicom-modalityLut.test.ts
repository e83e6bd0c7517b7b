import { describe, expect, it } from 'vitest';
import { mapThroughLutSequence, modalityLutSequenceForDisplay } from '../../src/dicom/modalityLut';
import type { ModalityLut } from '../../src/dicom/types';

const CR = '1.2.840.10008.5.1.4.1.1.1';
const XA = '1.2.840.10008.5.1.4.1.1.12.1';
const XRF = '1.2.840.10008.5.1.4.1.1.12.2';
const sequence: ModalityLut = { kind: 'sequence', firstValueMapped: 2, numberOfEntries: 4, bitsPerEntry: 16, data: [10, 20, 40, 80] };

describe('Modality LUT Sequence for display', () => {
  it('applies to a CR and not to XA or XRF (DCMTK ignores it there too)', () => {
    expect(modalityLutSequenceForDisplay({ modalityLut: sequence, sopClassUID: CR })).toBe(sequence);
    expect(modalityLutSequenceForDisplay({ modalityLut: sequence, sopClassUID: XA })).toBeNull();
    expect(modalityLutSequenceForDisplay({ modalityLut: sequence, sopClassUID: XRF })).toBeNull();
  });

  it('has nothing to apply for rescale slope/intercept or an empty table', () => {
    expect(modalityLutSequenceForDisplay({ modalityLut: { kind: 'rescale', slope: 2, intercept: 1 }, sopClassUID: CR })).toBeNull();
    expect(modalityLutSequenceForDisplay({ modalityLut: { ...sequence, data: [] }, sopClassUID: CR })).toBeNull();
  });

  it('maps stored values, holding the first and last entries outside the table', () => {
    const { values, min, max } = mapThroughLutSequence(
      Uint16Array.from([0, 2, 3, 4, 5, 9]),
      sequence as Extract<ModalityLut, { kind: 'sequence' }>,
    );
    expect(Array.from(values)).toEqual([10, 10, 20, 40, 80, 80]);
    expect(values).toBeInstanceOf(Uint16Array);
    expect([min, max]).toEqual([10, 80]);
  });

  it('gives floats when an entry does not fit unsigned 16 bits', () => {
    const signed = { ...sequence, data: [-5, 0, 5, 70000] } as Extract<ModalityLut, { kind: 'sequence' }>;
    const { values, min, max } = mapThroughLutSequence([2, 5], signed);
    expect(values).toBeInstanceOf(Float32Array);
    expect(Array.from(values)).toEqual([-5, 70000]);
    expect([min, max]).toEqual([-5, 70000]);
  });
});
