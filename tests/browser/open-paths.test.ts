/**
 * The ways in besides Open DICOM files: a folder, a DICOMDIR, files dropped on the page, and the
 * same file opened twice.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, corpusFile, launchApp, launchOnSamples, sampleFile, sampleTruth, scratchDir, type App } from './driver';
import { writeStructuredReport } from './nonImageObjects';
import { writeSyntheticRun, writeSyntheticSeries } from '../../scripts/bench/synth.mjs';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';

const seriesDir = readdirSync(SAMPLE_DIR, { withFileTypes: true }).find((e) => e.isDirectory())!.name;
const seriesTruth = sampleTruth(seriesDir);
const multiFrameSamples = readdirSync(SAMPLE_DIR)
  .filter((f) => f.endsWith('.dcm'))
  .sort();

/** Study and Series Instance UIDs of a file, read with DCMTK. */
function readHeaderFields(path: string): { study: string; series: string } {
  const value = (tag: string) => /\[(.*)\]/.exec(execFileSync('dcmdump', ['+P', tag, path], { encoding: 'utf8' }))![1];
  return { study: value('0020,000d'), series: value('0020,000e') };
}

async function frameHashes(app: App, key: string, frames: number): Promise<string[]> {
  return app.page.evaluate(
    async ({ key, frames }) => {
      const out: string[] = [];
      for (let f = 1; f <= frames; f++) out.push((await window.__fluorolens!.decodedFrame(key, f)).hash);
      return out;
    },
    { key, frames },
  );
}

