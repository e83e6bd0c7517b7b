/**
 * The read-only `derived` block of an exported file: per-frame needle tip and target positions
 * (interpolated or held where the user set no keyframe) and the measurement series, so a reader
 * without FluoroLens (a spreadsheet, a script, a registry) gets the numbers without reimplementing
 * interpolation. It is regenerated from the tracks on every save and ignored on import: the
 * tracks are the truth, and a hand-edited derived block must never change them.
 */
import type { SpacingInfo } from '../../dicom/types';
import { firstTrackOfKind, geometryAt, measureRun, type AnnotationDocument, type JsonObject, type JsonValue } from '../model';

export const DERIVED_NOTE = 'Regenerated from the tracks on every save; ignored on import. Edit the tracks, not this block.';

/** What the derived block needs besides the document: the run's calibration and frame times. */
export interface DerivedInputs {
  readonly spacing: SpacingInfo;
  /** Start of each frame in ms from the first (index = frame − 1). */
  readonly frameStartMs: readonly number[];
}

const round = (value: number, places = 4): number => Number(value.toFixed(places));
const roundSeries = (values: readonly (number | null)[]): JsonValue[] => values.map((v) => (v === null ? null : round(v)));

export function derivedToJson(doc: AnnotationDocument, inputs: DerivedInputs): JsonObject {
  const frames = Array.from({ length: doc.runRef.frameCount }, (_, i) => i + 1);
  const needle = firstTrackOfKind(doc, 'needleTip');
  const target = firstTrackOfKind(doc, 'target');
  const m = measureRun(doc, inputs.spacing, inputs.frameStartMs);
  const needlePositions: JsonValue[] = [];
  const targetPositions: JsonValue[] = [];
  for (const frame of frames) {
    const tip = needle && geometryAt(needle, frame);
    if (tip) needlePositions.push({ frame, x: round(tip.geometry.tip.x), y: round(tip.geometry.tip.y), source: tip.source });
    const centre = target && geometryAt(target, frame);
    if (centre) {
      const { center, radiusPx } = centre.geometry;
      targetPositions.push({ frame, x: round(center.x), y: round(center.y), radiusPx: round(radiusPx), source: centre.source });
    }
  }
  return {
    note: DERIVED_NOTE,
    coordinates: 'image pixels; the centre of the pixel at column c, row r (0-based) is (c + 0.5, r + 0.5)',
    frameCount: doc.runRef.frameCount,
    needleTip: { trackId: needle?.id ?? null, positions: needlePositions },
    target: { trackId: target?.id ?? null, positions: targetPositions },
    tipToTarget: {
      unit: m.tipToTarget.unit,
      spacingSource: m.tipToTarget.spacingSource,
      calibration: m.tipToTarget.spacingName ?? m.tipToTarget.spacingSource,
      px: roundSeries(m.tipToTarget.px),
      mm: m.tipToTarget.mm ? roundSeries(m.tipToTarget.mm) : null,
    },
    contrastArea: {
      unit: m.contrastArea.unit,
      spacingSource: m.contrastArea.spacingSource,
      calibration: m.contrastArea.spacingName ?? m.contrastArea.spacingSource,
      trackIds: [...m.contrastArea.trackIds],
      px2: roundSeries(m.contrastArea.px2),
      mm2: m.contrastArea.mm2 ? roundSeries(m.contrastArea.mm2) : null,
    },
    timeSinceOnset: {
      onsetFrame: m.timeSinceOnset.onset.frame,
      onsetSource: m.timeSinceOnset.onset.source,
      seconds: roundSeries(m.timeSinceOnset.seconds),
    },
  };
}
