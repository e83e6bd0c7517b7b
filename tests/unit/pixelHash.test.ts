import { describe, expect, it } from 'vitest';
import { fnv1aPixelHash } from '../../src/dicom/pixelHash';

/** Plain byte-wise FNV-1a 32 (the published algorithm), for cross-checking. */
function fnv1aBytes(bytes: number[]): string {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

describe('fnv1aPixelHash', () => {
  it('hashes no values to the FNV-1a offset basis', () => {
    expect(fnv1aPixelHash([])).toBe('811c9dc5');
    expect(fnv1aPixelHash(new Uint16Array(0))).toBe('811c9dc5');
  });

  it('matches the published FNV-1a 32 vector for "foobar" (values 0x6f66, 0x626f, 0x7261 → bytes f,o,o,b,a,r)', () => {
    expect(fnv1aPixelHash([0x6f66, 0x626f, 0x7261])).toBe('bf9cf968');
    expect(fnv1aPixelHash(Uint16Array.of(0x6f66, 0x626f, 0x7261))).toBe('bf9cf968');
  });

  it('feeds each value as two bytes, low byte first, whatever the array type', () => {
    // "a" then NUL: a single 8-bit value 0x61 contributes 0x61, 0x00.
    expect(fnv1aPixelHash(Uint8Array.of(0x61))).toBe(fnv1aBytes([0x61, 0x00]));
    expect(fnv1aPixelHash([0x61])).toBe(fnv1aPixelHash(Uint16Array.of(0x61)));
    expect(fnv1aPixelHash([0x61])).not.toBe(fnv1aBytes([0x61])); // 'e40c292c', the one-byte hash
    expect(fnv1aBytes([0x61])).toBe('e40c292c');
  });

  it('agrees with a byte-wise reference on 8- and 16-bit data, and distinguishes frames', () => {
    const v8 = new Uint8Array(4096);
    const v16 = new Uint16Array(4096);
    let s = 12345;
    for (let i = 0; i < v8.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      v8[i] = s >>> 24;
      v16[i] = s >>> 22; // 10-bit values
    }
    const bytes = (a: ArrayLike<number>): number[] => Array.from(a).flatMap((v) => [v & 0xff, (v >> 8) & 0xff]);
    expect(fnv1aPixelHash(v8)).toBe(fnv1aBytes(bytes(v8)));
    expect(fnv1aPixelHash(v16)).toBe(fnv1aBytes(bytes(v16)));
    const changed = v16.slice();
    changed[2000] ^= 1;
    expect(fnv1aPixelHash(changed)).not.toBe(fnv1aPixelHash(v16));
  });

  it('ignores bits above 16 and always returns 8 lowercase hex digits', () => {
    expect(fnv1aPixelHash([0x1_0061])).toBe(fnv1aPixelHash([0x61]));
    expect(fnv1aPixelHash([1, 2, 3])).toMatch(/^[0-9a-f]{8}$/);
  });
});
