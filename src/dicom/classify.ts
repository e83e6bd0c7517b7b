/**
 * What a file is, from its header alone: an image we can show as (part of) a run, a DICOMDIR to
 * follow, or something else (a structured report, a presentation state, a waveform, a video, a
 * file cut off before its pixels), with the reason phrased for the Skipped files list. Also reads
 * a DICOMDIR's IMAGE records, so io/openFiles.ts can say which listed files were not given.
 * Runs before validation and grouping (io/openFiles.ts); pure.
 */
import type { DataSet } from 'dicom-parser';
import { dicomParser } from './parserLib';
import type { ParsedHeader } from './types';
import { MEDIA_STORAGE_DIRECTORY } from './uids';
import { sequenceItems, text, texts } from './values';

export type InstanceClass =
  | { kind: 'image' }
  | { kind: 'dicomdir' }
  /** doseReport: an X-Ray Radiation Dose SR, not shown as a run but read by radiationDose.ts for the dose panel. */
  | { kind: 'non-image'; reason: string; doseReport?: true };

/** Decides whether a file is something we show as a run, a DICOMDIR to follow, or neither (and why). */
export function classifyInstance(header: ParsedHeader): InstanceClass {
  const { dataSet } = header;
  const mediaStorageClass = text(dataSet, 'x00020002');
  const sopClass = text(dataSet, 'x00080016') || mediaStorageClass;
  if (mediaStorageClass === MEDIA_STORAGE_DIRECTORY || sopClass === MEDIA_STORAGE_DIRECTORY || dataSet.elements['x00041220']) {
    return { kind: 'dicomdir' };
  }
  const nonImage = nonImageClassName(sopClass);
  if (nonImage && DOSE_REPORT_CLASSES.has(sopClass)) return { kind: 'non-image', reason: `${nonImage} — not an image`, doseReport: true };
  if (nonImage) return { kind: 'non-image', reason: `${nonImage} — not an image` };
  const video = videoTransferSyntaxName(header.transferSyntaxUID);
  if (video) return { kind: 'non-image', reason: `${video} video — video transfer syntaxes are not supported` };
  if (!header.pixelData) {
    // Image attributes without pixels usually mean the file was cut short just before them.
    if (dataSet.elements['x00280010'])
      return { kind: 'non-image', reason: 'has image attributes but no Pixel Data (7FE0,0010); the file may be cut off' };
    const what = sopClass ? `SOP class ${sopClass}` : 'no SOP class';
    return { kind: 'non-image', reason: `no pixel data (${what}) — not an image` };
  }
  return { kind: 'image' };
}

const SR = '1.2.840.10008.5.1.4.1.1.88.';
const PRESENTATION_STATE = '1.2.840.10008.5.1.4.1.1.11.';
const WAVEFORM = '1.2.840.10008.5.1.4.1.1.9.';
const RT = '1.2.840.10008.5.1.4.1.1.481.';

/** Dose reports the dose panel reads (radiationDose.ts). */
const DOSE_REPORT_CLASSES = new Set([`${SR}67`, `${SR}76`]);

