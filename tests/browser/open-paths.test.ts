import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, launchApp, openRuns, waitForMark, type App } from './harness';
import { writeStructuredReport } from './nonImageObjects';

const seriesDir = readdirSync(SAMPLE_DIR, { withFileTypes: true }).find((e) => e.isDirectory())!.name;
const seriesTruth = JSON.parse(readFileSync(join(SAMPLE_DIR, `${seriesDir}.truth.json`), 'utf8')) as {
  frames: number;
  frameHashes: string[];
};
const multiFrameSamples = readdirSync(SAMPLE_DIR)
  .filter((f) => f.endsWith('.dcm'))
  .sort();
const hasDcmmkdir = (() => {
  try {
    execFileSync('dcmmkdir', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function frameHashes(app: App, key: string, frames: number): Promise<string[]> {
  return app.page.evaluate(
    async ({ key, frames }) => {
      const out: string[] = [];
      for (let f = 1; f <= frames; f++) out.push((await window.__fluorolens!.decodedFrame(key, f)).hash);
      return out;
    },
    { key, frames },
  );
}

describe('ways in: folder, DICOMDIR, drag and drop', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('opens a folder of single frames as one run ordered by Instance Number, skipping non-images with a reason', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fluorolens-folder-'));
    const series = join(folder, seriesDir);
    mkdirSync(series);
    for (const f of readdirSync(join(SAMPLE_DIR, seriesDir))) copyFileSync(join(SAMPLE_DIR, seriesDir, f), join(series, f));
    writeStructuredReport(join(series, 'report.dcm'));
    app = await launchApp('?samples=0');
    await app.page.getByLabel('Open folder').setInputFiles(series);
    await waitForMark(app.page, 'fluorolens:first-frame');
    const runs = await openRuns(app.page);
    expect(runs).toHaveLength(1);
    expect(runs[0].frames).toBe(seriesTruth.frames);
    // The files are named out of order on purpose; the hashes prove the frame order.
    expect(await frameHashes(app, runs[0].key, runs[0].frames)).toEqual(seriesTruth.frameHashes);
    await app.page.getByText(/1 file\(s\) skipped/).click();
    const skipped = await app.page.getByRole('list', { name: 'Skipped files' }).textContent();
    expect(skipped).toMatch(/report\.dcm.*Structured Report/i);
  });

  it.skipIf(!hasDcmmkdir)('reads a DICOMDIR to find its files and names the ones that are missing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fluorolens-dicomdir-'));
    mkdirSync(join(folder, 'DICOM'));
    // The General Purpose profile takes uncompressed files only: the FTV run and one series frame.
    const sources = [join(SAMPLE_DIR, 'l3-mbb-ftv.dcm'), join(SAMPLE_DIR, seriesDir, readdirSync(join(SAMPLE_DIR, seriesDir))[0])];
    const names = ['IMG1', 'IMG2'];
    sources.forEach((f, i) => copyFileSync(f, join(folder, 'DICOM', names[i])));
    execFileSync('dcmmkdir', ['+r', '+I', '+D', 'DICOMDIR', 'DICOM'], { cwd: folder, stdio: 'pipe' });
    expect(existsSync(join(folder, 'DICOMDIR'))).toBe(true);
    app = await launchApp('?samples=0');
    await app.page.getByLabel('Open folder').setInputFiles(folder);
    await waitForMark(app.page, 'fluorolens:first-frame');
    expect(await openRuns(app.page)).toHaveLength(2);
    expect((await app.page.getByRole('alert').textContent()) ?? '').toBe('');

    // The same DICOMDIR with one of its files gone: the rest opens and the gap is named.
    const partial = mkdtempSync(join(tmpdir(), 'fluorolens-dicomdir-partial-'));
    mkdirSync(join(partial, 'DICOM'));
    copyFileSync(join(folder, 'DICOMDIR'), join(partial, 'DICOMDIR'));
    copyFileSync(join(folder, 'DICOM', names[0]), join(partial, 'DICOM', names[0]));
    await app.close();
    app = await launchApp('?samples=0');
    await app.page.getByLabel('Open folder').setInputFiles(partial);
    await expect.poll(async () => (await app!.page.getByRole('alert').textContent()) ?? '').toMatch(new RegExp(`DICOMDIR.*${names[1]}`));
    expect(await openRuns(app.page)).toHaveLength(1);
  });

  it('opens files dropped anywhere on the page', async () => {
    app = await launchApp('?samples=0');
    const file = multiFrameSamples[0];
    const bytes = Array.from(readFileSync(join(SAMPLE_DIR, file)));
    await app.page.evaluate(
      ({ name, data }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name, { type: 'application/dicom' }));
        const target = document.querySelector('.runs-panel')!;
        target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
        target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      },
      { name: file, data: bytes },
    );
    await waitForMark(app.page, 'fluorolens:first-frame');
    const runs = await openRuns(app.page);
    expect(runs.map((r) => r.files[0])).toEqual([file]);
  });

  it('opening the same file twice does not double the run', async () => {
    app = await launchApp('?samples=0');
    const path = join(SAMPLE_DIR, multiFrameSamples[0]);
    await app.page.getByLabel('Open DICOM files').setInputFiles([path]);
    await waitForMark(app.page, 'fluorolens:first-frame');
    await app.page.getByLabel('Open DICOM files').setInputFiles([path]);
    await app.page.waitForTimeout(500);
    expect(await openRuns(app.page)).toHaveLength(1);
  });
});
