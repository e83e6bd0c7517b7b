/**
 * The ways in besides Open DICOM files: a folder, a DICOMDIR, files dropped on the page, and the
 * same file opened twice.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, launchApp, sampleFile, sampleTruth, scratchDir, type App } from './driver';
import { writeStructuredReport } from './nonImageObjects';

const seriesDir = readdirSync(SAMPLE_DIR, { withFileTypes: true }).find((e) => e.isDirectory())!.name;
const seriesTruth = sampleTruth(seriesDir);
const multiFrameSamples = readdirSync(SAMPLE_DIR)
  .filter((f) => f.endsWith('.dcm'))
  .sort();

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
    const series = join(scratchDir('folder'), seriesDir);
    mkdirSync(series);
    for (const f of readdirSync(sampleFile(seriesDir))) copyFileSync(join(SAMPLE_DIR, seriesDir, f), join(series, f));
    writeStructuredReport(join(series, 'report.dcm'));
    app = await launchApp({ samples: false });
    await app.openFolder(series);
    await app.waitForMark('fluorolens:first-frame');
    const runs = await app.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0].frames).toBe(seriesTruth.frames);
    // The files are named out of order on purpose; the hashes prove the frame order.
    expect(await frameHashes(app, runs[0].key, runs[0].frames)).toEqual(seriesTruth.frameHashes);
    await app.page.getByText(/1 file\(s\) skipped/).click();
    const skipped = await app.page.getByRole('list', { name: 'Skipped files' }).textContent();
    expect(skipped).toMatch(/report\.dcm.*Structured Report/i);
  });

  // dcmmkdir is DCMTK's (scripts/ensure-test-tools.mjs installs it): without it this test fails, it is not skipped.
  it('reads a DICOMDIR to find its files and names the ones that are missing', async () => {
    const folder = scratchDir('dicomdir');
    mkdirSync(join(folder, 'DICOM'));
    // The General Purpose profile takes uncompressed files only: the FTV run and one series frame.
    const sources = [sampleFile('l3-mbb-ftv.dcm'), join(SAMPLE_DIR, seriesDir, readdirSync(join(SAMPLE_DIR, seriesDir))[0])];
    const names = ['IMG1', 'IMG2'];
    sources.forEach((f, i) => copyFileSync(f, join(folder, 'DICOM', names[i])));
    execFileSync('dcmmkdir', ['+r', '+I', '+D', 'DICOMDIR', 'DICOM'], { cwd: folder, stdio: 'pipe' });
    expect(existsSync(join(folder, 'DICOMDIR'))).toBe(true);
    app = await launchApp({ samples: false });
    await app.openFolder(folder);
    await app.waitForMark('fluorolens:first-frame');
    expect(await app.runs()).toHaveLength(2);
    expect((await app.page.getByRole('alert').textContent()) ?? '').toBe('');

    // The same DICOMDIR with one of its files gone: the rest opens and the gap is named.
    const partial = scratchDir('dicomdir-partial');
    mkdirSync(join(partial, 'DICOM'));
    copyFileSync(join(folder, 'DICOMDIR'), join(partial, 'DICOMDIR'));
    copyFileSync(join(folder, 'DICOM', names[0]), join(partial, 'DICOM', names[0]));
    await app.close();
    app = await launchApp({ samples: false });
    await app.openFolder(partial);
    await expect.poll(async () => (await app!.page.getByRole('alert').textContent()) ?? '').toMatch(new RegExp(`DICOMDIR.*${names[1]}`));
    expect(await app.runs()).toHaveLength(1);
  });

  it('opens files dropped anywhere on the page', async () => {
    app = await launchApp({ samples: false });
    const file = multiFrameSamples[0];
    const bytes = Array.from(readFileSync(sampleFile(file)));
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
    await app.waitForMark('fluorolens:first-frame');
    const runs = await app.runs();
    expect(runs.map((r) => r.files[0])).toEqual([file]);
  });

  it('opening the same file twice does not double the run', async () => {
    app = await launchApp({ samples: false });
    const path = sampleFile(multiFrameSamples[0]);
    await app.openFiles([path]);
    await app.waitForMark('fluorolens:first-frame');
    await app.openFiles([path]);
    await app.page.waitForTimeout(500);
    expect(await app.runs()).toHaveLength(1);
  });
});
