/**
 * A zip unpacked in shares (one per worker) gives each entry to exactly one share, balances the
 * shares by compressed size, and puts the entries back in the zip's order.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unzipPackage, ZipReadError } from '../../src/export/package';
import { unzipPackageInBatches } from '../../src/export/package/zip';

/** Pseudo-random bytes (deflated, they take about their own length). */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    bytes[i] = s >>> 24;
  }
  return bytes;
}

const sizes = [900_000, 100_000, 120_000, 450_000, 430_000, 80_000, 0];
const entries = { 'STUDY/': {}, ...Object.fromEntries(sizes.map((size, i) => [`STUDY/IM${i + 1}`, noise(size, i + 1)])) };
const zip = zipSync(entries);
/** Stored, not deflated: the compressed sizes are the lengths, so the split can be stated exactly. */
const storedZip = zipSync(entries, { level: 0 });

describe('unzipPackage in shares', () => {
  it('gives every entry to exactly one share, with its bytes and its place in the zip', () => {
    const whole = unzipPackage(zip);
    expect(whole.map((e) => [e.path, e.order])).toEqual(sizes.map((_, i) => [`STUDY/IM${i + 1}`, i + 1]));
    for (const of of [2, 3]) {
      const shares = Array.from({ length: of }, (_, index) => unzipPackage(zip, { index, of }));
      const joined = shares.flat().sort((a, b) => a.order - b.order);
      expect(joined.map((e) => e.path)).toEqual(whole.map((e) => e.path));
      joined.forEach((entry, i) => expect(Buffer.from(entry.bytes).equals(whole[i].bytes)).toBe(true));
      expect(shares.every((share) => share.length > 0)).toBe(true);
    }
  });

  it('balances the shares by compressed size: the largest entry against the many smaller ones', () => {
    const pathsOf = (index: number) => unzipPackage(storedZip, { index, of: 2 }).map((e) => e.path.replace('STUDY/', ''));
    // The folder entry goes to share 0, so IM1 (900 kB) to share 1; IM2–IM5 then fill share 0 up
    // to 1.1 MB, and IM6 and the empty IM7 go back to share 1 (980 kB).
    expect(pathsOf(0)).toEqual(['IM2', 'IM3', 'IM4', 'IM5']);
    expect(pathsOf(1)).toEqual(['IM1', 'IM6', 'IM7']);
  });

  it('refuses bytes that are not a zip, whichever share is asked', () => {
    const notZip = new TextEncoder().encode('not a zip at all');
    expect(() => unzipPackage(notZip, { index: 1, of: 2 })).toThrow(ZipReadError);
  });
});

describe('unzipPackageInBatches', () => {
  it("gives a share's entries a batch of about the size asked at a time, the same entries as unzipPackage", () => {
    const batches = [...unzipPackageInBatches(storedZip, { index: 0, of: 1 }, 500_000)];
    // Stored: IM1 alone (900 kB); the folder entry with IM2–IM4 (670 kB), IM5 with IM6 (510 kB); IM7 (0 B).
    expect(batches.map((batch) => batch.map((e) => e.path.replace('STUDY/', '')))).toEqual([
      ['IM1'],
      ['IM2', 'IM3', 'IM4'],
      ['IM5', 'IM6'],
      ['IM7'],
    ]);
    const whole = unzipPackage(storedZip);
    expect(batches.flat().map((e) => [e.path, e.order, e.bytes.length])).toEqual(whole.map((e) => [e.path, e.order, e.bytes.length]));
    for (const index of [0, 1]) {
      const share = unzipPackage(zip, { index, of: 2 });
      const inBatches = [...unzipPackageInBatches(zip, { index, of: 2 }, 200_000)];
      expect(inBatches.length).toBeGreaterThan(1);
      expect(inBatches.flat().map((e) => [e.path, e.order])).toEqual(share.map((e) => [e.path, e.order]));
      inBatches.flat().forEach((entry, i) => expect(Buffer.from(entry.bytes).equals(share[i].bytes)).toBe(true));
    }
  });

  it('inflates a batch only when it is asked for, so a worker can stop between batches', () => {
    // B's compression method made one fflate cannot inflate (Deflate64), in its local and central
    // headers: the first batch (A) comes out whole, and only asking for the second fails.
    const deflate64ForB = withHeaders(zipSync({ A: noise(5000, 3), B: noise(5000, 4) }), (h, at, central) => {
      const nameAt = at + (central ? 46 : 30);
      if (h[nameAt] === 'B'.charCodeAt(0)) h[at + (central ? 10 : 8)] = 9;
    });
    const batches = unzipPackageInBatches(deflate64ForB, { index: 0, of: 1 }, 1);
    expect(batches.next().value?.map((e: { path: string }) => e.path)).toEqual(['A']);
    expect(() => batches.next()).toThrow(/Deflate64/);
  });
});

/** The zip with every local and central header changed by `edit` (offsets from the signature). */
function withHeaders(bytes: Uint8Array, edit: (header: Uint8Array, at: number, central: boolean) => void): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i + 4 <= out.length; i++) {
    if (out[i] !== 0x50 || out[i + 1] !== 0x4b) continue;
    if (out[i + 2] === 3 && out[i + 3] === 4) edit(out, i, false);
    if (out[i + 2] === 1 && out[i + 3] === 2) edit(out, i, true);
  }
  return out;
}

function reasonOf(bytes: Uint8Array): string {
  try {
    unzipPackage(bytes);
  } catch (error) {
    if (error instanceof ZipReadError) return error.reason;
    throw error;
  }
  throw new Error('unpacked');
}

describe('a zip that cannot be unpacked says why', () => {
  const small = zipSync({ 'EXPORT/IM1': noise(5000, 9), 'EXPORT/README.TXT': new TextEncoder().encode('read me') });

  it('cut off or damaged', () => {
    expect(reasonOf(small.slice(0, small.length - 30))).toMatch(/^is not a readable zip: it is cut off or damaged \(/);
    expect(reasonOf(new Uint8Array(0))).toBe('is an empty file, not a zip');
  });

  it('password-protected: fflate gave the encrypted bytes out as the files', () => {
    // General purpose flag bit 0, in the local headers (offset 6) and the central directory (offset 8).
    const encrypted = withHeaders(small, (h, at, central) => (h[at + (central ? 8 : 6)] |= 1));
    expect(reasonOf(encrypted)).toBe('is password-protected: unzip it with its password, then open the folder');
  });

  it('compressed with a method fflate cannot inflate, named', () => {
    const deflate64 = withHeaders(small, (h, at, central) => (h[at + (central ? 10 : 8)] = 9));
    expect(reasonOf(deflate64)).toBe(
      "is compressed with Deflate64, which FluoroLens cannot unpack: unzip it with your system's tools, then open the folder",
    );
  });
});
