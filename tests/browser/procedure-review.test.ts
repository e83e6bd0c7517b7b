/**
 * Issue 11, the physician's judgement on the built app: the sign of DSA (contrast dark on a
 * mid-grey background), user calibration, vascular uptake flags on the timeline, the dose and
 * time panel fed by the study's Radiation Dose SR, lead tips at a level and the injectate log.
 * Checked on what is on screen and what the UI says, and on what is saved and exported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { grayLevels, launchApp, sampleFile, sampleTruth, type App } from './driver';

let app: App | undefined;
afterAll(async () => app?.close());

const switchOf = (a: App, name: string) => a.paneWithTools(1).getByRole('switch', { name, exact: true });

async function setSwitch(a: App, name: string, on: boolean): Promise<void> {
  const control = switchOf(a, name);
  if ((await control.getAttribute('aria-checked')) !== String(on)) await control.click();
  await expect.poll(() => control.getAttribute('aria-checked')).toBe(String(on));
  await a.page.waitForTimeout(200);
}

async function hideOverlay(a: App): Promise<void> {
  const overlay = a.paneWithTools(1).getByRole('button', { name: 'Overlay', exact: true });
  if ((await overlay.getAttribute('aria-pressed')) === 'true') await overlay.click();
  await expect.poll(() => overlay.getAttribute('aria-pressed')).toBe('false');
}

/** Gray levels of the pane's canvas, read at image points. */
async function grayAt(a: App, columns: number, rows: number): Promise<(x: number, y: number) => number> {
  const canvas = a.viewportCanvas(1);
  const box = (await canvas.boundingBox())!;
  const origin = await a.pagePoint({ x: 0, y: 0 });
  const far = await a.pagePoint({ x: columns, y: rows });
  const gray = grayLevels(await a.pixelsOf(canvas));
  const sx = (far.x - origin.x) / columns;
  const sy = (far.y - origin.y) / rows;
  return (x, y) => gray.data[Math.floor(origin.y - box.y + y * sy) * gray.width + Math.floor(origin.x - box.x + x * sx)];
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

describe('DSA sign', { timeout: 240_000 }, () => {
  const truth = sampleTruth('s1-dsa-lin-512').dsa as {
    blush: { box: { x0: number; y0: number; x1: number; y1: number }; cloud: { x: number; y: number; sigmaPx: number } };
  };

  it('shows contrast (which absorbs X-rays) dark on a mid-grey background', async () => {
    app = await launchApp({ samples: false, viewport: { width: 1280, height: 1000 } });
    const key = await app.openRun(sampleFile('s1-dsa-lin-512.dcm'));
    await app.waitForMark('fluorolens:run-decoded', key, 90_000);
    await hideOverlay(app);
    // Subtract goes on at frame 1 and the frame changes after: the frames shown next are made
    // subtracted, never the raw frame cached under a subtracted frame's id.
    await setSwitch(app, 'Subtract', true);
    await app.paneWithTools(1).getByText('log subtraction (LIN)', { exact: true }).waitFor();
    await app.goToFrame(12);
    await app.page.waitForTimeout(300);
    const at = await grayAt(app, 512, 512);
    const { x: cx, y: cy, sigmaPx } = truth.blush.cloud;
    const { box } = truth.blush;
    const disc: number[] = [];
    const discPoints: Array<[number, number]> = [];
    const background: number[] = [];
    for (let y = box.y0 - 24; y <= box.y1 + 24; y += 2) {
      for (let x = box.x0 - 24; x <= box.x1 + 24; x += 2) {
        const r = Math.hypot(x - cx, y - cy);
        if (r <= 0.6 * sigmaPx) {
          disc.push(at(x, y));
          discPoints.push([x, y]);
        } else if (r >= 3 * sigmaPx) background.push(at(x, y));
      }
    }
    await app.screenshot('procedure-dsa-sign-frame-12', app.pane(1).getByTestId('viewport'));
    console.log('DSA sign: blush mean', mean(disc), 'background median', median(background));
    // Static anatomy subtracts to mid-grey; the blush is darker than it.
    expect(median(background)).toBeGreaterThan(90);
    expect(median(background)).toBeLessThan(165);
    expect(mean(disc)).toBeLessThan(median(background) - 15);
    // The user's Invert still turns it round.
    await app.paneWithTools(1).getByRole('button', { name: 'Invert', exact: true }).click();
    await app.page.waitForTimeout(300);
    const inverted = await grayAt(app, 512, 512);
    expect(mean(discPoints.map(([x, y]) => inverted(x, y)))).toBeGreaterThan(median(background) + 15);
    await app.paneWithTools(1).getByRole('button', { name: 'Invert', exact: true }).click();
  });
});

const analysis = (a: App) => a.page.getByRole('complementary', { name: 'Measurements and case record' });

/** Waits until the debounced autosave has written the run's document. */
async function autosaved(a: App): Promise<void> {
  await expect.poll(() => a.page.getByRole('status', { name: 'Autosave status' }).first().textContent()).toBe('Saved');
}

describe('Calibration by the user', { timeout: 240_000 }, () => {
  it('calibrates on a drawn line of known length; every mm names it; it survives reload and export/import', async () => {
    await app?.close();
    app = await launchApp({ samples: false, viewport: { width: 1400, height: 1000 } });
    const file = sampleFile('l4-tfesi-ap-512.dcm');
    let key = await app.openRun(file);
    const region = analysis(app).getByRole('region', { name: 'Calibration' });
    const inUse = () => region.getByTestId('calibration-in-use').textContent();
    // The header's calibration first: Imager Pixel Spacing ÷ ERMF (0.462 / 1.25 mm/px).
    await expect.poll(inUse).toContain('Imager Pixel Spacing ÷ ERMF');
    await expect(region.textContent()).resolves.toContain('no Pixel Spacing Calibration Type');

    await app.goToFrame(3);
    await region.getByRole('button', { name: 'Calibrate' }).click();
    await expect.poll(() => region.getByRole('button', { name: 'Calibrate' }).getAttribute('aria-pressed')).toBe('true');
    // A 100 px horizontal line, said to be 25 mm long: 0.25 mm/px.
    await app.dragImage([
      { x: 150.5, y: 200.5 },
      { x: 250.5, y: 200.5 },
    ]);
    const form = region.getByRole('form', { name: 'Calibration line' });
    // Page points round to device pixels at the fitted zoom: the line is 100 px within a tenth.
    await expect.poll(() => form.textContent()).toMatch(/Line of (99\.9|100|100\.1) px on frame 3/);
    await form.getByLabel('Known length (mm)').fill('25');
    await form.getByLabel('Object').fill('marker ball');
    await form.getByRole('button', { name: 'Set calibration' }).click();
    await expect.poll(inUse).toMatch(/^Every mm shown: by user \(marker ball\), 0\.25(0\d)? mm\/px$/);
    // The readout, the chart's axis and caption, the overlay's scale bar name it.
    await expect
      .poll(() => analysis(app!).getByTestId('calibration').textContent())
      .toMatch(/^by user \(marker ball\), 0\.25(0\d)? mm\/px$/);
    await expect
      .poll(() => analysis(app!).getByRole('figure', { name: 'Measurements chart' }).textContent())
      .toContain('millimetres from by user (marker ball)');
    await expect
      .poll(() =>
        app!
          .pane(1)
          .getByRole('img', { name: /^Scale bar / })
          .getAttribute('aria-label'),
      )
      .toMatch(/^Scale bar \d+ mm \(by user \(marker ball\)\)$/);
    await app.screenshot('procedure-calibration', app.page.locator('.workspace'));

    // Saved with the annotations, and in the export's derived block.
    const exported = await app.exportAnnotations();
    const saved = exported.doc as unknown as {
      calibration: { objectName: string; lengthMm: number; frame: number; line: { from: { x: number }; to: { x: number } } };
      derived: { tipToTarget: { calibration: string } };
    };
    expect(saved.calibration).toMatchObject({ objectName: 'marker ball', lengthMm: 25, frame: 3 });
    expect(saved.calibration.line.to.x - saved.calibration.line.from.x).toBeCloseTo(100, 0);
    expect(saved.derived.tipToTarget.calibration).toBe('by user (marker ball)');

    await autosaved(app);
    await app.page.reload();
    key = await app.openRun(file);
    await expect.poll(inUse).toMatch(/^Every mm shown: by user \(marker ball\), 0\.25(0\d)? mm\/px$/);

    await region.getByRole('button', { name: 'Remove calibration' }).click();
    await expect.poll(inUse).toContain('Imager Pixel Spacing ÷ ERMF');
    await app.importAnnotations(exported.text, 'calibrated.fluorolens.json');
    await expect.poll(inUse).toMatch(/^Every mm shown: by user \(marker ball\), 0\.25(0\d)? mm\/px$/);
    expect(((await app.savedDoc(key)) as unknown as { calibration: unknown }).calibration).toMatchObject({
      objectName: 'marker ball',
      lengthMm: 25,
    });
  });
});

describe('Vascular uptake flags', { timeout: 240_000 }, () => {
  it('marks a frame range on the timeline by keyboard, shows it as a band, checks it against the case record, and opens the run subtracted at the flag after a reload', async () => {
    await app?.close();
    app = await launchApp({ samples: false, viewport: { width: 1400, height: 1000 } });
    const file = sampleFile('s1-dsa-lin-512.dcm');
    let key = await app.openRun(file);
    const timeline = app.timeline();
    const flags = timeline.getByRole('group', { name: 'Vascular uptake flags' });
    const bands = () => flags.getByRole('list', { name: 'Vascular uptake' }).getByRole('button');
    await expect.poll(() => bands().count()).toBe(0);

    await app.goToFrame(7);
    // Keyboard only: focus the button, Enter; type the range; Enter submits.
    await flags.getByRole('button', { name: 'Flag vascular uptake' }).focus();
    await app.page.keyboard.press('Enter');
    const editor = flags.getByRole('form', { name: 'New vascular flag' });
    await editor.getByLabel('From frame').waitFor();
    expect(await editor.getByLabel('From frame').inputValue()).toBe('7');
    await editor.getByLabel('To frame').fill('14');
    await editor.getByLabel('Uptake').selectOption('arterial');
    await editor.getByLabel('Note').fill('radicular artery blush');
    await editor.getByLabel('Note').press('Enter');
    await expect.poll(() => bands().count()).toBe(1);
    expect(await bands().first().getAttribute('aria-label')).toBe('vascular uptake: arterial, frames 7–14 (radicular artery blush)');

    // The band sits over frames 7–14 of the lane.
    const lane = flags.getByRole('list', { name: 'Vascular uptake' });
    const laneBox = (await lane.boundingBox())!;
    const bandBox = (await bands().first().boundingBox())!;
    expect((bandBox.x - laneBox.x) / laneBox.width).toBeCloseTo(6 / 20, 1);
    expect((bandBox.x + bandBox.width - laneBox.x) / laneBox.width).toBeCloseTo(14 / 20, 1);

    // The case record says nothing intravascular: a mismatch is shown; recording it agrees.
    const check = () => analysis(app!).getByRole('status', { name: 'Vascular uptake check' }).textContent();
    await expect.poll(check).toContain('Mismatch');
    await analysis(app).getByRole('checkbox', { name: 'Intravascular, arterial' }).check();
    await expect.poll(check).toMatch(/Vascular uptake: Agree/);

    // Editable: the band opens the flag; change to 8–14, venous → mismatch again; back to arterial.
    await bands().first().click();
    const edit = flags.getByRole('form', { name: 'Edit vascular flag' });
    await edit.getByLabel('From frame').fill('8');
    await edit.getByLabel('Uptake').selectOption('venous');
    await edit.getByRole('button', { name: 'Save flag' }).click();
    await expect
      .poll(() => bands().first().getAttribute('aria-label'))
      .toBe('vascular uptake: venous, frames 8–14 (radicular artery blush)');
    await expect.poll(check).toContain('Mismatch');
    await bands().first().click();
    await flags.getByRole('form', { name: 'Edit vascular flag' }).getByLabel('Uptake').selectOption('arterial');
    await flags.getByRole('button', { name: 'Save flag' }).click();
    await expect.poll(check).toMatch(/Vascular uptake: Agree/);
    await app.screenshot('procedure-vascular-flag-timeline', app.pane(1));

    // Exported in the JSON.
    const exported = await app.exportAnnotations();
    expect((exported.doc as unknown as { vascularFlags: unknown[] }).vascularFlags).toEqual([
      { id: 'vascular-1', from: 8, to: 14, uptake: 'arterial', note: 'radicular artery blush' },
    ]);

    // Saved: after a reload the run opens subtracted, at the flag's first frame.
    await autosaved(app);
    await app.page.reload();
    key = await app.openRun(file);
    await expect.poll(() => switchOf(app!, 'Subtract').getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => app!.frame()).toBe(8);
    await expect.poll(() => bands().count()).toBe(1);
    await expect.poll(() => app!.page.evaluate(() => window.__fluorolens!.frameDrawn('main'))).toBe(8);
    await app.page.waitForTimeout(500);
    // The subtracted frame is drawn: static anatomy mid-grey (a blank pane is black, a raw frame
    // under the subtraction's window white).
    const at = await grayAt(app, 512, 512);
    const inside: number[] = [];
    for (let y = 300; y <= 420; y += 6) for (let x = 180; x <= 330; x += 6) inside.push(at(x, y));
    expect(median(inside)).toBeGreaterThan(90);
    expect(median(inside)).toBeLessThan(165);
    await app.screenshot('procedure-flagged-run-opens-subtracted', app.pane(1).getByTestId('viewport'));

    // Removable.
    await bands().first().click();
    await flags.getByRole('button', { name: 'Delete flag' }).click();
    await expect.poll(() => bands().count()).toBe(0);
    expect(((await app.savedDoc(key)) as unknown as { vascularFlags: unknown[] }).vascularFlags).toEqual([]);
  });
});

describe('Dose and time', { timeout: 240_000 }, () => {
  it('reads the study’s Radiation Dose SR instead of skipping it, and says where each number came from', async () => {
    await app?.close();
    app = await launchApp({ samples: false, viewport: { width: 1400, height: 1200 } });
    await app.openFiles([sampleFile('s1-dsa-lin-512.dcm'), sampleFile('l4-tfesi-ap-512.dcm'), sampleFile('tfesi-dose-report.dcm')]);
    const key = await app.runKeyByFile('s1-dsa-lin-512.dcm');
    await app.runKeyByFile('l4-tfesi-ap-512.dcm');
    await app.showRunFromList(/DSA/);
    await app.waitForMark('fluorolens:first-frame', key);
    // Not listed as skipped.
    await app.page.waitForTimeout(500);
    expect(await app.page.getByText(/files? skipped/).count()).toBe(0);
    const panel = analysis(app).getByRole('region', { name: 'Dose and time' });
    const run = panel.getByRole('table', { name: /^This run/ });
    const row = (table: typeof run, name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) }).textContent();
    await expect.poll(() => panel.textContent()).toContain('Radiation Dose SR: tfesi-dose-report.dcm (1 event of this run)');
    // s1-dsa-lin-512's event (linked by Irradiation Event UID): DAP 0.0000192 Gy·m² = 0.192 Gy·cm².
    await expect.poll(() => row(run, 'Dose–area product')).toBe('Dose–area product0.192 Gy·cm²Radiation Dose SR');
    expect(await row(run, 'Air kerma')).toBe('Air kerma0.576 mGyRadiation Dose SR');
    expect(await row(run, 'kVp')).toMatch(/^kVp\d+ kVimage header$/);
    expect(await row(run, 'Frames')).toBe('Frames20image header');
    const whole = panel.getByRole('table', { name: 'This case' });
    // The report's totals cover the whole procedure: 60 s of fluoroscopy, 200 frames acquired.
    expect(await row(whole, 'Fluoroscopy time')).toBe('Fluoroscopy time1 min 0 sRadiation Dose SR');
    expect(await row(whole, 'Dose–area product')).toBe('Dose–area product7.22 Gy·cm²Radiation Dose SR');
    expect(await row(whole, 'Frames')).toContain('200 acquired');
    await panel.scrollIntoViewIfNeeded();
    await app.screenshot('procedure-dose-panel', panel);
  });

  it('falls back to the image headers without a dose report, and says so', async () => {
    await app?.close();
    app = await launchApp({ samples: false, viewport: { width: 1400, height: 1200 } });
    await app.openRun(sampleFile('s1-dsa-lin-512.dcm'));
    const panel = analysis(app).getByRole('region', { name: 'Dose and time' });
    await expect.poll(() => panel.textContent()).toContain('No Radiation Dose SR of this study is open: values from the image headers.');
    const run = panel.getByRole('table', { name: /^This run/ });
    expect(await run.getByRole('row', { name: /^Dose–area product/ }).textContent()).not.toContain('Radiation Dose SR');
  });
});

