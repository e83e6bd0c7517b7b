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

/**
 * `source` read whole by its first read, and served from that copy for `keepMs` after, or until
 * `release` (then forgotten: a run keeps only its decoded frames). For an open of a few small files: frame 1's
 * bytes then come with the header's read rather than a second read. Each File.slice costs a few
 * ms however small, and its answer can land behind the next frame's layout: measured here, frame 1
 * reached the screen an animation frame later (a 0.5 MB run: 26 ms to frame 1, 15 ms read whole).
 * Reads are copies (a caller may hand its bytes to a worker). A whole read that fails is not kept:
 * the next read tries again.
 */
export function readWholeOnce(source: ByteSource, keepMs: number): ByteSource {
  let whole: Promise<Uint8Array> | null = null;
  let forgotten = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const forget = () => {
    clearTimeout(timer);
    whole = null;
    forgotten = true;
  };
  const readWhole = (): Promise<Uint8Array> => {
    if (whole) return whole;
    const reading = source.read(0, source.size);
    whole = reading;
    reading.then(
      () => {
        if (!forgotten) timer = setTimeout(forget, keepMs);
      },
      () => {
        if (whole === reading) whole = null;
      },
    );
    return reading;
  };
  return {
    name: source.name,
    size: source.size,
    // The timer goes too: its callback would otherwise keep the copy reachable until it fires.
    release: forget,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (forgotten) return source.read(offset, length);
      const bytes = await readWhole();
      // A short whole read (the file changed on disk) leaves the range to the source itself.
      if (bytes.length < source.size) return source.read(offset, length);
      const start = Math.max(0, Math.min(offset, bytes.length));
      return bytes.slice(start, Math.max(start, Math.min(offset + length, bytes.length)));
    },
  };
}
