import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bufferSource, readWholeOnce } from '../../src/dicom/byteSource';
import type { ByteSource } from '../../src/dicom/types';
import { openFiles } from '../../src/io/openFiles';

/** A source that counts the reads made of it, failing the first `failures` of them. */
function counted(source: ByteSource, failures = 0): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  let toFail = failures;
  return {
    name: source.name,
    size: source.size,
    reads,
    read(offset, length) {
      reads.push([offset, length]);
      if (toFail-- > 0) return Promise.reject(new Error('interrupted'));
      return source.read(offset, length);
    },
  };
}

const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);

describe('readWholeOnce', () => {
  afterEach(() => vi.useRealTimers());

  it('reads the source whole once and serves every range from that copy, as copies', async () => {
    const source = counted(bufferSource('f.dcm', bytes));
    const whole = readWholeOnce(source, 5000);
    const [a, b] = await Promise.all([whole.read(0, 64), whole.read(990, 100)]);
    expect([...a]).toEqual([...bytes.subarray(0, 64)]);
    expect([...b]).toEqual([...bytes.subarray(990)]);
    a[0] = 99;
    expect((await whole.read(0, 1))[0]).toBe(0);
    expect(source.reads).toEqual([[0, 1000]]);
  });

  it('forgets the copy after keepMs: later reads go to the source, range by range', async () => {
    vi.useFakeTimers();
    const source = counted(bufferSource('f.dcm', bytes));
    const whole = readWholeOnce(source, 5000);
    await whole.read(0, 10);
    await vi.advanceTimersByTimeAsync(5001);
    expect([...(await whole.read(100, 2))]).toEqual([100, 101]);
    expect(source.reads).toEqual([
      [0, 1000],
      [100, 2],
    ]);
  });

  it('forgets the copy at once on release (the run has read every frame)', async () => {
    const source = counted(bufferSource('f.dcm', bytes));
    const whole = readWholeOnce(source, 5000);
    await whole.read(0, 10);
    whole.release?.();
    expect([...(await whole.read(100, 2))]).toEqual([100, 101]);
    expect(source.reads).toEqual([
      [0, 1000],
      [100, 2],
    ]);
  });

  it('does not keep a whole read that failed: the next read tries again', async () => {
    const source = counted(bufferSource('f.dcm', bytes), 1);
    const whole = readWholeOnce(source, 5000);
    await expect(whole.read(0, 10)).rejects.toThrow('interrupted');
    expect([...(await whole.read(5, 2))]).toEqual([5, 6]);
    expect(source.reads).toEqual([
      [0, 1000],
      [0, 1000],
    ]);
  });
});

describe('openFiles reads a small open whole', () => {
  const sample = (name: string) => {
    const path = fileURLToPath(new URL(`../../sample-dicom/${name}`, import.meta.url));
    return counted(bufferSource(name, new Uint8Array(readFileSync(path))));
  };

  it('a run under 4 MiB: its header and frame 1 come from one read of the file', async () => {
    const source = sample('l4-lat-be8.dcm');
    const { runs } = await openFiles([{ source, path: source.name }]);
    const first = runs[0].frames[0];
    if (!first.ok) throw new Error(first.reason);
    await first.source.read();
    expect(source.reads).toEqual([[0, source.size]]);
  });

  it('a larger open: a header slice, then frame 1 on its own', async () => {
    const source = sample('l5-tfesi-1024-rle.dcm');
    const { runs } = await openFiles([{ source, path: source.name }]);
    const first = runs[0].frames[0];
    if (!first.ok) throw new Error(first.reason);
    await first.source.read();
    expect(source.reads.length).toBeGreaterThan(1);
    expect(source.reads[0]).toEqual([0, 64 * 1024]);
  });
});
