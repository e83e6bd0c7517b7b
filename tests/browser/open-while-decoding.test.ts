import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';
import { launchApp, sampleFile, sampleTruths, scratchDir, type App } from './driver';

/** A small native run that is none of the samples (so opening it replaces nothing). */
function userRunFile(): string {
  const rows = 256;
  const columns = 256;
  const frames = 12;
  const pixels = new Uint8Array(rows * columns * frames);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 8)) & 0xff;
  const bytes = buildDicom({
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    elements: imageElements({
      rows,
      columns,
      frames,
      studyUID: '2.25.9101',
      seriesUID: '2.25.9101.1',
      sopInstanceUID: '2.25.9101.1.1',
      extra: [el(0x00181063, 'DS', '66.67'), el(0x0008103e, 'LO', 'Opened while samples decode')],
    }),
    pixelData: { kind: 'native', bytes: pixels },
  });
  const path = join(scratchDir('user'), 'user-run.dcm');
  writeFileSync(path, bytes);
  return path;
}

/** A copy of a bundled sample on disk: opening it replaces the sample's reading while that one decodes. */
function sampleCopy(name: string): string {
  const path = join(scratchDir('copy'), name);
  copyFileSync(sampleFile(name), path);
  return path;
}

/**
 * Issue 8.9: a file opened while the bundled samples are still being read and decoded must not
 * make any sample frame fail (an interrupted read is retried or dropped, never blamed on the file),
 * and must raise no page error. Opened at several moments after the page starts.
 */
describe('opening a file while the bundled samples decode', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  // The bundled sample runs, plus the one opened (a copy of a sample takes that sample's place).
  const samples = sampleTruths().length;
  const cases = [
    { what: 'another run', file: userRunFile(), runs: samples + 1, delays: [0, 400] },
    { what: 'a copy of the sample being decoded', file: sampleCopy('l4-tfesi-ap-512.dcm'), runs: samples, delays: [0, 300] },
  ];
  for (const { what, file, runs, delays } of cases) {
    for (const delayMs of delays) {
      it(`${what}, opened ${delayMs} ms after the first sample shows: no sample frame fails, no page error`, async () => {
        app = await launchApp();
        const { page } = app;
        await app.waitForMark('fluorolens:show-run');
        await page.waitForTimeout(delayMs);
        await app.openFiles([file]);
        await expect.poll(async () => (await app!.runs()).length, { timeout: 30_000 }).toBe(runs);
        // Every run is shown until all its frames are decoded, so every sample frame is read.
        const buttons = app.runButtons();
        const shownRuns = () =>
          page.evaluate(() => performance.getEntriesByName('fluorolens:show-run').map((m) => (m as PerformanceMark).detail.run as string));
        for (let i = 0; i < runs; i++) {
          const before = (await shownRuns()).length;
          if ((await buttons.nth(i).getAttribute('aria-pressed')) !== 'true') {
            await buttons.nth(i).click();
            await expect.poll(async () => (await shownRuns()).length).toBeGreaterThan(before);
          }
          await app.waitForMark('fluorolens:run-decoded', (await shownRuns()).at(-1), 60_000);
        }
        const failed = (await app.runs()).filter((r) => r.failed.length > 0).map((r) => `${r.files[0]}: frames ${r.failed.join(', ')}`);
        expect(failed).toEqual([]);
        const alerts = await page.getByRole('alert').allTextContents();
        expect(alerts.join(' ')).not.toMatch(/cut off|could not be decoded|no longer open/);
        expect(app.takeNewPageErrors()).toEqual([]);
      }, 420_000);
    }
  }
});
