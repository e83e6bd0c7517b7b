/**
 * A zip's entries, with the reasons a zip cannot be read phrased for people: cut off or damaged,
 * password-protected (fflate would hand out the encrypted bytes as if they were the files), or
 * compressed with a method fflate does not inflate (Deflate64, as Windows writes for large files).
 */
import { unzipSync } from 'fflate';
import type { PackageFile } from './reader';

/** A zip that cannot be unpacked, with the reason as a phrase after the zip's name. */
export class ZipReadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ZipReadError';
  }
}

/** One of `of` shares of a zip's entries, so that several threads can each inflate one. */
export interface ZipShare {
  readonly index: number;
  readonly of: number;
}

/** A zip entry with its place in the zip's directory, so shares unpacked apart can be put back in order. */
export interface ZipEntry extends PackageFile {
  readonly order: number;
}

/**
 * The entries of a zip in the order of its directory, directories left out; with `share`, only
 * that share's. Shares are balanced by compressed size, each entry to the least loaded share in
 * directory order, so every thread computes the same split without talking to the others. Throws
 * a ZipReadError when the zip cannot be unpacked.
 */
export function unzipPackage(zip: Uint8Array, share: ZipShare = { index: 0, of: 1 }): ZipEntry[] {
  return [...unzipPackageInBatches(zip, share, Infinity)].flat();
}

/**
 * unzipPackage's entries a batch at a time, each of about `batchBytes` compressed bytes (at least
 * one entry), inflated only when asked for: a worker can return to its event loop between batches,
 * where it can be stopped at once (Chromium lets a worker busy in one long task run on for up to
 * 2 s after terminate()).
 */
export function* unzipPackageInBatches(zip: Uint8Array, share: ZipShare, batchBytes: number): Generator<ZipEntry[]> {
  if (zip.length === 0) throw new ZipReadError('is an empty file, not a zip');
  if (centralDirectoryFlags(zip).some((flags) => flags & ENCRYPTED)) {
    throw new ZipReadError('is password-protected: unzip it with its password, then open the folder');
  }
  let batch = new Map<number, string>();
  let bytes = 0;
  for (const entry of entriesOfShare(zip, share)) {
    batch.set(entry.order, entry.name);
    bytes += entry.size;
    if (bytes >= batchBytes) {
      yield inflateEntries(zip, batch);
      batch = new Map();
      bytes = 0;
    }
  }
  if (batch.size > 0) yield inflateEntries(zip, batch);
}

interface DirectoryEntry {
  readonly name: string;
  /** Its place in the zip's directory. */
  readonly order: number;
  /** Compressed bytes. */
  readonly size: number;
}

/** unzipSync, its failures phrased for people. Its filter sees every entry, in directory order. */
function unzipOrExplain(zip: Uint8Array, filter: (entry: { name: string; size: number }) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(zip, { filter });
  } catch (error) {
    throw new ZipReadError(unreadableReason(error instanceof Error ? error.message : String(error)));
  }
}

/** The entries of one share (see unzipPackage), read from the directory without inflating anything. */
function entriesOfShare(zip: Uint8Array, share: ZipShare): DirectoryEntry[] {
  const load = new Array<number>(share.of).fill(0);
  const mine: DirectoryEntry[] = [];
  let order = 0;
  unzipOrExplain(zip, (entry) => {
    const least = load.indexOf(Math.min(...load));
    // A small fixed cost per entry, so a share of many empty files is not counted as nothing.
    load[least] += entry.size + 1024;
    if (least === share.index) mine.push({ name: entry.name, order, size: entry.size });
    order += 1;
    return false;
  });
  return mine;
}

/** Inflates the entries at these places of the directory (place → name); directories left out. */
function inflateEntries(zip: Uint8Array, names: ReadonlyMap<number, string>): ZipEntry[] {
  const orderOf = new Map<string, number>();
  let order = 0;
  const inflated = unzipOrExplain(zip, (entry) => {
    const wanted = names.has(order);
    if (wanted) orderOf.set(entry.name, order);
    order += 1;
    return wanted;
  });
  return Object.entries(inflated)
    .filter(([path]) => !path.endsWith('/'))
    .map(([path, bytes]) => ({ path, bytes, order: orderOf.get(path) ?? 0 }));
}

/** General purpose flag bit 0: the entry is encrypted (PKWARE or WinZip AES). */
const ENCRYPTED = 1;

/** Compression methods (APPNOTE 4.4.5) a zip may use that fflate cannot inflate, by name. */
const METHOD_NAMES: Record<number, string> = { 9: 'Deflate64', 12: 'BZIP2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 98: 'PPMd' };

function unreadableReason(message: string): string {
  const method = /unknown compression type (\d+)/.exec(message);
  if (method) {
    const name = METHOD_NAMES[Number(method[1])] ?? `method ${method[1]}`;
    return `is compressed with ${name}, which FluoroLens cannot unpack: unzip it with your system's tools, then open the folder`;
  }
  return `is not a readable zip: it is cut off or damaged (${message})`;
}

/**
 * The general purpose flags of every entry in the zip's central directory (ZIP64 too); none when
 * the directory cannot be found, which unzipSync then reports. fflate reads the flags but does not
 * give them out.
 */
function centralDirectoryFlags(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const u16 = (at: number) => view.getUint16(at, true);
  // The end of central directory record: 22 bytes and a comment of at most 65,535.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return [];
  let count = u16(end + 10);
  let offset = u32(end + 16);
  // ZIP64: the record's fields are saturated and the real ones are in the ZIP64 end record.
  if ((count === 0xffff || offset === 0xffffffff) && end >= 20 && u32(end - 20) === 0x07064b50) {
    const end64 = Number(view.getBigUint64(end - 12, true));
    if (end64 + 56 <= zip.length && u32(end64) === 0x06064b50) {
      count = Number(view.getBigUint64(end64 + 32, true));
      offset = Number(view.getBigUint64(end64 + 48, true));
    }
  }
  const flags: number[] = [];
  for (let at = offset, i = 0; i < count && at + 46 <= zip.length && u32(at) === 0x02014b50; i++) {
    flags.push(u16(at + 8));
    at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
  }
  return flags;
}
