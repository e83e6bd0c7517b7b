/**
 * What the timeline's buttons and keys do, as commands on the run's document. Each returns a short
 * message when it could not act, for the timeline to show (never an exception: these come from
 * keys the user may press at any time).
 */
import {
  AnnotationCommandError,
  TRACK_KIND_NAMES,
  addKeyframeFromInterpolation,
  addTrack,
  createTrack,
  geometryAt,
  keyframeAt,
  nextKeyframe,
  previousKeyframe,
  removeKeyframe,
  removeTrack,
  setKeyframe,
  type AnnotationDocument,
  type Track,
  type TrackKind,
} from '../../annotations/model';
import { apply, editingDocumentOf } from '../../state/documents';
import { selectTrack, setFrame } from '../../state/session';

type Outcome = string | null;

/** "Needle tip", then "Needle tip 2", … so every lane (and its keyframe buttons) has its own name. */
function uniqueLabel(doc: AnnotationDocument, kind: TrackKind): string {
  const base = TRACK_KIND_NAMES[kind];
  const used = new Set(doc.tracks.map((t) => t.label));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base} ${n}`)) n++;
  return `${base} ${n}`;
}

export function addTrackOfKind(runKey: string, kind: TrackKind): Outcome {
  const doc = editingDocumentOf(runKey);
  if (!doc) return 'No run is open';
  const track = createTrack(doc, kind, { label: uniqueLabel(doc, kind) });
  apply(runKey, addTrack(track));
  selectTrack(runKey, track.id);
  return null;
}

export function deleteTrack(runKey: string, track: Track): Outcome {
  apply(runKey, removeTrack(track.id));
  selectTrack(runKey, null);
  return null;
}

/**
 * A keyframe at `frame` holding what the track shows there (interpolated or held). Before the
 * first or after the last keyframe of a track that shows nothing there, it copies the nearest
 * keyframe, for the user to move with the drawing tool.
 */
export function addKeyframeAt(runKey: string, track: Track, frame: number): Outcome {
  const noun = TRACK_KIND_NAMES[track.kind].toLowerCase();
  if (keyframeAt(track, frame)) return `Frame ${frame} is already a ${noun} keyframe`;
  if (track.kind === 'caption' && (frame < track.range.from || frame > track.range.to)) {
    return `The caption does not show on frame ${frame}`;
  }
  try {
    if (geometryAt(track, frame)) {
      apply(runKey, addKeyframeFromInterpolation(track.id, frame));
      return null;
    }
    const nearest = previousKeyframe(track, frame) ?? nextKeyframe(track, frame);
    if (!nearest) return `Draw the ${noun} with its tool first`;
    apply(runKey, { ...setKeyframe(track.id, frame, nearest.geometry), label: `Add ${noun} keyframe` });
    return null;
  } catch (error) {
    if (error instanceof AnnotationCommandError) return error.message;
    throw error;
  }
}

export function deleteKeyframeAt(runKey: string, track: Track, frame: number): Outcome {
  if (!keyframeAt(track, frame)) return `No ${TRACK_KIND_NAMES[track.kind].toLowerCase()} keyframe at frame ${frame}`;
  apply(runKey, removeKeyframe(track.id, frame));
  return null;
}

export function jumpToKeyframe(paneId: string, track: Track, frame: number, direction: 1 | -1): Outcome {
  const keyframe = direction > 0 ? nextKeyframe(track, frame) : previousKeyframe(track, frame);
  if (!keyframe) return direction > 0 ? 'No later keyframe' : 'No earlier keyframe';
  setFrame(keyframe.frame, paneId);
  return null;
}
