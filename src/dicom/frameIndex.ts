import type { DataSet } from 'dicom-parser';
import { ReadInterruptedError } from './byteSource';
import { DicomInputError } from './types';
import type { ByteSource, FrameIndex, FrameSlot, FrameSpan, ParsedHeader } from './types';
import { TS } from './uids';
import { readPixelGeometry } from './validate';

/**
 * Where each frame's bytes lie, found without reading the pixel data itself.
 *
 * Cost, for a run of N frames (reads are ByteSource.read calls: File.slice or HTTP ranges):
 * - native pixel data: no reads; frame n is at valueOffset + (n-1) × frameBytes.
 * - Extended Offset Table: no reads; both tables are in the header.
 * - Basic Offset Table with N entries: the table is nearly always inside the header slice
 *   already read (else one read of 8 + 4N bytes), plus one 64 KiB read at the last frame to find
 *   where it ends (a second small read per further fragment when its fragment is larger).
 * - no usable offset table: the item headers are walked in order, one read after the other.
 *   Each read fetches a window that covers every header inside it; the first is 64 KiB and each
 *   next one twice the last, up to 4 MiB. After a fragment larger than the coming window, only
 *   the next 16 bytes are read. A read costs the same ~1–3 ms here however small it is, and a MiB
 *   more in it next to nothing, so reading through the pixel data beats a read per item: a
 *   90-frame 1024² RLE run (~100 KB per frame) was walked in 90 reads, ~130–250 ms before its
 *   other frames could start decoding, and is now walked in 8. Reads ≈ log2(pixel bytes / 64 KiB)
 *   + pixel bytes / 4 MiB, or one per fragment where fragments exceed 4 MiB.
 * indexFirstFrame gives frame 1 alone, for the first paint, at the cost above or less.
 */

const ITEM = 0xe000;
const SEQUENCE_DELIMITER = 0xe0dd;
const ITEM_GROUP = 0xfffe;
const WALK_WINDOW = 64 * 1024;
/** The largest window a walk grows to (see the cost note above). */
const WALK_WINDOW_MAX = 4 * 1024 * 1024;
/** The most read at once to walk a run's last frame or a single frame (see indexWithBasicOffsetTable). */
const LAST_FRAME_READ_MAX = 4 * 1024 * 1024;
/** Item header plus the payload's first bytes, which tell whether a fragment starts a frame. */
const HEADER_PEEK = 16;

export async function indexFrames(header: ParsedHeader, frameCount: number): Promise<FrameIndex> {
  if (!header.pixelData) return allMissing(frameCount, 'the file has no pixel data');
  if (!header.pixelData.encapsulated) return indexNative(header, frameCount);
  return indexEncapsulated(header, frameCount);
}

/** Frame 1 only, with as few reads as the layout allows: what the first paint needs. */
export async function indexFirstFrame(header: ParsedHeader, frameCount: number): Promise<FrameSlot> {
  if (!header.pixelData) return { ok: false, reason: 'the file has no pixel data' };
  if (!header.pixelData.encapsulated || frameCount === 1) return (await indexFrames(header, frameCount)).frames[0];
  return firstFrameFrom(header, frameCount, await readOffsetTables(header, frameCount));
}

/** indexFirstFrame with the offset tables already read (a table outside the header slice costs reads). */
async function firstFrameFrom(header: ParsedHeader, frameCount: number, tables: OffsetTables): Promise<FrameSlot> {
  if (tables.kind === 'basic') {
    // Frame 1 ends where the table says frame 2 starts: no read beyond the table.
    const span = { start: tables.firstFragmentOffset, end: tables.firstFragmentOffset + tables.offsets[1], encapsulated: true };
    return slotFor(span, 1, frameCount, header.source.size);
  }
  if (tables.kind !== 'none') return (await indexEncapsulated(header, frameCount, tables)).frames[0];
  // Frame 1 runs until the next fragment that opens a codestream. Without such markers (RLE),
  // DICOM requires one fragment per frame, so frame 1 is the first fragment.
  const { fragments } = await walkItems(header.source, tables.firstFragmentOffset, { stopAtSecondFrameStart: true });
  if (fragments.length === 0) return { ok: false, reason: 'the pixel data holds no fragments' };
  if (!fragments[fragments.length - 1].complete) return { ok: false, reason: `pixel data ends inside frame 1 of ${frameCount}` };
  return { ok: true, span: spanOf(fragments) };
}

