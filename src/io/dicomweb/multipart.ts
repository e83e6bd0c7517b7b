/**
 * multipart/related (RFC 2387 / RFC 2046), as WADO-RS sends frames and STOW-RS receives
 * instances. The reader is incremental and binary-safe: bytes go in as they arrive, whole parts
 * come out as soon as their closing delimiter is seen; a part body may contain any byte sequence,
 * including CR LF and dashes, and only the exact delimiter (CR LF "--" boundary) ends it. A part
 * that declares Content-Length is taken by length (then the delimiter is checked), else found by
 * searching for the delimiter.
 */

export interface MediaType {
  /** Lower-cased type/subtype, e.g. "multipart/related". */
  type: string;
  /** Parameter names lower-cased; values unquoted, as sent. */
  params: Record<string, string>;
}

/** Parses a Content-Type value, with quoted parameters that may contain ";" (type="image/jpeg; transfer-syntax=…"). */
export function parseMediaType(value: string): MediaType {
  let at = 0;
  const readUntil = (stops: string): string => {
    const start = at;
    while (at < value.length && !stops.includes(value[at])) at++;
    return value.slice(start, at).trim();
  };
  const type = readUntil(';').toLowerCase();
  const params: Record<string, string> = {};
  while (at < value.length) {
    at++; // ';'
    const name = readUntil('=;').toLowerCase();
    if (value[at] !== '=') {
      if (name) params[name] = '';
      continue;
    }
    at++; // '='
    while (value[at] === ' ') at++;
    let paramValue: string;
    if (value[at] === '"') {
      at++;
      paramValue = '';
      while (at < value.length && value[at] !== '"') {
        if (value[at] === '\\' && at + 1 < value.length) at++;
        paramValue += value[at++];
      }
      at++; // closing quote
      readUntil(';');
    } else {
      paramValue = readUntil(';');
    }
    if (name) params[name] = paramValue;
  }
  return { type, params };
}

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The part's Content-Type, parsed (type "" when the part has none). */
  mediaType: MediaType;
  /** The part's bytes (a copy, safe to keep). */
  body: Uint8Array;
}

export class MultipartFormatError extends Error {}

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

export class MultipartReader {
  readonly #delimiter: Uint8Array; // CR LF -- boundary
  #buffer = new Uint8Array(0);
  /** Unconsumed bytes are #buffer[#start, #end). */
  #start = 0;
  #end = 0;
  #state: State = 'preamble';
  #searchFrom = 0;
  #headers: Record<string, string> = {};
  #declaredLength: number | null = null;
  #parts = 0;

