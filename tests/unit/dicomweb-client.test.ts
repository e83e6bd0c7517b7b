/**
 * The DICOMweb client against a real Orthanc (QIDO-RS filters, series with frame counts, rendered
 * thumbnails, STOW-RS found again by QIDO, authentication) and against small local HTTP servers
 * for what a healthy Orthanc never does (stalls, garbage, 403). Every failure must be classified
 * and its message must name what failed without a patient name, ID or UID.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DicomWebClient,
  DicomWebError,
  basicAuthorization,
  bearerAuthorization,
  openRemoteSeries,
  retrieveFrames,
  retrieveRunFrames,
  retrieveSeriesMetadata,
  retrieveThumbnail,
  searchInstances,
  searchSeries,
  searchStudies,
  storeInstances,
  thumbnailFrame,
  type FramePart,
} from '../../src/io/dicomweb';
import { freePort } from '../../scripts/pacs/orthanc.mjs';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';

// Real Orthanc and external tools: allow for a loaded 2-core machine (the suite runs files in parallel).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

const sample = (name: string) => fileURLToPath(new URL(`../../sample-dicom/${name}`, import.meta.url));
const SAMPLES = [
  'l3-mbb-ftv.dcm',
  'l4-tfesi-ap-512.dcm',
  'l5-tfesi-1024-rle.dcm',
  ...Array.from({ length: 10 }, (_, i) => `s1-caudal-series/IM${String(i + 1).padStart(4, '0')}.dcm`),
];
const TFESI_STUDY = '2.25.158923476250172983471650923847561029.1.1';
const MBB_STUDY = '2.25.158923476250172983471650923847561029.1.2';
const L4_SERIES = '2.25.158923476250172983471650923847561029.2.1';
/** What must never appear in an error message: the sample patient and its identifiers. */
const PATIENT_DATA = ['FLUOROLENS', 'SYNTHETIC', 'FL-SAMPLE-001', '2.25.1589234762501729834716509238475610'];

let pacs: TestOrthanc;
let client: DicomWebClient;

beforeAll(async () => {
  pacs = await startTestOrthanc({ files: SAMPLES.map(sample) });
  client = new DicomWebClient({ baseUrl: pacs.dicomWebUrl });
}, 60_000);
afterAll(() => pacs?.stop());

/** The error a promise rejects with, checked to be a DicomWebError free of patient data. */
async function failure(promise: Promise<unknown>): Promise<DicomWebError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DicomWebError);
  const message = (error as Error).message;
  for (const secret of PATIENT_DATA) expect(message).not.toContain(secret);
  return error as DicomWebError;
}

