import { describe, expect, it } from 'vitest';
import {
  MultipartFormatError,
  MultipartReader,
  encodeMultipartRelated,
  parseMediaType,
  parseMultipart,
  type MultipartPart,
} from '../../src/io/dicomweb/multipart';

const enc = new TextEncoder();
const join = (...parts: Array<string | Uint8Array>): Uint8Array => {
  const bytes = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
};

/** Feeds `body` to a reader in the given chunk sizes (cycled) and collects the parts. */
function readInChunks(boundary: string, body: Uint8Array, sizes: number[]): MultipartPart[] {
  const reader = new MultipartReader(boundary);
  const parts: MultipartPart[] = [];
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const size = sizes[i % sizes.length];
    parts.push(...reader.push(body.subarray(at, at + size)));
    at += size;
  }
  reader.end();
  return parts;
}

/** Bytes that look like trouble: CR LF, dashes, a near-miss of the boundary, and every byte value. */
function nastyBody(boundary: string, seed: number): Uint8Array {
  const all = Uint8Array.from({ length: 256 }, (_, i) => (i + seed) & 0xff);
  return join(all, `\r\n--${boundary.slice(0, -1)}X`, '\r\n--', '\r\n\r\nx', `--${boundary}`, all.subarray(0, seed % 17));
}

describe('parseMediaType', () => {
  it('reads quoted parameters that contain ";" and "="', () => {
    const m = parseMediaType('multipart/related; type="image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5"; boundary=8d4c-b2c4');
    expect(m.type).toBe('multipart/related');
    expect(m.params).toEqual({ type: 'image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5', boundary: '8d4c-b2c4' });
    expect(parseMediaType('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1')).toEqual({
      type: 'application/octet-stream',
      params: { 'transfer-syntax': '1.2.840.10008.1.2.1' },
    });
    expect(parseMediaType('Multipart/Related;Boundary="a\\"b"').params.boundary).toBe('a"b');
    expect(parseMediaType('').type).toBe('');
  });
});

describe('MultipartReader', () => {
  const boundary = 'd3e5a17b-a77d-44c3-9c40-03d0a153ff71';

  function frameResponse(withLength: boolean): { body: Uint8Array; bodies: Uint8Array[] } {
    const bodies = [nastyBody(boundary, 1), nastyBody(boundary, 2), new Uint8Array(0), nastyBody(boundary, 3)];
    const pieces: Array<string | Uint8Array> = ['preamble text to ignore\r\n'];
    bodies.forEach((b, i) => {
      pieces.push(`--${boundary}\r\nContent-Location: http://pacs/frames/${i + 2}\r\n`);
      pieces.push(`Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n`);
      if (withLength) pieces.push(`Content-Length: ${b.length}\r\n`);
      pieces.push('\r\n', b, '\r\n');
    });
    pieces.push(`--${boundary}--\r\nepilogue, ignored`);
    return { body: join(...pieces), bodies };
  }

  it.each([true, false])('returns every part byte-exact, whatever the chunking (Content-Length given: %s)', (withLength) => {
    const { body, bodies } = frameResponse(withLength);
    for (const sizes of [[body.length], [1], [2, 3, 5, 7], [61], [4096, 1]]) {
      const parts = readInChunks(boundary, body, sizes);
      expect(parts.map((p) => p.body)).toEqual(bodies);
      expect(parts.map((p) => p.headers['content-location'])).toEqual([
        'http://pacs/frames/2',
        'http://pacs/frames/3',
        'http://pacs/frames/4',
        'http://pacs/frames/5',
      ]);
      expect(parts[0].mediaType.params['transfer-syntax']).toBe('1.2.840.10008.1.2.1');
    }
  });

  it('splits at every byte boundary of a small body', () => {
    const body = join(
      `--${boundary}\r\nContent-Type: image/jpeg\r\n\r\n`,
      '\r\n-\r\n--x',
      `\r\n--${boundary}\r\n\r\nsecond\r\n--${boundary}--`,
    );
    for (let split = 0; split <= body.length; split++) {
      const reader = new MultipartReader(boundary);
      const parts = [...reader.push(body.subarray(0, split)), ...reader.push(body.subarray(split))];
      reader.end();
      expect(
        parts.map((p) => new TextDecoder().decode(p.body)),
        `split at ${split}`,
      ).toEqual(['\r\n-\r\n--x', 'second']);
    }
  });

  it('hands a part on as soon as its delimiter arrives, before the body ends', () => {
    const reader = new MultipartReader(boundary);
    expect(reader.push(enc.encode(`--${boundary}\r\n\r\nfirst`))).toEqual([]);
    const parts = reader.push(enc.encode(`\r\n--${boundary}\r\n\r\nsec`));
    expect(parts.map((p) => new TextDecoder().decode(p.body))).toEqual(['first']);
    expect(reader.partCount).toBe(1);
  });

  it('trusts the delimiter when Content-Length is wrong', () => {
    const body = join(`--${boundary}\r\nContent-Length: 3\r\n\r\n`, 'abcdef', `\r\n--${boundary}--`);
    expect(parseMultipart(`multipart/related; boundary=${boundary}`, body).map((p) => p.body)).toEqual([enc.encode('abcdef')]);
  });

  it('says where a cut-off body ended', () => {
    const body = join(`--${boundary}\r\n\r\none\r\n--${boundary}\r\n\r\ntw`);
    expect(() => parseMultipart(`multipart/related; boundary=${boundary}`, body)).toThrow(/ended inside part 2/);
    expect(() => parseMultipart(`multipart/related; boundary=${boundary}`, enc.encode('no parts at all'))).toThrow(/holds no part/);
    expect(() => parseMultipart('multipart/related', body)).toThrow(MultipartFormatError);
  });

  it('reads what encodeMultipartRelated writes (STOW-RS bodies)', () => {
    const bodies = [nastyBody('x', 5), nastyBody('y', 9)];
    const { contentType, body } = encodeMultipartRelated(
      bodies.map((b) => ({ contentType: 'application/dicom', body: b })),
      'application/dicom',
    );
    expect(parseMediaType(contentType)).toMatchObject({ type: 'multipart/related', params: { type: 'application/dicom' } });
    const parts = parseMultipart(contentType, body);
    expect(parts.map((p) => p.body)).toEqual(bodies);
    expect(parts.every((p) => p.mediaType.type === 'application/dicom')).toBe(true);
  });
});
