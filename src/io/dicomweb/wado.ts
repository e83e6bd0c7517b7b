/**
 * WADO-RS: series metadata, frames as they are stored, bulk data, whole instances, and a
 * rendered thumbnail.
 *
 * Frames are asked for with `transfer-syntax=*`, so the server sends each frame in the transfer
 * syntax it stored (no transcoding on the server, no surprise lossy step): each part of the
 * multipart answer is one frame's pixel data, exactly the bytes a local file holds for it (item
 * headers stripped). Parts are handed on as they arrive, before the whole answer is in.
 *
 * Thumbnail: WADO-RS Rendered (`…/frames/<middle>/rendered?viewport=N,N`, PS3.18 §10.4) of the
 * run's middle frame. One small JPEG per series (≈5 kB at 128² against ≈80 kB–2 MB for a stored
 * frame) that the browser shows with <img>, with no codec WASM and no decode worker busy while a
 * run plays; the middle frame of a cine shows the needle and contrast, frame 1 often shows neither.
 * Orthanc 1.10 and most PACS implement /rendered; the newer /thumbnail is not in Orthanc 1.10. A
 * server without /rendered gives a classified error and the UI can show frame 1 decoded instead.
 */
import type { DicomWebClient } from './client';
import { isDataset, type DicomJsonDataset } from './dicomJson';
import { DicomWebError } from './errors';
import { MultipartFormatError, MultipartReader, parseMediaType, type MultipartPart } from './multipart';

export interface SeriesRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
}

export interface InstanceRef extends SeriesRef {
  sopInstanceUID: string;
}

/** One frame as the server stored it. */
export interface FramePart {
  /** 1-based frame number within its instance. */
  frameNumber: number;
  /** The frame's pixel data: compressed bitstream or native pixels, as stored. */
  bytes: Uint8Array;
  /** From the part's (else the answer's) transfer-syntax parameter, else the media type's default. */
  transferSyntaxUID: string;
  mediaType: string;
}

/** Frames in the stored transfer syntax, whatever it is. */
export const STORED_FRAMES_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

/** PS3.18 Table 8.7.3-2: the transfer syntax a frame media type stands for when no parameter names one. */
const DEFAULT_TRANSFER_SYNTAX: Record<string, string> = {
  'application/octet-stream': '1.2.840.10008.1.2.1',
  'image/jpeg': '1.2.840.10008.1.2.4.50',
  'image/jls': '1.2.840.10008.1.2.4.80',
  'image/jp2': '1.2.840.10008.1.2.4.90',
  'image/jpx': '1.2.840.10008.1.2.4.92',
  'image/dicom-rle': '1.2.840.10008.1.2.5',
  'image/x-dicom-rle': '1.2.840.10008.1.2.5',
  'image/jxl': '1.2.840.10008.1.2.4.110',
};

function seriesPath(ref: SeriesRef): string {
  return `/studies/${encodeURIComponent(ref.studyInstanceUID)}/series/${encodeURIComponent(ref.seriesInstanceUID)}`;
}

export function instancePath(ref: InstanceRef): string {
  return `${seriesPath(ref)}/instances/${encodeURIComponent(ref.sopInstanceUID)}`;
}

/** Series metadata: one DICOM JSON data set per instance (pixel data and large values as BulkDataURIs). */
export async function retrieveSeriesMetadata(
  client: DicomWebClient,
  ref: SeriesRef,
  options: { signal?: AbortSignal } = {},
): Promise<DicomJsonDataset[]> {
  const operation = 'Series metadata';
  const answer = await client.getJson(operation, `${seriesPath(ref)}/metadata`, {
    signal: options.signal,
    notFound: 'the series is not on the PACS',
  });
  if (answer === null || (Array.isArray(answer) && answer.length === 0)) {
    throw new DicomWebError('no-images', operation, 'the series holds no instances');
  }
  if (!Array.isArray(answer) || !answer.every(isDataset)) {
    throw new DicomWebError('malformed', operation, 'the PACS answered with something other than a list of DICOM JSON data sets');
  }
  return answer;
}

/** "Frame 1", "Frames 2–9", "Frames 3, 7". */
export function describeFrames(frames: readonly number[]): string {
  if (frames.length === 1) return `Frame ${frames[0]}`;
  const consecutive = frames.every((f, i) => i === 0 || f === frames[i - 1] + 1);
  return consecutive ? `Frames ${frames[0]}–${frames[frames.length - 1]}` : `Frames ${frames.join(', ')}`;
}

/**
 * Retrieves `frames` of one instance in one request and calls onFrame for each as its part
 * arrives. Rejects (after the parts that did arrive) when the answer is not multipart, holds
 * fewer parts than frames asked, or names a frame that was not asked for.
 */
