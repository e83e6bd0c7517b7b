import type { DataSet } from 'dicom-parser';

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
  'Frame Time Vector' | 'Frame Time' | 'Cine Rate' | 'Recommended Display Frame Rate' | 'Acquisition times' | 'default';

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

export type SpacingSource = 'Pixel Spacing' | 'Imager Pixel Spacing' | 'Imager Pixel Spacing corrected by ERMF';

export interface Spacing {
  /** Distance between row centres (mm), i.e. vertical spacing. */
  rowMm: number;
  /** Distance between column centres (mm), i.e. horizontal spacing. */
  columnMm: number;
  source: SpacingSource;
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
}

export interface WindowPreset {
  center: number;
  width: number;
  explanation?: string;
}

export type ModalityLut =
  | { kind: 'rescale'; slope: number; intercept: number; type?: string }
  | { kind: 'sequence'; firstValueMapped: number; numberOfEntries: number; bitsPerEntry: number; data: number[]; type?: string };

export interface Shutter {
  shapes: string[];
  rectangular?: { left: number; right: number; upper: number; lower: number };
  circular?: { centerRow: number; centerColumn: number; radius: number };
  polygonal?: number[];
}

export interface MaskSubtraction {
  operation: string;
  maskFrames?: number[];
  contrastFrameAveraging?: number[];
  description?: string;
}

/** Everything the viewer, overlay, measurements and exports need to know about one run. */
export interface RunInfo {
  /** name is the raw PN value ("Family^Given^Middle^Prefix^Suffix"); show it with formatPersonName. */
  patient: { name: string; id: string; birthDate: string; sex: string };
  study: { instanceUID: string; date: string; time: string; description: string; accessionNumber: string; institution: string };
  series: { instanceUID: string; number: number | null; description: string; modality: string };
  sopClassUID: string;
  /** One per source instance: a multi-frame run has one, a single-frame series has one per frame. */
  sopInstanceUIDs: string[];
  instanceNumber: number | null;
  transferSyntaxUID: string;
  imageType: string[];
  lossyCompression: boolean;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  planarConfiguration: number;
  frameCount: number;
  timing: FrameTiming;
  spacing: SpacingInfo;
  positioner: { primaryAngleDeg: number; secondaryAngleDeg: number } | null;
  exposure: { kvp?: number; tubeCurrentMa?: number; exposureTimeMs?: number; exposureMas?: number };
  /** areaDoseProduct is Image and Fluoroscopy Area Dose Product (0018,115E) in dGy·cm². */
  dose: { fluoroscopyTimeS?: number; areaDoseProduct?: number; entranceDoseMgy?: number; exposureDoseSequenceCount?: number };
  shutter: Shutter | null;
  maskSubtraction: MaskSubtraction | null;
  voi: { windows: WindowPreset[]; lutFunction?: string };
  modalityLut: ModalityLut;
}
