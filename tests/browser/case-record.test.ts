/**
 * The case record on the built app: filled in through its form, validated inline, following undo
 * and redo, and kept through Export → Import annotations and a reload (autosave).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timelineStartingPoint } from './documents';
import { launchApp, sampleFile, sampleTruth, type App } from './driver';

const RUN = 'l4-tfesi-ap-512';
const truth = sampleTruth(RUN);

describe(`case record on ${RUN}`, () => {
  let app: App;
  let runKey: string;

  beforeEach(async () => {
    app = await launchApp({ samples: false });
    runKey = await app.openRun(sampleFile(`${RUN}.dcm`));
    // Tracks to keep over the reload, and a first contour (frame 34) for the recorded onset to win over.
    await app.startFrom(runKey, timelineStartingPoint(truth));
  });
  afterEach(async () => app?.close());

  it('records the case, validates levels inline, and keeps it through export → import and a reload', async () => {
    const { page } = app;
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
    await app.goToFrame(36);
    await form.getByRole('button', { name: 'Use current frame' }).click();
    const firstSeen = form.getByRole('textbox', { name: 'Contrast first seen at frame' });
    await expect.poll(() => firstSeen.inputValue()).toBe('36');
    await form.getByRole('group', { name: 'Placement confirmed before medication' }).getByRole('radio', { name: 'Yes' }).check();
    const notes = form.getByRole('textbox', { name: 'Notes' });
    await notes.click();
    await page.keyboard.type('Root outlined, no vascular uptake.');
    await notes.blur();
    // Typing the notes was one undo step, and the form follows undo and redo.
    await app.undoButton().click();
    await expect.poll(() => notes.inputValue()).toBe('');
    expect(await procedure.inputValue()).toBe('transforaminalEsi');
    expect(await form.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    await app.undoButton().click();
    await expect.poll(() => form.getByRole('radio', { name: 'Unknown' }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(false);
    await app.redoButton().click();
    await app.redoButton().click();
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
    await expect.poll(async () => (await app.savedDoc(runKey)).caseRecord).toMatchObject(expected);
    // The recorded onset now wins over the first contour.
    await expect.poll(() => page.getByRole('status', { name: 'Measurements' }).textContent()).toContain('frame 36 (case record)');
    await app.screenshot('case-record', form);

    // Export, change, import: the form shows the imported record again.
    const exported = await app.exportAnnotations();
    expect(exported.doc.caseRecord).toMatchObject(expected);
    await procedure.selectOption({ label: 'Caudal epidural steroid injection' });
    await notes.fill('changed');
    await notes.blur();
    await expect.poll(async () => (await app.savedDoc(runKey)).caseRecord.notes).toBe('changed');
    await app.importAnnotations(exported.text, exported.name);
    await expect.poll(() => procedure.inputValue()).toBe('transforaminalEsi');
    await expect.poll(() => notes.inputValue()).toBe(expected.notes);
    expect(await levels.inputValue()).toBe('L4, L5-S1');
    expect(await firstSeen.inputValue()).toBe('36');

    // Reload: autosave brings back the case record and the tracks.
    await expect.poll(() => page.getByRole('status', { name: 'Autosave status' }).textContent()).toBe('Saved');
    await page.reload();
    const reloadedKey = await app.openRun(sampleFile(`${RUN}.dcm`));
    const reloadedForm = page.getByRole('form', { name: 'Case record' });
    await expect.poll(() => reloadedForm.getByRole('combobox', { name: 'Procedure' }).inputValue()).toBe('transforaminalEsi');
    expect(await reloadedForm.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe(expected.notes);
    expect(await reloadedForm.getByRole('checkbox', { name: 'Epidural' }).isChecked()).toBe(true);
    expect(await reloadedForm.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    expect((await app.savedDoc(reloadedKey)).caseRecord).toMatchObject(expected);
    expect(await app.markFrames(app.lane('Needle tip'))).toEqual([1, 15, 30, 60]);
    await app.screenshot('timeline-after-reload');
  });
});
