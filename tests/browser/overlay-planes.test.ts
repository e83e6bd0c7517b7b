/**
 * A file's overlay planes (60xx) on screen and in exports, against DCMTK's dcm2pnm, which draws
 * graphics planes white by default: a copy of the 10-bit corpus XA image with one 300×200 plane
 * (a rectangle and its diagonal) at row 101, column 201. The plane is read off a screenshot at
 * 1:1, where it must equal DCMTK's rendering with overlays; with the Display bar's "DICOM
 * overlays" switch off, DCMTK's without (-O). A PNG export burns it in while the switch is on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFile } from '../support/corpus';
import { withOverlayPlane, type OverlayPlaneSpec } from '../support/overlayPlaneFile';
import { dcmtkRender, type GreyImage } from './dcmtkReference';
import { SCREENSHOT_DIR, launchApp, scratchDir, type App } from './driver';
import { exportVideo, extractFrame, probe, rgbAt } from './exportedFrames';

const PLANE: OverlayPlaneSpec = { rows: 300, columns: 200, origin: { row: 101, column: 201 }, description: 'TEST MARK' };
const SIZE = 1024;

/** Share of the plane's box (and a margin of 8 pixels round it) within ±2 of a rendering; the count of its pixels that differ. */
function compareBox(shown: (column: number, row: number) => number, reference: GreyImage): { within: number; differing: number } {
  let within = 0;
  let count = 0;
  for (let row = PLANE.origin.row - 1 - 8; row < PLANE.origin.row - 1 + PLANE.rows + 8; row++)
    for (let column = PLANE.origin.column - 1 - 8; column < PLANE.origin.column - 1 + PLANE.columns + 8; column++) {
      if (Math.abs(shown(column, row) - reference.grey[row * reference.width + column]) <= 2) within++;
      count++;
    }
  return { within: within / count, differing: count - within };
}

describe('overlay planes (60xx)', () => {
  let app: App;
  let file: string;
  beforeAll(async () => {
    file = join(scratchDir('overlay-plane'), 'overlay-plane.dcm');
    writeFileSync(file, withOverlayPlane(readFileSync(corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm')), PLANE));
    app = await launchApp({ samples: false, viewport: { width: 1500, height: 1250 }, panels: 'default' });
  });
  afterAll(async () => app?.close());

  /** The grey level on screen at the centre of each image pixel, read off a screenshot of the pane's picture. */
  async function shownOnScreen(): Promise<(column: number, row: number) => number> {
    const frame = app.pane(1).getByTestId('viewport').locator('..');
    const box = (await frame.boundingBox())!;
    const pixels = await app.pixelsOf(frame);
    const points = await app.page.evaluate(() => {
      const hooks = window.__fluorolens!;
      return [
        hooks.imagePointOnPage('main', 0.5, 0.5)!,
        hooks.imagePointOnPage('main', 1.5, 0.5)!,
        hooks.imagePointOnPage('main', 0.5, 1.5)!,
      ];
    });
    const [origin, right, down] = points;
    return (column, row) => {
      const x = Math.floor(origin.x + column * (right.x - origin.x) + row * (down.x - origin.x) - box.x);
      const y = Math.floor(origin.y + column * (right.y - origin.y) + row * (down.y - origin.y) - box.y);
      return pixels.rgba[(y * pixels.width + x) * 4];
    };
  }

  it('draws the plane white over the image at 1:1, as DCMTK does, and hides it with its switch', async () => {
    const runKey = await app.openRun(file);
    await app.waitForMark('fluorolens:run-decoded', runKey, 60_000);
    await app.page.getByRole('button', { name: '1:1', exact: true }).click();
    const layer = app.pane(1).getByTestId('overlay-planes');
    await expect.poll(() => layer.locator('image').count()).toBe(1);
    await app.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await app.screenshot('overlay-planes-on', app.pane(1));
    const withOverlays = dcmtkRender(file, 1, { kind: 'min-max' });
    const withoutOverlays = dcmtkRender(file, 1, { kind: 'min-max' }, false);
    const on = compareBox(await shownOnScreen(), withOverlays);
    console.log('overlay plane on screen against DCMTK:', on);
    expect(on.within, `pixels of the plane's box within ±2 of DCMTK with overlays (${on.differing} differ)`).toBeGreaterThanOrEqual(0.999);
    // The plane is really there: without it the box differs from DCMTK's drawing with it.
    expect(compareBox(await shownOnScreen(), withoutOverlays).within).toBeLessThan(0.95);

    const toggle = app.toolbar().getByRole('switch', { name: 'DICOM overlays' });
    expect(await toggle.getAttribute('title')).toContain('TEST MARK');
    await toggle.click();
    await expect.poll(() => layer.count()).toBe(0);
    await app.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const off = compareBox(await shownOnScreen(), withoutOverlays);
    expect(off.within, `switched off: within ±2 of DCMTK without overlays (${off.differing} differ)`).toBeGreaterThanOrEqual(0.999);
    await toggle.click();
    await expect.poll(() => layer.locator('image').count()).toBe(1);
  });

  it('burns the plane into a PNG export while the switch is on, and leaves it out when off', async () => {
    const shares: number[] = [];
    for (const on of [true, false]) {
      const toggle = app.toolbar().getByRole('switch', { name: 'DICOM overlays' });
      if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
      const png = await exportVideo(app, 'PNG', null);
      const p = probe(png.path);
      expect([p.width, p.height]).toEqual([SIZE, SIZE]);
      const rgb = extractFrame(png.path, 0, p.width, p.height, join(SCREENSHOT_DIR, `overlay-planes-png-${on ? 'on' : 'off'}.png`));
      const reference = dcmtkRender(file, 1, { kind: 'min-max' }, on);
      const { within, differing } = compareBox((column, row) => rgbAt(rgb, p.width, column, row)[0], reference);
      expect(within, `PNG with the switch ${on ? 'on' : 'off'}: ${differing} pixels differ from DCMTK`).toBeGreaterThanOrEqual(0.999);
      shares.push(compareBox((column, row) => rgbAt(rgb, p.width, column, row)[0], dcmtkRender(file, 1, { kind: 'min-max' }, !on)).within);
    }
    expect(Math.max(...shares), 'each PNG differs from the other rendering').toBeLessThan(0.95);
  });
});
