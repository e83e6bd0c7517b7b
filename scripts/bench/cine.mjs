/* global window, performance, document */
/**
 * Cine figures: plays the run at 1× and at 4× with the app's own controls (Play / Pause, the
 * "Playback speed" combobox). Frames on screen are counted in the page from Cornerstone's
 * STACK_NEW_IMAGE events on the viewport (index jumps = frames skipped), independently of the
 * player; the player's own counters {shown, dropped} are read too when the app exposes them.
 */
import { processCpuMs } from './browser.mjs';
import { cineFigures, presentedFigures, renderedFigures, round, screenFigures } from './summary.mjs';

const WARM_UP_MS = 500;
const MEASURE_MS = 2500;
const NEW_IMAGE = 'CORNERSTONE_STACK_NEW_IMAGE';
const RENDERED = 'CORNERSTONE_IMAGE_RENDERED';

async function startCounting(page) {
  await page.evaluate(
    ([newImage, rendered]) => {
      const element = document.querySelector('[data-testid="viewport"]');
      const log = [];
      const renders = [];
      const onNewImage = (event) => log.push({ atMs: performance.now(), index: event.detail?.imageIdIndex });
      const onRendered = () => renders.push(performance.now());
      element.addEventListener(newImage, onNewImage);
      element.addEventListener(rendered, onRendered);
      window.__benchCine = {
        log,
        renders,
        stop: () => {
          element.removeEventListener(newImage, onNewImage);
          element.removeEventListener(rendered, onRendered);
        },
      };
    },
    [NEW_IMAGE, RENDERED],
  );
}

/** The new images set on the viewport, and the times Cornerstone drew the viewport. */
async function stopCounting(page) {
  return page.evaluate(() => {
    window.__benchCine.stop();
    return { log: window.__benchCine.log, renders: window.__benchCine.renders };
  });
}

async function playerStats(page) {
  return page.evaluate(() => {
    const stats = window.__fluorolens?.playbackStats?.('main');
    return stats ? { shown: stats.shown, dropped: stats.dropped, atMs: performance.now() } : null;
  });
}

/**
 * Starts a Chrome trace of the display compositor (category `viz` only, a few events per frame);
 * `stop()` ends it and resolves to its events.
 */
async function traceCompositor(cdp) {
  const events = [];
  const onData = ({ value }) => events.push(...value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['viz'], recordMode: 'recordUntilFull' },
    transferMode: 'ReportEvents',
  });
  return {
    async stop() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      cdp.off('Tracing.dataCollected', onData);
      return events;
    },
  };
}

/** Picks the option of the speed combobox that means `speed`× (value or label "4", "4×", "4x"). */
async function chooseSpeed(page, speed) {
  const box = page.getByRole('combobox', { name: 'Playback speed' }).first();
  const options = await box.locator('option').evaluateAll((els) => els.map((o) => ({ value: o.value, label: o.textContent ?? '' })));
  const match = options.find((o) => parseFloat(o.value) === speed || parseFloat(o.label) === speed);
  if (!match) throw new Error(`no ${speed}× option among ${options.map((o) => o.label).join(', ')}`);
  await box.selectOption(match.value);
}

/** { at1x, at4x } or { reason } when playback cannot be measured in this build. */
export async function measureCine(session, c) {
  const { page, profile } = session;
  const play = page.getByRole('button', { name: 'Play', exact: true }).first();
  if ((await play.count()) === 0) return { at1x: null, at4x: null, reason: 'this build has no Play button (playback not merged yet)' };
  if (!c.runFps) return { at1x: null, at4x: null, reason: 'the run declares no frame rate' };
  const result = {};
  for (const speed of [1, 4]) {
    await chooseSpeed(page, speed);
    await play.click();
    await page.waitForTimeout(WARM_UP_MS);
    const compositor = await traceCompositor(session.cdp);
    await startCounting(page);
    const before = await playerStats(page);
    const cpu = { renderer: processCpuMs(profile, 'renderer'), gpu: processCpuMs(profile, 'gpu-process') };
    await page.waitForTimeout(MEASURE_MS);
    const after = await playerStats(page);
    const presented = presentedFigures(await compositor.stop());
    // Share of one core each process used while playing: shows which one limits the frame rate.
    const busy = (type, start) => round((processCpuMs(profile, type) - start) / MEASURE_MS, 2);
    const cores = { renderer: busy('renderer', cpu.renderer), gpu: busy('gpu-process', cpu.gpu) };
    const { log, renders } = await stopCounting(page);
    await page.getByRole('button', { name: 'Pause', exact: true }).first().click();
    const onScreen = screenFigures(log, c.frames, c.runFps, speed);
    const player = before && after ? cineFigures(before, after, c.runFps, speed) : null;
    result[speed === 1 ? 'at1x' : 'at4x'] = onScreen && {
      ...onScreen,
      ...renderedFigures(renders),
      ...presented,
      coresUsed: cores,
      player: player ? { shownFps: player.shownFps, dropped: player.dropped } : null,
      ...(player ? {} : { playerNote: 'window.__fluorolens.playbackStats is missing: dropped = index jumps on screen' }),
    };
  }
  result.note = `shownFps/dropped from ${NEW_IMAGE} events over ${round(MEASURE_MS / 1000)} s; renderedFps from ${RENDERED} (the viewport drawn); presentedFps from the compositor's swaps (Display::DrawAndSwap) over the same time; fpsAt4x is judged on the smallest`;
  return result;
}
