import { describe, expect, it } from 'vitest';
import { BufferPool, copyIntoPooledBuffer, frameBuffers, releasePooledBuffers } from '../../src/viewer/frameBufferPool';

const MB = 1024 * 1024;

describe('buffer pool', () => {
  it('lends the smallest buffer that fits, and makes a new one when none does', () => {
    const pool = new BufferPool(16 * MB, (length) => length + 10);
    const small = pool.take(100);
    const large = pool.take(300_000);
    expect(small.byteLength).toBe(110);
    pool.give(large);
    pool.give(small);
    expect(pool.take(50)).toBe(small);
    expect(pool.take(400_000)).not.toBe(large);
    // Only the large one is left, and it fits.
    expect(pool.take(10)).toBe(large);
    expect(pool.pooledBytes).toBe(0);
  });

  it('takes back only its own buffers, live ones, once each, and no more than its cap', () => {
    const pool = new BufferPool(16 * MB, (length) => length);
    pool.give(new ArrayBuffer(1024));
    expect(pool.pooledBytes).toBe(0);
    const detached = pool.take(10);
    structuredClone(detached, { transfer: [detached] });
    pool.give(detached);
    expect(pool.pooledBytes).toBe(0);
    const big = Array.from({ length: 6 }, () => pool.take(5 * MB));
    for (const b of big) pool.give(b);
    expect(pool.pooledBytes).toBe(15 * MB);
    pool.give(big[0]);
    expect(pool.pooledBytes).toBe(15 * MB);
    pool.release();
    expect(pool.pooledBytes).toBe(0);
  });

  it('takes back a buffer that went to another thread and back (a new object around the same memory)', () => {
    const pool = new BufferPool(16 * MB, (length) => length);
    const lent = pool.take(1000);
    new Uint8Array(lent).fill(7);
    const back = structuredClone(lent, { transfer: [lent] });
    pool.give(back);
    expect(pool.pooledBytes).toBe(0);
    pool.giveTransferred(back);
    expect(pool.pooledBytes).toBe(1000);
    expect(pool.take(1000)).toBe(back);
  });

  it('copies a compressed frame to the start of a frame buffer with room to spare', () => {
    releasePooledBuffers();
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i & 0xff);
    const copy = copyIntoPooledBuffer(bytes);
    expect(copy.byteOffset).toBe(0);
    expect(copy.length).toBe(bytes.length);
    expect(Buffer.from(copy).equals(Buffer.from(bytes))).toBe(true);
    expect(frameBuffers.owns(copy.buffer)).toBe(true);
    // 1.25× rounded up to 64 KiB: a slightly larger frame of the same run fits it.
    expect(copy.buffer.byteLength).toBe(128 * 1024);
    frameBuffers.give(copy.buffer);
    expect(copyIntoPooledBuffer(new Uint8Array(110_000)).buffer).toBe(copy.buffer);
    releasePooledBuffers();
  });
});
