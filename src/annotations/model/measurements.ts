/**
 * Series derived from the document, one value per frame (index = frame − 1), for charts, overlays
 * and reports. Pixel values are always given; millimetre values only when the run is calibrated
 * (spacing.preferred non-null), and every result says which unit its `values` are in and which
 * spacing it used, so calibrated and uncalibrated numbers are never mixed silently.
 * Spacing may be anisotropic: x distances scale by columnMm, y distances by rowMm.
 */
import type { Spacing, SpacingInfo, SpacingSource } from '../../dicom/types';
import { polygonArea, type Point } from './geometry';
import { geometryAt } from './interpolation';
import { firstTrackOfKind } from './tracks';
import type { AnnotationDocument, ContrastSpreadTrack } from './types';

export type DistanceUnit = 'mm' | 'px';
export type AreaUnit = 'mm²' | 'px²';
type Series = (number | null)[];

export function distanceMm(a: Point, b: Point, spacing: Spacing): number {
  return Math.hypot((b.x - a.x) * spacing.columnMm, (b.y - a.y) * spacing.rowMm);
}

export function areaMm2(areaPx2: number, spacing: Spacing): number {
  return areaPx2 * spacing.columnMm * spacing.rowMm;
}

function frames(doc: AnnotationDocument): number[] {
  return Array.from({ length: doc.runRef.frameCount }, (_, i) => i + 1);
}

function scaled(values: Series, factor: (v: number) => number): Series {
  return values.map((v) => (v === null ? null : factor(v)));
}

export interface TipToTargetSeries {
  /** The first needle tip and first target track in document order, or null when there is none. */
  readonly needleTipTrackId: string | null;
  readonly targetTrackId: string | null;
  /** Tip to target centre; null on frames where either shows nothing. */
  readonly px: Series;
  /** Present only when the run is calibrated. */
  readonly mm: Series | null;
  /** `mm` when calibrated, else `px`: what a chart plots, in `unit`. */
  readonly values: Series;
  readonly unit: DistanceUnit;
  readonly spacingSource: SpacingSource | null;
  /** The calibration's name when it says more than the source ("by user (25 mm marker ball)"). */
  readonly spacingName: string | null;
}

export function tipToTargetSeries(doc: AnnotationDocument, spacing: SpacingInfo): TipToTargetSeries {
  const needle = firstTrackOfKind(doc, 'needleTip');
  const target = firstTrackOfKind(doc, 'target');
  const pairs = frames(doc).map((frame) => {
    const tip = needle && geometryAt(needle, frame);
    const centre = target && geometryAt(target, frame);
    return tip && centre ? ([tip.geometry.tip, centre.geometry.center] as const) : null;
  });
  const px = pairs.map((p) => (p ? Math.hypot(p[1].x - p[0].x, p[1].y - p[0].y) : null));
  const calibration = spacing.preferred;
  const mm = calibration ? pairs.map((p) => (p ? distanceMm(p[0], p[1], calibration) : null)) : null;
  return {
    needleTipTrackId: needle?.id ?? null,
    targetTrackId: target?.id ?? null,
    px,
    mm,
    values: mm ?? px,
    unit: mm ? 'mm' : 'px',
    spacingSource: calibration?.source ?? null,
    spacingName: calibration?.name ?? null,
  };
}

export interface ContrastAreaSeries {
  /** The contrast spread tracks summed (overlapping contours are counted twice). */
  readonly trackIds: readonly string[];
  /** Null on frames where none of them shows a contour. */
  readonly px2: Series;
  readonly mm2: Series | null;
  readonly values: Series;
  readonly unit: AreaUnit;
  readonly spacingSource: SpacingSource | null;
  readonly spacingName: string | null;
}

/** Contrast area per frame: of one track when `trackId` is given, else the sum over all contrast tracks. */
export function contrastAreaSeries(doc: AnnotationDocument, spacing: SpacingInfo, options: { trackId?: string } = {}): ContrastAreaSeries {
  const tracks = contrastTracks(doc).filter((t) => options.trackId === undefined || t.id === options.trackId);
  const px2 = frames(doc).map((frame) => summedArea(tracks, frame));
  const calibration = spacing.preferred;
  const mm2 = calibration ? scaled(px2, (v) => areaMm2(v, calibration)) : null;
  return {
    trackIds: tracks.map((t) => t.id),
    px2,
    mm2,
    values: mm2 ?? px2,
    unit: mm2 ? 'mm²' : 'px²',
    spacingSource: calibration?.source ?? null,
    spacingName: calibration?.name ?? null,
  };
}

function contrastTracks(doc: AnnotationDocument): ContrastSpreadTrack[] {
  return doc.tracks.filter((t): t is ContrastSpreadTrack => t.kind === 'contrastSpread');
}

function summedArea(tracks: readonly ContrastSpreadTrack[], frame: number): number | null {
  let total: number | null = null;
  for (const track of tracks) {
    const shown = geometryAt(track, frame);
    if (shown) total = (total ?? 0) + polygonArea(shown.geometry.contour);
  }
  return total;
}

export interface ContrastOnset {
  /** 1-based frame, or null when neither the case record nor any contour says. */
  readonly frame: number | null;
  /** Where it came from: the physician's "contrast first seen" entry wins over the contours. */
  readonly source: 'caseRecord' | 'contrastSpread' | null;
}

export function contrastOnset(doc: AnnotationDocument): ContrastOnset {
  const recorded = doc.caseRecord.contrastFirstSeenFrame;
  if (recorded !== null) return { frame: recorded, source: 'caseRecord' };
  const tracks = contrastTracks(doc);
  const first = frames(doc).find((frame) => (summedArea(tracks, frame) ?? 0) > 0);
  return first === undefined ? { frame: null, source: null } : { frame: first, source: 'contrastSpread' };
}

export interface TimeSinceOnsetSeries {
  readonly onset: ContrastOnset;
  /**
   * Seconds from the onset frame's start to each frame's start: negative before onset, 0 at it;
   * all null without an onset, and null on frames frameStartMs does not cover.
   */
  readonly seconds: Series;
}

export function timeSinceOnsetSeries(doc: AnnotationDocument, frameStartMs: readonly number[]): TimeSinceOnsetSeries {
  const onset = contrastOnset(doc);
  const onsetMs = onset.frame === null ? undefined : frameStartMs[onset.frame - 1];
  const seconds = frames(doc).map((frame) => {
    const startMs = frameStartMs[frame - 1];
    return onsetMs === undefined || startMs === undefined ? null : (startMs - onsetMs) / 1000;
  });
  return { onset, seconds };
}

export interface RunMeasurements {
  readonly tipToTarget: TipToTargetSeries;
  readonly contrastArea: ContrastAreaSeries;
  readonly timeSinceOnset: TimeSinceOnsetSeries;
}

/** Everything charts and reports show, from the document, the run's spacing and its frame start times. */
export function measureRun(doc: AnnotationDocument, spacing: SpacingInfo, frameStartMs: readonly number[]): RunMeasurements {
  return {
    tipToTarget: tipToTargetSeries(doc, spacing),
    contrastArea: contrastAreaSeries(doc, spacing),
    timeSinceOnset: timeSinceOnsetSeries(doc, frameStartMs),
  };
}
