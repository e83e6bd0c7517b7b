import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadInterruptedError } from '../../src/dicom/byteSource';
import { bytesOfRangeResponse, httpSource } from '../../src/io/byteSources';

const file = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);

function response(status: number, body: Uint8Array, contentRange?: string): Response {
  const headers = new Headers(contentRange ? { 'Content-Range': contentRange } : {});
  return new Response(status === 200 || status === 206 ? body.slice() : null, { status, headers });
}

describe('range responses', () => {
  it('takes a 206 that holds the range, and the range out of a 200 with the whole file', () => {
    expect(bytesOfRangeResponse(206, 'bytes 100-199/1000', file.subarray(100, 200), 100, 200, 1000)).toEqual(file.subarray(100, 200));
    expect(bytesOfRangeResponse(206, null, file.subarray(100, 200), 100, 200, 1000)).toEqual(file.subarray(100, 200));
    expect(bytesOfRangeResponse(200, null, file, 100, 200, 1000)).toEqual(file.subarray(100, 200));
  });

  it('refuses an empty or short body, another range, or a 200 that is not the whole file', () => {
    expect(bytesOfRangeResponse(206, 'bytes 100-199/1000', new Uint8Array(0), 100, 200, 1000)).toBeNull();
    expect(bytesOfRangeResponse(206, 'bytes 0-99/1000', file.subarray(0, 100), 100, 200, 1000)).toBeNull();
    expect(bytesOfRangeResponse(200, null, file.subarray(100, 200), 100, 200, 1000)).toBeNull();
    expect(bytesOfRangeResponse(200, null, new Uint8Array(0), 100, 200, 1000)).toBeNull();
  });
});

describe('httpSource', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('retries a read that came back empty and returns the bytes of the next answer', async () => {
    const answers = [response(206, new Uint8Array(0), 'bytes 100-199/1000'), response(206, file.subarray(100, 200), 'bytes 100-199/1000')];
    const fetchMock = vi.fn(async () => answers.shift()!);
    vi.stubGlobal('fetch', fetchMock);
    const bytes = await httpSource('/f.dcm', 1000, 'f.dcm').read(100, 100);
    expect(bytes).toEqual(file.subarray(100, 200));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(fetchMock.mock.calls[0]).toEqual(['/f.dcm', { headers: { Range: 'bytes=100-199' }, cache: 'no-store' }]);
  });

  it('retries a failed transfer and a 503', async () => {
    const answers: Array<() => Response> = [
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => response(503, new Uint8Array(0)),
      () => response(206, file.subarray(0, 10), 'bytes 0-9/1000'),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answers.shift()!()),
    );
    expect(await httpSource('/f.dcm', 1000, 'f.dcm').read(0, 10)).toEqual(file.subarray(0, 10));
  });

  it('gives up with an interrupted-read error, not a damaged-file one, when every answer is wrong', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => response(206, new Uint8Array(0), 'bytes 100-199/1000')),
    );
    const error = await httpSource('/f.dcm', 1000, 'f.dcm')
      .read(100, 100)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadInterruptedError);
    expect(String(error)).toMatch(/^ReadInterruptedError: f\.dcm: could not be read: the server sent 0 bytes \(206\) for bytes 100–199/);
  });

  it('says a missing file is missing, at once', async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 404, statusText: 'Not Found' }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(httpSource('/f.dcm', 1000, 'f.dcm').read(0, 10)).rejects.toThrow('f.dcm: the server answered 404 Not Found');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
