/**
 * The run: what the user opened and plays. One multi-frame instance, or the single-frame
 * instances of one series in play order, with its RunInfo and where each frame's bytes are.
 *
 * io/openFiles.ts builds runs from local files and HTTP; the session (state/session.ts) holds the
 * open ones; the viewer shows them by key. Pure: no DOM, React or Cornerstone.
 */
import { readFrameBytes, type FrameFound } from './frameIndex';
import { DicomInputError, type ByteSource, type FrameIndex, type FrameSlot, type FrameSpan, type RunInfo } from './types';

/**
 * Where one frame's encoded bytes come from. Files (local or HTTP range reads) give a span of the
 * file (fileSpanFrame); another source, e.g. DICOMweb WADO-RS, fetches the frame by its URL
 * instead. The image loader only calls read().
 */
export interface FrameSource {
  /** The file or URL the frame comes from, for messages. */
  readonly name: string;
  read(): Promise<Uint8Array>;
  /**
   * Set for a frame that is a span of a file: the file and where in it, so the viewer can read
   * neighbouring frames in one request (viewer/frameReads.ts).
   */
  readonly fileSpan?: { readonly file: ByteSource; readonly span: FrameSpan };
  /** For a frame whose place is found on demand (framesIndexedLater): looking starts the search; settles once this frame's `fileSpan` is known (or never will be). */
  readonly located?: Promise<unknown>;
}

/** One frame of a run: where its bytes are and how they are encoded, or why it cannot be read. */
export type FrameRef = { ok: true; source: FrameSource; transferSyntaxUID: string } | { ok: false; reason: string };

export interface OpenedRun {
  /** Unique for this opening (a run opened again gets a new key, so no stale decoded frame is reused). */
  key: string;
  /** Same for the same data however it was opened (runIdentity): autosaved work is found by it. */
  identity: string;
  info: RunInfo;
  /** Frame n at index n-1; as many as info.frameCount. */
  frames: FrameRef[];
  fileNames: string[];
  /** The educator's label of a run opened from a teaching package (its manifest), shown as its title. */
  title?: string;
  /**
   * The run's files, in frame order, for exports that copy or rewrite them (teaching package).
   * Absent for runs that have no files here (DICOMweb frames).
   */
  files?: readonly ByteSource[];
  /** Problems that leave the run usable, e.g. frames that cannot be read. */
  problems: string[];
  /**
   * Problems found once the frames after frame 1 are indexed, which happens behind the first paint
   * when they are first read (a file without an offset table, openFiles); a file that could not
   * be read on is one of them. Never settles when no later frame is ever read.
   */
  laterProblems?: Promise<string[]>;
}

/** A frame that is a span of a file read through a ByteSource (File.slice, HTTP range). */
export function fileSpanFrame(file: ByteSource, span: FrameSpan): FrameSource {
  return { name: file.name, read: () => readFrameBytes(file, span), fileSpan: { file, span } };
}

/**
 * Frames `from`..`frameCount` of a file whose index is found on demand (indexFramesFrameOneFirst):
 * the first read, or the first look at `located`, starts it. A frame's place is known once the
 * walk has passed it (told through `indexAll`'s callback) or the whole index is in, whichever
 * comes first; a read waits for that, then reads the frame's span, or fails with the index's
 * reason for it. `fileSpan` appears once the place is known, `located` settles then.
 */
export function framesIndexedLater(
  file: ByteSource,
  indexAll: (onFrameFound: FrameFound) => Promise<FrameIndex>,
  from: number,
  frameCount: number,
): FrameSource[] {
  /** The whole index, once in; a frame told before it keeps the place it was told. */
  let frames: FrameSlot[] | null = null;
  const foundEarly = new Map<number, FrameSlot>();
  const waiting = new Map<number, Array<(slot: FrameSlot) => void>>();
  const notInIndex = (frame: number): FrameSlot => ({ ok: false, reason: `frame ${frame} is not in the index` });
  const found = (frame: number, slot: FrameSlot) => {
    if (frames || foundEarly.has(frame)) return;
    foundEarly.set(frame, slot);
    for (const resolve of waiting.get(frame) ?? []) resolve(slot);
    waiting.delete(frame);
  };
  let whole: Promise<FrameSlot[]> | null = null;
  const locateAll = () => {
    if (whole) return whole;
    whole = indexAll(found).then((index) => {
      frames = index.frames.map((slot, i) => foundEarly.get(i + 1) ?? slot);
      waiting.clear();
      return frames;
    });
    // A failed walk is told to each read that waits on it, not as a rejection nobody handled.
    whole.catch(() => undefined);
    return whole;
  };
  const known = (frame: number) => foundEarly.get(frame) ?? frames?.[frame - 1];
  const slotOf = (frame: number): Promise<FrameSlot> => {
    const all = locateAll();
    // Known already, or told by the walk's start just now.
    const slot = known(frame);
    if (slot) return Promise.resolve(slot);
    const fromWhole = all.then((slots) => slots[frame - 1] ?? notInIndex(frame));
    const toldEarly = new Promise<FrameSlot>((resolve) => waiting.set(frame, [...(waiting.get(frame) ?? []), resolve]));
    return Promise.race([toldEarly, fromWhole]);
  };
  return Array.from({ length: frameCount - from + 1 }, (_, i) => {
    const frame = from + i;
    return {
      name: file.name,
      get located() {
        return slotOf(frame);
      },
      get fileSpan() {
        const slot = known(frame);
        return slot?.ok ? { file, span: slot.span } : undefined;
      },
      read: async () => {
        const slot = await slotOf(frame);
        if (!slot.ok) throw new DicomInputError(file.name, slot.reason);
        return readFrameBytes(file, slot.span);
      },
    };
  });
}

/**
 * Study, series, first instance and frame count: the same whether the run came from a folder, a
 * DICOMDIR or a PACS. `firstFileName` stands in when the run lists no instance at all.
 */
export function runIdentity(info: RunInfo, firstFileName: string): string {
  return [info.study.instanceUID, info.series.instanceUID, info.sopInstanceUIDs[0] ?? firstFileName, info.frameCount].join('|');
}

/** What every identity of a run of this series starts with, however much of the series was opened. */
export function seriesIdentityPrefix(info: RunInfo): string {
  return `${info.study.instanceUID}|${info.series.instanceUID}|`;
}

let openings = 0;

/** A key no earlier opening has used: the identity and a counter. */
export function newRunKey(identity: string): string {
  return `${identity}#${++openings}`;
}
