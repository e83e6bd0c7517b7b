/**
 * Review controls on the built app: window/level, presets, invert, zoom, pan, flips, rotation,
 * reset, the pixel probe, the overlay, and two panes with the Runs list. What is checked is what
 * is on screen (the canvas read back as gray levels) and what the readouts say.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dicomParser } from '../../src/dicom/parserLib';
import {
  corpusFile,
  correlation,
  grayLevels,
  launchApp,
  launchOnSamples,
  sampleFile,
  scratchDir,
  type App,
  type PaneNumber,
} from './driver';

type Gray = ReturnType<typeof grayLevels>;

/** The pane's canvas as gray levels (0–255), read from a screenshot of what is on screen. */
async function canvasGray(app: App, pane: PaneNumber = 1): Promise<Gray> {
  return grayLevels(await app.pixelsOf(app.viewportCanvas(pane)));
}

/**
 * Mean absolute gray difference between `after` and `before` seen through a mapping from after's
 * pixel to before's (null = not compared), over a central disc where both images have content.
 */
function differenceThrough(before: Gray, after: Gray, map: (x: number, y: number) => [number, number] | null): number {
  const cx = after.width / 2;
  const cy = after.height / 2;
  const radius = Math.min(after.width, after.height) * 0.4;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < after.height; y += 2) {
    for (let x = 0; x < after.width; x += 2) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) continue;
      const source = map(x, y);
      if (!source) continue;
      const [sx, sy] = source.map(Math.round);
      if (sx < 0 || sy < 0 || sx >= before.width || sy >= before.height) continue;
      sum += Math.abs(after.data[y * after.width + x] - before.data[sy * before.width + sx]);
      n++;
    }
  }
  return n > 0 ? sum / n : Infinity;
}

/** The horizontal shift (pixels) that best maps `before` onto `after`. */
function horizontalShift(before: Gray, after: Gray, maxShift: number): number {
  let best = 0;
  let bestDiff = Infinity;
  for (let dx = -maxShift; dx <= maxShift; dx++) {
    const diff = differenceThrough(before, after, (x, y) => [x - dx, y]);
    if (diff < bestDiff) {
      bestDiff = diff;
      best = dx;
    }
  }
  return best;
}

async function readout(pane: Locator, name: string): Promise<string> {
  return (await pane.getByRole('status', { name }).textContent()) ?? '';
}

