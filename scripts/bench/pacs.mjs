/* global window, performance, document */
/**
 * The bench's WADO-RS cases (issue 10): the corpus cine and the 120×1024² raw run, each opened
 * over DICOMweb from a loopback Orthanc that the bench starts, fills and stops itself, next to
 * the same file opened locally in the same bench run. Local and remote fresh opens alternate, so
 * a change of load on the shared machine falls on both sides alike; the ratios are what count.
 *
 * A remote open is what a user does: the PACS panel's study search (by the run's Patient ID), the
 * study, then the series' Open button. It is timed from that click (bench:open-click, like the
 * local open's bench:input-change) to frame 1 drawn and to every frame decoded; memory is read
 * the same way as for a local open (V8 heap + ArrayBuffer backing stores after a full GC, before
 * the click and after the run is decoded).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, orthancMissing, startOrthanc, uploadToOrthanc } from '../pacs/orthanc.mjs';
import { launch, marks, memorySnapshot, openApp, waitForMark } from './browser.mjs';

/** Cases (by name) that are also opened over WADO-RS. */
export const PACS_CASE_NAMES = ['corpus:xa_siemens_96f_jpeg-baseline', 'raw-1024x120'];

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/** The machine's load as `uptime` prints it (recorded with every PACS case). */
export function uptimeLine() {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
}

/**
 * Starts Orthanc on a free loopback port with its state in a temp folder and uploads the cases'
 * files. Resolves to { dicomWebUrl, stop }; stop() ends Orthanc and removes the folder.
 */
export async function startBenchPacs(cases) {
  const missing = orthancMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-bench-orthanc-'));
  let orthanc = null;
  try {
    for (let attempt = 1; !orthanc; attempt++) {
      try {
        orthanc = await startOrthanc({ dir, port: await freePort() });
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const files = [...new Set(cases.flatMap((c) => c.paths))];
    log(`Orthanc on ${orthanc.url} (pid ${orthanc.process.pid}); uploading ${files.length} file(s)`);
    await uploadToOrthanc(orthanc.url, files);
  } catch (error) {
    await orthanc?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const running = orthanc;
  // Ctrl+C or a crash of the bench must not leave Orthanc behind.
  const kill = () => running.process.kill('SIGKILL');
  const interrupted = () => {
    kill();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('exit', kill);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return {
    dicomWebUrl: running.dicomWebUrl,
    pid: running.process.pid,
    async stop() {
      process.off('exit', kill);
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a step; a failure says which step it was. */
async function stage(name, step) {
  try {
    return await step();
  } catch (error) {
    throw new Error(`${name}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}

/**
 * One fresh profile: the app as a user opens it, the study found through the PACS panel, the
 * series opened with its Open button. Returns the timing and the memory snapshots.
 */
export async function remoteOpen(c, baseURL) {
  const session = await launch();
  try {
    const { page } = session;
    await openApp(session, baseURL);
    // The PACS panel sits in the runs list, which starts folded (the picture first): unfold it.
    const strip = page.getByRole('navigation', { name: 'Run browser' }).getByRole('button', { name: 'Runs', exact: true });
    if (await strip.isVisible()) await strip.click();
    const panel = page.getByRole('region', { name: 'PACS' });
    const form = panel.getByRole('form', { name: 'Study search' });
    await form.getByLabel('Patient ID').fill(c.patientId);
    await form.getByLabel('Modalities').fill('');
    await form.getByRole('button', { name: 'Search' }).click();
    const study = panel.getByRole('list', { name: 'Studies' }).locator(':scope > li > button');
    await stage('study search', () => study.first().waitFor({ timeout: 60_000 }));
    if ((await study.count()) !== 1) throw new Error(`the PACS search for ${c.case} found ${await study.count()} studies, not 1`);
    await study.first().click();
    const open = panel.getByRole('list', { name: 'Series' }).getByRole('button', { name: /^Open Series/ });
    await stage('series list', () => open.first().waitFor({ timeout: 60_000 }));
    // Let the thumbnails (one WADO-RS Rendered each) finish: they are not part of opening the run.
    await stage('thumbnails', () =>
      page.waitForFunction(() => !document.querySelector('.pacs-panel output[aria-busy="true"]'), null, { timeout: 120_000 }),
    );
    await page.waitForTimeout(300);
    await page.evaluate(() => window.addEventListener('click', () => performance.mark('bench:open-click'), { capture: true, once: true }));
    const before = await memorySnapshot(session);
    const load = loadavg()[0];
    // Orthanc 1.10 parses the whole instance for each request: seconds on a 120 MB one, more on a loaded machine.
    const timeout = Math.max(180_000, c.frames * 1000);
    await open.first().click();
    await stage('frame 1 over WADO-RS', () => waitForMark(page, 'fluorolens:first-frame', timeout));
    await stage('every frame over WADO-RS', () => waitForMark(page, 'fluorolens:run-decoded', timeout));
    const m = await marks(page);
    const start = m['bench:open-click'][0];
    const detail = await page.evaluate(() => {
      const mark = performance.getEntriesByName('fluorolens:run-decoded').at(-1);
      const key = window.__fluorolens?.runs()[0]?.key ?? null;
      return { failed: mark?.detail?.failed ?? 0, files: window.__fluorolens?.runs()[0]?.files ?? [], key };
    });
    if (!detail.files[0]?.startsWith('PACS series')) throw new Error(`the open run is not the PACS one (${detail.files.join(', ')})`);
    const after = await memorySnapshot(session);
    return {
      timing: {
        firstFrameMs: m['fluorolens:first-frame'][0] - start,
        allDecodedMs: m['fluorolens:run-decoded'].at(-1) - start,
        load,
        failed: detail.failed,
      },
      before,
      after,
      errors: [...session.errors],
    };
  } finally {
    await session.close();
  }
}
