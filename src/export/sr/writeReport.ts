/**
 * The annotation document as a DICOM Comprehensive SR, Measurement Report (TID 1500).
 *
 *   CONTAINER Imaging Measurement Report                                   [TID 1500]
 *     language, device observer (FluoroLens), Procedure reported
 *     CONTAINER Image Library > Image Library Group > IMAGE per referenced instance
 *     CONTAINER Imaging Measurements
 *       CONTAINER Measurement Group, one per track                         [TID 1501]
 *         Tracking Identifier (the track's label), Tracking Unique Identifier (one per track,
 *         shared by all its keyframes, stable across saves), Finding (the kind of track),
 *         Color, FluoroLens track ID; arrow and caption text; caption frames
 *         per keyframe, each SCOORD SELECTED FROM the image with its Referenced Frame Number:
 *           needle tip: POINT tip (and POINT hub); where a target shows on that frame, the tip
 *             hangs under NUM Distance (tip to target centre, TID 300)
 *           target: POINT centre and CIRCLE (centre, a point on the rim)
 *           contrast spread: NUM Area (TID 300) INFERRED FROM a closed POLYLINE
 *           arrow: POLYLINE tail → head; caption: POINT position (or IMAGE when it has none)
 *     CONTAINER Qualitative Evaluations: the case record as CODE and TEXT items
 *
 * Numbers are in mm / mm² when the run is calibrated, with Measurement Method naming the spacing
 * attribute used, else in pixels ({pixel}, {pixel^2}; see codes.ts).
 *
 * dcmjs does the encoding (DicomMetaDictionary, DicomDict) and builds the content items
 * (sr.valueTypes, sr.coding). The TID 1500/1501/300 structure is written here because neither
 * dcmjs nor @cornerstonejs/adapters can express it: dcmjs's sr.templates constructors reject their
 * own TrackingIdentifier (MeasurementAndQualitativeEvaluationGroup filters for CodedConcept items,
 * Measurement's type check is inverted) and log every measurement to the console; its
 * utilities.TID1500/TID300 make one measurement group per measurement, each with a fresh random
 * Tracking UID, and write POINT as a NUM "Center" of 0 with no unit; @cornerstonejs/adapters
 * converts Cornerstone's per-image annotation state in world coordinates and needs
 * @cornerstonejs/core, which this pure layer may not import.
 */
import dcmjs from 'dcmjs';
import {
  TRACK_KIND_NAMES,
  calibratedSpacing,
  distance,
  firstTrackOfKind,
  geometryAt,
  polygonArea,
  type AnnotationDocument,
  type CaseRecord,
  type Keyframe,
  type Point,
  type Track,
} from '../../annotations/model';
import { areaMm2, distanceMm } from '../../annotations/model/measurements';
import type { RunInfo } from '../../dicom/types';
import {
  CODES,
  PRIVATE_SCHEME,
  PRIVATE_SCHEME_NAME,
  SIDE_CODES,
  SPACING_METHOD_CODES,
  UNITS,
  VASCULAR_UPTAKE_CODES,
  approachCode,
  contrastPatternCode,
  procedureCode,
  trackKindCode,
  type Code,
} from './codes';
import { newUid, stableUid } from './uids';

const { DicomMetaDictionary, DicomDict } = dcmjs.data;
const { CodedConcept } = dcmjs.sr.coding;
const { CodeContentItem, TextContentItem, UIDRefContentItem, NumContentItem, ScoordContentItem, ContainerContentItem } =
  dcmjs.sr.valueTypes;
const { SourceImageForRegion } = dcmjs.sr.contentItems;

export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** FluoroLens as a DICOM implementation and as the device observer (fixed, generated once under 2.25). */
export const IMPLEMENTATION_CLASS_UID = '2.25.215054681129223529082232958304343745603';
export const DEVICE_OBSERVER_UID = '2.25.173353834570088384426021938365495328635';
export const REPORT_SERIES_DESCRIPTION = 'FluoroLens annotations';

export interface MeasurementReportInput {
  document: AnnotationDocument;
  /** The run the document annotates: patient, study, the referenced instances, calibration. */
  run: RunInfo;
  appVersion: string;
  /** Defaults to now. */
  contentDateTime?: Date;
  /** Defaults to a new UID. */
  sopInstanceUID?: string;
  /** Defaults to one series per run (derived from the run), so every save of a run lands in the same SR series. */
  seriesInstanceUID?: string;
  seriesNumber?: number;
  instanceNumber?: number;
}

