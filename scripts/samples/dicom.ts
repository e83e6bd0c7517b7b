/**
 * Builds and writes the DICOM Part 10 files for the sample runs with dcmjs (naturalized dataset →
 * DicomMetaDictionary.denaturalizeDataset → DicomDict.write). dcmjs writes encapsulated Pixel
 * Data correctly (OB, undefined length, a Basic Offset Table item, one (FFFE,E000) item per frame
 * with `fragmentMultiframe: false`, then the (FFFE,E0DD) delimiter) but it always fills the Basic
 * Offset Table; for a run that must have an EMPTY table we leave Pixel Data out of the dataset and
 * append the element's bytes ourselves (`encapsulatedPixelData`).
 */
import { createRequire } from 'node:module';
import type { RunSpec } from './runs';
import type { Collimation } from './scene';

// dcmjs ships no TypeScript types; load it through require and describe the little we use.
interface DcmjsDict {
  dict: Record<string, { vr: string; Value: unknown[] }>;
  write(options?: { fragmentMultiframe?: boolean; allowInvalidVRLength?: boolean }): ArrayBuffer;
}
interface Dcmjs {
  data: {
    DicomDict: new (meta: Record<string, { vr: string; Value: unknown[] }>) => DcmjsDict;
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): Record<string, { vr: string; Value: unknown[] }> };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as Dcmjs;

export const XA_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.12.1';
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';
export const TS_RLE = '1.2.840.10008.1.2.5';

/** Fixed UID root (a 2.25 UUID-derived root, made up once for these samples). */
export const UID_ROOT = '2.25.158923476250172983471650923847561029';
export const uids = {
  study: (study: RunSpec['study']): string => `${UID_ROOT}.1.${study === 'tfesi' ? 1 : 2}`,
  series: (runIndex: number): string => `${UID_ROOT}.2.${runIndex + 1}`,
  sop: (runIndex: number, instance: number): string => `${UID_ROOT}.3.${runIndex + 1}.${instance}`,
  implementationClass: `${UID_ROOT}.9.1`,
  irradiationEvent: (n: number): string => `${UID_ROOT}.5.${n}`,
  doseReport: { series: `${UID_ROOT}.6.1`, sop: `${UID_ROOT}.6.1.1`, device: `${UID_ROOT}.6.9` },
};

const STUDIES = {
  tfesi: { date: '20240312', time: '101500', id: 'FLS1', accession: 'FLSYN0001', description: 'Lumbar transforaminal ESI (synthetic)' },
  mbb: { date: '20240319', time: '141000', id: 'FLS2', accession: 'FLSYN0002', description: 'Lumbar medial branch block (synthetic)' },
} as const;

/** Formats a number for DS/IS without exponent or trailing noise. */
const ds = (v: number, digits = 3): string => String(Number(v.toFixed(digits)));

/** HHMMSS plus whole seconds, as a DICOM TM. */
function addSeconds(tm: string, seconds: number): string {
  const total = Number(tm.slice(0, 2)) * 3600 + Number(tm.slice(2, 4)) * 60 + Number(tm.slice(4, 6)) + seconds;
  const pad = (x: number): string => String(x).padStart(2, '0');
  return `${pad(Math.floor(total / 3600) % 24)}${pad(Math.floor(total / 60) % 60)}${pad(total % 60)}`;
}

export interface InstanceInput {
  spec: RunSpec;
  runIndex: number;
  /** Instance Number (1-based); for a multi-frame run, 1. */
  instance: number;
  /** Frames in this instance (1 for a series member). */
  frameCount: number;
  collimation: Collimation;
  window: { center: number; width: number };
  transferSyntax: string;
}

