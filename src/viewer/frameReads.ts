import { readFrameBytes } from '../dicom/frameIndex';
import type { FrameRef, OpenedRun } from '../dicom/run';
import type { ByteSource, FrameSpan } from '../dicom/types';
import { copyIntoPooledBuffer, releasePooledBuffers } from './frameBufferPool';

/**
 * Reading a run decoded whole, many frames per read. Each File.slice / range request costs the
 * same few ms however small it is, so reading 120 1024² frames one by one took ~10× longer than
 * reading the same bytes in 16 MB pieces (measured here: 4.4 s vs 1.1 s for 120 MB). Frames are
 * grouped into chunks of consecutive frames whose bytes lie back to back in one file; the first
 * request for a chunk reads it whole (and starts the next chunk), the others are served from it.
 *
 * Native frames are handed out as views of the chunk: a run decoded whole keeps every frame, so
 * the chunk's bytes are exactly the run's pixels. Encapsulated frames are copied out (they go to a
 * decode worker, and posting a view would copy the whole chunk), into buffers that go round
 * between the page and the workers (frameBufferPool.ts). Chunks are read into new memory with
 * `read`: reading a File into reused buffers through its stream's BYOB reader was faster (5 against
 * 9–10 ms/MB here), but about one read in 30 never settled under load, and the run never finished
 * decoding. A chunk starts at the first frame
 * asked for that no chunk holds, so frames decoded before (frame 1, a frame the user went to) are
 * not read again; the run keeps its last few chunks only, and none once `forgetChunks` is called.
 */
export const CHUNK_BYTES = 16 * 1024 * 1024;
/**
 * A run's first chunk is this big, and each next one twice the last, up to CHUNK_BYTES: the
 * decoders wait for the first chunk's read, and a 16 MB read took 250 ms here (a 120-frame JPEG-LS
 * run's workers sat idle that long after frame 1); the later reads are made while earlier frames
 * decode.
 */
export const FIRST_CHUNK_BYTES = 2 * 1024 * 1024;
/** Chunks kept per run: the one being decoded, the one read ahead, and one before them. */
const CHUNKS_KEPT = 3;

interface Chunk {
  first: number;
  last: number;
  bytes: Promise<{ start: number; data: Uint8Array }>;
  taken: Set<number>;
}

const chunksByRun = new WeakMap<OpenedRun, Chunk[]>();
/** How many chunks of a run were read so far (the size of the next one grows with it). */
const chunksReadByRun = new WeakMap<OpenedRun, number>();

type ReadableRef = Extract<FrameRef, { ok: true }>;
interface InFile {
  source: ByteSource;
  span: FrameSpan;
}

/** Where frame `frame` lies in its file, for frames that are a span of a file (not, e.g., DICOMweb frames). */
function readable(run: OpenedRun, frame: number): InFile | null {
  const ref = run.frames[frame - 1];
  const inFile = ref?.ok ? ref.source.fileSpan : undefined;
  return inFile ? { source: inFile.file, span: inFile.span } : null;
}

/** The frames from `first` on, at most `maxBytes` of them, whose bytes lie back to back in one source. */
function chunkRange(
  run: OpenedRun,
  first: number,
  maxBytes: number,
): { last: number; source: ByteSource; start: number; end: number } | null {
  const head = readable(run, first);
  if (!head) return null;
  let last = first;
  let end = head.span.end;
  while (last < run.frames.length) {
    const next = readable(run, last + 1);
    if (!next || next.source !== head.source || next.span.start !== end || next.span.encapsulated !== head.span.encapsulated) break;
    if (next.span.end - head.span.start > maxBytes) break;
    last++;
    end = next.span.end;
  }
  return { last, source: head.source, start: head.span.start, end };
}

function startChunk(run: OpenedRun, first: number): Chunk | null {
  const chunks = chunksByRun.get(run) ?? [];
  chunksByRun.set(run, chunks);
  const existing = chunks.find((c) => c.first <= first && first <= c.last);
  if (existing) return existing;
  const read = chunksReadByRun.get(run) ?? 0;
  const range = chunkRange(run, first, Math.min(CHUNK_BYTES, FIRST_CHUNK_BYTES * 2 ** read));
  if (!range || range.last === first) return null;
  chunksReadByRun.set(run, read + 1);
  const chunk: Chunk = {
    first,
    last: range.last,
    bytes: range.source.read(range.start, range.end - range.start).then((data) => ({ start: range.start, data })),
    taken: new Set(),
  };
  // A failed read is not kept: its frames fall back to reading on their own.
  chunk.bytes.catch(() => drop(run, chunk));
  chunks.push(chunk);
  if (chunks.length > CHUNKS_KEPT) chunks.shift();
  return chunk;
}

function drop(run: OpenedRun, chunk: Chunk) {
  const chunks = chunksByRun.get(run);
  const at = chunks?.indexOf(chunk) ?? -1;
  if (at >= 0) chunks!.splice(at, 1);
}

/**
 * Lets go of a run's chunks, of the buffers its frames went to the workers in, and of whole-file
 * copies its files were read from (its decoding is over: every frame was read); frames keep what
 * they were given.
 */
export function forgetChunks(run: OpenedRun): void {
  chunksByRun.delete(run);
  chunksReadByRun.delete(run);
  releasePooledBuffers();
  for (const ref of run.frames) if (ref.ok) ref.source.fileSpan?.file.release?.();
}

/** The bytes of frame `frame` of a run, read with the frames after it (see above). */
export async function readFrameInChunk(run: OpenedRun, frame: number, frameRef: ReadableRef): Promise<Uint8Array> {
  // Still being indexed (a file without an offset table): its place comes first; the chunk then takes the frames after it placed by then.
  if (!frameRef.source.fileSpan && frameRef.source.located) await frameRef.source.located.catch(() => undefined);
  const ref = frameRef.source.fileSpan ? readable(run, frame) : null;
  if (!ref) return frameRef.source.read();
  const chunk = startChunk(run, frame);
  if (!chunk || chunk.taken.has(frame)) return frameRef.source.read();
  chunk.taken.add(frame);
  // Reading ahead: the next chunk is on its way while this one is decoded.
  if (chunk.last < run.frames.length) startChunk(run, chunk.last + 1);
  if (chunk.taken.size === chunk.last - chunk.first + 1) drop(run, chunk);
  let read: { start: number; data: Uint8Array };
  try {
    read = await chunk.bytes;
  } catch {
    return frameRef.source.read();
  }
  const bytes = await readFrameBytes(viewSource(ref.source, read.start, read.data), ref.span);
  if (!ref.span.encapsulated) return bytes;
  return copyIntoPooledBuffer(bytes);
}

/** A ByteSource over bytes already read from `source` at `start` (reads outside them come back short). */
function viewSource(source: ByteSource, start: number, data: Uint8Array): ByteSource {
  return {
    name: source.name,
    size: source.size,
    read: (offset, length) => Promise.resolve(data.subarray(Math.max(0, offset - start), Math.max(0, offset - start + length))),
  };
}