/** Told of a frame the walk has found before the whole index is known (see FramesFoundEarly). */
export type FrameFound = (frame: number, slot: FrameSlot) => void;

/** indexFrames, or frame 1 now and the others when asked for (see indexFramesFrameOneFirst). */
export type FrameOneFirst = { index: FrameIndex } | { first: FrameSlot; indexAll: (onFrameFound?: FrameFound) => Promise<FrameIndex> };

/**
 * As indexFrames, except where finding every frame means reading items beyond the header: then
 * frame 1 comes at once (indexFirstFrame) and the whole index from `indexAll`, which starts its
 * walk on the first call (memoised) and gives the index indexFrames gives.
 * - Without an offset table every item header is walked, in reads one after the other (8 for a
 *   90-frame 1024² RLE run, 30–100 ms here while the page draws frame 1; ~100 and a second or
 *   more for 2,000 frames of 190 KB). Started at once, it also slowed frame 1's own read and
 *   decode. `onFrameFound` hears of each frame as the walk passes it, where that cannot change
 *   (FramesFoundEarly), so frames can be read and decoded behind the walk instead of after it.
 * - With a Basic Offset Table only the last frame's items are walked (the table does not say where
 *   it ends), but that is a read before frame 1's own read (it was two in a row, ~7 ms of a 100 ms
 *   budget, before the last frame was read whole).
 */
export async function indexFramesFrameOneFirst(header: ParsedHeader, frameCount: number): Promise<FrameOneFirst> {
  if (!header.pixelData?.encapsulated || frameCount === 1) return { index: await indexFrames(header, frameCount) };
  // Read once here and handed on: the table may lie beyond the header slice.
  const tables = await readOffsetTables(header, frameCount);
  const indexWithTables = (onFrameFound?: FrameFound) => indexEncapsulated(header, frameCount, tables, onFrameFound);
  if (tables.kind === 'extended' || tables.kind === 'broken') return { index: await indexWithTables() };
  let all: Promise<FrameIndex> | null = null;
  const indexAll = (onFrameFound?: FrameFound) =>
    (all ??= indexWithTables(onFrameFound).catch((error: unknown) => {
      // A read cut short (not the file's fault) is tried once more before the index fails.
      if (error instanceof ReadInterruptedError) return indexWithTables(onFrameFound);
      throw error;
    }));
  return { first: await firstFrameFrom(header, frameCount, tables), indexAll };
}

// ---------------------------------------------------------------------------------------------
// Native

function indexNative(header: ParsedHeader, frameCount: number): FrameIndex {
  const pixelData = header.pixelData!;
  const { frameBytes, bitsAllocated } = readPixelGeometry(header);
  const dataEnd = pixelData.valueOffset + Math.min(pixelData.length, header.source.size - pixelData.valueOffset);
  // Big endian OW is a run of big-endian words even when the pixels are bytes (PS3.5 8.1.1);
  // OB holds bytes in order. 16-bit pixels are words already: the codec swaps them.
  const pairsSwapped = header.transferSyntaxUID === TS.explicitBig && bitsAllocated === 8 && pixelData.vr !== 'OB';
  const frames: FrameSlot[] = [];
  for (let n = 1; n <= frameCount; n++) {
    const start = pixelData.valueOffset + (n - 1) * frameBytes;
    const span: FrameSpan = { start, end: start + frameBytes, encapsulated: false };
    if (pairsSwapped) span.bytePairsSwappedFrom = pixelData.valueOffset;
    frames.push(slotFor(span, n, frameCount, dataEnd));
  }
  return { frames, problems: summarizeMissing(frames) };
}

/** A span is ok when it lies within the data; otherwise say where the data ran out. */
function slotFor(span: FrameSpan, frame: number, frameCount: number, dataEnd: number): FrameSlot {
  if (span.end <= dataEnd) return { ok: true, span };
  if (span.start < dataEnd) return { ok: false, reason: `pixel data ends inside frame ${frame} of ${frameCount}` };
  return { ok: false, reason: `pixel data ends before frame ${frame} of ${frameCount}` };
}

