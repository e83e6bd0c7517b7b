/**
 * The app as it opens: on the bundled sample runs, each decoded to the generator's pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grayStats, launchApp, launchOnSamples, sampleFile, sampleTruths, type App } from './driver';

const truths = sampleTruths();

/** Every frame of a run as the test hook reads it from the decoded cache, in order. */
function decodedFrames(app: App, key: string, frames: number) {
  return app.page.evaluate(
    async ({ key, frames }) => {
      const out = [];
      for (let f = 1; f <= frames; f++) out.push(await window.__fluorolens!.decodedFrame(key, f));
      return out;
    },
    { key, frames },
  );
}

describe('the bundled sample runs', () => {
  let app: App;
  beforeAll(async () => {
    app = await launchOnSamples();
  });
  afterAll(async () => app?.close());

  it('opens on the sample runs with the first one selected and on screen', async () => {
    const { page } = app;
    const runsList = page.getByRole('list', { name: 'Runs' });
    await expect.poll(async () => (await app.runs()).length).toBe(truths.length);
    for (const truth of truths) {
      await runsList
        .getByRole('button', { name: new RegExp(`${truth.frames} frames?`) })
        .first()
        .waitFor();
    }
    await expect.poll(() => runsList.locator('button[aria-pressed="true"]').count()).toBe(1);
    const stats = grayStats(await app.pixelsOf(app.viewportCanvas()));
    expect(stats.std, 'the viewport shows an image, not a flat field').toBeGreaterThan(10);
    await app.screenshot('samples-first-run');
  });

  it("displays a run with the file's window centre and width", async () => {
    const { page } = app;
    const truth = truths.find((t) => t.run === 'l5-tfesi-1024-rle')!;
    const { center, width } = truth.window;
    await page.getByRole('button', { name: /1024×1024, 90 frames/ }).click();
    await expect
      .poll(() => page.evaluate(() => window.__fluorolens!.viewportVoi()))
      // DICOM PS3.3 C.11.2.1.2 (linear): the window spans c − 0.5 ∓ (w − 1)/2.
      .toEqual({ lower: center - 0.5 - (width - 1) / 2, upper: center - 0.5 + (width - 1) / 2 });
    await app.runButtons().first().click();
  });

  it('draws a thumbnail for every run', async () => {
    const thumbnails = app.page.locator('canvas.thumbnail');
    await expect.poll(() => thumbnails.count()).toBe(truths.length);
    const drawn = await thumbnails.evaluateAll((canvases) =>
      (canvases as HTMLCanvasElement[]).map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let nonBlack = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] > 20) nonBlack++;
        return nonBlack;
      }),
    );
    expect(
      drawn.every((n) => n > 100),
      `thumbnails drawn: ${drawn}`,
    ).toBe(true);
  });

  it('reaches every frame with the slider, the buttons and the arrow keys', async () => {
    const { page } = app;
    // From the first run's first frame, whatever the test before showed.
    await app.runButtons().first().click();
    await app.goToFrame(1);
    const slider = page.getByRole('slider', { name: 'Frame' });
    const total = Number(await slider.getAttribute('aria-valuemax'));
    expect(total).toBeGreaterThan(1);
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe('1');
    await page.getByRole('button', { name: 'Next frame' }).click();
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe('2');
    await page.getByRole('button', { name: 'Previous frame' }).click();
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe('1');
    await page.locator('body').press('ArrowRight');
    await page.locator('body').press('ArrowRight');
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe('3');
    await page.locator('body').press('ArrowLeft');
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe('2');
    await slider.fill(String(total));
    await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe(String(total));
    await expect.poll(() => page.getByLabel('Frame readout').first().textContent()).toMatch(new RegExp(`^Frame ${total} / ${total}`));
    expect(await page.getByRole('button', { name: 'Next frame' }).isDisabled()).toBe(true);
  });

  it('marks first-frame and run-decoded for the shown run', async () => {
    const { page } = app;
    const key = await page.evaluate(
      () =>
        performance.getEntriesByName('fluorolens:first-frame')[0] &&
        (performance.getEntriesByName('fluorolens:first-frame')[0] as PerformanceMark).detail.run,
    );
    expect(key).toBeTruthy();
    await app.waitForMark('fluorolens:run-decoded', key, 60_000);
  });

  for (const truth of truths) {
    it(`decodes every frame of ${truth.run} to the generator's pixels`, async () => {
      const runs = await app.runs();
      const run = runs.find(
        (r) =>
          r.files.some((f) => f.endsWith(truth.files[0].split('/').pop()!)) ||
          (r.files.length === truth.files.length && truth.files.length > 1),
      );
      expect(run, `run ${truth.run} is open`).toBeTruthy();
      expect(run!.frames).toBe(truth.frames);
      const decoded = await decodedFrames(app, run!.key, truth.frames);
      expect(decoded.map((d) => d.hash)).toEqual(truth.frameHashes);
      // The range each frame's image reports (Cornerstone's min/max pixel value) is its pixels' own,
      // also where it is worked out only when asked for (8-bit frames of files with a window).
      expect(decoded.map((d) => d.imageRange)).toEqual(decoded.map(({ min, max }) => ({ min, max })));
    });
  }
});

describe('a compressed run chosen from disk', () => {
  let app: App;
  beforeAll(async () => {
    app = await launchApp({ samples: false });
  });
  afterAll(async () => app?.close());

  // A chosen file is read in chunks into buffers used again, and its frames go to the decode
  // workers in pooled buffers that come back with the decoded pixels (src/viewer/frameBufferPool.ts):
  // a buffer given back too early, or lent twice, would show another frame's pixels here.
  it("decodes every frame of the 1024² RLE sample to the generator's pixels", async () => {
    const truth = truths.find((t) => t.run === 'l5-tfesi-1024-rle')!;
    const key = await app.openRun(sampleFile(truth.files[0].split('/').pop()!));
    await app.waitForMark('fluorolens:run-decoded', key, 60_000);
    const decoded = await decodedFrames(app, key, truth.frames);
    expect(decoded.map((d) => d.hash)).toEqual(truth.frameHashes);
  });
});