export interface WrittenReport {
  bytes: Uint8Array;
  sopInstanceUID: string;
  seriesInstanceUID: string;
  studyInstanceUID: string;
}

/** A content item as dcmjs's naturalized model holds it. */
type Item = Record<string, unknown>;

const concept = (code: Code) => new CodedConcept({ value: code.value, schemeDesignator: code.scheme, meaning: code.meaning });
const codeItem = (relationshipType: string, name: Code, value: Code): Item =>
  new CodeContentItem({ name: concept(name), value: concept(value), relationshipType });
const textItem = (relationshipType: string, name: Code, value: string): Item =>
  new TextContentItem({ name: concept(name), value, relationshipType });
const container = (name: Code, children: Item[], templateID?: string): Item => {
  const item = new ContainerContentItem({ name: concept(name), relationshipType: 'CONTAINS', templateID }) as Item;
  // An empty Content Sequence is not allowed (Type 1C): a container with no children has none.
  if (children.length > 0) item.ContentSequence = children;
  return item;
};

/** Frame n of the run → the instance (and frame number, for a multi-frame instance) it is in. */
interface FrameReference {
  sopClassUID: string;
  sopInstanceUID: string;
  frameNumber?: number;
}

export function frameReference(run: RunInfo, frame: number): FrameReference {
  const sops = run.sopInstanceUIDs;
  if (sops.length === 1) {
    return run.frameCount > 1
      ? { sopClassUID: run.sopClassUID, sopInstanceUID: sops[0], frameNumber: frame }
      : { sopClassUID: run.sopClassUID, sopInstanceUID: sops[0] };
  }
  const sop = sops[frame - 1];
  if (!sop) throw new RangeError(`frame ${frame} is outside the run's ${sops.length} instances`);
  return { sopClassUID: run.sopClassUID, sopInstanceUID: sop };
}

function round(value: number, places: number): number {
  return Number(value.toFixed(places));
}

