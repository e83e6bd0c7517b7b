import type { DataSet } from 'dicom-parser';
import type { PresentationLutShape } from './presentationLut';

/**
 * Types shared by the pure DICOM layer. Nothing here touches the DOM, React or Cornerstone:
 * bytes come in through ByteSource, which io/ implements for File/Blob and HTTP ranges and tests
 * implement over Node buffers.
 */

/** Random access to one file's bytes, wherever they live. */
export interface ByteSource {
  /** File name (or URL) used in every message about this file. */
  readonly name: string;
  readonly size: number;
  /** Reads [offset, offset+length) clipped to the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Lets go of a copy of the file held for quicker reads (readWholeOnce); later reads go to the file. */
  release?(): void;
}

/** A problem with one input file, phrased for the user: "<file>: <reason>". */
export class DicomInputError extends Error {
  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`${fileName}: ${reason}`);
    this.name = 'DicomInputError';
  }
}

/**
 * The file is not DICOM at all (empty, or neither a DICM marker nor a recognisable data set), as
 * against a DICOM file that is damaged: in a folder, such a file is one of its other files.
 */
export class NotDicomError extends DicomInputError {
  constructor(fileName: string, reason: string) {
    super(fileName, reason);
    this.name = 'NotDicomError';
  }
}

/** Where the Pixel Data element (7FE0,0010) of a file lies. */
export interface PixelDataLocation {
  /** File offset of the element's value (for encapsulated data: of the Basic Offset Table item). */
  valueOffset: number;
  /** Declared value length in bytes, or -1 for undefined length. */
  length: number;
  /** Undefined length: the value is a sequence of items (offset table + fragments). */
  encapsulated: boolean;
  /** OB or OW as written in the file; undefined for implicit VR files, where the file does not say. */
  vr?: string;
}

/** The header of one file, parsed up to (not including) the pixel data. */
export interface ParsedHeader {
  source: ByteSource;
  /** dicom-parser's data set: every element before Pixel Data, with the File Meta elements. */
  dataSet: DataSet;
  transferSyntaxUID: string;
  /** True for a Part 10 file (128-byte preamble + "DICM"); false for a bare data set. */
  hasPreamble: boolean;
  pixelData: PixelDataLocation | null;
  /** Whether the data set is in explicit VR (false: implicit VR little endian). */
  explicitVR: boolean;
  /** The bytes read from the start of the file to parse this header (unmodified, file offset 0). */
  headerBytes: Uint8Array;
  /** Things that were odd but not fatal, phrased for people (e.g. "no File Meta Information"). */
  warnings: string[];
}

/** Where one frame's bytes lie in its file. */
export interface FrameSpan {
  /** Byte offset in the file where the frame's data (or its first item header) starts. */
  start: number;
  /** Byte offset one past the end. */
  end: number;
  /** Encapsulated spans hold one or more items (8-byte item header + fragment); native spans are raw pixels. */
  encapsulated: boolean;
  /**
   * Native 8-bit pixels in Explicit VR Big Endian OW data: each 16-bit word, counted from this file
   * offset (the Pixel Data value), holds two pixels high byte first, so the file swaps every pair.
   */
  bytePairsSwappedFrom?: number;
}

export type FrameSlot = { ok: true; span: FrameSpan } | { ok: false; reason: string };

export interface FrameIndex {
  /** One slot per frame, frame n at index n-1. */
  frames: FrameSlot[];
  /** Problems found while indexing (e.g. "pixel data ends after frame 9 of 10"). */
  problems: string[];
}

export type TimingSource =
  | 'Frame Time Vector'
  | 'Frame Time'
  | 'Frame Reference DateTime'
  | 'Frame Acquisition DateTime'
  | 'Cine Rate'
  | 'Recommended Display Frame Rate'
  | 'Acquisition times'
  | 'default';

export interface FrameTiming {
  /** Start time of each frame in ms relative to frame 1 (frame 1 is 0). Length = frame count. */
  frameStartMs: number[];
  /** Display duration of the whole run in ms (last start + last frame's duration). */
  durationMs: number;
  /** Nominal rate in frames per second (frames / duration). */
  nominalFps: number;
  source: TimingSource;
  /** Why a higher-precedence attribute was ignored, e.g. "Frame Time 0 ms is not usable". */
  notes: string[];
  /** What Frame Increment Pointer (0028,0009) names, e.g. ["(0018,1063)"]; absent when the file has none. */
  frameIncrementPointer?: string[];
}

