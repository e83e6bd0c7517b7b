/**
 * The timeline on the built app: lanes, keyframe marks, spans, seeking, moving and adding
 * keyframes, caption ranges, a 2,000-frame run, and one timeline per pane side by side.
 *
 * Tracks are added with the timeline's "Add track" menu and keyframes with "Add keyframe" and the
 * K / Delete / , / . keys. Where the user would draw with the Needle tip, Target or Contrast spread
 * tool, the tests put geometry in with the `drawKeyframe` test hook instead (marked "drawing tool
 * stand-in" below): those tools are tested on their own. Tests after the first start from the work
 * it builds, imported as an annotation file (documents.ts, timelineStartingPoint).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';
import { lerp, square, timelineStartingPoint, truthTarget, truthTip } from './documents';
import { launchApp, launchOnSamples, meanColourAt, sampleFile, sampleTruth, scratchDir, type App, type Point } from './driver';

const RUN = 'l4-tfesi-ap-512';
const truth = sampleTruth(RUN);
const tipAt = (frame: number): Point => truthTip(truth, frame);
const targetCentre = truthTarget(truth);

describe(`timeline on ${RUN}`, () => {
  let app: App;
  let runKey: string;

  beforeEach(async () => {
    app = await launchApp({ samples: false });
    runKey = await app.openRun(sampleFile(`${RUN}.dcm`));
  });
  afterEach(async () => app?.close());

  /** The id of the track with this label. */
  async function trackId(label: string): Promise<string> {
    const track = (await app.savedDoc(runKey)).tracks.find((t) => t.label === label);
    expect(track, `track ${label}`).toBeTruthy();
    return track!.id;
  }

  /** The work the first test builds, imported. */
  const startFromTracks = () => app.startFrom(runKey, timelineStartingPoint(truth));

  it('adds tracks from the Add track menu and shows keyframes as marks at their frames', async () => {
    const timeline = app.timeline();
    await timeline.getByText('No tracks yet').waitFor();
    await app.addTrack('Needle tip');
    const needle = await trackId('Needle tip');
    // A new track has nothing to copy: Add keyframe says to draw it first.
    await timeline.getByRole('button', { name: 'Add keyframe' }).click();
    await timeline.getByText('Draw the needle tip with its tool first').waitFor();

    for (const f of [1, 30, 60]) await app.drawKeyframe(runKey, needle, f, { tip: tipAt(f) }); // drawing tool stand-in
    await app.addTrack('Target');
    await app.drawKeyframe(runKey, await trackId('Target'), 20, { center: targetCentre, radiusPx: 6 }); // drawing tool stand-in
    await app.addTrack('Contrast spread');
    const contrast = await trackId('Contrast spread');
    await app.drawKeyframe(runKey, contrast, 34, { contour: square(240, 270, 10) }); // drawing tool stand-in: 400 px²
    await app.drawKeyframe(runKey, contrast, 60, { contour: square(240, 280, 20) }); // 1600 px²
    await app.addTrack('Caption');

    // Add keyframe (UI) at frame 15 on the needle: it takes the interpolated tip.
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).click();
    await app.goToFrame(15);
    await timeline.getByRole('button', { name: 'Add keyframe' }).click();
    const needleLane = app.lane('Needle tip');
    await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 15' }).waitFor();
    expect(await app.markFrames(needleLane)).toEqual([1, 15, 30, 60]);
    const saved = (await app.savedDoc(runKey)).tracks.find((t) => t.id === needle)!;
    const tip15 = saved.keyframes.find((k) => k.frame === 15)!.geometry.tip as Point;
    const expected = lerp(tipAt(1), tipAt(30), 14 / 29);
    expect(tip15.x).toBeCloseTo(expected.x, 6);
    expect(tip15.y).toBeCloseTo(expected.y, 6);

    expect(await app.markFrames(app.lane('Target'))).toEqual([20]);
    expect(await app.markFrames(app.lane('Contrast spread'))).toEqual([34, 60]);
    expect(await app.markFrames(app.lane('Caption'))).toEqual([]);

    // Marks sit at the centre of their frame's cell along the lane.
    const box = (await needleLane.locator('xpath=..').boundingBox())!;
    for (const f of [1, 15, 30, 60]) {
      const mark = (await needleLane.getByRole('button', { name: `Needle tip keyframe at frame ${f}`, exact: true }).boundingBox())!;
      const centre = mark.x + mark.width / 2;
      expect(Math.abs(centre - (box.x + ((f - 0.5) / truth.frames) * box.width)), `mark ${f}`).toBeLessThan(1.5);
    }
    // The work it built is the starting point the other tests import.
    const rounded = (tracks: Array<{ kind: string; keyframes: unknown }>) =>
      JSON.stringify(
        tracks.map(({ kind, keyframes }) => ({ kind, keyframes })),
        (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v),
      );
    expect(rounded((await app.savedDoc(runKey)).tracks)).toBe(rounded(timelineStartingPoint(truth).tracks));
  });

  it('shades interpolated spans, holds the target lighter and draws the caption range as a bar', async () => {
    await startFromTracks();
    const timeline = app.timeline();
    const spans = (name: string, kind: string) =>
      app
        .lane(name)
        .locator('xpath=..')
        .locator(`rect.span-${kind}`)
        .evaluateAll((rects) => rects.map((r) => `${r.getAttribute('data-from')}-${r.getAttribute('data-to')}`));
    expect(await spans('Needle tip', 'interpolated')).toEqual(['1-15', '15-30', '30-60']);
    expect(await spans('Target', 'held')).toEqual(['1-20', '20-60']);
    expect(await spans('Target', 'interpolated')).toEqual([]);
    expect(await spans('Contrast spread', 'interpolated')).toEqual(['34-60']);
    expect(await spans('Caption', 'range')).toEqual(['1-60']);

    // On screen: the contrast lane is shaded in its colour between its keyframes, and not before.
    await app.goToFrame(1);
    const colourAt = async (lane: Locator, fx: number) => meanColourAt(await app.pixelsOf(lane.locator('xpath=..')), fx, 0.5);
    const before = await colourAt(app.lane('Contrast spread'), 20 / 60);
    const between = await colourAt(app.lane('Contrast spread'), 47 / 60);
    expect(between[2] - before[2], `blue shading between keyframes (${between} vs ${before})`).toBeGreaterThan(40);
    const held = await colourAt(app.lane('Target'), 40 / 60);
    const interpolated = await colourAt(app.lane('Needle tip'), 40 / 60);
    const lift = (c: number[], base: number[]) => c.reduce((s, v, i) => s + v - base[i], 0);
    expect(lift(held, before), 'held span is shaded').toBeGreaterThan(15);
    expect(lift(held, before), 'held span is lighter than an interpolated one').toBeLessThan(lift(interpolated, before));
    await app.screenshot('timeline-lanes', timeline);
  });

  it('seeks when a mark is clicked and moves the current-frame line', async () => {
    await startFromTracks();
    const { page } = app;
    const timeline = app.timeline();
    await timeline.getByRole('button', { name: 'Needle tip keyframe at frame 30' }).click();
    await expect.poll(() => app.frame()).toBe(30);
    const mark = (await timeline.getByRole('button', { name: 'Needle tip keyframe at frame 30' }).boundingBox())!;
    const line = (await timeline.locator('.timeline-playhead').boundingBox())!;
    expect(Math.abs(line.x + line.width / 2 - (mark.x + mark.width / 2))).toBeLessThan(1.5);
    await timeline.getByRole('button', { name: 'Contrast spread keyframe at frame 34' }).click();
    await expect.poll(() => app.frame()).toBe(34);
    expect(await timeline.getByRole('button', { name: 'Select Contrast spread track' }).getAttribute('aria-pressed')).toBe('true');
    // Clicking a lane away from its marks selects its track and leaves the frame alone.
    const targetArea = (await app.lane('Target').locator('xpath=..').boundingBox())!;
    await page.mouse.click(targetArea.x + targetArea.width * 0.8, targetArea.y + targetArea.height / 2);
    await expect.poll(() => timeline.getByRole('button', { name: 'Select Target track' }).getAttribute('aria-pressed')).toBe('true');
    expect(await timeline.getByRole('button', { name: 'Select Contrast spread track' }).getAttribute('aria-pressed')).toBe('false');
    expect(await app.frame()).toBe(34);
    // The frame ruler above the lanes scrubs (a pointer convenience beside the Frame slider).
    const ruler = timeline.locator('.ruler-scale');
    const scale = (await ruler.boundingBox())!;
    await ruler.click({ position: { x: (44.5 / 60) * scale.width, y: scale.height / 2 } });
    await expect.poll(() => app.frame()).toBe(45);
    expect(await ruler.locator('.ruler-tick').allTextContents()).toEqual(['1', '10', '20', '30', '40', '50', '60']);
  });

  it('moves a keyframe by dragging its mark along the lane (one undo step)', async () => {
    await startFromTracks();
    const { page } = app;
    await app.goToFrame(34);
    const timeline = app.timeline();
    const needleLane = app.lane('Needle tip');
    const area = (await needleLane.locator('xpath=..').boundingBox())!;
    const mark = (await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 15', exact: true }).boundingBox())!;
    const y = mark.y + mark.height / 2;
    await page.mouse.move(mark.x + mark.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(area.x + (21.5 / 60) * area.width, y, { steps: 8 });
    await timeline.locator('.keyframe-drop').getByText('22').waitFor();
    await page.mouse.up();
    await expect.poll(() => app.markFrames(needleLane)).toEqual([1, 22, 30, 60]);
    await expect.poll(() => app.frame()).toBe(22);
    expect(await timeline.locator('.keyframe-drop').count()).toBe(0);
    const moved = (await app.savedDoc(runKey)).tracks.find((t) => t.label === 'Needle tip')!.keyframes.find((k) => k.frame === 22)!.geometry
      .tip as Point;
    expect(moved.x).toBeCloseTo(lerp(tipAt(1), tipAt(30), 14 / 29).x, 6);
    // Dropping on another keyframe of the track moves nothing.
    const at22 = (await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 22', exact: true }).boundingBox())!;
    await page.mouse.move(at22.x + at22.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(area.x + (29.5 / 60) * area.width, y, { steps: 8 });
    await page.mouse.up();
    expect(await app.markFrames(needleLane)).toEqual([1, 22, 30, 60]);
    await app.undoButton().click();
    await expect.poll(() => app.markFrames(needleLane)).toEqual([1, 15, 30, 60]);
  });

  it('K adds, Delete/Backspace remove, and , / . jump between keyframes of the selected track', async () => {
    await startFromTracks();
    const { page } = app;
    const timeline = app.timeline();
    const needleLane = app.lane('Needle tip');
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).click();
    await app.goToFrame(20);
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).focus();
    await page.keyboard.press('.');
    await expect.poll(() => app.frame()).toBe(30);
    await page.keyboard.press('.');
    await expect.poll(() => app.frame()).toBe(60);
    await page.keyboard.press(',');
    await page.keyboard.press(',');
    await expect.poll(() => app.frame()).toBe(15);
    await page.keyboard.press(',');
    await expect.poll(() => app.frame()).toBe(1);
    await page.keyboard.press(',');
    await timeline.getByText('No earlier keyframe').waitFor();

    await app.goToFrame(45);
    await timeline.getByRole('button', { name: 'Select Needle tip track' }).focus();
    await page.keyboard.press('k');
    await needleLane.getByRole('button', { name: 'Needle tip keyframe at frame 45' }).waitFor();
    const tip45 = (await app.savedDoc(runKey)).tracks.find((t) => t.label === 'Needle tip')!.keyframes.find((k) => k.frame === 45)!.geometry
      .tip as Point;
    expect(tip45.x).toBeCloseTo(lerp(tipAt(30), tipAt(60), 15 / 30).x, 6);
    await page.keyboard.press('Delete');
    await expect.poll(() => app.markFrames(needleLane)).toEqual([1, 15, 30, 60]);
    await page.keyboard.press('K');
    await expect.poll(() => app.markFrames(needleLane)).toEqual([1, 15, 30, 45, 60]);
    await page.keyboard.press('Backspace');
    await expect.poll(() => app.markFrames(needleLane)).toEqual([1, 15, 30, 60]);

    // Typing in the case record's notes is not a keyframe command.
    const notes = page.getByRole('form', { name: 'Case record' }).getByRole('textbox', { name: 'Notes' });
    await notes.click();
    await page.keyboard.type('k.');
    expect(await app.markFrames(needleLane)).toEqual([1, 15, 30, 60]);
    expect(await app.frame()).toBe(45);
  });

  it("sets the selected caption's frame range from the current frame, shown as its bar", async () => {
    await startFromTracks();
    const timeline = app.timeline();
    await timeline.getByRole('button', { name: 'Select Caption track' }).click();
    await app.goToFrame(11);
    // A text being typed stays through Here (the form was rebuilt with the range, and the draft lost).
    const text = timeline.getByRole('textbox', { name: 'Caption text' });
    await text.fill('Dye along the L4 root');
    await timeline.getByRole('button', { name: 'Caption starts here' }).click();
    await app.goToFrame(30);
    await timeline.getByRole('button', { name: 'Caption ends here' }).click();
    expect(await text.inputValue()).toBe('Dye along the L4 root');
    expect(await timeline.getByRole('spinbutton', { name: 'From', exact: true }).inputValue()).toBe('11');
    expect(await timeline.getByRole('spinbutton', { name: 'To', exact: true }).inputValue()).toBe('30');
    const bar = app.lane('Caption').locator('xpath=..').locator('rect.span-range');
    await expect.poll(() => bar.evaluate((r) => `${r.getAttribute('data-from')}-${r.getAttribute('data-to')}`)).toBe('11-30');
    const caption = (await app.savedDoc(runKey)).tracks.find((t) => t.label === 'Caption');
    expect(caption).toMatchObject({ range: { from: 11, to: 30 } });
    expect(caption).not.toMatchObject({ text: 'Dye along the L4 root' }); // not set until Set caption
    await timeline.getByRole('button', { name: 'Set caption' }).click();
    await expect
      .poll(async () => (await app.savedDoc(runKey)).tracks.find((t) => t.label === 'Caption'))
      .toMatchObject({ text: 'Dye along the L4 root', range: { from: 11, to: 30 } });
    const area = (await bar.locator('xpath=../..').boundingBox())!;
    const drawn = (await bar.boundingBox())!;
    expect(Math.abs(drawn.x - (area.x + (10 / 60) * area.width))).toBeLessThan(1.5);
    expect(Math.abs(drawn.x + drawn.width - (area.x + (30 / 60) * area.width))).toBeLessThan(1.5);
    await app.screenshot('timeline-caption', timeline);
  });
});