/** The naturalized dataset (without Pixel Data) for one instance. */
export function buildDataset(input: InstanceInput): Record<string, unknown> {
  const { spec, runIndex, instance, frameCount, collimation, window } = input;
  const study = STUDIES[spec.study];
  const multiframe = spec.layout === 'multiframe';
  const seriesTime = addSeconds(study.time, 300 * spec.series.number);
  const acqTime = multiframe
    ? seriesTime
    : addSeconds(seriesTime, (instance - 1) * (spec.timing.kind === 'seriesTimes' ? spec.timing.intervalS : 1));
  const pulseMs = spec.exposureTimeMs;
  const exposureTimeMs = pulseMs * frameCount;
  const exposureUas = Math.round(spec.tubeCurrentMa * exposureTimeMs);
  const n = spec.size;
  const shapes = collimation.blades ? ['CIRCULAR', 'RECTANGULAR'] : ['CIRCULAR'];

  const ds0: Record<string, unknown> = {
    // SOP Common
    SOPClassUID: XA_SOP_CLASS,
    SOPInstanceUID: uids.sop(runIndex, instance),
    InstanceCreationDate: study.date,
    InstanceCreationTime: acqTime,
    // Patient (fictional)
    PatientName: 'FLUOROLENS^SYNTHETIC',
    PatientID: 'FL-SAMPLE-001',
    PatientBirthDate: '19700101',
    PatientSex: 'O',
    // General Study
    StudyInstanceUID: uids.study(spec.study),
    StudyDate: study.date,
    StudyTime: study.time,
    ReferringPhysicianName: '',
    StudyID: study.id,
    AccessionNumber: study.accession,
    StudyDescription: study.description,
    // General Series
    Modality: 'XA',
    SeriesInstanceUID: uids.series(runIndex),
    SeriesNumber: String(spec.series.number),
    SeriesDescription: spec.series.description,
    SeriesDate: study.date,
    SeriesTime: seriesTime,
    BodyPartExamined: 'LSPINE',
    // General Equipment
    Manufacturer: 'FluoroLens synthetic',
    InstitutionName: 'FluoroLens test data',
    StationName: 'SYNTH-CARM',
    ManufacturerModelName: 'Synthetic C-arm',
    SoftwareVersions: 'make-samples 1',
    // General Image
    InstanceNumber: String(instance),
    AcquisitionNumber: '1',
    PatientOrientation: ['L', 'F'],
    ContentDate: study.date,
    ContentTime: acqTime,
    AcquisitionDate: study.date,
    AcquisitionTime: acqTime,
    ImageType: ['ORIGINAL', 'PRIMARY', 'SINGLE PLANE'],
    ImageComments: 'Synthetic phantom image made by FluoroLens (npm run samples). Not patient data.',
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
    // Image Pixel / X-Ray Image
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: n,
    Columns: n,
    BitsAllocated: spec.bitsAllocated,
    BitsStored: spec.bitsStored,
    HighBit: spec.bitsStored - 1,
    PixelRepresentation: 0,
    // Values rise with attenuation (bone, metal and contrast bright), so they are not
    // proportional to beam intensity (LIN would be false). LOG would require a Modality LUT back to
    // LIN (which viewers would apply, inverting the image) and its Sign attribute is not part of
    // the XA IOD. DISP, "ready to be displayed", is what these images are.
    PixelIntensityRelationship: 'DISP',
    // VOI LUT
    WindowCenter: ds(window.center, 1),
    WindowWidth: ds(window.width, 1),
    WindowCenterWidthExplanation: 'SYNTHETIC DEFAULT',
    // Contrast/Bolus
    ContrastBolusAgent: 'Iohexol 240 mgI/mL (synthetic)',
    ContrastBolusRoute: spec.study === 'mbb' ? 'Paraspinal' : 'Epidural',
    ContrastBolusVolume: spec.study === 'mbb' ? '0.3' : '1.5',
    ContrastBolusIngredient: 'IODINE',
    // X-Ray Acquisition
    KVP: ds(spec.kvp),
    RadiationSetting: 'SC',
    RadiationMode: 'PULSED',
    XRayTubeCurrent: String(Math.round(spec.tubeCurrentMa)),
    ExposureTime: String(exposureTimeMs),
    Exposure: String(Math.round(exposureUas / 1000)),
    ExposureInuAs: String(exposureUas),
    AveragePulseWidth: ds(pulseMs),
    ImagerPixelSpacing: [ds(spec.imagerPixelSpacingMm), ds(spec.imagerPixelSpacingMm)],
    FieldOfViewShape: 'ROUND',
    FieldOfViewDimensions: [String(Math.round(2 * collimation.radius * spec.imagerPixelSpacingMm))],
    Grid: 'IN',
    FocalSpots: ['0.6'],
    // XA Positioner
    DistanceSourceToDetector: ds(spec.sidMm),
    DistanceSourceToPatient: ds(spec.sodMm),
    EstimatedRadiographicMagnificationFactor: ds(spec.ermf, 4),
    PositionerPrimaryAngle: ds(spec.primaryDeg),
    PositionerSecondaryAngle: ds(spec.secondaryDeg),
    // Display Shutter: circular collimation (and vertical blades); 1-based row\column.
    ShutterShape: shapes,
    CenterOfCircularShutter: [String(collimation.centerY + 1), String(collimation.centerX + 1)],
    RadiusOfCircularShutter: String(collimation.radius),
    ShutterPresentationValue: 0,
  };
  if (collimation.rectangle || collimation.polygon) replaceShutter(ds0, input);
  if (spec.dsa) {
    const m = spec.dsa.maskFrames;
    Object.assign(ds0, {
      PixelIntensityRelationship: 'LIN',
      RecommendedViewingMode: 'SUB',
      MaskSubtractionSequence: [
        {
          MaskOperation: 'AVG_SUB',
          ApplicableFrameRange: [m + 1, frameCount],
          MaskFrameNumbers: Array.from({ length: m }, (_, k) => k + 1),
          MaskOperationExplanation: `pre-contrast frames 1-${m} averaged`,
        },
      ],
    });
  }
  if (spec.irradiationEvent !== undefined) ds0.IrradiationEventUID = uids.irradiationEvent(spec.irradiationEvent);
  if (collimation.blades) {
    Object.assign(ds0, {
      ShutterLeftVerticalEdge: String(collimation.blades.left + 1),
      ShutterRightVerticalEdge: String(collimation.blades.right),
      ShutterUpperHorizontalEdge: '1',
      ShutterLowerHorizontalEdge: String(n),
    });
  }
  if (multiframe) {
    const t = spec.timing;
    Object.assign(ds0, {
      NumberOfFrames: String(frameCount),
      PositionerMotion: 'STATIC',
      PreferredPlaybackSequencing: 0,
      StartTrim: '1',
      StopTrim: String(frameCount),
    });
    if (t.kind === 'frameTime') {
      Object.assign(ds0, {
        FrameIncrementPointer: 0x00181063,
        FrameTime: t.frameTimeMs,
        CineRate: String(t.fps),
        RecommendedDisplayFrameRate: String(t.fps),
      });
    } else if (t.kind === 'frameTimeVector') {
      const total = t.vectorMs.reduce((s, v) => s + Number(v), 0);
      const fps = String(Math.round(((frameCount - 1) * 1000) / total));
      Object.assign(ds0, {
        FrameIncrementPointer: 0x00181065,
        FrameTimeVector: t.vectorMs,
        CineRate: fps,
        RecommendedDisplayFrameRate: fps,
      });
    } else {
      throw new Error(`${spec.name}: a multi-frame run needs Frame Time or a Frame Time Vector`);
    }
  }
  return ds0;
}

