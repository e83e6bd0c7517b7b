/**
 * Display layers on the built app: the file's Display Shutter (Shutters switch) on screen and in
 * the Runs list thumbnails, and DSA subtraction (Subtract switch) with manual and automatic pixel
 * shift, on the sample runs. Checked on what is on screen (screenshots read back as gray levels)
 * and what the display bar says.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR, corpusFile, grayLevels, launchApp, sampleFile, sampleTruth, scratchDir, type App } from './driver';
import { annotationFile, square } from './documents';
import { exportVideo, extractFrame, probe, rgbAt } from './exportedFrames';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';

type Gray = ReturnType<typeof grayLevels>;

interface ImageOnCanvas {
  gray: Gray;
  /** Canvas pixel of image point (x, y): the viewport maps the image without rotation here. */
  at(x: number, y: number): number;
}

/** The pane's canvas as gray levels, with a way to read the gray at an image point. */
async function shown(app: App, columns: number, rows: number): Promise<ImageOnCanvas> {
  const canvas = app.viewportCanvas(1);
  const box = (await canvas.boundingBox())!;
  const origin = await app.pagePoint({ x: 0, y: 0 });
  const far = await app.pagePoint({ x: columns, y: rows });
  const gray = grayLevels(await app.pixelsOf(canvas));
  const sx = (far.x - origin.x) / columns;
  const sy = (far.y - origin.y) / rows;
  return {
    gray,
    at(x, y) {
      const cx = Math.floor(origin.x - box.x + x * sx);
      const cy = Math.floor(origin.y - box.y + y * sy);
      return gray.data[cy * gray.width + cx];
    },
  };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function std(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

const switchOf = (app: App, name: string) => app.paneWithTools(1).getByRole('switch', { name, exact: true });

async function openSample(app: App, name: string): Promise<string> {
  return app.openRun(sampleFile(`${name}.dcm`));
}

let app: App | undefined;
afterAll(async () => app?.close());

/** Presses Invert in pane 1 and waits until it shows pressed (or not). */
async function setInvert(app: App, on: boolean): Promise<void> {
  const invert = app.paneWithTools(1).getByRole('button', { name: 'Invert', exact: true });
  if ((await invert.getAttribute('aria-pressed')) !== String(on)) await invert.click();
  await expect.poll(() => invert.getAttribute('aria-pressed')).toBe(String(on));
  await app.page.waitForTimeout(200);
}

async function setSwitch(app: App, name: string, on: boolean): Promise<void> {
  const control = switchOf(app, name);
  if ((await control.getAttribute('aria-checked')) !== String(on)) await control.click();
  await expect.poll(() => control.getAttribute('aria-checked')).toBe(String(on));
  await app.page.waitForTimeout(200);
}

/** Corner text off, so that it does not lie over the pixels a test reads. */
async function hideOverlay(app: App): Promise<void> {
  const overlay = app.paneWithTools(1).getByRole('button', { name: 'Overlay', exact: true });
  if ((await overlay.getAttribute('aria-pressed')) === 'true') await overlay.click();
  await expect.poll(() => overlay.getAttribute('aria-pressed')).toBe('false');
}

const shutterShown = (app: App) => app.page.getByTestId('shutter-layer').first().getAttribute('data-shutter');

describe('Shutters', () => {
  it('paints outside a rectangular shutter, on screen and in the thumbnail, and restores the frame when switched off', async () => {
    // A real RF frame with anatomy to its edges, given a rectangular shutter by DCMTK's dcmodify
    // (columns 101–400, rows 61–420, presentation value 0), in a scratch copy.
    const file = join(scratchDir('shutter'), 'rf-with-shutter.dcm');
    copyFileSync(corpusFile('rf_siemens_1f_464x512_8bit.dcm'), file);
    execFileSync('dcmodify', [
      '-nb',
      ...['(0018,1600)=RECTANGULAR', '(0018,1602)=101', '(0018,1604)=400', '(0018,1606)=61', '(0018,1608)=420', '(0018,1622)=0'].flatMap(
        (a) => ['-i', a],
      ),
      file,
    ]);
    app = await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    await app.openRun(file);
    await hideOverlay(app);
    await expect.poll(() => switchOf(app!, 'Shutters').getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => shutterShown(app!)).toBe('rectangular shutter');
    const outside = [
      [40, 232],
      [460, 232],
      [256, 30],
      [256, 440],
      [60, 40],
    ];
    const inside = [
      [256, 232],
      [150, 150],
      [350, 380],
      [120, 400],
    ];
    const on = await shown(app, 512, 464);
    await app.screenshot('display-shutter-rf-on', app.paneWithTools(1).getByTestId('viewport'));
    await setSwitch(app, 'Shutters', false);
    await expect.poll(() => shutterShown(app!)).toBe('none');
    const off = await shown(app, 512, 464);
    await app.screenshot('display-shutter-rf-off', app.paneWithTools(1).getByTestId('viewport'));
    for (const [x, y] of outside) expect(on.at(x, y), `outside (${x}, ${y}) with Shutters on`).toBeLessThanOrEqual(2);
    expect(mean(outside.map(([x, y]) => off.at(x, y))), 'the frame is back outside the shutter').toBeGreaterThan(30);
    for (const [x, y] of inside) expect(Math.abs(on.at(x, y) - off.at(x, y)), `inside (${x}, ${y})`).toBeLessThanOrEqual(2);
    // The edges are where the file says: column 101 is shown, column 100 is not (0-based 100 and 99).
    expect(on.at(100.5, 232)).toBeGreaterThan(5);
    expect(on.at(98.5, 232)).toBeLessThanOrEqual(2);

    // The Runs list thumbnail follows the switch.
    const thumbnail = app.page.getByRole('list', { name: 'Runs' }).locator('canvas.thumbnail').first();
    const thumbAt = async (x: number, y: number) => {
      const g = grayLevels(await app!.pixelsOf(thumbnail));
      // Fitted into a square: the 512-wide image fills the width, 464 rows are centred.
      const scale = g.width / 512;
      return g.data[Math.floor(g.height / 2 + (y - 232) * scale) * g.width + Math.floor(x * scale)];
    };
    await expect.poll(() => thumbAt(40, 232)).toBeGreaterThan(30);
    await setSwitch(app, 'Shutters', true);
    await expect.poll(() => thumbAt(40, 232)).toBeLessThanOrEqual(2);
    expect(await thumbAt(256, 232)).toBeGreaterThan(5);
  });

  it('draws the sample runs’ rectangular and octagonal shutters where the files say, as a display value that inversion leaves black', async () => {
    app ??= await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const cases = [
      {
        name: 'l5-lateral-rect-256',
        size: [256, 256],
        description: 'rectangular shutter',
        // Columns 37–220, rows 27–230 (1-based).
        outside: [
          [18, 128],
          [240, 128],
          [128, 12],
          [128, 245],
          [35.5, 128],
        ],
        inside: [
          [60, 60],
          [128, 128],
          [200, 200],
          [36.5, 128],
        ],
      },
      {
        name: 's1-dsa-lin-512',
        size: [512, 512],
        description: 'polygonal shutter',
        // Octagon through (row, column) 347,475 · 475,347 · 475,167 · 347,39 · 167,39 · 39,167 · 39,347 · 167,475.
        outside: [
          [90, 90],
          [420, 90],
          [90, 420],
          [420, 420],
          [20, 256],
          [495, 256],
        ],
        inside: [
          [256, 256],
          [100, 256],
          [256, 100],
          [400, 300],
        ],
      },
    ];
    for (const c of cases) {
      await app.openRun(sampleFile(`${c.name}.dcm`));
      await hideOverlay(app);
      await setSwitch(app, 'Shutters', true);
      await expect.poll(() => shutterShown(app!)).toBe(c.description);
      // Inverted, the black outside the collimation turns white; the shutter stays its P-value.
      await setInvert(app, true);
      const on = await shown(app, c.size[0], c.size[1]);
      await app.screenshot(`display-shutter-${c.name}-inverted`, app.paneWithTools(1).getByTestId('viewport'));
      await setSwitch(app, 'Shutters', false);
      const off = await shown(app, c.size[0], c.size[1]);
      for (const [x, y] of c.outside) {
        expect(on.at(x, y), `${c.name} outside (${x}, ${y}), Shutters on`).toBeLessThanOrEqual(2);
        expect(off.at(x, y), `${c.name} outside (${x}, ${y}), Shutters off`).toBeGreaterThan(200);
      }
      for (const [x, y] of c.inside) expect(Math.abs(on.at(x, y) - off.at(x, y)), `${c.name} inside (${x}, ${y})`).toBeLessThanOrEqual(2);
      await setInvert(app, false);
      await setSwitch(app, 'Shutters', true);
    }
  });
});

/** The smallest box holding every gray level that passes `test` (canvas pixels). */
function boundsWhere(gray: Gray, test: (level: number) => boolean): { x: number; y: number; width: number; height: number } {
  let [x0, y0, x1, y1] = [gray.width, gray.height, -1, -1];
  for (let y = 0; y < gray.height; y++) {
    for (let x = 0; x < gray.width; x++) {
      if (!test(gray.data[y * gray.width + x])) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

describe('Pixel Aspect Ratio', { timeout: 120_000 }, () => {
  it('draws pixels in the shape the file gives them: on screen, under a click, in the thumbnail, in an exported PNG and in the mask step', async () => {
    // 128 rows × 256 columns of pixels twice as tall as wide (Pixel Aspect Ratio 2\1, no pixel
    // spacing): a picture as tall as it is wide, holding an ellipse of 160 × 80 pixels that is a
    // circle to the eye. Grey 40 around it, 220 inside, window 0–256.
    const [rows, columns, frames] = [128, 256, 2];
    const pixels = new Uint8Array(rows * columns * frames).fill(40);
    for (let f = 0; f < frames; f++) {
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < columns; x++) {
          if (((x + 0.5 - 128) / 80) ** 2 + ((y + 0.5 - 64) / 40) ** 2 <= 1) pixels[(f * rows + y) * columns + x] = 220;
        }
      }
    }
    const file = join(scratchDir('aspect'), 'tall-pixels.dcm');
    const extra = [el(0x00280034, 'IS', '2\\1'), el(0x00281050, 'DS', '128'), el(0x00281051, 'DS', '256')];
    writeFileSync(
      file,
      buildDicom({ elements: imageElements({ rows, columns, frames, extra }), pixelData: { kind: 'native', bytes: pixels } }),
    );
    const aspectApp = await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    try {
      const runKey = await aspectApp.openRun(file);
      await hideOverlay(aspectApp);
      const canvas = aspectApp.viewportCanvas(1);
      const gray = grayLevels(await aspectApp.pixelsOf(canvas));
      await aspectApp.screenshot('display-pixel-aspect-ratio', aspectApp.paneWithTools(1).getByTestId('viewport'));
      const picture = boundsWhere(gray, (v) => v >= 20);
      const disc = boundsWhere(gray, (v) => v >= 128);
      expect(picture.height, 'the picture fills the pane’s height').toBeGreaterThan(300);
      expect(picture.width / picture.height, `the picture, ${picture.width}×${picture.height}, is square`).toBeCloseTo(1, 1);
      expect(Math.abs(disc.width / disc.height - 1), `the disc, ${disc.width}×${disc.height}, is round`).toBeLessThan(0.03);
      expect(disc.width / picture.width).toBeCloseTo(160 / 256, 1);

      // A click on the disc's centre, as seen, marks its centre in image pixels (128, 64).
      const box = (await canvas.boundingBox())!;
      await aspectApp.chooseTool('Needle tip');
      await aspectApp.page.mouse.click(
        box.x + ((disc.x + disc.width / 2) * box.width) / gray.width,
        box.y + ((disc.y + disc.height / 2) * box.height) / gray.height,
      );
      await expect.poll(async () => (await aspectApp.savedDoc(runKey)).tracks.length).toBe(1);
      const tip = (await aspectApp.savedDoc(runKey)).tracks[0].keyframes[0].geometry.tip as { x: number; y: number };
      expect(Math.abs(tip.x - 128), `tip x ${tip.x}`).toBeLessThan(1.5);
      expect(Math.abs(tip.y - 64), `tip y ${tip.y}`).toBeLessThan(1.5);

      // The calibration says where the shape comes from.
      await expect.poll(() => aspectApp.page.getByText(/Pixel Aspect Ratio 2:1 \(pixels drawn taller than wide\)/).count()).toBe(1);

      // The Runs list thumbnail: a square picture with a round disc.
      const thumbnail = aspectApp.page.getByRole('list', { name: 'Runs' }).locator('canvas.thumbnail').first();
      await expect
        .poll(async () => boundsWhere(grayLevels(await aspectApp.pixelsOf(thumbnail)), (v) => v >= 128).width)
        .toBeGreaterThan(10);
      const thumb = grayLevels(await aspectApp.pixelsOf(thumbnail));
      const thumbPicture = boundsWhere(thumb, (v) => v >= 20);
      const thumbDisc = boundsWhere(thumb, (v) => v >= 128);
      expect(
        Math.abs(thumbPicture.width - thumbPicture.height),
        `thumbnail picture ${thumbPicture.width}×${thumbPicture.height}`,
      ).toBeLessThanOrEqual(1);
      expect(Math.abs(thumbDisc.width - thumbDisc.height), `thumbnail disc ${thumbDisc.width}×${thumbDisc.height}`).toBeLessThanOrEqual(1);

      // An exported PNG: 256 × 256, the disc round (160 output pixels across both ways).
      const png = await exportVideo(aspectApp, 'PNG', null);
      const p = probe(png.path);
      expect([p.width, p.height]).toEqual([256, 256]);
      const rgb = extractFrame(png.path, 0, p.width, p.height, join(SCREENSHOT_DIR, 'display-pixel-aspect-ratio-png.png'));
      // Across and down through the disc, 3 px off its centre (clear of the mark and the corner text):
      // the grey disc's extent is 2·√(80² − 3²) ≈ 160 output pixels both ways.
      const discGrey = (x: number, y: number) => {
        const [r, g, b] = rgbAt(rgb, p.width, x, y);
        return r >= 128 && Math.abs(r - b) < 20 && Math.abs(r - g) < 20;
      };
      const across = Array.from({ length: p.width }, (_, x) => x).filter((x) => discGrey(x, 131));
      const down = Array.from({ length: p.height }, (_, y) => y).filter((y) => discGrey(131, y));
      const exportedWidth = across.at(-1)! - across[0] + 1;
      const exportedHeight = down.at(-1)! - down[0] + 1;
      expect(Math.abs(exportedWidth - 160), `exported disc width ${exportedWidth}`).toBeLessThanOrEqual(2);
      expect(Math.abs(exportedHeight - 160), `exported disc height ${exportedHeight}`).toBeLessThanOrEqual(2);

      // The teaching case's mask step shows the frame in the same shape (no Burned In Annotation: it comes).
      await aspectApp.page.getByRole('button', { name: 'Export teaching case' }).click();
      const dialog = aspectApp.page.getByRole('dialog', { name: 'Export teaching case' });
      await dialog.getByLabel('Title').fill('Tall pixels');
      await dialog.getByRole('button', { name: 'Next' }).click();
      const maskCanvas = dialog.getByRole('region', { name: /Mask burned-in text/ }).getByLabel('Frame 1 with mask rectangles');
      await maskCanvas.waitFor();
      const maskBox = (await maskCanvas.boundingBox())!;
      expect(Math.abs(maskBox.width / maskBox.height - 1), `mask step frame ${maskBox.width}×${maskBox.height}`).toBeLessThan(0.02);
      expect(aspectApp.pageErrors).toEqual([]);
    } finally {
      await aspectApp.close();
    }
  });
});

// Frames are derived and screenshots read on a shared 2-core machine: these take their time.
describe('Subtract', { timeout: 240_000 }, () => {
  const truth = sampleTruth('s1-dsa-lin-512').dsa as {
    motion: Array<{ frame: number; dx: number; dy: number }>;
    blush: { box: { x0: number; y0: number; x1: number; y1: number }; cloud: { x: number; y: number; sigmaPx: number } };
  };
  const box = truth.blush.box;

  /**
   * The blush cloud against its surroundings: |mean of a disc at the cloud's centre − median of
   * the rest of the blush box and a 24-px ring around it| / robust spread (1.4826 · MAD) of that
   * rest, in gray levels. Robust, so the needle and thin edges in the ring do not decide.
   */
  function blushContrast(image: ImageOnCanvas): { difference: number; spread: number; cnr: number; ringStd: number } {
    const { x: cx, y: cy, sigmaPx } = truth.blush.cloud;
    const disc: number[] = [];
    const rest: number[] = [];
    for (let y = box.y0 - 24; y <= box.y1 + 24; y += 2) {
      for (let x = box.x0 - 24; x <= box.x1 + 24; x += 2) {
        const r = Math.hypot(x - cx, y - cy);
        if (r <= 0.6 * sigmaPx) disc.push(image.at(x, y));
        else if (r >= 3 * sigmaPx) rest.push(image.at(x, y));
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const m = median(rest);
    const spread = 1.4826 * median(rest.map((v) => Math.abs(v - m)));
    const difference = Math.abs(mean(disc) - m);
    return { difference, spread, cnr: difference / Math.max(spread, 1), ringStd: std(rest) };
  }

  async function maskShift(): Promise<{ dx: number; dy: number }> {
    const text = (await app!.paneWithTools(1).getByLabel('Mask shift').textContent()) ?? '';
    const match = /x ([+−-][\d.]+) px, y ([+−-][\d.]+) px/.exec(text);
    expect(match, `shift text "${text}"`).toBeTruthy();
    const value = (s: string) => Number(s.replace('−', '-'));
    return { dx: value(match![1]), dy: value(match![2]) };
  }

  const autoShiftText = async () =>
    (await app!.paneWithTools(1).getByRole('status', { name: 'Automatic shift' }).count()) > 0
      ? await app!.paneWithTools(1).getByRole('status', { name: 'Automatic shift' }).textContent()
      : '';

  it('reveals the faint blush that the raw frame hides, in log space, with the file’s mask', async () => {
    app ??= await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const key = await openSample(app, 's1-dsa-lin-512');
    await app.waitForMark('fluorolens:run-decoded', key, 90_000);
    await setInvert(app, false);
    await setSwitch(app, 'Shutters', true);
    await setSwitch(app, 'Subtract', false);
    const peak = 12;
    await app.goToFrame(peak);
    const raw = blushContrast(await shown(app, 512, 512));
    await setSwitch(app, 'Subtract', true);
    await app.paneWithTools(1).getByText('log subtraction (LIN)', { exact: true }).waitFor();
    await expect.poll(() => app!.paneWithTools(1).getByLabel('Subtraction mask').textContent()).toContain('AVG_SUB, mask frames 1–4');
    // Shown through the subtraction's own image ids, at the same frame, annotations following.
    await expect.poll(() => app!.page.evaluate(() => window.__fluorolens!.annotationsShown('main')?.frame)).toBe(peak);
    await app.page.waitForTimeout(300);
    const subtracted = blushContrast(await shown(app, 512, 512));
    await app.screenshot('display-subtracted-frame-12-no-shift', app.paneWithTools(1).getByTestId('viewport'));
    // A frame of the mask phase subtracts to nothing: the blush is what subtraction reveals.
    await app.goToFrame(3);
    await app.page.waitForTimeout(300);
    const maskPhase = blushContrast(await shown(app, 512, 512));
    console.log('blush contrast raw / subtracted / mask phase', raw, subtracted, maskPhase);
    expect(subtracted.cnr).toBeGreaterThan(2 * raw.cnr);
    expect(subtracted.cnr).toBeGreaterThan(3);
    expect(subtracted.difference).toBeGreaterThan(3 * maskPhase.difference + 10);
    // Off restores the raw frame.
    await setSwitch(app, 'Subtract', false);
    await app.goToFrame(peak);
    await app.page.waitForTimeout(300);
    const back = blushContrast(await shown(app, 512, 512));
    expect(Math.abs(back.difference - raw.difference)).toBeLessThan(2);
  });

  it('starts the mask fields at the file’s mask; Use mask subtracts the frames typed, File’s mask goes back', async () => {
    app ??= await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const key = await openSample(app, 's1-dsa-lin-512');
    await app.waitForMark('fluorolens:run-decoded', key, 90_000);
    await setInvert(app, false);
    await setSwitch(app, 'Shutters', true);
    const peak = 12;
    await app.goToFrame(peak);
    await setSwitch(app, 'Subtract', true);
    const bar = app.paneWithTools(1);
    const maskLabel = () => bar.getByLabel('Subtraction mask').textContent();
    await expect.poll(maskLabel).toContain('AVG_SUB, mask frames 1–4');
    const [first, last] = [bar.getByLabel('Mask first frame'), bar.getByLabel('Mask last frame')];
    expect([await first.inputValue(), await last.inputValue()]).toEqual(['1', '4']);
    const picture = async () => blushContrast(await shown(app!, 512, 512));

    // The frame on screen as its own mask: what is shown is the frame minus itself, a flat field
    // whatever the window (the file's mask leaves anatomy noise and the blush).
    await first.fill(String(peak));
    await last.fill(String(peak));
    await bar.getByRole('button', { name: 'Use mask' }).click();
    await expect.poll(maskLabel).toContain(`mask frame ${peak} (chosen)`);
    await expect.poll(async () => (await picture()).ringStd, { timeout: 10_000 }).toBeLessThan(1);
    expect((await picture()).difference).toBeLessThan(1);

    await bar.getByRole('button', { name: 'File’s mask' }).click();
    await expect.poll(maskLabel).toContain('AVG_SUB, mask frames 1–4');
    expect([await first.inputValue(), await last.inputValue()]).toEqual(['1', '4']);
    await expect.poll(async () => (await picture()).ringStd, { timeout: 10_000 }).toBeGreaterThan(3);
    await setSwitch(app, 'Subtract', false);
  });

  it('shows a run with the same subtraction window wherever Subtract is switched on, and keeps it for a chosen mask', async () => {
    app ??= await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const runs = await app.runs();
    if (!runs.some((r) => r.files.some((f) => f.endsWith('s1-dsa-lin-512.dcm')))) await openSample(app, 's1-dsa-lin-512');
    await setSwitch(app, 'Subtract', false);
    const bar = app.paneWithTools(1);
    const voi = () => app!.page.evaluate(() => window.__fluorolens!.viewportVoi('main'));
    const subtractedVoiAt = async (frame: number) => {
      await app!.goToFrame(frame);
      await setSwitch(app!, 'Subtract', true);
      await expect.poll(() => bar.getByLabel('Subtraction mask').textContent()).toContain('AVG_SUB, mask frames 1–4');
      await expect.poll(async () => (await voi())?.upper ?? 1000).toBeLessThan(100);
      const range = (await voi())!;
      await setSwitch(app!, 'Subtract', false);
      // A switched-off subtraction's frames and masks leave the cache 2 s later: the next starts afresh.
      await app!.page.waitForTimeout(2500);
      return range;
    };
    // Frame 3 is in the mask phase (it subtracts to noise alone); frame 12 is the blush's peak.
    const atMask = await subtractedVoiAt(3);
    const atPeak = await subtractedVoiAt(12);
    console.log('subtraction window switched on at frame 3 / 12', atMask, atPeak);
    expect(atMask.lower).toBeCloseTo(atPeak.lower, 6);
    expect(atMask.upper).toBeCloseTo(atPeak.upper, 6);

    await setSwitch(app, 'Subtract', true);
    await bar.getByLabel('Mask first frame').fill('6');
    await bar.getByLabel('Mask last frame').fill('6');
    await bar.getByRole('button', { name: 'Use mask' }).click();
    await expect.poll(() => bar.getByLabel('Subtraction mask').textContent()).toContain('mask frame 6 (chosen)');
    await app.page.waitForTimeout(300);
    expect(await voi()).toEqual(atPeak);
    // The readout gives the window on the differences' own scale (no DICOM integer offsets: they
    // made ±0.28 read "W 1.57 L 0.5"), and the file's presets, windows on raw values, stand aside.
    const width = Number((atPeak.upper - atPeak.lower).toFixed(2));
    const level = Number(((atPeak.upper + atPeak.lower) / 2).toFixed(2));
    expect(await bar.getByLabel('Window/level readout').textContent()).toBe(`W ${width} L ${level}`);
    const presets = bar.getByRole('combobox', { name: 'Window preset' });
    expect(await presets.isDisabled()).toBe(true);
    expect(await presets.locator('option:checked').textContent()).toBe('DSA window');
    await setSwitch(app, 'Subtract', false);
    await expect.poll(() => presets.isDisabled()).toBe(false);
  });

  it('moves the mask in 0.1 px steps with Shift+arrows and recovers the known motion with Auto shift', async () => {
    app ??= await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const runs = await app.runs();
    if (!runs.some((r) => r.files.some((f) => f.endsWith('s1-dsa-lin-512.dcm')))) await openSample(app, 's1-dsa-lin-512');
    await setInvert(app, false);
    const pictureHeight = async () => (await app!.viewportCanvas(1).boundingBox())!.height;
    await setSwitch(app, 'Subtract', false);
    const heightBefore = await pictureHeight();
    await setSwitch(app, 'Subtract', true);
    // The subtraction's controls are on the pane's timeline (fixed height): the picture keeps its size.
    expect(await pictureHeight(), 'picture height with Subtract on').toBe(heightBefore);
    await expect.poll(maskShift).toEqual({ dx: 0, dy: 0 });
    await app.goToFrame(17);
    expect(await maskShift()).toEqual({ dx: 0, dy: 0 });
    await app.page.waitForTimeout(300);
    const unshifted = blushContrast(await shown(app, 512, 512));

    await app.page
      .getByTestId('viewport')
      .first()
      .click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 3; i++) await app.page.keyboard.press('Shift+ArrowRight');
    await app.page.keyboard.press('Shift+ArrowUp');
    await expect.poll(maskShift).toEqual({ dx: 0.3, dy: -0.1 });

    for (const frame of [17, 10]) {
      await app.goToFrame(frame);
      await app.paneWithTools(1).getByRole('button', { name: 'Auto shift' }).click();
      await expect.poll(() => autoShiftText()).toContain(`frame ${frame}:`);
      // The result stays on the subtraction's row: the picture keeps its size.
      expect(await pictureHeight()).toBe(heightBefore);
      const expected = truth.motion.find((m) => m.frame === frame)!;
      const found = await maskShift();
      console.log(`auto shift frame ${frame}: found`, found, 'truth', expected);
      expect(Math.abs(found.dx - expected.dx), `dx at frame ${frame}`).toBeLessThanOrEqual(0.25);
      expect(Math.abs(found.dy - expected.dy), `dy at frame ${frame}`).toBeLessThanOrEqual(0.25);
    }
    await app.goToFrame(17);
    await app.paneWithTools(1).getByRole('button', { name: 'Auto shift' }).click();
    await expect.poll(() => autoShiftText()).toContain('frame 17:');
    await app.page.waitForTimeout(300);
    const registered = blushContrast(await shown(app, 512, 512));
    await app.screenshot('display-subtracted-frame-17-auto-shift', app.paneWithTools(1).getByTestId('viewport'));
    await app.paneWithTools(1).getByRole('button', { name: 'Reset shift' }).click();
    await expect.poll(maskShift).toEqual({ dx: 0, dy: 0 });
    await app.page.waitForTimeout(300);
    await app.screenshot('display-subtracted-frame-17-no-shift', app.paneWithTools(1).getByTestId('viewport'));
    // Misregistration draws the anatomy's edges; the right shift removes them (the ring gets flatter).
    console.log('frame 17 ring spread unshifted / registered', unshifted.ringStd, registered.ringStd);
    expect(registered.ringStd).toBeLessThan(unshifted.ringStd);
  });
});

describe('Views', { timeout: 240_000 }, () => {
  const region = () => app!.page.getByRole('region', { name: 'Views' });
  const itemNames = async () =>
    region()
      .getByRole('list', { name: 'View checklist' })
      .getByRole('listitem')
      .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
  const badge = () => region().getByRole('status', { name: 'Two views badge' }).textContent();

  it('fills the procedure’s checklist from the open runs’ angles, and earns the two-views badge as runs get needle and contrast tracks', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const ap = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    await region().waitFor();
    await expect.poll(() => region().textContent()).toContain('Choose the procedure');
    expect(await badge()).toBe('two views: needle + contrast: not yet');

    const form = app.page.getByRole('complementary', { name: 'Measurements and case record' });
    await form.getByRole('combobox', { name: 'Procedure' }).selectOption('transforaminalEsi');
    await form.getByRole('combobox', { name: 'Side' }).selectOption({ label: 'Right' });
    await expect.poll(itemNames).toEqual(['AP: done', 'ipsilateral oblique: missing', 'lateral: missing']);
    await expect.poll(() => region().textContent()).toContain('L4 TFESI AP');

    // A lateral run joins the case: the lateral view is there, from its angles (primary 90°).
    const lateral = await app.openRun(sampleFile('l4-lat-be8.dcm'));
    await expect.poll(itemNames).toEqual(['AP: done', 'ipsilateral oblique: missing', 'lateral: done']);
    await app.screenshot('display-views-checklist', region());

    // Needle tip and contrast spread on the lateral run only: one view is not enough.
    const lateralTruth = sampleTruth('l4-lat-be8');
    const tracks = (truth: typeof lateralTruth) => [
      {
        kind: 'needleTip' as const,
        keyframes: [{ frame: 2, geometry: { tip: { x: truth.needleTip[1].x + 0.5, y: truth.needleTip[1].y + 0.5 } } }],
      },
      { kind: 'contrastSpread' as const, keyframes: [{ frame: 3, geometry: { contour: square(truth.target.x, truth.target.y, 8) } }] },
    ];
    await app.startFrom(lateral, annotationFile(lateralTruth, tracks(lateralTruth)));
    await expect.poll(() => region().textContent()).toContain('shown in one view only');
    expect(await badge()).toBe('two views: needle + contrast: not yet');

    // The same on the AP run: two views, each with needle and contrast.
    // Shown again: wait for its new first frame (the lateral run's marks already satisfy a weaker check,
    // and the import would then land on the lateral run).
    const apShowings = () =>
      app!.page.evaluate(
        (key) => performance.getEntriesByName('fluorolens:first-frame').filter((m) => (m as PerformanceMark).detail?.run === key).length,
        ap,
      );
    const shownBefore = await apShowings();
    await app.showRunFromList(/L4 TFESI AP/);
    await expect.poll(apShowings).toBeGreaterThan(shownBefore);
    await expect.poll(() => app!.page.evaluate(() => window.__fluorolens!.annotationsShown('main') !== null)).toBe(true);
    const apTruth = sampleTruth('l4-tfesi-ap-512');
    await app.startFrom(ap, annotationFile(apTruth, tracks(apTruth), { procedure: 'transforaminalEsi', side: 'right' }));
    await expect.poll(badge).toBe('two views: needle + contrast');
    await app.screenshot('display-views-badge', region());
  });
});
