import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, chooseFiles, corpusFile, corpusPresent, launchApp, openRuns, waitForMark, type App } from './harness';

const scratch = mkdtempSync(join(tmpdir(), 'fluorolens-bad-'));
const firstSample = readdirSync(SAMPLE_DIR).filter((f) => f.endsWith('.dcm')).sort()[0];

async function alertText(app: App): Promise<string> {
  return (await app.page.getByRole('alert').textContent()) ?? '';
}

describe('bad input', () => {
  let app: App | undefined;
  beforeAll(() => {
    writeFileSync(join(scratch, 'holiday-photo.dcm'), Buffer.from('\x89PNG\r\n\x1a\n' + 'not a dicom file at all '.repeat(40), 'binary'));
    writeFileSync(join(scratch, 'empty.dcm'), new Uint8Array(0));
    // The first 400 bytes of a real sample: preamble, meta and part of the data set, then nothing.
    writeFileSync(join(scratch, 'cut-in-header.dcm'), readFileSync(join(SAMPLE_DIR, firstSample)).subarray(0, 400));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('names each broken file and why, while the good file of the same drop opens', async () => {
    app = await launchApp('?samples=0');
    const bad = ['holiday-photo.dcm', 'empty.dcm', 'cut-in-header.dcm'].map((f) => join(scratch, f));
    await chooseFiles(app.page, [...bad, join(SAMPLE_DIR, firstSample)]);
    await waitForMark(app.page, 'fluorolens:first-frame');
    await expect.poll(() => alertText(app!)).toMatch(/holiday-photo\.dcm.*not a DICOM/i);
    const text = await alertText(app);
    expect(text).toMatch(/empty\.dcm.*empty/i);
    expect(text).toMatch(/cut-in-header\.dcm.*(cut off|truncated|ends)/i);
    const runs = await openRuns(app.page);
    expect(runs).toHaveLength(1);
    await app.page.getByRole('button', { name: 'Next frame' }).click();
    await expect.poll(() => app!.page.getByRole('slider', { name: 'Frame' }).getAttribute('aria-valuenow')).toBe('2');
    expect(app.consoleErrors.filter((e) => /Uncaught|pageerror/i.test(e))).toEqual([]);
  });

  it.skipIf(!corpusPresent)('rejects the malformed corpus files clearly and keeps what can be read', async () => {
    app = await launchApp('?samples=0');
    await chooseFiles(app.page, [
      corpusFile('MALFORMED_sc_rows-cols-65535_no-pixels.dcm'),
      corpusFile('MALFORMED_mr_10f_j2k_truncated-frame.dcm'),
      corpusFile('cr_fuji_mono1_10bit_chest_no-meta.dcm'),
      corpusFile('rf_siemens_1f_464x512_8bit.dcm'),
    ]);
    await expect.poll(() => alertText(app!)).toMatch(/MALFORMED_sc_rows-cols-65535_no-pixels\.dcm.*65535/);
    await expect.poll(() => alertText(app!)).toMatch(/MALFORMED_mr_10f_j2k_truncated-frame\.dcm.*frame 10/i);
    const runs = await openRuns(app.page);
    // The truncated MR keeps its 9 whole frames; the raw data set without preamble opens too.
    expect(runs.map((r) => r.files[0]).sort()).toEqual(
      ['MALFORMED_mr_10f_j2k_truncated-frame.dcm', 'cr_fuji_mono1_10bit_chest_no-meta.dcm', 'rf_siemens_1f_464x512_8bit.dcm'].sort(),
    );
    const mr = runs.find((r) => r.files[0].startsWith('MALFORMED_mr'))!;
    expect(mr.frames).toBe(10);
    await app.page.getByRole('button', { name: new RegExp('10 frames') }).click();
    await waitForMark(app.page, 'fluorolens:run-decoded', mr.key, 30_000);
    const states = await app.page.evaluate(async (key) => {
      const out: string[] = [];
      for (let f = 1; f <= 10; f++) {
        try {
          await window.__fluorolens!.decodedFrame(key, f);
          out.push('ok');
        } catch {
          out.push('failed');
        }
      }
      return out;
    }, mr.key);
    expect(states.slice(0, 9)).toEqual(Array(9).fill('ok'));
    expect(states[9]).toBe('failed');
    await app.page.getByRole('slider', { name: 'Frame' }).fill('10');
    await app.page.getByText(/Frame 10 could not be decoded/).waitFor();
    await app.page.getByRole('slider', { name: 'Frame' }).fill('9');
    await expect.poll(() => app!.page.getByText(/could not be decoded/).count()).toBe(0);
  });
});
