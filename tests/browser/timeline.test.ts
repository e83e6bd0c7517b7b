/**
 * Timeline, measurements over time and the case record, on the built app.
 *
 * Tracks are added with the timeline's "Add track" menu and keyframes with "Add keyframe" and the
 * K / Delete / , / . keys. Where the user would draw with the Needle tip, Target or Contrast spread
 * tool, the tests put geometry in with the `drawKeyframe` test hook instead (marked "drawing tool
 * stand-in" below): those tools are tested on their own.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDicom, el, imageElements } from '../../src/dicom/testing/syntheticDicom';
import { SAMPLE_DIR, SCREENSHOT_DIR, chooseFiles, corpusFile, corpusPresent, launchApp, waitForMark, type App } from './harness';

interface Truth {
  frames: number;
  frameStartMs: number[];
  patientPlaneSpacingMm: [number, number];
  target: { x: number; y: number };
  needleTip: Array<{ frame: number; x: number; y: number }>;
}
interface Point {
  x: number;
  y: number;
}
interface SavedTrack {
  id: string;
  kind: string;
  label: string;
  keyframes: Array<{ frame: number; geometry: Record<string, unknown> }>;
}
interface SavedDoc {
  tracks: SavedTrack[];
  caseRecord: Record<string, unknown>;
}

const RUN = 'l4-tfesi-ap-512';
const truth = JSON.parse(readFileSync(join(SAMPLE_DIR, `${RUN}.truth.json`), 'utf8')) as Truth;
const MM_PER_PX = truth.patientPlaneSpacingMm[0]; // Imager Pixel Spacing ÷ ERMF
// Truth gives integer pixel centres; the annotation model puts pixel (c, r)'s centre at (c+0.5, r+0.5).
const tipAt = (frame: number): Point => ({ x: truth.needleTip[frame - 1].x + 0.5, y: truth.needleTip[frame - 1].y + 0.5 });
const targetCentre: Point = { x: truth.target.x + 0.5, y: truth.target.y + 0.5 };
const square = (cx: number, cy: number, half: number): Point[] => [
  { x: cx - half, y: cy - half },
  { x: cx + half, y: cy - half },
  { x: cx + half, y: cy + half },
  { x: cx - half, y: cy + half },
];
const lerp = (a: Point, b: Point, t: number): Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });

async function runKeyOf(page: Page, fileEnd: string): Promise<string> {
  const handle = await page.waitForFunction(
    (end) => window.__fluorolens?.runs().find((r) => r.files.some((f) => f.endsWith(end)))?.key,
    fileEnd,
  );
  return (await handle.jsonValue()) as string;
}

async function savedDoc(page: Page, runKey: string): Promise<SavedDoc> {
  const text = await page.evaluate((key) => window.__fluorolens!.annotations(key), runKey);
  expect(text, 'the run has an annotation document').toBeTruthy();
  return JSON.parse(text!) as SavedDoc;
}

async function trackId(page: Page, runKey: string, label: string): Promise<string> {
  const track = (await savedDoc(page, runKey)).tracks.find((t) => t.label === label);
  expect(track, `track ${label}`).toBeTruthy();
  return track!.id;
}

/** Drawing tool stand-in: geometry a tool gesture would have produced. */
async function draw(page: Page, runKey: string, id: string, frame: number, geometry: unknown): Promise<void> {
  await page.evaluate(([key, track, f, g]) => window.__fluorolens!.drawKeyframe(key as string, track as string, f as number, g as never), [
    runKey,
    id,
    frame,
    geometry,
  ] as const);
}

async function addTrack(page: Page, kind: string): Promise<void> {
  await page.getByRole('group', { name: 'Timeline' }).getByRole('button', { name: 'Add track' }).click();
  await page.getByRole('menuitem', { name: kind, exact: true }).click();
  await page.getByRole('list', { name: kind, exact: true }).waitFor();
}

async function markFrames(lane: Locator): Promise<number[]> {
  const names = await lane.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
  return names.map((n) => Number(/at frame (\d+)$/.exec(n)?.[1]));
}

async function goToFrame(page: Page, frame: number): Promise<void> {
  const slider = page.getByRole('slider', { name: 'Frame' }).first();
  await slider.fill(String(frame));
  await expect.poll(() => slider.getAttribute('aria-valuenow')).toBe(String(frame));
}

const currentFrame = (page: Page) => page.getByRole('slider', { name: 'Frame' }).first().getAttribute('aria-valuenow');

/** Mean RGB of a small block of an element's screenshot, at fractions of its width/height. */
async function colourAt(page: Page, element: Locator, fx: number, fy: number): Promise<[number, number, number]> {
  const png = await element.screenshot();
  return page.evaluate(
    async ([bytes, x, y]) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes as number[])], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const px = Math.round((x as number) * bitmap.width);
      const py = Math.round((y as number) * bitmap.height);
      const data = ctx.getImageData(px - 1, py - 1, 3, 3).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      return sum.map((s) => s / 9) as [number, number, number];
    },
    [Array.from(png), fx, fy] as const,
  );
}

