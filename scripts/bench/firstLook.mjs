/* global performance */
/**
 * The first look: the app opened on its bundled sample runs (its address, nothing chosen), timed
 * from navigation in a fresh browser profile each time: the page's scripts run
 * (domContentLoaded), the samples' reading starts (open-start) and the first of them is shown
 * (show-run), its frame 1 is on screen (first-frame) and Cornerstone has drawn it (first-render);
 * and when the warm-ups for files chosen later start (viewer/warmUpGate.ts). Medians of `opens`.
 */
import { launch, waitForMark } from './browser.mjs';
import { median, round } from './summary.mjs';

const FIGURES = {
  domContentLoadedMs: null,
  openStartMs: 'fluorolens:open-start',
  showRunMs: 'fluorolens:show-run',
  firstFrameMs: 'fluorolens:first-frame',
  firstRenderMs: 'fluorolens:first-render',
  warmUpsStartMs: 'fluorolens:warm-ups-start',
};

async function oneLook(baseURL) {
  const session = await launch();
  try {
    const { page } = session;
    await page.goto(`${baseURL}/`, { waitUntil: 'commit' });
    await waitForMark(page, 'fluorolens:first-render', 30_000);
    // The warm-ups start right after; older builds have no such mark.
    await waitForMark(page, 'fluorolens:warm-ups-start', 5_000).catch(() => undefined);
    const figures = await page.evaluate((marks) => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
      const nav = performance.getEntriesByType('navigation')[0];
      return Object.fromEntries(
        Object.entries(marks).map(([key, mark]) => [key, mark ? at(mark) : (nav?.domContentLoadedEventEnd ?? null)]),
      );
    }, FIGURES);
    if (session.errors.length) figures.errors = session.errors;
    return figures;
  } finally {
    await session.close();
  }
}

export async function measureFirstLook(baseURL, opens) {
  const each = [];
  for (let i = 0; i < opens; i++) each.push(await oneLook(baseURL));
  const medianOf = (key) => {
    const values = each.map((e) => e[key]).filter((v) => v !== null && v !== undefined);
    return values.length ? round(median(values), 0) : null;
  };
  return {
    case: 'first-look:bundled-samples',
    opens,
    ...Object.fromEntries(Object.keys(FIGURES).map((key) => [key, medianOf(key)])),
    each: each.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'number' ? round(v, 0) : v]))),
  };
}
