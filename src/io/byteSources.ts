import { ReadInterruptedError } from '../dicom/byteSource';
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

/** Tries per range read before it is given up as interrupted (never as the file's fault). */
const HTTP_READ_ATTEMPTS = 3;

/**
 * The bytes [offset, end) out of a response to a Range request, or null when the response does not
 * hold exactly them. A 206 must say (Content-Range, when visible) or show (its length) that it is
 * our range; a 200 is the whole file (a server that ignores Range).
 */
export function bytesOfRangeResponse(
  status: number,
  contentRange: string | null,
  body: Uint8Array,
  offset: number,
  end: number,
  size: number,
): Uint8Array | null {
  if (status === 206) {
    const range = contentRange ? /^bytes (\d+)-(\d+)\//.exec(contentRange) : null;
    if (range && Number(range[1]) !== offset) return null;
    return body.length >= end - offset ? body.subarray(0, end - offset) : null;
  }
  if (status === 200 && body.length === size) return body.subarray(offset, end);
  return null;
}

async function fetchRange(
  url: string,
  offset: number,
  end: number,
): Promise<{ response: Response; body: Uint8Array } | { problem: string }> {
  try {
    const response = await fetch(url, { headers: { Range: `bytes=${offset}-${end - 1}` }, cache: 'no-store' });
    return { response, body: new Uint8Array(await response.arrayBuffer()) };
  } catch (error) {
    return { problem: `the transfer failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * A file on a web server that honours HTTP Range requests (our dev/preview server, a WADO-URI
 * endpoint). Reads bypass the HTTP cache: each range is read once and kept decoded, and the cache's
 * revalidated partial entries are one more thing that can answer with other bytes than asked for.
 * A response that is not exactly the range asked for is retried, then reported as an interrupted
 * read (ReadInterruptedError), never as a fault of the file.
 */
export function httpSource(url: string, size: number, name = url): ByteSource {
  return {
    name,
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      let problem = '';
      for (let attempt = 0; attempt < HTTP_READ_ATTEMPTS; attempt++) {
        const answer = await fetchRange(url, offset, end);
        if ('problem' in answer) {
          problem = answer.problem;
          continue;
        }
        const { response, body } = answer;
        // The file is not there (any more): asking again will not help.
        if (response.status === 404 || response.status === 410)
          throw new Error(`${name}: the server answered ${response.status} ${response.statusText}`);
        const bytes = response.ok
          ? bytesOfRangeResponse(response.status, response.headers.get('Content-Range'), body, offset, end, size)
          : null;
        if (bytes) return bytes;
        problem = response.ok
          ? `the server sent ${body.length} bytes (${response.status}) for bytes ${offset}–${end - 1}`
          : `the server answered ${response.status} ${response.statusText}`;
      }
      throw new ReadInterruptedError(name, `could not be read: ${problem}`);
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
