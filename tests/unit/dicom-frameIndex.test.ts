import { describe, expect, it } from 'vitest';
import { indexFirstFrame, indexFrames, indexFramesFrameOneFirst, readFrameBytes } from '../../src/dicom/frameIndex';
import { framesIndexedLater } from '../../src/dicom/run';
import { readHeader } from '../../src/dicom/header';
import { buildDicom, imageElements, offsetsOf } from '../support/dicom/syntheticDicom';
import type { PixelDataSpec } from '../support/dicom/syntheticDicom';
import type { ByteSource, FrameIndex, FrameSlot, FrameSpan } from '../../src/dicom/types';
import { ReadInterruptedError } from '../../src/dicom/byteSource';
import { countingSource } from '../support/dicom/countingSource';

const JPEG = '1.2.840.10008.1.2.4.50';
const RLE = '1.2.840.10008.1.2.5';

/** A fake JPEG codestream: SOI, some bytes, EOI. */
function jpeg(length: number, seed: number): Uint8Array {
  const bytes = Uint8Array.from({ length }, (_, i) => (i * 13 + seed) & 0x7f);
  bytes.set([0xff, 0xd8], 0);
  bytes.set([0xff, 0xd9], length - 2);
  return bytes;
}

/** An RLE frame: its 64-byte header (one segment, starting at byte 64), then data. */
function rle(length: number, seed: number): Uint8Array {
  const bytes = Uint8Array.from({ length }, (_, i) => (i + seed) & 0x7f);
  bytes.fill(0, 0, 64);
  bytes.set([1, 0, 0, 0, 64, 0, 0, 0], 0);
  return bytes;
}

/** A fragment that opens no codestream anyone knows. */
function opaque(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 5 + seed) & 0x7f);
}

async function open(frames: number, pixelData: PixelDataSpec, transferSyntaxUID = JPEG, cutBytes = 0) {
  const whole = buildDicom({ transferSyntaxUID, elements: imageElements({ rows: 8, columns: 8, frames }), pixelData });
  const bytes = whole.subarray(0, whole.length - cutBytes);
  const source = countingSource('f.dcm', bytes);
  const header = await readHeader(source);
  source.reads = 0;
  source.bytesRead = 0;
  return { header, source, bytes };
}

function okCount(index: FrameIndex): number {
  return index.frames.filter((f) => f.ok).length;
}

function reasons(index: FrameIndex): string[] {
  return index.frames.flatMap((f) => (f.ok ? [] : [f.reason]));
}

async function bytesOf(source: ByteSource, slot: FrameSlot): Promise<Uint8Array> {
  if (!slot.ok) throw new Error(slot.reason);
  return readFrameBytes(source, slot.span);
}

describe('indexFrames: native pixel data', () => {
  it('places frame n at valueOffset + (n-1) × frameBytes, without reading', async () => {
    const data = Uint8Array.from({ length: 64 * 3 }, (_, i) => i & 0xff);
    const { header, source } = await open(3, { kind: 'native', bytes: data }, '1.2.840.10008.1.2.1');
    const index = await indexFrames(header, 3);
    expect(source.reads).toBe(0);
    const start = header.pixelData!.valueOffset;
    expect(index.frames[2]).toEqual({ ok: true, span: { start: start + 128, end: start + 192, encapsulated: false } });
    expect(await bytesOf(source, index.frames[1])).toEqual(data.subarray(64, 128));
  });

  it('marks frames the file does not hold, saying where the data ends', async () => {
    const { header } = await open(4, { kind: 'native', bytes: new Uint8Array(256) }, '1.2.840.10008.1.2.1', 100);
    const index = await indexFrames(header, 4);
    expect(okCount(index)).toBe(2);
    expect(reasons(index)).toEqual(['pixel data ends inside frame 3 of 4', 'pixel data ends before frame 4 of 4']);
    expect(index.problems).toEqual(['pixel data ends inside frame 3 of 4']);
  });

  it('says "ends after frame k" when the file stops on a frame boundary', async () => {
    const { header } = await open(4, { kind: 'native', bytes: new Uint8Array(256) }, '1.2.840.10008.1.2.1', 128);
    expect((await indexFrames(header, 4)).problems).toEqual(['pixel data ends after frame 2 of 4']);
  });
});