/**
 * Where a spacing comes from. Header parsing gives the first three; 'User calibration' is set by
 * annotations/model/calibration.ts from a line the user drew over an object of known length.
 */
export type SpacingSource = 'Pixel Spacing' | 'Imager Pixel Spacing' | 'Imager Pixel Spacing corrected by ERMF' | 'User calibration';

export interface Spacing {
  /** Distance between row centres (mm), i.e. vertical spacing. */
  rowMm: number;
  /** Distance between column centres (mm), i.e. horizontal spacing. */
  columnMm: number;
  source: SpacingSource;
  /**
   * What every mm shown names when the source alone does not say enough, e.g. "by user (25 mm
   * marker ball)" or "Pixel Spacing (calibrated by geometry)"; absent: the source's own name.
   */
  name?: string;
}

export interface SpacingInfo {
  /** The spacing measurements should use, or null when the run is not calibrated. */
  preferred: Spacing | null;
  /** Every candidate found in the header, so the UI can say which one it uses and why. */
  candidates: Spacing[];
  estimatedRadiographicMagnificationFactor?: number;
  distanceSourceToDetectorMm?: number;
  distanceSourceToPatientMm?: number;
  /** Values that were present but could not be used, e.g. 'Pixel Spacing (0028,0030) "0\0" is not usable'. */
  notes?: string[];
  /** Pixel Spacing Calibration Type (0028,0A02) (GEOMETRY, FIDUCIAL) and Description (0028,0A04), when given. */
  pixelSpacingCalibration?: { type?: string; description?: string };
  /**
   * Pixel Aspect Ratio (0028,0034), vertical : horizontal, when the file gives one other than 1:1.
   * It gives the pixels' shape when no spacing does (see pixelShape).
   */
  pixelAspectRatio?: { vertical: number; horizontal: number };
}

export interface WindowPreset {
  center: number;
  width: number;
  explanation?: string;
}

/**
 * VOI LUT Function (0028,1056), PS3.3 C.11.2.1.3: how a window maps values to grey. LINEAR and
 * LINEAR_EXACT are straight lines between the window's ends (they place the ends differently);
 * SIGMOID is an S-curve about the centre.
 */
export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/**
 * A sampled LUT as a LUT Descriptor and LUT Data give it (PS3.3 C.11.1.1): input `firstValueMapped`
 * takes entry 0, each next input the next entry; inputs below take the first entry, above the last.
 * Entries run 0 … 2^bitsPerEntry − 1.
 */
export interface SampledLut {
  firstValueMapped: number;
  numberOfEntries: number;
  bitsPerEntry: number;
  data: number[];
}

export type ModalityLut =
  { kind: 'rescale'; slope: number; intercept: number; type?: string } | ({ kind: 'sequence'; type?: string } & SampledLut);

/**
 * One item of the VOI LUT Sequence (0028,3010), PS3.3 C.11.2.1.1: a display curve from modality
 * values to grey drawn by the modality (a CR or DX processing curve), an alternative to a window.
 */
export interface VoiLut extends SampledLut {
  /** LUT Explanation (0028,3003), e.g. "NORMAL"; '' when absent. */
  explanation: string;
}

/**
 * Display Shutter (PS3.3 C.7.6.11), as written in the file: edges, centres and vertices are 1-based
 * pixel positions (row 1, column 1 is the top-left pixel); circle centres and polygon vertices are
 * given ROW first, then COLUMN. src/imaging/shutter.ts turns this into a mask and an outline.
 */
export interface Shutter {
  /** Shutter Shape (0018,1600): RECTANGULAR, CIRCULAR, POLYGONAL (combined), or BITMAP. */
  shapes: string[];
  /** Columns left..right and rows upper..lower, 1-based and inclusive. */
  rectangular?: { left: number; right: number; upper: number; lower: number };
  circular?: { centerRow: number; centerColumn: number; radius: number };
  /** Vertices of the Polygonal Shutter (0018,1620) as written: row, column, row, column, … (at least 3 vertices). */
  polygonal?: number[];
  /** Shutter Presentation Value (0018,1622): the grey P-value (0 black … 65535 white) shown where the shutter covers. */
  presentationValue?: number;
  /** Shutter Presentation Color CIELab Value (0018,1624): L*, a*, b* scaled to 0–65535 as DICOM encodes them. */
  presentationColorCIELab?: [number, number, number];
  /** Shutter Overlay Group (0018,1623) of a BITMAP shutter, e.g. 0x6000. */
  overlayGroup?: number;
  /** Shapes named but not usable (missing or malformed attributes), phrased for people. */
  notes?: string[];
}

