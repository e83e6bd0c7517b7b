/**
 * The PACS region against a real Orthanc (DICOMweb plugin), through the app's same-origin proxy:
 * browse and filter studies, a study's series with frame counts and thumbnails, open a series as a
 * run (pixels equal to the local file's, frame 1 alone then batches, plays), annotate, Save to
 * PACS (found again by QIDO, straight from Orthanc), load the report in a fresh profile through
 * the deep link (which also shows its study and series in the panel); a dose report listed for
 * what it is, not as a run to open; and failures provoked for real: a missing series (404), a series with no image,
 * an undecodable frame, credentials refused (Orthanc's own authentication), the server stopped.
 *
 * Each Orthanc here gets its own `vite preview` of the test build whose /dicom-web proxy points at
 * it (the global one points at the default port). The big-endian samples are not uploaded:
 * Orthanc 1.10 answers 500 for their WADO-RS frames.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as DicomParserTypes from 'dicom-parser';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dicomWebProxy } from '../../scripts/vite-dicomweb-proxy';
import { startTestOrthanc, type TestOrthanc } from '../support/orthanc';
import { launchApp, sampleFile, sampleTruth, scratchDir, type App, type SavedDocument } from './driver';

// Several apps per test and real decoding on a shared 2-core machine: more than the suite's 90 s.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParserTypes;

const AP = sampleTruth('l4-tfesi-ap-512'); // 60 frames of 512², series 1 of the TFESI study
const MBB = sampleTruth('l3-mbb-ftv'); // 30 frames of 256², the MBB study (2024-03-19)
const PATIENT_WORDS = ['SYNTHETIC', 'FL-SAMPLE-001', 'OTHER^PERSON', 'FL-OTHER-002'];

/** A copy of a sample in another study of another patient (new UIDs), as RF, dated 2023-01-05. */
function otherPatientCopy(dir: string): string {
  const out = join(dir, 'other-patient.dcm');
  copyFileSync(sampleFile('l5-lateral-rect-256.dcm'), out);
  execFileSync('dcmodify', [
    '-nb',
    '-gst',
    '-gse',
    '-gin',
    '-m',
    '(0010,0010)=OTHER^PERSON',
    '-m',
    '(0010,0020)=FL-OTHER-002',
    '-m',
    '(0008,0020)=20230105',
    '-m',
    '(0008,0060)=RF',
    '-m',
    '(0008,1030)=Caudal ESI (synthetic copy)',
    out,
  ]);
  return out;
}

/** An RLE copy of the MBB run as a new series of its study whose frame 3 has its RLE header zeroed. */
function damagedRleCopy(dir: string): { path: string; seriesInstanceUID: string } {
  const rle = join(dir, 'mbb-rle.dcm');
  execFileSync('dcmcrle', [sampleFile('l3-mbb-ftv.dcm'), rle]);
  execFileSync('dcmodify', ['-nb', '-gse', '-gin', '-m', '(0020,0011)=7', '-m', '(0008,103E)=MBB damaged RLE copy', rle]);
  const bytes = new Uint8Array(readFileSync(rle));
  const dataSet = dicomParser.parseDicom(bytes);
  const fragment = dataSet.elements.x7fe00010.fragments![2];
  bytes.fill(0, fragment.position, fragment.position + 64);
  writeFileSync(rle, bytes);
  return { path: rle, seriesInstanceUID: dataSet.string('x0020000e')! };
}

