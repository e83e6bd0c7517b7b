import type { ByteSource } from '../dicom/types';

/** A local File or Blob, read slice by slice so a 1 GB run never has to be held whole. */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
  };
}

/** A file on a web server that honours HTTP Range requests (our dev/preview server, a WADO-URI endpoint). */
export function httpSource(url: string, size: number, name = url): ByteSource {
  return {
    name,
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const response = await fetch(url, { headers: { Range: `bytes=${offset}-${end - 1}` } });
      if (!response.ok) throw new Error(`${name}: the server answered ${response.status} ${response.statusText}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // A server that ignores Range sends the whole file (200); take our part of it.
      return response.status === 206 ? bytes : bytes.subarray(offset, end);
    },
  };
}

/** Bytes already in memory (a file taken out of a teaching package's zip). */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset, length) {
      const end = Math.min(bytes.length, offset + length);
      return end <= offset ? new Uint8Array(0) : bytes.slice(offset, end);
    },
  };
}