/** One item of the Mask Subtraction Sequence (0028,6100): how a DSA run is meant to be subtracted. */
export interface MaskSubtraction {
  /** Mask Operation (0028,6101): NONE, AVG_SUB, TID, REV_TID (defined terms; others are kept as written). */
  operation: string;
  /** Mask Frame Numbers (0028,6110), 1-based. */
  maskFrames?: number[];
  /** Contrast Frame Averaging (0028,6112). */
  contrastFrameAveraging?: number[];
  /** Mask Operation Explanation (0028,6190). */
  description?: string;
  /** Applicable Frame Range (0028,6102): inclusive 1-based [first, last] pairs. */
  applicableFrameRanges?: Array<{ first: number; last: number }>;
  /**
   * Mask Sub-pixel Shift (0028,6114): "the fractional vertical [adjacent row spacing] and horizontal
   * [adjacent column spacing] pixel shift applied to the mask", i.e. written row shift first.
   */
  maskSubPixelShift?: { rowShift: number; columnShift: number };
  /** TID Offset (0028,6120); the standard's default is 1 when empty. */
  tidOffset?: number;
  /** Subtraction Item ID (0028,9416), linking per-frame pixel shifts to this item. */
  subtractionItemId?: number;
}

/** A per-frame pixel shift from a Frame Pixel Shift Sequence (0028,9415) of an enhanced object. */
export interface FramePixelShift {
  /** 1-based frame. */
  frame: number;
  subtractionItemId?: number;
  rowShift: number;
  columnShift: number;
}

/** Everything a subtraction needs from the header. */
export interface SubtractionInfo {
  /** Every item of the Mask Subtraction Sequence, in file order. */
  items: MaskSubtraction[];
  /** Recommended Viewing Mode (0028,1090): SUB or NAT; '' when absent. */
  recommendedViewingMode: string;
  /** Per-frame shifts (enhanced objects); empty when the file has none. */
  framePixelShifts: FramePixelShift[];
}

/** Everything the viewer, overlay, measurements and exports need to know about one run. */
/**
 * How the file asks a multi-frame run to be played (Cine module): Preferred Playback Sequencing
 * (0018,1244) and Start Trim / Stop Trim (0008,2142 / 0008,2143), the frames to show.
 */
export interface CineDisplay {
  /** 1-based, inclusive; null when absent, unusable or the whole run. */
  trim: { firstFrame: number; lastFrame: number } | null;
  /** 0 looping (1…n, 1…n), 1 sweeping (1…n, n−1…1); null when absent. */
  sequencing: 'looping' | 'sweeping' | null;
}

/** One source instance's number, projection, technique and Patient Orientation. */
export interface InstanceFacts {
  instanceNumber: number | null;
  positioner: RunInfo['positioner'];
  exposure: RunInfo['exposure'];
  patientOrientation: PatientOrientation | null;
}

/**
 * Patient Orientation (0020,0020): toward which of the patient's directions the image's rows run
 * (left to right) and its columns run (top to bottom), each one or more of A, P, R, L, H, F.
 */
export interface PatientOrientation {
  row: string;
  column: string;
}

/**
 * Lossy compression an image went through: Lossy Image Compression (0028,2110) "01" (or its retired
 * predecessor), or a lossy transfer syntax. A physician must know the pixels are not the originals.
 */
export interface LossyCompression {
  /** Lossy Image Compression Method (0028,2114) defined terms (ISO_10918_1, …), else the transfer syntax's. */
  methods: string[];
  /** Lossy Image Compression Ratio (0028,2112), one per compression step; empty when not recorded. */
  ratios: number[];
}