/** SOP classes that carry no image we could play, by name. */
const NON_IMAGE_CLASSES: Record<string, string> = {
  [`${SR}11`]: 'Basic Text Structured Report',
  [`${SR}22`]: 'Enhanced Structured Report',
  [`${SR}33`]: 'Comprehensive Structured Report',
  [`${SR}34`]: 'Comprehensive 3D Structured Report',
  [`${SR}35`]: 'Extensible Structured Report',
  [`${SR}40`]: 'Procedure Log Structured Report',
  [`${SR}59`]: 'Key Object Selection document',
  [`${SR}67`]: 'X-Ray Radiation Dose Structured Report',
  [`${SR}68`]: 'Radiopharmaceutical Radiation Dose Structured Report',
  [`${SR}73`]: 'Patient Radiation Dose Structured Report',
  [`${SR}76`]: 'Enhanced X-Ray Radiation Dose Structured Report',
  [`${PRESENTATION_STATE}1`]: 'Grayscale Softcopy Presentation State',
  [`${PRESENTATION_STATE}2`]: 'Color Softcopy Presentation State',
  [`${PRESENTATION_STATE}3`]: 'Pseudo-Color Softcopy Presentation State',
  [`${PRESENTATION_STATE}4`]: 'Blending Softcopy Presentation State',
  [`${PRESENTATION_STATE}5`]: 'XA/XRF Grayscale Softcopy Presentation State',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
  '1.2.840.10008.5.1.4.1.1.104.2': 'Encapsulated CDA document',
  '1.2.840.10008.5.1.4.1.1.104.3': 'Encapsulated STL model',
  '1.2.840.10008.5.1.4.1.1.104.4': 'Encapsulated OBJ model',
  '1.2.840.10008.5.1.4.1.1.104.5': 'Encapsulated MTL material',
  [`${WAVEFORM}1.1`]: '12-lead ECG waveform',
  [`${WAVEFORM}1.2`]: 'General ECG waveform',
  [`${WAVEFORM}2.1`]: 'Hemodynamic waveform',
  [`${WAVEFORM}4.1`]: 'Basic voice audio waveform',
  '1.2.840.10008.5.1.4.1.1.66': 'Raw Data',
  '1.2.840.10008.5.1.4.1.1.66.1': 'Spatial Registration',
  '1.2.840.10008.5.1.4.1.1.66.2': 'Spatial Fiducials',
  '1.2.840.10008.5.1.4.1.1.66.3': 'Deformable Spatial Registration',
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation',
  '1.2.840.10008.5.1.4.1.1.66.5': 'Surface Segmentation',
  '1.2.840.10008.5.1.4.1.1.67': 'Real World Value Mapping',
  '1.2.840.10008.5.1.4.1.1.4.2': 'MR Spectroscopy',
  '1.2.840.10008.5.1.4.1.1.90.1': 'Content Assessment Results',
  '1.2.840.10008.5.1.4.38.1': 'Hanging Protocol',
  '1.2.840.10008.5.1.4.39.1': 'Color Palette',
  [`${RT}2`]: 'RT Dose',
  [`${RT}3`]: 'RT Structure Set',
  [`${RT}5`]: 'RT Plan',
};

/** Whether a SOP class is a radiation dose report (X-Ray or Enhanced X-Ray Radiation Dose SR). */
export function isDoseReportClass(sopClassUID: string): boolean {
  return DOSE_REPORT_CLASSES.has(sopClassUID);
}

/** The name of a non-image SOP class, with families named even when the exact class is not listed. */
export function nonImageClassName(sopClassUID: string): string | null {
  const exact = NON_IMAGE_CLASSES[sopClassUID];
  if (exact) return exact;
  if (sopClassUID.startsWith(SR)) return 'Structured Report';
  if (sopClassUID.startsWith(PRESENTATION_STATE)) return 'Presentation State';
  if (sopClassUID.startsWith(WAVEFORM)) return 'Waveform';
  if (sopClassUID.startsWith('1.2.840.10008.5.1.4.1.1.104.')) return 'Encapsulated document';
  if (sopClassUID.startsWith(RT) && sopClassUID !== `${RT}1`) return 'Radiotherapy object';
  return null;
}

function videoTransferSyntaxName(uid: string): string | null {
  if (/^1\.2\.840\.10008\.1\.2\.4\.10[01]$/.test(uid)) return 'MPEG-2';
  if (/^1\.2\.840\.10008\.1\.2\.4\.10[2-6]$/.test(uid)) return 'MPEG-4 AVC/H.264';
  if (/^1\.2\.840\.10008\.1\.2\.4\.10[78]$/.test(uid)) return 'HEVC/H.265';
  return null;
}

// ---------------------------------------------------------------------------------------------
// DICOMDIR

/** One IMAGE record of a DICOMDIR, with the patient/study/series records above it. */
export interface DicomDirEntry {
  /** Referenced File ID (0004,1500) components joined with "/", relative to the DICOMDIR's folder. */
  fileId: string;
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID: string;
  patient: { id: string; name: string };
  study: { instanceUID: string; date: string; description: string };
  series: { instanceUID: string; modality: string; number: string; description: string };
}

interface Context {
  patient: DicomDirEntry['patient'];
  study: DicomDirEntry['study'];
  series: DicomDirEntry['series'];
}

