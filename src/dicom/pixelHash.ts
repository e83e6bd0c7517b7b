/**
 * FNV-1a 32-bit hash of one frame's stored pixel values, shared by the sample generator (which
 * writes the expected hashes into `sample-dicom/*.truth.json`) and by tests that decode frames
 * and must prove that frame k holds exactly the generator's pixels.
 *
 * Values are taken in the order given (row-major for a frame). Each value contributes two bytes,
 * `v & 0xFF` then `(v >> 8) & 0xFF`, whatever the bit depth, so an 8-bit frame hashes the same
 * whether it is held in a Uint8Array or a Uint16Array. Bits above 16 are ignored.
 * Returns 8 lowercase hex digits.
 */
export function fnv1aPixelHash(values: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    h ^= v & 0xff;
    h = Math.imul(h, 0x01000193);
    h ^= (v >> 8) & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
