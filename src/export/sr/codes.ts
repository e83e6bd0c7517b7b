/**
 * Coded concepts of the FluoroLens measurement report. Standard codes (DCM, SCT, UCUM, UMLS) where
 * DICOM has one for the meaning; our own coding scheme "99FLUOROLENS" (a private scheme, declared
 * in the Coding Scheme Identification Sequence) for what has no standard code: the kinds of
 * annotation, the procedures, approaches and contrast patterns of the case record, and how pixel
 * spacing was obtained.
 */
import {
  APPROACH_NAMES,
  CONTRAST_PATTERN_NAMES,
  PROCEDURE_NAMES,
  TRACK_KIND_NAMES,
  type Approach,
  type ContrastPattern,
  type ProcedureId,
  type Side,
  type TrackKind,
  type VascularUptake,
} from '../../annotations/model';
import type { SpacingSource } from '../../dicom/types';

export interface Code {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

export const PRIVATE_SCHEME = '99FLUOROLENS';
export const PRIVATE_SCHEME_NAME = 'FluoroLens annotation codes';

const dcm = (value: string, meaning: string): Code => ({ value, scheme: 'DCM', meaning });
const sct = (value: string, meaning: string): Code => ({ value, scheme: 'SCT', meaning });
const fl = (value: string, meaning: string): Code => ({ value, scheme: PRIVATE_SCHEME, meaning });
const ucum = (value: string, meaning: string): Code => ({ value, scheme: 'UCUM', meaning });

export const CODES = {
  // TID 1500 structure
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  languageOfContent: dcm('121049', 'Language of Content Item and Descendants'),
  english: { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' },
  observerType: dcm('121005', 'Observer Type'),
  device: dcm('121007', 'Device'),
  deviceObserverUid: dcm('121012', 'Device Observer UID'),
  deviceObserverName: dcm('121013', 'Device Observer Name'),
  deviceObserverManufacturer: dcm('121014', 'Device Observer Manufacturer'),
  procedureReported: dcm('121058', 'Procedure reported'),
  imagingProcedure: sct('363679005', 'Imaging procedure'),
  imageLibrary: dcm('111028', 'Image Library'),
  imageLibraryGroup: dcm('126200', 'Image Library Group'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  qualitativeEvaluations: { value: 'C0034375', scheme: 'UMLS', meaning: 'Qualitative Evaluations' },
  // TID 1501 / TID 300
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUid: dcm('112040', 'Tracking Unique Identifier'),
  finding: dcm('121071', 'Finding'),
  color: sct('718499004', 'Color'),
  sourceImage: dcm('121324', 'Source Image'),
  distance: dcm('121206', 'Distance'),
  area: sct('42798000', 'Area'),
  equivalentMeaning: dcm('121050', 'Equivalent Meaning of Concept Name'),
  measurementMethod: sct('370129005', 'Measurement Method'),
  comment: dcm('121106', 'Comment'),
  laterality: sct('272741003', 'Laterality'),
  yes: sct('373066001', 'Yes'),
  no: sct('373067005', 'No'),
  // Ours (code values at most 16 characters: SH)
  trackId: fl('trackId', 'FluoroLens track ID'),
  annotationText: fl('annotationText', 'Annotation text'),
  captionFrames: fl('captionFrames', 'Caption shown on frames'),
  needleTipPoint: fl('needleTip', 'Needle tip'),
  needleHubPoint: fl('needleHub', 'Needle hub'),
  targetCentre: fl('targetCentre', 'Target centre'),
  targetRegion: fl('targetRegion', 'Target region'),
  contrastOutline: fl('contrastOutline', 'Contrast spread outline'),
  arrowLine: fl('arrowLine', 'Arrow, from tail to head'),
  captionPosition: fl('captionPosition', 'Caption position'),
  captionKeyframe: fl('captionKeyframe', 'Caption keyframe'),
  vertebralLevel: fl('vertebralLevel', 'Vertebral level'),
  approach: fl('approach', 'Approach'),
  contrastPattern: fl('contrastPattern', 'Contrast spread pattern'),
  placementConfirmed: fl('placementChecked', 'Needle placement confirmed before medication'),
  contrastFirstSeen: fl('contrastFirst', 'Contrast first seen'),
  uncalibrated: fl('imagePixels', 'Measured in image pixels, not calibrated'),
  calibrationObject: fl('calibObject', 'Calibration object'),
  vascularUptake: fl('vascularUptake', 'Vascular uptake'),
  flaggedFrames: fl('flaggedFrames', 'Flagged frames'),
  leadTip: fl('leadTip', 'Stimulator lead tip at vertebral level'),
  leadLabel: fl('leadLabel', 'Lead'),
  injectate: fl('injectate', 'Injectate'),
  injectateVolume: fl('injectVolume', 'Injectate volume'),
  injectateTime: fl('injectTime', 'Injectate time'),
} as const;

/** The finding that says what a track is. */
export function trackKindCode(kind: TrackKind): Code {
  return fl(kind, TRACK_KIND_NAMES[kind]);
}

/** Short code values (SH holds 16 characters) for the case record's choices. */
const PROCEDURE_CODE_VALUES: Readonly<Record<ProcedureId, string>> = {
  transforaminalEsi: 'TFESI',
  interlaminarEsi: 'ILESI',
  caudalEsi: 'CAUDALESI',
  medialBranchBlock: 'MBB',
  facetJointInjection: 'FACETJOINT',
  sacroiliacJointInjection: 'SIJOINT',
  lateralBranchBlock: 'LBB',
  stellateGanglionBlock: 'STELLATE',
  lumbarSympatheticBlock: 'LUMBARSYMP',
  radiofrequencyAblation: 'RFA',
  spinalCordStimulatorLead: 'SCSLEAD',
  drgStimulatorLead: 'DRGLEAD',
};

const CONTRAST_PATTERN_CODE_VALUES: Readonly<Record<ContrastPattern, string>> = {
  epidural: 'epidural',
  perineural: 'perineural',
  intraArticular: 'intraArticular',
  intravascularVenous: 'vascularVenous',
  intravascularArterial: 'vascularArterial',
  intrathecal: 'intrathecal',
  softTissue: 'softTissue',
  other: 'other',
};

export function procedureCode(id: ProcedureId): Code {
  return fl(PROCEDURE_CODE_VALUES[id], PROCEDURE_NAMES[id]);
}

export function approachCode(id: Approach): Code {
  return fl(id, APPROACH_NAMES[id]);
}

export function contrastPatternCode(id: ContrastPattern): Code {
  return fl(CONTRAST_PATTERN_CODE_VALUES[id], CONTRAST_PATTERN_NAMES[id]);
}

/** The case-record value a private code stands for (import). */
export function procedureFromCode(value: string): ProcedureId | null {
  return (Object.keys(PROCEDURE_CODE_VALUES) as ProcedureId[]).find((id) => PROCEDURE_CODE_VALUES[id] === value) ?? null;
}

export function contrastPatternFromCode(value: string): ContrastPattern | null {
  return (Object.keys(CONTRAST_PATTERN_CODE_VALUES) as ContrastPattern[]).find((id) => CONTRAST_PATTERN_CODE_VALUES[id] === value) ?? null;
}

/** SNOMED CT laterality (CID 244), "Median" for the midline. */
export const SIDE_CODES: Readonly<Record<Side, Code>> = {
  left: sct('7771000', 'Left'),
  right: sct('24028007', 'Right'),
  bilateral: sct('51440002', 'Bilateral'),
  midline: sct('260528009', 'Median'),
};

/** How millimetres were obtained from pixels: which spacing attribute the run's calibration came from. */
export const SPACING_METHOD_CODES: Readonly<Record<SpacingSource, Code>> = {
  'Pixel Spacing': fl('pixelSpacing', 'Pixel Spacing (0028,0030)'),
  'Imager Pixel Spacing': fl('imagerSpacing', 'Imager Pixel Spacing (0018,1164), at the detector'),
  'Imager Pixel Spacing corrected by ERMF': fl('imagerSpacingMag', 'Imager Pixel Spacing (0018,1164) / ERMF (0018,1114)'),
  'User calibration': fl('userCalibration', 'Calibrated by the user on an object of known length'),
};

/** Vascular uptake flags (arterial, venous, uncertain) of a frame range. */
export const VASCULAR_UPTAKE_CODES: Readonly<Record<VascularUptake, Code>> = {
  arterial: fl('vascArterial', 'Arterial'),
  venous: fl('vascVenous', 'Venous'),
  uncertain: fl('vascUncertain', 'Uncertain'),
};

export function vascularUptakeFromCode(value: Code): VascularUptake | null {
  return (Object.keys(VASCULAR_UPTAKE_CODES) as VascularUptake[]).find((u) => sameCode(value, VASCULAR_UPTAKE_CODES[u])) ?? null;
}

/**
 * Units. UCUM has no pixel; an uncalibrated value is a plain number of pixels, so it is coded as
 * UCUM's dimensionless unity with an annotation ({pixel}, {pixel^2}), which keeps distance and
 * area apart (dcmjs's "1" for both does not) while every UCUM reader still parses the unit.
 */
export const UNITS = {
  mm: ucum('mm', 'millimeter'),
  mm2: ucum('mm2', 'square millimeter'),
  pixel: ucum('{pixel}', 'pixel'),
  pixel2: ucum('{pixel^2}', 'square pixel'),
  ml: ucum('mL', 'milliliter'),
} as const;

export function sameCode(a: { value: string; scheme: string } | null | undefined, b: Code): boolean {
  return !!a && a.value === b.value && a.scheme === b.scheme;
}