const EMPTY_CONTEXT: Context = {
  patient: { id: '', name: '' },
  study: { instanceUID: '', date: '', description: '' },
  series: { instanceUID: '', modality: '', number: '', description: '' },
};

/**
 * Lists the IMAGE records of a DICOMDIR. The header already holds the whole file (a DICOMDIR has
 * no Pixel Data, so readHeader reads to the end); pass `bytes` to parse another copy instead.
 * Records are followed through their offsets (next / lower level) as the standard defines; when
 * those offsets do not resolve, they are read in file order, which is how writers lay them out.
 */
export async function readDicomDir(header: ParsedHeader, bytes?: Uint8Array): Promise<DicomDirEntry[]> {
  const dataSet = bytes ? dicomParser.parseDicom(bytes) : header.dataSet;
  const records = sequenceItems(dataSet, 'x00041220');
  const itemOffsets = (dataSet.elements['x00041220']?.items ?? []).map((item) => item.dataOffset - 8);
  const byOffset = new Map<number, DataSet>(records.map((record, i) => [itemOffsets[i], record]));
  const rootOffset = dataSet.uint32('x00041200') ?? 0;
  const ordered = byOffset.has(rootOffset)
    ? recordsInHierarchy(byOffset, rootOffset)
    : records.map((r) => ({ record: r, depthPath: [] as DataSet[] }));
  return entriesFrom(ordered);
}

interface Visit {
  record: DataSet;
  /** Records above this one, outermost first; empty when read in file order. */
  depthPath: DataSet[];
}

/** Depth-first walk over "next record" and "lower-level record" offsets, guarding against loops. */
function recordsInHierarchy(byOffset: Map<number, DataSet>, rootOffset: number): Visit[] {
  const out: Visit[] = [];
  const seen = new Set<number>();
  const stack: Array<{ offset: number; path: DataSet[] }> = [{ offset: rootOffset, path: [] }];
  while (stack.length > 0) {
    const { offset, path } = stack.pop()!;
    const record = byOffset.get(offset);
    if (!record || seen.has(offset)) continue;
    seen.add(offset);
    out.push({ record, depthPath: path });
    const next = record.uint32('x00041400') ?? 0;
    const lower = record.uint32('x00041420') ?? 0;
    if (next) stack.push({ offset: next, path });
    if (lower) stack.push({ offset: lower, path: [...path, record] });
  }
  return out;
}

function entriesFrom(visits: Visit[]): DicomDirEntry[] {
  const entries: DicomDirEntry[] = [];
  let running: Context = EMPTY_CONTEXT;
  for (const { record, depthPath } of visits) {
    if ((record.uint16('x00041410') ?? 0xffff) === 0) continue; // record marked inactive
    const type = text(record, 'x00041430');
    // In hierarchy order the context is the path; in file order it is whatever came last.
    const context = depthPath.length > 0 ? depthPath.reduce(applyRecord, EMPTY_CONTEXT) : running;
    running = applyRecord(context, record);
    if (type !== 'IMAGE') continue;
    const fileId = texts(record, 'x00041500').join('/');
    if (!fileId) continue;
    entries.push({
      fileId,
      sopClassUID: text(record, 'x00041510'),
      sopInstanceUID: text(record, 'x00041511'),
      transferSyntaxUID: text(record, 'x00041512'),
      ...context,
    });
  }
  return entries;
}

/** The context below a PATIENT, STUDY or SERIES record. */
function applyRecord(context: Context, record: DataSet): Context {
  switch (text(record, 'x00041430')) {
    case 'PATIENT':
      return { ...EMPTY_CONTEXT, patient: { id: text(record, 'x00100020'), name: text(record, 'x00100010') } };
    case 'STUDY':
      return {
        ...context,
        study: { instanceUID: text(record, 'x0020000d'), date: text(record, 'x00080020'), description: text(record, 'x00081030') },
        series: EMPTY_CONTEXT.series,
      };
    case 'SERIES':
      return {
        ...context,
        series: {
          instanceUID: text(record, 'x0020000e'),
          modality: text(record, 'x00080060'),
          number: text(record, 'x00200011'),
          // Optional in a SERIES record (the General Purpose profile leaves it out); shown when there.
          description: text(record, 'x0008103e'),
        },
      };
    default:
      return context;
  }
}
