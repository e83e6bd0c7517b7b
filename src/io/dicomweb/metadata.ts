/**
 * Series metadata (DICOM JSON) → the same RunInfo a local file gives.
 *
 * Each instance's DICOM JSON is written back as a Part 10 header without pixel data (dcmjs's
 * DicomDict speaks the DICOM JSON model), read by the same readHeader, grouped by the same
 * grouping and built by the same buildRunInfo as local files. So overlay, timing, calibration and
 * annotations cannot drift apart between the two paths, and the run identity (study | series |
 * first SOP instance | frame count) equals the local copy's, which is what autosave is keyed by.
 *
 * What the JSON → bytes step has to take care of (dcmjs does the encoding):
 * - empty elements come without "Value"; they are written empty (present, zero length);
 * - AT values come as hex strings ("00181063") and are written as tags;
 * - InlineBinary is base64; BulkDataURI values are fetched only where RunInfo reads them (LUT Data
 *   of the Modality and VOI LUT Sequences, Overlay Data) and dropped elsewhere (pixel data, curves, private blobs);
 * - private elements are dropped (RunInfo reads none; vendors' odd VRs are not worth the risk);
 * - text: dicom-parser returns each byte as one character, so a local Latin-1 file reads
 *   correctly and a UTF-8 file reads as its bytes. Non-ASCII values are written as those same
 *   bytes (UTF-8 when Specific Character Set is ISO_IR 192, else Latin-1), so RunInfo text is
 *   identical either way. (Other character sets, e.g. ISO 2022 Japanese, can differ.)
 * - the transfer syntax is not in the metadata (Orthanc, like most servers, leaves group 0002
 *   out): it comes from frame 1's part (transfer-syntax parameter), or from Available Transfer
 *   Syntax UID (0008,3002) when a server sends that.
 */
import dcmjs from 'dcmjs';
import { bufferSource } from '../../dicom/byteSource';
import { nonImageClassName } from '../../dicom/classify';
import { groupInstancesIntoRuns, summarizeInstance } from '../../dicom/grouping';
import { readHeader } from '../../dicom/header';
import { runIdentity } from '../../dicom/run';
import { buildRunInfo } from '../../dicom/runInfo';
import type { ParsedHeader, RunInfo } from '../../dicom/types';
import { DicomInputError } from '../../dicom/types';
import type { DicomWebClient } from './client';
import { jsonText, personNameText, type DicomJsonDataset, type DicomJsonElement } from './dicomJson';
import { DicomWebError } from './errors';
import type { RunInstance } from './runFrames';
import { retrieveBulkData, retrieveFrames, retrieveSeriesMetadata, type FramePart, type InstanceRef, type SeriesRef } from './wado';

const { DicomDict } = dcmjs.data;

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/**
 * Bulk values RunInfo reads: LUT Data (inside the Modality and the VOI LUT Sequence) and the
 * Overlay Data of overlay planes 6000–601E (even groups).
 */
function isNeededBulkTag(tag: string): boolean {
  return tag === '00283006' || /^60[01][02468ACE]3000$/.test(tag);
}
const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
const ENCODED_TEXT_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'UC', 'PN']);

/** Fetched bulk values, by the BulkDataURI the metadata gave. */
export type BulkValues = ReadonlyMap<string, Uint8Array>;

/** Every BulkDataURI in the data set (any depth) that RunInfo needs. */
export function neededBulkDataUris(dataset: DicomJsonDataset): string[] {
  const out: string[] = [];
  const walk = (ds: DicomJsonDataset) => {
    for (const [tag, element] of Object.entries(ds)) {
      if (element.BulkDataURI && isNeededBulkTag(tag.toUpperCase())) out.push(element.BulkDataURI);
      if (element.vr === 'SQ') for (const item of element.Value ?? []) walk(item as DicomJsonDataset);
    }
  };
  walk(dataset);
  return out;
}

