/* global window, performance */
/**
 * The reference figure: the same file opened in a fresh browser by the vanilla Cornerstone3D page
 * (scripts/bench/vanilla, served at /vanilla/): dicom-image-loader `wadouri` + `setStack`, as
 * Cornerstone3D's "local" example does. Timed, like FluoroLens, from the input's change event to
 * the viewport's first IMAGE_RENDERED with image data.
 */
import { loadavg } from 'node:os';
import { launch } from './browser.mjs';

/** What a user would give the page to settle after it loads (it has no warm-up of its own to wait for). */
const SETTLE_MS = 1000;

export async function openVanilla(c, baseURL) {
  const session = await launch();
  try {
    const { page } = session;
    await page.goto(`${baseURL}/vanilla/`, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => window.__vanillaReady === true, null, { timeout: 30_000 });
    await page.waitForTimeout(SETTLE_MS);
    const load = loadavg()[0];
    await page.locator('input[type=file]').setInputFiles(c.paths[0]);
    await page.waitForFunction(() => performance.getEntriesByName('vanilla:first-frame').length > 0, null, {
      timeout: Math.max(60_000, c.frames * 100),
      polling: 20,
    });
    const firstFrameMs = await page.evaluate(
      () =>
        performance.getEntriesByName('vanilla:first-frame')[0].startTime -
        performance.getEntriesByName('vanilla:input-change')[0].startTime,
    );
    if (session.errors.length) throw new Error(`page errors: ${session.errors.slice(0, 2).join(' | ')}`);
    return { firstFrameMs, load };
  } finally {
    await session.close();
  }
}
