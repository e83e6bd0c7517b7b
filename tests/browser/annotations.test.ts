/**
 * Annotation tools through the UI in real Chromium: every mark is placed by clicking or dragging
 * in the viewport (image points are turned into page points with the imagePointOnPage hook), and
 * every check reads what a user gets out: the exported file, the Undo/Redo buttons, the alert
 * region and the SVG drawn over the image. Each test opens the run in a fresh app and, where it
 * needs earlier work, imports it as an annotation file first.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotationFile, dist, lerp, needleTrack, truthTarget, truthTip, type TrackSpec } from './documents';
import { corpusFile, launchApp, launchOnSamples, sampleFile, sampleTruth, type App, type Point, type SavedDocument } from './driver';

const RUN = 'l4-tfesi-ap-512';
const truth = sampleTruth(RUN);
const tipAt = (frame: number): Point => truthTip(truth, frame);
const targetCentre = truthTarget(truth);

function shoelace(points: Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i];
    const b = points[(i + 1) % points.length];
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}

function keyframe(doc: SavedDocument, kind: string, frame: number) {
  return doc.tracks.find((t) => t.kind === kind)?.keyframes.find((k) => k.frame === frame);
}

/** A fresh app, a tall window (a CSS pixel under an image pixel) and one run open in it. */
async function openInFreshApp(file = sampleFile(`${RUN}.dcm`)) {
  const app = await launchApp({ samples: false, viewport: { width: 1600, height: 1400 } });
  const runKey = await app.openRun(file);
  const columns = (await app.runs()).find((r) => r.key === runKey)!.columns;
  const imagePxPerCssPx = await app.imagePixelsPerCssPixel(columns);
  /** A click lands on a whole CSS pixel: up to half of one off in x and in y. */
  const clickTolerance = 0.75 * imagePxPerCssPx + 0.05;
  /**
   * A handle dragged from one image point to another moves by the difference of two such page
   * points (press and release): up to one CSS pixel off in x and in y.
   */
  const dragTolerance = 1.5 * imagePxPerCssPx + 0.05;
  return { app, runKey, clickTolerance, dragTolerance };
}

/** Clicks an image point and waits until the document has a keyframe of `kind` there. */
async function clickAt(app: App, runKey: string, kind: string, frame: number, p: Point): Promise<void> {
  const before = JSON.stringify(keyframe(await app.savedDoc(runKey), kind, frame) ?? null);
  await app.clickImage(p);
  // Cornerstone waits out its double-click window before it reports a click.
  await expect
    .poll(async () => JSON.stringify(keyframe(await app.savedDoc(runKey), kind, frame) ?? null), { timeout: 5000 })
    .not.toBe(before);
}

async function tipOn(app: App, runKey: string, frame: number): Promise<Point> {
  const k = keyframe(await app.savedDoc(runKey), 'needleTip', frame);
  expect(k, `needle tip keyframe at frame ${frame}`).toBeTruthy();
  return k!.geometry.tip as Point;
}

/** stroke-dasharray of the SVG shapes drawn for a track kind in the main viewport. */
async function dashes(app: App, kind: string): Promise<Array<string | null>> {
  return app.page
    .getByTestId('viewport')
    .locator(`svg [data-fluorolens-kind="${kind}"]`)
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('stroke-dasharray')));
}

// The tip marked on frames 1 and 31 and a contrast outline on frame 40: what the first tests draw by hand.
const TIPS_1_31 = needleTrack([1, 31], tipAt);
const CONTOUR_40: Point[] = [
  { x: 200, y: 270 },
  { x: 260, y: 262 },
  { x: 285, y: 300 },
  { x: 262, y: 345 },
  { x: 210, y: 340 },
  { x: 188, y: 305 },
];
const CONTRAST_40: TrackSpec = { kind: 'contrastSpread', keyframes: [{ frame: 40, geometry: { contour: CONTOUR_40 } }] };

