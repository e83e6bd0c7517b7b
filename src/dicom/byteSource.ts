import type { ByteSource } from './types';

/**
 * A ByteSource over bytes already in memory (tests, sample generators, data fetched whole).
 * Reads return views, not copies: callers must not write into what they get back.
 */
export function bufferSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, bytes.length));
      const end = Math.max(start, Math.min(offset + length, bytes.length));
      return Promise.resolve(bytes.subarray(start, end));
    },
  };
}
