/**
 * A small fetch-based DICOMweb client (Node 20 and browsers): base URL, an optional Authorization
 * header, timeouts, cancellation, and every failure turned into a classified DicomWebError.
 *
 * The Authorization value (Basic or Bearer) lives in a private field of this object for the
 * session only: it is never written to storage, never part of JSON.stringify(client), never in
 * an error message. Requests go out with `credentials: 'omit'`, so the browser neither adds
 * cookies nor pops up its own login dialog on a 401; the app asks and calls setAuthorization.
 *
 * Timeouts: `timeoutMs` bounds the wait for the response headers and every wait for the next
 * chunk of the body, so a long but steady transfer is not cut off while a stalled one is.
 */
import { DicomWebError, errorForStatus } from './errors';

export interface DicomWebClientOptions {
  /** "/dicom-web" (the same-origin proxy) or an absolute URL such as "http://127.0.0.1:8042/dicom-web". */
  baseUrl: string;
  /** A full header value: "Basic …" or "Bearer …" (see basicAuthorization / bearerAuthorization). */
  authorization?: string;
  /** Default 30 s. */
  timeoutMs?: number;
  /** For tests; defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

export type QueryValue = string | number | readonly string[] | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST';
  accept?: string;
  query?: Record<string, QueryValue>;
  body?: Uint8Array;
  contentType?: string;
  signal?: AbortSignal;
  /** The 404 message, e.g. "the series is not on the PACS". */
  notFound?: string;
  timeoutMs?: number;
}

/** A response whose status was 2xx, with its body still to be read under the same timeout and signal. */
export interface OpenResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body chunk by chunk; the idle timer restarts with every chunk. */
  chunks(): AsyncGenerator<Uint8Array, void, undefined>;
  bytes(): Promise<Uint8Array>;
  /** Parsed JSON; an empty body (204, or 200 with nothing) is null. */
  json(): Promise<unknown>;
  /** Stops reading and releases the connection. */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

export function bearerAuthorization(token: string): string {
  return `Bearer ${token.trim()}`;
}

export class DicomWebClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  #authorization: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: DicomWebClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#authorization = options.authorization?.trim() || undefined;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Replaces (or, with undefined, forgets) the Authorization header for the following requests. */
  setAuthorization(value: string | undefined): void {
    this.#authorization = value?.trim() || undefined;
  }

  get hasAuthorization(): boolean {
    return this.#authorization !== undefined;
  }

  /** How messages name the server: its base URL without any user:password part. */
  get serverLabel(): string {
    return `the PACS at ${describeBase(this.baseUrl)}`;
  }

  toJSON(): { baseUrl: string; timeoutMs: number } {
    return { baseUrl: this.baseUrl, timeoutMs: this.timeoutMs };
  }

  /**
   * Query values are percent-encoded except commas (value lists: "XA,RF", "viewport=128,128"),
   * which RFC 3986 allows as they are and which some servers (Orthanc) do not decode; spaces are
   * %20, not "+".
   */
  url(path: string, query?: Record<string, QueryValue>): string {
    const pairs: string[] = [];
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [String(value)]) pairs.push(`${encodeQuery(key)}=${encodeQuery(one)}`);
    }
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${pairs.length ? `?${pairs.join('&')}` : ''}`;
  }

  /** Resolves the body-less part of a request; the body is read through the returned object. */
  async open(operation: string, path: string, options: RequestOptions = {}): Promise<OpenResponse> {
    return this.openUrl(operation, this.url(path, options.query), options);
  }

  /** As open(), for a URL the server gave us (e.g. a BulkDataURI), rebased onto our base URL. */
  async openUrl(operation: string, url: string, options: RequestOptions = {}): Promise<OpenResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const server = this.serverLabel;
    const controller = new AbortController();
    let cause: 'timeout' | 'cancelled' | null = null;
    const onAbort = () => {
      cause ??= 'cancelled';
      controller.abort();
    };
    if (options.signal?.aborted) throw cancelled(operation);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        cause ??= 'timeout';
        controller.abort();
      }, timeoutMs);
    };
    const finish = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const failure = (error: unknown): DicomWebError => {
      if (error instanceof DicomWebError) return error;
      if (cause === 'cancelled') return cancelled(operation);
      if (cause === 'timeout') {
        return new DicomWebError('timeout', operation, `${server} did not answer within ${formatSeconds(timeoutMs)}`);
      }
      return new DicomWebError('unreachable', operation, `could not reach ${server}; is it running?`);
    };

    const headers: Record<string, string> = {};
    if (options.accept) headers.Accept = options.accept;
    if (options.contentType) headers['Content-Type'] = options.contentType;
    if (this.#authorization) headers.Authorization = this.#authorization;
    arm();
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body as BodyInit | undefined,
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      finish();
      throw failure(error);
    }
    if (!response.ok) {
      // Drain a little so the connection can be reused; the text is not shown (it may echo the query).
      await response.body?.cancel().catch(() => undefined);
      finish();
      throw errorForStatus(operation, response.status, {
        server,
        sentCredentials: this.#authorization !== undefined,
        notFound: options.notFound,
      });
    }
    const body = response.body;
    let consumed = false;
    async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
      if (consumed) throw new Error(`${operation}: the response body was already read`);
      consumed = true;
      if (!body) {
        finish();
        return;
      }
      const reader = body.getReader();
      try {
        for (;;) {
          arm();
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            next = await reader.read();
          } catch (error) {
            throw failure(error);
          }
          if (next.done) return;
          if (next.value.length > 0) yield next.value;
        }
      } finally {
        finish();
        reader.releaseLock();
        if (cause === null) await body.cancel().catch(() => undefined);
      }
    }
    const bytes = async (): Promise<Uint8Array> => {
      const parts: Uint8Array[] = [];
      for await (const chunk of chunks()) parts.push(chunk);
      return concat(parts);
    };
    return {
      status: response.status,
      headers: response.headers,
      chunks,
      bytes,
      async json() {
        const data = await bytes();
        const text = new TextDecoder().decode(data).trim();
        if (text === '') return null;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new DicomWebError('malformed', operation, `${server} sent an answer that is not valid JSON`);
        }
      },
      close() {
        if (!consumed) {
          consumed = true;
          finish();
          controller.abort();
        }
      },
    };
  }

  /** GET … as DICOM JSON. */
  async getJson(operation: string, path: string, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.open(operation, path, { accept: 'application/dicom+json, application/json;q=0.9', ...options });
    return response.json();
  }

  /** Rebases a URL the server gave us (BulkDataURI, RetrieveURL) onto our base URL, so it goes through the same proxy. */
  rebase(serverUrl: string): string {
    const at = serverUrl.indexOf('/studies/');
    return at >= 0 ? `${this.baseUrl}${serverUrl.slice(at)}` : serverUrl;
  }
}

function encodeQuery(text: string): string {
  return encodeURIComponent(text).replace(/%2C/gi, ',');
}

function cancelled(operation: string): DicomWebError {
  return new DicomWebError('cancelled', operation, 'cancelled');
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** "/dicom-web" or "http://host:8042/dicom-web", never with user:password or a query. */
function describeBase(base: string): string {
  try {
    const url = new URL(base, 'http://relative.invalid');
    const path = url.pathname.replace(/\/+$/, '');
    // Cut at the first /studies/ so a per-study URL does not name the study.
    const root = path.includes('/studies') ? path.slice(0, path.indexOf('/studies')) : path;
    return url.origin === 'http://relative.invalid' ? root || '/' : `${url.origin}${root}`;
  } catch {
    return 'the configured address';
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