  constructor(boundary: string) {
    if (!boundary || boundary.length > 200) throw new MultipartFormatError('the multipart boundary is missing or too long');
    this.#delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  /** Parts completed so far. */
  get partCount(): number {
    return this.#parts;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Feeds bytes; returns the parts they completed. */
  push(chunk: Uint8Array): MultipartPart[] {
    if (this.#state === 'done') return []; // the epilogue is ignored
    this.#append(chunk);
    const out: MultipartPart[] = [];
    for (;;) {
      const part = this.#step();
      if (part === 'wait') break;
      if (part) out.push(part);
    }
    return out;
  }

  /** Call at the end of the stream; throws when the closing delimiter never came. */
  end(): void {
    if (this.#state !== 'done') {
      throw new MultipartFormatError(
        this.#parts === 0 && this.#state === 'preamble'
          ? 'the multipart body holds no part'
          : `the multipart body ended inside part ${this.#parts + 1}`,
      );
    }
  }

  #append(chunk: Uint8Array): void {
    const held = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buffer.length) {
      // Compact (consumed bytes are dropped), growing only when the unconsumed bytes need it.
      const size =
        held + chunk.length > this.#buffer.length ? Math.max(this.#buffer.length * 2, held + chunk.length, 64 * 1024) : this.#buffer.length;
      const target = size === this.#buffer.length ? this.#buffer : new Uint8Array(size);
      if (target === this.#buffer) target.copyWithin(0, this.#start, this.#end);
      else target.set(this.#buffer.subarray(this.#start, this.#end));
      this.#buffer = target;
      this.#start = 0;
      this.#end = held;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  #consume(count: number): void {
    this.#start += count;
    this.#searchFrom = 0;
  }

  /** One state transition: a finished part, null (progress, no part) or 'wait' (need more bytes). */
  #step(): MultipartPart | null | 'wait' {
    const data = this.#buffer.subarray(this.#start, this.#end);
    switch (this.#state) {
      case 'preamble': {
        // The first delimiter may open the body without the leading CR LF.
        const dashBoundary = this.#delimiter.subarray(2);
        if (startsWith(data, 0, dashBoundary)) {
          this.#consume(dashBoundary.length);
          this.#state = 'after-delimiter';
          return null;
        }
        if (data.length < dashBoundary.length) return 'wait';
        const at = indexOf(data, this.#delimiter, Math.max(0, this.#searchFrom));
        if (at < 0) {
          this.#searchFrom = Math.max(0, data.length - this.#delimiter.length + 1);
          return 'wait';
        }
        this.#consume(at + this.#delimiter.length);
        this.#state = 'after-delimiter';
        return null;
      }
      case 'after-delimiter': {
        if (data.length < 2) return 'wait';
        if (data[0] === DASH && data[1] === DASH) {
          this.#state = 'done';
          this.#consume(data.length);
          return 'wait';
        }
        // Transport padding (spaces, tabs) then CR LF.
        let at = 0;
        while (at < data.length && (data[at] === 0x20 || data[at] === 0x09)) at++;
        if (at + 2 > data.length) return 'wait';
        if (data[at] !== CR || data[at + 1] !== LF)
          throw new MultipartFormatError(`the delimiter before part ${this.#parts + 1} is not followed by a line break`);
        this.#consume(at + 2);
        this.#state = 'headers';
        return null;
      }
      case 'headers': {
        if (startsWith(data, 0, CRLF)) {
          this.#consume(2);
          return this.#startBody({});
        }
        const end = indexOf(data, CRLFCRLF, 0);
        if (end < 0) {
          if (data.length > 64 * 1024) throw new MultipartFormatError(`the headers of part ${this.#parts + 1} do not end`);
          return 'wait';
        }
        const headers: Record<string, string> = {};
        for (const line of latin1(data.subarray(0, end)).split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        this.#consume(end + 4);
        return this.#startBody(headers);
      }
      case 'body': {
        const declared = this.#declaredLength;
        if (declared !== null) {
          if (data.length < declared + this.#delimiter.length) return 'wait';
          if (startsWith(data, declared, this.#delimiter)) return this.#finishPart(declared);
          // Content-Length disagrees with where the delimiter is: trust the delimiter.
          this.#declaredLength = null;
        }
        const at = indexOf(data, this.#delimiter, this.#searchFrom);
        if (at < 0) {
          this.#searchFrom = Math.max(0, data.length - this.#delimiter.length + 1);
          return 'wait';
        }
        return this.#finishPart(at);
      }
      case 'done':
        return 'wait';
    }
  }

  #startBody(headers: Record<string, string>): null {
    this.#headers = headers;
    const length = headers['content-length'];
    this.#declaredLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    this.#state = 'body';
    this.#searchFrom = 0;
    return null;
  }

  #finishPart(bodyLength: number): MultipartPart {
    const body = this.#buffer.slice(this.#start, this.#start + bodyLength);
    const headers = this.#headers;
    this.#consume(bodyLength + this.#delimiter.length);
    this.#state = 'after-delimiter';
    this.#parts++;
    return { headers, mediaType: parseMediaType(headers['content-type'] ?? ''), body };
  }
}

const CRLF = new Uint8Array([CR, LF]);
const CRLFCRLF = new Uint8Array([CR, LF, CR, LF]);

function startsWith(data: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[at + i] !== prefix[i]) return false;
  return true;
}

function indexOf(data: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = data.length - needle.length;
  for (let at = data.indexOf(first, from); at >= 0 && at <= last; at = data.indexOf(first, at + 1)) {
    if (startsWith(data, at, needle)) return at;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/** The whole body at once (tests, small answers). */
export function parseMultipart(contentType: string, body: Uint8Array): MultipartPart[] {
  const boundary = parseMediaType(contentType).params.boundary;
  const reader = new MultipartReader(boundary ?? '');
  const parts = reader.push(body);
  reader.end();
  return parts;
}

/** A random boundary that cannot occur by chance in the parts. */
export function newBoundary(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return `fluorolens-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Encodes parts as one multipart/related body. `type` is the root part's media type (e.g. "application/dicom"). */
export function encodeMultipartRelated(
  parts: ReadonlyArray<{ contentType: string; body: Uint8Array; headers?: Record<string, string> }>,
  type: string,
  boundary = newBoundary(),
): { contentType: string; body: Uint8Array<ArrayBuffer> } {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const extra = Object.entries(part.headers ?? {})
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    chunks.push(
      encoder.encode(`--${boundary}\r\nContent-Type: ${part.contentType}\r\nContent-Length: ${part.body.length}\r\n${extra}\r\n`),
    );
    chunks.push(part.body);
    chunks.push(encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return { contentType: `multipart/related; type="${type}"; boundary=${boundary}`, body };
}