/**
 * A rectangular or polygonal collimator replaces the circular shutter: RECTANGULAR edges are
 * 1-based inclusive columns/rows; POLYGONAL vertices are 1-based row\\column pairs.
 */
function replaceShutter(ds0: Record<string, unknown>, input: InstanceInput): void {
  const { collimation, spec } = input;
  delete ds0.CenterOfCircularShutter;
  delete ds0.RadiusOfCircularShutter;
  if (collimation.rectangle) {
    const r = collimation.rectangle;
    Object.assign(ds0, {
      ShutterShape: ['RECTANGULAR'],
      ShutterLeftVerticalEdge: String(r.left + 1),
      ShutterRightVerticalEdge: String(r.right),
      ShutterUpperHorizontalEdge: String(r.top + 1),
      ShutterLowerHorizontalEdge: String(r.bottom),
      FieldOfViewShape: 'RECTANGLE',
      FieldOfViewDimensions: [
        String(Math.round((r.bottom - r.top) * spec.imagerPixelSpacingMm)),
        String(Math.round((r.right - r.left) * spec.imagerPixelSpacingMm)),
      ],
    });
  } else if (collimation.polygon) {
    Object.assign(ds0, {
      ShutterShape: ['POLYGONAL'],
      VerticesOfThePolygonalShutter: collimation.polygon.flatMap((p) => [String(p.y + 1), String(p.x + 1)]),
    });
  }
}

