/**
 * DICOMweb failures, classified so the UI can react (ask for credentials again, offer a retry,
 * say the series is empty) and phrased for people: "<what failed>: <why>". Messages name the
 * operation and the server's base URL, never a patient name, ID, UID or query value, so they can
 * go into an alert or an error report as they are.
 */

export type DicomWebFailure =
  /** No answer at all: connection refused, DNS, network down, or the proxy's 502/503/504. */
  | 'unreachable'
  /** The server took longer than the client's timeout (to answer, or between two chunks). */
  | 'timeout'
  /** 401 and we sent no Authorization header: ask the user for credentials. */
  | 'credentials-needed'
  /** 401 although we sent credentials: they are wrong or expired; ask again. */
  | 'credentials-refused'
  /** 403: the credentials are valid but not allowed to do this. */
  | 'forbidden'
  /** 404: the study, series, instance or frame is not on the server. */
  | 'not-found'
  /** The series exists but holds no image we can show. */
  | 'no-images'
  /** The answer could not be understood (bad JSON, broken multipart, missing parts). */
  | 'malformed'
  /** The server understood but refused (400, 406, 409, 415, …), or stored nothing. */
  | 'refused'
  /** 5xx other than the gateway errors above. */
  | 'server-error'
  /** The caller aborted (the user switched runs). Not a failure to report. */
  | 'cancelled';

export class DicomWebError extends Error {
  constructor(
    readonly kind: DicomWebFailure,
    /** What was being done, for people: "Study search", "Series metadata", "Frames 2–9", … */
    readonly operation: string,
    readonly reason: string,
    /** The HTTP status when there was one. */
    readonly status?: number,
  ) {
    super(`${operation}: ${reason}`);
    this.name = 'DicomWebError';
  }

  /** Whether asking the user for (other) credentials could help. */
  get needsCredentials(): boolean {
    return this.kind === 'credentials-needed' || this.kind === 'credentials-refused' || this.kind === 'forbidden';
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof DicomWebError && error.kind === 'cancelled';
}

/** Classifies a non-2xx HTTP status. `notFound` says what was missing, e.g. "the series is not on the PACS". */
export function errorForStatus(
  operation: string,
  status: number,
  context: { server: string; sentCredentials: boolean; notFound?: string },
): DicomWebError {
  const at = `(HTTP ${status})`;
  if (status === 401) {
    return context.sentCredentials
      ? new DicomWebError('credentials-refused', operation, `${context.server} refused the credentials ${at}`, status)
      : new DicomWebError('credentials-needed', operation, `${context.server} asks for credentials ${at}`, status);
  }
  if (status === 403) return new DicomWebError('forbidden', operation, `${context.server} refused access ${at}`, status);
  if (status === 404)
    return new DicomWebError('not-found', operation, `${context.notFound ?? `not found on ${context.server}`} ${at}`, status);
  if (status === 502 || status === 503 || status === 504) {
    return new DicomWebError('unreachable', operation, `${context.server} did not answer ${at}; is it running?`, status);
  }
  if (status === 406 || status === 415) {
    return new DicomWebError('refused', operation, `${context.server} cannot send or accept this media type ${at}`, status);
  }
  if (status >= 500) return new DicomWebError('server-error', operation, `${context.server} failed ${at}`, status);
  return new DicomWebError('refused', operation, `${context.server} rejected the request ${at}`, status);
}