describe('annotation tools on l4-tfesi-ap-512', () => {
  let app: App;
  let runKey: string;
  let clickTolerance: number;
  let dragTolerance: number;

  beforeEach(async () => {
    ({ app, runKey, clickTolerance, dragTolerance } = await openInFreshApp());
  });
  afterEach(async () => app?.close());

  it('starts with nothing to undo and places the needle tip on frames 1 and 31 by clicking', async () => {
    const undo = app.undoButton();
    await expect.poll(() => undo.isDisabled()).toBe(true);
    expect(await app.redoButton().isDisabled()).toBe(true);
    await app.chooseTool('Needle tip');
    for (const frame of [1, 31]) {
      await app.goToFrame(frame);
      await clickAt(app, runKey, 'needleTip', frame, tipAt(frame));
      const tip = await tipOn(app, runKey, frame);
      expect(dist(tip, tipAt(frame)), `tip placed where clicked on frame ${frame}`).toBeLessThan(clickTolerance);
    }
    expect(await undo.getAttribute('title')).toBe('Undo Add needle tip keyframe');
    await app.screenshot('annotations-needle-tip-keyframe');
  });

  it('exports <run>.fluorolens.json whose derived block has the midpoint at frame 16', async () => {
    await app.startFrom(runKey, annotationFile(truth, [TIPS_1_31]));
    const placed = new Map([1, 31].map((f) => [f, tipAt(f)]));
    const { name, doc } = await app.exportAnnotations();
    expect(name).toBe(`${RUN}.fluorolens.json`);
    expect(doc.derived.note).toMatch(/ignored on import/);
    const at16 = doc.derived.needleTip.positions.find((p) => p.frame === 16);
    const mid = lerp(placed.get(1)!, placed.get(31)!, 0.5);
    expect(at16?.source).toBe('interpolated');
    expect(at16!.x).toBeCloseTo(mid.x, 3);
    expect(at16!.y).toBeCloseTo(mid.y, 3);
    expect(doc.derived.needleTip.positions.filter((p) => p.source === 'keyframe').map((p) => p.frame)).toEqual([1, 31]);
  });

  it('draws interpolated frames dashed with hollow handles, keyframes solid', async () => {
    await app.startFrom(runKey, annotationFile(truth, [TIPS_1_31]));
    await app.goToFrame(16);
    await expect.poll(() => dashes(app, 'needleTip')).not.toHaveLength(0);
    const interpolated = await dashes(app, 'needleTip');
    expect(
      interpolated.every((d) => d !== null && d !== ''),
      `dasharray on frame 16: ${interpolated}`,
    ).toBe(true);
    await app.screenshot('annotations-needle-tip-interpolated');
    await app.goToFrame(31);
    await expect.poll(async () => (await dashes(app, 'needleTip')).every((d) => d === null)).toBe(true);
    expect(await dashes(app, 'needleTip')).not.toHaveLength(0);
  });

  it('draws a contrast contour by dragging a polygon; its exported area matches the shoelace area', async () => {
    const { page } = app;
    await app.goToFrame(40);
    await app.chooseTool('Contrast spread');
    await app.clearMarks('fluorolens:handle-move', 'fluorolens:annotation-rendered');
    await app.dragImage([...CONTOUR_40, CONTOUR_40[0]], 8);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'contrastSpread', 40)).toBeTruthy();
    // The outline is drawn while it is dragged (a draft until release), and the bench can time it.
    expect(await app.markCount('fluorolens:handle-move')).toBeGreaterThan(20);
    expect(await app.markCount('fluorolens:annotation-rendered')).toBeGreaterThan(10);
    const { doc } = await app.exportAnnotations();
    const area = doc.derived.contrastArea.px2[39]!;
    const expected = shoelace(CONTOUR_40);
    expect(Math.abs(area - expected) / expected, `area ${area} px² vs shoelace ${expected} px²`).toBeLessThan(0.03);
    expect(doc.derived.contrastArea.unit).toBe('mm²');
    const label = page.getByTestId('viewport').locator('svg text', { hasText: 'mm²' });
    await expect.poll(() => label.textContent()).toMatch(/Area [\d.]+ mm² \(Imager Pixel Spacing ÷ ERMF\)/);
    expect(await app.undoButton().getAttribute('title')).toBe('Undo Add contrast spread');
    await app.screenshot('annotations-contrast-spread');
  });

  it('undoes and redoes a whole drag as one step, by buttons and by keys', async () => {
    const { page } = app;
    await app.startFrom(runKey, annotationFile(truth, [TIPS_1_31]));
    await app.goToFrame(31);
    await app.chooseTool('Window/level');
    const before = await tipOn(app, runKey, 31);
    const moved = { x: before.x + 24, y: before.y + 18 };
    await app.dragImage([before, moved], 10);
    await expect.poll(async () => dist(await tipOn(app, runKey, 31), moved)).toBeLessThan(dragTolerance);
    const after = await tipOn(app, runKey, 31);
    const undo = app.undoButton();
    const redo = app.redoButton();
    expect(await undo.getAttribute('title')).toBe('Undo Move needle tip');
    await undo.click();
    await expect.poll(() => tipOn(app, runKey, 31)).toEqual(before);
    expect(await redo.getAttribute('title')).toBe('Redo Move needle tip');
    await redo.click();
    await expect.poll(() => tipOn(app, runKey, 31)).toEqual(after);
    await page.locator('body').press('Control+z');
    await expect.poll(() => tipOn(app, runKey, 31)).toEqual(before);
    await page.locator('body').press('Control+Shift+Z');
    await expect.poll(() => tipOn(app, runKey, 31)).toEqual(after);
    await page.locator('body').press('Control+z');
    await expect.poll(() => tipOn(app, runKey, 31)).toEqual(before);
    await page.locator('body').press('Control+y');
    await expect.poll(() => tipOn(app, runKey, 31)).toEqual(after);
    expect(await redo.isDisabled()).toBe(true);
  });

  it('refuses a malformed file and one made for another run, leaving the work as it was', async () => {
    const { page } = app;
    await app.startFrom(runKey, annotationFile(truth, [TIPS_1_31, CONTRAST_40]));
    const work = JSON.stringify((await app.savedDoc(runKey)).tracks);
    await app.importAnnotations('{ "type": "fluorolens-annotations", "version": 1, "run": ', 'annotations-malformed.json');
    const alerts = page.getByRole('alert');
    await expect.poll(() => alerts.textContent()).toMatch(/annotations-malformed\.json.*not valid JSON/);
    const other = (await app.exportAnnotations()).doc as unknown as { run: Record<string, unknown> };
    other.run = { ...other.run, seriesInstanceUID: '1.2.3.999', sopInstanceUIDs: ['1.2.3.999.1'] };
    await app.importAnnotations(other, 'annotations-other-run.json');
    // Named by its title, not "the open run": which run is meant is the first thing a reader asks.
    await expect.poll(() => alerts.textContent()).toMatch(/annotations-other-run\.json.*not L4 TFESI AP \(synthetic\) \(series /);
    expect(JSON.stringify((await app.savedDoc(runKey)).tracks)).toBe(work);
    await app.screenshot('annotations-import-refused');

    // A file made for another run that is open says which, and where to import it.
    const lateral = await app.openRun(sampleFile('l4-lat-be8.dcm'));
    await app.chooseTool('Needle tip');
    await app.clickImage({ x: 100, y: 100 });
    await expect.poll(async () => (await app.savedDoc(lateral)).tracks.length).toBe(1);
    const exported = await app.exportAnnotations();
    expect(exported.name).toBe('l4-lat-be8.fluorolens.json');
    await app.showRunFromList(/^L4 TFESI AP/);
    // The pane shows the AP run (60 frames; the lateral has 8) before its Import is used.
    await expect.poll(() => app.pane(1).getByTestId('viewport').getAttribute('aria-label')).toMatch(/ of 60$/);
    await app.importAnnotations(exported.text, 'lateral.fluorolens.json');
    await expect
      .poll(() => alerts.textContent())
      .toMatch(
        /lateral\.fluorolens\.json: not imported, your annotations are unchanged: these annotations were made for L4 TFESI lateral, big endian 8-bit \(synthetic\), which is open too, not for L4 TFESI AP \(synthetic\): show that run and import them there/,
      );
    expect(JSON.stringify((await app.savedDoc(runKey)).tracks)).toBe(work);
    expect((await app.savedDoc(lateral)).tracks).toHaveLength(1);
  });

  it('tells an autosave that failed: "Not saved" and an alert naming the run, until a save succeeds again', async () => {
    const { page } = app;
    const status = page.getByRole('status', { name: 'Autosave status' });
    const alerts = page.getByRole('alert');
    // The browser's storage refuses writes, as when it is full (IndexedDB's put throws).
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      (window as unknown as { restorePut: () => void }).restorePut = () => (IDBObjectStore.prototype.put = put);
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await app.chooseTool('Needle tip');
    await clickAt(app, runKey, 'needleTip', 1, tipAt(1));
    await expect.poll(() => status.textContent()).toBe('Not saved');
    expect(await status.getAttribute('title')).toMatch(/^Not saved: autosave failed: QuotaExceededError/);
    await expect
      .poll(() => alerts.textContent())
      .toMatch(new RegExp(`${RUN}\\.dcm.*annotations could not be saved in this browser.*QuotaExceededError.*Export annotations`));
    await app.screenshot('annotations-autosave-failed');
    // A second failed save does not add a second alert.
    await app.goToFrame(31);
    await clickAt(app, runKey, 'needleTip', 31, tipAt(31));
    await page.waitForTimeout(1500);
    expect(await alerts.getByText(/could not be saved/).count()).toBe(1);
    // Storage works again: the next save succeeds and says so; the work was kept in memory all along.
    await page.evaluate(() => (window as unknown as { restorePut: () => void }).restorePut());
    await app.goToFrame(40);
    await clickAt(app, runKey, 'needleTip', 40, tipAt(40));
    await expect.poll(() => status.textContent()).toBe('Saved');
    expect((await app.savedDoc(runKey)).tracks[0].keyframes.map((k) => k.frame)).toEqual([1, 31, 40]);
  });

  it('keeps the work over a reload: autosaved, then restored when the run is opened again', async () => {
    const { page } = app;
    await app.startFrom(runKey, annotationFile(truth, [TIPS_1_31, CONTRAST_40]));
    const work = JSON.stringify((await app.savedDoc(runKey)).tracks);
    await expect.poll(() => page.getByRole('status', { name: 'Autosave status' }).textContent()).toBe('Saved');
    await page.reload();
    const again = await app.openRun(sampleFile(`${RUN}.dcm`));
    const status = page.getByRole('status', { name: 'Autosave status' });
    await expect.poll(() => status.textContent()).toBe('Restored 2 tracks');
    expect(await status.getAttribute('title')).toBe('Restored 2 tracks from autosave');
    // Read whole in the toolbar's fixed box (two short lines), not cut to "Restored 2 t…".
    expect(await status.evaluate((e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight)).toBe(true);
    expect(JSON.stringify((await app.savedDoc(again)).tracks)).toBe(work);
    const shownKinds = async () =>
      (await page.evaluate(() => window.__fluorolens!.annotationsShown('main')))?.tracks.map((t) => `${t.kind} ${t.source}`);
    await app.goToFrame(40);
    await expect.poll(shownKinds).toEqual(['contrastSpread keyframe']);
    await app.goToFrame(16);
    await expect.poll(shownKinds).toEqual(['needleTip interpolated']);
    await app.screenshot('annotations-restored');
  });
});