export async function retrieveFrames(
  client: DicomWebClient,
  ref: InstanceRef,
  frames: readonly number[],
  onFrame: (frame: FramePart) => void,
  options: { signal?: AbortSignal; operation?: string } = {},
): Promise<void> {
  if (frames.length === 0) return;
  const operation = options.operation ?? describeFrames(frames);
  const response = await client.open(operation, `${instancePath(ref)}/frames/${frames.join(',')}`, {
    accept: STORED_FRAMES_ACCEPT,
    signal: options.signal,
    notFound: 'the instance or frame is not on the PACS',
  });
  const contentType = response.headers.get('content-type') ?? '';
  const media = parseMediaType(contentType);
  const malformed = (why: string) => new DicomWebError('malformed', operation, why);
  if (media.type !== 'multipart/related' || !media.params.boundary) {
    response.close();
    throw malformed(`the PACS answered ${media.type || 'without a media type'} instead of multipart/related`);
  }
  const outerTransferSyntax = parseMediaType(media.params.type ?? '').params['transfer-syntax'];
  const reader = new MultipartReader(media.params.boundary);
  const pending = new Set(frames);
  let index = 0;
  const hand = (part: MultipartPart) => {
    const frameNumber = frameFromLocation(part.headers['content-location'], pending) ?? frames[index];
    index++;
    if (frameNumber === undefined || !pending.has(frameNumber))
      throw malformed(`the PACS sent more parts than the ${frames.length} frames asked`);
    pending.delete(frameNumber);
    const type = part.mediaType.type || parseMediaType(media.params.type ?? '').type || 'application/octet-stream';
    const transferSyntaxUID = part.mediaType.params['transfer-syntax'] || outerTransferSyntax || DEFAULT_TRANSFER_SYNTAX[type];
    if (!transferSyntaxUID) throw malformed(`frame ${frameNumber} came as ${type} without a transfer syntax`);
    onFrame({ frameNumber, bytes: part.body, transferSyntaxUID, mediaType: type });
  };
  try {
    for await (const chunk of response.chunks()) {
      for (const part of reader.push(chunk)) hand(part);
    }
    reader.end();
  } catch (error) {
    if (error instanceof MultipartFormatError) throw malformed(`the multipart answer is broken (${error.message})`);
    throw error;
  }
  if (pending.size > 0) throw malformed(`the PACS sent ${frames.length - pending.size} of the ${frames.length} frames asked`);
}

/** "…/frames/7" → 7 when 7 is among the frames still expected. */
function frameFromLocation(location: string | undefined, pending: ReadonlySet<number>): number | undefined {
  const match = location ? /\/frames\/(\d+)\/?$/.exec(location) : null;
  const frame = match ? Number(match[1]) : undefined;
  return frame !== undefined && pending.has(frame) ? frame : undefined;
}

/** A bulk data value (e.g. an OW LUT Data) the metadata gave as a BulkDataURI. */
export async function retrieveBulkData(
  client: DicomWebClient,
  bulkDataUri: string,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const operation = 'Bulk data';
  const response = await client.openUrl(operation, client.rebase(bulkDataUri), {
    accept: 'multipart/related; type="application/octet-stream"',
    signal: options.signal,
    notFound: 'a value the metadata points to is not on the PACS',
  });
  const media = parseMediaType(response.headers.get('content-type') ?? '');
  const body = await response.bytes();
  if (media.type !== 'multipart/related') return body;
  try {
    const reader = new MultipartReader(media.params.boundary ?? '');
    const parts = reader.push(body);
    reader.end();
    if (parts.length !== 1) throw new MultipartFormatError(`${parts.length} parts for one value`);
    return parts[0].body;
  } catch (error) {
    throw new DicomWebError('malformed', operation, `the multipart answer is broken (${(error as Error).message})`);
  }
}

/** A whole instance as a Part 10 file, in the transfer syntax it was stored in. */
export async function retrieveInstance(
  client: DicomWebClient,
  ref: InstanceRef,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const operation = 'Instance';
  const response = await client.open(operation, instancePath(ref), {
    accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
    signal: options.signal,
    notFound: 'the instance is not on the PACS',
  });
  const media = parseMediaType(response.headers.get('content-type') ?? '');
  const body = await response.bytes();
  if (media.type === 'application/dicom') return body;
  try {
    const reader = new MultipartReader(media.params.boundary ?? '');
    const parts = reader.push(body);
    reader.end();
    if (parts.length !== 1) throw new MultipartFormatError(`${parts.length} parts for one instance`);
    return parts[0].body;
  } catch (error) {
    throw new DicomWebError('malformed', operation, `the multipart answer is broken (${(error as Error).message})`);
  }
}

export interface Thumbnail {
  bytes: Uint8Array;
  /** "image/jpeg" or "image/png", as the server sent it. */
  mediaType: string;
}

/** WADO-RS Rendered of one frame, scaled to fit size×size. */
export async function retrieveThumbnail(
  client: DicomWebClient,
  ref: InstanceRef & { frameNumber: number },
  options: { size?: number; signal?: AbortSignal } = {},
): Promise<Thumbnail> {
  const size = options.size ?? 128;
  const response = await client.open('Thumbnail', `${instancePath(ref)}/frames/${ref.frameNumber}/rendered`, {
    accept: 'image/jpeg',
    query: { viewport: `${size},${size}` },
    signal: options.signal,
    notFound: 'the frame is not on the PACS',
  });
  const mediaType = parseMediaType(response.headers.get('content-type') ?? '').type;
  const bytes = await response.bytes();
  if (!mediaType.startsWith('image/'))
    throw new DicomWebError('malformed', 'Thumbnail', `the PACS sent ${mediaType || 'no media type'} instead of an image`);
  return { bytes, mediaType };
}
