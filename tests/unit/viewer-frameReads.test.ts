import { describe, expect, it } from 'vitest';
import type { OpenedRun } from '../../src/dicom/run';
import type { ByteSource } from '../../src/dicom/types';
import { openFiles } from '../../src/io/openFiles';

/** These runs are small enough to be read whole at opening; the reads counted here are the chunks'. */
const WHOLE_FILE_NOT_READ = { wholeReadMaxBytes: 0 };
import { frameBuffers } from '../../src/viewer/frameBufferPool';
import { CHUNK_BYTES, FIRST_CHUNK_BYTES, forgetChunks, readFrameInChunk } from '../../src/viewer/frameReads';
import { countingSource } from '../support/dicom/countingSource';
import { buildDicom, imageElements, offsetsOf } from '../support/dicom/syntheticDicom';

async function open(file: Uint8Array) {
  const source = countingSource('run.dcm', file);
  const { runs } = await openFiles([{ source, path: 'run.dcm' }], WHOLE_FILE_NOT_READ);
  source.reads = 0;
  return { run: runs[0], source };
}

function refOf(run: OpenedRun, frame: number) {
  const ref = run.frames[frame - 1];
  if (!ref.ok) throw new Error(ref.reason);
  return ref;
}

/** Byte equality without the matcher's element-by-element diff (slow on 256 KB arrays). */
const same = (a: Uint8Array, b: Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

async function readAll(run: OpenedRun) {
  return Promise.all(run.frames.map((_, i) => readFrameInChunk(run, i + 1, refOf(run, i + 1))));
}

describe('frames read many at a time', () => {
  const rows = 512;
  const columns = 512;
  const frames = 40;
  const pixels = Uint8Array.from({ length: rows * columns * frames }, (_, i) => (i * 13 + (i >> 18)) & 0xff);
  const native = buildDicom({
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    elements: imageElements({ rows, columns, frames }),
    pixelData: { kind: 'native', bytes: pixels },
  });

  it('reads native frames in chunks growing from FIRST_CHUNK_BYTES to CHUNK_BYTES and hands each out as a view of its chunk', async () => {
    const { run, source } = await open(native);
    const bytes = await readAll(run);
    // 2 MB (8 frames), 4 MB (16), then the 16 left (8 MB would hold 32).
    let expected = 0;
    for (let left = frames, size = FIRST_CHUNK_BYTES; left > 0; size = Math.min(CHUNK_BYTES, size * 2), expected++)
      left -= Math.floor(size / (rows * columns));
    expect(expected).toBe(3);
    expect(source.reads).toBe(expected);
    for (let f = 1; f <= frames; f++) expect(same(bytes[f - 1], await refOf(run, f).source.read())).toBe(true);
    // Frames of one chunk share its buffer: no copy.
    expect(bytes[1].buffer).toBe(bytes[2].buffer);
  });

  it('lets go of the whole-file copy a small run was read from once it is read (forgetChunks): later reads go to the file', async () => {
    const small = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      elements: imageElements({ rows: 64, columns: 64, frames: 4 }),
      pixelData: { kind: 'native', bytes: Uint8Array.from({ length: 64 * 64 * 4 }, (_, i) => i & 0xff) },
    });
    const source = countingSource('small.dcm', small);
    const { runs } = await openFiles([{ source, path: 'small.dcm' }]);
    const [run] = runs;
    await readAll(run);
    // The header's read was the whole file; every frame came from that copy.
    expect(source.reads).toBe(1);
    forgetChunks(run);
    expect(same(await refOf(run, 2).source.read(), small.subarray(small.length - 3 * 64 * 64, small.length - 2 * 64 * 64))).toBe(true);
    expect(source.reads).toBe(2);
  });

  it('reads a frame asked a second time on its own', async () => {
    const { run, source } = await open(native);
    await readAll(run);
    const reads = source.reads;
    const again = await readFrameInChunk(run, 7, refOf(run, 7));
    expect(source.reads).toBe(reads + 1);
    expect(same(again, pixels.subarray(6 * rows * columns, 7 * rows * columns))).toBe(true);
  });

  it('starts a chunk at the first frame asked that no chunk holds, so a frame decoded before is not read again', async () => {
    const file = native;
    const source = countingSource('run.dcm', file);
    const ranges: Array<[number, number]> = [];
    const read = source.read.bind(source);
    source.read = (offset: number, length: number) => {
      ranges.push([offset, length]);
      return read(offset, length);
    };
    const { runs } = await openFiles([{ source, path: 'run.dcm' }], WHOLE_FILE_NOT_READ);
    const run = runs[0];
    ranges.length = 0;
    // Frame 1 was read alone (as the viewer does); the rest then come in chunks from frame 2 on.
    await refOf(run, 1).source.read();
    const rest = await Promise.all(run.frames.slice(1).map((_, i) => readFrameInChunk(run, i + 2, refOf(run, i + 2))));
    const frame2 = refOf(run, 2).source.fileSpan!.span.start;
    expect(ranges[1][0]).toBe(frame2);
    const bytesRead = ranges.slice(1).reduce((sum, [, length]) => sum + length, 0);
    expect(bytesRead).toBe((frames - 1) * rows * columns);
    rest.forEach((b, i) => expect(same(b, pixels.subarray((i + 1) * rows * columns, (i + 2) * rows * columns))).toBe(true));
    forgetChunks(run);
  });

  it('copies encapsulated frames out of their chunk (they are posted to a worker), each into a pooled buffer of its own', async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => Uint8Array.from({ length: 1000 + i }, (_, j) => (i + j) & 0xff));
    const file = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.5',
      elements: imageElements({ rows: 16, columns: 16, frames: 30 }),
      pixelData: { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) },
    });
    const { run, source } = await open(file);
    const bytes = await readAll(run);
    // Frame 1 (its place known at opening), the walk of the last frame's items (the table does
    // not say where it ends), and one chunk for frames 2–30.
    expect(source.reads).toBe(3);
    bytes.forEach((b, i) => {
      expect(b).toEqual(fragments[i]);
      // Copied out of their chunk, to the start of a pooled buffer that is the frame's alone.
      if (i > 0) {
        expect(frameBuffers.owns(b.buffer)).toBe(true);
        expect(b.byteOffset).toBe(0);
        expect(bytes.filter((other) => other.buffer === b.buffer)).toHaveLength(1);
      }
    });
    forgetChunks(run);
  });

  it('reuses the buffers given back for the next frames, and lets them go when the run is decoded', async () => {
    const fragments = Array.from({ length: 12 }, (_, i) => Uint8Array.from({ length: 20_000 - i * 100 }, (_, j) => (i * 5 + j) & 0xff));
    const file = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.5',
      elements: imageElements({ rows: 16, columns: 16, frames: 12 }),
      pixelData: { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) },
    });
    const { run } = await open(file);
    // Two frames in flight at a time: each buffer, once given back (as a worker's reply does), carries a later frame.
    let cameBack = new Set<ArrayBufferLike>();
    for (let f = 2; f <= 12; f += 2) {
      const pair = await Promise.all([f, f + 1].filter((n) => n <= 12).map((n) => readFrameInChunk(run, n, refOf(run, n))));
      pair.forEach((b, i) => expect(same(b, fragments[f - 1 + i])).toBe(true));
      if (f > 2) for (const b of pair) expect(cameBack.has(b.buffer)).toBe(true);
      // Sent to a worker and back: the same memory in a new ArrayBuffer object.
      cameBack = new Set();
      for (const b of pair) {
        const back = structuredClone(b.buffer as ArrayBuffer, { transfer: [b.buffer as ArrayBuffer] });
        expect(frameBuffers.owns(back)).toBe(false);
        frameBuffers.giveTransferred(back);
        cameBack.add(back);
      }
    }
    expect(frameBuffers.pooledBytes).toBeGreaterThan(0);
    forgetChunks(run);
    expect(frameBuffers.pooledBytes).toBe(0);
  });

  it('walks the last frame of a run with a Basic Offset Table in one read', async () => {
    // Fragments larger than the walk's 64 KiB window: walked window by window, the last frame took two reads in a row.
    const fragments = Array.from({ length: 4 }, (_, i) => Uint8Array.from({ length: 100_000 + i }, (_, j) => (i * 3 + j) & 0xff));
    const file = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.5',
      elements: imageElements({ rows: 16, columns: 16, frames: 4 }),
      pixelData: { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) },
    });
    const { run, source } = await open(file);
    expect(same(await refOf(run, 1).source.read(), fragments[0])).toBe(true);
    expect(source.reads).toBe(1);
    // Where frames 2–4 lie: one read of the last frame's items (read whole up to 4 MB).
    await refOf(run, 2).source.located;
    expect(source.reads).toBe(2);
    const rest = await Promise.all([2, 3, 4].map((f) => readFrameInChunk(run, f, refOf(run, f))));
    expect(source.reads).toBe(3);
    rest.forEach((b, i) => expect(same(b, fragments[i + 1])).toBe(true));
    forgetChunks(run);
  });

  it('opens a run without an offset table on frame 1, and reads the others in chunks once they are indexed', async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => Uint8Array.from({ length: 70_000 + i }, (_, j) => (i * 7 + j) & 0xff));
    const file = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.5',
      elements: imageElements({ rows: 16, columns: 16, frames: 30 }),
      pixelData: { kind: 'encapsulated', fragments },
    });
    const inMemory = countingSource('run.dcm', file);
    // Each read takes a few ms, as a File.slice does: the walk of 30 item headers takes a while.
    const readLengths: number[] = [];
    const slow: ByteSource = {
      name: inMemory.name,
      size: inMemory.size,
      read: (offset, length) => {
        readLengths.push(length);
        return new Promise((resolve) => setTimeout(() => resolve(inMemory.read(offset, length)), 3));
      },
    };
    const { runs } = await openFiles([{ source: slow, path: 'run.dcm' }], WHOLE_FILE_NOT_READ);
    const run = runs[0];
    // Opened on frame 1 while the later item headers were still being walked.
    expect(refOf(run, 1).source.fileSpan).toBeDefined();
    expect(refOf(run, 30).source.fileSpan).toBeUndefined();
    expect(run.problems).toEqual([]);
    // Asked before the index is complete: frames 2–30 wait for it, then come in one read of their
    // 2 MB (the walk's own reads, windows of up to 1 MB here, are smaller).
    readLengths.length = 0;
    const bytes = await readAll(run);
    bytes.forEach((b, i) => expect(same(b, fragments[i])).toBe(true));
    expect(readLengths.filter((length) => length >= 29 * 70_000)).toHaveLength(1);
    expect(await run.laterProblems).toEqual([]);
  });

  it('tells what indexing the frames after frame 1 found later, and fails those frames with it', async () => {
    // JPEG codestreams (SOI first): the walk can tell where each frame starts, with the data cut short too.
    const fragments = Array.from({ length: 6 }, (_, i) =>
      Uint8Array.from({ length: 70_000 }, (_, j) => (j < 2 ? [0xff, 0xd8][j] : (i + j) & 0x7f)),
    );
    const whole = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.4.50',
      elements: imageElements({ rows: 16, columns: 16, frames: 6 }),
      pixelData: { kind: 'encapsulated', fragments, omitSequenceDelimiter: true },
    });
    const { run } = await open(whole.subarray(0, whole.length - 100_000));
    expect(run.problems).toEqual([]);
    // The first read of a later frame starts the index; its problems are told when it is done.
    expect(same(await refOf(run, 4).source.read(), fragments[3])).toBe(true);
    expect(await run.laterProblems).toEqual(['pixel data ends inside frame 5 of 6']);
    await expect(refOf(run, 6).source.read()).rejects.toThrow('run.dcm: pixel data ends before frame 6 of 6');
  });

  it('tells a later index that could not be read as a problem of the file, and fails the frames it could not place', async () => {
    const fragments = Array.from({ length: 4 }, (_, i) => Uint8Array.from({ length: 70_000 }, (_, j) => (i + j) & 0xff));
    const file = buildDicom({
      transferSyntaxUID: '1.2.840.10008.1.2.5',
      elements: imageElements({ rows: 16, columns: 16, frames: 4 }),
      pixelData: { kind: 'encapsulated', fragments },
    });
    const inMemory = countingSource('run.dcm', file);
    const failing: ByteSource = {
      name: inMemory.name,
      size: inMemory.size,
      read: (offset, length) => (offset > 150_000 ? Promise.reject(new Error('the disk went away')) : inMemory.read(offset, length)),
    };
    const { runs } = await openFiles([{ source: failing, path: 'run.dcm' }], WHOLE_FILE_NOT_READ);
    const run = runs[0];
    expect(same(await refOf(run, 1).source.read(), fragments[0])).toBe(true);
    await expect(refOf(run, 3).source.read()).rejects.toThrow('the disk went away');
    expect(await run.laterProblems).toEqual(['the disk went away']);
  });
});