/** A 64×64, 2,000-frame native run at 15 fps (8 MB): long enough to show per-frame rendering costs. */
function longRun(frames: number): string {
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
  const file = join(scratchDir('long'), `long-${frames}.dcm`);
  writeFileSync(file, bytes);
  return file;
}

describe('timeline of a 2,000-frame run', () => {
  const FRAMES = 2000;
  let app: App;
  beforeEach(async () => {
    app = await launchApp({ samples: false });
  });
  afterEach(async () => app?.close());

  it('draws one mark per keyframe and a handful of spans, not a cell per frame, and still seeks exactly', async () => {
    const { page } = app;
    const runKey = await app.openRun(longRun(FRAMES));
    await app.addTrack('Needle tip');
    await app.addTrack('Contrast spread');
    const doc = await app.savedDoc(runKey);
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
    const timeline = app.timeline();
    await expect.poll(() => app.lane('Needle tip').getByRole('listitem').count()).toBe(100);
    expect(await app.lane('Contrast spread').getByRole('listitem').count()).toBe(21);
    expect(await timeline.locator('rect').count()).toBe(99 + 20);
    expect(await timeline.locator('*').count(), 'timeline DOM size follows keyframes, not frames').toBeLessThan(600);

    await timeline.getByRole('button', { name: 'Needle tip keyframe at frame 1981', exact: true }).click();
    await expect.poll(() => app.frame()).toBe(1981);
    const figure = page.getByRole('figure', { name: 'Measurements chart' });
    const over = figure.locator('.u-over');
    const box = (await over.boundingBox())!;
    await over.click({ position: { x: box.width / 2, y: box.height / 2 } });
    // Frames start every 66.67 ms, so the middle of the time axis is the nearest frame start to it.
    const middle = (1999 * 66.67) / 2;
    await expect.poll(() => app.frame()).toBe(Math.round(middle / 66.67) + 1);

    // For the record only (the bench measures speed; this test does not assert it). Profiling showed the
    // step cost is the viewport render, not the lanes: hiding the timeline and side panel changed nothing.
    await app.waitForMark('fluorolens:run-decoded', runKey, 120_000);
    const perStepMs = await page.evaluate(async () => {
      const start = performance.now();
      for (let i = 0; i < 50; i++) {
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      return (performance.now() - start) / 50;
    });
    console.info(`[timeline] 2,000-frame run, 100+21 keyframes: ${perStepMs.toFixed(1)} ms per frame step (incl. one animation frame)`);
    await app.screenshot('timeline-2000-frames', timeline);
  });
});

describe('timelines side by side', () => {
  let app: App;
  beforeEach(async () => {
    app = await launchOnSamples();
  });
  afterEach(async () => app?.close());

  it('gives each pane its own timeline; keys act on the active pane and the side panel follows it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Side by side' }).click();
    await app.timeline(2).waitFor();
    // Side by side starts with the side panels folded: open the one this test uses.
    await page.getByRole('button', { name: 'Show measurements and case record' }).click();
    const runs = await app.runs();
    const runKeyIn = async (pane: 1 | 2) => {
      await expect.poll(() => app.frameSlider(pane).getAttribute('aria-valuemax')).not.toBe('0');
      const frames = Number(await app.frameSlider(pane).getAttribute('aria-valuemax'));
      const matching = runs.filter((r) => r.frames === frames);
      expect(matching, 'sample runs have distinct frame counts').toHaveLength(1);
      return matching[0].key;
    };
    const [first, second] = [await runKeyIn(1), await runKeyIn(2)];
    expect(first).not.toBe(second);

    const timeline1 = app.timeline(1);
    await app.addTrack('Needle tip', 1);
    const needle = (await app.savedDoc(first)).tracks[0].id;
    for (const f of [1, 5]) await app.drawKeyframe(first, needle, f, { tip: { x: 40 + f, y: 40 } }); // drawing tool stand-in
    await timeline1.getByRole('button', { name: 'Select Needle tip track' }).click();
    await page.keyboard.press('.');
    await expect.poll(() => app.frame(1)).toBe(5);

    // Viewer 2 becomes active: its run has no such track, so the keys leave Viewer 1 alone.
    const timeline2 = app.timeline(2);
    await timeline2.getByRole('button', { name: 'Add track' }).click();
    await page.keyboard.press('Escape');
    await page.keyboard.press(',');
    await timeline2.getByText('Select a track first').waitFor();
    expect(await app.frame(1)).toBe(5);

    const form = page.getByRole('form', { name: 'Case record' });
    await form.getByRole('combobox', { name: 'Procedure' }).selectOption({ label: 'Caudal epidural steroid injection' });
    await expect.poll(async () => (await app.savedDoc(second)).caseRecord.procedure).toBe('caudalEsi');
    expect((await app.savedDoc(first)).caseRecord.procedure).toBeNull();
    // Back in Viewer 1, the form shows Viewer 1's run again.
    await timeline1.getByRole('button', { name: 'Select Needle tip track' }).click();
    await expect.poll(() => form.getByRole('combobox', { name: 'Procedure' }).inputValue()).toBe('');
    await app.screenshot('timeline-side-by-side');
    // The side panel folds away to widen the panes, and comes back.
    const width = (await app.pane(1).boundingBox())!.width;
    await page.getByRole('button', { name: 'Hide measurements and case record' }).click();
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(async () => (await app.pane(1).boundingBox())!.width).toBeGreaterThan(width + 100);
    await app.screenshot('timeline-side-by-side-folded');
    await page.getByRole('button', { name: 'Show measurements and case record' }).click();
    await form.waitFor();
  });
});