async function servePreview(pacs: { dicomWebUrl: string }): Promise<{ server: PreviewServer; url: string }> {
  const server = await preview({
    configFile: false,
    build: { outDir: process.env.FLUOROLENS_DIST ?? 'dist' },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, proxy: dicomWebProxy(pacs.dicomWebUrl) },
    logLevel: 'silent',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { server, url: url.replace(/\/$/, '') };
}

/**
 * Vite's close() destroys the sockets still open before closing; httpServer.close() alone waits
 * for every connection in use, and once left an afterAll hanging for its whole timeout in CI.
 */
async function closeServer(server: PreviewServer | undefined): Promise<void> {
  await server?.close();
}

/** The app on a preview whose proxy reaches `base`'s Orthanc; every console line is kept. */
async function openApp(base: string, query = '?samples=0'): Promise<{ app: App; console: string[] }> {
  const app = await launchApp({ url: `${base}/${query}`, viewport: { width: 1400, height: 900 }, waitUntil: 'domcontentloaded' });
  await app.page.getByRole('region', { name: 'PACS' }).waitFor({ timeout: 60_000 });
  return { app, console: app.consoleLines };
}

function panel(app: App) {
  return app.page.getByRole('region', { name: 'PACS' });
}

async function search(app: App, fields: Partial<Record<'Patient name' | 'Patient ID' | 'From' | 'To' | 'Modalities', string>> = {}) {
  const form = panel(app).getByRole('form', { name: 'Study search' });
  for (const label of ['Patient name', 'Patient ID', 'From', 'To'] as const) await form.getByLabel(label).fill(fields[label] ?? '');
  await form.getByLabel('Modalities').fill(fields.Modalities ?? 'XA RF');
  await form.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => panel(app).getByRole('status', { name: 'PACS status' }).textContent()).toMatch(/stud(y|ies)|No study matches/);
}

async function studyNames(app: App): Promise<string[]> {
  if ((await panel(app).getByRole('list', { name: 'Studies' }).count()) === 0) return [];
  return panel(app).getByRole('list', { name: 'Studies' }).locator(':scope > li > button').allTextContents();
}

async function alertText(app: App): Promise<string> {
  return (await app.page.getByRole('alert').textContent()) ?? '';
}

function deepLink(study: string, series: string): string {
  return `?dicomweb=${encodeURIComponent('/dicom-web')}&study=${encodeURIComponent(study)}&series=${encodeURIComponent(series)}`;
}

/** The single run the app has open, once its every frame is decoded. */
async function onlyRunDecoded(app: App): Promise<string> {
  const handle = await app.page.waitForFunction(() => {
    const runs = window.__fluorolens?.runs() ?? [];
    return runs.length === 1 ? runs[0].key : undefined;
  });
  const key = (await handle.jsonValue()) as string;
  await app.waitForMark('fluorolens:run-decoded', key, 60_000);
  return key;
}

async function frameHashes(app: App, runKey: string, frames: number): Promise<string[]> {
  return app.page.evaluate(
    async ([key, n]) => {
      const out: string[] = [];
      for (let f = 1; f <= n; f++) out.push((await window.__fluorolens!.decodedFrame(key, f)).hash);
      return out;
    },
    [runKey, frames] as const,
  );
}

/**
 * Frames (not rendered thumbnails) answer 2.5 s late from now on, so batches are in flight when the
 * test acts; returns the reasons of the frame requests the page aborts (until `unroute`).
 */
async function slowFrames(app: App): Promise<string[]> {
  await app.page.route('**/frames/**', async (route) => {
    if (route.request().url().includes('/rendered')) return route.continue();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await route.continue().catch(() => undefined); // the page may have aborted it meanwhile
  });
  const aborted: string[] = [];
  app.page.on('requestfailed', (request) => {
    if (request.url().includes('/frames/') && !request.url().includes('/rendered')) aborted.push(request.failure()?.errorText ?? '');
  });
  return aborted;
}

/** Opens series 1 (L4 TFESI AP) of the listed TFESI study; resolves with its run key once frame 1 is shown. */
async function openApFromList(app: App): Promise<string> {
  await panel(app)
    .getByRole('button', { name: /Lumbar transforaminal ESI/ })
    .click();
  await panel(app)
    .getByRole('button', { name: /^Open Series 1 ·/ })
    .click();
  const remoteKey = (await (
    await app.page.waitForFunction(() => window.__fluorolens?.runs().find((r) => r.files[0] === 'PACS series 1')?.key)
  ).jsonValue()) as string;
  await app.waitForMark('fluorolens:first-frame', remoteKey);
  return remoteKey;
}

function comparable(doc: SavedDocument) {
  return { tracks: doc.tracks, caseRecord: doc.caseRecord };
}

