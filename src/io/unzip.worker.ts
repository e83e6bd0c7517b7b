/**
 * Unpacks one share of a zip off the page's thread (see unzip.ts). The entries go back
 * transferred, each with its own buffer, so nothing is copied on the way.
 */
import { unzipPackageInBatches, ZipReadError, type ZipEntry } from '../export/package/zip';
import type { UnzipReply, UnzipRequest } from './unzip';

/**
 * Compressed bytes inflated in one task (~0.1 s here). Between tasks the worker is back in its
 * event loop, where Close all's terminate() stops it; inside one task Chromium lets it run on for
 * up to 2 s.
 */
const BATCH_BYTES = 4 * 1024 * 1024;

/** Resolves in a later task of this worker's event loop (a message, not a timer: nested timers wait 4 ms each). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

self.onmessage = async (event: MessageEvent<UnzipRequest>) => {
  let reply: UnzipReply;
  const transfer = new Set<ArrayBuffer>();
  try {
    const entries: ZipEntry[] = [];
    for (const batch of unzipPackageInBatches(event.data.zip, event.data.share, BATCH_BYTES)) {
      for (const entry of batch) {
        // An entry that shares its buffer with another is copied, so that each can be moved.
        const buffer = entry.bytes.buffer as ArrayBuffer;
        const whole = entry.bytes.byteOffset === 0 && entry.bytes.byteLength === buffer.byteLength;
        const bytes = whole && !transfer.has(buffer) ? entry.bytes : entry.bytes.slice();
        transfer.add(bytes.buffer as ArrayBuffer);
        entries.push({ ...entry, bytes });
      }
      await nextTask();
    }
    reply = { ok: true, entries };
  } catch (error) {
    reply = { ok: false, reason: error instanceof ZipReadError ? error.reason : `could not be unpacked (${String(error)})` };
  }
  self.postMessage(reply, { transfer: [...transfer] });
};
