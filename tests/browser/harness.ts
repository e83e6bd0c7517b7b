import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

export const CHROMIUM = CHROMIUM_PATH;
export const CORPUS_DIR = resolve(process.cwd(), '../shared/dicom-corpus');
export const corpusPresent = existsSync(CORPUS_DIR) && readdirSync(CORPUS_DIR).some((f) => f.endsWith('.dcm'));
export const SAMPLE_DIR = resolve(process.cwd(), 'sample-dicom');
export const SCREENSHOT_DIR = resolve(process.cwd(), 'test-results');

if (!corpusPresent) console.warn(`[browser tests] ${CORPUS_DIR} is absent: tests on the real DICOM corpus are skipped.`);

export function corpusFile(name: string): string {
  return join(CORPUS_DIR, name);
}

export interface App {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile on the built app. `query` e.g. '?samples=0' to start empty. */
export async function launchApp(query = ''): Promise<App> {
  const profile = mkdtempSync(join(tmpdir(), 'fluorolens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: CHROMIUM_FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(inject('baseURL') + '/' + query);
  return {
    page,
    context,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits for a User Timing mark, optionally one whose detail.run matches. */
export async function waitForMark(page: Page, name: string, runKey?: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([markName, key]) => performance.getEntriesByName(markName).some((m) => !key || (m as PerformanceMark).detail?.run === key),
    [name, runKey] as const,
    { timeout },
  );
}

export async function openRuns(page: Page) {
  return page.evaluate(() => window.__fluorolens!.runs());
}

/** Opens files through the "Open DICOM files" input, as a user would. */
export async function chooseFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByLabel('Open DICOM files').setInputFiles(paths);
}

/** Samples the viewport canvas: mean and spread of gray levels, to assert something is drawn. */
export async function viewportStats(page: Page): Promise<{ mean: number; std: number; width: number; height: number }> {
  const canvas = page.getByTestId('viewport').locator('canvas').first();
  const png = await canvas.screenshot();
  return page.evaluate(async (bytes) => {
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    const bitmap = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let sum = 0;
    let sumSq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const g = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += g;
      sumSq += g * g;
    }
    const mean = sum / n;
    return { mean, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), width: bitmap.width, height: bitmap.height };
  }, Array.from(png));
}

/** Pearson correlation of stored values against displayed gray levels. */
export function correlation(samples: Array<{ stored: number; shown: number }>): number {
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