/** One problem line for a run whose data ends early: where it ended. */
function summarizeMissing(frames: FrameSlot[]): string[] {
  const firstBad = frames.findIndex((f) => !f.ok);
  if (firstBad < 0) return [];
  const reason = (frames[firstBad] as { reason: string }).reason;
  if (reason.includes('ends inside')) return [reason];
  if (reason.includes('ends before')) return [`pixel data ends after frame ${firstBad} of ${frames.length}`];
  return [reason];
}

function allMissing(frameCount: number, reason: string): FrameIndex {
  return { frames: Array.from({ length: frameCount }, () => ({ ok: false, reason })), problems: [reason] };
}

// ---------------------------------------------------------------------------------------------
// Encapsulated: offset tables

type OffsetTables =
  | { kind: 'extended'; firstFragmentOffset: number; offsets: number[]; lengths: number[] }
  | { kind: 'basic'; firstFragmentOffset: number; offsets: number[] }
  | { kind: 'none'; firstFragmentOffset: number; note?: string }
  | { kind: 'broken'; reason: string };

async function readOffsetTables(header: ParsedHeader, frameCount: number): Promise<OffsetTables> {
  const valueOffset = header.pixelData!.valueOffset;
  const first = await readBytes(header, valueOffset, 8);
  const item = parseItemHeader(first, 0);
  if (!item || item.element !== ITEM) {
    return { kind: 'broken', reason: 'the encapsulated pixel data does not start with an offset table item' };
  }
  const firstFragmentOffset = valueOffset + 8 + item.length;
  const extended = readExtendedOffsetTable(header.dataSet);
  if (extended && extended.offsets.length === frameCount) return { kind: 'extended', firstFragmentOffset, ...extended };
  if (item.length === 0) return { kind: 'none', firstFragmentOffset };
  const offsets = readUint32s(await readBytes(header, valueOffset + 8, item.length));
  if (offsets.length === frameCount && isUsableOffsetTable(offsets)) return { kind: 'basic', firstFragmentOffset, offsets };
  return {
    kind: 'none',
    firstFragmentOffset,
    note: `the Basic Offset Table has ${offsets.length} entries for ${frameCount} frames${isUsableOffsetTable(offsets) ? '' : ' and is not in ascending order'}; the fragments were walked instead`,
  };
}

/** A Basic Offset Table starts at 0 and only goes up. */
function isUsableOffsetTable(offsets: number[]): boolean {
  return offsets.length > 0 && offsets[0] === 0 && offsets.every((v, i) => i === 0 || v > offsets[i - 1]);
}

/** The Extended Offset Table (7FE0,0001) and its lengths (7FE0,0002): 64-bit values. */
function readExtendedOffsetTable(dataSet: DataSet): { offsets: number[]; lengths: number[] } | null {
  const offsets = readUint64s(dataSet, 'x7fe00001');
  const lengths = readUint64s(dataSet, 'x7fe00002');
  if (!offsets || !lengths || offsets.length !== lengths.length || offsets.length === 0) return null;
  return { offsets, lengths };
}

function readUint64s(dataSet: DataSet, tag: string): number[] | null {
  const element = dataSet.elements[tag];
  if (!element || element.length === 0 || element.length % 8 !== 0) return null;
  const bytes = dataSet.byteArray;
  const view = new DataView(bytes.buffer, bytes.byteOffset + element.dataOffset, element.length);
  const out: number[] = [];
  for (let i = 0; i < element.length; i += 8) out.push(view.getUint32(i, true) + view.getUint32(i + 4, true) * 2 ** 32);
  return out;
}

function readUint32s(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(view.getUint32(i, true));
  return out;
}

/** Bytes at a file offset, from the header slice when it covers them (no read), else the source. */
async function readBytes(header: ParsedHeader, offset: number, length: number): Promise<Uint8Array> {
  if (offset + length <= header.headerBytes.length) return header.headerBytes.subarray(offset, offset + length);
  return header.source.read(offset, length);
}

// ---------------------------------------------------------------------------------------------
// Encapsulated: indexing

