/**
 * Calibration: which millimetres-per-pixel a run's measurements rest on, and the words that say so.
 *
 * Precedence, first that exists:
 * 1. a user calibration: a line drawn over an object of known length ("by user (25 mm marker
 *    ball)"). The user measured in the plane of interest, so it beats anything the header
 *    guessed; it is saved with the annotations.
 * 2. Pixel Spacing (0028,0030): calibrated at the patient by the modality, with its Pixel Spacing
 *    Calibration Type (0028,0A02: GEOMETRY or FIDUCIAL) and Description when given.
 * 3. Imager Pixel Spacing ÷ Estimated Radiographic Magnification Factor: at the isocentre.
 * 4. Imager Pixel Spacing alone: at the detector, so objects at the patient measure too large by
 *    the magnification (typically 10–30 %), and the wording says so.
 * Every millimetre shown carries `name`, e.g. "12.4 mm (calibrated by user (25 mm marker ball))".
 */
import { pixelShape } from '../../dicom/pixelShape';
import type { SpacingInfo, SpacingSource } from '../../dicom/types';
import { isFinitePoint, type Point } from './geometry';
import type { JsonObject } from './json';

/** What the user drew and typed; persisted in the annotation file. */
export interface UserCalibration {
  /** What was measured, e.g. "25 mm marker ball", "needle hub 18G". */
  readonly objectName: string;
  /** Its known length in millimetres (> 0). */
  readonly lengthMm: number;
  /** 1-based frame the line was drawn on. */
  readonly frame: number;
  /** The line over the object, in image coordinates (geometry.ts). */
  readonly line: { readonly from: Point; readonly to: Point };
  readonly extra?: JsonObject;
}

export type CalibrationSource = 'user' | SpacingSource;

export interface Calibration {
  /** Millimetres between row centres (vertical) and column centres (horizontal). */
  readonly rowMm: number;
  readonly columnMm: number;
  readonly source: CalibrationSource;
  /** What every mm shown names, e.g. "calibrated by user (25 mm marker ball)". */
  readonly name: string;
  /** A longer sentence for a tooltip or report: where the numbers come from and what they ignore. */
  readonly detail: string;
}

/** Why a proposed user calibration cannot be used, or null when it can. */
export function userCalibrationProblem(calibration: unknown, frameCount?: number): string | null {
  if (typeof calibration !== 'object' || calibration === null) return 'calibration is not an object';
  const c = calibration as Partial<Record<keyof UserCalibration, unknown>>;
  if (typeof c.objectName !== 'string' || c.objectName.trim() === '') return 'calibration needs the name of the object measured';
  if (typeof c.lengthMm !== 'number' || !Number.isFinite(c.lengthMm) || c.lengthMm <= 0)
    return `calibration length ${JSON.stringify(c.lengthMm)} is not a positive number of millimetres`;
  if (typeof c.frame !== 'number' || !Number.isInteger(c.frame) || c.frame < 1 || (frameCount !== undefined && c.frame > frameCount)) {
    return `calibration frame ${JSON.stringify(c.frame)} is outside the run${frameCount === undefined ? '' : ` (frames 1–${frameCount})`}`;
  }
  const line = c.line as { from?: unknown; to?: unknown } | undefined;
  if (!line || !isFinitePoint(line.from) || !isFinitePoint(line.to)) return 'calibration line needs two points';
  if (Math.hypot(line.to.x - line.from.x, line.to.y - line.from.y) < 2) return 'calibration line is shorter than 2 pixels';
  return null;
}

/**
 * The spacing a run's measurements use, or null when nothing calibrates it. A user calibration
 * keeps the pixel aspect ratio the header gives (square pixels when it gives none) and scales it
 * so the drawn line measures the typed length.
 */
export function resolveCalibration(spacing: SpacingInfo, user: UserCalibration | null | undefined): Calibration | null {
  if (user) return userCalibrationOf(spacing, user);
  const preferred = spacing.preferred;
  if (!preferred) return null;
  const { rowMm, columnMm } = preferred;
  switch (preferred.source) {
    case 'Pixel Spacing':
      return { rowMm, columnMm, source: preferred.source, ...pixelSpacingWords(spacing) };
    case 'Imager Pixel Spacing corrected by ERMF': {
      const ermf = spacing.estimatedRadiographicMagnificationFactor;
      return {
        rowMm,
        columnMm,
        source: preferred.source,
        name: `at the isocentre: Imager Pixel Spacing ÷ ERMF ${ermf === undefined ? '' : round(ermf, 4)}`.trim(),
        detail:
          'Imager Pixel Spacing divided by the Estimated Radiographic Magnification Factor: true at the isocentre, ' +
          'too small or too large for anatomy nearer the source or the detector.',
      };
    }
    case 'User calibration':
      return { rowMm, columnMm, source: preferred.source, name: preferred.name ?? 'by user', detail: 'Calibrated by the user.' };
    case 'Imager Pixel Spacing':
      return {
        rowMm,
        columnMm,
        source: preferred.source,
        name: 'at the detector: Imager Pixel Spacing, not corrected for magnification',
        detail:
          'Imager Pixel Spacing is measured at the detector; anatomy is magnified on its way there, so lengths at the patient ' +
          'read too large (often by 10–30 %). Calibrate on an object of known size to correct it.',
      };
  }
}

