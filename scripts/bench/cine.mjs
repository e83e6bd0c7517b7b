/* global window, performance */
/**
 * Cine figures: plays the run at 1× and at 4× with the app's own controls (Play / Pause, the
 * "Playback speed" combobox) and reads the player's counters {shown, dropped} before and after a
 * fixed stretch of wall time.
 */
import { cineFigures } from './summary.mjs';

const WARM_UP_MS = 500;
const MEASURE_MS = 3000;

async function readStats(page) {
  return page.evaluate(() => {
    const stats = window.__fluorolens?.playbackStats?.('main');
    return stats ? { shown: stats.shown, dropped: stats.dropped, atMs: performance.now() } : null;
  });
}

/** Picks the option of the speed combobox that means `speed`× (value or label "4", "4×", "4x"). */
async function chooseSpeed(page, speed) {
  const box = page.getByRole('combobox', { name: 'Playback speed' });
  const options = await box.locator('option').evaluateAll((els) => els.map((o) => ({ value: o.value, label: o.textContent ?? '' })));
  const match = options.find((o) => parseFloat(o.value) === speed || parseFloat(o.label) === speed);
  if (!match) throw new Error(`no ${speed}× option among ${options.map((o) => o.label).join(', ')}`);
  await box.selectOption(match.value);
}

/** { at1x, at4x } or { reason } when playback cannot be measured in this build. */
export async function measureCine(page, runFps) {
  if ((await page.getByRole('button', { name: 'Play', exact: true }).count()) === 0) return { at1x: null, at4x: null, reason: 'this build has no Play button (playback not merged yet)' };
  if (!(await readStats(page))) return { at1x: null, at4x: null, reason: 'window.__fluorolens.playbackStats is missing in this build' };
  if (!runFps) return { at1x: null, at4x: null, reason: 'the run declares no frame rate' };
  const result = {};
  for (const speed of [1, 4]) {
    await chooseSpeed(page, speed);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(WARM_UP_MS);
    const start = await readStats(page);
    await page.waitForTimeout(MEASURE_MS);
    const end = await readStats(page);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    result[speed === 1 ? 'at1x' : 'at4x'] = cineFigures(start, end, runFps, speed);
  }
  return result;
}
