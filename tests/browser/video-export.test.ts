/**
 * Export video through the UI in real Chromium, checked with tools nobody here wrote: the needle
 * tip is placed with the Needle tip tool on two frames of a sample run, an in/out range is set
 * with the playback controls, and the file the dialog downloads is read by Debian's ffprobe
 * (frame count, duration, size) and ffmpeg (a keyframe's picture, where the pixels under the
 * crosshair must have the mark's colour). Cancel must stop the export: no download, no page
 * error, and the dialog and the viewer still work.
 */
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcmtkRender, type GreyImage } from './dcmtkReference';
import { truthTip } from './documents';
import { SCREENSHOT_DIR, launchApp, sampleFile, sampleTruth, scratchDir, type App, type Point } from './driver';
import { NEEDLE_TIP_RGB, colourDistance, crosshairColours, exportVideo, extractFrame, probe, rgbAt } from './exportedFrames';
import { withAttribute } from '../support/attributeCopy';
import { withVoiLuts } from '../support/voiLutFile';

const RUN = 'l4-tfesi-ap-512';
const truth = sampleTruth(RUN);
const tipAt = (frame: number): Point => truthTip(truth, frame);
const KEYFRAMES = [1, 31];
const RANGE = { inFrame: 11, outFrame: 50 };
/** One frame of the run (15 fps). */
const FRAME_S = (truth.frameStartMs[1] - truth.frameStartMs[0]) / 1000;

/** The run's range length as the player times it (frameStartMs; the last frame lasts one frame time). */
function rangeSeconds(inFrame: number, outFrame: number): number {
  const starts = truth.frameStartMs;
  const end = outFrame < truth.frames ? starts[outFrame] : starts[truth.frames - 1] + (starts[1] - starts[0]);
  return (end - starts[inFrame - 1]) / 1000;
}

/** Moves with the Frame slider and waits until the annotation layer shows that frame (hooks may not poll with expect). */
// Used in beforeAll, where expect.poll is not allowed: waits with waitForFunction instead.
async function showFrame(app: App, frame: number): Promise<void> {
  await app.frameSlider().fill(String(frame));
  await app.page.waitForFunction((f) => window.__fluorolens!.annotationsShown('main')?.frame === f, frame);
  // Drawn, not only chosen: a press belongs to the frame whose pixels are on screen.
  await app.page.waitForFunction((f) => window.__fluorolens!.frameDrawn('main') === f, frame);
}

/** Clicks the needle tip onto an image point and waits until the document has that keyframe. */
async function placeNeedleTip(app: App, runKey: string, frame: number, p: Point): Promise<void> {
  await app.clickImage(p);
  // Cornerstone waits out its double-click window before it reports a click.
  await app.page.waitForFunction(
    ([key, f]) => {
      const doc = JSON.parse(window.__fluorolens!.annotations(key) ?? '{"tracks":[]}') as {
        tracks: Array<{ kind: string; keyframes: Array<{ frame: number }> }>;
      };
      return doc.tracks.find((t) => t.kind === 'needleTip')?.keyframes.some((k) => k.frame === f) ?? false;
    },
    [runKey, frame] as const,
    { timeout: 5000 },
  );
}