async function indexEncapsulated(
  header: ParsedHeader,
  frameCount: number,
  tables: OffsetTables | null = null,
  onFrameFound?: FrameFound,
): Promise<FrameIndex> {
  tables ??= await readOffsetTables(header, frameCount);
  const size = header.source.size;
  if (tables.kind === 'broken') return allMissing(frameCount, tables.reason);
  if (tables.kind === 'extended') {
    const frames = tables.offsets.map((offset, i) => {
      const start = tables.firstFragmentOffset + offset;
      return slotFor({ start, end: start + 8 + tables.lengths[i], encapsulated: true }, i + 1, frameCount, size);
    });
    return { frames, problems: summarizeMissing(frames) };
  }
  if (tables.kind === 'basic') return indexWithBasicOffsetTable(header.source, tables.firstFragmentOffset, tables.offsets);
  // A single frame is the rest of the pixel data, read whole anyway to be shown: walked in one read
  // (as a run's last frame is), not one per 64 KiB fragment (nine in a row, ~25 ms, for the corpus's
  // 10-bit JPEG Lossless frame).
  const left = size - tables.firstFragmentOffset;
  const early = onFrameFound && frameCount > 1 ? new FramesFoundEarly(frameCount, onFrameFound) : undefined;
  const walk = await walkItems(header.source, tables.firstFragmentOffset, {
    firstReadLength: frameCount === 1 ? wholeReadLength(left) : undefined,
    onFragment: early && ((fragments) => early.passed(fragments)),
  });
  const index = groupFragments(walk, frameCount);
  if (tables.note) index.problems.unshift(tables.note);
  return index;
}

/** Frames 1..N-1 come straight from the table; the last frame ends where its items end. */
async function indexWithBasicOffsetTable(source: ByteSource, firstFragmentOffset: number, offsets: number[]): Promise<FrameIndex> {
  const frameCount = offsets.length;
  const frames: FrameSlot[] = [];
  for (let i = 0; i < frameCount - 1; i++) {
    const span = { start: firstFragmentOffset + offsets[i], end: firstFragmentOffset + offsets[i + 1], encapsulated: true };
    frames.push(slotFor(span, i + 1, frameCount, source.size));
  }
  const lastStart = firstFragmentOffset + offsets[frameCount - 1];
  const problems: string[] = [];
  if (lastStart >= source.size) {
    frames.push({ ok: false, reason: `pixel data ends before frame ${frameCount} of ${frameCount}` });
  } else {
    // The last frame is what is left of the file, bar the delimiter: read whole when not large, it
    // is walked in one read instead of two in a row (its first window, then the header after its
    // fragment), and on a busy main thread each read waits tens of ms for its turn.
    const left = source.size - lastStart;
    const tail = await walkItems(source, lastStart, { firstReadLength: wholeReadLength(left) });
    frames.push(lastFrameSlot(tail, frameCount));
    problems.push(...endingProblems(tail, frames[frames.length - 1].ok));
  }
  return { frames, problems: [...summarizeMissing(frames), ...problems] };
}

/** A walk's first read covering the `left` bytes to the file's end, unless that is more than LAST_FRAME_READ_MAX. */
function wholeReadLength(left: number): number | undefined {
  return left <= LAST_FRAME_READ_MAX ? left : undefined;
}

function lastFrameSlot(tail: Walk, frameCount: number): FrameSlot {
  const fragments = tail.fragments;
  if (fragments.length === 0) return { ok: false, reason: `frame ${frameCount} of ${frameCount} has no fragments` };
  if (!fragments[fragments.length - 1].complete)
    return { ok: false, reason: `pixel data ends inside frame ${frameCount} of ${frameCount}` };
  return { ok: true, span: spanOf(fragments) };
}

/**
 * Frames told while the walk goes on. Frame k is fragment k, and told, once fragment k + 1 is seen,
 * as long as every fragment so far opens a codestream: then groupFragments gives frame k that one
 * fragment whether it counts one fragment per frame or splits where codestreams start (the only
 * two groupings that can follow). From the first fragment that does not (or may not) open one,
 * frames wait for the whole index. A frame told here is what the walk saw whatever it finds
 * later: the whole index may still call the file's grouping unclear (a fragment whose start was
 * not read, the count off), and the frames before that point keep their place.
 */
