/**
 * Naming a run's view from its positioner angles (XA Positioner, PS3.3 C.8.7.5):
 * - Positioner Primary Angle: about the patient's long axis, from RAO (−) through 0 to LAO (+);
 *   0 puts the detector straight over the patient's front. ±90 is a lateral, ±180 the opposite
 *   frontal.
 * - Positioner Secondary Angle: cranial (+) or caudal (−) tilt.
 *
 * The field calls the frontal view "AP" whatever the beam direction, so |primary| ≤ 15° is "AP"
 * and |primary| ≥ 165° "PA". An oblique's side is the side the detector has turned toward (LAO:
 * the patient's left); relative to the case record's side it is ipsilateral or contralateral.
 * Interventional spine C-arms record the angles this way for the prone patient too (the sample
 * runs do: a left L5 TFESI's ipsilateral oblique is LAO 25°).
 *
 * Thresholds (degrees), in VIEW_THRESHOLDS:
 *   AP          |primary| ≤ 15             PA        |primary| ≥ 165
 *   lateral     75 ≤ |primary| ≤ 105       oblique   anything between (posterior obliques too)
 *   tilt named  |secondary| ≥ 10           CLO       contralateral oblique of 35–65° (~50°)
 */

/** The case record's side (same words as annotations/model/caseRecord.ts). */
export type ProcedureSide = 'left' | 'right' | 'bilateral' | 'midline' | null;

export const VIEW_THRESHOLDS = {
  frontalMaxDeg: 15,
  lateralMinDeg: 75,
  lateralMaxDeg: 105,
  posteriorFrontalMinDeg: 165,
  tiltMinDeg: 10,
  cloMinDeg: 35,
  cloMaxDeg: 65,
} as const;

export type ViewFamily = 'frontal' | 'lateral' | 'oblique' | 'unknown';

export interface NamedView {
  readonly family: ViewFamily;
  /** What the UI shows, e.g. "AP, caudal tilt 15°", "LAO 25° ipsilateral oblique, caudal tilt 10°", "RAO 50° CLO". */
  readonly name: string;
  /** The word a checklist uses: "AP", "PA", "lateral", "ipsilateral oblique", "contralateral oblique", "CLO", "oblique". */
  readonly short: string;
  /** For obliques and laterals: the side the detector is on or has turned toward. */
  readonly detectorSide: 'left' | 'right' | null;
  /** For obliques: relative to the procedure's side; null when the side does not say (midline, none). */
  readonly relation: 'ipsilateral' | 'contralateral' | 'either' | null;
  /** For obliques: degrees away from the nearer frontal view. */
  readonly obliquityDeg: number | null;
  readonly tilt: { readonly direction: 'cranial' | 'caudal'; readonly degrees: number } | null;
  /** Contralateral oblique of about 50°: the view that shows epidural depth. */
  readonly clo: boolean;
  /** Why the family is unknown, when it is. */
  readonly reason?: string;
}

/** The view for a run's angles (null: the file has none) and the case's side. */
export function nameView(positioner: { primaryAngleDeg: number; secondaryAngleDeg: number } | null, side: ProcedureSide): NamedView {
  if (!positioner || !Number.isFinite(positioner.primaryAngleDeg) || !Number.isFinite(positioner.secondaryAngleDeg)) {
    return {
      family: 'unknown',
      name: 'view unknown (no positioner angles)',
      short: 'unknown',
      detectorSide: null,
      relation: null,
      obliquityDeg: null,
      tilt: null,
      clo: false,
      reason: 'the file has no Positioner Primary/Secondary Angle',
    };
  }
  const primary = normalizeDegrees(positioner.primaryAngleDeg);
  const absolute = Math.abs(primary);
  const tilt = tiltOf(positioner.secondaryAngleDeg);
  const tiltText = tilt ? `, ${tilt.direction} tilt ${round(tilt.degrees)}°` : '';
  const t = VIEW_THRESHOLDS;
  const detectorSide = primary > 0 ? 'left' : primary < 0 ? 'right' : null;
  if (absolute <= t.frontalMaxDeg || absolute >= t.posteriorFrontalMinDeg) {
    const short = absolute <= t.frontalMaxDeg ? 'AP' : 'PA';
    return {
      family: 'frontal',
      name: `${short}${tiltText}`,
      short,
      detectorSide: null,
      relation: null,
      obliquityDeg: null,
      tilt,
      clo: false,
    };
  }
  if (absolute >= t.lateralMinDeg && absolute <= t.lateralMaxDeg) {
    return {
      family: 'lateral',
      name: `${detectorSide} lateral${tiltText}`,
      short: 'lateral',
      detectorSide,
      relation: null,
      obliquityDeg: null,
      tilt,
      clo: false,
    };
  }
  const obliquityDeg = absolute < 90 ? absolute : 180 - absolute;
  const relation = relationOf(detectorSide, side);
  const clo = (relation === 'contralateral' || relation === 'either') && obliquityDeg >= t.cloMinDeg && obliquityDeg <= t.cloMaxDeg;
  const short =
    relation === 'contralateral' && clo
      ? 'CLO'
      : relation === 'ipsilateral' || relation === 'contralateral'
        ? `${relation} oblique`
        : 'oblique';
  const angle = `${primary > 0 ? 'LAO' : 'RAO'} ${round(absolute)}°`;
  const posterior = absolute > 90 ? ' (posterior oblique)' : '';
  return { family: 'oblique', name: `${angle} ${short}${posterior}${tiltText}`, short, detectorSide, relation, obliquityDeg, tilt, clo };
}

/** Two runs are in different views when these differ ("oblique:left" and "oblique:right" differ). */
export function viewKey(view: NamedView): string {
  if (view.family === 'oblique') return `oblique:${view.detectorSide}`;
  return view.family;
}

function relationOf(detectorSide: 'left' | 'right' | null, side: ProcedureSide): NamedView['relation'] {
  if (side === 'bilateral') return 'either';
  if (side !== 'left' && side !== 'right') return null;
  return detectorSide === side ? 'ipsilateral' : 'contralateral';
}

function tiltOf(secondary: number): NamedView['tilt'] {
  const degrees = Math.abs(secondary);
  if (degrees < VIEW_THRESHOLDS.tiltMinDeg) return null;
  return { direction: secondary > 0 ? 'cranial' : 'caudal', degrees };
}

/** Angles to (−180, 180]. */
function normalizeDegrees(value: number): number {
  const wrapped = ((((value + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 ? 180 : wrapped;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