describe('tip-to-target distance from marks at the ground truth', () => {
  let app: App;
  let runKey: string;
  let clickTolerance: number;
  const KEYFRAMES = [1, 15, 30, 45, 60];

  beforeEach(async () => {
    ({ app, runKey, clickTolerance } = await openInFreshApp());
  });
  afterEach(async () => app?.close());

  it('gives per-frame distances that match the truth geometry', async () => {
    await app.chooseTool('Needle tip');
    for (const frame of KEYFRAMES) {
      await app.goToFrame(frame);
      await clickAt(app, runKey, 'needleTip', frame, tipAt(frame));
    }
    await app.goToFrame(1);
    await app.chooseTool('Target');
    await clickAt(app, runKey, 'target', 1, targetCentre);
    await app.screenshot('annotations-target-and-tip');
    const { doc } = await app.exportAnnotations();
    const tips = new Map(KEYFRAMES.map((f) => [f, keyframe(doc, 'needleTip', f)!.geometry.tip as Point]));
    const target = keyframe(doc, 'target', 1)!.geometry.center as Point;
    expect(dist(target, targetCentre)).toBeLessThan(clickTolerance);
    const { tipToTarget } = doc.derived;
    expect(tipToTarget.unit).toBe('mm');
    expect(tipToTarget.spacingSource).toBe('Imager Pixel Spacing corrected by ERMF');
    for (let frame = 1; frame <= truth.frames; frame++) {
      const px = tipToTarget.px[frame - 1]!;
      const k = KEYFRAMES.findLastIndex((f) => f <= frame);
      const a = KEYFRAMES[k];
      const b = KEYFRAMES[Math.min(k + 1, KEYFRAMES.length - 1)];
      const t = b === a ? 0 : (frame - a) / (b - a);
      if (tips.has(frame)) {
        // On keyframes: exactly the distance between the stored marks, and the marks sit on the truth.
        expect(px).toBeCloseTo(dist(tips.get(frame)!, target), 3);
        expect(dist(tips.get(frame)!, tipAt(frame))).toBeLessThan(clickTolerance);
      }
      // Everywhere: the linear path between the truth keyframes, within what a click can miss by.
      const expectedPx = dist(lerp(tipAt(a), tipAt(b), t), targetCentre);
      expect(Math.abs(px - expectedPx), `frame ${frame}: ${px} px vs ${expectedPx} px`).toBeLessThan(2 * clickTolerance);
      expect(tipToTarget.mm![frame - 1]).toBeCloseTo(px * truth.patientPlaneSpacingMm[0], 3);
    }
  });
});

