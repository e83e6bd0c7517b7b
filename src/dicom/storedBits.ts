/**
 * Which bits of a pixel word are its value (PS3.5 8.1.1 and 8.2): the Bits Stored bits ending at
 * High Bit. The other bits of the word are not image data and may hold anything; older files kept
 * overlay planes there, and some writers leave them unset rather than zero. A reference renderer
 * (DCMTK) ignores them; a viewer that reads the whole word shows those bits as bright values and
 * works out its opening window from them.
 */

export interface StoredBits {
  /** Bits Stored ones, after the shift. */
  readonly mask: number;
  /** Bits below the value (High Bit + 1 − Bits Stored): 0 in nearly every file. */
  readonly shift: number;
}

/**
 * The value's bits in a word of `bitsAllocated` bits, or null when the value fills the word from
 * bit 0 (nothing to take away). Unsigned pixels only: signed ones also need their sign extended.
 */
export function storedBitsOf(bitsAllocated: number, bitsStored: number, highBit: number): StoredBits | null {
  if (!(bitsStored > 0) || bitsStored > bitsAllocated) return null;
  const shift = Math.max(0, Math.min(bitsAllocated - bitsStored, highBit + 1 - bitsStored));
  if (bitsStored === bitsAllocated && shift === 0) return null;
  return { mask: 2 ** bitsStored - 1, shift };
}

/**
 * Whether values whose largest is `max` can hold bits outside the value (then keepStoredBits is
 * needed). A shifted value always needs it; an unshifted one only when some value is too large.
 */
export function holdsBitsOutside(bits: StoredBits, max: number): boolean {
  return bits.shift > 0 || max > bits.mask;
}

/** The values with only their stored bits, in a new array (the words read may be a file's own bytes). */
export function keepStoredBits<T extends Uint8Array | Uint16Array>(values: T, bits: StoredBits): T {
  const out = new (values.constructor as { new (length: number): T })(values.length);
  const { mask, shift } = bits;
  for (let i = 0; i < values.length; i++) out[i] = (values[i] >> shift) & mask;
  return out;
}