class FramesFoundEarly {
  private told = 0;
  private stopped = false;
  constructor(
    private readonly frameCount: number,
    private readonly tell: FrameFound,
  ) {}

  passed(fragments: Fragment[]) {
    if (this.stopped) return;
    const latest = fragments[fragments.length - 1];
    if (latest.startsFrame !== true) {
      this.stopped = true;
      return;
    }
    // Every fragment before the latest is a whole frame now.
    while (this.told < Math.min(fragments.length - 1, this.frameCount)) {
      const fragment = fragments[this.told];
      this.told++;
      this.tell(this.told, { ok: true, span: spanOf([fragment]) });
    }
  }
}

/** Assigns walked fragments to frames: all to one, one each, or split where a codestream starts. */
function groupFragments(walk: Walk, frameCount: number): FrameIndex {
  const groups = splitIntoFrames(walk.fragments, frameCount);
  const problems: string[] = [];
  if (!groups) {
    const reason = `cannot tell which of the ${walk.fragments.length} fragments belong to which of the ${frameCount} frames`;
    return { frames: allMissing(frameCount, reason).frames, problems: [reason, ...endingProblems(walk, false)] };
  }
  const frames: FrameSlot[] = [];
  for (let n = 1; n <= frameCount; n++) {
    const group = groups[n - 1];
    if (group) {
      const complete = group[group.length - 1].complete;
      frames.push(
        complete ? { ok: true, span: spanOf(group) } : { ok: false, reason: `pixel data ends inside frame ${n} of ${frameCount}` },
      );
    } else {
      frames.push({ ok: false, reason: missingFrameReason(walk, n, frameCount, groups.length) });
    }
  }
  if (groups.length > frameCount)
    problems.push(`the pixel data holds ${groups.length} frames but the header declares ${frameCount}; the extra frames are ignored`);
  return {
    frames,
    problems: [
      ...summarizeMissing(frames),
      ...problems,
      ...endingProblems(
        walk,
        frames.every((f) => f.ok),
      ),
    ],
  };
}

/**
 * One frame: every fragment. As many fragments as frames: one each. Otherwise a new frame starts
 * at each fragment that opens a JPEG/JPEG-LS (FFD8) or JPEG 2000 (FF4F, or a JP2 box) codestream,
 * or an RLE frame (its segment header). Null when none of these applies.
 */
function splitIntoFrames(fragments: Fragment[], frameCount: number): Fragment[][] | null {
  if (fragments.length === 0) return [];
  if (frameCount === 1) return [fragments];
  if (fragments.length === frameCount) return fragments.map((f) => [f]);
  if (!fragments.every((f) => f.startsFrame !== undefined) || !fragments[0].startsFrame) return null;
  const groups: Fragment[][] = [];
  for (const fragment of fragments) {
    if (fragment.startsFrame) groups.push([fragment]);
    else groups[groups.length - 1].push(fragment);
  }
  return groups;
}

function missingFrameReason(walk: Walk, frame: number, frameCount: number, framesFound: number): string {
  if (walk.ending === 'unexpected-tag') return `frame ${frame} of ${frameCount} could not be found: ${walk.endingDetail}`;
  if (walk.ending === 'delimiter') return `the pixel data holds only ${framesFound} of ${frameCount} frames`;
  return `pixel data ends before frame ${frame} of ${frameCount}`;
}

function spanOf(fragments: Fragment[]): FrameSpan {
  const last = fragments[fragments.length - 1];
  return { start: fragments[0].offset, end: last.offset + 8 + last.length, encapsulated: true };
}

/** What to tell the user about how the pixel data ended, beyond missing frames. */
function endingProblems(walk: Walk, allFramesOk: boolean): string[] {
  if (walk.ending === 'end-of-file' && allFramesOk) {
    return ['the pixel data has no sequence delimiter (the file ends right after the last fragment); every frame is complete'];
  }
  if (walk.ending === 'unexpected-tag') return [walk.endingDetail];
  return [];
}

// ---------------------------------------------------------------------------------------------
// Walking item headers

