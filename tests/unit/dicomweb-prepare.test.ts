/**
 * Series prepared before the click (io/dicomweb/prepare.ts), against a real Orthanc: preparing
 * asks for the metadata and frame 1 at once, taking it asks the PACS for nothing more and gives
 * what opening gives (frame 1 as in the file); a series is taken once; the oldest preparation is
 * cancelled beyond the limit, every one by clear() and after its maximum age; another client's
 * preparation is not handed out.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import type { OpenedRun } from '../../src/dicom/run';
import { DicomWebClient, SeriesPreparations, isCancelled, openRemoteSeries } from '../../src/io/dicomweb';
import { openFiles } from '../../src/io/openFiles';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

const sample = (name: string) => fileURLToPath(new URL(`../../sample-dicom/${name}`, import.meta.url));
const FILES = ['l3-mbb-ftv.dcm', 'l5-lateral-rect-256.dcm'];

let pacs: TestOrthanc;
let local: OpenedRun[];

async function openLocal(name: string): Promise<OpenedRun> {
  return (await openFiles([{ source: bufferSource(name, new Uint8Array(readFileSync(sample(name)))), path: name }])).runs[0];
}

const refOf = (run: OpenedRun) => ({ studyInstanceUID: run.info.study.instanceUID, seriesInstanceUID: run.info.series.instanceUID });
const firstInstanceOf = (run: OpenedRun) => ({ firstInstance: { sopInstanceUID: run.info.sopInstanceUIDs[0] } });

/** A client that records what it asks ("metadata", "frames/1", …) and how each request ended. */
function recordingClient() {
  const asked: string[] = [];
  const aborted: string[] = [];
  const client = new DicomWebClient({
    baseUrl: pacs.dicomWebUrl,
    fetch: async (input, init) => {
      const url = String(input);
      const what = url.includes('/metadata') ? 'metadata' : url.includes('/frames/') ? `frames/${url.split('/frames/')[1]}` : url;
      asked.push(what);
      try {
        return await fetch(input, init);
      } catch (error) {
        if (init?.signal?.aborted) aborted.push(what);
        throw error;
      }
    },
  });
  return { client, asked, aborted };
}

beforeAll(async () => {
  pacs = await startTestOrthanc({ files: FILES.map(sample) });
  local = await Promise.all(FILES.map(openLocal));
});

afterAll(async () => {
  await pacs?.stop();
});

describe('series prepared before the click', () => {
  it('asks for the metadata and frame 1 at once; taking the series asks for nothing more and gives what opening gives', async () => {
    const { client, asked } = recordingClient();
    const preparations = new SeriesPreparations();
    preparations.prepare(client, refOf(local[0]), firstInstanceOf(local[0]));
    expect(asked.sort()).toEqual(['frames/1', 'metadata']);
    // Preparing it again while it is held asks for nothing.
    preparations.prepare(client, refOf(local[0]), firstInstanceOf(local[0]));
    const taken = preparations.take(client, refOf(local[0]));
    expect(taken).not.toBeNull();
    const prepared = await taken!.result;
    expect(asked).toHaveLength(2);
    const fresh = await openRemoteSeries(new DicomWebClient({ baseUrl: pacs.dicomWebUrl }), refOf(local[0]));
    expect(prepared.runs.map((r) => r.identity)).toEqual([local[0].identity]);
    expect(prepared.runs[0].info).toEqual(fresh.runs[0].info);
    const first = local[0].frames[0];
    expect(first.ok && Buffer.from(prepared.runs[0].firstFrame!.bytes).equals(Buffer.from(await first.source.read()))).toBe(true);
    // Taken once: the next open asks the PACS again.
    expect(preparations.take(client, refOf(local[0]))).toBeNull();
    expect(preparations.seriesInstanceUIDs).toEqual([]);
  });

  it('cancels the oldest beyond its limit, and every one on clear()', async () => {
    const { client } = recordingClient();
    const preparations = new SeriesPreparations(1);
    preparations.prepare(client, refOf(local[0]), firstInstanceOf(local[0]));
    preparations.prepare(client, refOf(local[1]), firstInstanceOf(local[1]));
    expect(preparations.seriesInstanceUIDs).toEqual([local[1].info.series.instanceUID]);
    expect(preparations.take(client, refOf(local[0]))).toBeNull();

    const held = new SeriesPreparations();
    // Answers held back so the requests are surely in flight when cleared.
    const gate = new DicomWebClient({
      baseUrl: pacs.dicomWebUrl,
      fetch: async (input, init) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return fetch(input, init);
      },
    });
    held.prepare(gate, refOf(local[0]), firstInstanceOf(local[0]));
    const result = held.take(gate, refOf(local[0]))!.result;
    held.prepare(gate, refOf(local[0]), firstInstanceOf(local[0]));
    held.clear();
    expect(held.seriesInstanceUIDs).toEqual([]);
    expect(held.take(gate, refOf(local[0]))).toBeNull();
    // The one taken before clear() is the taker's now: it completes.
    expect((await result).runs).toHaveLength(1);
  });

  it('cancels what a taker gives up, and drops a preparation after its maximum age', async () => {
    const { client, aborted } = recordingClient();
    const preparations = new SeriesPreparations(3, 50);
    preparations.prepare(client, refOf(local[1]), firstInstanceOf(local[1]));
    const taken = preparations.take(client, refOf(local[1]))!;
    taken.cancel();
    await expect(taken.result).rejects.toSatisfy(isCancelled);
    expect(aborted.length).toBeGreaterThan(0);

    preparations.prepare(client, refOf(local[0]), firstInstanceOf(local[0]));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(preparations.seriesInstanceUIDs).toEqual([]);
    expect(preparations.take(client, refOf(local[0]))).toBeNull();
  });

  it('does not hand one client’s preparation to another (another server, other credentials)', () => {
    const { client } = recordingClient();
    const other = new DicomWebClient({ baseUrl: pacs.dicomWebUrl });
    const preparations = new SeriesPreparations();
    preparations.prepare(client, refOf(local[0]), firstInstanceOf(local[0]));
    expect(preparations.take(other, refOf(local[0]))).toBeNull();
    expect(preparations.seriesInstanceUIDs).toEqual([]);
  });
});
