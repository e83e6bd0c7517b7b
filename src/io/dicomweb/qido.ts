/**
 * QIDO-RS: studies filtered by patient, date range, modality and description; the series of a
 * study with their frame counts; instances (e.g. to find a stored report again).
 */
import type { DicomWebClient } from './client';
import { isDataset, jsonNumber, jsonText, jsonTexts, type DicomJsonDataset } from './dicomJson';
import { DicomWebError } from './errors';

export const DEFAULT_MODALITIES: readonly string[] = ['XA', 'RF'];

export interface StudyQuery {
  /** Matched as a prefix ("smith" → "smith*") unless it holds a wildcard itself. */
  patientName?: string;
  patientId?: string;
  /** Inclusive, "YYYYMMDD" or "YYYY-MM-DD"; either end may be left open. */
  dateFrom?: string;
  dateTo?: string;
  /** Modalities in study, any of; default XA and RF; [] for any modality. */
  modalities?: readonly string[];
  /** Matched anywhere in the study description: "medial branch" → "*medial*branch*" (Orthanc matches no space). */
  description?: string;
  /** One study by its UID (a deep link names it). */
  studyInstanceUID?: string;
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export interface StudySummary {
  studyInstanceUID: string;
  /** Raw PN ("Family^Given"); show it with formatPersonName. */
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  studyDate: string;
  studyTime: string;
  description: string;
  accessionNumber: string;
  modalities: string[];
  seriesCount: number | null;
  instanceCount: number | null;
}

export interface InstanceSummary {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  instanceNumber: number | null;
  /** Number of Frames; null when the server does not say (single-frame images have none). */
  numberOfFrames: number | null;
  rows: number | null;
  columns: number | null;
}

export interface SeriesSummary {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  modality: string;
  seriesNumber: number | null;
  description: string;
  instanceCount: number | null;
  /** Frames over the series' images: Number of Frames where given, else one per image instance; null when unknown. */
  frameCount: number | null;
  /** The series' instances in Instance Number order (from an instance-level query). */
  instances: InstanceSummary[];
}

const STUDY_FIELDS = [
  '00080020',
  '00080030',
  '00080050',
  '00081030',
  '00080061',
  '00100010',
  '00100020',
  '00100030',
  '00201206',
  '00201208',
];
const SERIES_FIELDS = ['00080060', '0008103E', '00200011', '00201209'];
const INSTANCE_FIELDS = ['0020000E', '00080016', '00080018', '00200013', '00280008', '00280010', '00280011'];

export async function searchStudies(
  client: DicomWebClient,
  query: StudyQuery = {},
  options: { signal?: AbortSignal } = {},
): Promise<StudySummary[]> {
  const modalities = query.modalities ?? DEFAULT_MODALITIES;
  const answer = await client.getJson('Study search', '/studies', {
    signal: options.signal,
    query: {
      StudyInstanceUID: query.studyInstanceUID?.trim() || undefined,
      PatientName: prefixMatch(query.patientName),
      PatientID: query.patientId?.trim() || undefined,
      StudyDate: dateRange(query.dateFrom, query.dateTo),
      ModalitiesInStudy: modalities.length ? modalities.join(',') : undefined,
      StudyDescription: containsMatch(query.description),
      limit: query.limit ?? 100,
      offset: query.offset || undefined,
      includefield: STUDY_FIELDS,
    },
  });
  return datasets('Study search', answer).map((ds) => ({
    studyInstanceUID: jsonText(ds, '0020000D'),
    patientName: jsonText(ds, '00100010'),
    patientId: jsonText(ds, '00100020'),
    patientBirthDate: jsonText(ds, '00100030'),
    studyDate: jsonText(ds, '00080020'),
    studyTime: jsonText(ds, '00080030'),
    description: jsonText(ds, '00081030'),
    accessionNumber: jsonText(ds, '00080050'),
    modalities: jsonTexts(ds, '00080061'),
    seriesCount: jsonNumber(ds, '00201206'),
    instanceCount: jsonNumber(ds, '00201208'),
  }));
}

/** The series of a study with frame counts: one series-level and one instance-level query. */
export async function searchSeries(
  client: DicomWebClient,
  studyInstanceUID: string,
  options: { signal?: AbortSignal } = {},
): Promise<SeriesSummary[]> {
  const study = encodeURIComponent(studyInstanceUID);
  const notFound = 'the study is not on the PACS';
  const [seriesAnswer, instances] = await Promise.all([
    client.getJson('Series list', `/studies/${study}/series`, { signal: options.signal, notFound, query: { includefield: SERIES_FIELDS } }),
    searchInstances(client, { studyInstanceUID }, options),
  ]);
  return datasets('Series list', seriesAnswer)
    .map((ds) => {
      const seriesInstanceUID = jsonText(ds, '0020000E');
      const own = instances.filter((i) => i.seriesInstanceUID === seriesInstanceUID);
      return {
        studyInstanceUID,
        seriesInstanceUID,
        modality: jsonText(ds, '00080060'),
        seriesNumber: jsonNumber(ds, '00200011'),
        description: jsonText(ds, '0008103E'),
        instanceCount: jsonNumber(ds, '00201209') ?? (own.length || null),
        frameCount: own.length ? frameCountOf(own) : null,
        instances: own,
      };
    })
    .sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity));
}