describe('PACS', () => {
  let pacs: TestOrthanc;
  let base: string;
  let server: PreviewServer | undefined;
  let damagedSeries: string;

  beforeAll(async () => {
    const dir = scratchDir('pacs');
    const damaged = damagedRleCopy(dir);
    damagedSeries = damaged.seriesInstanceUID;
    pacs = await startTestOrthanc({
      files: [
        sampleFile('l4-tfesi-ap-512.dcm'),
        sampleFile('l5-lateral-rect-256.dcm'),
        sampleFile('l3-mbb-ftv.dcm'),
        sampleFile('tfesi-dose-report.dcm'),
        otherPatientCopy(dir),
        damaged.path,
      ],
    });
    ({ server, url: base } = await servePreview(pacs));
  });

  afterAll(async () => {
    await closeServer(server);
    await pacs?.stop();
  });

  it('lists studies filtered by patient, date range and modality, and a study’s series with frame counts and thumbnails', async () => {
    const { app, console } = await openApp(base);
    await search(app);
    expect(await studyNames(app)).toHaveLength(3);
    const names = (await studyNames(app)).join('\n');
    expect(names).toContain('SYNTHETIC · ID FL-SAMPLE-001');
    expect(names).toContain('2024-03-12 · Lumbar transforaminal ESI (synthetic)');
    expect(names).toContain('OTHER, PERSON · ID FL-OTHER-002');

    expect(await panel(app).getByRole('heading', { name: '3 studies', exact: true }).count()).toBe(1);

    await search(app, { 'Patient name': 'other' });
    expect(await studyNames(app)).toEqual([expect.stringContaining('OTHER, PERSON')]);
    expect(await panel(app).getByRole('heading', { name: '1 study', exact: true }).count()).toBe(1);
    await search(app, { 'Patient ID': 'FL-SAMPLE-001' });
    expect(await studyNames(app)).toHaveLength(2);
    await search(app, { From: '2024-03-15', To: '2024-03-31' });
    expect(await studyNames(app)).toEqual([expect.stringContaining('Lumbar medial branch block')]);
    await search(app, { Modalities: 'RF' });
    expect(await studyNames(app)).toEqual([expect.stringContaining('OTHER, PERSON')]);
    await search(app, { Modalities: 'CT' });
    expect(await studyNames(app)).toEqual([]);
    expect(await panel(app).getByRole('status', { name: 'PACS status' }).textContent()).toBe('No study matches');

    await search(app);
    await panel(app)
      .getByRole('button', { name: /Lumbar transforaminal ESI/ })
      .click();
    const series = panel(app).getByRole('list', { name: 'Series' });
    await expect.poll(() => series.getByRole('listitem').count()).toBe(3);
    const labels = await series.getByRole('button').evaluateAll((b) => b.map((e) => e.getAttribute('aria-label')));
    expect(labels).toEqual([
      'Open Series 1 · L4 TFESI AP (synthetic) · XA · 60 frames',
      'Open Series 5 · L5 lateral, rectangular collimation (synthetic) · XA · 12 frames',
    ]);
    // The dose report is said for what it is, and not offered as a run to open.
    expect(await series.getByRole('listitem').nth(2).textContent()).toBe(
      'Series 999 · Radiation Dose Information · SR · Radiation dose report',
    );
    expect(await series.getByRole('listitem').nth(2).getByRole('button').count()).toBe(0);
    // The study list's heading counts studies; the series are counted as series of the study.
    await expect
      .poll(() => panel(app).getByRole('status', { name: 'PACS status' }).textContent())
      .toBe('3 series in this study: 2 image series, 1 radiation dose report');
    expect(await panel(app).getByRole('heading', { name: '3 studies', exact: true }).count()).toBe(1);
    // Thumbnails of the two image series, rendered by the PACS and decoded by the browser.
    await expect
      .poll(() => series.locator('img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length))
      .toBe(2);
    await app.screenshot('pacs-studies', panel(app));
    expect(console.filter((line) => PATIENT_WORDS.some((w) => line.includes(w)))).toEqual([]);
  });

  it('opens a series like the local file (same pixels, frame 1 alone then batches), plays it, and keeps annotations by identity', async () => {
    const { app, console } = await openApp(base);
    const frameRequests: string[] = [];
    /** Metadata and frame requests of series 1, in order; "click" where the user clicked Open. */
    const seriesRequests: string[] = [];
    app.page.on('request', (request) => {
      const url = request.url();
      if (!url.includes(`/series/${AP.seriesInstanceUID}/`)) return;
      if (url.endsWith('/metadata')) seriesRequests.push('metadata');
      if (url.includes('/frames/') && !url.includes('/rendered')) {
        frameRequests.push(url.slice(url.indexOf('/frames/') + 8));
        seriesRequests.push(`frames/${frameRequests.at(-1)}`);
      }
    });
    const localKey = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await app.waitForMark('fluorolens:run-decoded', localKey, 60_000);
    const local = await frameHashes(app, localKey, AP.frames);
    // Work on the local copy, autosaved by the run's identity.
    await app.addTrack('Needle tip');
    await app.drawKeyframe(localKey, 'needleTip-1', 5, { tip: { x: 200.5, y: 300.5 } });
    await expect.poll(() => app.page.getByLabel('Autosave status').first().textContent()).toBe('Saved');

    await search(app);
    await panel(app)
      .getByRole('button', { name: /Lumbar transforaminal ESI/ })
      .click();
    // Listed, the series is made ready to open: its metadata and frame 1 are asked for before the click.
    await expect.poll(() => [...seriesRequests].sort()).toEqual(['frames/1', 'metadata']);
    seriesRequests.push('click');
    await panel(app)
      .getByRole('button', { name: /^Open Series 1 ·/ })
      .click();
    // The PACS copy replaces the local reading of the same run (one identity, one run).
    await app.page.waitForFunction((k) => {
      const runs = window.__fluorolens?.runs() ?? [];
      return runs.length === 1 && runs[0].key !== k;
    }, localKey);
    const remoteKey = await onlyRunDecoded(app);
    expect((await app.runs())[0].files).toEqual(['PACS series 1']);
    expect(await frameHashes(app, remoteKey, AP.frames)).toEqual(local);
    expect(frameRequests[0]).toBe('1');
    expect(frameRequests.length).toBeLessThanOrEqual(1 + Math.ceil((AP.frames - 1) / 8));
    expect(frameRequests.slice(1).every((f) => f.split(',').length > 1)).toBe(true);
    // The click asked for neither again: only the batches after frame 1.
    const afterClick = seriesRequests.slice(seriesRequests.indexOf('click') + 1);
    expect(afterClick.length).toBeGreaterThan(0);
    expect(afterClick.every((r) => r.startsWith('frames/') && r.includes(','))).toBe(true);
    // The work done on the local copy is there on the PACS copy.
    await expect.poll(async () => (await app.savedDoc(remoteKey)).tracks.map((t) => t.keyframes.map((k) => k.frame))).toEqual([[5]]);

    await app.pane(1).getByRole('button', { name: 'Play', exact: true }).click();
    await app.page.waitForTimeout(1500);
    await app.pane(1).getByRole('button', { name: 'Pause', exact: true }).click();
    const stats = await app.page.evaluate(() => window.__fluorolens!.playbackStats('main'));
    expect(stats.shown).toBeGreaterThan(5);
    expect(await app.frame()).toBeGreaterThan(1);
    await app.screenshot('pacs-run-open');
    expect(await alertText(app)).toBe('');
    expect(console.filter((line) => PATIENT_WORDS.some((w) => line.includes(w)))).toEqual([]);
  });

  it('cancels the frame requests of a PACS run when the pane switches to another run, and fetches them again when it comes back', async () => {
    const { app } = await openApp(base);
    // Frames answer slowly, so they are surely in flight when the user switches runs.
    const aborted = await slowFrames(app);
    await search(app);
    const remoteKey = await openApFromList(app);
    // Batches are in flight now; the user opens another run in the pane.
    await app.openRun(sampleFile('l5-lateral-rect-256.dcm'));
    await expect.poll(() => aborted.length).toBeGreaterThan(0);
    expect(aborted.every((reason) => reason === 'net::ERR_ABORTED')).toBe(true);
    await app.page.unroute('**/frames/**');
    // Back to the PACS run: its frames are fetched again and all decode.
    await app.showRunFromList(/L4 TFESI AP/);
    await app.waitForMark('fluorolens:run-decoded', remoteKey, 60_000);
    expect((await app.runs()).find((r) => r.key === remoteKey)?.failed).toEqual([]);
    expect(await alertText(app)).toBe('');
  });

  it('Reopen brings a closed PACS run back from the PACS, its frames all decoded', async () => {
    const { app } = await openApp(base);
    await search(app);
    const firstKey = await openApFromList(app);
    await app.waitForMark('fluorolens:run-decoded', firstKey, 60_000);
    await app.closeRunFromList(/^L4 TFESI AP/);
    await expect.poll(() => app.runs()).toEqual([]);
    const closed = app.page.getByRole('status', { name: 'Closed runs' });
    await expect.poll(() => closed.textContent()).toBe('Closed L4 TFESI AP (synthetic). Reopen');
    await closed.getByRole('button', { name: 'Reopen' }).click();
    const reopenedKey = await onlyRunDecoded(app);
    expect(reopenedKey).not.toBe(firstKey);
    const [run] = await app.runs();
    expect([run.files, run.frames, run.failed]).toEqual([['PACS series 1'], AP.frames, []]);
    expect(await closed.count(), 'Reopen is done: nothing is offered').toBe(0);
    expect(await alertText(app)).toBe('');
  });

  it('Close all cancels a PACS run’s frame requests and takes the study list and the search typed off the page; the server stays', async () => {
    const { app } = await openApp(base);
    // Frames answer slowly, so batches are surely in flight when the runs are closed.
    const aborted = await slowFrames(app);
    await search(app, { 'Patient ID': 'FL-SAMPLE-001' });
    expect(await studyNames(app)).toHaveLength(2);
    await openApFromList(app);

    await app.page.getByRole('button', { name: 'Close all runs' }).click();
    await expect.poll(() => app.runs()).toEqual([]);
    await expect.poll(() => aborted.length).toBeGreaterThan(0);
    expect(aborted.every((reason) => reason === 'net::ERR_ABORTED')).toBe(true);
    // Nothing that names a patient is left in the PACS region: no study list, no series, no search typed.
    expect(await studyNames(app)).toEqual([]);
    expect(await panel(app).getByRole('list', { name: 'Series' }).count()).toBe(0);
    const form = panel(app).getByRole('form', { name: 'Study search' });
    expect(await form.getByLabel('Patient ID').inputValue()).toBe('');
    expect(await form.getByLabel('Modalities').inputValue()).toBe('XA RF');
    expect(await panel(app).getByRole('status', { name: 'PACS status' }).textContent()).toBe('');
    expect(await panel(app).textContent()).not.toMatch(/SYNTHETIC|FL-SAMPLE-001/);
    // The server is the same and answers the next search.
    await app.page.unroute('**/frames/**');
    await search(app);
    expect(await studyNames(app)).toHaveLength(3);
    expect(await alertText(app)).toBe('');
  });

  it('Close all pressed while a PACS series is being opened: the series shows nothing when its reading ends', async () => {
    const { app } = await openApp(base);
    // Series 5's metadata is held until Close all has been pressed: its opening is surely under way then.
    const lateral = sampleTruth('l5-lateral-rect-256').seriesInstanceUID;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await app.page.route(`**/series/${lateral}/metadata`, async (route) => {
      await held;
      await route.continue().catch(() => undefined); // the page may have aborted it meanwhile
    });
    await search(app, { 'Patient ID': 'FL-SAMPLE-001' });
    await openApFromList(app);
    await panel(app)
      .getByRole('button', { name: /^Open Series 5 ·/ })
      .click();
    await expect.poll(() => panel(app).getByRole('status', { name: 'PACS status' }).textContent()).toBe('Opening the series…');
    await app.page.getByRole('button', { name: 'Close all runs' }).click();
    await expect.poll(() => app.page.getByRole('status', { name: 'Closed runs' }).textContent()).toBe('Closed 1 run. Reopen');
    release();
    await app.page.waitForTimeout(1500);
    expect(await app.runs(), 'the series opened meanwhile is not shown').toEqual([]);
    expect(await app.pane(1).getByTestId('viewport').getAttribute('aria-label')).toBe('No run open');
    expect(await panel(app).getByRole('status', { name: 'PACS status' }).textContent()).toBe('');
    expect(await alertText(app)).toBe('');
    // The next opening from the PACS is shown.
    await search(app, { 'Patient ID': 'FL-SAMPLE-001' });
    await openApFromList(app);
    expect((await app.runs()).map((run) => run.files)).toEqual([['PACS series 1']]);
  });

  it('saves the annotations to the PACS as an SR found by QIDO, and a fresh profile opens the deep link and loads the same document', async () => {
    const { app } = await openApp(base, deepLink(MBB.studyInstanceUID, MBB.seriesInstanceUID));
    const runKey = await onlyRunDecoded(app);
    // The panel shows the linked study, chosen, with its series, as if the user had found it.
    await expect.poll(() => studyNames(app)).toEqual([expect.stringContaining('Lumbar medial branch block')]);
    expect(
      await panel(app)
        .getByRole('button', { name: /Lumbar medial branch block/ })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await expect
      .poll(() =>
        panel(app)
          .getByRole('list', { name: 'Series' })
          .getByRole('button', { name: /^Open Series 1 · .* · 30 frames$/ })
          .count(),
      )
      .toBe(1);
    // Before any track, Export DICOM SR says the file holds the case record alone.
    const [empty] = await Promise.all([
      app.page.waitForEvent('download'),
      panel(app).getByRole('button', { name: 'Export DICOM SR' }).click(),
    ]);
    await expect
      .poll(() => panel(app).getByRole('status', { name: 'PACS status' }).textContent())
      .toBe(
        'Exported PACS series 1.sr.dcm: the case record only (no tracks yet) of L3 MBB oblique, irregular timing (synthetic) as a DICOM SR',
      );
    expect(execFileSync('dsrdump', [await empty.path()], { encoding: 'utf8' })).not.toContain('Tracking Unique Identifier');
    await app.addTrack('Needle tip');
    await app.addTrack('Target');
    await app.drawKeyframe(runKey, 'needleTip-1', 1, { tip: { x: 60.5, y: 140.5 } });
    await app.drawKeyframe(runKey, 'needleTip-1', 20, { tip: { x: 90.25, y: 150.75 } });
    await app.drawKeyframe(runKey, 'target-1', 1, { center: { x: 96.5, y: 170.5 }, radiusPx: 5 });
    const written = await app.savedDoc(runKey);
    await panel(app).getByRole('button', { name: 'Save to PACS' }).click();
    await expect
      .poll(() => panel(app).getByRole('status', { name: 'PACS status' }).textContent(), { timeout: 20_000 })
      .toMatch(/^Saved to PACS: 2 tracks of L3 MBB oblique, irregular timing \(synthetic\) as a DICOM SR/);

    // Found by QIDO, asked of Orthanc directly (not through the app).
    const answer = (await (
      await fetch(`${pacs.dicomWebUrl}/studies/${MBB.studyInstanceUID}/instances?Modality=SR&includefield=00080016`)
    ).json()) as Array<Record<string, { Value?: string[] }>>;
    const reports = answer.filter((ds) => ds['00080016']?.Value?.[0] === '1.2.840.10008.5.1.4.1.1.88.33');
    expect(reports).toHaveLength(1);

    // Export DICOM SR gives the same kind of file to keep.
    const [download] = await Promise.all([
      app.page.waitForEvent('download'),
      panel(app).getByRole('button', { name: 'Export DICOM SR' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('PACS series 1.sr.dcm');
    expect(await panel(app).getByRole('status', { name: 'PACS status' }).textContent()).toMatch(
      /^Exported PACS series 1\.sr\.dcm: 2 tracks of L3 MBB/,
    );
    const file = readFileSync(await download.path());
    expect(file.subarray(128, 132).toString('latin1')).toBe('DICM');
    const dump = execFileSync('dsrdump', [await download.path()], { encoding: 'utf8' });
    expect(dump).toContain('Imaging Measurement Report');
    expect(dump).toContain('Tracking Unique Identifier');

    // A fresh profile (no autosave), launched by the deep link: the report comes back from the PACS.
    const fresh = (await openApp(base, deepLink(MBB.studyInstanceUID, MBB.seriesInstanceUID))).app;
    const freshKey = await onlyRunDecoded(fresh);
    expect((await fresh.savedDoc(freshKey)).tracks).toEqual([]);
    await panel(fresh).getByRole('button', { name: 'Load from PACS' }).click();
    await expect
      .poll(() => panel(fresh).getByRole('status', { name: 'PACS status' }).textContent(), { timeout: 20_000 })
      .toMatch(/^Loaded from PACS: 2 tracks/);
    expect(comparable(await fresh.savedDoc(freshKey))).toEqual(comparable(written));
  });

  it('tells a missing series (404) in the alert region', async () => {
    const missing = (await openApp(base, deepLink(AP.studyInstanceUID, '1.2.3.4.5.6.7.404'))).app;
    await expect
      .poll(() => alertText(missing))
      .toContain('Not found on the PACS: Series metadata: the series is not on the PACS (HTTP 404)');
    expect((await missing.runs()).length).toBe(0);
  });

  it('tells a series with no image in the alert region', async () => {
    const doseSeries = (
      (await (await fetch(`${pacs.dicomWebUrl}/studies/${AP.studyInstanceUID}/series?Modality=SR`)).json()) as Array<
        Record<string, { Value?: string[] }>
      >
    )[0]['0020000E'].Value![0];
    const empty = (await openApp(base, deepLink(AP.studyInstanceUID, doseSeries))).app;
    await expect.poll(() => alertText(empty)).toContain('No images on the PACS: Opening the series: the series holds no image');
  });

  it('tells an undecodable frame of a PACS run in the alert region; the rest of the run plays', async () => {
    const { app, console } = await openApp(base, deepLink(MBB.studyInstanceUID, damagedSeries));
    const key = await onlyRunDecoded(app);
    expect((await app.runs())[0].failed).toEqual([3]);
    await expect
      .poll(() => alertText(app))
      .toContain('PACS series 7: frame 3 could not be decoded: the RLE header declares 0 segments, but 1 are needed for this image');
    // The rest of the run is there.
    expect((await app.page.evaluate((k) => window.__fluorolens!.decodedFrame(k, 4), key)).length).toBe(MBB.rows * MBB.columns);
    expect(console.filter((line) => PATIENT_WORDS.some((w) => line.includes(w)))).toEqual([]);
  });
});

describe('PACS with authentication, then stopped', () => {
  let pacs: TestOrthanc;
  let base: string;
  let server: PreviewServer | undefined;

  beforeAll(async () => {
    pacs = await startTestOrthanc({ files: [sampleFile('l3-mbb-ftv.dcm')], auth: { user: 'reader', password: 'right-one' } });
    ({ server, url: base } = await servePreview(pacs));
  });

  afterAll(async () => {
    await closeServer(server);
    await pacs?.stop();
  });

  it('asks for credentials, asks again after a wrong password, browses with the right one, and says when the server is gone', async () => {
    const { app, console } = await openApp(base);
    const form = panel(app).getByRole('form', { name: 'Study search' });
    await form.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => alertText(app))
      .toContain('PACS credentials needed: Study search: the PACS at /dicom-web asks for credentials (HTTP 401)');
    const credentials = panel(app).getByRole('form', { name: 'PACS credentials' });
    await expect.poll(() => credentials.isVisible()).toBe(true);

    await credentials.getByLabel('User', { exact: true }).fill('reader');
    await credentials.getByLabel('Password', { exact: true }).fill('wrong-one');
    await credentials.getByRole('button', { name: 'Use credentials' }).click();
    await expect
      .poll(() => alertText(app))
      .toContain('PACS credentials refused: Study search: the PACS at /dicom-web refused the credentials (HTTP 401)');
    await expect.poll(() => credentials.getByRole('status').textContent()).toContain('refused the credentials');
    expect(await credentials.getByLabel('Password', { exact: true }).inputValue()).toBe('');

    await credentials.getByLabel('Password', { exact: true }).fill('right-one');
    await credentials.getByRole('button', { name: 'Use credentials' }).click();
    await expect.poll(() => studyNames(app)).toHaveLength(1);
    // Kept in memory only.
    const stored = await app.page.evaluate(async () => ({
      local: JSON.stringify(Object.entries(localStorage)),
      session: JSON.stringify(Object.entries(sessionStorage)),
      databases: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(stored.local + stored.session).not.toContain('right-one');

    await pacs.stop();
    await form.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => alertText(app), { timeout: 20_000 }).toMatch(/PACS unreachable: Study search: .*is it running\?/);
    await app.screenshot('pacs-unreachable');
    expect(console.filter((line) => PATIENT_WORDS.some((w) => line.includes(w)) || line.includes('right-one'))).toEqual([]);
  });
});

describe('PACS that never answers', () => {
  let hanging: Server;
  let base: string;
  let server: PreviewServer | undefined;

  beforeAll(async () => {
    // Accepts every request and never answers: what a stuck PACS or a dead network path looks like.
    hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    ({ server, url: base } = await servePreview({ dicomWebUrl: `http://127.0.0.1:${port}/dicom-web` }));
  });

  afterAll(async () => {
    await closeServer(server);
    hanging?.closeAllConnections();
    await new Promise((resolve) => hanging?.close(resolve));
  });

  it('says the search timed out instead of waiting forever', async () => {
    const { app } = await openApp(base);
    await panel(app).getByRole('form', { name: 'Study search' }).getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => alertText(app), { timeout: 45_000 })
      .toContain('PACS timed out: Study search: the PACS at /dicom-web did not answer within 30 s');
    expect(await panel(app).getByRole('form', { name: 'Study search' }).getByRole('button', { name: 'Search' }).isEnabled()).toBe(true);
  });
});

describe('PACS series made ready before the click', () => {
  const BIG = sampleTruth('l5-tfesi-1024-rle'); // 90 frames of 1024²: too many pixels to prepare on listing
  let pacs: TestOrthanc;
  let base: string;
  let server: PreviewServer | undefined;

  beforeAll(async () => {
    pacs = await startTestOrthanc({ files: [sampleFile('l4-tfesi-ap-512.dcm'), sampleFile('l5-tfesi-1024-rle.dcm')] });
    ({ server, url: base } = await servePreview(pacs));
  });

  afterAll(async () => {
    await closeServer(server);
    await pacs?.stop();
  });

  it('prepares a large series only when the pointer rests on its Open button, and Open then asks for neither metadata nor frame 1', async () => {
    const { app } = await openApp(base);
    const asked: string[] = [];
    app.page.on('request', (request) => {
      const url = request.url();
      const series = url.includes(`/series/${BIG.seriesInstanceUID}/`)
        ? 'big'
        : url.includes(`/series/${AP.seriesInstanceUID}/`)
          ? 'ap'
          : null;
      if (!series) return;
      if (url.endsWith('/metadata')) asked.push(`${series} metadata`);
      else if (url.includes('/frames/') && !url.includes('/rendered')) asked.push(`${series} frames/${url.split('/frames/')[1]}`);
    });
    await search(app);
    await panel(app)
      .getByRole('button', { name: /Lumbar transforaminal ESI/ })
      .click();
    const open = panel(app).getByRole('button', { name: /^Open Series 2 ·/ });
    await open.waitFor();
    // Listed: the small series is prepared at once, the large one is not.
    await expect.poll(() => [...asked].sort()).toEqual(['ap frames/1', 'ap metadata']);
    await panel(app).getByRole('list', { name: 'Series' }).locator('img').first().waitFor();
    expect(asked.filter((a) => a.startsWith('big'))).toEqual([]);
    await open.hover();
    await expect.poll(() => asked.filter((a) => a.startsWith('big')).sort()).toEqual(['big frames/1', 'big metadata']);
    asked.push('click');
    await open.click();
    const key = (await (
      await app.page.waitForFunction(() => window.__fluorolens?.runs().find((r) => r.files[0] === 'PACS series 2')?.key)
    ).jsonValue()) as string;
    await app.waitForMark('fluorolens:first-frame', key, 60_000);
    const afterClick = asked.slice(asked.indexOf('click') + 1);
    expect(afterClick.filter((a) => a.endsWith('metadata') || a.endsWith('frames/1'))).toEqual([]);
    expect(await alertText(app)).toBe('');
  });
});
