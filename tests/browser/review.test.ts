import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, SCREENSHOT_DIR, chooseFiles, corpusFile, corpusPresent, launchApp, openRuns, waitForMark, type App } from './harness';

/** Pearson correlation of stored values against displayed gray levels (as in corpus.test.ts). */
function correlation(samples: Array<{ stored: number; shown: number }>): number {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.stored, 0) / n;
  const my = samples.reduce((a, s) => a + s.shown, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const s of samples) {
    sxy += (s.stored - mx) * (s.shown - my);
    sxx += (s.stored - mx) ** 2;
    syy += (s.shown - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

interface Gray {
  width: number;
  height: number;
  data: number[];
}

/** The pane's canvas as gray levels (0–255), read from a screenshot of what is on screen. */
async function canvasGray(page: Page, pane: Locator): Promise<Gray> {
  const png = await pane.getByTestId('viewport').locator('canvas').first().screenshot();
  return page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const data: number[] = new Array(bitmap.width * bitmap.height);
    for (let i = 0; i < data.length; i++) data[i] = Math.round((rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2]) / 3);
    return { width: bitmap.width, height: bitmap.height, data };
  }, Array.from(png));
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
  await page.mouse.move(x, y);
  await page.mouse.down({ button });
  for (let step = 1; step <= 8; step++) await page.mouse.move(x + (dx * step) / 8, y + (dy * step) / 8);
  await page.mouse.up({ button });
}

function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, name);
}

describe('review controls on the L4 AP sample (512×512, window 140/230)', () => {
  let app: App;
  let page: Page;
  let pane: Locator;
  let runKey: string;

  beforeAll(async () => {
    app = await launchApp('?samples=0');
    page = app.page;
    await chooseFiles(page, [join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm')]);
    await waitForMark(page, 'fluorolens:first-frame');
    [{ key: runKey }] = await openRuns(page);
    await waitForMark(page, 'fluorolens:run-decoded', runKey, 60_000);
    pane = page.getByRole('region', { name: 'Viewer 1' });
    await page.waitForFunction(() => document.querySelector('[aria-label="Window/level readout"]')?.textContent === 'W 230 L 140');
  });
  afterAll(async () => app?.close());

  it('shows the toolbar and overlay', async () => {
    await page.screenshot({ path: screenshotPath('review-toolbar-overlay.png') });
  });
});
