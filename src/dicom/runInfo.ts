import type { DataSet } from 'dicom-parser';
import { overlayFrameFor, readOverlays } from './overlays';
import { buildFrameTiming, readCineDisplay } from './timing';
import type {
  FramePixelShift,
  InstanceFacts,
  LossyCompression,
  MaskSubtraction,
  ModalityLut,
  OverlayPlane,
  ParsedHeader,
  PatientOrientation,
  RunInfo,
  RunOverlays,
  SampledLut,
  Shutter,
  Spacing,
  SpacingInfo,
  SubtractionInfo,
  VoiFunction,
  VoiLut,
  WindowPreset,
} from './types';
import { TS, isLossyTransferSyntax, lossyMethodOfTransferSyntax } from './uids';
import { presentationLutShapeOf, type PresentationLutShape } from './presentationLut';
import { readPixelGeometry } from './validate';
import { sameTable } from './voiLut';
import { decimal, numbers, sequenceItems, text, texts, uint16, uint16s } from './values';

/**
 * Everything the viewer needs about one run: one multi-frame instance, or the single-frame
 * instances of one series in play order. Patient/study/series/pixel attributes come from the
 * first instance; frame timing is described in timing.ts.
 */
export function buildRunInfo(headers: ParsedHeader[]): RunInfo {
  if (headers.length === 0) throw new Error('buildRunInfo needs at least one header');
  const first = headers[0];
  const ds = first.dataSet;
  const geometry = readPixelGeometry(first);
  const frameCount = headers.length === 1 ? geometry.frameCount : headers.reduce((sum, h) => sum + readPixelGeometry(h).frameCount, 0);
  const bitsStored = uint16(ds, 'x00280101') ?? geometry.bitsAllocated;
  const subtraction = readSubtraction(ds);
  const timing = buildFrameTiming(headers, frameCount);
  return {
    patient: { name: text(ds, 'x00100010'), id: text(ds, 'x00100020'), birthDate: text(ds, 'x00100030'), sex: text(ds, 'x00100040') },
    study: {
      instanceUID: text(ds, 'x0020000d'),
      date: text(ds, 'x00080020'),
      time: text(ds, 'x00080030'),
      description: text(ds, 'x00081030'),
      accessionNumber: text(ds, 'x00080050'),
      institution: text(ds, 'x00080080'),
    },
    series: {
      instanceUID: text(ds, 'x0020000e'),
      number: integerOrNull(ds, 'x00200011'),
      description: text(ds, 'x0008103e'),
      modality: text(ds, 'x00080060'),
    },
    sopClassUID: text(ds, 'x00080016') || text(ds, 'x00020002'),
    sopInstanceUIDs: headers.map((h) => text(h.dataSet, 'x00080018') || text(h.dataSet, 'x00020003')),
    instanceNumber: integerOrNull(ds, 'x00200013'),
    instances: headers.map((h) => ({
      instanceNumber: integerOrNull(h.dataSet, 'x00200013'),
      positioner: readPositioner(h.dataSet),
      exposure: readExposure(h.dataSet),
      patientOrientation: readPatientOrientation(h.dataSet),
    })),
    transferSyntaxUID: first.transferSyntaxUID,
    imageType: texts(ds, 'x00080008'),
    patientOrientation: seriesPatientOrientation(headers),
    lossy: seriesLossy(headers),
    rows: geometry.rows,
    columns: geometry.columns,
    bitsAllocated: geometry.bitsAllocated,
    bitsStored,
    highBit: uint16(ds, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: uint16(ds, 'x00280103') ?? 0,
    samplesPerPixel: geometry.samplesPerPixel,
    photometricInterpretation: text(ds, 'x00280004') || (geometry.samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2'),
    ...presentationShape(ds),
    planarConfiguration: uint16(ds, 'x00280006') ?? 0,
    frameCount,
    timing,
    cineDisplay: readCineDisplay(ds, frameCount, timing.notes),
    spacing: seriesSpacing(headers),
    positioner: readPositioner(ds),
    exposure: readExposure(ds),
    dose: readDose(headers),
    acquisitionDateTime: readAcquisitionDateTime(ds),
    shutter: seriesShutter(headers),
    maskSubtraction: subtraction.items[0] ?? null,
    subtraction,
    pixelIntensityRelationship: textAnywhere(ds, 'x00281040').toUpperCase(),
    pixelIntensityRelationshipSign: readIntensitySign(ds),
    voi: seriesVoi(headers),
    modalityLut: readModalityLut(ds),
    ...runOverlays(headers),
  };
}

/** Each file's overlay planes, when any file has one (or one that could not be read). */
function runOverlays(headers: ParsedHeader[]): { overlays?: RunOverlays } {
  const read = headers.map((h) => readOverlays(h.dataSet, h.transferSyntaxUID === TS.explicitBig));
  const notes = [...new Set(read.flatMap((r) => r.notes))];
  if (!read.some((r) => r.planes.length) && !notes.length) return {};
  return { overlays: { perInstance: read.map((r) => r.planes), notes } };
}

/** Every overlay plane of the run (a series' images may each carry theirs). */
export function overlayPlanesOfRun(info: Pick<RunInfo, 'overlays'>): OverlayPlane[] {
  return info.overlays?.perInstance.flat() ?? [];
}

/**
 * The overlay planes over frame `frame` of the run, each with the plane's frame to draw: a series
 * of single frames takes each image's own; a multi-frame file's go with the frames they name.
 */
export function overlaysOfFrame(
  info: Pick<RunInfo, 'overlays' | 'frameCount'>,
  frame: number,
): Array<{ plane: OverlayPlane; index: number }> {
  const perInstance = info.overlays?.perInstance;
  if (!perInstance) return [];
  const series = perInstance.length > 1 && perInstance.length === info.frameCount;
  const planes = series ? (perInstance[frame - 1] ?? []) : (perInstance[0] ?? []);
  const ownFrame = series ? 1 : frame;
  return planes.flatMap((plane) => {
    const index = overlayFrameFor(plane, ownFrame);
    return index === null ? [] : [{ plane, index }];
  });
}

/** The Presentation LUT Shape, as a field only when the file states one of its defined terms (so RunInfo of other files is unchanged). */
function presentationShape(ds: DataSet): { presentationLutShape?: PresentationLutShape } {
  const shape = presentationLutShapeOf(text(ds, 'x20500020'));
  return shape ? { presentationLutShape: shape } : {};
}

function integerOrNull(ds: DataSet, tag: string): number | null {
  const value = decimal(ds, tag);
  return value === undefined || !Number.isInteger(value) ? null : value;
}

/** Lossy Image Compression (0028,2110) "01", its retired predecessor (0008,2110), or a lossy transfer syntax. */
function isLossy(header: ParsedHeader): boolean {
  const ds = header.dataSet;
  return text(ds, 'x00282110') === '01' || text(ds, 'x00082110') === '01' || isLossyTransferSyntax(header.transferSyntaxUID);
}

/** Patient Orientation, when it names a direction for rows and for columns in the letters PS3.3 C.7.6.1.1.1 allows. */
function readPatientOrientation(ds: DataSet): PatientOrientation | null {
  const [row, column] = texts(ds, 'x00200020').map((v) => v.trim().toUpperCase());
  const valid = (v: string | undefined): v is string => v !== undefined && /^[APRLHF]{1,3}$/.test(v);
  return valid(row) && valid(column) ? { row, column } : null;
}

/** A series' images' one Patient Orientation; none when they differ (each frame then shows its image's, factsOfFrame). */
function seriesPatientOrientation(headers: readonly ParsedHeader[]): PatientOrientation | null {
  const first = readPatientOrientation(headers[0].dataSet);
  if (!first || sameAsFirst(headers, ['x00200020'])) return first;
  const same = headers.every((h) => {
    const other = readPatientOrientation(h.dataSet);
    return other?.row === first.row && other.column === first.column;
  });
  return same ? first : null;
}

/**
 * What an image says of its lossy compression: method(s) and ratio(s) as recorded, the method the
 * transfer syntax stands for when none is; null when it was not lossy compressed.
 */
export function readLossy(header: ParsedHeader): LossyCompression | null {
  if (!isLossy(header)) return null;
  const ds = header.dataSet;
  const ratios = numbers(ds, 'x00282112').filter((r) => Number.isFinite(r) && r > 0);
  const recorded = texts(ds, 'x00282114').filter(Boolean);
  const fromSyntax = lossyMethodOfTransferSyntax(header.transferSyntaxUID);
  const methods = recorded.length ? recorded : fromSyntax ? [fromSyntax] : [];
  return { methods, ratios };
}

/**
 * A run is lossy when any of its images is (in a series, one image may have been compressed on its
 * way and the others not): every method and ratio any of them records, each once.
 */
function seriesLossy(headers: readonly ParsedHeader[]): LossyCompression | null {
  const all = headers.map(readLossy).filter((l): l is LossyCompression => l !== null);
  if (!all.length) return null;
  return { methods: [...new Set(all.flatMap((l) => l.methods))], ratios: [...new Set(all.flatMap((l) => l.ratios))] };
}

// ---------------------------------------------------------------------------------------------
// Enhanced multi-frame objects keep many attributes inside functional group sequences.

const SHARED_GROUPS = 'x52009229';
const PER_FRAME_GROUPS = 'x52009230';

/**
 * The data set holding `tag`: the top level, else a macro inside the Shared Functional Groups,
 * else one inside the first frame's Per-frame Functional Groups (Enhanced XA/XRF, MR, …).
 */
function holderOf(ds: DataSet, tag: string): DataSet | undefined {
  if (ds.elements[tag]) return ds;
  for (const groups of [SHARED_GROUPS, PER_FRAME_GROUPS]) {
    const item = sequenceItems(ds, groups)[0];
    if (!item) continue;
    for (const element of Object.values(item.elements)) {
      const found = element.items?.find((macro) => macro.dataSet?.elements[tag])?.dataSet;
      if (found) return found;
    }
  }
  return undefined;
}

function decimalAnywhere(ds: DataSet, tag: string): number | undefined {
  const holder = holderOf(ds, tag);
  return holder ? decimal(holder, tag) : undefined;
}

function numbersAnywhere(ds: DataSet, tag: string): number[] {
  const holder = holderOf(ds, tag);
  return holder ? numbers(holder, tag) : [];
}

function textAnywhere(ds: DataSet, tag: string): string {
  const holder = holderOf(ds, tag);
  return holder ? text(holder, tag) : '';
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Spacing

const PIXEL_SPACING = 'x00280030';
const IMAGER_PIXEL_SPACING = 'x00181164';
const ERMF = 'x00181114';
const PIXEL_ASPECT_RATIO = 'x00280034';

/**
 * A series of single frames shows its images' Display Shutter when they all give the same one.
 * When they differ (the collimation changed between spot images) none is applied: one image's
 * shutter would hide anatomy another image shows. The note says why.
 */
function seriesShutter(headers: ParsedHeader[]): Shutter | null {
  const first = readShutter(headers[0].dataSet);
  if (sameAsFirst(headers, SHUTTER_TAGS)) return first;
  const key = JSON.stringify(first);
  if (headers.slice(1).every((h) => JSON.stringify(readShutter(h.dataSet)) === key)) return first;
  return { shapes: [], notes: ['The images of this series give different display shutters: none is applied'] };
}

/**
 * A series of single frames whose images store different windows (a C-arm windows each spot image
 * for its own exposure) keeps every image's, so each is shown as it was meant to be seen, as a
 * reference renderer shows each file. When any image stores none, all are shown in the first
 * image's window (or the first frame's range) as before: a frame without a window has no own
 * display to keep.
 */
function seriesVoi(headers: ParsedHeader[]): RunInfo['voi'] {
  const first = readVoi(headers[0].dataSet);
  if (headers.length > 1 && !first.windows.length && first.luts) return seriesVoiLuts(headers, first);
  if (headers.length < 2 || !first.windows.length || sameAsFirst(headers, WINDOW_TAGS)) return first;
  const perImage = headers.map((h, i) => (i === 0 ? first.windows : readVoi(h.dataSet).windows));
  const key = (windows: WindowPreset[]) => windows.map((w) => `${w.center}/${w.width}`).join(' ');
  const firstKey = key(first.windows);
  if (perImage.some((windows) => !windows.length) || perImage.every((windows) => key(windows) === firstKey)) return first;
  return { ...first, perImage };
}

const WINDOW_TAGS = ['x00281050', 'x00281051'] as const;

/**
 * A series of single frames whose images store no window but each its own VOI LUT Sequence (DX or
 * CR spot images, each with its processing curve) keeps every image's, as a reference renderer
 * shows each file through its own. When any image stores a window or no LUT, or all store the same
 * tables, the first image's are shown for all, as before.
 */
function seriesVoiLuts(headers: ParsedHeader[], first: RunInfo['voi']): RunInfo['voi'] {
  const perImage = headers.map((h, i) => (i === 0 ? first : readVoi(h.dataSet)));
  if (perImage.some((voi) => voi.windows.length > 0 || !voi.luts)) return first;
  const likeFirst = (luts: VoiLut[]) => luts.length === first.luts!.length && luts.every((lut, i) => sameTable(lut, first.luts![i]));
  if (perImage.every((voi) => likeFirst(voi.luts!))) return first;
  return { ...first, perImageLuts: perImage.map((voi) => voi.luts!) };
}

/**
 * The run's VOI LUT Function, as the display applies it: absent or any value the standard does
 * not define is LINEAR, as the standard's default (a reference renderer, DCMTK, does the same).
 */
export function voiFunctionOf(voi: RunInfo['voi']): VoiFunction {
  return voiFunctionNamed(voi.lutFunction);
}

/** A VOI LUT Function by its name as written anywhere (a header, Cornerstone's viewport), as voiFunctionOf reads it. */
export function voiFunctionNamed(name: string | undefined): VoiFunction {
  const stated = name?.trim().toUpperCase();
  return stated === 'LINEAR_EXACT' || stated === 'SIGMOID' ? stated : 'LINEAR';
}

/** The windows stored for a frame's image: its own in a series windowed image by image, else the run's. */
export function windowsOfFrame(voi: RunInfo['voi'], frame: number): WindowPreset[] {
  return voi.perImage?.[frame - 1] ?? voi.windows;
}

/**
 * The spacing of a series of single frames is the first image's, when every image gives the same
 * one. When they differ (another magnification or source distance between spot images) none is
 * used: a length measured on one image with another's spacing would be wrong. The note says why.
 */
function seriesSpacing(headers: ParsedHeader[]): SpacingInfo {
  const first = readSpacing(headers[0].dataSet);
  const firstMm = first.preferred;
  if (headers.length < 2 || !firstMm || sameAsFirst(headers, SPACING_TAGS)) return first;
  const others = headers.slice(1).map((h) => readSpacing(h.dataSet).preferred);
  const same = (s: Spacing | null) =>
    s !== null && s.source === firstMm.source && closeTo(s.rowMm, firstMm.rowMm) && closeTo(s.columnMm, firstMm.columnMm);
  if (others.every(same)) return first;
  const values = [firstMm, ...others].map((s) => (s ? s.columnMm : null));
  const given = values.filter((v): v is number => v !== null);
  const [low, high] = [Math.min(...given), Math.max(...given)];
  const range = !given.length ? '' : low === high ? `${round4(low)} mm/px` : `${round4(low)}–${round4(high)} mm/px`;
  const missing = values.length - given.length;
  const what = [range, missing ? `${missing} without one` : ''].filter(Boolean).join(', ');
  return {
    ...first,
    preferred: null,
    notes: [...(first.notes ?? []), `The images of this series give different pixel spacings (${what}): measured in pixels`],
  };
}

const SPACING_TAGS = ['x00280030', 'x00181164', 'x00181114'] as const;
const SHUTTER_TAGS = [
  'x00181600',
  'x00181602',
  'x00181604',
  'x00181606',
  'x00181608',
  'x00181610',
  'x00181612',
  'x00181620',
  'x00181622',
  'x00181623',
  'x00181624',
] as const;

/**
 * Whether every header holds these elements, at its top level, byte for byte as the first does:
 * then they read the same, and a folder of hundreds of spot images is not parsed twice over. A
 * header with functional groups may hold them there too, so it is never judged this way.
 */
function sameAsFirst(headers: readonly ParsedHeader[], tags: readonly string[]): boolean {
  const first = headers[0].dataSet;
  const plain = (ds: DataSet) => !ds.elements[SHARED_GROUPS] && !ds.elements[PER_FRAME_GROUPS];
  if (!plain(first)) return false;
  return headers.every(({ dataSet: ds }) => plain(ds) && tags.every((tag) => sameBytes(first, ds, tag)));
}

function sameBytes(a: DataSet, b: DataSet, tag: string): boolean {
  const x = a.elements[tag];
  const y = b.elements[tag];
  if (!x || !y) return !x && !y;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (a.byteArray[x.dataOffset + i] !== b.byteArray[y.dataOffset + i]) return false;
  return true;
}

const closeTo = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
const round4 = (v: number) => String(Number(v.toFixed(4)));

/**
 * Candidates: Pixel Spacing (calibrated at the patient, or by the modality), Imager Pixel
 * Spacing (at the detector), and Imager Pixel Spacing ÷ Estimated Radiographic Magnification
 * Factor (at the isocentre). Preferred: Pixel Spacing, else IPS÷ERMF, else IPS.
 * DICOM writes both as "row spacing\column spacing", i.e. vertical then horizontal.
 */
function readSpacing(ds: DataSet): SpacingInfo {
  const notes: string[] = [];
  const pixel = spacingPair(ds, PIXEL_SPACING, 'Pixel Spacing', notes);
  const imager = spacingPair(ds, IMAGER_PIXEL_SPACING, 'Imager Pixel Spacing', notes);
  const ermf = positive(decimalAnywhere(ds, ERMF));
  if (ermf === undefined && textAnywhere(ds, ERMF))
    notes.push(`Estimated Radiographic Magnification Factor (0018,1114) "${textAnywhere(ds, ERMF)}" is not usable`);
  const corrected: Spacing | null =
    imager && ermf
      ? { rowMm: imager.rowMm / ermf, columnMm: imager.columnMm / ermf, source: 'Imager Pixel Spacing corrected by ERMF' }
      : null;
  const candidates = [pixel, imager, corrected].filter((s): s is Spacing => s !== null);
  const info: SpacingInfo = { preferred: pixel ?? corrected ?? imager, candidates };
  if (ermf !== undefined) info.estimatedRadiographicMagnificationFactor = ermf;
  const sid = positive(decimalAnywhere(ds, 'x00181110'));
  const sod = positive(decimalAnywhere(ds, 'x00181111'));
  if (sid !== undefined) info.distanceSourceToDetectorMm = sid;
  if (sod !== undefined) info.distanceSourceToPatientMm = sod;
  const aspectRatio = readPixelAspectRatio(ds, notes);
  if (aspectRatio) info.pixelAspectRatio = aspectRatio;
  if (notes.length > 0) info.notes = notes;
  const calibrationType = textAnywhere(ds, 'x00280a02').toUpperCase();
  const calibrationDescription = textAnywhere(ds, 'x00280a04');
  if (calibrationType || calibrationDescription) {
    info.pixelSpacingCalibration = {};
    if (calibrationType) info.pixelSpacingCalibration.type = calibrationType;
    if (calibrationDescription) info.pixelSpacingCalibration.description = calibrationDescription;
  }
  return info;
}

/** Pixel Aspect Ratio (0028,0034) "vertical\horizontal" when usable and not 1:1; a note when unusable. */
function readPixelAspectRatio(ds: DataSet, notes: string[]): SpacingInfo['pixelAspectRatio'] {
  const values = numbersAnywhere(ds, PIXEL_ASPECT_RATIO);
  if (values.length === 0) return undefined;
  const [vertical, horizontal] = values;
  if (values.length === 2 && positive(vertical) && positive(horizontal)) {
    return vertical === horizontal ? undefined : { vertical, horizontal };
  }
  notes.push(`Pixel Aspect Ratio (0028,0034) "${values.join('\\')}" is not usable; pixels are shown square`);
  return undefined;
}

function spacingPair(ds: DataSet, tag: string, source: 'Pixel Spacing' | 'Imager Pixel Spacing', notes: string[]): Spacing | null {
  const values = numbersAnywhere(ds, tag);
  if (values.length === 0) return null;
  const label = `${source} ${tag === PIXEL_SPACING ? '(0028,0030)' : '(0018,1164)'}`;
  const [row, column = values.length === 1 ? row : NaN] = values;
  if (values.length <= 2 && positive(row) && positive(column)) {
    if (values.length === 1) notes.push(`${label} has one value; used for rows and columns alike`);
    return { rowMm: row, columnMm: column, source };
  }
  notes.push(`${label} "${values.join('\\')}" is not usable`);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Acquisition

function readPositioner(ds: DataSet): RunInfo['positioner'] {
  const primary = decimalAnywhere(ds, 'x00181510');
  const secondary = decimalAnywhere(ds, 'x00181511');
  if (primary === undefined || secondary === undefined) return null;
  return { primaryAngleDeg: primary, secondaryAngleDeg: secondary };
}

/**
 * Tube current, exposure time and exposure have a whole-number form (IS: mA, ms, mAs) and a finer
 * one (µA, µs as DS; µAs as IS). The finer is read first when present: a fluoroscopy pulse of
 * 0.216 mAs is "0" in the mAs form, which the overlay showed as "0 mAs".
 */
function readExposure(ds: DataSet): RunInfo['exposure'] {
  const exposure: RunInfo['exposure'] = {};
  const kvp = decimalAnywhere(ds, 'x00180060');
  const tubeCurrentMa = scaled(decimalAnywhere(ds, 'x00188151'), 1 / 1000) ?? decimalAnywhere(ds, 'x00181151');
  const exposureTimeMs = scaled(decimalAnywhere(ds, 'x00188150'), 1 / 1000) ?? decimalAnywhere(ds, 'x00181150');
  const exposureMas = scaled(decimalAnywhere(ds, 'x00181153'), 1 / 1000) ?? decimalAnywhere(ds, 'x00181152');
  if (kvp !== undefined) exposure.kvp = kvp;
  if (tubeCurrentMa !== undefined) exposure.tubeCurrentMa = tubeCurrentMa;
  if (exposureTimeMs !== undefined) exposure.exposureTimeMs = exposureTimeMs;
  if (exposureMas !== undefined) exposure.exposureMas = exposureMas;
  return exposure;
}

function scaled(value: number | undefined, factor: number): number | undefined {
  return value === undefined ? undefined : value * factor;
}

/**
 * Fluoroscopy dose as recorded in the image: Total Time of Fluoroscopy (0040,0300, s), Image and
 * Fluoroscopy Area Dose Product (0018,115E, dGy·cm²), Entrance Dose in mGy (0040,8302; else the
 * older Entrance Dose (0040,0302) in dGy), and how many items the Exposure Dose Sequence holds.
 */
function readDose(headers: ParsedHeader[]): RunInfo['dose'] {
  const ds = headers[0].dataSet;
  const dose: RunInfo['dose'] = {};
  const fluoroscopyTimeS = uint16(ds, 'x00400300');
  const areaDoseProduct = decimalAnywhere(ds, 'x0018115e');
  const entranceDoseMgy = decimal(ds, 'x00408302') ?? scaled(uint16(ds, 'x00400302'), 100);
  const exposureDoseItems = sequenceItems(ds, 'x0040030e').length;
  const eventUIDs = [...new Set(headers.map((h) => text(h.dataSet, 'x00083010')).filter(Boolean))];
  if (fluoroscopyTimeS !== undefined) dose.fluoroscopyTimeS = fluoroscopyTimeS;
  if (areaDoseProduct !== undefined) dose.areaDoseProduct = areaDoseProduct;
  if (entranceDoseMgy !== undefined) dose.entranceDoseMgy = entranceDoseMgy;
  if (exposureDoseItems > 0) dose.exposureDoseSequenceCount = exposureDoseItems;
  if (eventUIDs.length > 0) dose.irradiationEventUIDs = eventUIDs;
  return dose;
}

/**
 * When the run was acquired, as a DICOM DT (no time zone): Acquisition DateTime, else Acquisition
 * Date + Time, else Content, else Series. A Radiation Dose SR's events are matched to runs by it
 * when the images carry no Irradiation Event UID.
 */
function readAcquisitionDateTime(ds: DataSet): string {
  const dateTime = textAnywhere(ds, 'x0008002a');
  if (dateTime) return dateTime;
  for (const [date, time] of [
    ['x00080022', 'x00080032'],
    ['x00080023', 'x00080033'],
    ['x00080021', 'x00080031'],
  ]) {
    if (text(ds, date)) return `${text(ds, date)}${text(ds, time)}`;
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Display

/**
 * Display Shutter (0018,1600–1624): at the top level, or in a Frame Display Shutter Sequence
 * (0018,9472) of an enhanced object's functional groups. Values are kept as written (1-based,
 * row before column); a shape whose attributes are missing or malformed is named in `notes`.
 */
function readShutter(ds: DataSet): Shutter | null {
  const holder = holderOf(ds, 'x00181600');
  if (!holder) return null;
  const shapes = texts(holder, 'x00181600').map((shape) => shape.toUpperCase());
  if (shapes.length === 0) return null;
  const shutter: Shutter = { shapes };
  const notes: string[] = [];
  if (shapes.includes('RECTANGULAR')) {
    const [left, right, upper, lower] = ['x00181602', 'x00181604', 'x00181606', 'x00181608'].map((tag) => decimal(holder, tag));
    if (left !== undefined && right !== undefined && upper !== undefined && lower !== undefined)
      shutter.rectangular = { left, right, upper, lower };
    else notes.push('RECTANGULAR shutter without all four edges (0018,1602–1608); not applied');
  }
  if (shapes.includes('CIRCULAR')) {
    const center = numbers(holder, 'x00181610');
    const radius = decimal(holder, 'x00181612');
    if (center.length === 2 && center.every(Number.isFinite) && radius !== undefined && radius >= 0) {
      shutter.circular = { centerRow: center[0], centerColumn: center[1], radius };
    } else notes.push('CIRCULAR shutter without a usable centre (0018,1610) and radius (0018,1612); not applied');
  }
  if (shapes.includes('POLYGONAL')) {
    const vertices = numbers(holder, 'x00181620');
    if (vertices.length >= 6 && vertices.length % 2 === 0 && vertices.every(Number.isFinite)) shutter.polygonal = vertices;
    else notes.push('POLYGONAL shutter without at least three row\\column vertices (0018,1620); not applied');
  }
  const presentationValue = uint16(holder, 'x00181622');
  if (presentationValue !== undefined) shutter.presentationValue = presentationValue;
  const lab = uint16s(holder, 'x00181624');
  if (lab.length === 3) shutter.presentationColorCIELab = [lab[0], lab[1], lab[2]];
  const overlayGroup = uint16(holder, 'x00181623');
  if (overlayGroup !== undefined) shutter.overlayGroup = overlayGroup;
  if (notes.length > 0) shutter.notes = notes;
  return shutter;
}

/**
 * The Mask module (0028,6100 and 0028,1090) and, for enhanced objects, each frame's Frame Pixel
 * Shift Sequence (0028,9415) in the Per-frame Functional Groups.
 */
function readSubtraction(ds: DataSet): SubtractionInfo {
  return {
    items: sequenceItems(ds, 'x00286100').map(readMaskItem),
    recommendedViewingMode: text(ds, 'x00281090').toUpperCase(),
    framePixelShifts: readFramePixelShifts(ds),
  };
}

function readMaskItem(item: DataSet): MaskSubtraction {
  const mask: MaskSubtraction = { operation: text(item, 'x00286101').toUpperCase() };
  const maskFrames = uint16s(item, 'x00286110');
  const averaging = uint16s(item, 'x00286112');
  const description = text(item, 'x00286190');
  const ranges = uint16s(item, 'x00286102');
  const shift = float32s(item, 'x00286114');
  if (maskFrames.length > 0) mask.maskFrames = maskFrames;
  if (averaging.length > 0) mask.contrastFrameAveraging = averaging;
  if (description) mask.description = description;
  if (ranges.length >= 2) {
    mask.applicableFrameRanges = [];
    for (let i = 0; i + 1 < ranges.length; i += 2) mask.applicableFrameRanges.push({ first: ranges[i], last: ranges[i + 1] });
  }
  if (shift.length === 2 && shift.every(Number.isFinite)) mask.maskSubPixelShift = { rowShift: shift[0], columnShift: shift[1] };
  const tid = int16(item, 'x00286120');
  if (tid !== undefined) mask.tidOffset = tid;
  const id = uint16(item, 'x00289416');
  if (id !== undefined) mask.subtractionItemId = id;
  return mask;
}

function readFramePixelShifts(ds: DataSet): FramePixelShift[] {
  const shifts: FramePixelShift[] = [];
  sequenceItems(ds, PER_FRAME_GROUPS).forEach((frameItem, index) => {
    for (const shiftItem of sequenceItems(frameItem, 'x00289415')) {
      const shift = float32s(shiftItem, 'x00286114');
      if (shift.length !== 2 || !shift.every(Number.isFinite)) continue;
      const entry: FramePixelShift = { frame: index + 1, rowShift: shift[0], columnShift: shift[1] };
      const id = uint16(shiftItem, 'x00289416');
      if (id !== undefined) entry.subtractionItemId = id;
      shifts.push(entry);
    }
  });
  return shifts;
}

/** FL values (4 bytes each, in the data set's byte order). */
function float32s(dataSet: DataSet, tag: string): number[] {
  const element = dataSet.elements[tag];
  if (!element || element.length < 4) return [];
  return Array.from({ length: Math.floor(element.length / 4) }, (_, i) => dataSet.float(tag, i) as number);
}

/** One SS value, or undefined when missing or empty. */
function int16(dataSet: DataSet, tag: string): number | undefined {
  const element = dataSet.elements[tag];
  return element && element.length >= 2 ? dataSet.int16(tag) : undefined;
}

function readIntensitySign(ds: DataSet): number | null {
  const holder = holderOf(ds, 'x00281041');
  const sign = holder ? int16(holder, 'x00281041') : undefined;
  return sign === 1 || sign === -1 ? sign : null;
}

/** Every Window Center/Width pair (0028,1050/1051) with its explanation; pairs with width < 1 are dropped. */
function readVoi(ds: DataSet): RunInfo['voi'] {
  const holder = holderOf(ds, 'x00281050') ?? ds;
  const centers = numbers(holder, 'x00281050');
  const widths = numbers(holder, 'x00281051');
  const explanations = texts(holder, 'x00281055');
  const windows: WindowPreset[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    if (!Number.isFinite(centers[i]) || !(widths[i] >= 1)) continue;
    const preset: WindowPreset = { center: centers[i], width: widths[i] };
    if (explanations[i]) preset.explanation = explanations[i];
    windows.push(preset);
  }
  const lutFunction = text(holder, 'x00281056');
  const voi: RunInfo['voi'] = lutFunction ? { windows, lutFunction } : { windows };
  const luts = readVoiLuts(ds);
  return luts.length ? { ...voi, luts } : voi;
}

/**
 * The VOI LUT Sequence's items (0028,3010) that hold a whole LUT. The first value mapped is in
 * modality values, signed when the pixels are (as the Modality LUT's, PS3.3 C.11.2.1.1).
 */
function readVoiLuts(ds: DataSet): VoiLut[] {
  const holder = holderOf(ds, 'x00283010') ?? ds;
  const signedPixels = uint16(ds, 'x00280103') === 1;
  const luts: VoiLut[] = [];
  for (const item of sequenceItems(holder, 'x00283010')) {
    const lut = readSampledLut(item, signedPixels);
    if (lut) luts.push({ ...lut, explanation: text(item, 'x00283003') ?? '' });
  }
  return luts;
}

/**
 * Modality LUT Sequence (0028,3000) when present, else Rescale Slope/Intercept (default 1/0).
 * For XA and XRF the standard says rescale is not applied for display; it is recorded as found
 * and the viewer decides.
 */
export function readModalityLut(ds: DataSet): ModalityLut {
  const item = sequenceItems(ds, 'x00283000')[0];
  const fromSequence = item ? readSampledLut(item, uint16(ds, 'x00280103') === 1) : null;
  if (fromSequence) {
    const type = text(item, 'x00283004');
    return type ? { kind: 'sequence', ...fromSequence, type } : { kind: 'sequence', ...fromSequence };
  }
  const holder = holderOf(ds, 'x00281053') ?? holderOf(ds, 'x00281052') ?? ds;
  const lut: ModalityLut = { kind: 'rescale', slope: decimal(holder, 'x00281053') ?? 1, intercept: decimal(holder, 'x00281052') ?? 0 };
  const type = text(holder, 'x00281054');
  return type ? { ...lut, type } : lut;
}

/**
 * LUT Descriptor: entries (0 means 65536), first stored value mapped (signed when pixels are),
 * bits per entry. LUT Data is US or OW: one 16-bit word per entry, or (8-bit entries only)
 * packed one byte per entry.
 */
function readSampledLut(item: DataSet, signedPixels: boolean): SampledLut | null {
  const descriptor = uint16s(item, 'x00283002');
  const dataElement = item.elements['x00283006'];
  if (descriptor.length < 3 || !dataElement) return null;
  const numberOfEntries = descriptor[0] === 0 ? 65536 : descriptor[0];
  const firstValueMapped = signedPixels && descriptor[1] > 0x7fff ? descriptor[1] - 0x10000 : descriptor[1];
  const bitsPerEntry = descriptor[2];
  const data =
    bitsPerEntry === 8 && dataElement.length === numberOfEntries
      ? Array.from(item.byteArray.subarray(dataElement.dataOffset, dataElement.dataOffset + numberOfEntries))
      : uint16s(item, 'x00283006').slice(0, numberOfEntries);
  // A table shorter than its descriptor says is looked up as far as it goes (its last entry after).
  return data.length ? { firstValueMapped, numberOfEntries, bitsPerEntry, data } : null;
}

/** What factsOfFrame reads of a run. */
export type FrameFactsSource = Pick<
  RunInfo,
  'instanceNumber' | 'positioner' | 'exposure' | 'patientOrientation' | 'instances' | 'frameCount'
>;

/**
 * Number, projection, technique and Patient Orientation of a frame's image: in a series of single
 * frames, the frame's own instance (frame 5 of spot images 1–10 is instance 5, maybe at another
 * angle); else the run's.
 */
export function factsOfFrame(run: FrameFactsSource, frame: number): InstanceFacts {
  const own = run.frameCount > 1 && run.instances.length === run.frameCount ? run.instances[frame - 1] : undefined;
  return (
    own ?? {
      instanceNumber: run.instanceNumber,
      positioner: run.positioner,
      exposure: run.exposure,
      patientOrientation: run.patientOrientation,
    }
  );
}
