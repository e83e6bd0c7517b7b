/**
 * Buffers used again and again while a run is decoded whole, instead of new ones: writing into a
 * new buffer cost ~10× writing into one already used on this machine (each new page is faulted in
 * on first touch: 19–30 ms per MB in the page's main thread, against under 0.1 ms per MB into a
 * buffer written before), and it was most of the main thread's time decoding a 120×1024² RLE run.
 *
 * Frame buffers carry a compressed frame to a decode worker and come back with the decoded frame,
 * to carry the next one (copying each frame out of its chunk into a new buffer was 605 ms of the
 * main thread's 2.5 s busy in a sampled profile).
 *
 * A buffer is in a pool, lent, or let go (one that did not come back, or its pool full); nothing
 * here holds a lent buffer, so one that never comes back is simply collected.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;
  /** Buffers this pool made, so that only they are taken back. */
  private readonly made = new WeakSet<ArrayBuffer>();

  /**
   * @param maxBytes bytes of buffers nobody uses the pool keeps at most
   * @param sizeFor the size of a new buffer for `length` bytes (room to spare lets later, slightly larger requests use it)
   */
  constructor(
    readonly maxBytes: number,
    private readonly sizeFor: (length: number) => number,
  ) {}

  /** The smallest buffer in the pool that holds `length` bytes, else a new one. */
  take(length: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i].byteLength;
      if (size >= length && (best < 0 || size < this.free[best].byteLength)) best = i;
    }
    if (best < 0) {
      const buffer = new ArrayBuffer(Math.max(length, this.sizeFor(length)));
      this.made.add(buffer);
      return buffer;
    }
    const [buffer] = this.free.splice(best, 1);
    this.freeBytes -= buffer.byteLength;
    return buffer;
  }

  /** Whether `buffer` is one of this pool's. */
  owns(buffer: ArrayBufferLike): buffer is ArrayBuffer {
    return buffer instanceof ArrayBuffer && this.made.has(buffer);
  }

  /** Takes a buffer of this pool's back; others, detached ones and any beyond `maxBytes` are let go. */
  give(buffer: ArrayBufferLike): void {
    if (!this.owns(buffer) || buffer.byteLength === 0 || this.free.includes(buffer)) return;
    if (this.freeBytes + buffer.byteLength > this.maxBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
  }

  /**
   * Takes back a buffer of this pool's that was transferred to a worker and back: it is a new
   * ArrayBuffer object around the same memory (already written, which is the point), so it is
   * marked as the pool's again. Only for buffers known to be the pool's.
   */
  giveTransferred(buffer: ArrayBuffer): void {
    if (!(buffer instanceof ArrayBuffer)) return;
    this.made.add(buffer);
    this.give(buffer);
  }

  /** Lets go of every buffer in the pool. */
  release(): void {
    this.free.length = 0;
    this.freeBytes = 0;
  }

  /** Bytes of buffers waiting in the pool. */
  get pooledBytes(): number {
    return this.freeBytes;
  }
}

const KIB_64 = 64 * 1024;

/** Compressed frames: buffers in steps of 64 KiB, with a quarter to spare, so frames of a run (their sizes differ a little) share them. */
export const frameBuffers = new BufferPool(16 * 1024 * 1024, (length) => Math.max(KIB_64, Math.ceil((length * 1.25) / KIB_64) * KIB_64));

/** A copy of `bytes` at the start of a pooled frame buffer (the view is `bytes.length` long; the buffer may be longer). */
export function copyIntoPooledBuffer(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(frameBuffers.take(bytes.length), 0, bytes.length);
  copy.set(bytes);
  return copy;
}

/** Lets go of every pooled buffer (no run is being decoded whole). */
export function releasePooledBuffers(): void {
  frameBuffers.release();
}