/**
 * One instance's metadata as a ParsedHeader, as readHeader gives it for a local file (with no
 * pixel data location). `transferSyntaxUID` is the stored transfer syntax, where known.
 */
export async function headerFromDicomJson(
  dataset: DicomJsonDataset,
  options: { name: string; transferSyntaxUID: string; bulk?: BulkValues },
): Promise<ParsedHeader> {
  const utf8 = jsonText(dataset, '00080005').includes('ISO_IR 192');
  const dict = new DicomDict({
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [jsonText(dataset, '00080016')] },
    '00020003': { vr: 'UI', Value: [jsonText(dataset, '00080018')] },
    '00020010': { vr: 'UI', Value: [EXPLICIT_VR_LITTLE_ENDIAN] },
  });
  dict.dict = toDcmjsDataset(dataset, { utf8, bulk: options.bulk ?? new Map() });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(dict.write() as ArrayBuffer);
  } catch (error) {
    throw new DicomInputError(options.name, `the metadata could not be encoded (${(error as Error).message})`);
  }
  const header = await readHeader(bufferSource(options.name, bytes));
  header.transferSyntaxUID = options.transferSyntaxUID;
  return header;
}

interface Conversion {
  utf8: boolean;
  bulk: BulkValues;
}

function toDcmjsDataset(dataset: DicomJsonDataset, conversion: Conversion): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawTag, element] of Object.entries(dataset)) {
    const tag = rawTag.toUpperCase();
    const group = parseInt(tag.slice(0, 4), 16);
    if (!/^[0-9A-F]{8}$/.test(tag) || group === 0x0002 || group % 2 === 1 || tag === '7FE00010') continue;
    const converted = toDcmjsElement(element, conversion);
    if (converted) out[tag] = converted;
  }
  return out;
}

function toDcmjsElement(element: DicomJsonElement, conversion: Conversion): { vr: string; Value: unknown[] } | null {
  const vr = element.vr;
  if (element.BulkDataURI !== undefined) {
    const bytes = conversion.bulk.get(element.BulkDataURI);
    return bytes ? { vr, Value: [arrayBufferOf(bytes)] } : null;
  }
  if (element.InlineBinary !== undefined) return { vr, Value: [arrayBufferOf(fromBase64(element.InlineBinary))] };
  const values = Array.isArray(element.Value) ? element.Value : [];
  if (vr === 'SQ') return { vr, Value: values.map((item) => toDcmjsDataset(item as DicomJsonDataset, conversion)) };
  if (BINARY_VRS.has(vr)) return values.length ? null : { vr, Value: [] };
  if (vr === 'AT') return { vr, Value: values.map((v) => (typeof v === 'string' ? parseInt(v, 16) : v)) };
  if (ENCODED_TEXT_VRS.has(vr)) {
    const texts = values.map((v) => (vr === 'PN' ? personNameText(v) : v === null || v === undefined ? '' : String(v)));
    // Non-ASCII text goes in as the bytes a local file would hold (see the top of this file).
    if (texts.some(isNonAscii)) return { vr: 'UN', Value: [arrayBufferOf(encodeText(texts.join('\\'), conversion.utf8))] };
    return { vr, Value: texts };
  }
  return { vr, Value: values.map((v) => (v === null ? '' : v)) };
}

function isNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return true;
  return false;
}