describe('Export video of an annotated sample run', () => {
  let app: App;
  let runKey: string;

  beforeAll(async () => {
    // A tall window: a CSS pixel lies under an image pixel, so clicks land within half a pixel.
    app = await launchApp({ samples: false, viewport: { width: 1600, height: 1400 } });
    runKey = await app.openRun(sampleFile(`${RUN}.dcm`));
    await app.paneWithTools().getByRole('button', { name: 'Needle tip', exact: true }).click();
    for (const frame of KEYFRAMES) {
      await showFrame(app, frame);
      await placeNeedleTip(app, runKey, frame, tipAt(frame));
    }
    await showFrame(app, RANGE.inFrame);
    await app.pane().getByRole('button', { name: 'Set in point' }).click();
    await showFrame(app, RANGE.outFrame);
    await app.pane().getByRole('button', { name: 'Set out point' }).click();
    await app.pane().getByText(`In ${RANGE.inFrame} · Out ${RANGE.outFrame}`, { exact: true }).waitFor();
  });
  afterAll(async () => app?.close());

  it('MP4 of the in/out range: H.264 with the range’s frames, duration and size, the needle tip burned in', async () => {
    const file = await exportVideo(app, 'MP4', 'range');
    expect(file.name).toBe(`${RUN}_frames-${RANGE.inFrame}-${RANGE.outFrame}.mp4`);
    expect(file.status).toContain(`${RANGE.outFrame - RANGE.inFrame + 1} frames, ${truth.columns}×${truth.rows}, H.264`);
    const p = probe(file.path);
    expect(p.codec).toBe('h264');
    expect([p.width, p.height]).toEqual([truth.columns, truth.rows]);
    expect(Math.abs(p.frames - (RANGE.outFrame - RANGE.inFrame + 1))).toBeLessThanOrEqual(1);
    expect(Math.abs(p.durationS - rangeSeconds(RANGE.inFrame, RANGE.outFrame))).toBeLessThan(FRAME_S);
    // Keyframe 31 is the 21st frame of the range, shown at its own time from the range's start.
    const index = 31 - RANGE.inFrame;
    expect(Math.abs(p.ptsS[index] - (truth.frameStartMs[30] - truth.frameStartMs[RANGE.inFrame - 1]) / 1000)).toBeLessThan(FRAME_S / 2);
    const rgb = extractFrame(file.path, index, p.width, p.height, join(SCREENSHOT_DIR, 'video-export-mp4-frame31.png'));
    for (const colour of crosshairColours(rgb, p.width, tipAt(31))) {
      expect(colourDistance(colour, NEEDLE_TIP_RGB), `crosshair pixel ${colour} against #ffd400`).toBeLessThan(80);
    }
    // Away from the mark the run stays grey: the colour comes from the mark, not a tint.
    const away = rgbAt(rgb, p.width, tipAt(31).x + 40, tipAt(31).y + 40);
    expect(Math.max(...away) - Math.min(...away)).toBeLessThan(24);
  });

  it('WebM of the whole run: VP9 with every frame, the run’s duration and size, the needle tip burned in', async () => {
    const file = await exportVideo(app, 'WebM', 'run');
    expect(file.name).toBe(`${RUN}.webm`);
    const p = probe(file.path);
    expect(p.codec).toBe('vp9');
    expect([p.width, p.height]).toEqual([truth.columns, truth.rows]);
    expect(Math.abs(p.frames - truth.frames)).toBeLessThanOrEqual(1);
    expect(Math.abs(p.durationS - rangeSeconds(1, truth.frames))).toBeLessThan(FRAME_S);
    const rgb = extractFrame(file.path, 0, p.width, p.height, join(SCREENSHOT_DIR, 'video-export-webm-frame1.png'));
    for (const colour of crosshairColours(rgb, p.width, tipAt(1))) {
      expect(colourDistance(colour, NEEDLE_TIP_RGB), `crosshair pixel ${colour} against #ffd400`).toBeLessThan(80);
    }
  });
  it('GIF of the in/out range: every frame of the range at the run’s size, the needle tip’s colour on a keyframe', async () => {
    const file = await exportVideo(app, 'GIF', 'range');
    expect(file.name).toBe(`${RUN}_frames-${RANGE.inFrame}-${RANGE.outFrame}.gif`);
    const p = probe(file.path);
    expect(p.codec).toBe('gif');
    // 512² fits a slide as it is (GIF_MAX_SIDE), so the GIF keeps the run's size.
    expect([p.width, p.height]).toEqual([truth.columns, truth.rows]);
    expect(Math.abs(p.frames - (RANGE.outFrame - RANGE.inFrame + 1))).toBeLessThanOrEqual(1);
    // GIF delays are whole centiseconds: the length is the range's within one frame.
    expect(Math.abs(p.durationS - rangeSeconds(RANGE.inFrame, RANGE.outFrame))).toBeLessThan(FRAME_S);
    const rgb = extractFrame(file.path, 31 - RANGE.inFrame, p.width, p.height, join(SCREENSHOT_DIR, 'video-export-gif-frame31.png'));
    for (const colour of crosshairColours(rgb, p.width, tipAt(31))) {
      expect(colourDistance(colour, NEEDLE_TIP_RGB), `crosshair pixel ${colour} against #ffd400`).toBeLessThan(60);
    }
    const away = rgbAt(rgb, p.width, tipAt(31).x + 40, tipAt(31).y + 40);
    expect(Math.max(...away) - Math.min(...away)).toBeLessThan(24);
  });

  it('PNG of the frame on screen: the run’s size, the needle tip in its own colour', async () => {
    await app.goToFrame(31);
    const file = await exportVideo(app, 'PNG', null);
    expect(file.name).toBe(`${RUN}_frame-31.png`);
    const p = probe(file.path);
    expect(p.codec).toBe('png');
    expect([p.width, p.height]).toEqual([truth.columns, truth.rows]);
    const rgb = extractFrame(file.path, 0, p.width, p.height, join(SCREENSHOT_DIR, 'video-export-png-frame31.png'));
    // Lossless: the crosshair's core has the mark's colour, up to the anti-aliasing of a line drawn
    // at the screen's scale (the larger panes draw it at a fraction of a run pixel).
    for (const colour of crosshairColours(rgb, p.width, tipAt(31))) {
      expect(colourDistance(colour, NEEDLE_TIP_RGB), `crosshair pixel ${colour} against #ffd400`).toBeLessThan(24);
    }
    // The patient's directions at the edges (Patient Orientation L\F) are burned in as on screen:
    // overlay-white letters at the left and right midpoints, where the image is dark.
    const brightest = (x0: number, x1: number) => {
      let max = 0;
      for (let y = p.height / 2 - 8; y <= p.height / 2 + 8; y++)
        for (let x = x0; x <= x1; x++) max = Math.max(max, ...rgbAt(rgb, p.width, x, y));
      return max;
    };
    expect(brightest(8, 22), 'the R at the left edge').toBeGreaterThanOrEqual(225);
    expect(brightest(p.width - 22, p.width - 8), 'the L at the right edge').toBeGreaterThanOrEqual(225);
  });
});

