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

/**
 * A read that did not deliver the bytes asked for although they lie inside the file: the request
 * was interrupted, cancelled, or answered with something else. It says nothing about the file,
 * so it must never be reported as the file's fault; a later read may well succeed.
 */
export class ReadInterruptedError extends Error {
  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`${fileName}: ${reason}`);
    this.name = 'ReadInterruptedError';
  }
}
