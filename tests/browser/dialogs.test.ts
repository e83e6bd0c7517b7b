/**
 * The app's modal dialogs (Export teaching case, Export video) as a keyboard user meets them: the
 * focus goes into the dialog, the app's keys (frames, Play, full screen) do nothing to the pane
 * behind it, also when the focus has left the dialog's controls; Escape closes it, and what was typed
 * into the teaching case (title, learning points) is still there when it is opened again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFile, launchApp, sampleFile, type App } from './driver';

let app: App;

beforeAll(async () => {
  app = await launchApp({ samples: false, viewport: { width: 1280, height: 900 } });
  const runKey = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
  await app.waitForMark('fluorolens:first-render', runKey);
});

afterAll(async () => {
  await app?.close();
});

async function focusInsideDialog(name: string): Promise<boolean> {
  return app.page.evaluate((label) => document.activeElement?.closest('dialog')?.getAttribute('aria-label') === label, name);
}

/** Keys that act on the pane when no dialog is open: →, Space (Play), End, F (full screen). */
async function pressAppKeys(): Promise<void> {
  for (const key of ['ArrowRight', 'Space', 'End', 'f']) await app.page.keyboard.press(key);
  // Long enough for playback to have moved a frame at 15 fps, had Space started it.
  await app.page.waitForTimeout(400);
}

async function blur(): Promise<void> {
  await app.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  expect(await app.page.evaluate(() => document.activeElement === document.body)).toBe(true);
}

async function paneUntouched(): Promise<void> {
  expect(await app.frame()).toBe(1);
  expect(await app.page.getByRole('button', { name: 'Play', exact: true }).count()).toBe(1);
  expect(await app.page.evaluate(() => document.fullscreenElement === null)).toBe(true);
}

describe('a modal dialog holds the keyboard', () => {
  it('Export teaching case: focus inside, the keys stand still behind it, Escape closes it and keeps what was typed', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Export teaching case' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export teaching case' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await focusInsideDialog('Export teaching case')).toBe(true);

    await pressAppKeys();
    await paneUntouched();
    // Focus off the dialog's controls (as after Tab past its last one): key presses then go to the
    // page's body, where the app's keys listen, and still do nothing behind the dialog.
    await blur();
    await pressAppKeys();
    await paneUntouched();
    await expect.poll(() => dialog.isVisible()).toBe(true);

    await dialog.getByLabel('Title').fill('L4 TFESI: tip at 6 o’clock');
    await dialog.getByLabel('Learning points (one per line)').fill('Contrast outlines the root');
    await dialog.getByLabel('Title').press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // Closed, the keys are the app's again.
    await blur();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => app.frame()).toBe(2);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => app.frame()).toBe(1);

    await page.getByRole('button', { name: 'Export teaching case' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByLabel('Title').inputValue()).toBe('L4 TFESI: tip at 6 o’clock');
    expect(await dialog.getByLabel('Learning points (one per line)').inputValue()).toBe('Contrast outlines the root');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('Export video: the keys stand still behind it, Escape closes it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Export video' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await focusInsideDialog('Export video')).toBe(true);
    await blur();
    await pressAppKeys();
    await paneUntouched();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await paneUntouched();
  });
});

describe('on a laptop’s window (1366×768)', () => {
  it('the teaching case’s mask step fits: heading, frame, rectangles and Confirm mask without scrolling the dialog', async () => {
    const laptop = await launchApp({ samples: false, viewport: { width: 1366, height: 768 } });
    // A 512² run whose pixels may hold names (no Burned In Annotation): the mask step comes.
    await laptop.openRun(corpusFile('xa_siemens_96f_jpeg-baseline_ecg-curve.dcm'));
    await laptop.page.getByRole('button', { name: 'Export teaching case' }).click();
    const dialog = laptop.page.getByRole('dialog', { name: 'Export teaching case' });
    await dialog.getByLabel('Title').fill('Coronary run');
    await dialog.getByRole('button', { name: 'Next' }).click();
    const step = dialog.getByRole('region', { name: /Mask burned-in text/ });
    await step.getByLabel('Frame 1 with mask rectangles').waitFor();
    await laptop.screenshot('dialogs-mask-step-1366x768');
    const { scrollHeight, clientHeight } = await dialog.evaluate((d) => ({ scrollHeight: d.scrollHeight, clientHeight: d.clientHeight }));
    expect(scrollHeight, 'the dialog’s content fits it').toBeLessThanOrEqual(clientHeight + 1);
    const inWindow = async (name: string, box: Promise<{ y: number; height: number } | null>) => {
      const b = (await box)!;
      expect(b.y, `${name} top`).toBeGreaterThanOrEqual(0);
      expect(b.y + b.height, `${name} bottom`).toBeLessThanOrEqual(768);
    };
    await inWindow('heading', dialog.getByRole('heading', { name: 'Export teaching case' }).boundingBox());
    await inWindow('Confirm mask', dialog.getByRole('button', { name: 'Confirm mask' }).boundingBox());
    await laptop.close();
  });
});