type Denatural = Record<string, { vr: string; Value: unknown[] }>;

function fileMeta(sopInstanceUID: string, transferSyntax: string): Denatural {
  return {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [XA_SOP_CLASS] },
    '00020003': { vr: 'UI', Value: [sopInstanceUID] },
    '00020010': { vr: 'UI', Value: [transferSyntax] },
    '00020012': { vr: 'UI', Value: [uids.implementationClass] },
    '00020013': { vr: 'SH', Value: ['FLUOROLENS_SMP1'] },
  };
}

/** Copies a view into a standalone ArrayBuffer (dcmjs wants ArrayBuffers). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/**
 * The complete (7FE0,0010) element for encapsulated pixel data, explicit VR little endian:
 * OB, undefined length, a Basic Offset Table item (filled or empty), one item per frame, and the
 * sequence delimiter. Frames must have even length.
 */
export function encapsulatedPixelData(frames: Uint8Array[], fillOffsetTable: boolean): Uint8Array {
  const botLength = fillOffsetTable ? 4 * frames.length : 0;
  const total = 12 + 8 + botLength + frames.reduce((s, f) => s + 8 + f.length, 0) + 8;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let p = 0;
  const u16 = (x: number): void => {
    v.setUint16(p, x, true);
    p += 2;
  };
  const u32 = (x: number): void => {
    v.setUint32(p, x, true);
    p += 4;
  };
  u16(0x7fe0);
  u16(0x0010);
  out[p++] = 0x4f; // 'O'
  out[p++] = 0x42; // 'B'
  u16(0);
  u32(0xffffffff);
  u16(0xfffe);
  u16(0xe000);
  u32(botLength);
  if (fillOffsetTable) {
    let offset = 0;
    for (const f of frames) {
      u32(offset);
      offset += 8 + f.length;
    }
  }
  for (const f of frames) {
    if (f.length & 1) throw new Error('encapsulated frame of odd length');
    u16(0xfffe);
    u16(0xe000);
    u32(f.length);
    out.set(f, p);
    p += f.length;
  }
  u16(0xfffe);
  u16(0xe0dd);
  u32(0);
  return out;
}

/**
 * Writes one Part 10 file. `pixelData` is either native bytes (one buffer, all frames) or encoded
 * frames (one buffer per frame) for an encapsulated transfer syntax.
 */
export function writeInstance(
  input: InstanceInput,
  pixelData:
    { kind: 'native'; bytes: Uint8Array; vr?: 'OB' | 'OW' } | { kind: 'encapsulated'; frames: Uint8Array[]; basicOffsetTable: boolean },
): Uint8Array {
  const naturalized = buildDataset(input);
  const dict = new dcmjs.data.DicomDict(fileMeta(naturalized.SOPInstanceUID as string, input.transferSyntax));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(naturalized);
  if (pixelData.kind === 'native') {
    const vr = pixelData.vr ?? (input.spec.bitsAllocated === 8 ? 'OB' : 'OW');
    dict.dict['7FE00010'] = { vr, Value: [toArrayBuffer(pixelData.bytes)] };
    return new Uint8Array(dict.write({ fragmentMultiframe: false }));
  }
  if (pixelData.basicOffsetTable) {
    // dcmjs: one fragment per frame and a filled Basic Offset Table.
    dict.dict['7FE00010'] = { vr: 'OB', Value: pixelData.frames.map(toArrayBuffer) };
    return new Uint8Array(dict.write({ fragmentMultiframe: false }));
  }
  const head = new Uint8Array(dict.write({ fragmentMultiframe: false }));
  const tail = encapsulatedPixelData(pixelData.frames, false);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
