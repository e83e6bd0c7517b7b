import { bufferSource } from '../../../src/dicom/byteSource';
import type { ByteSource } from '../../../src/dicom/types';

/** An in-memory source that counts its reads, so tests can hold the loader to its read budget. */
export function countingSource(name: string, bytes: Uint8Array): ByteSource & { reads: number } {
  const inner = bufferSource(name, bytes);
  const source = {
    name,
    size: bytes.length,
    reads: 0,
    read(offset: number, length: number) {
      source.reads++;
      return inner.read(offset, length);
    },
  };
  return source;
}