export interface RunInfo {
  /** name is the raw PN value ("Family^Given^Middle^Prefix^Suffix"); show it with formatPersonName (format/dicomValues.ts). */
  patient: { name: string; id: string; birthDate: string; sex: string };
  study: { instanceUID: string; date: string; time: string; description: string; accessionNumber: string; institution: string };
  series: { instanceUID: string; number: number | null; description: string; modality: string };
  sopClassUID: string;
  /** One per source instance: a multi-frame run has one, a single-frame series has one per frame. */
  sopInstanceUIDs: string[];
  /** The first instance's Instance Number (a multi-frame run's only one). */
  instanceNumber: number | null;
  /**
   * What may differ between the images of a series of single frames, one per source instance (as
   * sopInstanceUIDs): the overlay tells the frame on screen's (runInfo.ts factsOfFrame).
   */
  instances: InstanceFacts[];
  transferSyntaxUID: string;
  imageType: string[];
  /**
   * Null when absent, malformed, or different between the images of a series (an AP and a lateral
   * spot image): then each frame's is its image's (runInfo.ts factsOfFrame).
   */
  patientOrientation: PatientOrientation | null;
  /** The lossy compression the images went through, null when none is known (runInfo.ts readLossy). */
  lossy: LossyCompression | null;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  /** Presentation LUT Shape (2050,0020) when the first image states IDENTITY or INVERSE (presentationLut.ts). */
  presentationLutShape?: PresentationLutShape;
  planarConfiguration: number;
  frameCount: number;
  timing: FrameTiming;
  cineDisplay: CineDisplay;
  spacing: SpacingInfo;
  positioner: { primaryAngleDeg: number; secondaryAngleDeg: number } | null;
  exposure: { kvp?: number; tubeCurrentMa?: number; exposureTimeMs?: number; exposureMas?: number };
  /** areaDoseProduct is Image and Fluoroscopy Area Dose Product (0018,115E) in dGy·cm². */
  dose: {
    fluoroscopyTimeS?: number;
    areaDoseProduct?: number;
    entranceDoseMgy?: number;
    exposureDoseSequenceCount?: number;
    /** Irradiation Event UID (0008,3010): links the run to the events of a Radiation Dose SR. */
    irradiationEventUIDs?: string[];
  };
  /** Acquisition DateTime (0008,002A), else Acquisition/Content/Series Date and Time, as a DICOM DT; '' when none. */
  acquisitionDateTime: string;
  shutter: Shutter | null;
  /** The first item of the Mask Subtraction Sequence (see subtraction.items for all of them). */
  maskSubtraction: MaskSubtraction | null;
  subtraction: SubtractionInfo;
  /** Pixel Intensity Relationship (0028,1040): LIN, LOG or DISP; '' when absent. */
  pixelIntensityRelationship: string;
  /** Pixel Intensity Relationship Sign (0028,1041): +1 or -1; null when absent. */
  pixelIntensityRelationshipSign: number | null;
  /**
   * The first image's windows (a multi-frame run's only ones). `perImage` is there only for a
   * series of single frames whose images each store a window, not all the same one (spot images
   * windowed one by one): each image's, in frame order (runInfo.ts windowsOfFrame). `luts` is the
   * first image's VOI LUT Sequence, when it has one; `perImageLuts` likewise every image's, for a
   * series of single frames whose images store no window and each a VOI LUT Sequence, not all the
   * same (voiLut.ts lutsOfFrame).
   */
  voi: { windows: WindowPreset[]; lutFunction?: string; perImage?: WindowPreset[][]; luts?: VoiLut[]; perImageLuts?: VoiLut[][] };
  modalityLut: ModalityLut;
  /**
   * Overlay planes (60xx) of each file of the run, in play order (one list for a multi-frame
   * file), and why any were left out; absent when the run has none (overlays.ts).
   */
  overlays?: RunOverlays;
}

export interface RunOverlays {
  perInstance: OverlayPlane[][];
  notes: string[];
}

/** One overlay plane (PS3.3 C.9.2): a 1-bit image laid over the image's pixels. */
export interface OverlayPlane {
  /** 0x6000, 0x6002, … */
  group: number;
  rows: number;
  columns: number;
  /** Graphics or a region of interest. */
  type: 'G' | 'R';
  /** Image row and column of the plane's first bit, 1-based (Overlay Origin). */
  origin: { row: number; column: number };
  /** Number of Frames in Overlay, and the image frame its first one goes with (Image Frame Origin). */
  frames: number;
  firstFrame: number;
  description?: string;
  label?: string;
  /** Packed bits, first pixel in the lowest bit of the first byte, frame after frame. */
  bits: Uint8Array;
}