export async function writeMeasurementReport(input: MeasurementReportInput): Promise<WrittenReport> {
  const { document: doc, run } = input;
  checkDocumentMatchesRun(doc, run);
  const when = input.contentDateTime ?? new Date();
  const sopInstanceUID = input.sopInstanceUID ?? newUid();
  const seriesInstanceUID =
    input.seriesInstanceUID ??
    (await stableUid(`fluorolens-sr-series|${run.study.instanceUID}|${run.series.instanceUID}|${run.sopInstanceUIDs[0]}`));
  const referenced = new Map<string, FrameReference>();
  const imageRef = (frame: number): Item => {
    const ref = frameReference(run, frame);
    referenced.set(ref.sopInstanceUID, { sopClassUID: ref.sopClassUID, sopInstanceUID: ref.sopInstanceUID });
    return new SourceImageForRegion({
      referencedSOPClassUID: ref.sopClassUID,
      referencedSOPInstanceUID: ref.sopInstanceUID,
      referencedFrameNumbers: ref.frameNumber === undefined ? undefined : [ref.frameNumber],
    });
  };
  const scoord = (relationshipType: string, name: Code, graphicType: string, points: readonly Point[], frame: number): Item => {
    const item = new ScoordContentItem({
      name: concept(name),
      relationshipType,
      graphicType,
      graphicData: points.flatMap((p) => [p.x, p.y]),
    }) as Item;
    item.ContentSequence = [imageRef(frame)];
    return item;
  };

  const groups: Item[] = [];
  for (const track of doc.tracks) groups.push(await measurementGroup(track, doc, run, scoord, imageRef));
  const caseItems = [...caseRecordItems(doc.caseRecord, imageRef), ...runMarkItems(doc, imageRef)];

  const imageLibraryEntries: Item[] = [...referenced.values()].map((ref) => ({
    RelationshipType: 'CONTAINS',
    ValueType: 'IMAGE',
    ReferencedSOPSequence: [{ ReferencedSOPClassUID: ref.sopClassUID, ReferencedSOPInstanceUID: ref.sopInstanceUID }],
  }));
  const rootChildren: Item[] = [
    codeItem('HAS CONCEPT MOD', CODES.languageOfContent, CODES.english),
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.device),
    new UIDRefContentItem({ name: concept(CODES.deviceObserverUid), value: DEVICE_OBSERVER_UID, relationshipType: 'HAS OBS CONTEXT' }),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverName, 'FluoroLens'),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverManufacturer, 'FluoroLens'),
    codeItem(
      'HAS CONCEPT MOD',
      CODES.procedureReported,
      doc.caseRecord.procedure ? procedureCode(doc.caseRecord.procedure) : CODES.imagingProcedure,
    ),
    container(CODES.imageLibrary, referenced.size === 0 ? [] : [container(CODES.imageLibraryGroup, imageLibraryEntries)]),
    container(CODES.imagingMeasurements, groups),
  ];
  if (caseItems.length > 0) rootChildren.push(container(CODES.qualitativeEvaluations, caseItems));

  const date = dicomDate(when);
  const dataset: Item = {
    InstanceCreationDate: date,
    InstanceCreationTime: dicomTime(when),
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: sopInstanceUID,
    StudyDate: run.study.date,
    StudyTime: run.study.time,
    AccessionNumber: run.study.accessionNumber,
    Modality: 'SR',
    Manufacturer: 'FluoroLens',
    ReferringPhysicianName: '',
    StudyDescription: run.study.description,
    SeriesDescription: REPORT_SERIES_DESCRIPTION,
    ManufacturerModelName: 'FluoroLens',
    SoftwareVersions: input.appVersion,
    ReferencedPerformedProcedureStepSequence: [],
    PatientName: run.patient.name,
    PatientID: run.patient.id,
    PatientBirthDate: run.patient.birthDate,
    PatientSex: run.patient.sex,
    StudyInstanceUID: run.study.instanceUID,
    SeriesInstanceUID: seriesInstanceUID,
    StudyID: '',
    SeriesNumber: input.seriesNumber ?? 9900,
    InstanceNumber: input.instanceNumber ?? 1,
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [concept(CODES.imagingMeasurementReport)],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: date,
    ContentTime: dicomTime(when),
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: run.study.instanceUID,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: run.series.instanceUID,
            ReferencedSOPSequence: [...referenced.values()].map((ref) => ({
              ReferencedSOPClassUID: ref.sopClassUID,
              ReferencedSOPInstanceUID: ref.sopInstanceUID,
            })),
          },
        ],
      },
    ],
    PerformedProcedureCodeSequence: [],
    CodingSchemeIdentificationSequence: [
      { CodingSchemeDesignator: PRIVATE_SCHEME, CodingSchemeName: PRIVATE_SCHEME_NAME, CodingSchemeResponsibleOrganization: 'FluoroLens' },
    ],
    ContentSequence: rootChildren,
  };
  if (referenced.size === 0) delete dataset.CurrentRequestedProcedureEvidenceSequence;
  // dcmjs writes text as UTF-8; say so only when some text is not ASCII (the default repertoire).
  if (hasNonAscii(dataset)) dataset.SpecificCharacterSet = 'ISO_IR 192';

  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: COMPREHENSIVE_SR,
    MediaStorageSOPInstanceUID: sopInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: `FLUOROLENS_${input.appVersion}`.slice(0, 16),
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  const bytes = new Uint8Array(dict.write() as ArrayBuffer);
  return { bytes, sopInstanceUID, seriesInstanceUID, studyInstanceUID: run.study.instanceUID };
}

/** The document must be about this run; a report that points at the wrong images is worse than none. */
function checkDocumentMatchesRun(doc: AnnotationDocument, run: RunInfo): void {
  const ref = doc.runRef;
  const same =
    ref.studyInstanceUID === run.study.instanceUID &&
    ref.seriesInstanceUID === run.series.instanceUID &&
    ref.frameCount === run.frameCount &&
    ref.sopInstanceUIDs.length === run.sopInstanceUIDs.length &&
    ref.sopInstanceUIDs.every((uid, i) => uid === run.sopInstanceUIDs[i]);
  if (!same) throw new Error('The annotations belong to another run than the one given; the report was not written.');
}

type ScoordFactory = (relationshipType: string, name: Code, graphicType: string, points: readonly Point[], frame: number) => Item;