describe('the timeline’s height', () => {
  let app: App;
  afterEach(async () => app?.close());

  // Fixed at 150 px, it held two and a half lanes at 1366×768 with the arrow's text row showing.
  it('is dragged up for more lanes (the picture gives the room), moved by ↑ ↓, remembered, and reset by a double-click', async () => {
    app = await launchOnSamples({ panels: 'default' });
    const { page } = app;
    const timeline = app.pane(1).locator('.pane-timeline');
    const viewport = app.pane(1).getByTestId('viewport');
    const separator = app.pane(1).getByRole('separator', { name: 'Timeline height' });
    const heightOf = async (l: Locator) => (await l.boundingBox())!.height;
    expect(await heightOf(timeline)).toBeCloseTo(150, 0);
    const pictureBefore = await heightOf(viewport);
    const edge = (await separator.boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2 - 50, { steps: 4 });
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2 - 100, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => heightOf(timeline)).toBeCloseTo(250, 0);
    await expect.poll(() => heightOf(viewport)).toBeCloseTo(pictureBefore - 100, 0);
    expect(await separator.getAttribute('aria-valuenow')).toBe('250');

    // The keyboard moves the edge, and the arrow keys do nothing else meanwhile (they pan the image elsewhere).
    const frame = await app.frame();
    await separator.focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => separator.getAttribute('aria-valuenow')).toBe('270');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => separator.getAttribute('aria-valuenow')).toBe('230');
    expect(await app.frame()).toBe(frame);

    await page.reload();
    await app.waitForMark('fluorolens:first-frame');
    await expect.poll(() => heightOf(app.pane(1).locator('.pane-timeline'))).toBeCloseTo(230, 0);
    await app.pane(1).getByRole('separator', { name: 'Timeline height' }).dblclick();
    await expect.poll(() => heightOf(app.pane(1).locator('.pane-timeline'))).toBeCloseTo(150, 0);
  });
});
