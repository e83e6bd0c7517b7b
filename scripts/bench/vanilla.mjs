/* global window, performance */
/**
 * The reference figures, each from the same file opened in a fresh browser:
 * - vanilla: the vanilla Cornerstone3D page (scripts/bench/vanilla, served at /vanilla/):
 *   dicom-image-loader `wadouri` + `setStack`, as Cornerstone3D's "local" example does (a series:
 *   one stack of its files, unsorted). Timed, like FluoroLens, from the input's change event to the
 *   viewport's first IMAGE_RENDERED with image data.
 * - floor: the floor page (/vanilla/floor.html), one file only: frame 1 read, decoded by the same
 *   codecs in warmed workers and painted on a 2D canvas, nothing else. What no viewer can beat on
 *   this machine now.
 *   For runs FluoroLens decodes whole, the page then reads and decodes every other frame
 *   (`floor:all-decoded`), the least time in which any viewer has the whole run decoded here.
 */
import { loadavg } from 'node:os';
import { chooseFiles, launch } from './browser.mjs';

/** What a user would give the page to settle after it loads (vanilla has no warm-up of its own to wait for). */
const SETTLE_MS = 1000;

async function openReference(c, url, prefix, choose, waitFor = []) {
  const session = await launch();
  try {
    const { page } = session;
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.waitForFunction((name) => window[name] === true, `__${prefix}Ready`, { timeout: 30_000 });
    await page.waitForTimeout(SETTLE_MS);
    const load = loadavg()[0];
    await choose(page);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, `${prefix}:first-frame`, {
      timeout: Math.max(60_000, c.frames * 100),
      polling: 20,
    });
    for (const name of waitFor)
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, `${prefix}:${name}`, {
        timeout: Math.max(60_000, c.frames * 500),
        polling: 20,
      });
    const { firstFrameMs, reason, steps, allDecoded } = await page.evaluate((p) => {
      const shown = performance.getEntriesByName(`${p}:first-frame`)[0];
      const all = performance.getEntriesByName(`${p}:all-decoded`)[0];
      const start = performance.getEntriesByName(`${p}:input-change`)[0].startTime;
      const steps = Object.fromEntries(
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith(`${p}:`) && m.startTime >= start)
          .map((m) => [m.name.slice(p.length + 1), Math.round((m.startTime - start) * 10) / 10]),
      );
      return { firstFrameMs: shown.startTime - start, reason: shown.detail?.reason ?? null, steps, allDecoded: all?.detail ?? null };
    }, prefix);
    if (session.errors.length) throw new Error(`page errors: ${session.errors.slice(0, 2).join(' | ')}`);
    if (reason) throw new Error(reason);
    if (allDecoded?.reason) throw new Error(`all frames: ${allDecoded.reason}`);
    return { firstFrameMs, load, steps, codecMs: allDecoded?.codecMs ?? null };
  } finally {
    await session.close();
  }
}

/** A series too: its files chosen as FluoroLens is given them (the page has the same two inputs). */
export function openVanilla(c, baseURL) {
  return openReference(c, `${baseURL}/vanilla/`, 'vanilla', (page) => chooseFiles(page, c.paths, c.folder));
}

const chooseOneFile = (c) => (page) => page.locator('input[type=file]').setInputFiles(c.paths[0]);

/** `decodeAll`: also read and decode every other frame (`steps['all-decoded']`, and `codecMs`). */
export function openFloor(c, baseURL, { decodeAll = false } = {}) {
  return decodeAll
    ? openReference(c, `${baseURL}/vanilla/floor.html?decodeAll=1`, 'floor', chooseOneFile(c), ['all-decoded'])
    : openReference(c, `${baseURL}/vanilla/floor.html`, 'floor', chooseOneFile(c));
}