describe('indexFrames: encapsulated pixel data', () => {
  it('uses a Basic Offset Table: frames from the table, one small read for the last frame', async () => {
    const fragments = Array.from({ length: 1000 }, (_, i) => jpeg(100 + (i % 7) * 10, i));
    const { header, source } = await open(1000, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const index = await indexFrames(header, 1000);
    expect(okCount(index)).toBe(1000);
    expect(index.problems).toEqual([]);
    expect(source.reads).toBeLessThanOrEqual(2); // the table lies outside the first 64 KiB here; then the last frame
    source.reads = 0;
    const first = await indexFirstFrame(header, 1000);
    expect(first).toEqual(index.frames[0]);
    for (const n of [0, 499, 999]) expect(await bytesOf(source, index.frames[n])).toEqual(fragments[n]);
  });

  it('indexes frame 1 without any read when the table is in the header slice', async () => {
    const fragments = Array.from({ length: 50 }, (_, i) => jpeg(2000, i));
    const { header, source } = await open(50, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const first = await indexFirstFrame(header, 50);
    expect(source.reads).toBe(0);
    expect(await bytesOf(source, first)).toEqual(fragments[0]);
  });

  it('walks item headers when there is no table: one fragment per frame, reads batched in 64 KiB windows', async () => {
    const fragments = Array.from({ length: 200 }, (_, i) => jpeg(1000, i));
    const { header, source } = await open(200, { kind: 'encapsulated', fragments });
    const index = await indexFrames(header, 200);
    expect(okCount(index)).toBe(200);
    // ~200 KB of fragments in 64 KiB windows: a handful of reads, not 200.
    expect(source.reads).toBeLessThanOrEqual(5);
    expect(await bytesOf(source, index.frames[137])).toEqual(fragments[137]);
  });

  it('walks fragments larger than 64 KiB in growing windows, not a read per item', async () => {
    // As l5-tfesi-1024-rle.dcm is stored: 90 RLE frames of ~100 KB, an empty table. Each read
    // costs the page a few ms however small, so the walk was 91 reads in a row before frame 2.
    const fragments = Array.from({ length: 90 }, (_, i) => rle(97_000 + i, i));
    const { header, source, bytes } = await open(90, { kind: 'encapsulated', fragments }, RLE);
    const index = await indexFrames(header, 90);
    expect(okCount(index)).toBe(90);
    expect(source.reads).toBeLessThanOrEqual(10);
    // Read through once, not over and over.
    expect(source.bytesRead).toBeLessThan(1.5 * bytes.length);
    expect(await bytesOf(source, index.frames[56])).toEqual(fragments[56]);
    expect(await bytesOf(source, index.frames[89])).toEqual(fragments[89]);
  });

  it('peeks 16 bytes past each fragment larger than its largest window (4 MiB)', async () => {
    const fragments = Array.from({ length: 3 }, (_, i) => jpeg(5 * 1024 * 1024, i));
    const { header, source } = await open(3, { kind: 'encapsulated', fragments });
    const index = await indexFrames(header, 3);
    expect(okCount(index)).toBe(3);
    expect(source.reads).toBe(4); // one per item, then the delimiter
    expect(source.bytesRead).toBeLessThan(64 * 1024 + 3 * 16);
    expect(await bytesOf(source, index.frames[2])).toEqual(fragments[2]);
  });

  it('walks the fragments of a single frame without a table in one read, not one per fragment', async () => {
    // As the corpus's 10-bit XA frames are stored: one frame in 64 KiB fragments, an empty table.
    const whole = jpeg(9 * 65536, 3);
    const parts = Array.from({ length: 9 }, (_, i) => whole.subarray(i * 65536, (i + 1) * 65536));
    const { header, source } = await open(1, { kind: 'encapsulated', fragments: parts });
    const index = await indexFrames(header, 1);
    expect(source.reads).toBe(1);
    expect(await bytesOf(source, index.frames[0])).toEqual(whole);
  });

  it('puts every fragment in the one frame of a single-frame image and joins them on reading', async () => {
    const parts = [jpeg(300, 1).subarray(0, 150), new Uint8Array(150).fill(7), new Uint8Array(20).fill(9)];
    const { header, source } = await open(1, { kind: 'encapsulated', fragments: parts, basicOffsetTable: [0] });
    const index = await indexFrames(header, 1);
    const bytes = await bytesOf(source, index.frames[0]);
    expect(bytes.length).toBe(320);
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0xff, 0xd8]);
    expect(Array.from(bytes.subarray(300))).toEqual(new Array(20).fill(9));
  });

  it('returns a single fragment as a view of the bytes read, not a copy', async () => {
    const fragments = [jpeg(64, 1), jpeg(64, 2)];
    const { header, bytes } = await open(2, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const index = await indexFrames(header, 2);
    const frame = await bytesOf(header.source, index.frames[1]);
    expect(frame.buffer).toBe(bytes.buffer);
  });

  it('groups several fragments per frame where a JPEG codestream starts', async () => {
    const frames = [jpeg(300, 1), jpeg(200, 2), jpeg(250, 3)];
    const fragments = frames.flatMap((f) => [f.subarray(0, 100), f.subarray(100)]);
    const { header, source } = await open(3, { kind: 'encapsulated', fragments });
    const index = await indexFrames(header, 3);
    expect(okCount(index)).toBe(3);
    for (let i = 0; i < 3; i++) expect(await bytesOf(source, index.frames[i])).toEqual(frames[i]);
    const first = await indexFirstFrame(header, 3);
    expect(first).toEqual(index.frames[0]);
  });

  it('says it cannot group fragments without codestream markers when counts differ', async () => {
    const fragments = [opaque(100, 1), opaque(100, 2), opaque(100, 3)];
    const { header } = await open(2, { kind: 'encapsulated', fragments }, RLE);
    const index = await indexFrames(header, 2);
    expect(okCount(index)).toBe(0);
    expect(index.problems[0]).toBe('cannot tell which of the 3 fragments belong to which of the 2 frames');
  });

  it('keeps the frames an RLE run cut short still holds, without an offset table (an RLE frame is one fragment)', async () => {
    const fragments = Array.from({ length: 6 }, (_, i) => rle(500, i));
    const { header, source } = await open(6, { kind: 'encapsulated', fragments, omitSequenceDelimiter: true }, RLE, 508 * 2 + 200);
    const index = await indexFrames(header, 6);
    expect(reasons(index)).toEqual([
      'pixel data ends inside frame 4 of 6',
      'pixel data ends before frame 5 of 6',
      'pixel data ends before frame 6 of 6',
    ]);
    expect(await bytesOf(source, index.frames[2])).toEqual(fragments[2]);
  });

  it('takes frame 1 of an RLE run as its first fragment', async () => {
    const fragments = [rle(100, 1), rle(120, 2)];
    const { header, source } = await open(2, { kind: 'encapsulated', fragments }, RLE);
    expect(await bytesOf(source, await indexFirstFrame(header, 2))).toEqual(fragments[0]);
  });

  it('falls back to walking when the Basic Offset Table has the wrong number of entries', async () => {
    const fragments = [jpeg(100, 1), jpeg(100, 2), jpeg(100, 3)];
    const { header } = await open(3, { kind: 'encapsulated', fragments, basicOffsetTable: [0, 108] });
    const index = await indexFrames(header, 3);
    expect(okCount(index)).toBe(3);
    expect(index.problems).toEqual(['the Basic Offset Table has 2 entries for 3 frames; the fragments were walked instead']);
  });

  it('uses the Extended Offset Table when present', async () => {
    const fragments = [jpeg(100, 1), jpeg(150, 2), jpeg(120, 3)];
    const { header, source } = await open(3, { kind: 'encapsulated', fragments, extendedOffsetTable: true });
    const index = await indexFrames(header, 3);
    expect(source.reads).toBe(0);
    expect(await bytesOf(source, index.frames[2])).toEqual(fragments[2]);
  });

  it('keeps complete frames when the data ends inside the last one (no delimiter)', async () => {
    const fragments = Array.from({ length: 10 }, (_, i) => jpeg(500, i));
    const { header, source } = await open(10, { kind: 'encapsulated', fragments, omitSequenceDelimiter: true }, JPEG, 100);
    const index = await indexFrames(header, 10);
    expect(okCount(index)).toBe(9);
    expect(index.frames[9]).toEqual({ ok: false, reason: 'pixel data ends inside frame 10 of 10' });
    expect(index.problems).toEqual(['pixel data ends inside frame 10 of 10']);
    expect(await bytesOf(source, index.frames[8])).toEqual(fragments[8]);
  });

  it('marks frames that never arrive when the data ends early', async () => {
    const fragments = Array.from({ length: 6 }, (_, i) => jpeg(500, i));
    const { header } = await open(6, { kind: 'encapsulated', fragments, omitSequenceDelimiter: true }, JPEG, 508 * 2 + 200);
    const index = await indexFrames(header, 6);
    expect(reasons(index)).toEqual([
      'pixel data ends inside frame 4 of 6',
      'pixel data ends before frame 5 of 6',
      'pixel data ends before frame 6 of 6',
    ]);
  });

  it('does the same with a Basic Offset Table', async () => {
    const fragments = Array.from({ length: 6 }, (_, i) => jpeg(500, i));
    const { header } = await open(
      6,
      { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments), omitSequenceDelimiter: true },
      JPEG,
      508 * 2 + 200,
    );
    expect(reasons(await indexFrames(header, 6))).toEqual([
      'pixel data ends inside frame 4 of 6',
      'pixel data ends before frame 5 of 6',
      'pixel data ends before frame 6 of 6',
    ]);
  });

  it('notes a missing sequence delimiter when every frame is still complete', async () => {
    const fragments = [jpeg(100, 1), jpeg(100, 2)];
    const { header } = await open(2, { kind: 'encapsulated', fragments, omitSequenceDelimiter: true });
    const index = await indexFrames(header, 2);
    expect(okCount(index)).toBe(2);
    expect(index.problems).toEqual([
      'the pixel data has no sequence delimiter (the file ends right after the last fragment); every frame is complete',
    ]);
  });

  it('reports fewer frames than declared when the data ends cleanly', async () => {
    const frames = [jpeg(100, 1), jpeg(100, 2)];
    const fragments = frames.flatMap((f) => [f.subarray(0, 50), f.subarray(50)]).concat([jpeg(60, 3).subarray(0, 30)]);
    const { header } = await open(4, { kind: 'encapsulated', fragments });
    const index = await indexFrames(header, 4);
    expect(okCount(index)).toBe(3);
    expect(index.frames[3]).toEqual({ ok: false, reason: 'the pixel data holds only 3 of 4 frames' });
  });

  it('refuses to read a span that is not made of fragment items', async () => {
    const fragments = [jpeg(100, 1), jpeg(100, 2)];
    const { header, source } = await open(2, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const index = await indexFrames(header, 2);
    const span = index.frames[1].ok ? index.frames[1].span : null;
    await expect(readFrameBytes(source, { ...span!, start: span!.start + 4 })).rejects.toThrow(
      /^f\.dcm: frame data at byte \d+ is not a fragment item/,
    );
    await expect(readFrameBytes(source, { ...span!, end: source.size + 10 })).rejects.toThrow(/is cut off/);
  });

  it('calls a short read of a span inside the file an interrupted read, not a cut-off file', async () => {
    const fragments = [jpeg(100, 1), jpeg(100, 2)];
    const { header, source } = await open(2, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const span = (await indexFrames(header, 2)).frames[1];
    const dropping: ByteSource = { name: source.name, size: source.size, read: async () => new Uint8Array(0) };
    const error = await readFrameBytes(dropping, (span as { span: FrameSpan }).span).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadInterruptedError);
    expect(String(error)).not.toMatch(/cut off/);
  });
});

describe('indexFramesFrameOneFirst: frame 1 before the walk of every item header', () => {
  it('gives frame 1 from two items and the whole index behind it when there is no offset table', async () => {
    const fragments = Array.from({ length: 40 }, (_, i) => rle(100_000, i));
    const { header, source } = await open(40, { kind: 'encapsulated', fragments }, RLE);
    const indexed = await indexFramesFrameOneFirst(header, 40);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    // Two items read for frame 1; the walk of the other 38 waits until someone asks.
    expect(source.reads).toBeLessThanOrEqual(2);
    expect(await bytesOf(source, indexed.first)).toEqual(fragments[0]);
    const index = await indexed.indexAll();
    expect(indexed.indexAll()).toBe(indexed.indexAll());
    expect(index).toEqual(await indexFrames(header, 40));
    expect(await bytesOf(source, index.frames[39])).toEqual(fragments[39]);
  });

  it('gives frame 1 from a Basic Offset Table without any read, and the walk of the last frame behind it', async () => {
    const fragments = Array.from({ length: 3 }, (_, i) => jpeg(1000, i));
    const { header, source } = await open(3, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const indexed = await indexFramesFrameOneFirst(header, 3);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    // The table is in the header's bytes; only the last frame's items need reading, and that waits.
    expect(source.reads).toBe(0);
    expect(await bytesOf(source, indexed.first)).toEqual(fragments[0]);
    expect(await indexed.indexAll()).toEqual(await indexFrames(header, 3));
  });

  it('reads a Basic Offset Table that lies beyond the header slice once, for frame 1 and the whole index', async () => {
    // 20,000 entries: an 80 KB table, past the first 64 KiB slice the header was read from.
    const fragments = Array.from({ length: 20_000 }, (_, i) => jpeg(16, i));
    const { header, source } = await open(20_000, { kind: 'encapsulated', fragments, basicOffsetTable: offsetsOf(fragments) });
    const indexed = await indexFramesFrameOneFirst(header, 20_000);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    const tableReads = source.reads;
    expect(tableReads).toBeGreaterThan(0);
    const index = await indexed.indexAll();
    // Only the walk of the last frame's items: one more read.
    expect(source.reads).toBe(tableReads + 1);
    expect(index).toEqual(await indexFrames(header, 20_000));
    expect(indexed.first).toEqual(index.frames[0]);
  });

  it('gives the whole index at once where it is cheap: native, an extended offset table, one frame', async () => {
    const fragments = Array.from({ length: 3 }, (_, i) => jpeg(1000, i));
    const extended = await open(3, { kind: 'encapsulated', fragments, extendedOffsetTable: true });
    expect(await indexFramesFrameOneFirst(extended.header, 3)).toEqual({ index: await indexFrames(extended.header, 3) });
    const single = await open(1, { kind: 'encapsulated', fragments: [jpeg(1000, 1)] });
    expect(await indexFramesFrameOneFirst(single.header, 1)).toEqual({ index: await indexFrames(single.header, 1) });
    const native = await open(2, { kind: 'native', bytes: new Uint8Array(128) }, '1.2.840.10008.1.2.1');
    expect(await indexFramesFrameOneFirst(native.header, 2)).toEqual({ index: await indexFrames(native.header, 2) });
  });

  it('frames after frame 1 wait for the index, then read their span or fail with its reason', async () => {
    const fragments = Array.from({ length: 6 }, (_, i) => jpeg(500, i));
    const { header, source } = await open(6, { kind: 'encapsulated', fragments, omitSequenceDelimiter: true }, JPEG, 508 * 2 + 200);
    const indexed = await indexFramesFrameOneFirst(header, 6);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    const later = framesIndexedLater(source, indexed.indexAll, 2, 6);
    expect(later).toHaveLength(5);
    expect(later[0].fileSpan).toBeUndefined();
    expect(await later[0].read()).toEqual(fragments[1]);
    expect(later[1].fileSpan?.span).toEqual(((await indexed.indexAll()).frames[2] as { span: FrameSpan }).span);
    await expect(later[2].read()).rejects.toThrow('f.dcm: pixel data ends inside frame 4 of 6');
    await expect(later[4].read()).rejects.toThrow('pixel data ends before frame 6 of 6');
    expect(later[4].fileSpan).toBeUndefined();
  });

  it('tells each frame as the walk passes it, before the whole index, where it is the place the index gives', async () => {
    const fragments = Array.from({ length: 60 }, (_, i) => rle(100_000, i));
    const { header, source } = await open(60, { kind: 'encapsulated', fragments }, RLE);
    const indexed = await indexFramesFrameOneFirst(header, 60);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    const told: Array<{ frame: number; slot: FrameSlot; readsSoFar: number }> = [];
    source.reads = 0;
    const index = await indexed.indexAll((frame, slot) => told.push({ frame, slot, readsSoFar: source.reads }));
    // Every frame but the last, in order, each as the place the whole index gives it.
    expect(told.map((t) => t.frame)).toEqual(Array.from({ length: 59 }, (_, i) => i + 1));
    told.forEach(({ frame, slot }) => expect(slot).toEqual(index.frames[frame - 1]));
    // Frame 2 was told after the walk's second read, not after its last.
    const walkReads = source.reads;
    expect(walkReads).toBeGreaterThan(3);
    expect(told[1].readsSoFar).toBeLessThanOrEqual(2);
  });

  it('stops telling frames early at the first fragment that does not open a codestream', async () => {
    // JPEG frames 1–3 in one fragment each, frame 4 in two: the count (5 fragments, 4 frames) makes
    // the index split where codestreams start, which it could only know once it saw fragment 5.
    const parts = [jpeg(70_000, 1), jpeg(70_000, 2), jpeg(70_000, 3), jpeg(70_000, 4), opaque(70_000, 5)];
    const { header } = await open(4, { kind: 'encapsulated', fragments: parts }, JPEG);
    const indexed = await indexFramesFrameOneFirst(header, 4);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    const told = new Map<number, FrameSlot>();
    const index = await indexed.indexAll((frame, slot) => told.set(frame, slot));
    expect([...told.keys()]).toEqual([1, 2, 3]);
    for (const [frame, slot] of told) expect(slot).toEqual(index.frames[frame - 1]);
    expect(okCount(index)).toBe(4);
    expect((index.frames[3] as { span: FrameSpan }).span.end - (index.frames[3] as { span: FrameSpan }).span.start).toBe(2 * (70_000 + 8));
  });

  it('reads a frame the walk has passed while the walk goes on, and keeps its place whatever the whole index says', async () => {
    const fragments = Array.from({ length: 4 }, (_, i) => rle(1000, i));
    const { header, source } = await open(4, { kind: 'encapsulated', fragments }, RLE);
    const first = await indexFrames(header, 4);
    let finish: (index: FrameIndex) => void = () => undefined;
    const indexAll = (onFrameFound: (frame: number, slot: FrameSlot) => void) => {
      onFrameFound(2, first.frames[1]);
      // The rest of the walk is slow, and then calls the grouping unclear.
      return new Promise<FrameIndex>((resolve) => (finish = resolve));
    };
    const later = framesIndexedLater(source, indexAll, 2, 4);
    expect(await later[0].read()).toEqual(fragments[1]);
    expect(later[0].fileSpan?.span).toEqual((first.frames[1] as { span: FrameSpan }).span);
    expect(later[1].fileSpan).toBeUndefined();
    const third = later[1].read();
    const unclear = 'cannot tell which of the 5 fragments belong to which of the 4 frames';
    finish({ frames: first.frames.map(() => ({ ok: false, reason: unclear })), problems: [unclear] });
    await expect(third).rejects.toThrow(unclear);
    expect(await later[0].read()).toEqual(fragments[1]);
  });

  it("walks again once when a read of the walk was cut short (not the file's fault)", async () => {
    const fragments = Array.from({ length: 4 }, (_, i) => rle(100_000, i));
    const { header, source } = await open(4, { kind: 'encapsulated', fragments }, RLE);
    let failed = 0;
    const flaky: ByteSource = {
      name: source.name,
      size: source.size,
      read: (offset, length) => {
        if (offset > 250_000 && failed++ === 0) return Promise.reject(new ReadInterruptedError(source.name, 'the read was cancelled'));
        return source.read(offset, length);
      },
    };
    const indexed = await indexFramesFrameOneFirst({ ...header, source: flaky }, 4);
    if (!('first' in indexed)) throw new Error('expected frame 1 first');
    expect(okCount(await indexed.indexAll())).toBe(4);
    expect(failed).toBeGreaterThan(1);
  });
});
