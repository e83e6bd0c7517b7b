/* global window, document, performance */
/**
 * Interaction figure (issue 4.8): with a document of 5 tracks and 100 keyframes imported through
 * "Import annotations", drag a needle-tip handle with the mouse and take, for every pointer move,
 * the time from the app's `fluorolens:handle-move` mark to the next `fluorolens:annotation-rendered`.
 */
import { writeFileSync } from 'node:fs';
import { interactionDocument, median, pairLatencies, round } from './summary.mjs';

export const TRACKS = 5;
export const KEYFRAMES_PER_TRACK = 20;
const MOVES = 60;

/** Mark times of pointer moves and redraws, paired into latencies (ms). */
export async function latencies(page) {
  const times = await page.evaluate(() => ({
    moves: performance.getEntriesByName('fluorolens:handle-move').map((m) => m.startTime),
    renders: performance.getEntriesByName('fluorolens:annotation-rendered').map((m) => m.startTime),
  }));
  return { moves: times.moves.length, renders: times.renders.length, latencies: pairLatencies(times.moves, times.renders) };
}

export async function measureInteraction(page, c, jsonPath) {
  const unavailable = (reason) => ({ medianMs: null, reason });
  const importInput = page.getByLabel('Import annotations');
  if ((await importInput.count()) === 0)
    return unavailable('this build has no "Import annotations" input (annotation tools not merged yet)');
  const hooks = await page.evaluate(() => ({
    place: typeof window.__fluorolens?.imagePointOnPage === 'function',
    shown: typeof window.__fluorolens?.annotationsShown === 'function',
  }));
  if (!hooks.place || !hooks.shown)
    return unavailable('window.__fluorolens.imagePointOnPage / annotationsShown are missing (cannot find the handle on screen)');
  // Frame 1 holds the keyframe with the handle.
  const slider = page.getByRole('slider', { name: 'Frame' }).first();
  await slider.focus();
  await slider.press('Home');
  await page.waitForFunction(() => window.__fluorolens.annotationsShown('main')?.frame === 1, null, { timeout: 10_000 });
  const handle = { x: c.columns * 0.4 + 0.5, y: c.rows * 0.45 + 0.5 };
  const doc = interactionDocument({
    run: c.uids,
    frames: c.frames,
    columns: c.columns,
    rows: c.rows,
    tracks: TRACKS,
    keyframesPerTrack: KEYFRAMES_PER_TRACK,
    handle,
  });
  writeFileSync(jsonPath, JSON.stringify(doc));
  await importInput.setInputFiles(jsonPath);
  try {
    await page.waitForFunction((n) => (window.__fluorolens.annotationsShown('main')?.tracks.length ?? 0) >= n, TRACKS, { timeout: 10_000 });
  } catch {
    const shown = await page.evaluate(() => window.__fluorolens.annotationsShown('main'));
    return unavailable(`the imported document did not show its ${TRACKS} tracks (shown: ${JSON.stringify(shown)})`);
  }
  await page.waitForTimeout(300);
  const start = await page.evaluate(({ x, y }) => window.__fluorolens.imagePointOnPage('main', x, y), handle);
  if (!start) return unavailable('the handle is not on screen');
  await page.evaluate(() => {
    performance.clearMarks('fluorolens:handle-move');
    performance.clearMarks('fluorolens:annotation-rendered');
  });
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= MOVES; i++) {
    await page.mouse.move(start.x + i * 2, start.y + i);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  await page.waitForTimeout(200);
  const measured = await latencies(page);
  if (measured.moves === 0) return unavailable('no fluorolens:handle-move mark while dragging (the handle was not grabbed)');
  if (measured.latencies.length === 0) return unavailable('no fluorolens:annotation-rendered mark after a handle move');
  const sorted = [...measured.latencies].sort((a, b) => a - b);
  return {
    medianMs: round(median(measured.latencies), 2),
    p95Ms: round(sorted[Math.floor(0.95 * (sorted.length - 1))], 2),
    moves: measured.moves,
    redrawn: measured.latencies.length,
    tracks: TRACKS,
    keyframes: TRACKS * KEYFRAMES_PER_TRACK,
  };
}

/** Tools whose press alone marks the image (a contrast spread is drawn by dragging: a press marks nothing yet). */
export const CLICK_TOOLS = ['Needle tip', 'Target', 'Arrow', 'Caption'];
const CLICKS_PER_TOOL = 8;

/**
 * Click-to-mark figure (issue 8.3): with each tool whose press marks the image, click image points
 * (a grid away from the imported tracks) with the mouse and take the time from the pointerdown
 * (its event time stamp, read in the page) to the next `fluorolens:annotation-rendered` mark.
 */
export async function measureClickToMark(page, c) {
  const perTool = {};
  const all = [];
  await page.evaluate(() => {
    window.__benchDowns = [];
    window.addEventListener('pointerdown', (e) => window.__benchDowns.push(e.timeStamp), { capture: true });
  });
  for (const name of CLICK_TOOLS) {
    const button = page.getByRole('button', { name, exact: true }).first();
    if ((await button.count()) === 0) {
      perTool[name] = { reason: `no "${name}" tool button` };
      continue;
    }
    await button.click();
    await page.evaluate(() => document.activeElement?.blur());
    const latencies = [];
    for (let i = 0; i < CLICKS_PER_TOOL; i++) {
      // One row per tool, below the imported tracks (y 0.15–0.5), each click ~70 screen px from
      // the last: a press on a mark already there grabs it (as it should) and marks nothing new,
      // which a tighter grid made 7 of 32 clicks do.
      const fx = 0.08 + 0.12 * i;
      const fy = 0.6 + 0.1 * CLICK_TOOLS.indexOf(name);
      const at = await page.evaluate(([x, y]) => window.__fluorolens.imagePointOnPage('main', x, y), [fx * c.columns, fy * c.rows]);
      if (!at) break;
      await page.evaluate(() => performance.clearMarks('fluorolens:annotation-rendered'));
      await page.mouse.move(Math.round(at.x), Math.round(at.y));
      await page.mouse.down();
      await page.mouse.up();
      try {
        await page.waitForFunction(() => performance.getEntriesByName('fluorolens:annotation-rendered').length > 0, null, {
          timeout: 3000,
          polling: 10,
        });
      } catch {
        continue;
      }
      const latency = await page.evaluate(
        () => performance.getEntriesByName('fluorolens:annotation-rendered')[0].startTime - window.__benchDowns.at(-1),
      );
      latencies.push(latency);
      // Apart by more than a double-click interval, as separate clicks are.
      await page.waitForTimeout(450);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    perTool[name] = {
      medianMs: round(median(latencies), 1),
      p95Ms: sorted.length ? round(sorted[Math.floor(0.95 * (sorted.length - 1))], 1) : null,
      clicks: CLICKS_PER_TOOL,
      marked: latencies.length,
    };
    all.push(...latencies);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return {
    medianMs: round(median(all), 1),
    p95Ms: sorted.length ? round(sorted[Math.floor(0.95 * (sorted.length - 1))], 1) : null,
    clicks: CLICK_TOOLS.length * CLICKS_PER_TOOL,
    marked: all.length,
    perTool,
    note: 'pointerdown (event time stamp) → next fluorolens:annotation-rendered; Contrast spread not clicked (a press alone draws nothing: it is drawn by dragging)',
  };
}
