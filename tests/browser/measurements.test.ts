/**
 * Measurements over time on the built app: the Measurements readout and chart for a calibrated
 * run (millimetres, naming the spacing source) and for uncalibrated ones (pixels only, saying why).
 * Geometry goes in through an imported annotation file or the `drawKeyframe` test hook (marked
 * "drawing tool stand-in"); the drawing tools are tested in annotations.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lerp, square, timelineStartingPoint, truthTarget, truthTip } from './documents';
import { corpusFile, countPixels, launchApp, sampleFile, sampleTruth, scratchDir, type App } from './driver';

const RUN = 'l4-tfesi-ap-512';
const truth = sampleTruth(RUN);
const MM_PER_PX = truth.patientPlaneSpacingMm[0]; // Imager Pixel Spacing ÷ ERMF

describe(`measurements on ${RUN} (calibrated)`, () => {
  let app: App;

  beforeEach(async () => {
    app = await launchApp({ samples: false });
    const runKey = await app.openRun(sampleFile(`${RUN}.dcm`));
    // Needle tip on 1, 15, 30, 60; target on 20; contrast 400 px² on 34 and 1600 px² on 60.
    await app.startFrom(runKey, timelineStartingPoint(truth));
  });
  afterEach(async () => app?.close());

  it('reads out tip-to-target distance and contrast area in mm and px, naming the spacing source', async () => {
    const readout = app.page.getByRole('status', { name: 'Measurements' });
    await app.goToFrame(15);
    const tip = lerp(truthTip(truth, 1), truthTip(truth, 30), 14 / 29);
    const target = truthTarget(truth);
    const px = Math.hypot(target.x - tip.x, target.y - tip.y);
    await expect
      .poll(() => readout.getByTestId('tip-to-target').textContent())
      .toBe(`${(px * MM_PER_PX).toFixed(1)} mm (${px.toFixed(1)} px)`);
    expect(await readout.getByTestId('contrast-area').textContent()).toBe('—');
    expect(await readout.getByTestId('calibration').textContent()).toBe(`Imager Pixel Spacing ÷ ERMF, ${MM_PER_PX} mm/px`);
    await app.goToFrame(60);
    await expect
      .poll(() => readout.getByTestId('contrast-area').textContent())
      .toBe(`${(1600 * MM_PER_PX ** 2).toFixed(1)} mm² (1600 px²)`);
    await app.goToFrame(34);
    await expect.poll(() => readout.getByTestId('contrast-area').textContent()).toBe(`${(400 * MM_PER_PX ** 2).toFixed(1)} mm² (400 px²)`);
    await app.goToFrame(49);
    const seconds = (truth.frameStartMs[48] - truth.frameStartMs[33]) / 1000;
    await expect.poll(() => readout.textContent()).toContain(`frame 34 (first contour) · ${seconds.toFixed(2)} s after onset`);
  });

  it('charts distance (mm) and area (mm²) against time, marks the current frame and seeks on click', async () => {
    const { page } = app;
    const figure = page.getByRole('figure', { name: 'Measurements chart' });
    const caption = await figure.locator('figcaption').textContent();
    expect(caption).toContain('Tip-to-target distance (mm) and contrast area (mm²)');
    expect(caption).toContain('millimetres from Imager Pixel Spacing ÷ ERMF');
    expect(await figure.textContent()).toContain('Tip → target (mm)');
    expect(await figure.textContent()).toContain('Contrast area (mm²)');
    const chart = await app.pixelsOf(figure.locator('canvas'));
    expect(
      countPixels(chart, (r, g, b) => r > 200 && g > 180 && b < 80),
      'distance line drawn',
    ).toBeGreaterThan(50);
    expect(
      countPixels(chart, (r, g, b) => r < 110 && g > 150 && b > 200),
      'area line drawn',
    ).toBeGreaterThan(50);
    // The left axis's label (yellow text in the strip left of its tick numbers) is whole: a short
    // unit, not the calibration's name as well, which ran past both ends of the axis and was cut off.
    const labelRows: number[] = [];
    for (let y = 0; y < chart.height; y++) {
      for (let x = 0; x < 18; x++) {
        const o = (y * chart.width + x) * 4;
        if (chart.rgba[o] > 200 && chart.rgba[o + 1] > 180 && chart.rgba[o + 2] < 80) {
          labelRows.push(y);
          break;
        }
      }
    }
    expect(labelRows.length, 'the left axis has its label').toBeGreaterThan(5);
    expect(labelRows.at(-1)! - labelRows[0], 'the label is a unit, whole within the axis').toBeLessThan(0.3 * chart.height);

    const over = figure.locator('.u-over');
    const box = (await over.boundingBox())!;
    const lastSeconds = truth.frameStartMs[truth.frames - 1] / 1000;
    const lineAt = async () => {
      const line = (await figure.locator('.chart-playhead').boundingBox())!;
      return (line.x + line.width / 2 - box.x) / box.width;
    };
    await app.goToFrame(30);
    await expect.poll(lineAt).toBeCloseTo(truth.frameStartMs[29] / 1000 / lastSeconds, 2);

    for (const fraction of [0.25, 0.8]) {
      await over.click({ position: { x: fraction * box.width, y: box.height / 2 } });
      const ms = fraction * lastSeconds * 1000;
      const nearest =
        truth.frameStartMs.reduce((best, t, i) => (Math.abs(t - ms) < Math.abs(truth.frameStartMs[best] - ms) ? i : best), 0) + 1;
      await expect.poll(() => app.frame()).toBe(nearest);
      await expect.poll(lineAt).toBeCloseTo(truth.frameStartMs[nearest - 1] / 1000 / lastSeconds, 2);
    }
    await app.screenshot('measurements-chart', page.getByRole('complementary', { name: 'Measurements and case record' }));
  });
});

/** A copy of a sample whose Imager Pixel Spacing reads "0.000\0.000" (unusable), so the run is uncalibrated. */
function uncalibratedCopy(name: string): string {
  const bytes = readFileSync(sampleFile(name));
  const text = bytes.toString('latin1');
  const value = '0.616\\0.616';
  const at = text.indexOf(value);
  expect(at, 'the sample has Imager Pixel Spacing 0.616\\0.616').toBeGreaterThan(0);
  expect(text.indexOf(value, at + 1), 'only once').toBe(-1);
  bytes.write('0.000\\0.000', at, 'latin1');
  const file = join(scratchDir('uncal'), `uncalibrated-${name}`);
  writeFileSync(file, bytes);
  return file;
}

