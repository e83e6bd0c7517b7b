import { bufferSource } from '../../../src/dicom/byteSource';
import type { ByteSource } from '../../../src/dicom/types';

/** An in-memory source that counts its reads and the bytes they asked for, so tests can hold the loader to its read budget. */
export function countingSource(name: string, bytes: Uint8Array): ByteSource & { reads: number; bytesRead: number } {
  const inner = bufferSource(name, bytes);
  const source = {
    name,
    size: bytes.length,
    reads: 0,
    bytesRead: 0,
    async read(offset: number, length: number) {
      source.reads++;
      const read = await inner.read(offset, length);
      source.bytesRead += read.length;
      return read;
    },
  };
  return source;
}