function encodeText(text: string, utf8: boolean): Uint8Array {
  if (utf8 || [...text].some((c) => c.codePointAt(0)! > 0xff)) return new TextEncoder().encode(text);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

// ---------------------------------------------------------------------------------------------
// Runs

/** A run of a DICOMweb series, ready to show: what openFiles gives for a local copy, plus where its frames are. */
export interface RemoteRun {
  /** study | series | first SOP Instance UID | frame count: equal to the local copy's identity. */
  identity: string;
  info: RunInfo;
  /** The run's instances in play order; run frame n is the n-th frame over them. */
  instances: RunInstance[];
  /** Frame 1, fetched while opening (it told us the transfer syntax): hand it to the decoder first. */
  firstFrame: FramePart | null;
  problems: string[];
}

export interface SkippedInstance {
  /** "instance 3 of the series" (never a UID). */
  name: string;
  reason: string;
}

export interface MetadataRuns {
  runs: Array<Omit<RemoteRun, 'firstFrame'>>;
  skipped: SkippedInstance[];
}

/** The stored transfer syntax where the metadata states it (most servers do not). */
export function statedTransferSyntax(dataset: DicomJsonDataset): string {
  return jsonText(dataset, '00083002') || jsonText(dataset, '00020010');
}

/**
 * Groups a series' instances into runs exactly as local files are grouped, and builds each run's
 * RunInfo. `transferSyntaxOf` gives the stored transfer syntax of an instance (by SOP Instance UID).
 */
export async function runsFromMetadata(
  datasets: readonly DicomJsonDataset[],
  transferSyntaxOf: (sopInstanceUID: string) => string,
  bulk: BulkValues = new Map(),
): Promise<MetadataRuns> {
  const { headers, skipped } = await headersFromMetadata(datasets, bulk);
  const groups = groupRuns(headers, skipped);
  for (const header of headers) header.transferSyntaxUID = transferSyntaxOf(sopInstanceOf(header));
  return { runs: finishRuns(groups, skipped), skipped };
}

async function headersFromMetadata(
  datasets: readonly DicomJsonDataset[],
  bulk: BulkValues,
): Promise<{ headers: ParsedHeader[]; skipped: SkippedInstance[] }> {
  const skipped: SkippedInstance[] = [];
  const headers: ParsedHeader[] = [];
  for (const [index, dataset] of datasets.entries()) {
    const name = `instance ${index + 1} of the series`;
    const reason = nonImageReason(dataset);
    if (reason) {
      skipped.push({ name, reason });
      continue;
    }
    try {
      headers.push(await headerFromDicomJson(dataset, { name, transferSyntaxUID: statedTransferSyntax(dataset), bulk }));
    } catch (error) {
      skipped.push({ name, reason: error instanceof DicomInputError ? error.reason : String(error) });
    }
  }
  return { headers, skipped };
}

function sopInstanceOf(header: ParsedHeader): string {
  return summarizeInstance(header).sopInstanceUID;
}

/** The runs' headers in play order, as openFiles groups local files. */
function groupRuns(headers: ParsedHeader[], skipped: SkippedInstance[]): ParsedHeader[][] {
  const studies = groupInstancesIntoRuns(headers.map((header) => ({ ...summarizeInstance(header), item: header })));
  return studies.flatMap((study) =>
    study.runs.map((run) => {
      for (const duplicate of run.duplicates)
        skipped.push({ name: duplicate.item.source.name, reason: 'listed twice in the metadata; shown once' });
      return run.instances.map((i) => i.item);
    }),
  );
}

function finishRuns(groups: ParsedHeader[][], skipped: SkippedInstance[]): MetadataRuns['runs'] {
  const runs: MetadataRuns['runs'] = [];
  for (const headers of groups) {
    try {
      const info = buildRunInfo(headers);
      runs.push({
        // As io/openFiles.ts gives it, so autosaved work follows the run.
        identity: runIdentity(info, headers[0].source.name),
        info,
        instances: headers.map((header) => {
          const summary = summarizeInstance(header);
          return {
            studyInstanceUID: summary.studyUID,
            seriesInstanceUID: summary.seriesUID,
            sopInstanceUID: summary.sopInstanceUID,
            frameCount: summary.frameCount,
          };
        }),
        problems: [],
      });
    } catch (error) {
      skipped.push({ name: headers[0].source.name, reason: error instanceof DicomInputError ? error.reason : String(error) });
    }
  }
  return runs;
}

/** Why an instance is not something we play (SR, presentation state, no image attributes), or null. */
function nonImageReason(dataset: DicomJsonDataset): string | null {
  const sopClass = jsonText(dataset, '00080016');
  const name = nonImageClassName(sopClass);
  if (name) return `${name} — not an image`;
  if (!dataset['00280010']) return `no image attributes (SOP class ${sopClass || 'missing'}) — not an image`;
  return null;
}

/**
 * Opens a DICOMweb series: metadata, the bulk values RunInfo needs, and frame 1 of each run (which
 * tells the stored transfer syntax and is the first thing to show). Rejects with a classified
 * DicomWebError when the series is missing or holds no image.
 */
export interface OpenSeriesOptions {
  signal?: AbortSignal;
  /**
   * The series' first image instance as a search already gave it (the PACS panel lists series by
   * QIDO): its frame 1 is asked for at once, beside the metadata, not after it. A PACS such as
   * Orthanc reads the whole instance for each of the two requests, so on a large run this halves
   * the time to the first frame. When the metadata shows another instance first, it is not used.
   */
  firstInstance?: { sopInstanceUID: string };
}

export async function openRemoteSeries(
  client: DicomWebClient,
  ref: SeriesRef,
  options: OpenSeriesOptions = {},
): Promise<{ runs: RemoteRun[]; skipped: SkippedInstance[] }> {
  const operation = 'Opening the series';
  const early = options.firstInstance ? fetchFirstFrame(client, { ...ref, ...options.firstInstance }, options.signal) : null;
  const datasets = await retrieveSeriesMetadata(client, ref, { signal: options.signal });
  const uris = [...new Set(datasets.flatMap(neededBulkDataUris))];
  const bulk = new Map(await Promise.all(uris.map(async (uri) => [uri, await retrieveBulkData(client, uri, options)] as const)));
  const { headers, skipped } = await headersFromMetadata(datasets, bulk);
  const groups = groupRuns(headers, skipped);
  if (groups.length === 0) {
    const why = skipped[0]?.reason;
    throw new DicomWebError('no-images', operation, `the series holds no image${why ? ` (${why})` : ''}`);
  }
  // Frame 1 of each run tells the stored transfer syntax (where the metadata does not) and is
  // what the viewer shows first.
  const firstFrames = await Promise.all(
    groups.map(async (group) => {
      const summary = summarizeInstance(group[0]);
      if (early && summary.sopInstanceUID === options.firstInstance?.sopInstanceUID) return early.then((outcome) => outcome.unwrap());
      return (
        await fetchFirstFrame(
          client,
          { studyInstanceUID: summary.studyUID, seriesInstanceUID: summary.seriesUID, sopInstanceUID: summary.sopInstanceUID },
          options.signal,
        )
      ).unwrap();
    }),
  );
  groups.forEach((group, index) => {
    const found = firstFrames[index]?.transferSyntaxUID ?? '';
    for (const header of group) header.transferSyntaxUID ||= found;
  });
  const runs = finishRuns(groups, skipped);
  return {
    runs: runs.map((run) => ({
      ...run,
      firstFrame: firstFrames[groups.findIndex((g) => sopInstanceOf(g[0]) === run.instances[0].sopInstanceUID)] ?? null,
    })),
    skipped,
  };
}

/** Frame 1 of an instance; a failure is kept, not thrown, until someone uses the frame (or never). */
async function fetchFirstFrame(
  client: DicomWebClient,
  ref: InstanceRef,
  signal: AbortSignal | undefined,
): Promise<{ unwrap(): FramePart | null }> {
  let first: FramePart | null = null;
  try {
    await retrieveFrames(client, ref, [1], (part) => (first = part), { signal, operation: 'Frame 1' });
    const part = first as FramePart | null;
    return { unwrap: () => part };
  } catch (error) {
    return {
      unwrap: () => {
        throw error;
      },
    };
  }
}