describe('Cancel', () => {
  let app: App;
  beforeAll(async () => {
    app = await launchApp({ samples: false });
    await app.openRun(sampleFile('l5-tfesi-1024-rle.dcm'));
  });
  afterAll(async () => app?.close());

  it('stops a running export: no file, no page error, and the dialog and viewer still work', async () => {
    const { page } = app;
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await app.toolbar().getByRole('button', { name: 'Export video' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    // Each choice is read whole ("1× (the run's own rate, …)" was cut to "1× (the run's ow…").
    for (const select of await dialog.getByRole('combobox').all()) {
      const fits = await select.evaluate((el: HTMLSelectElement) => {
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = getComputedStyle(el).font;
        // The text plus the select's padding and its arrow (about 24 px).
        return context.measureText(el.selectedOptions[0].text).width + 24 <= el.clientWidth;
      });
      expect(
        fits,
        `${await select.getAttribute('aria-label')}: "${await select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0].text)}"`,
      ).toBe(true);
    }
    await dialog.getByRole('combobox', { name: 'Video format' }).selectOption({ label: 'WebM' });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const progress = dialog.getByRole('progressbar', { name: 'Export progress' });
    // Cancel once the first frames are encoded (the run is still decoding, so many are left).
    await page.waitForFunction(() => Number(document.querySelector('dialog progress')?.getAttribute('value') ?? 0) >= 1, null, {
      polling: 10,
      timeout: 30_000,
    });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const status = dialog.getByRole('status', { name: 'Export status' });
    await expect.poll(() => status.textContent()).toBe('Export cancelled: nothing was saved.');
    await expect.poll(() => progress.count()).toBe(0);
    // The capture stopped part way (encoder and muxer closed), never finished, and saved nothing.
    const cancelled = await page.evaluate(() =>
      (performance.getEntriesByName('fluorolens:capture-cancelled') as PerformanceMark[]).map(
        (m) => m.detail as { done: number; total: number },
      ),
    );
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].total).toBe(90);
    expect(cancelled[0].done).toBeLessThan(90);
    await page.waitForTimeout(1500);
    expect(await app.markCount('fluorolens:capture-done')).toBe(0);
    expect(downloads).toEqual([]);

    // Usable after: the same dialog exports the current frame as PNG, and the viewer steps on.
    await dialog.getByRole('combobox', { name: 'Video format' }).selectOption({ label: 'PNG' });
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    expect((await download).suggestedFilename()).toBe('l5-tfesi-1024-rle_frame-1.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await app.pane().getByRole('button', { name: 'Next frame' }).click();
    await expect.poll(() => app.frame()).toBe(2);
  });

  it('has its form only while the dialog is open, and keeps its choices from one opening to the next', async () => {
    const { page } = app;
    const closed = page.locator('dialog.video-export');
    // Closed, the dialog holds no form: one there re-rendered on every frame of cine.
    expect(await closed.locator('form').count()).toBe(0);
    await app.toolbar().getByRole('button', { name: 'Export video' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    const format = dialog.getByRole('combobox', { name: 'Video format' });
    // The form is in place when the dialog opens: its first control has the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Video format');
    await format.selectOption({ label: 'WebM' });
    await page.keyboard.press('Escape');
    await expect.poll(() => closed.locator('form').count()).toBe(0);
    // Opened again: the format chosen before.
    await app.toolbar().getByRole('button', { name: 'Export video' }).click();
    expect(await format.inputValue()).toBe('webm');
    await page.keyboard.press('Escape');
    await expect.poll(() => closed.locator('form').count()).toBe(0);
  });
});

describe('Export video of a series whose spot images store different windows', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('shows each image in its own window, as DCMTK renders each file, until a window is set', async () => {
    const series = sampleTruth('s1-caudal-series');
    const fileOf = (frame: number) => sampleFile(series.files[frame - 1]);
    app = await launchApp({ samples: false });
    await app.openFolder(sampleFile('s1-caudal-series'));
    const key = await app.runKeyByFile('IM0004.dcm');
    await app.waitForMark('fluorolens:run-decoded', key, 60_000);
    const file = await exportVideo(app, 'GIF', null);
    const p = probe(file.path);
    expect(p.frames).toBe(series.frames);
    const centreDifference = (rgb: Uint8Array, grey: GreyImage) => centreDifferenceOf(rgb, p.width, grey);
    // Instance 8's window (centre +18, width +20 on instance 1's) moves its grey levels by about 20.
    for (const frame of [1, 8]) {
      const rgb = extractFrame(file.path, frame - 1, p.width, p.height, join(SCREENSHOT_DIR, `video-export-series-frame${frame}.png`));
      const own = dcmtkRender(fileOf(frame), 1, { kind: 'file' });
      expect(centreDifference(rgb, own), `frame ${frame} against its own file's window`).toBeLessThan(3.5);
      if (frame !== 1) {
        const { center, width } = series.window;
        const firstImages = dcmtkRender(fileOf(frame), 1, { kind: 'set', center, width });
        expect(centreDifference(rgb, firstImages), `frame ${frame} against the first image's window`).toBeGreaterThan(10);
      }
    }
    // A window chosen in the pane holds for every exported frame.
    await app.paneWithTools().getByRole('combobox', { name: 'Window preset' }).selectOption('High contrast');
    const held = await exportVideo(app, 'GIF', null);
    const rgb = extractFrame(held.path, 7, p.width, p.height, join(SCREENSHOT_DIR, 'video-export-series-held-frame8.png'));
    expect(centreDifference(rgb, dcmtkRender(fileOf(8), 1, { kind: 'set', center: 128, width: 128 }))).toBeLessThan(3.5);
  });
});

describe('Export video of a series whose spot images each store their own VOI LUT', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('shows each image through its own table, as DCMTK renders each file', async () => {
    const series = sampleTruth('s1-caudal-series');
    const dir = scratchDir('voi-lut-series-export');
    // Copies of the series, each with a gamma curve of its own in place of its window (dcmodify).
    const gamma = (i: number) => ({ entries: 256, first: 0, bits: 8, curve: (t: number) => Math.pow(t, 0.35 + 0.07 * i) });
    const copies = series.files.map((file, i) => withVoiLuts(sampleFile(file), dir, basename(file), [gamma(i)]));
    app = await launchApp({ samples: false });
    await app.openFiles(copies);
    const key = await app.runKeyByFile(basename(copies[0]));
    await app.waitForMark('fluorolens:run-decoded', key, 60_000);
    const file = await exportVideo(app, 'GIF', null);
    const p = probe(file.path);
    expect(p.frames).toBe(series.frames);
    for (const frame of [1, 8]) {
      const rgb = extractFrame(file.path, frame - 1, p.width, p.height, join(SCREENSHOT_DIR, `video-export-lut-series-frame${frame}.png`));
      const own = dcmtkRender(copies[frame - 1], 1, { kind: 'lut', index: 1 });
      expect(centreDifferenceOf(rgb, p.width, own), `frame ${frame} against its own file's table`).toBeLessThan(3.5);
      if (frame === 1) continue;
      // The same image through the first image's table: far off, the curves differ.
      const withFirsts = withVoiLuts(sampleFile(series.files[frame - 1]), scratchDir('voi-lut-series-first'), 'first.dcm', [gamma(0)]);
      const asFirst = dcmtkRender(withFirsts, 1, { kind: 'lut', index: 1 });
      expect(centreDifferenceOf(rgb, p.width, asFirst), `frame ${frame} against the first image's table`).toBeGreaterThan(10);
    }
  });
});

/**
 * Mean absolute difference in the image's centre (clear of the burned-in text) against a grey
 * image. A GIF holds a palette of a few dozen greys here: about 2 levels on average come from it.
 */
function centreDifferenceOf(rgb: Uint8Array, width: number, grey: GreyImage): number {
  let sum = 0;
  let count = 0;
  for (let y = 156; y < 356; y += 2)
    for (let x = 156; x < 356; x += 2) {
      sum += Math.abs(rgbAt(rgb, width, x, y)[0] - grey.grey[y * grey.width + x]);
      count++;
    }
  return sum / count;
}

/**
 * Share of an exported frame's pixels within ±2 grey levels of a rendering, inside a 48-pixel
 * margin (clear of the edge markers); the burned-in corner text takes a few per cent of it.
 */
function shareWithinRendering(rgb: Uint8Array, width: number, height: number, grey: GreyImage): number {
  let within = 0;
  let count = 0;
  for (let y = 48; y < height - 48; y++)
    for (let x = 48; x < width - 48; x++) {
      if (Math.abs(rgbAt(rgb, width, x, y)[0] - grey.grey[y * grey.width + x]) <= 2) within++;
      count++;
    }
  return within / count;
}

/**
 * Exports the open run as PNG (frame 1, the pane's display) and returns the share of its pixels
 * within ±2 of a rendering (shareWithinRendering); the frame is kept as test-results/<name>.png.
 */
async function exportedFrameOneShare(app: App, name: string): Promise<(grey: GreyImage) => number> {
  const png = await exportVideo(app, 'PNG', null);
  const p = probe(png.path);
  const rgb = extractFrame(png.path, 0, p.width, p.height, join(SCREENSHOT_DIR, `${name}.png`));
  return (grey) => shareWithinRendering(rgb, p.width, p.height, grey);
}

describe('Export of a run whose file states a sigmoid VOI LUT Function', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('bends the grey levels as the pane and DCMTK do, not along the straight window', async () => {
    // A copy of the sample run stating SIGMOID (DCMTK's dcmodify); its window stays 140/230.
    const file = withAttribute(sampleFile(`${RUN}.dcm`), scratchDir('sigmoid'), 'sigmoid', '(0028,1056)', 'SIGMOID');
    app = await launchApp({ samples: false });
    await app.openRun(file);
    const shareWithin = await exportedFrameOneShare(app, 'video-export-sigmoid-frame1');
    expect(shareWithin(dcmtkRender(file, 1, { kind: 'file' })), 'against DCMTK under the sigmoid').toBeGreaterThan(0.9);
    const straight = dcmtkRender(sampleFile(`${RUN}.dcm`), 1, { kind: 'file' });
    expect(shareWithin(straight), 'against the same window drawn straight').toBeLessThan(0.5);
  });
});