describe('arrow, caption, target ring, needle shaft and editing an interpolated frame', () => {
  let app: App;
  let runKey: string;
  let clickTolerance: number;
  let dragTolerance: number;
  const HUB = { x: 134.57, y: 171.73 };
  /** The shaft drawn from hub to tip on frame 2, as the first test here draws it. */
  const SHAFT_2: TrackSpec = { kind: 'needleTip', keyframes: [{ frame: 2, geometry: { tip: tipAt(2), hub: HUB } }] };

  beforeEach(async () => {
    ({ app, runKey, clickTolerance, dragTolerance } = await openInFreshApp());
  });
  afterEach(async () => app?.close());

  const viewportShot = (name: string) => app.screenshot(`annotations-${name}`, app.page.getByTestId('viewport'));
  const svgText = () => app.page.getByTestId('viewport').locator('svg text').allTextContents();

  it('draws the needle shaft by dragging from hub to tip', async () => {
    await app.chooseTool('Needle tip');
    await app.goToFrame(2);
    await app.dragImage([HUB, tipAt(2)], 8);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'needleTip', 2)).toBeTruthy();
    const g = keyframe(await app.savedDoc(runKey), 'needleTip', 2)!.geometry as { tip: Point; hub: Point };
    expect(dist(g.hub, HUB)).toBeLessThan(clickTolerance);
    expect(dist(g.tip, tipAt(2))).toBeLessThan(clickTolerance);
    expect(await dashes(app, 'needleTip')).toHaveLength(5); // four crosshair arms and the shaft, all solid
    expect((await dashes(app, 'needleTip')).every((d) => d === null)).toBe(true);
    await viewportShot('needle-shaft');
  });

  it('makes a keyframe where a handle is dragged on an interpolated frame, as one undo step', async () => {
    const { page } = app;
    // Drawn as the shaft test draws it, not imported: where the drag lands depends on the whole
    // CSS pixels the keyframes were placed from, and the tolerance below was set for these.
    await app.chooseTool('Needle tip');
    await app.goToFrame(2);
    await app.dragImage([HUB, tipAt(2)], 8);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'needleTip', 2)).toBeTruthy();
    await app.goToFrame(22);
    await clickAt(app, runKey, 'needleTip', 22, tipAt(22));
    await app.goToFrame(12);
    await app.chooseTool('Window/level');
    const shown = (await app.savedDoc(runKey)).derived.needleTip.positions.find((p) => p.frame === 12)!;
    expect(shown.source).toBe('interpolated');
    const marksBefore = await app.markCount('fluorolens:handle-move');
    const target = { x: shown.x + 15, y: shown.y - 10 };
    await app.dragImage([shown, target], 8);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'needleTip', 12)).toBeTruthy();
    expect(dist(await tipOn(app, runKey, 12), target)).toBeLessThan(dragTolerance);
    const undo = app.undoButton();
    expect(await undo.getAttribute('title')).toBe('Undo Add needle tip keyframe');
    // The bench measures from each pointer move to the redraw: both marks are there.
    const marks = await page.evaluate(() => ({
      moves: performance.getEntriesByName('fluorolens:handle-move').map((m) => m.startTime),
      renders: performance.getEntriesByName('fluorolens:annotation-rendered').map((m) => m.startTime),
    }));
    expect(marks.moves.length).toBeGreaterThan(marksBefore);
    expect(marks.renders.some((t) => t > marks.moves[marks.moves.length - 1])).toBe(true);
    await undo.click();
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'needleTip', 12)).toBeUndefined();
    expect(keyframe(await app.savedDoc(runKey), 'needleTip', 22)).toBeTruthy();
  });

  it('places a target and resizes it by dragging its ring', async () => {
    await app.goToFrame(5);
    await app.chooseTool('Target');
    const centre = { x: 340.5, y: 300.5 };
    await clickAt(app, runKey, 'target', 5, centre);
    const placed = keyframe(await app.savedDoc(runKey), 'target', 5)!.geometry as { center: Point; radiusPx: number };
    expect(dist(placed.center, centre)).toBeLessThan(clickTolerance);
    await app.chooseTool('Window/level');
    const onRing = { x: placed.center.x + placed.radiusPx, y: placed.center.y };
    await app.dragImage([onRing, { x: placed.center.x + 30, y: placed.center.y }], 6);
    await expect
      .poll(async () => (keyframe(await app.savedDoc(runKey), 'target', 5)!.geometry as { radiusPx: number }).radiusPx)
      .toBeGreaterThan(28);
    const resized = keyframe(await app.savedDoc(runKey), 'target', 5)!.geometry as { center: Point; radiusPx: number };
    expect(resized.center).toEqual(placed.center);
    expect(resized.radiusPx).toBeLessThan(30 + clickTolerance);
    expect(await app.undoButton().getAttribute('title')).toBe('Undo Move target');
    await viewportShot('target');
    // Away from its keyframe the target is held: drawn dashed.
    await app.goToFrame(40);
    await expect.poll(() => dashes(app, 'target')).toEqual(['6,4']);
    await viewportShot('target-held');
  });

  it('gives a press to the chosen tool beside another mark: the target by the tip, the tip on the target’s ring', async () => {
    await app.goToFrame(5);
    const columns = (await app.runs()).find((r) => r.key === runKey)!.columns;
    const imagePxPerCssPx = await app.imagePixelsPerCssPixel(columns);
    const tip = { x: 300.5, y: 300.5 };
    await app.chooseTool('Needle tip');
    await clickAt(app, runKey, 'needleTip', 5, tip);
    const tipPlaced = await tipOn(app, runKey, 5);
    // 12 CSS px from the tip: on its crosshair's arm, where a target beside the tip is clicked.
    const centre = { x: tip.x + 12 * imagePxPerCssPx, y: tip.y + 3 * imagePxPerCssPx };
    await app.chooseTool('Target');
    await app.clickImage(centre);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'target', 5), { timeout: 5000 }).toBeTruthy();
    const target = keyframe(await app.savedDoc(runKey), 'target', 5)!.geometry as { center: Point; radiusPx: number };
    expect(dist(target.center, centre), 'the target is where it was clicked').toBeLessThan(clickTolerance);
    expect(await tipOn(app, runKey, 5), 'the tip stays where it was').toEqual(tipPlaced);
    expect(await app.undoButton().getAttribute('title')).toBe('Undo Add target');

    // The tip pressed on the target's ring (a tip reaching its target) moves the tip, not the ring.
    const onRing = { x: target.center.x + target.radiusPx, y: target.center.y };
    await app.chooseTool('Needle tip');
    await clickAt(app, runKey, 'needleTip', 5, onRing);
    expect(dist(await tipOn(app, runKey, 5), onRing), 'the tip is where it was clicked').toBeLessThan(clickTolerance);
    expect(keyframe(await app.savedDoc(runKey), 'target', 5)!.geometry, 'the target is as it was').toEqual(target);

    // With a navigation tool on the button, any mark's handle is still dragged.
    await app.chooseTool('Window/level');
    const moved = { x: target.center.x - 20, y: target.center.y + 25 };
    await app.dragImage([target.center, moved], 8);
    await expect
      .poll(async () => dist((keyframe(await app.savedDoc(runKey), 'target', 5)!.geometry as { center: Point }).center, moved))
      .toBeLessThan(dragTolerance);
  });

  it('shows a crosshair cursor with the tool’s glyph over the image with each annotation tool, as with Window/level', async () => {
    const cursorOverImage = () => app.viewportCanvas().evaluate((canvas) => getComputedStyle(canvas).cursor);
    for (const tool of ['Window/level', 'Needle tip', 'Target', 'Contrast spread', 'Arrow', 'Caption']) {
      await app.chooseTool(tool);
      // Cornerstone's SVG cursors: the hot spot (8, 8) is the crosshair's centre.
      await expect.poll(cursorOverImage, { message: tool }).toMatch(/^url\("blob:[^"]+"\) 8 8, default$/);
    }
  });

  it('draws an arrow and sets its text in the arrow form, on the timeline: the picture keeps its size', async () => {
    const { page } = app;
    await app.goToFrame(10);
    await app.chooseTool('Arrow');
    const pictureHeight = (await app.viewportCanvas().boundingBox())!.height;
    const from = { x: 330, y: 150 };
    const to = { x: 250, y: 235 };
    await app.dragImage([from, to], 8);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'arrow', 10)).toBeTruthy();
    const field = app.timeline().getByRole('textbox', { name: 'Arrow text' });
    await expect.poll(() => field.isVisible()).toBe(true);
    expect((await app.viewportCanvas().boundingBox())!.height, 'the form took no height from the picture').toBe(pictureHeight);
    await field.fill('Needle tip here');
    await page.getByRole('button', { name: 'Set text' }).click();
    const arrow = (await app.savedDoc(runKey)).tracks.find((t) => t.kind === 'arrow') as unknown as {
      text: string;
      keyframes: Array<{ geometry: { from: Point; to: Point } }>;
    };
    expect(arrow.text).toBe('Needle tip here');
    expect(dist(arrow.keyframes[0].geometry.from, from)).toBeLessThan(clickTolerance);
    expect(dist(arrow.keyframes[0].geometry.to, to)).toBeLessThan(clickTolerance);
    await expect.poll(svgText).toContain('Needle tip here');
    await viewportShot('arrow');
  });

  it('places a caption and shows it only on the frames its form gives (on the timeline: the picture keeps its size)', async () => {
    const { page } = app;
    await app.goToFrame(20);
    await app.chooseTool('Caption');
    const pictureHeight = (await app.viewportCanvas().boundingBox())!.height;
    await clickAt(app, runKey, 'caption', 20, { x: 40, y: 440 });
    const field = app.timeline().getByRole('textbox', { name: 'Caption text' });
    await expect.poll(() => field.isVisible()).toBe(true);
    expect((await app.viewportCanvas().boundingBox())!.height, 'the form took no height from the picture').toBe(pictureHeight);
    await field.fill('Contrast outlines the L4 root');
    await page.getByRole('spinbutton', { name: 'From', exact: true }).fill('20');
    await page.getByRole('spinbutton', { name: 'To', exact: true }).fill('30');
    await page.getByRole('button', { name: 'Set caption' }).click();
    const caption = (await app.savedDoc(runKey)).tracks.find((t) => t.kind === 'caption');
    expect(caption).toMatchObject({ text: 'Contrast outlines the L4 root', range: { from: 20, to: 30 } });
    await app.goToFrame(25);
    await expect.poll(svgText).toContain('Contrast outlines the L4 root');
    await viewportShot('caption');
    await app.goToFrame(31);
    await expect.poll(svgText).not.toContain('Contrast outlines the L4 root');
    await page.getByRole('spinbutton', { name: 'To', exact: true }).fill('10');
    expect(await page.getByRole('button', { name: 'Set caption' }).isDisabled()).toBe(true);
  });

  it('cancels a drag with Escape, leaving no undo step', async () => {
    const { page } = app;
    await app.startFrom(runKey, annotationFile(truth, [SHAFT_2]));
    await app.goToFrame(2);
    await app.chooseTool('Window/level');
    const undo = app.undoButton();
    const titleBefore = await undo.getAttribute('title');
    const before = await tipOn(app, runKey, 2);
    const windowLevel = page.getByRole('status', { name: 'Window/level readout' }).first();
    const windowBefore = await windowLevel.textContent();
    const start = await app.pagePoint(before);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 30, start.y + 20, { steps: 6 });
    await expect.poll(async () => dist(await tipOn(app, runKey, 2), before)).toBeGreaterThan(5);
    await page.keyboard.press('Escape');
    await page.mouse.move(start.x + 40, start.y + 30, { steps: 3 });
    await page.mouse.up();
    await expect.poll(() => tipOn(app, runKey, 2)).toEqual(before);
    expect(await undo.getAttribute('title')).toBe(titleBefore);
    expect(await windowLevel.textContent(), 'the rest of the drag did not change the window').toBe(windowBefore);
  });

  it('mirrors the marks into a second pane showing the same run', async () => {
    const { page } = app;
    // The marks the tests above leave: the shaft on 2, a tip on 22, a resized target on 5, an arrow on 10, a caption on 20–30.
    await app.startFrom(
      runKey,
      annotationFile(truth, [
        { kind: 'needleTip', keyframes: [...SHAFT_2.keyframes, { frame: 22, geometry: { tip: tipAt(22) } }] },
        { kind: 'target', keyframes: [{ frame: 5, geometry: { center: { x: 340.5, y: 300.5 }, radiusPx: 30 } }] },
        {
          kind: 'arrow',
          text: 'Needle tip here',
          keyframes: [{ frame: 10, geometry: { from: { x: 330, y: 150 }, to: { x: 250, y: 235 } } }],
        },
        {
          kind: 'caption',
          text: 'Contrast outlines the L4 root',
          range: { from: 20, to: 30 },
          keyframes: [{ frame: 20, geometry: { position: { x: 40, y: 440 } } }],
        },
      ]),
    );
    await app.goToFrame(2);
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect
      .poll(async () =>
        (await page.evaluate(() => window.__fluorolens!.annotationsShown('second')))?.tracks.map((t) => `${t.kind} ${t.source}`),
      )
      .toEqual(['target held']);
    const second = app.pane(2);
    await expect
      .poll(() =>
        second.locator('svg [data-fluorolens-kind="target"]').evaluateAll((n) => n.map((e) => e.getAttribute('stroke-dasharray'))),
      )
      .toEqual(['6,4']);
    await app.screenshot('annotations-side-by-side');
    await page.getByRole('button', { name: 'Side by side' }).click();
  });

  it('keeps a change made just before a reload (written as the page goes away)', async () => {
    const { page } = app;
    await app.goToFrame(50);
    await app.chooseTool('Needle tip');
    const p = { x: 150.5, y: 150.5 };
    await clickAt(app, runKey, 'needleTip', 50, p);
    // No waiting for the debounced autosave: reload at once.
    await page.reload();
    runKey = await app.openRun(sampleFile(`${RUN}.dcm`));
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'needleTip', 50)?.geometry.tip as Point | undefined).toBeTruthy();
    expect(dist(await tipOn(app, runKey, 50), p)).toBeLessThan(clickTolerance);
  });
});

