/**
 * A zip's entries, unpacked in workers so that the page keeps painting and taking clicks while a
 * study zip of a few hundred MB inflates (on the page's thread that froze it for seconds). The
 * entries are split in shares of about equal compressed size, one worker each, so the inflating
 * also runs on every core. Where no worker can be made (Vitest in Node), it unpacks in place.
 */
import { unzipPackage, ZipReadError, type PackageFile, type ZipEntry, type ZipShare } from '../export/package';

export interface UnzipRequest {
  readonly zip: Uint8Array;
  readonly share: ZipShare;
}

/** `reason` as a ZipReadError's: a phrase after the zip's name. */
export type UnzipReply = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string };

/** At most this many workers: more would hold more copies of the zip than they save time. */
const MAX_UNZIP_WORKERS = 4;
/** Below this a zip is unpacked by one worker: a second would cost more to start than it saves. */
const SPLIT_ABOVE_BYTES = 16 * 1024 * 1024;

/** Rejects with this when the unpacking was given up (Close all); its workers are stopped at once. */
export class UnzipCancelledError extends Error {
  constructor() {
    super('the unpacking was cancelled');
    this.name = 'UnzipCancelledError';
  }
}

function unzipShare(zip: Uint8Array, share: ZipShare, signal: AbortSignal | undefined): Promise<ZipEntry[]> {
  const worker = new Worker(new URL('./unzip.worker.ts', import.meta.url), { type: 'module', name: 'unzip' });
  let stop: () => void = () => undefined;
  return new Promise<UnzipReply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<UnzipReply>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new ZipReadError(`could not be unpacked (${event.message || 'the unpacking worker stopped'})`));
    };
    stop = () => reject(new UnzipCancelledError());
    signal?.addEventListener('abort', stop);
    worker.postMessage({ zip, share } satisfies UnzipRequest, [zip.buffer as ArrayBuffer]);
  })
    .then((reply) => {
      if (!reply.ok) throw new ZipReadError(reply.reason);
      return reply.entries;
    })
    .finally(() => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
    });
}

/**
 * The entries of a zip in its directory's order, directories left out. Rejects with a
 * ZipReadError when the zip cannot be unpacked, with an UnzipCancelledError when `signal` aborts
 * first (its workers are stopped: a study zip of a few hundred MB takes the cores for seconds). The
 * zip's buffer moves to a worker: the caller must not use `zip` afterwards.
 */
export async function unzipOffThread(zip: Uint8Array, signal?: AbortSignal): Promise<PackageFile[]> {
  if (signal?.aborted) throw new UnzipCancelledError();
  if (typeof Worker === 'undefined') return unzipPackage(zip);
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  const shares = zip.byteLength > SPLIT_ABOVE_BYTES ? Math.max(1, Math.min(MAX_UNZIP_WORKERS, cores)) : 1;
  // Each worker takes its own copy, the last takes the zip itself; a view into a larger buffer is copied too.
  const whole = zip.byteOffset === 0 && zip.byteLength === zip.buffer.byteLength;
  const copies = Array.from({ length: shares }, (_, index) => (index === shares - 1 && whole ? zip : zip.slice()));
  const parts = await Promise.all(copies.map((copy, index) => unzipShare(copy, { index, of: shares }, signal)));
  return parts
    .flat()
    .sort((a, b) => a.order - b.order)
    .map(({ path, bytes }) => ({ path, bytes }));
}
