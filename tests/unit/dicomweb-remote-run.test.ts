/**
 * A PACS series as an OpenedRun (io/dicomweb/remoteRun.ts), against a real Orthanc: frame 1 comes
 * with the opening (no request of its own), the first read of another frame fetches the rest in
 * batches, reads wait for their batch and give the same bytes as the local file, cancel() aborts
 * what is in flight (waiting reads reject as cancelled) and the next read starts again; without
 * prefetch, each read is one request for one frame. Opening with the listed first instance asks
 * for its frame 1 beside the metadata.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { bufferSource } from '../../src/dicom/byteSource';
import { readFileSync } from 'node:fs';
import { DicomWebClient, isCancelled, openRemoteSeries, openedRunFromRemote, type RemoteRun } from '../../src/io/dicomweb';
import { openFiles } from '../../src/io/openFiles';
import type { OpenedRun } from '../../src/dicom/run';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

const file = fileURLToPath(new URL('../../sample-dicom/l3-mbb-ftv.dcm', import.meta.url)); // 30 frames, 256², native

let pacs: TestOrthanc;
let local: OpenedRun;
let remote: RemoteRun;
const frameUrls: string[] = [];

function countingClient(): DicomWebClient {
  return new DicomWebClient({
    baseUrl: pacs.dicomWebUrl,
    fetch: (input, init) => {
      const url = String(input);
      if (url.includes('/frames/')) frameUrls.push(url.slice(url.indexOf('/frames/') + 8));
      return fetch(input, init);
    },
  });
}

beforeAll(async () => {
  pacs = await startTestOrthanc({ files: [file] });
  local = (await openFiles([{ source: bufferSource('l3-mbb-ftv.dcm', new Uint8Array(readFileSync(file))), path: 'l3-mbb-ftv.dcm' }]))
    .runs[0];
  const client = new DicomWebClient({ baseUrl: pacs.dicomWebUrl });
  remote = (
    await openRemoteSeries(client, { studyInstanceUID: local.info.study.instanceUID, seriesInstanceUID: local.info.series.instanceUID })
  ).runs[0];
});

afterAll(async () => {
  await pacs?.stop();
});

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('a PACS series as a run', () => {
  it('has the local run’s identity and info, and is named without UIDs', () => {
    const { run } = openedRunFromRemote(new DicomWebClient({ baseUrl: pacs.dicomWebUrl }), remote, { prefetch: true });
    expect(run.identity).toBe(local.identity);
    expect(run.info).toEqual(local.info);
    expect(run.key).not.toBe(local.key);
    expect(run.fileNames).toEqual(['PACS series 1']);
    expect(run.frames).toHaveLength(30);
  });

  it('gives frame 1 without a request, then every other frame from batched requests, bytes as in the file', async () => {
    frameUrls.length = 0;
    const { run, frames } = openedRunFromRemote(countingClient(), remote, { prefetch: true, batchSize: 8 });
    const read = (n: number) => {
      const ref = run.frames[n - 1];
      if (!ref.ok) throw new Error(ref.reason);
      return ref.source.read();
    };
    const localRead = async (n: number) => {
      const ref = local.frames[n - 1];
      if (!ref.ok) throw new Error(ref.reason);
      return ref.source.read();
    };
    expect(sameBytes(await read(1), await localRead(1))).toBe(true);
    expect(frameUrls).toEqual([]);
    const all = await Promise.all(Array.from({ length: 29 }, (_, i) => read(i + 2)));
    for (const [i, bytes] of all.entries()) expect(sameBytes(bytes, await localRead(i + 2)), `frame ${i + 2}`).toBe(true);
    expect(frameUrls).toEqual(['2,3,4,5,6,7,8,9', '10,11,12,13,14,15,16,17', '18,19,20,21,22,23,24,25', '26,27,28,29,30']);
    expect(frames.requestCount).toBe(4);
    // Asked again (the decoded frame aged out of the cache): fetched alone.
    expect(sameBytes(await read(7), await localRead(7))).toBe(true);
    expect(frameUrls.at(-1)).toBe('7');
  });

  it('cancel() aborts the batches in flight, waiting reads reject as cancelled, and the next read starts again', async () => {
    frameUrls.length = 0;
    const { run, frames } = openedRunFromRemote(countingClient(), remote, { prefetch: true, batchSize: 4, concurrency: 1 });
    const source = (n: number) => (run.frames[n - 1] as { ok: true; source: { read(): Promise<Uint8Array> } }).source;
    const waiting = source(30).read();
    const outcome = waiting.then(
      () => 'read',
      (error: unknown) => (isCancelled(error) ? 'cancelled' : String(error)),
    );
    expect(frames.active).toBe(true);
    frames.cancel();
    expect(await outcome).toBe('cancelled');
    expect(frames.active).toBe(false);
    const again = await source(30).read();
    const ref = local.frames[29];
    expect(ref.ok && sameBytes(again, await ref.source.read())).toBe(true);
    expect(frames.active).toBe(true);
  });

  it('by default splits the frames after frame 1 evenly over the requests in flight (3)', async () => {
    frameUrls.length = 0;
    const { run, frames } = openedRunFromRemote(countingClient(), remote, { prefetch: true });
    const ref = run.frames[29];
    if (!ref.ok) throw new Error(ref.reason);
    await ref.source.read();
    expect(frameUrls).toEqual(['2,3,4,5,6,7,8,9,10,11', '12,13,14,15,16,17,18,19,20,21', '22,23,24,25,26,27,28,29,30']);
    expect(frames.requestCount).toBe(3);
  });

  it('asks for frame 1 of the listed first instance beside the metadata, not after it', async () => {
    const events: string[] = [];
    const client = new DicomWebClient({
      baseUrl: pacs.dicomWebUrl,
      fetch: async (input, init) => {
        const url = String(input);
        const what = url.includes('/metadata') ? 'metadata' : url.includes('/frames/') ? `frames/${url.split('/frames/')[1]}` : url;
        events.push(`ask ${what}`);
        const response = await fetch(input, init);
        events.push(`answer ${what}`);
        return response;
      },
    });
    const ref = { studyInstanceUID: local.info.study.instanceUID, seriesInstanceUID: local.info.series.instanceUID };
    const { runs } = await openRemoteSeries(client, ref, { firstInstance: { sopInstanceUID: local.info.sopInstanceUIDs[0] } });
    expect(events.slice(0, 2).sort()).toEqual(['ask frames/1', 'ask metadata']);
    expect(events.filter((e) => e === 'ask frames/1')).toHaveLength(1);
    const first = local.frames[0];
    expect(first.ok && sameBytes(runs[0].firstFrame!.bytes, await first.source.read())).toBe(true);
  });

  it('without prefetch, a read is one request for its frame', async () => {
    frameUrls.length = 0;
    const { run } = openedRunFromRemote(countingClient(), remote, { prefetch: false });
    const ref = run.frames[11];
    if (!ref.ok) throw new Error(ref.reason);
    await ref.source.read();
    expect(frameUrls).toEqual(['12']);
  });
});
