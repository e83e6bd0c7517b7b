import { describe, expect, it } from 'vitest';
import { holdsBitsOutside, keepStoredBits, storedBitsOf } from '../../src/dicom/storedBits';

describe('the bits of a pixel word that are its value (PS3.5 8.1.1)', () => {
  it('is nothing to take away when the value fills the word from bit 0', () => {
    expect(storedBitsOf(8, 8, 7)).toBeNull();
    expect(storedBitsOf(16, 16, 15)).toBeNull();
  });

  it('masks the bits above Bits Stored', () => {
    const bits = storedBitsOf(16, 10, 9)!;
    expect(bits).toEqual({ mask: 1023, shift: 0 });
    // Overlay planes in bits 10–15 and a clean word.
    expect([...keepStoredBits(Uint16Array.from([0xfc00 | 517, 0x0400 | 3, 1023]), bits)]).toEqual([517, 3, 1023]);
    expect(holdsBitsOutside(bits, 1023)).toBe(false);
    expect(holdsBitsOutside(bits, 1024)).toBe(true);
  });

  it('shifts a value whose High Bit is not Bits Stored − 1 down to bit 0', () => {
    const bits = storedBitsOf(16, 12, 15)!;
    expect(bits).toEqual({ mask: 4095, shift: 4 });
    expect([...keepStoredBits(Uint16Array.from([0xfff0, 0x0010 | 0x000f]), bits)]).toEqual([4095, 1]);
    expect(holdsBitsOutside(bits, 0), 'a shifted value always needs it').toBe(true);
  });

  it('keeps the array type and leaves the words read as they were', () => {
    const words = Uint8Array.from([0xff, 0x7f]);
    const kept = keepStoredBits(words, storedBitsOf(8, 7, 6)!);
    expect(kept).toBeInstanceOf(Uint8Array);
    expect([...kept]).toEqual([0x7f, 0x7f]);
    expect([...words]).toEqual([0xff, 0x7f]);
  });

  it('does not guess at headers it cannot use', () => {
    expect(storedBitsOf(16, 0, 0)).toBeNull();
    expect(storedBitsOf(8, 12, 11)).toBeNull();
    // A High Bit past the word keeps the value at the top of the word.
    expect(storedBitsOf(16, 12, 20)).toEqual({ mask: 4095, shift: 4 });
  });
});
