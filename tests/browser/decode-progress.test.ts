import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_RUN, longRleRun } from '../support/dicom/longRun';
import { launchApp, sampleFile, scratchDir, type App } from './driver';

/** A 2,000-frame 1024² RLE run: 2 GB decoded, so it is decoded in a window ahead of the play head. */
function longRunFile(): string {
  const { rows, columns } = LONG_RUN;
  const pictures = Array.from({ length: 4 }, (_, v) => new Uint8Array(rows * columns).fill(40 + v * 30));
  const path = join(scratchDir('window'), 'window-2000x1024.dcm');
  writeFileSync(path, longRleRun({ uidRoot: '2.25.7101', seriesDescription: 'Window progress 2000x1024', pictures }));
  return path;
}

/** Issue 8.7: the decode bar of a windowed long run tells the window around the play head. */
describe('decode progress of a run decoded in a window', () => {
  let app: App;
  beforeAll(async () => {
    app = await launchApp({ samples: false });
  });
  afterAll(async () => app?.close());

  it('names the frames being decoded ahead of the play head, and follows a seek', async () => {
    const { page } = app;
    await app.openRun(longRunFile());
    // The run's entry: its button, and beside it the decoding progress.
    const runItem = page
      .getByRole('list', { name: /^Runs of / })
      .getByRole('listitem')
      .first();
    const seen: string[] = [];
    const progressText = async () => {
      const text = ((await runItem.locator('.run-progress').textContent()) ?? '').trim();
      seen.push(text);
      return text;
    };
    // Frame 1 and the 120 after it, then it stops: the window is full, the run is not.
    await expect.poll(progressText, { timeout: 120_000 }).toBe('Frames 1–121 decoded');

    await app.frameSlider().fill('1500');
    // Filling ('1500–1620: n/121') or already full ('Frames 1500–1620 decoded'): about the window either way.
    await expect.poll(progressText, { timeout: 120_000 }).toMatch(/^(Frames )?1500–1620\b/);
    // While it fills, the bar is about the window too.
    const bar = runItem.getByRole('progressbar');
    if ((await bar.count()) > 0) expect(await bar.getAttribute('aria-label')).toMatch(/^Decoding frames 1500–1620 of /);
    await expect.poll(progressText, { timeout: 120_000 }).toBe('Frames 1500–1620 decoded');
    await app.screenshot('decode-window-progress', page.getByRole('navigation', { name: 'Run browser' }));

    // Never a count against the whole run, which a windowed run never reaches.
    expect(seen.filter((t) => /\/2000\b/.test(t))).toEqual([]);
  }, 480_000);
});

/** The progress of a run decoded whole reaches the page at most every 400 ms (and once at the end), not once per frame. */
describe('decode progress of a run decoded whole', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('updates the decode bar twice or so a second, not once per decoded frame', async () => {
    app = await launchApp({ samples: false });
    const { page } = app;
    await page.evaluate(() => {
      const w = window as unknown as { progressUpdates: number[] };
      w.progressUpdates = [];
      new MutationObserver((records) => {
        for (const r of records) if ((r.target as Element).matches?.('.run-progress progress')) w.progressUpdates.push(performance.now());
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value'] });
    });
    // 90 frames of 1024² RLE: decoded whole, over a second or more here.
    const key = await app.openRun(sampleFile('l5-tfesi-1024-rle.dcm'));
    await app.waitForMark('fluorolens:run-decoded', key, 60_000);
    const { updates, decodingMs } = await page.evaluate((runKey) => {
      const at = (name: string) => performance.getEntriesByName(name).find((m) => (m as PerformanceMark).detail?.run === runKey)!.startTime;
      return {
        updates: (window as unknown as { progressUpdates: number[] }).progressUpdates.length,
        decodingMs: at('fluorolens:run-decoded') - at('fluorolens:show-run'),
      };
    }, key);
    expect(updates).toBeGreaterThan(0);
    expect(updates, `${updates} updates in ${decodingMs.toFixed(0)} ms of decoding`).toBeLessThanOrEqual(Math.ceil(decodingMs / 400) + 2);
    expect(updates).toBeLessThan(90);
  }, 120_000);
});