describe('measurements on uncalibrated runs', () => {
  let app: App;
  beforeEach(async () => {
    app = await launchApp({ samples: false });
  });
  afterEach(async () => app?.close());

  async function expectPixelsOnly(): Promise<void> {
    const readout = app.page.getByRole('status', { name: 'Measurements' });
    await expect.poll(() => readout.getByTestId('calibration').textContent()).toBe('Not calibrated: pixels only');
    const figure = app.page.getByRole('figure', { name: 'Measurements chart' });
    const caption = await figure.locator('figcaption').textContent();
    expect(caption).toContain('(px) and contrast area (px²)');
    expect(caption).toContain('not calibrated: pixels only');
    expect(await figure.textContent()).toContain('Tip → target (px)');
    expect(await figure.textContent()).not.toContain('mm');
  }

  it('shows px and px² only, and says the run is not calibrated (sample copy without spacing)', async () => {
    const runKey = await app.openRun(uncalibratedCopy('l3-mbb-ftv.dcm'));
    // Before anything is marked, the chart says what it needs instead of showing empty axes.
    const emptyChart = app.page.getByRole('figure', { name: 'Measurements chart' }).getByText(/^Nothing to chart yet: tip → target needs/);
    expect(await emptyChart.isVisible()).toBe(true);
    await app.addTrack('Needle tip');
    await app.addTrack('Target');
    await app.addTrack('Contrast spread');
    const doc = await app.savedDoc(runKey);
    const id = (label: string) => doc.tracks.find((t) => t.label === label)!.id;
    // Drawing tool stand-ins.
    await app.drawKeyframe(runKey, id('Needle tip'), 1, { tip: { x: 60.5, y: 140.5 } });
    // A tip alone is no distance yet.
    await expect.poll(() => app.page.getByRole('status', { name: 'Measurements' }).getByTestId('tip-to-target').textContent()).toBe('—');
    expect(await emptyChart.isVisible()).toBe(true);
    await app.drawKeyframe(runKey, id('Target'), 1, { center: { x: 96.5, y: 170.5 }, radiusPx: 5 });
    await expect.poll(() => emptyChart.count()).toBe(0);
    await app.drawKeyframe(runKey, id('Contrast spread'), 1, { contour: square(96, 170, 5) });
    await expectPixelsOnly();
    const readout = app.page.getByRole('status', { name: 'Measurements' });
    await expect.poll(() => readout.getByTestId('tip-to-target').textContent()).toBe(`${Math.hypot(36, 30).toFixed(1)} px`);
    expect(await readout.getByTestId('contrast-area').textContent()).toBe('100 px²');
    expect(await readout.textContent(), 'says why there are no millimetres').toContain(
      'Imager Pixel Spacing (0018,1164) "0\\0" is not usable',
    );
    await app.screenshot('measurements-uncalibrated');
  });

  it('shows px only for the real RF frame, which has no spacing', async () => {
    const runKey = await app.openRun(corpusFile('rf_siemens_1f_464x512_8bit.dcm'));
    await app.addTrack('Needle tip');
    await app.addTrack('Target');
    const doc = await app.savedDoc(runKey);
    await app.drawKeyframe(runKey, doc.tracks.find((t) => t.label === 'Needle tip')!.id, 1, { tip: { x: 100, y: 100 } });
    await app.drawKeyframe(runKey, doc.tracks.find((t) => t.label === 'Target')!.id, 1, { center: { x: 130, y: 140 }, radiusPx: 5 });
    await expectPixelsOnly();
    await expect
      .poll(() => app.page.getByRole('status', { name: 'Measurements' }).getByTestId('tip-to-target').textContent())
      .toBe('50.0 px');
  });
});