interface Fragment {
  /** File offset of the item header. */
  offset: number;
  /** Payload length. */
  length: number;
  /** Whether the whole payload is inside the file. */
  complete: boolean;
  /** Whether the payload opens a codestream; undefined when its first bytes were not read. */
  startsFrame?: boolean;
}

interface Walk {
  fragments: Fragment[];
  /**
   * delimiter: clean end. end-of-file: no delimiter, file ends on an item boundary. cut: the
   * last item (or its header) runs past the end. stopped: stopAtSecondFrameStart was met.
   */
  ending: 'delimiter' | 'end-of-file' | 'cut' | 'unexpected-tag' | 'stopped';
  endingDetail: string;
}

interface WalkOptions {
  /** Stop as soon as a second frame-starting fragment (or the end) is seen: enough for frame 1. */
  stopAtSecondFrameStart?: boolean;
  /** Bytes of the first read, when more than a window is known to be wanted (WALK_WINDOW by default). */
  firstReadLength?: number;
  /** Called with the fragments so far each time one more is found. */
  onFragment?: (fragments: Fragment[]) => void;
}

/** Reads item headers through growing windows; see the cost note at the top of this file. */
async function walkItems(source: ByteSource, start: number, options: WalkOptions): Promise<Walk> {
  const fragments: Fragment[] = [];
  let window: { offset: number; bytes: Uint8Array } = { offset: start, bytes: new Uint8Array(0) };
  let position = start;
  let windowLength = WALK_WINDOW;
  let nextReadLength = Math.max(WALK_WINDOW, options.firstReadLength ?? 0);
  for (;;) {
    if (position + 8 > source.size) return { fragments, ending: position < source.size ? 'cut' : 'end-of-file', endingDetail: '' };
    const windowEnd = window.offset + window.bytes.length;
    const readLength =
      position + HEADER_PEEK > windowEnd && position + 8 + 2 <= source.size ? nextReadLength : position + 8 > windowEnd ? HEADER_PEEK : 0;
    if (readLength > 0) {
      window = { offset: position, bytes: await source.read(position, readLength) };
      windowLength = Math.min(windowLength * 2, WALK_WINDOW_MAX);
    }
    const at = position - window.offset;
    const item = parseItemHeader(window.bytes, at);
    if (!item) return { fragments, ending: 'cut', endingDetail: '' };
    if (item.group === ITEM_GROUP && item.element === SEQUENCE_DELIMITER) return { fragments, ending: 'delimiter', endingDetail: '' };
    if (item.group !== ITEM_GROUP || item.element !== ITEM || item.length === 0xffffffff) {
      return {
        fragments,
        ending: 'unexpected-tag',
        endingDetail: `unexpected tag ${formatGroupElement(item.group, item.element)} at byte ${position} inside the pixel data`,
      };
    }
    const fragment: Fragment = {
      offset: position,
      length: item.length,
      complete: position + 8 + item.length <= source.size,
      startsFrame: startsCodestream(window.bytes, at + 8, item.length),
    };
    if (options.stopAtSecondFrameStart && fragments.length > 0 && (fragment.startsFrame !== false || fragments[0].startsFrame === false)) {
      return { fragments, ending: 'stopped', endingDetail: '' };
    }
    fragments.push(fragment);
    options.onFragment?.(fragments);
    if (!fragment.complete) return { fragments, ending: 'cut', endingDetail: '' };
    position += 8 + item.length;
    // The next fragment is likely this one's size: a window it would fill alone is not worth reading.
    nextReadLength = item.length > windowLength ? HEADER_PEEK : windowLength;
  }
}

function parseItemHeader(bytes: Uint8Array, at: number): { group: number; element: number; length: number } | null {
  if (at + 8 > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 8);
  return { group: view.getUint16(0, true), element: view.getUint16(2, true), length: view.getUint32(4, true) };
}

/**
 * JPEG / JPEG-LS SOI, JPEG 2000 SOC, a JP2 signature box, or an RLE header (1–15 segments, the
 * first at byte 64: PS3.5 G.5); undefined when not in the window. An RLE frame is one fragment, so
 * a file cut short keeps the frames whose fragments it holds.
 */
