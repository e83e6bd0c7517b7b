/**
 * Unpacks one share of a zip off the page's thread (see unzip.ts). The entries go back
 * transferred, each with its own buffer, so nothing is copied on the way.
 */
import { unzipPackage, ZipReadError } from '../export/package/zip';
import type { UnzipReply, UnzipRequest } from './unzip';

self.onmessage = (event: MessageEvent<UnzipRequest>) => {
  let reply: UnzipReply;
  const transfer = new Set<ArrayBuffer>();
  try {
    const entries = unzipPackage(event.data.zip, event.data.share).map((entry) => {
      // An entry that shares its buffer with another is copied, so that each can be moved.
      const buffer = entry.bytes.buffer as ArrayBuffer;
      const whole = entry.bytes.byteOffset === 0 && entry.bytes.byteLength === buffer.byteLength;
      const bytes = whole && !transfer.has(buffer) ? entry.bytes : entry.bytes.slice();
      transfer.add(bytes.buffer as ArrayBuffer);
      return { ...entry, bytes };
    });
    reply = { ok: true, entries };
  } catch (error) {
    reply = { ok: false, reason: error instanceof ZipReadError ? error.reason : `could not be unpacked (${String(error)})` };
  }
  self.postMessage(reply, { transfer: [...transfer] });
};