async function measurementGroup(
  track: Track,
  doc: AnnotationDocument,
  run: RunInfo,
  scoord: ScoordFactory,
  imageRef: (frame: number) => Item,
): Promise<Item> {
  const trackingUid = await stableUid(
    `fluorolens-track|${run.study.instanceUID}|${run.series.instanceUID}|${run.sopInstanceUIDs[0]}|${track.id}`,
  );
  const items: Item[] = [
    textItem('HAS OBS CONTEXT', CODES.trackingIdentifier, track.label.trim() || TRACK_KIND_NAMES[track.kind]),
    new UIDRefContentItem({ name: concept(CODES.trackingUid), value: trackingUid, relationshipType: 'HAS OBS CONTEXT' }),
    codeItem('CONTAINS', CODES.finding, trackKindCode(track.kind)),
    textItem('HAS CONCEPT MOD', CODES.color, track.color),
    textItem('HAS CONCEPT MOD', CODES.trackId, track.id),
  ];
  if ((track.kind === 'arrow' || track.kind === 'caption') && track.text)
    items.push(textItem('CONTAINS', CODES.annotationText, track.text));
  if (track.kind === 'caption') items.push(textItem('CONTAINS', CODES.captionFrames, `${track.range.from}-${track.range.to}`));
  const spacing = calibratedSpacing(run.spacing, doc.calibration).preferred;
  const method = codeItem('HAS CONCEPT MOD', CODES.measurementMethod, spacing ? SPACING_METHOD_CODES[spacing.source] : CODES.uncalibrated);
  const isFirstNeedle = track.kind === 'needleTip' && firstTrackOfKind(doc, 'needleTip') === track;
  const target = firstTrackOfKind(doc, 'target');

  for (const keyframe of track.keyframes as readonly Keyframe[]) {
    const frame = keyframe.frame;
    const g = keyframe.geometry as Record<string, unknown>;
    switch (track.kind) {
      case 'needleTip': {
        const tip = g.tip as Point;
        const tipItem = scoord('INFERRED FROM', CODES.needleTipPoint, 'POINT', [tip], frame);
        const centre = isFirstNeedle && target ? geometryAt(target, frame)?.geometry.center : undefined;
        if (centre) {
          const value = spacing ? distanceMm(tip, centre, spacing) : distance(tip, centre);
          const num = new NumContentItem({
            name: concept(CODES.distance),
            value: round(value, 4),
            unit: concept(spacing ? UNITS.mm : UNITS.pixel),
            relationshipType: 'CONTAINS',
          }) as Item;
          num.ContentSequence = [textItem('HAS CONCEPT MOD', CODES.equivalentMeaning, 'Needle tip to target centre'), method, tipItem];
          items.push(num);
        } else {
          tipItem.RelationshipType = 'CONTAINS';
          items.push(tipItem);
        }
        if (g.hub) items.push(scoord('CONTAINS', CODES.needleHubPoint, 'POINT', [g.hub as Point], frame));
        break;
      }
      case 'target': {
        const center = g.center as Point;
        const rim = { x: center.x + (g.radiusPx as number), y: center.y };
        items.push(scoord('CONTAINS', CODES.targetCentre, 'POINT', [center], frame));
        items.push(scoord('CONTAINS', CODES.targetRegion, 'CIRCLE', [center, rim], frame));
        break;
      }
      case 'contrastSpread': {
        const contour = g.contour as Point[];
        const areaPx = polygonArea(contour);
        const num = new NumContentItem({
          name: concept(CODES.area),
          value: round(spacing ? areaMm2(areaPx, spacing) : areaPx, 4),
          unit: concept(spacing ? UNITS.mm2 : UNITS.pixel2),
          relationshipType: 'CONTAINS',
        }) as Item;
        // DICOM closes a polyline by repeating its first point.
        num.ContentSequence = [method, scoord('INFERRED FROM', CODES.contrastOutline, 'POLYLINE', [...contour, contour[0]], frame)];
        items.push(num);
        break;
      }
      case 'arrow':
        items.push(scoord('CONTAINS', CODES.arrowLine, 'POLYLINE', [g.from as Point, g.to as Point], frame));
        break;
      case 'caption': {
        if (g.position) items.push(scoord('CONTAINS', CODES.captionPosition, 'POINT', [g.position as Point], frame));
        else items.push(imageItem(CODES.captionKeyframe, imageRef(frame)));
        break;
      }
    }
  }
  return container(CODES.measurementGroup, items, '1501');
}

