/**
 * What the document shows on one frame, track by track: the geometry (exact, interpolated or
 * held) plus what drawing needs. Pure, so it is cheap to call on every frame and document change.
 */
import { TRACK_KIND_NAMES, geometryAt, type AnnotationDocument, type Geometry, type GeometrySource, type TrackKind } from '../model';

export interface ShownTrack {
  readonly trackId: string;
  readonly kind: TrackKind;
  readonly label: string;
  readonly color: string;
  /** Arrow and caption text. */
  readonly text: string;
  readonly geometry: Geometry;
  readonly source: GeometrySource;
  /** Position among the shown tracks of its kind (captions without a position stack by it). */
  readonly indexOfKind: number;
}

export function projectFrame(doc: AnnotationDocument, frame: number): ShownTrack[] {
  const shown: ShownTrack[] = [];
  const perKind = new Map<TrackKind, number>();
  for (const track of doc.tracks) {
    const at = geometryAt(track, frame);
    if (!at) continue;
    const indexOfKind = perKind.get(track.kind) ?? 0;
    perKind.set(track.kind, indexOfKind + 1);
    shown.push({
      trackId: track.id,
      kind: track.kind,
      label: track.label || TRACK_KIND_NAMES[track.kind],
      color: track.color,
      text: track.kind === 'arrow' || track.kind === 'caption' ? track.text : '',
      geometry: at.geometry,
      source: at.source,
      indexOfKind,
    });
  }
  return shown;
}
