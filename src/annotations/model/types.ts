/**
 * The annotation document for one run: tracks of keyframed geometry plus the case record.
 * Everything is immutable: commands return new objects and never change the ones they were given,
 * so a document reference is a snapshot (undo keeps snapshots; React compares references).
 * Frames are 1-based everywhere, as in DICOM and the persisted format.
 * Points follow the convention in geometry.ts.
 */
import type { UserCalibration } from './calibration';
import type { CaseRecord } from './caseRecord';
import type { Point } from './geometry';
import type { JsonObject } from './json';
import type { LeadTip, VascularFlag } from './runMarks';

export const TRACK_KINDS = ['needleTip', 'target', 'contrastSpread', 'arrow', 'caption'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

/** Display names; the first three match the tool buttons in DESIGN.md. */
export const TRACK_KIND_NAMES: Readonly<Record<TrackKind, string>> = {
  needleTip: 'Needle tip',
  target: 'Target',
  contrastSpread: 'Contrast spread',
  arrow: 'Arrow',
  caption: 'Caption',
};

export const DEFAULT_TRACK_COLORS: Readonly<Record<TrackKind, string>> = {
  needleTip: '#ffd400',
  target: '#00e676',
  contrastSpread: '#40c4ff',
  arrow: '#ff9100',
  caption: '#ffffff',
};

export function isTrackKind(value: unknown): value is TrackKind {
  return typeof value === 'string' && (TRACK_KINDS as readonly string[]).includes(value);
}

/** The tip, and optionally the hub so the shaft can be drawn. */
export interface NeedleTipGeometry {
  readonly tip: Point;
  readonly hub?: Point;
}
export interface TargetGeometry {
  readonly center: Point;
  readonly radiusPx: number;
}
/** A closed polygon (the last vertex joins the first); at least 3 vertices. */
export interface ContrastSpreadGeometry {
  readonly contour: readonly Point[];
}
export interface ArrowGeometry {
  readonly from: Point;
  readonly to: Point;
}
/** Where the caption sits; without it the UI puts the caption in its default place. */
export interface CaptionGeometry {
  readonly position?: Point;
}

export interface GeometryByKind {
  needleTip: NeedleTipGeometry;
  target: TargetGeometry;
  contrastSpread: ContrastSpreadGeometry;
  arrow: ArrowGeometry;
  caption: CaptionGeometry;
}
export type Geometry = GeometryByKind[TrackKind];

export interface Keyframe<G extends Geometry = Geometry> {
  /** 1-based frame number. */
  readonly frame: number;
  readonly geometry: G;
  readonly extra?: JsonObject;
}

/** Inclusive, 1-based frame range. */
export interface FrameRange {
  readonly from: number;
  readonly to: number;
}

interface TrackBase<K extends TrackKind> {
  readonly id: string;
  readonly kind: K;
  readonly label: string;
  /** CSS colour, e.g. "#ffd400". */
  readonly color: string;
  /** Sorted by frame, at most one per frame. */
  readonly keyframes: readonly Keyframe<GeometryByKind[K]>[];
  readonly extra?: JsonObject;
}

export type NeedleTipTrack = TrackBase<'needleTip'>;
export type TargetTrack = TrackBase<'target'>;
export type ContrastSpreadTrack = TrackBase<'contrastSpread'>;
export interface ArrowTrack extends TrackBase<'arrow'> {
  readonly text: string;
}
export interface CaptionTrack extends TrackBase<'caption'> {
  readonly text: string;
  /** Frames on which the caption shows. */
  readonly range: FrameRange;
}

export type Track = NeedleTipTrack | TargetTrack | ContrastSpreadTrack | ArrowTrack | CaptionTrack;
export type TrackOfKind<K extends TrackKind> = Extract<Track, { kind: K }>;
export type GeometryOf<T extends Track> = T['keyframes'][number]['geometry'];

/** Which run the annotations belong to. */
export interface RunRef {
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  /** One per source instance, in frame order (a multi-frame run has one). */
  readonly sopInstanceUIDs: readonly string[];
  readonly frameCount: number;
  readonly extra?: JsonObject;
}

export interface AnnotationDocument {
  readonly runRef: RunRef;
  readonly tracks: readonly Track[];
  readonly caseRecord: CaseRecord;
  /** The user's calibration of this run (a line over an object of known length), or null. */
  readonly calibration: UserCalibration | null;
  /** Frame ranges flagged as vascular uptake, in the order made. */
  readonly vascularFlags: readonly VascularFlag[];
  /** Stimulator lead tips labelled at a vertebral level. */
  readonly leadTips: readonly LeadTip[];
  /** Envelope fields from a newer file this build does not know, kept for the round trip. */
  readonly extra?: JsonObject;
}