describe('Export of a run that stores a VOI LUT instead of a window', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('draws each value through the LUT, as the pane and DCMTK do, not through a min–max window', async () => {
    // The sample run with its window replaced by a gamma LUT of 8-bit entries (DCMTK's dcmodify).
    const file = withVoiLuts(sampleFile(`${RUN}.dcm`), scratchDir('voi-lut-export'), 'gamma-l4-tfesi-ap-512.dcm', [
      { entries: 256, first: 0, bits: 8, curve: Math.sqrt, explanation: 'GAMMA 0.5' },
    ]);
    app = await launchApp({ samples: false });
    await app.openRun(file);
    await expect.poll(() => app!.toolbar().getByRole('status', { name: 'Window/level readout' }).textContent()).toBe('VOI LUT GAMMA 0.5');
    const shareWithin = await exportedFrameOneShare(app, 'video-export-voi-lut-frame1');
    expect(shareWithin(dcmtkRender(file, 1, { kind: 'lut', index: 1 })), 'against DCMTK through the LUT').toBeGreaterThan(0.9);
    expect(shareWithin(dcmtkRender(file, 1, { kind: 'min-max' })), 'against the min–max window').toBeLessThan(0.5);
  });
});

describe('Export of a run inverted by its Presentation LUT Shape', () => {
  let app: App | undefined;
  afterAll(async () => app?.close());

  it('draws it inverted, as the pane and DCMTK do', async () => {
    // The sample run stating INVERSE (DCMTK's dcmodify): MONOCHROME2 shown inverted.
    const file = withAttribute(sampleFile(`${RUN}.dcm`), scratchDir('inverse'), 'inverse', '(2050,0020)', 'INVERSE');
    app = await launchApp({ samples: false });
    await app.openRun(file);
    const shareWithin = await exportedFrameOneShare(app, 'video-export-inverse-frame1');
    expect(shareWithin(dcmtkRender(file, 1, { kind: 'file' })), 'against DCMTK (inverted)').toBeGreaterThan(0.9);
    expect(shareWithin(dcmtkRender(sampleFile(`${RUN}.dcm`), 1, { kind: 'file' })), 'against the plain rendering').toBeLessThan(0.5);
  });
});