async function chartInk(page: Page): Promise<{ yellow: number; blue: number }> {
  const canvas = page.getByRole('figure', { name: 'Measurements chart' }).locator('canvas');
  const png = await canvas.screenshot();
  return page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let yellow = 0;
    let blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] > 200 && d[i + 1] > 180 && d[i + 2] < 80) yellow++;
      if (d[i] < 110 && d[i + 1] > 150 && d[i + 2] > 200) blue++;
    }
    return { yellow, blue };
  }, Array.from(png));
}

function shot(page: Page, name: string, element?: Locator) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name);
  return element ? element.screenshot({ path }) : page.screenshot({ path });
}

describe(`timeline, measurements and case record on ${RUN} (calibrated)`, () => {
  let app: App;
  let page: Page;
  let runKey: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await launchApp();
    page = app.page;
    await waitForMark(page, 'fluorolens:first-frame');
    runKey = await runKeyOf(page, `${RUN}.dcm`);
    await page
      .getByRole('list', { name: 'Runs' })
      .getByRole('button', { name: new RegExp(`${truth.frames} frames`) })
      .click();
    await page.waitForFunction(
      (n) => document.querySelector('input[aria-label="Frame"]')?.getAttribute('aria-valuemax') === String(n),
      truth.frames,
    );
    await waitForMark(page, 'fluorolens:first-frame', runKey);
  });
  afterAll(async () => app?.close());

  it('adds tracks from the Add track menu and shows keyframes as marks at their frames', async () => {
    const timeline = page.getByRole('group', { name: 'Timeline' });
    await timeline.getByText('No tracks yet').waitFor();
    await addTrack(page, 'Needle tip');
    ids.needle = await trackId(page, runKey, 'Needle tip');
    // A new track has nothing to copy: Add keyframe says to draw it first.
    await timeline.getByRole('button', { name: 'Add keyframe' }).click();
    await timeline.getByText('Draw the needle tip with its tool first').waitFor();

    for (const f of [1, 30, 60]) await draw(page, runKey, ids.needle, f, { tip: tipAt(f) }); // drawing tool stand-in
    await addTrack(page, 'Target');
    ids.target = await trackId(page, runKey, 'Target');
    await draw(page, runKey, ids.target, 20, { center: targetCentre, radiusPx: 6 }); // drawing tool stand-in
    await addTrack(page, 'Contrast spread');
    ids.contrast = await trackId(page, runKey, 'Contrast spread');
    await draw(page, runKey, ids.contrast, 34, { contour: square(240, 270, 10) }); // drawing tool stand-in: 400 px²
    await draw(page, runKey, ids.contrast, 60, { contour: square(240, 280, 20) }); // 1600 px²
    await addTrack(page, 'Caption');

    // Add keyframe (UI) at frame 15 on the needle: it takes the interpolated tip.
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).click();
    await goToFrame(page, 15);
    await timeline.getByRole('button', { name: 'Add keyframe' }).click();
    const needleLane = timeline.getByRole('list', { name: 'Needle tip', exact: true });
    await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 15' }).waitFor();
    expect(await markFrames(needleLane)).toEqual([1, 15, 30, 60]);
    const saved = (await savedDoc(page, runKey)).tracks.find((t) => t.id === ids.needle)!;
    const tip15 = saved.keyframes.find((k) => k.frame === 15)!.geometry.tip as Point;
    const expected = lerp(tipAt(1), tipAt(30), 14 / 29);
    expect(tip15.x).toBeCloseTo(expected.x, 6);
    expect(tip15.y).toBeCloseTo(expected.y, 6);

    expect(await markFrames(timeline.getByRole('list', { name: 'Target', exact: true }))).toEqual([20]);
    expect(await markFrames(timeline.getByRole('list', { name: 'Contrast spread', exact: true }))).toEqual([34, 60]);
    expect(await markFrames(timeline.getByRole('list', { name: 'Caption', exact: true }))).toEqual([]);

    // Marks sit at the centre of their frame's cell along the lane.
    const area = needleLane.locator('xpath=..');
    const box = (await area.boundingBox())!;
    for (const f of [1, 15, 30, 60]) {
      const mark = (await needleLane.getByRole('button', { name: `Needle tip keyframe at frame ${f}`, exact: true }).boundingBox())!;
      const centre = mark.x + mark.width / 2;
      expect(Math.abs(centre - (box.x + ((f - 0.5) / truth.frames) * box.width)), `mark ${f}`).toBeLessThan(1.5);
    }
  });

  it('shades interpolated spans, holds the target lighter and draws the caption range as a bar', async () => {
    const timeline = page.getByRole('group', { name: 'Timeline' });
    const spans = (name: string, kind: string) =>
      timeline
        .getByRole('list', { name, exact: true })
        .locator('xpath=..')
        .locator(`rect.span-${kind}`)
        .evaluateAll((rects) => rects.map((r) => `${r.getAttribute('data-from')}-${r.getAttribute('data-to')}`));
    expect(await spans('Needle tip', 'interpolated')).toEqual(['1-15', '15-30', '30-60']);
    expect(await spans('Target', 'held')).toEqual(['1-20', '20-60']);
    expect(await spans('Target', 'interpolated')).toEqual([]);
    expect(await spans('Contrast spread', 'interpolated')).toEqual(['34-60']);
    expect(await spans('Caption', 'range')).toEqual(['1-60']);

    // On screen: the contrast lane is shaded in its colour between its keyframes, and not before.
    await goToFrame(page, 1);
    const contrastArea = timeline.getByRole('list', { name: 'Contrast spread', exact: true }).locator('xpath=..');
    const before = await colourAt(page, contrastArea, 20 / 60, 0.5);
    const between = await colourAt(page, contrastArea, 47 / 60, 0.5);
    expect(between[2] - before[2], `blue shading between keyframes (${between} vs ${before})`).toBeGreaterThan(40);
    const targetArea = timeline.getByRole('list', { name: 'Target', exact: true }).locator('xpath=..');
    const held = await colourAt(page, targetArea, 40 / 60, 0.5);
    const interpolated = await colourAt(
      page,
      timeline.getByRole('list', { name: 'Needle tip', exact: true }).locator('xpath=..'),
      40 / 60,
      0.5,
    );
    const lift = (c: number[], base: number[]) => c.reduce((s, v, i) => s + v - base[i], 0);
    expect(lift(held, before), 'held span is shaded').toBeGreaterThan(15);
    expect(lift(held, before), 'held span is lighter than an interpolated one').toBeLessThan(lift(interpolated, before));
    await shot(page, 'timeline-lanes.png', timeline);
  });

  it('seeks when a mark is clicked and moves the current-frame line', async () => {
    const timeline = page.getByRole('group', { name: 'Timeline' });
    await timeline.getByRole('button', { name: 'Needle tip keyframe at frame 30' }).click();
    await expect.poll(() => currentFrame(page)).toBe('30');
    const mark = (await timeline.getByRole('button', { name: 'Needle tip keyframe at frame 30' }).boundingBox())!;
    const line = (await timeline.locator('.timeline-playhead').boundingBox())!;
    expect(Math.abs(line.x + line.width / 2 - (mark.x + mark.width / 2))).toBeLessThan(1.5);
    await timeline.getByRole('button', { name: 'Contrast spread keyframe at frame 34' }).click();
    await expect.poll(() => currentFrame(page)).toBe('34');
    expect(await timeline.getByRole('button', { name: 'Select Contrast spread track' }).getAttribute('aria-pressed')).toBe('true');
    // Clicking a lane away from its marks selects its track and leaves the frame alone.
    const targetArea = (await timeline.getByRole('list', { name: 'Target', exact: true }).locator('xpath=..').boundingBox())!;
    await page.mouse.click(targetArea.x + targetArea.width * 0.8, targetArea.y + targetArea.height / 2);
    await expect.poll(() => timeline.getByRole('button', { name: 'Select Target track' }).getAttribute('aria-pressed')).toBe('true');
    expect(await timeline.getByRole('button', { name: 'Select Contrast spread track' }).getAttribute('aria-pressed')).toBe('false');
    expect(await currentFrame(page)).toBe('34');
    // The frame ruler above the lanes scrubs (a pointer convenience beside the Frame slider).
    const ruler = timeline.locator('.ruler-scale');
    const scale = (await ruler.boundingBox())!;
    await ruler.click({ position: { x: (44.5 / 60) * scale.width, y: scale.height / 2 } });
    await expect.poll(() => currentFrame(page)).toBe('45');
    expect(await ruler.locator('.ruler-tick').allTextContents()).toEqual(['1', '10', '20', '30', '40', '50', '60']);
    await goToFrame(page, 34);
  });

  it('moves a keyframe by dragging its mark along the lane (one undo step)', async () => {
    const timeline = page.getByRole('group', { name: 'Timeline' });
    const needleLane = timeline.getByRole('list', { name: 'Needle tip', exact: true });
    const area = (await needleLane.locator('xpath=..').boundingBox())!;
    const mark = (await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 15', exact: true }).boundingBox())!;
    const y = mark.y + mark.height / 2;
    await page.mouse.move(mark.x + mark.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(area.x + (21.5 / 60) * area.width, y, { steps: 8 });
    await timeline.locator('.keyframe-drop').getByText('22').waitFor();
    await page.mouse.up();
    await expect.poll(() => markFrames(needleLane)).toEqual([1, 22, 30, 60]);
    await expect.poll(() => currentFrame(page)).toBe('22');
    expect(await timeline.locator('.keyframe-drop').count()).toBe(0);
    const moved = (await savedDoc(page, runKey)).tracks.find((t) => t.id === ids.needle)!.keyframes.find((k) => k.frame === 22)!.geometry
      .tip as Point;
    expect(moved.x).toBeCloseTo(lerp(tipAt(1), tipAt(30), 14 / 29).x, 6);
    // Dropping on another keyframe of the track moves nothing.
    const at22 = (await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 22', exact: true }).boundingBox())!;
    await page.mouse.move(at22.x + at22.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(area.x + (29.5 / 60) * area.width, y, { steps: 8 });
    await page.mouse.up();
    expect(await markFrames(needleLane)).toEqual([1, 22, 30, 60]);
    await undoRedo(page, runKey, 'undo');
    await expect.poll(() => markFrames(needleLane)).toEqual([1, 15, 30, 60]);
  });

  it('K adds, Delete/Backspace remove, and , / . jump between keyframes of the selected track', async () => {
    const timeline = page.getByRole('group', { name: 'Timeline' });
    const needleLane = timeline.getByRole('list', { name: 'Needle tip', exact: true });
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).click();
    await goToFrame(page, 20);
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).focus();
    await page.keyboard.press('.');
    await expect.poll(() => currentFrame(page)).toBe('30');
    await page.keyboard.press('.');
    await expect.poll(() => currentFrame(page)).toBe('60');
    await page.keyboard.press(',');
    await page.keyboard.press(',');
    await expect.poll(() => currentFrame(page)).toBe('15');
    await page.keyboard.press(',');
    await expect.poll(() => currentFrame(page)).toBe('1');
    await page.keyboard.press(',');
    await timeline.getByText('No earlier keyframe').waitFor();

    await goToFrame(page, 45);
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).focus();
    await page.keyboard.press('k');
    await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 45' }).waitFor();
    const tip45 = (await savedDoc(page, runKey)).tracks.find((t) => t.id === ids.needle)!.keyframes.find((k) => k.frame === 45)!.geometry
      .tip as Point;
    expect(tip45.x).toBeCloseTo(lerp(tipAt(30), tipAt(60), 15 / 30).x, 6);
    await page.keyboard.press('Delete');
    await expect.poll(() => markFrames(needleLane)).toEqual([1, 15, 30, 60]);
    await page.keyboard.press('K');
    await expect.poll(() => markFrames(needleLane)).toEqual([1, 15, 30, 45, 60]);
    await page.keyboard.press('Backspace');
    await expect.poll(() => markFrames(needleLane)).toEqual([1, 15, 30, 60]);

    // Typing in the case record's notes is not a keyframe command.
    const notes = page.getByRole('form', { name: 'Case record' }).getByRole('textbox', { name: 'Notes' });
    await notes.click();
    await page.keyboard.type('k.');
    expect(await markFrames(needleLane)).toEqual([1, 15, 30, 60]);
    expect(await currentFrame(page)).toBe('45');
    await notes.fill('');
    await notes.blur();
  });

  it("sets the selected caption's frame range from the current frame, shown as its bar", async () => {
    const timeline = page.getByRole('group', { name: 'Timeline' });
    await timeline.getByRole('button', { name: 'Select Caption track' }).click();
    await goToFrame(page, 11);
    await timeline.getByRole('button', { name: 'Caption starts here' }).click();
    await goToFrame(page, 30);
    await timeline.getByRole('button', { name: 'Caption ends here' }).click();
    const bar = timeline.getByRole('list', { name: 'Caption', exact: true }).locator('xpath=..').locator('rect.span-range');
    await expect.poll(() => bar.evaluate((r) => `${r.getAttribute('data-from')}-${r.getAttribute('data-to')}`)).toBe('11-30');
    const caption = (await savedDoc(page, runKey)).tracks.find((t) => t.label === 'Caption') as unknown as {
      text: string;
      range: { from: number; to: number };
    };
    expect(caption).toMatchObject({ range: { from: 11, to: 30 } });
    const area = (await bar.locator('xpath=../..').boundingBox())!;
    const drawn = (await bar.boundingBox())!;
    expect(Math.abs(drawn.x - (area.x + (10 / 60) * area.width))).toBeLessThan(1.5);
    expect(Math.abs(drawn.x + drawn.width - (area.x + (30 / 60) * area.width))).toBeLessThan(1.5);
    await shot(page, 'timeline-caption.png', timeline);
  });

  it('reads out tip-to-target distance and contrast area in mm and px, naming the spacing source', async () => {
    const readout = page.getByRole('status', { name: 'Measurements' });
    await goToFrame(page, 15);
    const tip = lerp(tipAt(1), tipAt(30), 14 / 29);
    const px = Math.hypot(targetCentre.x - tip.x, targetCentre.y - tip.y);
    await expect
      .poll(() => readout.getByTestId('tip-to-target').textContent())
      .toBe(`${(px * MM_PER_PX).toFixed(1)} mm (${px.toFixed(1)} px)`);
    expect(await readout.getByTestId('contrast-area').textContent()).toBe('—');
    expect(await readout.getByTestId('calibration').textContent()).toBe(`Imager Pixel Spacing ÷ ERMF, ${MM_PER_PX} mm/px`);
    await goToFrame(page, 60);
    await expect
      .poll(() => readout.getByTestId('contrast-area').textContent())
      .toBe(`${(1600 * MM_PER_PX ** 2).toFixed(1)} mm² (1600 px²)`);
    await goToFrame(page, 34);
    await expect.poll(() => readout.getByTestId('contrast-area').textContent()).toBe(`${(400 * MM_PER_PX ** 2).toFixed(1)} mm² (400 px²)`);
    await goToFrame(page, 49);
    const seconds = (truth.frameStartMs[48] - truth.frameStartMs[33]) / 1000;
    await expect.poll(() => readout.textContent()).toContain(`frame 34 (first contour) · ${seconds.toFixed(2)} s after onset`);
  });

  it('charts distance (mm) and area (mm²) against time, marks the current frame and seeks on click', async () => {
    const figure = page.getByRole('figure', { name: 'Measurements chart' });
    const caption = await figure.locator('figcaption').textContent();
    expect(caption).toContain('Tip-to-target distance (mm) and contrast area (mm²)');
    expect(caption).toContain('millimetres from Imager Pixel Spacing ÷ ERMF');
    expect(await figure.textContent()).toContain('Tip → target (mm)');
    expect(await figure.textContent()).toContain('Contrast area (mm²)');
    const ink = await chartInk(page);
    expect(ink.yellow, 'distance line drawn').toBeGreaterThan(50);
    expect(ink.blue, 'area line drawn').toBeGreaterThan(50);

    const over = figure.locator('.u-over');
    const box = (await over.boundingBox())!;
    const lastSeconds = truth.frameStartMs[truth.frames - 1] / 1000;
    const lineAt = async () => {
      const line = (await figure.locator('.chart-playhead').boundingBox())!;
      return (line.x + line.width / 2 - box.x) / box.width;
    };
    await goToFrame(page, 30);
    await expect.poll(lineAt).toBeCloseTo(truth.frameStartMs[29] / 1000 / lastSeconds, 2);

    for (const fraction of [0.25, 0.8]) {
      await over.click({ position: { x: fraction * box.width, y: box.height / 2 } });
      const ms = fraction * lastSeconds * 1000;
      const nearest =
        truth.frameStartMs.reduce((best, t, i) => (Math.abs(t - ms) < Math.abs(truth.frameStartMs[best] - ms) ? i : best), 0) + 1;
      await expect.poll(() => currentFrame(page)).toBe(String(nearest));
      await expect.poll(lineAt).toBeCloseTo(truth.frameStartMs[nearest - 1] / 1000 / lastSeconds, 2);
    }
    await shot(page, 'measurements-chart.png', page.getByRole('complementary', { name: 'Measurements and case record' }));
  });

  it('records the case, validates levels inline, and keeps it through export → import and a reload', async () => {
    const form = page.getByRole('form', { name: 'Case record' });
    const procedure = form.getByRole('combobox', { name: 'Procedure' });
    expect(await procedure.locator('option').count()).toBe(13); // "not recorded" + the twelve procedures
    await procedure.selectOption({ label: 'Transforaminal epidural steroid injection' });
    const levels = form.getByRole('textbox', { name: 'Vertebral levels' });
    await levels.fill('L6');
    await levels.press('Enter');
    await form.getByText('“L6” is not a vertebral level or range').waitFor();
    expect(await levels.getAttribute('aria-invalid')).toBe('true');
    await levels.fill('l4, l5 - s1');
    await levels.press('Enter');
    await expect.poll(() => levels.inputValue()).toBe('L4, L5-S1');
    expect(await levels.getAttribute('aria-invalid')).toBeNull();
    await form.getByRole('combobox', { name: 'Side' }).selectOption({ label: 'Right' });
    await form.getByRole('combobox', { name: 'Approach' }).selectOption({ label: 'Transforaminal' });
    const patterns = form.getByRole('group', { name: 'Contrast pattern' });
    expect(await patterns.getByRole('checkbox').count()).toBe(8);
    await patterns.getByRole('checkbox', { name: 'Epidural' }).check();
    await patterns.getByRole('checkbox', { name: 'Perineural, along the root' }).check();
    await goToFrame(page, 36);
    await form.getByRole('button', { name: 'Use current frame' }).click();
    const firstSeen = form.getByRole('textbox', { name: 'Contrast first seen at frame' });
    await expect.poll(() => firstSeen.inputValue()).toBe('36');
    await form.getByRole('group', { name: 'Placement confirmed before medication' }).getByRole('radio', { name: 'Yes' }).check();
    const notes = form.getByRole('textbox', { name: 'Notes' });
    await notes.click();
    await page.keyboard.type('Root outlined, no vascular uptake.');
    await notes.blur();
    // Typing the notes was one undo step, and the form follows undo and redo.
    await undoRedo(page, runKey, 'undo');
    await expect.poll(() => notes.inputValue()).toBe('');
    expect(await procedure.inputValue()).toBe('transforaminalEsi');
    expect(await form.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    await undoRedo(page, runKey, 'undo');
    await expect.poll(() => form.getByRole('radio', { name: 'Unknown' }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(false);
    await undoRedo(page, runKey, 'redo');
    await undoRedo(page, runKey, 'redo');
    await expect.poll(() => notes.inputValue()).toBe('Root outlined, no vascular uptake.');
    expect(await form.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);

    const expected = {
      procedure: 'transforaminalEsi',
      levels: ['L4', 'L5-S1'],
      side: 'right',
      approach: 'transforaminal',
      contrastPatterns: ['epidural', 'perineural'],
      contrastFirstSeenFrame: 36,
      placementConfirmedBeforeMedication: true,
      notes: 'Root outlined, no vascular uptake.',
    };
    await expect.poll(async () => (await savedDoc(page, runKey)).caseRecord).toMatchObject(expected);
    // The recorded onset now wins over the first contour.
    await expect.poll(() => page.getByRole('status', { name: 'Measurements' }).textContent()).toContain('frame 36 (case record)');
    await shot(page, 'case-record.png', form);

    // Export, change, import: the form shows the imported record again.
    const exported =
      (await page.getByRole('button', { name: 'Export annotations' }).count()) > 0
        ? await exportWithButton(page)
        : await page.evaluate((key) => window.__fluorolens!.annotations(key)!, runKey);
    expect(JSON.parse(exported).caseRecord).toMatchObject(expected);
    await procedure.selectOption({ label: 'Caudal epidural steroid injection' });
    await notes.fill('changed');
    await notes.blur();
    await expect.poll(async () => (await savedDoc(page, runKey)).caseRecord.notes).toBe('changed');
    if ((await page.getByRole('button', { name: 'Import annotations' }).count()) > 0) await importWithButton(page, exported);
    else
      expect(
        await page.evaluate(([key, text]) => window.__fluorolens!.importAnnotations(key, text), [runKey, exported] as const),
      ).toBeNull();
    await expect.poll(() => procedure.inputValue()).toBe('transforaminalEsi');
    await expect.poll(() => notes.inputValue()).toBe(expected.notes);
    expect(await levels.inputValue()).toBe('L4, L5-S1');
    expect(await firstSeen.inputValue()).toBe('36');

    // Reload: autosave brings back the case record and the tracks.
    await page.evaluate(() => performance.clearMarks('fluorolens:autosaved'));
    await waitForMark(page, 'fluorolens:autosaved', runKey);
    await page.reload();
    await waitForMark(page, 'fluorolens:first-frame');
    const reloadedKey = await runKeyOf(page, `${RUN}.dcm`);
    await page
      .getByRole('list', { name: 'Runs' })
      .getByRole('button', { name: new RegExp(`${truth.frames} frames`) })
      .click();
    const reloadedForm = page.getByRole('form', { name: 'Case record' });
    await expect.poll(() => reloadedForm.getByRole('combobox', { name: 'Procedure' }).inputValue()).toBe('transforaminalEsi');
    expect(await reloadedForm.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe(expected.notes);
    expect(await reloadedForm.getByRole('checkbox', { name: 'Epidural' }).isChecked()).toBe(true);
    expect(await reloadedForm.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    expect((await savedDoc(page, reloadedKey)).caseRecord).toMatchObject(expected);
    const timeline = page.getByRole('group', { name: 'Timeline' });
    expect(await markFrames(timeline.getByRole('list', { name: 'Needle tip', exact: true }))).toEqual([1, 15, 30, 60]);
    await shot(page, 'timeline-after-reload.png');
  });
});

/** The Undo / Redo buttons when the app has them, else the test hook standing in for them. */
async function undoRedo(page: Page, runKey: string, which: 'undo' | 'redo'): Promise<void> {
  const button = page.getByRole('button', { name: which === 'undo' ? 'Undo' : 'Redo', exact: true });
  if ((await button.count()) === 1) await button.click();
  else await page.evaluate(([key, w]) => window.__fluorolens!.undoRedo(key, w), [runKey, which] as const);
}

async function exportWithButton(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export annotations' }).click()]);
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

async function importWithButton(page: Page, text: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-import-'));
  const file = join(dir, 'annotations.json');
  writeFileSync(file, text);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import annotations' }).click()]);
  await chooser.setFiles(file);
  rmSync(dir, { recursive: true, force: true });
}

/** A copy of a sample whose Imager Pixel Spacing reads "0.000\0.000" (unusable), so the run is uncalibrated. */
function uncalibratedCopy(name: string): { dir: string; file: string } {
  const bytes = readFileSync(join(SAMPLE_DIR, name));
  const text = bytes.toString('latin1');
  const value = '0.616\\0.616';
  const at = text.indexOf(value);
  expect(at, 'the sample has Imager Pixel Spacing 0.616\\0.616').toBeGreaterThan(0);
  expect(text.indexOf(value, at + 1), 'only once').toBe(-1);
  bytes.write('0.000\\0.000', at, 'latin1');
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-uncal-'));
  const file = join(dir, `uncalibrated-${name}`);
  writeFileSync(file, bytes);
  return { dir, file };
}

async function expectPixelsOnly(page: Page): Promise<void> {
  const readout = page.getByRole('status', { name: 'Measurements' });
  await expect.poll(() => readout.getByTestId('calibration').textContent()).toBe('Not calibrated: pixels only');
  const figure = page.getByRole('figure', { name: 'Measurements chart' });
  const caption = await figure.locator('figcaption').textContent();
  expect(caption).toContain('(px) and contrast area (px²)');
  expect(caption).toContain('not calibrated: pixels only');
  expect(await figure.textContent()).toContain('Tip → target (px)');
  expect(await figure.textContent()).not.toContain('mm');
}

describe('measurements on uncalibrated runs', () => {
  let app: App;
  let copy: { dir: string; file: string };
  beforeAll(async () => {
    copy = uncalibratedCopy('l3-mbb-ftv.dcm');
    app = await launchApp('?samples=0');
  });
  afterAll(async () => {
    await app?.close();
    if (copy) rmSync(copy.dir, { recursive: true, force: true });
  });

  it('shows px and px² only, and says the run is not calibrated (sample copy without spacing)', async () => {
    const { page } = app;
    await chooseFiles(page, [copy.file]);
    const runKey = await runKeyOf(page, 'uncalibrated-l3-mbb-ftv.dcm');
    await waitForMark(page, 'fluorolens:first-frame', runKey);
    await addTrack(page, 'Needle tip');
    await addTrack(page, 'Target');
    await addTrack(page, 'Contrast spread');
    const doc = await savedDoc(page, runKey);
    const id = (label: string) => doc.tracks.find((t) => t.label === label)!.id;
    // Drawing tool stand-ins.
    await draw(page, runKey, id('Needle tip'), 1, { tip: { x: 60.5, y: 140.5 } });
    await draw(page, runKey, id('Target'), 1, { center: { x: 96.5, y: 170.5 }, radiusPx: 5 });
    await draw(page, runKey, id('Contrast spread'), 1, { contour: square(96, 170, 5) });
    await expectPixelsOnly(page);
    const readout = page.getByRole('status', { name: 'Measurements' });
    await expect.poll(() => readout.getByTestId('tip-to-target').textContent()).toBe(`${Math.hypot(36, 30).toFixed(1)} px`);
    expect(await readout.getByTestId('contrast-area').textContent()).toBe('100 px²');
    expect(await readout.textContent(), 'says why there are no millimetres').toContain(
      'Imager Pixel Spacing (0018,1164) "0\\0" is not usable',
    );
    await shot(page, 'measurements-uncalibrated.png');
  });

  it.skipIf(!corpusPresent)('shows px only for the real RF frame, which has no spacing', async () => {
    const { page } = app;
    await chooseFiles(page, [corpusFile('rf_siemens_1f_464x512_8bit.dcm')]);
    const runKey = await runKeyOf(page, 'rf_siemens_1f_464x512_8bit.dcm');
    await waitForMark(page, 'fluorolens:first-frame', runKey);
    await addTrack(page, 'Needle tip');
    await addTrack(page, 'Target');
    const doc = await savedDoc(page, runKey);
    await draw(page, runKey, doc.tracks.find((t) => t.label === 'Needle tip')!.id, 1, { tip: { x: 100, y: 100 } });
    await draw(page, runKey, doc.tracks.find((t) => t.label === 'Target')!.id, 1, { center: { x: 130, y: 140 }, radiusPx: 5 });
    await expectPixelsOnly(page);
    await expect.poll(() => page.getByRole('status', { name: 'Measurements' }).getByTestId('tip-to-target').textContent()).toBe('50.0 px');
  });
});

/** A 64×64, 2,000-frame native run at 15 fps (8 MB): long enough to show per-frame rendering costs. */
function longRun(frames: number): { dir: string; file: string } {
  const pixels = new Uint8Array(64 * 64 * frames);
  for (let f = 0; f < frames; f++) pixels.fill(f % 200, f * 4096, f * 4096 + 2048);
  const bytes = buildDicom({
    elements: imageElements({
      rows: 64,
      columns: 64,
      frames,
      extra: [el(0x00181063, 'DS', '66.67'), el(0x00280009, 'AT', [0x00181063]), el(0x00181164, 'DS', '0.5\\0.5')],
    }),
    pixelData: { kind: 'native', bytes: pixels },
  });
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-long-'));
  const file = join(dir, `long-${frames}.dcm`);
  writeFileSync(file, bytes);
  return { dir, file };
}

describe('a 2,000-frame run', () => {
  const FRAMES = 2000;
  let app: App;
  let copy: { dir: string; file: string };
  beforeAll(async () => {
    copy = longRun(FRAMES);
    app = await launchApp('?samples=0');
  });
  afterAll(async () => {
    await app?.close();
    if (copy) rmSync(copy.dir, { recursive: true, force: true });
  });

  it('draws one mark per keyframe and a handful of spans, not a cell per frame, and still seeks exactly', async () => {
    const { page } = app;
    await chooseFiles(page, [copy.file]);
    const runKey = await runKeyOf(page, `long-${FRAMES}.dcm`);
    await waitForMark(page, 'fluorolens:first-frame', runKey);
    await addTrack(page, 'Needle tip');
    await addTrack(page, 'Contrast spread');
    const doc = await savedDoc(page, runKey);
    const needle = doc.tracks.find((t) => t.label === 'Needle tip')!.id;
    const contrast = doc.tracks.find((t) => t.label === 'Contrast spread')!.id;
    // Drawing tool stand-in: 100 needle keyframes and 20 contours spread over the run.
    await page.evaluate(
      ([key, n, c]) => {
        for (let f = 1; f <= 2000; f += 20) window.__fluorolens!.drawKeyframe(key, n, f, { tip: { x: 10 + (f % 40), y: 20 } });
        for (let f = 1000; f <= 2000; f += 50)
          window.__fluorolens!.drawKeyframe(key, c, f, {
            contour: [
              { x: 30, y: 30 },
              { x: 30 + f / 100, y: 30 },
              { x: 30, y: 30 + f / 100 },
            ],
          });
      },
      [runKey, needle, contrast] as const,
    );
    const timeline = page.getByRole('group', { name: 'Timeline' });
    const needleLane = timeline.getByRole('list', { name: 'Needle tip', exact: true });
    await expect.poll(() => needleLane.getByRole('listitem').count()).toBe(100);
    expect(await timeline.getByRole('list', { name: 'Contrast spread', exact: true }).getByRole('listitem').count()).toBe(21);
    expect(await timeline.locator('rect').count()).toBe(99 + 20);
    expect(await timeline.locator('*').count(), 'timeline DOM size follows keyframes, not frames').toBeLessThan(600);

    await timeline.getByRole('button', { name: 'Needle tip keyframe at frame 1981', exact: true }).click();
    await expect.poll(() => currentFrame(page)).toBe('1981');
    const figure = page.getByRole('figure', { name: 'Measurements chart' });
    const over = figure.locator('.u-over');
    const box = (await over.boundingBox())!;
    await over.click({ position: { x: box.width / 2, y: box.height / 2 } });
    // Frames start every 66.67 ms, so the middle of the time axis is the nearest frame start to it.
    const middle = (1999 * 66.67) / 2;
    await expect.poll(() => currentFrame(page)).toBe(String(Math.round(middle / 66.67) + 1));

    // For the record only (the bench measures speed; this test does not assert it). Profiling showed the
    // step cost is the viewport render, not the lanes: hiding the timeline and side panel changed nothing.
    await waitForMark(page, 'fluorolens:run-decoded', runKey, 120_000);
    const perStepMs = await page.evaluate(async () => {
      const start = performance.now();
      for (let i = 0; i < 50; i++) {
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      return (performance.now() - start) / 50;
    });
    console.info(`[timeline] 2,000-frame run, 100+21 keyframes: ${perStepMs.toFixed(1)} ms per frame step (incl. one animation frame)`);
    await shot(page, 'timeline-2000-frames.png', timeline);
  });
});

describe('side by side', () => {
  let app: App;
  beforeAll(async () => {
    app = await launchApp();
    await waitForMark(app.page, 'fluorolens:first-frame');
  });
  afterAll(async () => app?.close());

  it('gives each pane its own timeline; keys act on the active pane and the side panel follows it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Side by side' }).click();
    const viewers = [page.getByRole('region', { name: 'Viewer 1' }), page.getByRole('region', { name: 'Viewer 2' })];
    await viewers[1].getByRole('group', { name: 'Timeline' }).waitFor();
    const runs = await page.evaluate(() => window.__fluorolens!.runs());
    const runKeyIn = async (viewer: Locator) => {
      await expect.poll(() => viewer.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax')).not.toBe('0');
      const frames = Number(await viewer.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuemax'));
      const matching = runs.filter((r) => r.frames === frames);
      expect(matching, 'sample runs have distinct frame counts').toHaveLength(1);
      return matching[0].key;
    };
    const [first, second] = [await runKeyIn(viewers[0]), await runKeyIn(viewers[1])];
    expect(first).not.toBe(second);

    const timeline1 = viewers[0].getByRole('group', { name: 'Timeline' });
    await timeline1.getByRole('button', { name: 'Add track' }).click();
    await timeline1.getByRole('menuitem', { name: 'Needle tip', exact: true }).click();
    const needle = (await savedDoc(page, first)).tracks[0].id;
    for (const f of [1, 5]) await draw(page, first, needle, f, { tip: { x: 40 + f, y: 40 } }); // drawing tool stand-in
    await timeline1.getByRole('button', { name: 'Select Needle tip track' }).click();
    await page.keyboard.press('.');
    await expect.poll(() => viewers[0].getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuenow')).toBe('5');

    // Viewer 2 becomes active: its run has no such track, so the keys leave Viewer 1 alone.
    const timeline2 = viewers[1].getByRole('group', { name: 'Timeline' });
    await timeline2.getByRole('button', { name: 'Add track' }).click();
    await page.keyboard.press('Escape');
    await page.keyboard.press(',');
    await timeline2.getByText('Select a track first').waitFor();
    expect(await viewers[0].getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuenow')).toBe('5');

    const form = page.getByRole('form', { name: 'Case record' });
    await form.getByRole('combobox', { name: 'Procedure' }).selectOption({ label: 'Caudal epidural steroid injection' });
    await expect.poll(async () => (await savedDoc(page, second)).caseRecord.procedure).toBe('caudalEsi');
    expect((await savedDoc(page, first)).caseRecord.procedure).toBeNull();
    // Back in Viewer 1, the form shows Viewer 1's run again.
    await timeline1.getByRole('button', { name: 'Select Needle tip track' }).click();
    await expect.poll(() => form.getByRole('combobox', { name: 'Procedure' }).inputValue()).toBe('');
    await shot(page, 'timeline-side-by-side.png');
    // The side panel folds away to widen the panes, and comes back.
    const width = (await viewers[0].boundingBox())!.width;
    await page.getByRole('button', { name: 'Hide measurements and case record' }).click();
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(async () => (await viewers[0].boundingBox())!.width).toBeGreaterThan(width + 100);
    await shot(page, 'timeline-side-by-side-folded.png');
    await page.getByRole('button', { name: 'Show measurements and case record' }).click();
    await form.waitFor();
  });
});