describe('ways in: folder, DICOMDIR, drag and drop', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs the whole open path on made-up runs before a file is chosen, and leaves nothing of them behind', async () => {
    app = await launchApp({ samples: false });
    await app.waitForMark('fluorolens:viewport-warm');
    const detail = await app.page.evaluate(() => (performance.getEntriesByName('fluorolens:viewport-warm')[0] as PerformanceMark).detail);
    // The warm-up runs (8-bit 512² and 16-bit 1024² files, the 512² one again as a DICOMweb
    // series) were opened, shown and stepped.
    expect(detail).toEqual({ runsShown: 3 });
    // Every codec's warm-up frames were fetched and decoded on the workers (codecWarmup.ts).
    await app.waitForMark('fluorolens:codecs-warm');
    const codecs = await app.page.evaluate(() => (performance.getEntriesByName('fluorolens:codecs-warm')[0] as PerformanceMark).detail);
    expect(codecs).toEqual({ failed: [] });
    // The warm-up series is served from memory: no request of it reached the network.
    const requests = await app.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(requests.filter((url) => url.includes('warm-up'))).toEqual([]);
    expect(await app.runs()).toEqual([]);
    expect(await app.page.evaluate(() => window.__fluorolens!.decodedCacheBytes())).toBe(0);
    await expect.poll(() => app!.page.getByRole('alert').textContent()).toBe('');
    await app.openFiles([sampleFile('l4-tfesi-ap-512.dcm')]);
    await app.waitForMark('fluorolens:first-frame');
    expect((await app.runs()).map((r) => r.files)).toEqual([['l4-tfesi-ap-512.dcm']]);
  });

  it('shows the bundled samples before it warms up for files chosen later; with no samples it warms up at once', async () => {
    // Messages to workers (the decode workers' codec warm-up) before the first sample is shown.
    const countWorkerMessages = () => {
      const counts = { beforeFirstRun: 0 };
      (window as unknown as { __workerMessages: typeof counts }).__workerMessages = counts;
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
        if (performance.getEntriesByName('fluorolens:show-run').length === 0) counts.beforeFirstRun++;
        return post.apply(this, args as never);
      } as Worker['postMessage'];
    };
    app = await launchApp({ initScript: countWorkerMessages });
    await app.waitForMark('fluorolens:viewport-warm');
    await app.waitForMark('fluorolens:codecs-warm');
    const withSamples = await app.page.evaluate(() => ({
      firstRender: performance.getEntriesByName('fluorolens:first-render')[0]?.startTime ?? null,
      warmUps: performance.getEntriesByName('fluorolens:warm-ups-start')[0]?.startTime ?? null,
      workerMessages: (window as unknown as { __workerMessages: { beforeFirstRun: number } }).__workerMessages.beforeFirstRun,
    }));
    expect(withSamples.firstRender).not.toBeNull();
    expect(withSamples.warmUps).toBeGreaterThanOrEqual(withSamples.firstRender!);
    // No worker was asked anything while the page's scripts started and the samples were read.
    expect(withSamples.workerMessages).toBe(0);
    // The warm-ups still happened, in full.
    expect(await app.page.evaluate(() => (performance.getEntriesByName('fluorolens:viewport-warm')[0] as PerformanceMark).detail)).toEqual({
      runsShown: 3,
    });
    await app.close();
    app = await launchApp({ samples: false });
    await app.waitForMark('fluorolens:warm-ups-start');
    expect(await app.page.evaluate(() => performance.getEntriesByName('fluorolens:show-run').length)).toBe(0);
  });

  it('holds its warm-ups while the user is pressing, and does them once the user is quiet', async () => {
    // A press every 50 ms from the page's start until 3 s after the warm-ups may start (longer than
    // they take unheld), as a user busy with the page from the first moment. Sent from the page
    // itself: the test's own round trips to a busy page come late and far apart. (The rule itself,
    // step by step and with a fake clock: tests/unit/viewer-warmUpGate.test.ts.)
    const pressFromTheStart = () => {
      const presses: number[] = [];
      (window as unknown as { __presses: number[] }).__presses = presses;
      const timer = setInterval(() => {
        const start = performance.getEntriesByName('fluorolens:warm-ups-start')[0];
        if (start && performance.now() > start.startTime + 3000) return clearInterval(timer);
        window.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        presses.push(performance.now());
      }, 50);
    };
    app = await launchApp({ initScript: pressFromTheStart });
    await app.waitForMark('fluorolens:viewport-warm');
    await app.waitForMark('fluorolens:codecs-warm');
    const done = await app.page.evaluate(() => ({
      viewport: performance.getEntriesByName('fluorolens:viewport-warm')[0].startTime,
      codecs: performance.getEntriesByName('fluorolens:codecs-warm')[0].startTime,
      start: performance.getEntriesByName('fluorolens:warm-ups-start')[0].startTime,
      lastPress: (window as unknown as { __presses: number[] }).__presses.at(-1)!,
    }));
    // The presses went on for about 3 s after the warm-ups might have started.
    expect(done.lastPress).toBeGreaterThan(done.start + 2800);
    // Unheld, both were done within 2 s of the first sample's render, before the presses ended.
    expect(done.viewport).toBeGreaterThan(done.lastPress);
    expect(done.codecs).toBeGreaterThan(done.lastPress);
  });

  it('draws nothing in the empty pane before frame 1 of the first run: no render and no fill of its canvas', async () => {
    // Each of these put a frame on the GPU that frame 1's own draw then waited for (60–80 ms on software GL).
    app = await launchApp({ samples: false });
    await app.waitForMark('fluorolens:viewport-warm');
    await app.page.evaluate(() => {
      const viewport = document.querySelector('[data-testid="viewport"]')!;
      const early = { renders: 0, fills: 0 };
      (window as unknown as { __early: typeof early }).__early = early;
      const beforeFrameOne = () => performance.getEntriesByName('fluorolens:first-frame').length === 0;
      viewport.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
        if (beforeFrameOne()) early.renders++;
      });
      const fillRect = CanvasRenderingContext2D.prototype.fillRect;
      CanvasRenderingContext2D.prototype.fillRect = function (...args: Parameters<typeof fillRect>) {
        if (viewport.contains(this.canvas) && beforeFrameOne()) early.fills++;
        return fillRect.apply(this, args);
      };
    });
    await app.openRun(sampleFile(multiFrameSamples[0]));
    expect(await app.page.evaluate(() => (window as unknown as { __early: unknown }).__early)).toEqual({ renders: 0, fills: 0 });
  });

  it('opens a folder of single frames as one run ordered by Instance Number, skipping non-images with a reason', async () => {
    const series = join(scratchDir('folder'), seriesDir);
    mkdirSync(series);
    for (const f of readdirSync(sampleFile(seriesDir))) copyFileSync(join(SAMPLE_DIR, seriesDir, f), join(series, f));
    writeStructuredReport(join(series, 'report.dcm'));
    app = await launchApp({ samples: false });
    await app.openFolder(series);
    await app.waitForMark('fluorolens:first-frame');
    const runs = await app.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0].frames).toBe(seriesTruth.frames);
    // The files are named out of order on purpose; the hashes prove the frame order.
    expect(await frameHashes(app, runs[0].key, runs[0].frames)).toEqual(seriesTruth.frameHashes);
    await app.page.getByText(/1 file skipped/).click();
    const skipped = await app.page.getByRole('list', { name: 'Skipped files' }).textContent();
    expect(skipped).toMatch(/report\.dcm.*Structured Report/i);
  });

  it('opens an image of another matrix in a series as a run of its own, leaving the series’ run whole and timed', async () => {
    const series = join(scratchDir('mixed'), seriesDir);
    mkdirSync(series);
    for (const f of readdirSync(sampleFile(seriesDir))) copyFileSync(join(SAMPLE_DIR, seriesDir, f), join(series, f));
    // A 256² image saved into the same series (a zoomed spot image), as a C-arm may.
    const header = readHeaderFields(join(series, readdirSync(series)[0]));
    const zoomed = buildDicom({
      elements: imageElements({
        rows: 256,
        columns: 256,
        studyUID: header.study,
        seriesUID: header.series,
        sopInstanceUID: '2.25.4242424242424242',
        extra: [el(0x00200013, 'IS', '11')],
      }),
      pixelData: { kind: 'native', bytes: new Uint8Array(256 * 256).map((_, i) => i % 251) },
    });
    writeFileSync(join(series, 'IM0011.dcm'), zoomed);
    app = await launchApp({ samples: false });
    await app.openFolder(series);
    await app.page.waitForFunction(() => window.__fluorolens!.runs().length === 2);
    const runs = await app.runs();
    expect(runs.map((r) => [r.frames, r.columns, r.rows, r.failed.length]).sort()).toEqual([
      [1, 256, 256, 0],
      [seriesTruth.frames, 512, 512, 0],
    ]);
    const spots = runs.find((r) => r.frames === seriesTruth.frames)!;
    expect(await frameHashes(app, spots.key, spots.frames)).toEqual(seriesTruth.frameHashes);
    // Its timing still comes from the acquisition times (the odd image has none, and is not in it).
    await app.showRunsList();
    await expect
      .poll(() => app!.page.getByRole('list', { name: 'Runs', exact: true }).textContent())
      .toMatch(/10 frames · 10\.0 s · 1\s*fps/);
    expect(await app.page.getByRole('alert').textContent()).toBe('');
  });

  it('passes over a CD folder’s other files (viewer, autorun, index page, read-me) as skipped, not as errors', async () => {
    const cd = join(scratchDir('cd'), 'CD');
    mkdirSync(join(cd, 'DICOM'), { recursive: true });
    mkdirSync(join(cd, 'VIEWER'));
    copyFileSync(sampleFile('l4-lat-be8.dcm'), join(cd, 'DICOM', 'IM1'));
    writeFileSync(join(cd, 'AUTORUN.INF'), '[autorun]\nopen=VIEWER\\VIEWER.EXE\n');
    writeFileSync(join(cd, 'INDEX.HTM'), '<html><body>Study images</body></html>');
    writeFileSync(join(cd, 'README.TXT'), 'Images of the study, and a viewer.\n');
    writeFileSync(
      join(cd, 'VIEWER', 'VIEWER.EXE'),
      Uint8Array.from({ length: 65536 }, (_, i) => (i * 7919) % 251),
    );
    app = await launchApp({ samples: false });
    await app.openFolder(cd);
    await app.waitForMark('fluorolens:first-frame');
    expect((await app.runs()).map((r) => r.files)).toEqual([['CD/DICOM/IM1']]);
    await app.page.getByText(/4 files skipped/).click();
    const skipped = await app.page.getByRole('list', { name: 'Skipped files' }).textContent();
    for (const name of ['AUTORUN.INF', 'INDEX.HTM', 'README.TXT', 'VIEWER.EXE'])
      expect(skipped).toMatch(new RegExp(`${name}: not a DICOM file`));
    expect(await app.page.getByRole('alert').textContent()).toBe('');

    // A folder with no image at all says so, once.
    rmSync(join(cd, 'DICOM'), { recursive: true });
    await app.openFolder(cd);
    await expect.poll(() => app!.page.getByRole('alert').textContent()).toMatch(/^CD: no image to show among its 4 files \(none is DICOM/);
    expect(await app.page.getByRole('alert').getByRole('listitem').count()).toBe(1);
  });

  it('opens a study sent as a zip as the folder it holds: its series as one run, its read-me skipped', async () => {
    const files = readdirSync(sampleFile(seriesDir));
    const entries: Record<string, Uint8Array> = { 'EXPORT/README.TXT': new TextEncoder().encode('Exported from the PACS.') };
    for (const f of files) entries[`EXPORT/${seriesDir}/${f}`] = new Uint8Array(readFileSync(join(SAMPLE_DIR, seriesDir, f)));
    const zip = join(scratchDir('zip'), 'study.zip');
    writeFileSync(zip, zipSync(entries));
    app = await launchApp({ samples: false });
    await app.openFiles([zip]);
    await app.waitForMark('fluorolens:first-frame');
    const runs = await app.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0].frames).toBe(seriesTruth.frames);
    expect(await frameHashes(app, runs[0].key, runs[0].frames)).toEqual(seriesTruth.frameHashes);
    expect(await app.page.getByRole('alert').textContent()).toBe('');
    await app.page.getByText(/1 file skipped/).click();
    expect(await app.page.getByRole('list', { name: 'Skipped files' }).textContent()).toMatch(
      /study\.zip\/EXPORT\/README\.TXT: not a DICOM file/,
    );

    // The same zip password-protected (general purpose flag bit 0 in every header): refused with
    // the reason and what to do, not unpacked into encrypted bytes listed as not-DICOM files.
    const encrypted = new Uint8Array(readFileSync(zip));
    for (let i = 0; i + 4 <= encrypted.length; i++) {
      if (encrypted[i] !== 0x50 || encrypted[i + 1] !== 0x4b) continue;
      if (encrypted[i + 2] === 3 && encrypted[i + 3] === 4) encrypted[i + 6] |= 1;
      if (encrypted[i + 2] === 1 && encrypted[i + 3] === 2) encrypted[i + 8] |= 1;
    }
    const locked = join(scratchDir('zip-locked'), 'locked-study.zip');
    writeFileSync(locked, encrypted);
    await app.openFiles([locked]);
    await expect
      .poll(() => app!.page.getByRole('alert').textContent())
      .toMatch(/locked-study\.zip: is password-protected: unzip it with its password, then open the folder/);
    expect(await app.runs()).toHaveLength(1);
  });

  it('says how many files of a large folder it has read while it reads them, then opens the series', async () => {
    // A CD's worth of spot images: reading 1,000 headers takes about a second here.
    const folder = join(scratchDir('large-folder'), 'SPOTS');
    writeSyntheticSeries(folder, { name: 'large-folder', rows: 64, columns: 64, frames: 1000 });
    app = await launchApp({ samples: false });
    // Every text the pane shows while the folder is read, as the page draws it.
    await app.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __openingTexts: string[] }).__openingTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.viewport-empty')?.textContent ?? '';
        if (text.startsWith('Opening') && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await app.openFolder(folder);
    await app.waitForMark('fluorolens:first-frame', undefined, 60_000);
    expect((await app.runs()).map((r) => r.frames)).toEqual([1000]);
    const texts = await app.page.evaluate(() => (window as unknown as { __openingTexts: string[] }).__openingTexts);
    const counts = texts.map((text) => Number(/^Opening… (\d+) of 1000 files read$/.exec(text)?.[1] ?? NaN));
    expect(counts.every(Number.isInteger), `what the pane said: ${texts.join(' | ')}`).toBe(true);
    expect(counts.length, `what the pane said: ${texts.join(' | ')}`).toBeGreaterThanOrEqual(2);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(await app.page.getByText(/Opening…/).count()).toBe(0);
  });

  it('unpacks a large study zip beside the page: the pane says so, the page takes clicks meanwhile, then the runs open', async () => {
    // Two 60-frame 1024² runs, deflated: about 130 MB to inflate, a second or two of work. Unpacked
    // on the page's thread, the page could not paint this message or take the click.
    const dir = scratchDir('zip-large');
    const entries: Record<string, [Uint8Array, { level: 1 }]> = {};
    for (const n of [1, 2]) {
      const path = join(dir, `run${n}.dcm`);
      writeSyntheticRun(path, { name: `zip-large-${n}`, rows: 1024, columns: 1024, frames: 60, seed: n });
      entries[`STUDY/RUN${n}/IM1`] = [new Uint8Array(readFileSync(path)), { level: 1 }];
    }
    const zip = join(dir, 'large-study.zip');
    writeFileSync(zip, zipSync(entries));
    // Panels folded, as at a first start: the empty pane is all there is to say it.
    app = await launchApp({ samples: false, panels: 'default' });
    await app.openFiles([zip]);
    const pane = app.pane(1);
    await expect.poll(() => pane.getByText('Unpacking large-study.zip…').count(), { timeout: 10_000, interval: 20 }).toBe(1);
    const runsPanel = app.page.getByRole('navigation', { name: 'Run browser' });
    await runsPanel.getByRole('button', { name: 'Runs', exact: true }).click();
    expect(await runsPanel.getByText('Unpacking large-study.zip…').isVisible()).toBe(true);
    await app.waitForMark('fluorolens:first-frame', undefined, 60_000);
    const runs = await app.runs();
    expect(runs.map((r) => r.frames)).toEqual([60, 60]);
    expect(await app.page.getByText(/Unpacking|Opening…/).count()).toBe(0);
    expect(await app.page.getByRole('alert').textContent()).toBe('');
  });

  it('lists the patients, studies and series of a DICOMDIR, opens a series from it, and names the files it lists that are missing', async () => {
    // A CD-like folder made by DCMTK's dcmmkdir (General Purpose profile: uncompressed files): the
    // MBB run and three frames of the S1 series, which belong to two studies.
    const folder = scratchDir('dicomdir');
    mkdirSync(join(folder, 'DICOM'));
    const seriesFiles = readdirSync(join(SAMPLE_DIR, seriesDir)).sort().slice(0, 3);
    const sources = [sampleFile('l3-mbb-ftv.dcm'), ...seriesFiles.map((f) => join(SAMPLE_DIR, seriesDir, f))];
    const names = sources.map((_, i) => `IMG${i + 1}`);
    sources.forEach((f, i) => copyFileSync(f, join(folder, 'DICOM', names[i])));
    execFileSync('dcmmkdir', ['+r', '+I', '+D', 'DICOMDIR', 'DICOM'], { cwd: folder, stdio: 'pipe' });
    expect(existsSync(join(folder, 'DICOMDIR'))).toBe(true);

    app = await launchApp({ samples: false });
    const { page } = app;
    await app.openFolder(folder);
    const directory = page.getByRole('region', { name: 'DICOMDIR' });
    await directory.waitFor();
    const text = (await directory.textContent()) ?? '';
    expect(text).toContain('FLUOROLENS, SYNTHETIC');
    expect(text).toContain('FL-SAMPLE-001');
    expect(text).toContain('Lumbar transforaminal ESI (synthetic)');
    expect(text).toContain('Lumbar medial branch block (synthetic)');
    const spotSeries = directory.getByRole('button', { name: 'Open XA series 3 · 3 files' });
    const mbbSeries = directory.getByRole('button', { name: 'Open XA series 1 · 1 file' });
    await spotSeries.waitFor();
    await mbbSeries.waitFor();
    // The first series it lists opens at once; only the files of that series are read.
    await app.waitForMark('fluorolens:first-frame');
    expect((await app.runs()).map((r) => r.frames)).toEqual([3]);
    expect((await page.getByRole('alert').textContent()) ?? '').toBe('');

    // Another series, by mouse: it opens and is shown.
    await mbbSeries.click();
    await expect.poll(async () => (await app!.runs()).map((r) => r.frames).sort((a, b) => a - b)).toEqual([3, 30]);
    await expect.poll(() => page.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax')).toBe('30');
    // And by keyboard: the series buttons are in the tab order.
    await spotSeries.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax')).toBe('3');
    await app.screenshot('dicomdir-list');

    // The same DICOMDIR with one of its files gone: the series says so, the alert names the file,
    // and the rest of the series opens.
    const partial = scratchDir('dicomdir-partial');
    mkdirSync(join(partial, 'DICOM'));
    copyFileSync(join(folder, 'DICOMDIR'), join(partial, 'DICOMDIR'));
    for (const name of names.filter((n) => n !== 'IMG3')) copyFileSync(join(folder, 'DICOM', name), join(partial, 'DICOM', name));
    await app.close();
    app = await launchApp({ samples: false });
    await app.openFolder(partial);
    await expect
      .poll(async () => (await app!.page.getByRole('alert').textContent()) ?? '')
      .toMatch(/DICOMDIR.*lists DICOM\/IMG3, which is not among the chosen files/);
    await app.page
      .getByRole('region', { name: 'DICOMDIR' })
      .getByRole('button', { name: 'Open XA series 3 · 3 files, 1 missing' })
      .waitFor();
    await app.waitForMark('fluorolens:first-frame');
    expect((await app.runs()).map((r) => r.frames)).toEqual([2]);
  });

  it('opens files dropped anywhere on the page', async () => {
    app = await launchApp({ samples: false });
    const file = multiFrameSamples[0];
    const bytes = Array.from(readFileSync(sampleFile(file)));
    await app.page.evaluate(
      ({ name, data }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name, { type: 'application/dicom' }));
        const target = document.querySelector('.runs-panel')!;
        target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
        target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      },
      { name: file, data: bytes },
    );
    await app.waitForMark('fluorolens:first-frame');
    const runs = await app.runs();
    expect(runs.map((r) => r.files[0])).toEqual([file]);
  });

  it('opening the same file twice does not double the run', async () => {
    app = await launchApp({ samples: false });
    const path = sampleFile(multiFrameSamples[0]);
    await app.openFiles([path]);
    await app.waitForMark('fluorolens:first-frame');
    await app.openFiles([path]);
    await app.page.waitForTimeout(500);
    expect(await app.runs()).toHaveLength(1);
  });

  it('lists runs opened one at a time in the order they were acquired, and a run opened again keeps its place', async () => {
    app = await launchApp({ samples: false });
    const listed = async () =>
      (await app!.runButtons().allTextContents()).map((text) => /^(L4 TFESI AP|L5 TFESI oblique|DSA S1)/.exec(text)?.[1]);
    // Series 2, then 4, then 1 (the overlay names each run's series), opened one after the other.
    for (const file of ['l5-tfesi-1024-rle.dcm', 's1-dsa-lin-512.dcm', 'l4-tfesi-ap-512.dcm']) await app.openRun(sampleFile(file));
    await app.showRunsList();
    expect(await listed()).toEqual(['L4 TFESI AP', 'L5 TFESI oblique', 'DSA S1']);
    expect(await app.pane().getByTestId('viewport-overlay').textContent()).toContain('Series 1');
    // The series-2 run opened again: it replaces its earlier reading where it was, not at the end.
    await app.openRun(sampleFile('l5-tfesi-1024-rle.dcm'));
    await expect.poll(listed).toEqual(['L4 TFESI AP', 'L5 TFESI oblique', 'DSA S1']);
    expect(await app.runs()).toHaveLength(3);
  });

  it('brings the run just opened into view at the end of a list longer than the panel', async () => {
    app = await launchOnSamples();
    await app.showRunsList();
    const list = app.page.getByRole('list', { name: 'Runs', exact: true });
    const inView = async (name: RegExp) => {
      const box = (await app!.runButtons().filter({ hasText: name }).boundingBox())!;
      // The list's scrolling box: what the panel shows of it.
      const shown = await list.evaluate((element) => {
        let box: Element | null = element;
        while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
        const rect = (box ?? element).getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom, scrolls: box !== null };
      });
      return shown.scrolls && box.y >= shown.top - 1 && box.y + box.height <= shown.bottom + 1;
    };
    // The samples alone fill more than the panel: the new study goes below them.
    await app.openRun(corpusFile('rf_siemens_1f_464x512_8bit.dcm'));
    const rf = /\bRF \d+×\d+/;
    await expect.poll(() => app!.runButtons().filter({ hasText: rf }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => inView(rf)).toBe(true);
  });
});
