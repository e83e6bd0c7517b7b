/**
 * The same-origin proxy of vite.config.ts (DESIGN.md: /dicom-web → FLUOROLENS_DICOMWEB_PROXY or
 * Orthanc's default port): `vite preview` with the project's config reaches a real Orthanc through
 * it, and says 502 (which the client reports as "unreachable") once Orthanc is gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DICOMWEB_PROXY, dicomWebProxy } from '../../scripts/vite-dicomweb-proxy';
import { DicomWebClient, DicomWebError, searchStudies } from '../../src/io/dicomweb';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';

// Real Orthanc and external tools: allow for a loaded 2-core machine (the suite runs files in parallel).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

describe('dicomWebProxy', () => {
  it('defaults to Orthanc on 127.0.0.1:8042 and maps /dicom-web onto the base URL’s path', () => {
    const [[context, options]] = Object.entries(dicomWebProxy(DEFAULT_DICOMWEB_PROXY));
    expect(new RegExp(context).test('/dicom-web/studies')).toBe(true);
    expect(new RegExp(context).test('/dicom-web?x=1')).toBe(true);
    expect(new RegExp(context).test('/dicom-webapp/')).toBe(false);
    expect(options.target).toBe('http://127.0.0.1:8042');
    expect(options.rewrite!('/dicom-web/studies?PatientID=1')).toBe('/dicom-web/studies?PatientID=1');
    const [[, other]] = Object.entries(dicomWebProxy('https://pacs.example.org/orthanc/dicom-web/'));
    expect(other.target).toBe('https://pacs.example.org');
    expect(other.changeOrigin).toBe(true);
    expect(other.rewrite!('/dicom-web/studies')).toBe('/orthanc/dicom-web/studies');
    expect(() => dicomWebProxy('not a url')).toThrow(/FLUOROLENS_DICOMWEB_PROXY "not a url" is not a URL/);
  });
});

describe('vite preview with the project config', () => {
  let pacs: TestOrthanc;
  let server: PreviewServer;
  let appUrl: string;
  const outDir = mkdtempSync(join(tmpdir(), 'fluorolens-empty-dist-'));

  beforeAll(async () => {
    pacs = await startTestOrthanc({ files: ['sample-dicom/l3-mbb-ftv.dcm'] });
    process.env.FLUOROLENS_DICOMWEB_PROXY = pacs.dicomWebUrl;
    server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
    appUrl = server.resolvedUrls!.local[0].replace(/\/$/, '');
  }, 60_000);

  afterAll(async () => {
    delete process.env.FLUOROLENS_DICOMWEB_PROXY;
    await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()) ?? resolve());
    await pacs?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('reaches Orthanc at /dicom-web, and reports it unreachable (502) once it stops', async () => {
    const client = new DicomWebClient({ baseUrl: `${appUrl}/dicom-web` });
    const studies = await searchStudies(client);
    expect(studies.map((s) => s.description)).toEqual(['Lumbar medial branch block (synthetic)']);
    await pacs.stop();
    const error = await searchStudies(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DicomWebError);
    expect((error as DicomWebError).kind).toBe('unreachable');
    expect((error as DicomWebError).status).toBe(502);
  });
});
