/**
 * STOW-RS: POST /studies with multipart/related; type="application/dicom". The server answers a
 * DICOM JSON data set listing what it stored (Referenced SOP Sequence) and what it did not
 * (Failed SOP Sequence, with a Failure Reason), with 200 (all stored), 202 (some failed or stored
 * with warnings) or 409 (nothing stored).
 */
import type { DicomWebClient } from './client';
import { isDataset, jsonItems, jsonNumber, jsonText } from './dicomJson';
import { DicomWebError } from './errors';
import { encodeMultipartRelated } from './multipart';

export interface StoredInstance {
  sopClassUID: string;
  sopInstanceUID: string;
  /** Where the server says the instance can be retrieved, if it says. */
  retrieveUrl: string;
}

export interface FailedInstance {
  sopClassUID: string;
  sopInstanceUID: string;
  /** Failure Reason (0008,1197), e.g. 0xA700; null when the server gave none. */
  failureReason: number | null;
  /** The reason for people. */
  reason: string;
}

export interface StowResult {
  stored: StoredInstance[];
  failed: FailedInstance[];
}

/** Stores Part 10 files; rejects when nothing was stored, naming the server's reason. */
export async function storeInstances(
  client: DicomWebClient,
  files: readonly Uint8Array[],
  options: { studyInstanceUID?: string; signal?: AbortSignal; operation?: string } = {},
): Promise<StowResult> {
  const operation = options.operation ?? 'Storing on the PACS';
  const { contentType, body } = encodeMultipartRelated(
    files.map((file) => ({ contentType: 'application/dicom', body: file })),
    'application/dicom',
  );
  const path = options.studyInstanceUID ? `/studies/${encodeURIComponent(options.studyInstanceUID)}` : '/studies';
  let answer: unknown;
  try {
    const response = await client.open(operation, path, {
      method: 'POST',
      accept: 'application/dicom+json, application/json;q=0.9',
      contentType,
      body,
      signal: options.signal,
    });
    answer = await response.json();
  } catch (error) {
    // 409: nothing stored. The body would say why, but open() has already classified it.
    if (error instanceof DicomWebError && error.status === 409) {
      throw new DicomWebError('refused', operation, 'the PACS stored nothing (HTTP 409)', 409);
    }
    throw error;
  }
  const result = parseStowResponse(answer);
  if (result.stored.length === 0) {
    const why = result.failed.map((f) => f.reason).join('; ') || 'it did not list what it stored';
    throw new DicomWebError('refused', operation, `the PACS stored nothing: ${why}`);
  }
  return result;
}

export function parseStowResponse(answer: unknown): StowResult {
  const ds = Array.isArray(answer) ? answer[0] : answer;
  if (!isDataset(ds)) return { stored: [], failed: [] };
  return {
    stored: jsonItems(ds, '00081199').map((item) => ({
      sopClassUID: jsonText(item, '00081150'),
      sopInstanceUID: jsonText(item, '00081155'),
      retrieveUrl: jsonText(item, '00081190'),
    })),
    failed: jsonItems(ds, '00081198').map((item) => {
      const failureReason = jsonNumber(item, '00081197');
      return {
        sopClassUID: jsonText(item, '00081150'),
        sopInstanceUID: jsonText(item, '00081155'),
        failureReason,
        reason: describeFailureReason(failureReason),
      };
    }),
  };
}

/** PS3.18 Table I.2-3 / PS3.4 C-STORE failure codes, for people. */
export function describeFailureReason(code: number | null): string {
  if (code === null) return 'no reason given';
  const hex = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xa700 && code <= 0xa7ff) return `the PACS is out of resources (${hex})`;
  if (code >= 0xa900 && code <= 0xa9ff) return `the data set does not match its SOP class (${hex})`;
  if (code >= 0xc000 && code <= 0xcfff) return `the PACS cannot understand the instance (${hex})`;
  const known: Record<number, string> = {
    0x0110: 'processing failure',
    0x0122: 'the PACS does not support this SOP class',
    0x0124: 'not authorized',
    0x0210: 'duplicate invocation',
    0x0211: 'unrecognized operation',
    0x0212: 'mistyped argument',
    0xa770: 'the PACS is out of resources',
    0xb000: 'coercion of data elements',
    0xb007: 'the data set does not match its SOP class',
    0xb006: 'elements discarded',
  };
  return `${known[code] ?? 'refused'} (${hex})`;
}