/** Frames in a series: Number of Frames where given, one per other image (an instance with Rows). */
export function frameCountOf(instances: readonly InstanceSummary[]): number {
  return instances.reduce((sum, i) => sum + (i.numberOfFrames ?? (i.rows !== null ? 1 : 0)), 0);
}

export interface InstanceQuery {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
  modality?: string;
}

export async function searchInstances(
  client: DicomWebClient,
  query: InstanceQuery,
  options: { signal?: AbortSignal } = {},
): Promise<InstanceSummary[]> {
  const study = encodeURIComponent(query.studyInstanceUID);
  const path = query.seriesInstanceUID
    ? `/studies/${study}/series/${encodeURIComponent(query.seriesInstanceUID)}/instances`
    : `/studies/${study}/instances`;
  const answer = await client.getJson('Instance search', path, {
    signal: options.signal,
    notFound: query.seriesInstanceUID ? 'the series is not on the PACS' : 'the study is not on the PACS',
    query: { SOPInstanceUID: query.sopInstanceUID, Modality: query.modality, includefield: INSTANCE_FIELDS },
  });
  return datasets('Instance search', answer)
    .map((ds) => ({
      studyInstanceUID: jsonText(ds, '0020000D') || query.studyInstanceUID,
      seriesInstanceUID: jsonText(ds, '0020000E'),
      sopInstanceUID: jsonText(ds, '00080018'),
      sopClassUID: jsonText(ds, '00080016'),
      instanceNumber: jsonNumber(ds, '00200013'),
      numberOfFrames: jsonNumber(ds, '00280008'),
      rows: jsonNumber(ds, '00280010'),
      columns: jsonNumber(ds, '00280011'),
    }))
    .sort((a, b) => (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity));
}

/** A QIDO answer must be a JSON array of data sets; an empty answer (204) is no match. */
function datasets(operation: string, answer: unknown): DicomJsonDataset[] {
  if (answer === null) return [];
  if (!Array.isArray(answer) || !answer.every(isDataset)) {
    throw new DicomWebError('malformed', operation, 'the PACS answered with something other than a list of DICOM JSON data sets');
  }
  return answer;
}

function prefixMatch(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  return /[*?]/.test(trimmed) ? trimmed : `${trimmed}*`;
}

function containsMatch(text: string | undefined): string | undefined {
  const words = text?.trim().split(/\s+/).filter(Boolean) ?? [];
  return words.length ? `*${words.join('*')}*` : undefined;
}

/** "20240101-20240331", "20240101-", "-20240331", or undefined. */
export function dateRange(from: string | undefined, to: string | undefined): string | undefined {
  const a = normalizeDate(from);
  const b = normalizeDate(to);
  if (!a && !b) return undefined;
  return a === b ? a : `${a}-${b}`;
}

function normalizeDate(value: string | undefined): string {
  const digits = (value ?? '').replace(/-/g, '').trim();
  if (digits === '') return '';
  if (!/^\d{8}$/.test(digits)) throw new RangeError(`"${value}" is not a date (YYYY-MM-DD)`);
  return digits;
}
