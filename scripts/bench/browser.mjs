/* global window, performance, document */
/**
 * Browser side of the bench: one fresh headless Chromium profile per case, on the production
 * build, driven the way a user would (the "Open DICOM files" input), read back through User
 * Timing marks, CDP and /proc.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../chromium.mjs';

export const CHROMIUM = CHROMIUM_PATH;

// The tests' flags, plus what the memory figures need.
const FLAGS = [...CHROMIUM_FLAGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'];

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'fluorolens-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  const cdp = await context.newCDPSession(page);
  return {
    page,
    cdp,
    profile,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Pids of this profile's Chromium processes of one type (renderer, gpu-process, …). */
function processIds(profile, type) {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(`--user-data-dir=${profile}`) && cmdline.includes(`--type=${type}`)) pids.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Proportional set size in bytes of this profile's processes of one type. */
function processPss(profile, type) {
  let total = 0;
  for (const pid of processIds(profile, type)) {
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (pss) total += Number(pss[1]) * 1024;
    } catch {
      // Ended meanwhile: it holds nothing now.
    }
  }
  return total;
}

const CLOCK_TICKS_PER_S = 100;

/** CPU time (ms, user + system, all threads) this profile's processes of one type have used so far. */
export function processCpuMs(profile, type) {
  let ticks = 0;
  for (const pid of processIds(profile, type)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended meanwhile.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/**
 * CPU time of the renderer (page and decode workers) and GPU (software GL) processes so far.
 * Less sensitive than wall time to other work on the machine.
 */
export function cpuTimeMs(profile) {
  return processCpuMs(profile, 'renderer') + processCpuMs(profile, 'gpu-process');
}

/**
 * Memory after a full GC. V8 heap (CDP usedSize + embedder heap) and ArrayBuffer backing stores
 * (CDP backingStorageSize) of the page's main thread, where decoded frames end up; Cornerstone's
 * cache; and the PSS of the renderer (workers included) and GPU processes.
 * performance.memory.usedJSHeapSize is reported too: in this Chromium it includes ArrayBuffers.
 */
export async function memorySnapshot(session) {
  const { page, cdp, profile } = session;
  await cdp.send('HeapProfiler.collectGarbage');
  await page.evaluate(() => window.gc?.());
  const usage = await cdp.send('Runtime.getHeapUsage');
  const inPage = await page.evaluate(() => ({
    usedJSHeapSize: performance.memory?.usedJSHeapSize ?? null,
    cacheBytes: window.__fluorolens?.decodedCacheBytes?.() ?? null,
  }));
  return {
    v8Heap: usage.usedSize + (usage.embedderHeapUsedSize ?? 0),
    arrayBuffers: usage.backingStorageSize ?? null,
    usedJSHeapSize: inPage.usedJSHeapSize,
    cornerstoneCache: inPage.cacheBytes,
    rendererPss: processPss(profile, 'renderer'),
    gpuPss: processPss(profile, 'gpu-process'),
  };
}

/** Start times (ms, page clock) of our User Timing marks. */
export async function marks(page) {
  return page.evaluate(() => {
    const byName = {};
    for (const m of performance.getEntriesByType('mark')) {
      if (m.name.startsWith('fluorolens:') || m.name.startsWith('bench:')) (byName[m.name] ??= []).push(m.startTime);
    }
    return byName;
  });
}

export async function waitForMark(page, name, timeout) {
  await page.waitForFunction((markName) => performance.getEntriesByName(markName).length > 0, name, { timeout, polling: 20 });
}

/**
 * Opens the app empty and lets it settle as a user would before choosing a file: until the app
 * says its decoders and its viewport are warm (`fluorolens:codecs-warm`, `fluorolens:viewport-warm`,
 * where this build has them), then a little more. Returns when the codecs were warm (ms after
 * navigation), or null.
 */
export async function openApp(session, baseURL, settleMs = 300) {
  const { page } = session;
  await page.goto(`${baseURL}/?samples=0`, { waitUntil: 'networkidle' });
  await page.getByLabel('Open DICOM files').waitFor({ state: 'attached' });
  let codecsWarmMs = null;
  for (const mark of ['fluorolens:codecs-warm', 'fluorolens:viewport-warm']) {
    try {
      await waitForMark(page, mark, 10_000);
      if (mark === 'fluorolens:codecs-warm')
        codecsWarmMs = await page.evaluate((name) => performance.getEntriesByName(name)[0].startTime, mark);
    } catch {
      // A build without this warm-up: give it a second like a user would.
      settleMs = Math.max(settleMs, 1000);
    }
  }
  await page.waitForTimeout(settleMs);
  return codecsWarmMs;
}

/**
 * Chooses files the way a user does (through Open folder when `folder` is given, else Open DICOM
 * files); marks the moment just before, on the page clock.
 */
export async function chooseFiles(page, paths, folder) {
  await page.evaluate(() => performance.mark('bench:choose'));
  if (folder) await page.getByLabel('Open folder').setInputFiles(folder);
  else await page.getByLabel('Open DICOM files').setInputFiles(paths);
}

export async function hasButton(page, name) {
  return (await page.getByRole('button', { name, exact: true }).count()) > 0;
}

export async function viewportScreenshot(page, path) {
  await page.getByTestId('viewport').screenshot({ path });
}

export async function bodyText(page) {
  return page.evaluate(() => document.body.innerText.slice(0, 2000));
}