describe('Leads and levels, injectate log', { timeout: 240_000 }, () => {
  it('labels a lead tip at a level on a frame, keeps an injectate log, and exports both', async () => {
    await app?.close();
    app = await launchApp({ samples: false, viewport: { width: 1400, height: 1200 } });
    const key = await app.openRun(sampleFile('l4-tfesi-ap-512.dcm'));
    const panel = analysis(app);
    await app.goToFrame(5);
    const leads = panel.getByRole('region', { name: 'Lead tips' });
    await leads.getByRole('button', { name: 'Mark tip on image' }).click();
    await app.clickImage({ x: 256.5, y: 180.5 });
    await expect.poll(() => leads.textContent()).toContain('tip marked on frame 5');
    await leads.getByLabel('Lead', { exact: true }).fill('Lead 1 (left)');
    await leads.getByLabel('Tip level').fill('t8');
    await leads.getByRole('button', { name: 'Label lead tip' }).click();
    await expect
      .poll(() => leads.getByRole('list', { name: 'Lead tips list' }).textContent())
      .toContain('Lead 1 (left): T8, frame 5 (marked on the image)');
    await leads.getByLabel('Tip level').fill('L9');
    await leads.getByRole('button', { name: 'Label lead tip' }).click();
    await expect.poll(() => leads.getByRole('status').textContent()).toContain('not a vertebral level');

    const log = panel.getByRole('region', { name: 'Injectate log' });
    await log.getByLabel('Agent').fill('Iohexol 240 mgI/mL');
    await log.getByLabel('Volume (mL)').fill('1.5');
    await log.getByRole('button', { name: 'Use current frame' }).click();
    await log.getByRole('button', { name: 'Add injectate' }).click();
    await log.getByLabel('Agent').fill('Dexamethasone 10 mg');
    await log.getByLabel('Time').fill('10:42');
    await log.getByRole('button', { name: 'Add injectate' }).click();
    await expect.poll(() => log.getByRole('list', { name: 'Injectates' }).textContent()).toContain('Iohexol 240 mgI/mL · 1.5 mL · frame 5');
    await app.screenshot('procedure-leads-injectates', panel.getByRole('region', { name: 'Lead tips' }));
    await app.screenshot('procedure-lead-tip-on-image', app.pane(1).getByTestId('viewport'));

    const saved = (await app.exportAnnotations()).doc as unknown as {
      leadTips: Array<{ label: string; frame: number; level: string; position: { x: number; y: number } | null }>;
      caseRecord: { injectates: Array<{ agent: string; volumeMl: number | null; frame: number | null; time: string | null }> };
    };
    expect(saved.leadTips).toHaveLength(1);
    expect(saved.leadTips[0]).toMatchObject({ label: 'Lead 1 (left)', frame: 5, level: 'T8' });
    expect(saved.leadTips[0].position!.x).toBeCloseTo(256.5, 0);
    expect(saved.caseRecord.injectates).toEqual([
      { agent: 'Iohexol 240 mgI/mL', volumeMl: 1.5, frame: 5, time: null, note: '' },
      { agent: 'Dexamethasone 10 mg', volumeMl: null, frame: null, time: '10:42', note: '' },
    ]);
    expect(((await app.savedDoc(key)) as unknown as { leadTips: unknown[] }).leadTips).toHaveLength(1);
  });
});
