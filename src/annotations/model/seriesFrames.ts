/**
 * Work made on a series opened in part, carried to the same series opened another way (whole,
 * or another part). A series of single-frame instances has one SOP Instance UID per frame, so a
 * frame of one opening is the frame of the other that holds the same instance. The work is carried
 * only when every frame it names is in the other opening: nothing is dropped or moved to a frame
 * it was not made on. Fields of a newer format this build does not know (`extra`) are kept as they
 * are; they cannot be renumbered.
 */
import type { CaseRecord } from './caseRecord';
import type { AnnotationDocument, FrameRange, Keyframe, RunRef, Track } from './types';

/** Frame n of `from` → the frame of `to` with the same instance, or null when `to` lacks it. */
export type FrameMap = (frame: number) => number | null;

/**
 * Null unless both openings are the same series of single-frame instances, each frame named by
 * its SOP Instance UID, and they share at least one instance.
 */
export function frameMapBySopInstance(from: RunRef, to: RunRef): FrameMap | null {
  if (from.seriesInstanceUID !== to.seriesInstanceUID) return null;
  if (!oneInstancePerFrame(from) || !oneInstancePerFrame(to)) return null;
  const frameOfInstance = new Map(to.sopInstanceUIDs.map((uid, i) => [uid, i + 1]));
  if (!from.sopInstanceUIDs.some((uid) => frameOfInstance.has(uid))) return null;
  return (frame) => frameOfInstance.get(from.sopInstanceUIDs[frame - 1]) ?? null;
}

function oneInstancePerFrame(run: RunRef): boolean {
  return run.frameCount > 0 && run.sopInstanceUIDs.length === run.frameCount && new Set(run.sopInstanceUIDs).size === run.frameCount;
}

/** Thrown inside remapDocumentFrames when a frame has no counterpart. */
class Unmapped extends Error {}

/**
 * The document with every frame it names renumbered for the run `to`, or null when one of them is
 * not in `to` (or a range would run backwards there).
 */
export function remapDocumentFrames(doc: AnnotationDocument, to: RunRef, map: FrameMap): AnnotationDocument | null {
  const frame = (n: number): number => {
    const mapped = map(n);
    if (mapped === null) throw new Unmapped();
    return mapped;
  };
  const range = <R extends FrameRange>(r: R): R => {
    const from = frame(r.from);
    const upTo = frame(r.to);
    if (from > upTo) throw new Unmapped();
    return { ...r, from, to: upTo };
  };
  try {
    return {
      ...doc,
      runRef: { ...to, ...(doc.runRef.extra ? { extra: doc.runRef.extra } : {}) },
      tracks: doc.tracks.map((track) => remapTrack(track, frame, range)),
      caseRecord: remapCaseRecord(doc.caseRecord, frame),
      calibration: doc.calibration && { ...doc.calibration, frame: frame(doc.calibration.frame) },
      vascularFlags: doc.vascularFlags.map(range),
      leadTips: doc.leadTips.map((tip) => ({ ...tip, frame: frame(tip.frame) })),
    };
  } catch (error) {
    if (error instanceof Unmapped) return null;
    throw error;
  }
}

function remapTrack(track: Track, frame: (n: number) => number, range: <R extends FrameRange>(r: R) => R): Track {
  const keyframes: readonly Keyframe[] = track.keyframes.map((k) => ({ ...k, frame: frame(k.frame) })).sort((a, b) => a.frame - b.frame);
  // The same kind of geometry as before, on other frames.
  const moved = { ...track, keyframes } as Track;
  return moved.kind === 'caption' ? { ...moved, range: range(moved.range) } : moved;
}

function remapCaseRecord(record: CaseRecord, frame: (n: number) => number): CaseRecord {
  const orNull = (n: number | null) => (n === null ? null : frame(n));
  return {
    ...record,
    contrastFirstSeenFrame: orNull(record.contrastFirstSeenFrame),
    injectates: record.injectates.map((entry) => ({ ...entry, frame: orNull(entry.frame) })),
  };
}

/** Whether the document holds anything the user made (an autosave emptied by undo holds nothing). */
export function holdsWork(doc: AnnotationDocument): boolean {
  const r = doc.caseRecord;
  const recorded =
    r.procedure !== null ||
    r.levels.length > 0 ||
    r.side !== null ||
    r.approach !== null ||
    r.contrastPatterns.length > 0 ||
    r.contrastFirstSeenFrame !== null ||
    r.placementConfirmedBeforeMedication !== null ||
    r.notes.trim() !== '' ||
    r.injectates.length > 0;
  return recorded || doc.tracks.length > 0 || doc.calibration !== null || doc.vascularFlags.length > 0 || doc.leadTips.length > 0;
}