/**
 * The run's SpacingInfo with the calibration measurements use in `preferred`, named for what every
 * mm shown says: the user's ("by user (25 mm marker ball)", source 'User calibration'), else the
 * header's, Pixel Spacing naming its Calibration Type (0028,0A02) when the file gives one.
 */
export function calibratedSpacing(spacing: SpacingInfo, user: UserCalibration | null | undefined): SpacingInfo {
  if (user && userCalibrationProblem(user) === null) {
    const c = userCalibrationOf(spacing, user);
    return {
      ...spacing,
      preferred: { rowMm: c.rowMm, columnMm: c.columnMm, source: 'User calibration', name: `by user (${user.objectName.trim()})` },
    };
  }
  const preferred = spacing.preferred;
  if (preferred?.source === 'Pixel Spacing' && spacing.pixelSpacingCalibration?.type)
    return { ...spacing, preferred: { ...preferred, name: pixelSpacingWords(spacing).name } };
  return spacing;
}

function pixelSpacingWords(spacing: SpacingInfo): Pick<Calibration, 'name' | 'detail'> {
  const type = spacing.pixelSpacingCalibration?.type;
  const description = spacing.pixelSpacingCalibration?.description;
  const how = type === 'GEOMETRY' ? 'by geometry' : type === 'FIDUCIAL' ? 'on a fiducial' : type ? `type ${type}` : '';
  const parts = [how, description].filter(Boolean).join(': ');
  return {
    name: parts ? `Pixel Spacing (calibrated ${parts})` : 'Pixel Spacing',
    detail:
      'Pixel Spacing (0028,0030): the modality calibrated the image at the patient' +
      (type ? ` (Pixel Spacing Calibration Type ${type}${description ? `, "${description}"` : ''})` : '') +
      '.',
  };
}

function userCalibrationOf(spacing: SpacingInfo, user: UserCalibration): Calibration {
  // Aspect: the pixels' width ÷ height as the header gives them (spacing, else Pixel Aspect Ratio).
  const shape = pixelShape(spacing);
  const aspect = shape.column / shape.row;
  const dx = user.line.to.x - user.line.from.x;
  const dy = user.line.to.y - user.line.from.y;
  // lengthMm = hypot(dx · aspect · rowMm, dy · rowMm)
  const rowMm = user.lengthMm / Math.hypot(dx * aspect, dy);
  const columnMm = rowMm * aspect;
  return {
    rowMm,
    columnMm,
    source: 'user',
    name: `calibrated by user (${user.objectName.trim()})`,
    detail:
      `Calibrated by the user on frame ${user.frame}: a ${round(Math.hypot(dx, dy), 1)} px line over "${user.objectName.trim()}" ` +
      `is ${round(user.lengthMm, 2)} mm. True in the plane of that object.` +
      (spacing.preferred ? ` It replaces the header's ${spacing.preferred.source}.` : ''),
  };
}

/** "12.4 mm (calibrated by user (25 mm marker ball))"; pixels when uncalibrated. */
export function formatLength(lengthPx: number, mm: number | null, calibration: Calibration | null, digits = 1): string {
  if (mm === null || !calibration) return `${round(lengthPx, digits)} px (not calibrated)`;
  return `${round(mm, digits)} mm (${calibration.name})`;
}

/** "3.2 mm² (…)", the same for areas. */
export function formatArea(areaPx2: number, mm2: number | null, calibration: Calibration | null, digits = 1): string {
  if (mm2 === null || !calibration) return `${round(areaPx2, digits)} px² (not calibrated)`;
  return `${round(mm2, digits)} mm² (${calibration.name})`;
}

/** Length in mm of a segment under a calibration (x by column spacing, y by row spacing). */
export function lengthMm(a: Point, b: Point, calibration: Pick<Calibration, 'rowMm' | 'columnMm'>): number {
  return Math.hypot((b.x - a.x) * calibration.columnMm, (b.y - a.y) * calibration.rowMm);
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