/** A CONTAINS IMAGE item naming a frame (built from the SELECTED FROM item's reference). */
function imageItem(name: Code, reference: Item): Item {
  return { ...reference, RelationshipType: 'CONTAINS', ConceptNameCodeSequence: [concept(name)] };
}

function caseRecordItems(record: CaseRecord, imageRef: (frame: number) => Item): Item[] {
  const items: Item[] = [];
  if (record.side) items.push(codeItem('CONTAINS', CODES.laterality, SIDE_CODES[record.side]));
  if (record.approach) items.push(codeItem('CONTAINS', CODES.approach, approachCode(record.approach)));
  for (const level of record.levels) items.push(textItem('CONTAINS', CODES.vertebralLevel, level));
  for (const pattern of record.contrastPatterns) items.push(codeItem('CONTAINS', CODES.contrastPattern, contrastPatternCode(pattern)));
  if (record.contrastFirstSeenFrame !== null) items.push(imageItem(CODES.contrastFirstSeen, imageRef(record.contrastFirstSeenFrame)));
  if (record.placementConfirmedBeforeMedication !== null) {
    items.push(codeItem('CONTAINS', CODES.placementConfirmed, record.placementConfirmedBeforeMedication ? CODES.yes : CODES.no));
  }
  if (record.notes.trim()) items.push(textItem('CONTAINS', CODES.comment, record.notes));
  return items;
}

/**
 * What the document holds besides tracks and the case record: the user's calibration object,
 * vascular uptake flags (kind, frames, note), stimulator lead tips at a level on a frame, and the
 * injectate log (agent, volume, frame or time).
 */
function runMarkItems(doc: AnnotationDocument, imageRef: (frame: number) => Item): Item[] {
  const items: Item[] = [];
  const withChildren = (item: Item, children: Item[]): Item => {
    if (children.length > 0) item.ContentSequence = children;
    return item;
  };
  if (doc.calibration) {
    const c = doc.calibration;
    items.push(textItem('CONTAINS', CODES.calibrationObject, `${c.objectName.trim()}: ${c.lengthMm} mm on frame ${c.frame}`));
  }
  for (const flag of doc.vascularFlags) {
    const children = [textItem('HAS PROPERTIES', CODES.flaggedFrames, `${flag.from}-${flag.to}`)];
    if (flag.note.trim()) children.push(textItem('HAS PROPERTIES', CODES.comment, flag.note));
    children.push({ ...imageRef(flag.from), RelationshipType: 'INFERRED FROM' } as Item);
    items.push(withChildren(codeItem('CONTAINS', CODES.vascularUptake, VASCULAR_UPTAKE_CODES[flag.uptake]), children));
  }
  for (const lead of doc.leadTips) {
    const children = [
      textItem('HAS PROPERTIES', CODES.leadLabel, lead.label),
      { ...imageRef(lead.frame), RelationshipType: 'INFERRED FROM' } as Item,
    ];
    items.push(withChildren(textItem('CONTAINS', CODES.leadTip, lead.level), children));
  }
  for (const entry of doc.caseRecord.injectates) {
    const children: Item[] = [];
    if (entry.volumeMl !== null) {
      children.push(
        new NumContentItem({
          name: concept(CODES.injectateVolume),
          value: entry.volumeMl,
          unit: concept(UNITS.ml),
          relationshipType: 'HAS PROPERTIES',
        }) as Item,
      );
    }
    if (entry.time) children.push(textItem('HAS PROPERTIES', CODES.injectateTime, entry.time));
    if (entry.note.trim()) children.push(textItem('HAS PROPERTIES', CODES.comment, entry.note));
    if (entry.frame !== null) children.push({ ...imageRef(entry.frame), RelationshipType: 'INFERRED FROM' } as Item);
    items.push(withChildren(textItem('CONTAINS', CODES.injectate, entry.agent), children));
  }
  return items;
}

function hasNonAscii(value: unknown): boolean {
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7e) return true;
    return false;
  }
  if (Array.isArray(value)) return value.some(hasNonAscii);
  if (value && typeof value === 'object' && !(value instanceof ArrayBuffer)) return Object.values(value).some(hasNonAscii);
  return false;
}

function dicomDate(d: Date): string {
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

function dicomTime(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}${String(d.getMinutes()).padStart(2, '0')}${String(d.getSeconds()).padStart(2, '0')}`;
}