function startsCodestream(bytes: Uint8Array, at: number, length: number): boolean | undefined {
  if (length < 2) return false;
  if (at + 2 > bytes.length) return undefined;
  const a = bytes[at];
  const b = bytes[at + 1];
  if (a === 0xff && (b === 0xd8 || b === 0x4f)) return true;
  if (length >= 8 && at + 8 <= bytes.length) {
    const jp2 = a === 0 && b === 0 && bytes[at + 2] === 0 && bytes[at + 3] === 0x0c && bytes[at + 4] === 0x6a && bytes[at + 5] === 0x50;
    const rle =
      a >= 1 &&
      a <= 15 &&
      b === 0 &&
      bytes[at + 2] === 0 &&
      bytes[at + 3] === 0 &&
      bytes[at + 4] === 64 &&
      bytes[at + 5] === 0 &&
      bytes[at + 6] === 0 &&
      bytes[at + 7] === 0;
    return jp2 || rle;
  }
  return false;
}

function formatGroupElement(group: number, element: number): string {
  const hex = (v: number) => v.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(group)},${hex(element)})`;
}

// ---------------------------------------------------------------------------------------------
// Reading one frame

/**
 * The bytes of one frame. Native spans come back as read. Encapsulated spans have their item
 * headers stripped and the fragments joined; a single fragment comes back as a view (no copy).
 */
export async function readFrameBytes(source: ByteSource, span: FrameSpan): Promise<Uint8Array> {
  if (span.bytePairsSwappedFrom !== undefined) return readSwappedPairs(source, span, span.bytePairsSwappedFrom);
  const expected = span.end - span.start;
  const bytes = await source.read(span.start, expected);
  // The index put this span inside the file, so a short read is the read's failure, not the file's.
  if (bytes.length < expected && span.end <= source.size) {
    throw new ReadInterruptedError(source.name, `reading the frame at byte ${span.start} gave ${bytes.length} of its ${expected} bytes`);
  }
  if (bytes.length < expected) {
    throw new DicomInputError(
      source.name,
      `frame data at byte ${span.start} is cut off: ${bytes.length} of ${expected} bytes are in the file`,
    );
  }
  if (!span.encapsulated) return bytes;
  const payloads = splitItems(source.name, bytes, span.start);
  return payloads.length === 1 ? payloads[0] : concatenate(payloads);
}

/**
 * 8-bit pixels stored in big-endian words: reads whole words (a frame of odd size can start or end
 * inside one) and puts each pair back in pixel order.
 */
async function readSwappedPairs(source: ByteSource, span: FrameSpan, wordOrigin: number): Promise<Uint8Array> {
  const start = span.start - ((span.start - wordOrigin) & 1);
  const end = span.end + ((span.end - wordOrigin) & 1);
  const words = await source.read(start, end - start);
  const expected = span.end - span.start;
  if (words.length < span.end - start) {
    throw new DicomInputError(
      source.name,
      `frame data at byte ${span.start} is cut off: ${Math.max(0, words.length - (span.start - start))} of ${expected} bytes are in the file`,
    );
  }
  const out = new Uint8Array(expected);
  for (let i = 0; i < expected; i++) {
    const inWords = span.start + i - start;
    out[i] = words[inWords ^ 1] ?? 0; // the last byte of an odd-length value has no partner
  }
  return out;
}

function splitItems(name: string, bytes: Uint8Array, fileOffset: number): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const item = parseItemHeader(bytes, at);
    if (!item || item.group !== ITEM_GROUP || item.element !== ITEM) {
      const found = item ? `found ${formatGroupElement(item.group, item.element)}` : 'the bytes end';
      throw new DicomInputError(name, `frame data at byte ${fileOffset + at} is not a fragment item (${found})`);
    }
    if (at + 8 + item.length > bytes.length) {
      throw new DicomInputError(name, `a fragment at byte ${fileOffset + at} runs past the end of its frame`);
    }
    payloads.push(bytes.subarray(at + 8, at + 8 + item.length));
    at += 8 + item.length;
  }
  if (payloads.length === 0) throw new DicomInputError(name, `frame at byte ${fileOffset} holds no fragments`);
  return payloads;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
