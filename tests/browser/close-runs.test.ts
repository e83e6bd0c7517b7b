/**
 * Closing runs from the Runs list (its ✕ "Close run", and "Close all runs"): a physician closes a
 * case before the next is shown to a room. What the user sees and what stays in the tab are
 * checked: the list, the pane and the pixels on its canvas, the decoded frames in Cornerstone's
 * cache, and the annotations, which stay saved and come back when the run is opened again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusFile, launchApp, launchOnSamples, sampleFile, sampleTruth, scratchDir, type App, type Point } from './driver';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The brightest value on the pane's canvas as Cornerstone left it (not what is drawn over it). */
async function brightestOnCanvas(pane: 1 | 2 = 1): Promise<number> {
  return app!.viewportCanvas(pane).evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let max = 0;
    for (let i = 0; i < data.length; i += 4) max = Math.max(max, data[i], data[i + 1], data[i + 2]);
    return max;
  });
}

const runTitles = async () => (await app!.runButtons().allTextContents()).map((text) => /^(L4 TFESI AP|L3 MBB)/.exec(text)?.[1] ?? text);

describe('closing runs', () => {
  it('closes a run: its frames leave the cache, the pane shows the next run, and its annotations come back when it is opened again', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1366, height: 900 } });
    const tfesi = sampleFile('l4-tfesi-ap-512.dcm');
    const frames = sampleTruth('l4-tfesi-ap-512').frames;
    const key = await app.openRun(tfesi);
    await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
    await app.showRunFromList(/L4 TFESI AP/);
    await expect.poll(() => app!.page.evaluate((k) => window.__fluorolens!.decodedFramesInCache(k), key), { timeout: 20_000 }).toBe(frames);

    // A tip marked and the run closed at once: the change still waits for its autosave then.
    const tip: Point = { x: 200, y: 180 };
    await app.chooseTool('Needle tip');
    await app.clickImage(tip);
    await app.closeRunFromList(/L4 TFESI AP/);

    await expect.poll(runTitles).toEqual(['L3 MBB']);
    expect((await app.runs()).map((r) => r.key)).not.toContain(key);
    await expect.poll(() => app!.pane(1).getByTestId('viewport').getAttribute('aria-label')).toBe('Frame 1 of 30');
    // The focus goes on from the run now shown, not to the page's start with the button that left.
    await expect.poll(() => app!.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).toMatch(/^L3 MBB/);
    expect(
      await app.page.evaluate(([k, n]) => window.__fluorolens!.decodedFramesInCache(k, n), [key, frames] as const),
      'decoded frames let go',
    ).toBe(0);
    expect((await app.page.getByRole('alert').allTextContents()).join(''), 'nothing went wrong').toBe('');

    const reopened = await app.openRun(tfesi);
    await expect
      .poll(async () => (await app!.savedDoc(reopened)).tracks.find((t) => t.kind === 'needleTip')?.keyframes.map((k) => k.frame) ?? [])
      .toEqual([1]);
    const saved = (await app.savedDoc(reopened)).tracks.find((t) => t.kind === 'needleTip')!.keyframes[0].geometry.tip as Point;
    expect(Math.hypot(saved.x - tip.x, saved.y - tip.y), 'the tip where it was clicked').toBeLessThan(2);
  });

  it('keeps a run open whose annotations the browser will not save, and says so; it closes once they are saved', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1366, height: 900 } });
    await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
    const key = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    // The browser's storage refuses writes, as when it is full (IndexedDB's put throws).
    await app.page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      (window as unknown as { restorePut: () => void }).restorePut = () => (IDBObjectStore.prototype.put = put);
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await app.chooseTool('Needle tip');
    await app.clickImage({ x: 200, y: 180 });
    await app.closeRunFromList(/L4 TFESI AP/);
    const alerts = app.page.getByRole('alert');
    await expect
      .poll(() => alerts.textContent())
      .toMatch(
        /L4 TFESI AP \(synthetic\) was left open: its annotations could not be saved \(autosave failed: QuotaExceededError.*\)\. Export them first\./,
      );
    expect((await app.runs()).map((r) => r.key)).toContain(key);
    expect((await app.savedDoc(key)).tracks.find((t) => t.kind === 'needleTip')?.keyframes).toHaveLength(1);

    await app.page.evaluate(() => (window as unknown as { restorePut: () => void }).restorePut());
    await app.closeRunFromList(/L4 TFESI AP/);
    await expect.poll(async () => (await app!.runs()).map((r) => r.key)).not.toContain(key);
    const reopened = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await expect
      .poll(async () => (await app!.savedDoc(reopened)).tracks.find((t) => t.kind === 'needleTip')?.keyframes.length ?? 0)
      .toBe(1);
  });

  it('Reopen brings a run closed by mistake back from the same files, without choosing them again, with its annotations', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1366, height: 900 } });
    await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
    const key = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await app.chooseTool('Needle tip');
    await app.clickImage({ x: 200, y: 180 });
    await app.closeRunFromList(/L4 TFESI AP/);
    const closed = app.page.getByRole('status', { name: 'Closed runs' });
    await expect.poll(() => closed.textContent()).toBe('Closed L4 TFESI AP (synthetic). Reopen');
    await closed.getByRole('button', { name: 'Reopen' }).click();

    await expect.poll(async () => (await app!.runs()).filter((r) => r.files.some((f) => f.endsWith('l4-tfesi-ap-512.dcm'))).length).toBe(1);
    const again = (await app.runs()).find((r) => r.files.some((f) => f.endsWith('l4-tfesi-ap-512.dcm')))!.key;
    expect(again, 'a new opening: nothing of the closed one reused').not.toBe(key);
    await expect.poll(() => closed.count(), { message: 'offered once' }).toBe(0);
    await expect.poll(() => app!.pane(1).getByTestId('viewport').getAttribute('aria-label')).toBe('Frame 1 of 60');
    await expect.poll(() => brightestOnCanvas()).toBeGreaterThan(100);
    await expect.poll(async () => (await app!.savedDoc(again)).tracks.find((t) => t.kind === 'needleTip')?.keyframes.length ?? 0).toBe(1);
    await expect.poll(() => app!.page.evaluate((k) => window.__fluorolens!.decodedFramesInCache(k), again), { timeout: 20_000 }).toBe(60);
    expect((await app.runs()).flatMap((r) => r.failed)).toEqual([]);
  });

  it('Close all empties the viewer: no picture stays, not even after the window is resized, and a run opens again as usual', async () => {
    app = await launchOnSamples({ viewport: { width: 1366, height: 900 } });
    const samples = (await app.runs()).length;
    expect(await brightestOnCanvas(), 'a picture before').toBeGreaterThan(100);
    await app.page.getByRole('button', { name: 'Close all runs' }).click();

    await expect.poll(async () => (await app!.runs()).length).toBe(0);
    const viewport = app.pane(1).getByTestId('viewport');
    await expect.poll(() => viewport.getAttribute('aria-label')).toBe('No run open');
    await app.pane(1).getByText('Open a run to view it').waitFor();
    await app.page.getByText('Drop DICOM files or a folder anywhere on the page.').waitFor();
    // A count, no run's name, for a room that sees the screen.
    expect(await app.page.getByRole('status', { name: 'Closed runs' }).textContent()).toBe(`Closed ${samples} runs. Reopen`);
    expect(await app.page.getByRole('button', { name: 'Close all runs' }).count()).toBe(0);
    await expect
      .poll(() => app!.page.evaluate(() => document.activeElement?.textContent), { message: 'the focus waits on the Runs heading' })
      .toBe('Runs');
    expect(await brightestOnCanvas(), 'the closed run is not on the canvas').toBeLessThanOrEqual(2);
    await app.page.setViewportSize({ width: 1200, height: 800 });
    await app.page.waitForTimeout(300);
    expect(await brightestOnCanvas(), 'nor drawn again when the pane changes size').toBeLessThanOrEqual(2);

    await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
    await expect.poll(() => viewport.getAttribute('aria-label')).toBe('Frame 1 of 30');
    await expect.poll(() => brightestOnCanvas()).toBeGreaterThan(100);
    expect(await app.page.getByRole('status', { name: 'Closed runs' }).count(), 'Reopen is offered until something else is opened').toBe(0);
  });

  it('Close all pressed while files are still being read: they show nothing when the reading ends, and the next opening is shown as usual', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1366, height: 900 } });
    await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
    // Close all is pressed in the same event as the files are chosen, after the viewer took them:
    // their reading has surely begun and not ended.
    await app.page.evaluate(() => {
      window.addEventListener('change', () => document.querySelector<HTMLButtonElement>('button[aria-label="Close all runs"]')!.click(), {
        once: true,
      });
    });
    await app.page.getByLabel('Open DICOM files').setInputFiles([sampleFile('l4-tfesi-ap-512.dcm')]);
    // A count, not the run's title (a file name may name the patient), as after any Close all.
    await expect.poll(() => app!.page.getByRole('status', { name: 'Closed runs' }).textContent()).toBe('Closed 1 run. Reopen');
    // Long enough for the reading (tens of ms) to have ended and its run to have been shown.
    await app.page.waitForTimeout(1500);
    expect(await app.runs(), 'nothing opened after Close all').toEqual([]);
    expect(await app.pane(1).getByTestId('viewport').getAttribute('aria-label')).toBe('No run open');
    await app.pane(1).getByText('Open a run to view it').waitFor();
    expect(await brightestOnCanvas(), 'no picture').toBeLessThanOrEqual(2);
    expect(await app.page.getByText('Opening…').count(), 'no notice of a reading that shows nothing').toBe(0);
    expect((await app.page.getByRole('alert').allTextContents()).join(''), 'nothing went wrong').toBe('');

    await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await expect.poll(runTitles).toEqual(['L4 TFESI AP']);
    await expect.poll(() => brightestOnCanvas()).toBeGreaterThan(100);
  });

  it('Close all pressed while a study zip is being unpacked stops its unpacking workers; nothing of it shows', async () => {
    // A study of a few hundred MB, as a PACS export or a colleague's zip brings it: seconds to unpack here.
    const sample = new Uint8Array(readFileSync(sampleFile('l4-tfesi-ap-512.dcm')));
    const entries: Record<string, Uint8Array> = {};
    for (let i = 1; i <= 24; i++) entries[`EXPORT/IM${i}`] = sample;
    const zip = join(scratchDir('big-zip'), 'study.zip');
    writeFileSync(zip, zipSync(entries, { level: 1 }));

    app = await launchApp({
      samples: false,
      viewport: { width: 1366, height: 900 },
      // Each unpacking worker's life as the page sees it: stopped (terminate), or its entries sent back.
      initScript: () => {
        const PageWorker = window.Worker;
        const unzipping: Array<{ stopped: boolean; answered: boolean }> = [];
        Object.assign(window, { __unzipping: unzipping });
        window.Worker = class extends PageWorker {
          constructor(url: string | URL, options?: WorkerOptions) {
            super(url, options);
            if (options?.name !== 'unzip') return;
            const life = { stopped: false, answered: false };
            unzipping.push(life);
            this.addEventListener('message', () => (life.answered = true));
            const terminate = this.terminate.bind(this);
            this.terminate = () => {
              life.stopped = true;
              terminate();
            };
          }
        };
      },
    });
    const unzipping = () =>
      app!.page.evaluate(() => (window as unknown as { __unzipping: Array<{ stopped: boolean; answered: boolean }> }).__unzipping);
    await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
    await app.openFiles([zip]);
    await expect.poll(async () => (await unzipping()).length, { interval: 20 }).toBeGreaterThan(0);
    // Pressed from the page: a pointer click waits for animation frames, which the unpacking
    // workers slow down on two cores until the press could come after the unpacking.
    await app.page.getByRole('button', { name: 'Close all runs' }).evaluate((button: HTMLButtonElement) => button.click());
    await expect.poll(unzipping, { timeout: 1000 }).toEqual((await unzipping()).map(() => ({ stopped: true, answered: false })));
    // Longer than the whole unpacking takes here (~2 s): no worker went on to send its entries.
    await app.page.waitForTimeout(3000);
    expect(await unzipping(), 'stopped, not finished').toEqual((await unzipping()).map(() => ({ stopped: true, answered: false })));
    expect(await app.runs(), 'nothing opened after Close all').toEqual([]);
    expect(await app.page.getByText(/Unpacking|Opening…/).count(), 'no notice of an unpacking that shows nothing').toBe(0);
    expect((await app.page.getByRole('alert').allTextContents()).join(''), 'nothing went wrong').toBe('');

    await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await expect.poll(runTitles).toEqual(['L4 TFESI AP']);
  });

  it("with two patients' studies open, Close study closes one study's runs and its dose report, and leaves the other", async () => {
    app = await launchOnSamples({ panels: 'open', viewport: { width: 1600, height: 900 } });
    const samples = (await app.runs()).length;
    await app.showRunFromList(/L4 TFESI AP/);
    const doseSources = app.page.getByRole('region', { name: 'Dose and time' }).locator('.dose-sources');
    await expect.poll(() => doseSources.textContent()).toMatch(/^Radiation Dose SR: tfesi-dose-report\.dcm/);
    const list = app.page.getByRole('list', { name: 'Runs', exact: true });
    // The samples are two studies (a TFESI and a medial branch block); the corpus RF frame is a third.
    await expect.poll(() => list.getByRole('button', { name: 'Close study' }).count()).toBe(2);
    const rf = await app.openRun(corpusFile('rf_siemens_1f_464x512_8bit.dcm'));
    await expect.poll(() => list.getByRole('button', { name: 'Close study' }).count()).toBe(3);
    const sampleStudy = list
      .getByRole('listitem')
      .filter({ has: app.page.getByText('Lumbar transforaminal ESI (synthetic) · 20240312', { exact: true }) });
    await app.screenshot('close-runs-two-studies', app.page.getByRole('navigation', { name: 'Run browser' }));
    await sampleStudy.getByRole('button', { name: 'Close study' }).click();

    await expect.poll(async () => (await app!.runs()).map((r) => r.key)).toHaveLength(3);
    expect((await app.runs()).map((r) => r.key)).toContain(rf);
    expect(await app.runButtons().allTextContents()).toEqual([
      expect.stringMatching(/^L3 MBB/),
      expect.stringMatching(/^L3 MBB/),
      expect.stringMatching(/ RF 512×464 /),
    ]);
    await list
      .getByRole('listitem')
      .filter({ has: app.page.getByText(/^Lumbar medial branch block/) })
      .getByRole('button', { name: 'Close study' })
      .click();
    await expect.poll(async () => (await app!.runs()).map((r) => r.key)).toEqual([rf]);
    expect(await list.getByRole('button', { name: 'Close study' }).count(), 'one study: Close all does it').toBe(0);
    await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await expect.poll(() => doseSources.textContent()).toBe('No Radiation Dose SR of this study is open: values from the image headers.');
    expect(samples).toBeGreaterThan(1);
  });

  for (const delayMs of [0, 60, 250]) {
    it(`closing the run being shown ${delayMs} ms after its file is chosen, while it is read and decoded, raises no page error and fails no frame`, async () => {
      app = await launchApp({ samples: false, viewport: { width: 1366, height: 900 } });
      await app.openRun(sampleFile('l3-mbb-ftv.dcm'));
      // A 1024² RLE run of 90 frames: seconds of decoding on this machine.
      await app.openFiles([sampleFile('l5-tfesi-1024-rle.dcm')]);
      const key = await app.runKeyByFile('l5-tfesi-1024-rle.dcm');
      await app.page.waitForTimeout(delayMs);
      await app.closeRunFromList(/L5 TFESI oblique/);
      await expect.poll(async () => (await app!.runs()).map((r) => r.key)).not.toContain(key);
      await expect.poll(() => app!.pane(1).getByTestId('viewport').getAttribute('aria-label')).toBe('Frame 1 of 30');
      // Frames of the closed run still in flight land nowhere: none is cached, none is failed.
      await app.page.waitForTimeout(1500);
      expect(await app.page.evaluate(([k, n]) => window.__fluorolens!.decodedFramesInCache(k, n), [key, 90] as const)).toBe(0);
      expect((await app.runs()).flatMap((r) => r.failed)).toEqual([]);
      expect((await app.page.getByRole('alert').allTextContents()).join('')).toBe('');
    });
  }

  it('side by side, the pane whose run is closed shows a run the other pane does not', async () => {
    app = await launchOnSamples({ viewport: { width: 1600, height: 900 } });
    await app.page.getByRole('button', { name: 'Side by side' }).click();
    await app.pane(2).getByTestId('viewport').waitFor();
    const shown = async () => (await app!.page.evaluate(() => window.__fluorolens!.panes())).map((p) => p.runKey);
    await expect.poll(async () => (await shown()).every(Boolean)).toBe(true);
    const [first, second] = await shown();
    expect(first).not.toBe(second);
    const firstTitle = (await app.runs()).find((r) => r.key === first)!;
    await app.showRunsList();
    const entry = app.page
      .getByRole('list', { name: /^Runs of / })
      .getByRole('listitem')
      .filter({ has: app.page.locator('button[aria-pressed="true"]') });
    await entry.getByRole('button', { name: 'Close run', exact: true }).click();
    await expect.poll(async () => (await app!.runs()).some((r) => r.key === firstTitle.key)).toBe(false);
    const [after, otherAfter] = await shown();
    expect(otherAfter, 'the other pane keeps its run').toBe(second);
    expect(after, 'a run is shown').toBeTruthy();
    expect(after).not.toBe(second);
  });
});