describe('QIDO-RS', () => {
  it('finds XA and RF studies by default, with patient, date, description and modalities', async () => {
    const studies = await searchStudies(client);
    expect(studies.map((s) => s.studyInstanceUID).sort()).toEqual([TFESI_STUDY, MBB_STUDY].sort());
    const tfesi = studies.find((s) => s.studyInstanceUID === TFESI_STUDY)!;
    expect(tfesi).toMatchObject({
      patientName: 'FLUOROLENS^SYNTHETIC',
      patientId: 'FL-SAMPLE-001',
      studyDate: '20240312',
      description: 'Lumbar transforaminal ESI (synthetic)',
      modalities: ['XA'],
      seriesCount: 3,
      instanceCount: 12,
    });
  });

  it('filters by patient name (prefix, any case), ID, date range, modality and description', async () => {
    const uids = async (query: Parameters<typeof searchStudies>[1]) =>
      (await searchStudies(client, query)).map((s) => s.studyInstanceUID).sort();
    expect(await uids({ patientName: 'fluoro' })).toHaveLength(2);
    expect(await uids({ patientName: 'nobody' })).toEqual([]);
    expect(await uids({ patientId: 'FL-SAMPLE-001' })).toHaveLength(2);
    expect(await uids({ dateFrom: '2024-03-01', dateTo: '2024-03-15' })).toEqual([TFESI_STUDY]);
    expect(await uids({ dateFrom: '2024-03-16' })).toEqual([MBB_STUDY]);
    expect(await uids({ dateTo: '2024-03-01' })).toEqual([]);
    expect(await uids({ description: 'medial branch' })).toEqual([MBB_STUDY]);
    expect(await uids({ modalities: ['RF'] })).toEqual([]);
    expect(await uids({ modalities: ['CT', 'XA'] })).toHaveLength(2);
    expect(await uids({ modalities: [] })).toHaveLength(2);
  });

  it('lists a study’s series with frame counts from Number of Frames or instance counts', async () => {
    const series = await searchSeries(client, TFESI_STUDY);
    expect(series.map((s) => [s.description, s.modality, s.frameCount, s.instanceCount])).toEqual([
      ['L4 TFESI AP (synthetic)', 'XA', 60, 1],
      ['L5 TFESI oblique (synthetic)', 'XA', 90, 1],
      ['S1 TFESI AP caudal tilt, spot images (synthetic)', 'XA', 10, 10],
    ]);
    expect(series[2].instances.map((i) => i.instanceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await searchSeries(client, '1.2.3.4.5.6')).toEqual([]);
  });

  it('gives a rendered middle-frame thumbnail (JPEG) for 8-bit and 16-bit RLE runs', async () => {
    for (const s of await searchSeries(client, TFESI_STUDY)) {
      const ref = thumbnailFrame(s)!;
      expect(ref.frameNumber).toBe(s.instances.length === 1 ? Math.ceil(s.frameCount! / 2) : 1);
      const thumb = await retrieveThumbnail(client, ref, { size: 96 });
      expect(thumb.mediaType).toBe('image/jpeg');
      expect([...thumb.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      expect(thumb.bytes.length).toBeLessThan(20_000);
    }
  });
});

describe('WADO-RS failures from a real Orthanc', () => {
  it('404: a series that is not there, and a frame past the end', async () => {
    const missing = await failure(retrieveSeriesMetadata(client, { studyInstanceUID: TFESI_STUDY, seriesInstanceUID: '1.2.3.999' }));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toMatch(/^Series metadata: the series is not on the PACS \(HTTP 404\)$/);
    const opening = await failure(openRemoteSeries(client, { studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.999' }));
    expect(opening.kind).toBe('not-found');
    const frame = await failure(
      retrieveFrames(
        client,
        { studyInstanceUID: TFESI_STUDY, seriesInstanceUID: L4_SERIES, sopInstanceUID: '1.2.3.4' },
        [1],
        () => undefined,
      ),
    );
    expect(frame.kind).toBe('not-found');
  });

  it('cancels a run’s frames when asked: no frame is handed on after the abort', async () => {
    const controller = new AbortController();
    const frames: number[] = [];
    let afterAbort = 0;
    const instances = [
      {
        studyInstanceUID: TFESI_STUDY,
        seriesInstanceUID: '2.25.158923476250172983471650923847561029.2.2',
        sopInstanceUID: '2.25.158923476250172983471650923847561029.3.2.1',
        frameCount: 90,
      },
    ];
    const error = await failure(
      retrieveRunFrames(
        client,
        instances,
        (n) => {
          if (controller.signal.aborted) afterAbort++;
          frames.push(n);
          if (frames.length === 5) controller.abort();
        },
        { signal: controller.signal, batchSize: 4, concurrency: 2 },
      ),
    );
    expect(error.kind).toBe('cancelled');
    expect(frames[0]).toBe(1);
    expect(frames.length).toBeLessThan(90);
    expect(afterAbort).toBeLessThanOrEqual(3); // parts already parsed from the chunk in hand
  });
});

describe('STOW-RS', () => {
  it('stores an instance, says what it stored, and QIDO finds it', async () => {
    // A copy of the L3 run under a new SOP Instance UID, made by Orthanc itself and not stored by it.
    const [{ ID }] = (await (
      await fetch(`${pacs.url}/tools/lookup`, { method: 'POST', body: '2.25.158923476250172983471650923847561029.3.3.1' })
    ).json()) as Array<{ ID: string }>;
    const copy = new Uint8Array(
      await (
        await fetch(`${pacs.url}/instances/${ID}/modify`, {
          method: 'POST',
          body: JSON.stringify({ Replace: { SeriesDescription: 'copy' }, Force: true }),
        })
      ).arrayBuffer(),
    );
    const result = await storeInstances(client, [copy], { studyInstanceUID: MBB_STUDY });
    expect(result.failed).toEqual([]);
    expect(result.stored).toHaveLength(1);
    const stored = result.stored[0];
    expect(stored.sopClassUID).toBe('1.2.840.10008.5.1.4.1.1.12.1');
    const found = await searchInstances(client, { studyInstanceUID: MBB_STUDY, sopInstanceUID: stored.sopInstanceUID });
    expect(found.map((i) => i.sopInstanceUID)).toEqual([stored.sopInstanceUID]);
  });

  it('says clearly when nothing was stored', async () => {
    const error = await failure(storeInstances(client, [new TextEncoder().encode('not a DICOM file')]));
    expect(['refused', 'server-error']).toContain(error.kind);
    expect(error.message).toMatch(/^Storing on the PACS: /);
  });
});

describe('authentication (Orthanc with HTTP Basic on)', () => {
  let secured: TestOrthanc;
  beforeAll(async () => {
    secured = await startTestOrthanc({ files: [sample('l3-mbb-ftv.dcm')], auth: { user: 'reader', password: 'right-password' } });
  }, 60_000);
  afterAll(() => secured?.stop());

  it('401 without credentials asks for them; with wrong ones says they were refused; right ones work', async () => {
    const anonymous = new DicomWebClient({ baseUrl: secured.dicomWebUrl });
    const needed = await failure(searchStudies(anonymous));
    expect(needed.kind).toBe('credentials-needed');
    expect(needed.needsCredentials).toBe(true);
    expect(needed.message).toBe(`Study search: the PACS at ${secured.dicomWebUrl} asks for credentials (HTTP 401)`);

    const wrong = new DicomWebClient({ baseUrl: secured.dicomWebUrl, authorization: basicAuthorization('reader', 'wrong-password') });
    const refused = await failure(searchStudies(wrong));
    expect(refused.kind).toBe('credentials-refused');
    expect(refused.message).not.toContain('wrong-password');

    wrong.setAuthorization(basicAuthorization('reader', 'right-password'));
    expect(await searchStudies(wrong)).toHaveLength(1);
    const { runs } = await openRemoteSeries(wrong, {
      studyInstanceUID: MBB_STUDY,
      seriesInstanceUID: '2.25.158923476250172983471650923847561029.2.3',
    });
    expect(runs[0].info.frameCount).toBe(30);
  });

  it('keeps the Authorization header in memory only', () => {
    const token = bearerAuthorization('secret-token-123');
    const c = new DicomWebClient({ baseUrl: secured.dicomWebUrl, authorization: token });
    expect(c.hasAuthorization).toBe(true);
    expect(JSON.stringify(c)).not.toContain('secret-token-123');
    expect(Object.values(c).join(' ')).not.toContain('secret-token-123');
    c.setAuthorization(undefined);
    expect(c.hasAuthorization).toBe(false);
  });
});

describe('servers that misbehave', () => {
  let server: Server;
  let base: string;
  let handler: (path: string, res: ServerResponse) => void;
  beforeAll(async () => {
    server = createServer((req, res) => handler(req.url ?? '', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/dicom-web`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('unreachable: nothing listens on the port', async () => {
    const port = await freePort();
    const error = await failure(searchStudies(new DicomWebClient({ baseUrl: `http://127.0.0.1:${port}/dicom-web` })));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(`Study search: could not reach the PACS at http://127.0.0.1:${port}/dicom-web; is it running?`);
  });

  it('unreachable: the proxy answers 502', async () => {
    handler = (_path, res) => res.writeHead(502).end();
    expect((await failure(searchStudies(new DicomWebClient({ baseUrl: base })))).kind).toBe('unreachable');
  });

  it('timeout: no answer at all', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    const error = await failure(searchStudies(new DicomWebClient({ baseUrl: base, timeoutMs: 300 })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 300 ms$/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('timeout: the body stalls after the first frame, which is still handed on', async () => {
    handler = (_path, res) => {
      res.writeHead(200, { 'Content-Type': 'multipart/related; type="application/octet-stream"; boundary=b' });
      res.write('--b\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\nAAAA\r\n--b\r\n\r\nBB');
    };
    const got: FramePart[] = [];
    const ref = { studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUID: '3' };
    const error = await failure(retrieveFrames(new DicomWebClient({ baseUrl: base, timeoutMs: 300 }), ref, [1, 2], (p) => got.push(p)));
    expect(error.kind).toBe('timeout');
    expect(got.map((p) => [p.frameNumber, new TextDecoder().decode(p.bytes), p.transferSyntaxUID])).toEqual([
      [1, 'AAAA', '1.2.840.10008.1.2.1'],
    ]);
  });

  it('403 is forbidden, and asks for other credentials', async () => {
    handler = (_path, res) => res.writeHead(403).end();
    const error = await failure(searchStudies(new DicomWebClient({ baseUrl: base, authorization: 'Bearer x' })));
    expect(error.kind).toBe('forbidden');
    expect(error.needsCredentials).toBe(true);
  });

  it('malformed: JSON that is not JSON, a list that is not data sets, a multipart answer that is cut off or short', async () => {
    const c = new DicomWebClient({ baseUrl: base });
    handler = (_path, res) => res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end('[{"0020000D": ');
    expect((await failure(searchStudies(c))).kind).toBe('malformed');
    handler = (_path, res) => res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end('{"error": "FLUOROLENS^SYNTHETIC"}');
    expect((await failure(searchStudies(c))).kind).toBe('malformed');
    const ref = { studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUID: '3' };
    handler = (_path, res) =>
      res.writeHead(200, { 'Content-Type': 'multipart/related; boundary=b' }).end('--b\r\n\r\nAAAA\r\n--b\r\n\r\nBB');
    expect((await failure(retrieveFrames(c, ref, [1, 2], () => undefined))).message).toMatch(/^Frames 1–2: the multipart answer is broken/);
    handler = (_path, res) => res.writeHead(200, { 'Content-Type': 'multipart/related; boundary=b' }).end('--b\r\n\r\nAAAA\r\n--b--');
    expect((await failure(retrieveFrames(c, ref, [1, 2], () => undefined))).message).toBe(
      'Frames 1–2: the PACS sent 1 of the 2 frames asked',
    );
    handler = (_path, res) => res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end('xx');
    expect((await failure(retrieveFrames(c, ref, [7], () => undefined))).message).toBe(
      'Frame 7: the PACS answered image/jpeg instead of multipart/related',
    );
  });

  it('no images: empty series metadata', async () => {
    handler = (_path, res) => res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end('[]');
    const error = await failure(openRemoteSeries(new DicomWebClient({ baseUrl: base }), { studyInstanceUID: '1', seriesInstanceUID: '2' }));
    expect(error.kind).toBe('no-images');
    expect(error.message).toBe('Series metadata: the series holds no instances');
  });
});