describe('annotation tools on a real XA cine (corpus)', () => {
  let app: App;
  let runKey: string;

  beforeEach(async () => {
    ({ app, runKey } = await openInFreshApp(corpusFile('xa_siemens_96f_jpeg-baseline_ecg-curve.dcm')));
  });
  afterEach(async () => app?.close());

  it('marks the tip on two frames and outlines a region; the export interpolates and states its units', async () => {
    const { page } = app;
    await app.chooseTool('Needle tip');
    const tips = new Map([
      [1, { x: 200.5, y: 180.5 }],
      [41, { x: 260.5, y: 240.5 }],
    ]);
    for (const [frame, p] of tips) {
      await app.goToFrame(frame);
      await clickAt(app, runKey, 'needleTip', frame, p);
    }
    await app.goToFrame(50);
    await app.chooseTool('Contrast spread');
    const square = [
      { x: 300, y: 300 },
      { x: 360, y: 300 },
      { x: 360, y: 360 },
      { x: 300, y: 360 },
    ];
    await app.dragImage([...square, square[0]], 8);
    await expect.poll(async () => keyframe(await app.savedDoc(runKey), 'contrastSpread', 50)).toBeTruthy();
    const { doc } = await app.exportAnnotations();
    expect(doc.run.frameCount).toBe(96);
    const at21 = doc.derived.needleTip.positions.find((p) => p.frame === 21)!;
    const [a, b] = [keyframe(doc, 'needleTip', 1)!.geometry.tip as Point, keyframe(doc, 'needleTip', 41)!.geometry.tip as Point];
    expect(at21.source).toBe('interpolated');
    expect(at21.x).toBeCloseTo((a.x + b.x) / 2, 3);
    expect(at21.y).toBeCloseTo((a.y + b.y) / 2, 3);
    const area = doc.derived.contrastArea.px2[49]!;
    expect(Math.abs(area - 3600) / 3600).toBeLessThan(0.03);
    // Whatever the file says about calibration, the drawn label and the export agree on it.
    const label = await page.getByTestId('viewport').locator('svg text', { hasText: 'Area' }).textContent();
    if (doc.derived.contrastArea.unit === 'mm²') expect(label).toMatch(/mm² \((Pixel Spacing|Imager Pixel Spacing)/);
    else expect(label).toMatch(/px² \(uncalibrated\)/);
    await app.screenshot('annotations-corpus-xa');
  });
});

describe('the same run in two tabs', () => {
  // Both tabs autosave the run's work under its identity, each over the other's: a reload kept
  // only whichever saved last, and nothing said so.
  it('warns in both tabs, naming the run, when it is annotated in one of them; other runs stay quiet', async () => {
    const first = await launchOnSamples();
    const second = await first.openAnotherTab();
    try {
      await second.waitForMark('fluorolens:first-frame');
      const alertOf = (app: App) => app.page.getByRole('alert');
      // Tab 2 shows another run, then tab 1 annotates its run (the L4 AP, open in both).
      await second.showRunFromList(/^L5 TFESI oblique/);
      await first.chooseTool('Needle tip');
      await first.clickImage({ x: 200, y: 200 });
      const warning = /L4 TFESI AP \(synthetic\) is open in another FluoroLens tab too, and annotated in one of them/;
      await expect.poll(async () => (await alertOf(second).textContent()) ?? '').toMatch(warning);
      await expect.poll(async () => (await alertOf(first).textContent()) ?? '').toMatch(warning);
      expect((await alertOf(first).textContent()) ?? '').toContain('l4-tfesi-ap-512.dcm');
      // Once per run: more changes add no second warning.
      await first.goToFrame(10);
      await first.clickImage({ x: 220, y: 210 });
      await first.page.waitForTimeout(500);
      expect(((await alertOf(second).textContent()) ?? '').match(/is open in another FluoroLens tab/g)).toHaveLength(1);
      // A run open in one tab only: annotating it warns nobody.
      const rfKey = await second.openRun(corpusFile('rf_siemens_1f_464x512_8bit.dcm'));
      await second.chooseTool('Needle tip');
      await second.clickImage({ x: 200, y: 200 });
      await expect.poll(async () => (await second.savedDoc(rfKey)).tracks.length).toBe(1);
      await second.page.waitForTimeout(500);
      for (const app of [first, second]) expect((await alertOf(app).textContent()) ?? '').not.toMatch(/rf_siemens/);
    } finally {
      await second.close();
    }
  });
});

describe('a series opened in part, then whole', () => {
  const series = sampleFile('s1-caudal-series');

  /**
   * Three of the ten images opened alone (Instance Numbers 3, 5 and 7): a run of three frames with
   * its own identity; a needle tip on instance 5 (frame 2), saved. Returns the part's run key.
   */
  async function tipOnPart(app: App): Promise<string> {
    await app.openFiles(['IM0003.dcm', 'IM0008.dcm', 'IM0010.dcm'].map((name) => `${series}/${name}`));
    const partKey = await app.runKeyByFile('IM0010.dcm');
    await app.waitForMark('fluorolens:first-frame', partKey);
    expect((await app.runs()).find((r) => r.key === partKey)?.frames).toBe(3);
    await app.chooseTool('Needle tip');
    await app.goToFrame(2);
    await clickAt(app, partKey, 'needleTip', 2, { x: 140.5, y: 96.25 });
    await expect.poll(() => app.page.getByRole('status', { name: 'Autosave status' }).textContent()).toBe('Saved');
    return partKey;
  }

  it('brings the work made on the part to the same images of the whole series, and says so', async () => {
    const app = await launchApp({ samples: false, viewport: { width: 1600, height: 1400 } });
    try {
      const partKey = await tipOnPart(app);
      const placed = keyframe(await app.savedDoc(partKey), 'needleTip', 2)!.geometry.tip as Point;

      await app.openFolder(series);
      await app.page.waitForFunction(() => window.__fluorolens!.runs().some((r) => r.frames === 10));
      const wholeKey = (await app.runs()).find((r) => r.frames === 10)!.key;
      // A run just opened is shown in the active pane.
      await app.page.waitForFunction((key) => window.__fluorolens!.panes()[0]?.runKey === key, wholeKey);
      await expect.poll(async () => (await app.savedDoc(wholeKey)).tracks.length).toBe(1);
      const carried = (await app.savedDoc(wholeKey)).tracks[0].keyframes;
      // Instance 5 (IM0010) is frame 2 of the part and frame 5 of the whole series.
      expect(carried.map((k) => [k.frame, k.geometry.tip])).toEqual([[5, placed]]);
      await expect
        .poll(() => app.page.getByRole('alert').textContent())
        .toContain(
          'work saved when 3 of its 10 images were opened is shown here: 1 track, keyframes on frame 5 of this run (the same image)',
        );
      await app.goToFrame(5);
      // The overlay names the image on screen: frame 5 of the series is instance 5 (it said "Instance 1" on every frame).
      await expect
        .poll(() => app.pane(1).getByTestId('viewport-overlay').locator('.bottom-left').textContent())
        .toContain('Series 3 · Instance 5');
      const shown = await app.page.evaluate(() => window.__fluorolens!.annotationsShown('main'));
      expect(shown?.tracks.map((t) => `${t.kind} ${t.source}`)).toEqual(['needleTip keyframe']);
      await app.screenshot('annotations-carried-from-part');
      // The part keeps its own work.
      expect(keyframe(await app.savedDoc(partKey), 'needleTip', 2)).toBeTruthy();
    } finally {
      await app.close();
    }
  });

  it('says when work saved on the series cannot come because its marks are on images not opened', async () => {
    const app = await launchApp({ samples: false, viewport: { width: 1600, height: 1400 } });
    try {
      await tipOnPart(app);
      await app.page.getByRole('button', { name: 'Close all' }).click();
      await expect.poll(async () => (await app.runs()).length).toBe(0);
      // Instances 3 and 7 only: the tip's image is not among them, so nothing can come.
      await app.openFiles(['IM0003.dcm', 'IM0008.dcm'].map((name) => `${series}/${name}`));
      const otherKey = await app.runKeyByFile('IM0008.dcm');
      await app.waitForMark('fluorolens:first-frame', otherKey);
      await expect
        .poll(() => app.page.getByRole('alert').textContent())
        .toContain(
          'work saved when 3 images of this series were opened (1 track) is not shown here: some of its marks are on images other than the 2 opened now. It stays saved; open those images with these to see it',
        );
      // Nothing was moved onto other images, and the work made on the three stays saved for them.
      expect((await app.savedDoc(otherKey)).tracks).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