/** Drags with a mouse button from the viewport centre by (dx, dy). */
async function dragInViewport(page: Page, pane: Locator, dx: number, dy: number, button: 'left' | 'middle' | 'right' = 'left') {
  const box = (await pane.getByTestId('viewport').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  // Arrive in small steps, as a hand would: Cornerstone takes the drag's start from the last move it saw.
  await page.mouse.move(x, y, { steps: 6 });
  await page.mouse.move(x + 1, y);
  await page.mouse.move(x, y);
  await page.mouse.down({ button });
  for (let step = 1; step <= 8; step++) await page.mouse.move(x + (dx * step) / 8, y + (dy * step) / 8);
  await page.mouse.up({ button });
}

describe('review controls on the L4 AP sample (512×512, window 140/230)', () => {
  let app: App;
  let page: Page;
  let pane: Locator;
  let runKey: string;

  beforeAll(async () => {
    app = await launchApp({ samples: false });
    page = app.page;
    runKey = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await app.waitForMark('fluorolens:run-decoded', runKey, 60_000);
    pane = app.paneWithTools();
    await page.waitForFunction(() => document.querySelector('[aria-label="Window/level readout"]')?.textContent === 'W 230 L 140');
  });
  afterAll(async () => app?.close());
  // Every test starts on frame 1 in the file's own view with window/level on the left button.
  beforeEach(async () => {
    await app.goToFrame(1);
    await pane.getByRole('button', { name: 'Reset' }).click();
    await pane.getByRole('button', { name: 'Window/level' }).click();
    await expect.poll(() => readout(pane, 'Window/level readout')).toBe('W 230 L 140');
  });

  it('window/level by dragging changes the shown pixels and the W/L readout', async () => {
    const before = await page.evaluate(() => window.__fluorolens!.displaySamples(12));
    await dragInViewport(page, pane, 80, -60);
    await expect.poll(() => readout(pane, 'Window/level readout')).not.toBe('W 230 L 140');
    const text = await readout(pane, 'Window/level readout');
    const [, width, level] = /^W (\d+) L (-?\d+)$/.exec(text)!.map(Number);
    const voi = (await page.evaluate(() => window.__fluorolens!.viewportVoi('main')))!;
    expect(Math.abs(voi.upper - voi.lower + 1 - width)).toBeLessThanOrEqual(1);
    expect(Math.abs((voi.lower + voi.upper + 1) / 2 - level)).toBeLessThanOrEqual(1);
    const changedByDrag = async () => {
      const after = await page.evaluate(() => window.__fluorolens!.displaySamples(12));
      return after.filter((s, i) => Math.abs(s.shown - before[i].shown) > 3).length / after.length;
    };
    await expect.poll(changedByDrag, { message: 'gray levels changed by the drag' }).toBeGreaterThan(0.25);
    await expect.poll(() => pane.getByRole('combobox', { name: 'Window preset' }).inputValue()).toBe('');
  });

  it('a window preset applies its window exactly (High contrast: stored 64 black, 192 white)', async () => {
    const preset = pane.getByRole('combobox', { name: 'Window preset' });
    await preset.selectOption('High contrast');
    await expect.poll(() => readout(pane, 'Window/level readout')).toBe('W 128 L 128');
    // The readout follows the VOI event; the canvas is redrawn on a later animation frame.
    const darkShareShown = async () => {
      const all = await page.evaluate(() => window.__fluorolens!.displaySamples(24));
      const below = all.filter((s) => s.stored > 0 && s.stored <= 60);
      return below.filter((s) => s.shown <= 3).length / Math.max(1, below.length);
    };
    await expect.poll(darkShareShown).toBeGreaterThan(0.85);
    const samples = await page.evaluate(() => window.__fluorolens!.displaySamples(24));
    const dark = samples.filter((s) => s.stored > 0 && s.stored <= 60);
    const ramp = samples.filter((s) => s.stored >= 70 && s.stored <= 185);
    const bright = samples.filter((s) => s.stored >= 192);
    expect(dark.length, 'exposed pixels below the window').toBeGreaterThan(5);
    expect(ramp.length).toBeGreaterThan(20);
    // Canvas pixels blend neighbouring image pixels at hard edges, so most (not all) samples sit exactly on the ramp.
    expect(dark.filter((s) => s.shown <= 3).length).toBeGreaterThan(dark.length * 0.85);
    expect(bright.filter((s) => s.shown >= 252).length).toBeGreaterThanOrEqual(bright.length * 0.85);
    const onRamp = ramp.filter((s) => Math.abs(s.shown - ((s.stored - 64) / 127) * 255) < 8);
    expect(onRamp.length).toBeGreaterThan(ramp.length * 0.8);
    expect(await preset.inputValue()).toBe('High contrast');
    await preset.selectOption({ label: 'SYNTHETIC DEFAULT (file)' });
    await expect.poll(() => readout(pane, 'Window/level readout')).toBe('W 230 L 140');
  });

  it('Invert flips the sign of the stored-to-shown correlation, and Shift+I flips it back', async () => {
    // The file window clips the brightest values, so the correlation is high but not 1.
    expect(correlation(await page.evaluate(() => window.__fluorolens!.displaySamples(20)))).toBeGreaterThan(0.75);
    const invert = pane.getByRole('button', { name: 'Invert' });
    await invert.click();
    await expect.poll(() => invert.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => correlation(await page.evaluate(() => window.__fluorolens!.displaySamples(20)))).toBeLessThan(-0.75);
    await page.locator('body').press('Shift+I');
    await expect.poll(() => invert.getAttribute('aria-pressed')).toBe('false');
    expect(await pane.getByText(/^In \d+ · Out \d+$/).count(), 'Shift+I is not the playback in point').toBe(0);
    await expect.poll(async () => correlation(await page.evaluate(() => window.__fluorolens!.displaySamples(20)))).toBeGreaterThan(0.75);
  });

  it('the wheel zooms; 1:1 shows one image pixel per screen pixel; Fit and Shift+F fit again', async () => {
    const zoom = () => readout(pane, 'Zoom readout');
    const fitted = await zoom();
    // Fitted into the pane: not one image pixel per screen pixel (the image is 512², the pane larger or smaller).
    expect(fitted).toMatch(/^\d+(\.\d+)?×$/);
    const box = (await pane.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(zoom).not.toBe(fitted);
    await pane.getByRole('button', { name: '1:1' }).click();
    await expect.poll(zoom).toBe('1:1');
    // 1:1 on screen: image pixels 100 apart are 100 screen pixels apart.
    const [a, b] = await page.evaluate(() => [
      window.__fluorolens!.imagePointOnPage('main', 200.5, 256.5)!,
      window.__fluorolens!.imagePointOnPage('main', 300.5, 256.5)!,
    ]);
    expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeCloseTo(100, 0);
    await pane.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(zoom).toBe(fitted);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(zoom).not.toBe(fitted);
    await page.locator('body').press('Shift+F');
    await expect.poll(zoom).toBe(fitted);
  });

  it('pan moves the image with the mouse (Pan tool on the left button, and the middle button)', async () => {
    const before = await canvasGray(app);
    await pane.getByRole('button', { name: 'Pan' }).click();
    await expect.poll(() => pane.getByRole('button', { name: 'Pan' }).getAttribute('aria-pressed')).toBe('true');
    await dragInViewport(page, pane, 60, 0);
    const panned = await canvasGray(app);
    expect(horizontalShift(before, panned, 90)).toBeCloseTo(60, -1);
    await pane.getByRole('button', { name: 'Window/level' }).click();
    await dragInViewport(page, pane, -40, 0, 'middle');
    const back = await canvasGray(app);
    expect(horizontalShift(before, back, 90)).toBeCloseTo(20, -1);
    expect(await readout(pane, 'Window/level readout'), 'the middle button pans, it does not window').toBe('W 230 L 140');
    await page.locator('body').press('r');
  });

  it('Flip horizontal mirrors, Flip vertical mirrors top to bottom, Rotate 90° turns clockwise', async () => {
    const before = await canvasGray(app);
    const { width, height } = before;
    const same = differenceThrough(before, before, (x, y) => [x, y]);
    const unchanged = (after: Gray) => differenceThrough(before, after, (x, y) => [x, y]);

    await pane.getByRole('button', { name: 'Flip horizontal' }).click();
    await expect.poll(() => pane.getByRole('button', { name: 'Flip horizontal' }).getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(100);
    const mirrored = await canvasGray(app);
    const mirrorDiff = differenceThrough(before, mirrored, (x, y) => [width - 1 - x, y]);
    expect(same).toBe(0);
    expect(mirrorDiff, 'left–right mirror of the original').toBeLessThan(4);
    expect(unchanged(mirrored), 'and not the original').toBeGreaterThan(mirrorDiff * 3);
    await pane.getByTestId('viewport-overlay').getByText('Flipped left–right', { exact: true }).waitFor();
    await app.screenshot('review-flip-horizontal');
    await pane.getByRole('button', { name: 'Flip horizontal' }).click();
    await expect.poll(() => pane.getByRole('button', { name: 'Flip horizontal' }).getAttribute('aria-pressed')).toBe('false');
    await page.waitForTimeout(100);

    await pane.getByRole('button', { name: 'Flip vertical' }).click();
    await expect.poll(() => pane.getByRole('button', { name: 'Flip vertical' }).getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(100);
    const upsideDown = await canvasGray(app);
    const flipDiff = differenceThrough(before, upsideDown, (x, y) => [x, height - 1 - y]);
    expect(flipDiff).toBeLessThan(4);
    expect(unchanged(upsideDown)).toBeGreaterThan(flipDiff * 3);
    await pane.getByRole('button', { name: 'Flip vertical' }).click();

    await pane.getByRole('button', { name: 'Rotate 90°' }).click();
    await page.waitForTimeout(100);
    const turned = await canvasGray(app);
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    // Clockwise: what was at offset (dx, dy) from the centre is now at (-dy, dx).
    const clockwise = differenceThrough(before, turned, (x, y) => [cx + (y - cy), cy - (x - cx)]);
    const anticlockwise = differenceThrough(before, turned, (x, y) => [cx - (y - cy), cy + (x - cx)]);
    expect(clockwise).toBeLessThan(4);
    expect(anticlockwise).toBeGreaterThan(clockwise * 3);
    await pane.getByTestId('viewport-overlay').getByText('Rotated 90°', { exact: true }).waitFor();
    await app.screenshot('review-rotated');

    // Fit keeps the turn and the flips: zoom away, flip, then Fit gives the turned, flipped view.
    await pane.getByRole('button', { name: 'Flip horizontal' }).click();
    await page.waitForTimeout(100);
    const turnedFlipped = await canvasGray(app);
    expect(differenceThrough(turned, turnedFlipped, (x, y) => [width - 1 - x, y])).toBeLessThan(4);
    await pane.getByRole('button', { name: '1:1' }).click();
    await dragInViewport(page, pane, 25, 15, 'middle');
    await pane.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(100);
    expect(differenceThrough(turnedFlipped, await canvasGray(app), (x, y) => [x, y])).toBeLessThan(1);
  });

  it("shows the patient's direction at each edge (Patient Orientation L\\F), and turns it with the picture", async () => {
    const overlay = pane.getByTestId('viewport-overlay');
    const marker = (edge: string) => overlay.locator(`.orientation-marker.${edge}`);
    const markers = async () => Promise.all(['left', 'right', 'top', 'bottom'].map(async (edge) => marker(edge).textContent()));
    await expect.poll(markers).toEqual(['R', 'L', 'H', 'F']);
    expect(await overlay.getByRole('img', { name: 'Left edge: patient right' }).count()).toBe(1);
    // Mirrored, the patient's right is on the right: the markers must say so.
    await pane.getByRole('button', { name: 'Flip horizontal' }).click();
    await expect.poll(markers).toEqual(['L', 'R', 'H', 'F']);
    await app.screenshot('review-orientation-markers-flipped');
    await pane.getByRole('button', { name: 'Flip horizontal' }).click();
    await pane.getByRole('button', { name: 'Rotate 90°' }).click();
    await expect.poll(markers).toEqual(['F', 'H', 'R', 'L']);
    await pane.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(markers).toEqual(['R', 'L', 'H', 'F']);
  });

  it('Reset (and the R key) restores the fitted, unturned view and the file window', async () => {
    const reference = await canvasGray(app);
    await pane.getByRole('combobox', { name: 'Window preset' }).selectOption('High contrast');
    await pane.getByRole('button', { name: 'Invert' }).click();
    await pane.getByRole('button', { name: 'Rotate 90°' }).click();
    await pane.getByRole('button', { name: 'Flip horizontal' }).click();
    await pane.getByRole('button', { name: '1:1' }).click();
    await dragInViewport(page, pane, 30, 20, 'middle');
    await expect.poll(() => readout(pane, 'Zoom readout')).toBe('1:1');
    await page.locator('body').press('r');
    await expect.poll(() => readout(pane, 'Window/level readout')).toBe('W 230 L 140');
    await expect.poll(() => pane.getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => pane.getByRole('button', { name: 'Flip horizontal' }).getAttribute('aria-pressed')).toBe('false');
    await page.waitForTimeout(100);
    expect(
      await pane
        .getByTestId('viewport-overlay')
        .getByText(/^(Rotated|Flipped)/)
        .count(),
      'no transform note once reset',
    ).toBe(0);
    const restored = await canvasGray(app);
    expect(differenceThrough(reference, restored, (x, y) => [x, y])).toBeLessThan(1);
  });

  it('the pixel probe reads the stored value under the mouse, and says when it is off the image', async () => {
    const probe = pane.getByRole('status', { name: 'Pixel probe' });
    for (const [x, y] of [
      [256, 256],
      [227, 248],
      [140, 400],
    ]) {
      const point = (await page.evaluate(([px, py]) => window.__fluorolens!.imagePointOnPage('main', px + 0.5, py + 0.5), [x, y]))!;
      await page.mouse.move(point.x, point.y);
      // No rescale in this file: the modality value is the stored one, said once.
      await expect.poll(() => probe.textContent()).toMatch(/^\d+, \d+: \d+$/);
      // Mouse positions are whole CSS pixels (1.1 image pixels at this zoom): the probe may name a neighbour.
      const [, px, py, stored] = /^(\d+), (\d+): (\d+)$/.exec((await probe.textContent())!)!.map(Number);
      // Read whole at 1280 px with both panels open, not cut off by the readouts' end.
      expect(await probe.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
      expect(Math.abs(px - x)).toBeLessThanOrEqual(1);
      expect(Math.abs(py - y)).toBeLessThanOrEqual(1);
      expect(stored).toBe(
        await page.evaluate(([key, cx, cy]) => window.__fluorolens!.pixelValue(key, 1, cx, cy), [runKey, px, py] as const),
      );
    }
    const outside = (await page.evaluate(() => window.__fluorolens!.imagePointOnPage('main', -5, 100)))!;
    await page.mouse.move(outside.x, outside.y);
    await expect.poll(() => probe.textContent()).toBe('Outside the image');
  });

  it('overlays patient, study, run and acquisition text, the angles and a named scale bar, without blocking the mouse', async () => {
    const overlay = pane.getByTestId('viewport-overlay');
    await overlay.getByText('FLUOROLENS, SYNTHETIC').waitFor();
    for (const text of ['ID FL-SAMPLE-001', 'DOB 1970-01-01', 'Sex O', 'Frame 1 / 60', '15 fps', '78 kVp · 12 mA', 'AP CRAN 8°']) {
      await overlay.getByText(text, { exact: true }).waitFor();
    }
    const bar = overlay.getByRole('img', { name: /^Scale bar \d+ mm \(Imager Pixel Spacing ÷ ERMF\)$/ });
    await bar.waitFor();
    const widthAtFit = (await bar.locator('.scale-bar-line').boundingBox())!.width;
    // The bar follows the zoom: zoomed in, one millimetre takes more screen pixels. (Zoomed with the
    // wheel, well past the fitted scale: the fitted pane can be close to 1:1 in a large window.)
    const label = (await bar.getAttribute('aria-label'))!;
    const view = (await pane.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
    await page.mouse.wheel(0, -600);
    await expect
      .poll(async () => {
        const now = (await bar.getAttribute('aria-label'))!;
        const w = (await bar.locator('.scale-bar-line').boundingBox())!.width;
        return now !== label || Math.abs(w - widthAtFit) > 5;
      })
      .toBe(true);
    await page.locator('body').press('r');
    // pointer-events: none — the corner text lets the mouse through to the viewport.
    const textBox = (await overlay.getByText('FLUOROLENS, SYNTHETIC').boundingBox())!;
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.tagName, [textBox.x + 5, textBox.y + 5]);
    expect(hit).toBe('CANVAS');
    await page.getByRole('button', { name: 'Next frame' }).click();
    await overlay.getByText('Frame 2 / 60', { exact: true }).waitFor();
    await overlay.getByText('t = 0.07 s', { exact: true }).waitFor();
    // Playback speed other than 1× is named in the bottom-left block.
    await pane.getByRole('combobox', { name: 'Playback speed' }).selectOption('2');
    await overlay.getByText('Playback 2×', { exact: true }).waitFor();
    await pane.getByRole('combobox', { name: 'Playback speed' }).selectOption('1');
    await expect.poll(() => overlay.getByText(/^Playback /).count()).toBe(0);
    await app.screenshot('review-toolbar-overlay');
    const toggle = pane.getByRole('button', { name: 'Overlay' });
    await toggle.click();
    await expect.poll(() => overlay.count()).toBe(0);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.locator('body').press('Shift+O');
    await expect.poll(() => overlay.count()).toBe(1);
    expect(await pane.getByText(/^In \d+ · Out \d+$/).count(), 'Shift+O is not the playback out point').toBe(0);
  });
});

describe('overlay text from files', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('the real Siemens XA cine shows its angles as "RAO 32° CRAN 2°" and, uncalibrated, no scale bar', async () => {
    app = await launchApp({ samples: false });
    await app.openRun(corpusFile('xa_siemens_96f_jpeg-baseline_ecg-curve.dcm'));
    const overlay = app.pane().getByTestId('viewport-overlay');
    await overlay.getByText('RAO 32° CRAN 2°', { exact: true }).waitFor();
    await overlay.getByText('Frame 1 / 96', { exact: true }).waitFor();
    await overlay
      .getByText('30 fps', { exact: true })
      .or(overlay.getByText(/^\d+(\.\d)? fps$/))
      .first()
      .waitFor();
    expect(await overlay.getByRole('img', { name: /^Scale bar/ }).count()).toBe(0);
    expect(await overlay.textContent()).not.toMatch(/\bmm\b/);
    // JPEG Baseline, with no Lossy Image Compression attribute: the transfer syntax says it.
    await overlay.getByText('Lossy compressed: JPEG', { exact: true }).waitFor();
    await app.screenshot('review-overlay-xa-cine');

    // No window in the file: the run keeps its opening range, and Reset goes back to it.
    const pane = app.paneWithTools();
    await expect.poll(() => readout(pane, 'Window/level readout')).toMatch(/^W \d+ L \d+$/);
    const opening = await readout(pane, 'Window/level readout');
    await dragInViewport(app.page, pane, 70, 50);
    await expect.poll(() => readout(pane, 'Window/level readout')).not.toBe(opening);
    await app.page.locator('body').press('r');
    await expect.poll(() => readout(pane, 'Window/level readout')).toBe(opening);
    await app.page.getByRole('slider', { name: 'Frame' }).fill('40');
    await overlay.getByText('Frame 40 / 96', { exact: true }).waitFor();
    expect(await readout(pane, 'Window/level readout'), 'the same window on every frame').toBe(opening);
  });

  it('says when the pixels went through lossy compression, with the ratio the file records, and says nothing of lossless ones', async () => {
    app = await launchApp({ samples: false });
    const lossyKey = await app.openRun(corpusFile('cr_konica_mono1_jpeg-baseline.dcm'));
    const overlay = app.pane().getByTestId('viewport-overlay');
    await overlay.getByText('Lossy compressed: JPEG 12.7:1', { exact: true }).waitFor();
    // The Runs list says it too, in the entry's text and name.
    const runsList = app.page.getByRole('list', { name: 'Runs' });
    await runsList.getByRole('button', { name: /CR 2010×2446, 1 frame, lossy JPEG$/ }).waitFor();
    await app.screenshot('review-overlay-lossy');
    const losslessKey = await app.openRun(corpusFile('xa1_wg04_1024_10bit_jpeg-lossless-sv1.dcm'));
    expect(losslessKey).not.toBe(lossyKey);
    await expect.poll(() => app!.page.evaluate(() => window.__fluorolens!.panes()[0].runKey)).toBe(losslessKey);
    await expect.poll(() => overlay.textContent()).not.toMatch(/Lossy|Konica/i);
    expect(await runsList.getByRole('button', { name: /lossy/ }).count(), 'only the Konica CR is lossy').toBe(1);
    expect(await overlay.textContent()).toMatch(/Frame 1 \/ 1/);
  });

  it('MONOCHROME1 opens inverted; Invert shows it the other way and Reset brings the file default back', async () => {
    app = await launchApp({ samples: false });
    await app.openRun(corpusFile('cr_wg04_rg3_mono1_10bit_jpeg-lossless.dcm'));
    const pane = app.paneWithTools();
    const invert = pane.getByRole('button', { name: 'Invert' });
    const r = async () => correlation(await app!.page.evaluate(() => window.__fluorolens!.displaySamples(20)));
    await expect.poll(r).toBeLessThan(-0.8);
    expect(await invert.getAttribute('aria-pressed'), 'the file asks for this inversion: not a user inversion').toBe('false');
    await invert.click();
    await expect.poll(r).toBeGreaterThan(0.8);
    expect(await invert.getAttribute('aria-pressed')).toBe('true');
    await pane.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(r).toBeLessThan(-0.8);
    await expect.poll(() => invert.getAttribute('aria-pressed')).toBe('false');
  });

  it('a patient name holding markup is shown as text, never as markup', async () => {
    {
      const bytes = readFileSync(sampleFile('s1-caudal-series/IM0001.dcm'));
      const original = Buffer.from('FLUOROLENS^SYNTHETIC', 'latin1');
      const patched = Buffer.from('<b>Bold</b>^Johnny  ', 'latin1');
      expect(patched.length).toBe(original.length);
      const at = bytes.indexOf(original);
      expect(at).toBeGreaterThan(0);
      patched.copy(bytes, at);
      const file = join(scratchDir('review'), 'markup-name.dcm');
      writeFileSync(file, bytes);
      app = await launchApp({ samples: false });
      await app.openRun(file);
      const overlay = app.pane().getByTestId('viewport-overlay');
      await overlay.getByText('<B>BOLD</B>, Johnny', { exact: true }).waitFor();
      expect(await overlay.locator('b').count()).toBe(0);
      await app.screenshot('review-overlay-markup-name');
    }
  });
});

describe('a series whose spot images store different windows (the S1 caudal sample)', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  /** Each image's Window Center/Width by Instance Number, read from the files here. */
  function windowsByInstance(folder: string): Map<number, string> {
    const byInstance = new Map<number, string>();
    for (const name of readdirSync(folder)) {
      const dataSet = dicomParser.parseDicom(new Uint8Array(readFileSync(join(folder, name))), { untilTag: 'x7fe00010' });
      const [center, width] = [Number(dataSet.string('x00281050')), Number(dataSet.string('x00281051'))];
      byInstance.set(Number(dataSet.string('x00200013')), `W ${width} L ${center}`);
    }
    return byInstance;
  }

  it('shows each image in its own window until a window is set, and again after Reset or the preset "Image\'s own"', async () => {
    const folder = sampleFile('s1-caudal-series');
    const own = windowsByInstance(folder);
    expect(new Set(own.values()).size, 'the sample images store different windows').toBeGreaterThan(5);
    app = await launchApp({ samples: false });
    const { page } = app;
    await app.openFolder(folder);
    const key = await app.runKeyByFile('IM0004.dcm');
    await app.waitForMark('fluorolens:run-decoded', key, 60_000);
    const pane = app.paneWithTools();
    const preset = pane.getByRole('combobox', { name: 'Window preset' });
    const shown = () => readout(pane, 'Window/level readout');
    // Frame k is Instance Number k (the files are shuffled against it).
    for (const frame of [1, 5, 8, 3]) {
      await app.goToFrame(frame);
      await expect.poll(shown, { message: `frame ${frame}` }).toBe(own.get(frame));
      expect(await preset.inputValue()).toBe("Image's own");
    }
    // The first image's window is not offered as "the file's": it is one image's of ten.
    expect(await preset.locator('option', { hasText: 'SYNTHETIC DEFAULT' }).count()).toBe(0);
    await app.screenshot('review-series-own-windows');

    // A window the user chooses holds on every frame.
    await preset.selectOption('High contrast');
    await expect.poll(shown).toBe('W 128 L 128');
    await app.goToFrame(6);
    expect(await shown()).toBe('W 128 L 128');
    expect(await preset.inputValue()).toBe('High contrast');

    // Back to each image's own.
    await preset.selectOption("Image's own");
    await expect.poll(shown).toBe(own.get(6));
    await app.goToFrame(9);
    await expect.poll(shown).toBe(own.get(9));

    // A drag holds too; Reset lets each image's window back.
    await pane.getByRole('button', { name: 'Window/level' }).click();
    await dragInViewport(page, pane, 80, -60);
    await expect.poll(shown).not.toBe(own.get(9));
    const dragged = await shown();
    await app.goToFrame(2);
    expect(await shown()).toBe(dragged);
    expect(await preset.inputValue()).toBe('');
    await pane.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(shown).toBe(own.get(2));
    await app.goToFrame(10);
    await expect.poll(shown).toBe(own.get(10));
    expect(await preset.inputValue()).toBe("Image's own");
  });
});

describe('a series holding an AP and a lateral spot image', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it("shows each image's own Patient Orientation at the edges", async () => {
    // The sample series (AP, L\\F), one image of it (IM0008.dcm, Instance Number 3) made a lateral (P\\F) by DCMTK.
    const folder = scratchDir('review-series-orientation');
    const source = sampleFile('s1-caudal-series');
    for (const name of readdirSync(source)) copyFileSync(join(source, name), join(folder, name));
    execFileSync('dcmodify', ['-nb', '-m', '(0020,0020)=P\\F', join(folder, 'IM0008.dcm')]);
    app = await launchApp({ samples: false });
    await app.openFolder(folder);
    const key = await app.runKeyByFile('IM0004.dcm');
    await app.waitForMark('fluorolens:first-frame', key);
    const overlay = app.pane().getByTestId('viewport-overlay');
    const markers = async () =>
      Promise.all(['left', 'right', 'top', 'bottom'].map(async (edge) => overlay.locator(`.orientation-marker.${edge}`).textContent()));
    await app.goToFrame(2);
    await expect.poll(markers).toEqual(['R', 'L', 'H', 'F']);
    await app.goToFrame(3);
    await expect.poll(markers).toEqual(['A', 'P', 'H', 'F']);
    await app.screenshot('review-series-lateral-markers');
    await app.goToFrame(4);
    await expect.poll(markers).toEqual(['R', 'L', 'H', 'F']);
  });
});

describe('pixel probe on a real file with a Modality LUT Sequence', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('shows the stored value and the LUT value for it (CR, 1024-entry Modality LUT Sequence)', async () => {
    const file = corpusFile('cr_mono1_modality-lut-seq_jpeg-lossless.dcm');
    // The LUT as the file holds it, read here independently of the app.
    const bytes = readFileSync(file);
    const dataSet = dicomParser.parseDicom(new Uint8Array(bytes), { untilTag: 'x7fe00010' });
    const item = dataSet.elements.x00283000.items![0].dataSet!;
    const [entries, firstMapped] = [item.uint16('x00283002', 0)!, item.uint16('x00283002', 1)!];
    // LUT Data is OW in an explicit little endian file; offsets are into the whole file.
    const lutOffset = item.elements.x00283006.dataOffset;
    const lut = Array.from({ length: entries }, (_, i) => bytes.readUInt16LE(lutOffset + 2 * i));
    expect(
      lut.some((v, i) => v !== i),
      'a LUT that changes values',
    ).toBe(true);

    app = await launchApp({ samples: false });
    await app.openRun(file);
    const [{ key, columns, rows }] = await app.runs();
    const pane = app.paneWithTools();
    const probe = pane.getByRole('status', { name: 'Pixel probe' });
    let differing = 0;
    for (const [fx, fy] of [
      [0.5, 0.5],
      [0.4, 0.6],
      [0.6, 0.35],
    ]) {
      const point = (await app.page.evaluate(([x, y]) => window.__fluorolens!.imagePointOnPage('main', x, y), [fx * columns, fy * rows]))!;
      await app.page.mouse.move(point.x, point.y, { steps: 3 });
      await expect.poll(() => probe.textContent()).toMatch(/^\d+, \d+: \d+( \(stored \d+\))?$/);
      const [, px, py, value, shownStored] = /^(\d+), (\d+): (\d+)(?: \(stored (\d+)\))?$/.exec((await probe.textContent())!)!.map(Number);
      // The stored value is said only where the LUT changed it.
      const stored = Number.isNaN(shownStored) ? value : shownStored;
      expect(await probe.evaluate((e) => e.scrollWidth <= e.clientWidth), `"${await probe.textContent()}" read whole`).toBe(true);
      expect(stored).toBe(await app.page.evaluate(([k, x, y]) => window.__fluorolens!.pixelValue(k, 1, x, y), [key, px, py] as const));
      expect(value).toBe(lut[Math.min(Math.max(0, stored - firstMapped), entries - 1)]);
      if (value !== stored) differing++;
    }
    expect(differing, 'the LUT really mapped the values shown').toBeGreaterThan(0);
  });
});

describe('side by side, and the Runs list', () => {
  let app: App;
  let page: Page;
  beforeAll(async () => {
    app = await launchOnSamples();
    page = app.page;
  });
  afterAll(async () => app?.close());

  it('lists each run with a thumbnail, frame count, duration and rate, the text beside the thumbnail', async () => {
    const runs = page.getByRole('list', { name: 'Runs' });
    const item = (name: RegExp) => runs.getByRole('button', { name });
    await item(/L4 TFESI AP/)
      .getByText('60 frames · 4.0 s · 15 fps', { exact: true })
      .waitFor();
    await item(/L5 TFESI oblique/)
      .getByText('90 frames · 9.0 s · 10 fps', { exact: true })
      .waitFor();
    await item(/L3 MBB/)
      .getByText(/^30 frames · \d+\.\d s · FTV ~\d+ fps$/)
      .waitFor();
    await item(/S1 TFESI/)
      .getByText(/^10 frames · /)
      .waitFor();
    for (const button of await app.runButtons().all()) {
      const thumb = (await button.locator('canvas.thumbnail').boundingBox())!;
      const text = (await button.locator('.run-text').boundingBox())!;
      expect(thumb.width).toBe(64);
      expect(text.x, 'text starts right of the thumbnail').toBeGreaterThanOrEqual(thumb.x + thumb.width);
      expect(text.width, 'room to read').toBeGreaterThan(120);
    }
    await app.screenshot('review-runs-panel', page.getByRole('navigation', { name: 'Run browser' }));
  });

  it('shows two viewers with their own playback rows and one toolbar on the active one; a run clicked in the list loads into the active one', async () => {
    const first = page.getByRole('region', { name: 'Viewer 1' });
    const tools = app.toolbar();
    // A tool picked before the second pane exists is the tool it starts with.
    await tools.getByRole('button', { name: 'Pan' }).click();
    const toggle = page.getByRole('button', { name: 'Side by side' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const second = page.getByRole('region', { name: 'Viewer 2' });
    await second.getByTestId('viewport-overlay').waitFor();
    await app.waitForMark('fluorolens:first-frame');
    // Both panes' canvases are opaque (cornerstoneSetup.ts): frames are copied in without blending.
    const canvasAlpha = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('canvas.cornerstone-canvas')].map(
        (c) => c.getContext('2d')!.getContextAttributes().alpha,
      ),
    );
    expect(canvasAlpha).toEqual([false, false]);
    for (const pane of [first, second]) {
      expect(await pane.getByRole('slider', { name: 'Frame' }).count()).toBe(1);
      expect(await pane.getByRole('toolbar').count(), 'the tools are not repeated in the pane').toBe(0);
    }
    expect(await page.getByRole('toolbar').count()).toBe(1);
    // Make Viewer 2 the active pane: the toolbar then shows and acts on its state.
    await app.activatePane(2);
    expect(await tools.getByRole('button', { name: 'Pan' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => readout(tools, 'Window/level readout')).toMatch(/^W \d+ L \d+$/);
    await page.waitForTimeout(300);
    const windowBefore = await readout(tools, 'Window/level readout');
    await page.waitForTimeout(200);
    const centre = () => page.evaluate(() => window.__fluorolens!.imagePointOnPage('second', 100, 100)!);
    const before = await canvasGray(app, 2);
    const centreBefore = await centre();
    await dragInViewport(page, second, 50, 0);
    const centreAfter = await centre();
    expect(centreAfter.x - centreBefore.x, 'the left button pans in the new pane').toBeCloseTo(50, 0);
    expect(Math.abs(centreAfter.y - centreBefore.y)).toBeLessThan(1);
    const shift = horizontalShift(before, await canvasGray(app, 2), 80);
    expect(shift).toBeGreaterThan(40);
    expect(shift).toBeLessThan(62);
    expect(await readout(tools, 'Window/level readout')).toBe(windowBefore);
    await tools.getByRole('button', { name: 'Window/level' }).click();

    // The clicked pane is the active one (outlined); the Runs list loads into it.
    await expect.poll(() => second.evaluate((el) => el.classList.contains('active'))).toBe(true);
    const firstMax = await first.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax');
    await app.showRunFromList(/1024×1024, 90 frames/);
    await expect.poll(() => second.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax')).toBe('90');
    await second.getByTestId('viewport-overlay').getByText('LAO 25° CAUD 10°', { exact: true }).waitFor();
    expect(await first.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax')).toBe(firstMax);
    await second.getByRole('button', { name: 'Next frame' }).click();
    await expect.poll(() => second.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuenow')).toBe('2');
    await second.getByTestId('viewport-overlay').getByText('Frame 2 / 90', { exact: true }).waitFor();

    // The toolbar acts on the active pane only.
    await app.activatePane(2);
    await tools.getByRole('button', { name: 'Invert' }).click();
    await expect.poll(() => tools.getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')).toBe('true');
    await app.activatePane(1);
    expect(await tools.getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')).toBe('false');
    await app.screenshot('review-side-by-side');

    await toggle.click();
    await expect.poll(() => page.getByRole('region', { name: /^Viewer \d$/ }).count()).toBe(1);
  });
});
