/**
 * Real DICOM files from ../shared/dicom-corpus, read in place: decoded values and what is shown.
 * The corpus is required (corpusFile fails loudly when a file is missing).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusFile, correlation, grayStats, launchApp, scratchDir, type App } from './driver';

/** The smallest and largest value of a compressed file's 16-bit frame as DCMTK (dcmdjpeg) decompresses it. */
function dcmtkRange(file: string): { min: number; max: number } {
  const out = join(scratchDir('dcmdjpeg'), 'native.dcm');
  execFileSync('dcmdjpeg', [file, out], { stdio: 'pipe' });
  const bytes = readFileSync(out);
  const element = dicomParser.parseDicom(new Uint8Array(bytes)).elements.x7fe00010;
  const values = new Uint16Array(
    bytes.buffer.slice(bytes.byteOffset + element.dataOffset, bytes.byteOffset + element.dataOffset + element.length),
  );
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

describe('real DICOM files from ../shared/dicom-corpus', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('decodes the four lossless encodings of the WG04 XA image to the uncompressed values', async () => {
    app = await launchApp({ samples: false });
    const names = ['uncompressed', 'jpeg-lossless-sv1', 'jpeg-ls-lossless', 'rle'].map((n) => `xa1_wg04_1024_10bit_${n}.dcm`);
    // Three of them are one series of single frames (they would open as one 3-frame run): read each alone.
    const decoded = [];
    for (const name of names) {
      await app.openFiles([corpusFile(name)]);
      await expect.poll(async () => (await app!.runs()).some((r) => r.files[0] === name)).toBe(true);
      const run = (await app.runs()).find((r) => r.files[0] === name)!;
      decoded.push(await app.page.evaluate((key) => window.__fluorolens!.decodedFrame(key, 1), run.key));
    }
    for (const d of decoded) {
      expect(d.length).toBe(1024 * 1024);
      expect(d.hash).toBe(decoded[0].hash);
    }
    // Real angiogram content: 10-bit values, 0–504 per MANIFEST.md.
    expect(decoded[0].min).toBe(0);
    expect(decoded[0].max).toBe(504);
  });

  it('decodes the 12-bit lossy JPEG of the WG04 XA image to the values DCMTK gives, not 15 above them', async () => {
    const name = 'xa1_wg04_1024_10bit_jpeg-extended-lossy.dcm';
    app = await launchApp({ samples: false });
    await app.openFiles([corpusFile(name)]);
    await expect.poll(async () => (await app!.runs()).some((r) => r.files[0] === name)).toBe(true);
    const run = (await app.runs()).find((r) => r.files[0] === name)!;
    const decoded = await app.page.evaluate((key) => window.__fluorolens!.decodedFrame(key, 1), run.key);
    const reference = dcmtkRange(corpusFile(name));
    // Lossy: the two decoders' inverse DCTs may round a sample one apart (the unit test compares every sample).
    expect(Math.abs(decoded.min - reference.min)).toBeLessThanOrEqual(1);
    expect(Math.abs(decoded.max - reference.max)).toBeLessThanOrEqual(1);
  });

  it('decodes all 96 frames of the Siemens XA cine and shows it', async () => {
    app = await launchApp({ samples: false });
    await app.openFiles([corpusFile('xa_siemens_96f_jpeg-baseline_ecg-curve.dcm')]);
    await app.waitForMark('fluorolens:first-frame');
    const [run] = await app.runs();
    expect(run.frames).toBe(96);
    await app.waitForMark('fluorolens:run-decoded', run.key, 60_000);
    const frames = await app.page.evaluate(async (key) => {
      const out = [];
      for (let f = 1; f <= 96; f++) out.push(await window.__fluorolens!.decodedFrame(key, f));
      return out;
    }, run.key);
    expect(frames.every((f) => f.length === 512 * 512)).toBe(true);
    expect(new Set(frames.map((f) => f.hash)).size, 'frames differ from each other').toBeGreaterThan(90);
    expect((await app.runs())[0].failed).toEqual([]);
    const stats = grayStats(await app.pixelsOf(app.viewportCanvas()));
    expect(stats.std).toBeGreaterThan(10);
    expect(correlation(await app.page.evaluate(() => window.__fluorolens!.displaySamples(24)))).toBeGreaterThan(0.9);
    // No window in the file: the first frame's range is the run's default, and it holds as frames change.
    const voiAtFirst = await app.page.evaluate(() => window.__fluorolens!.viewportVoi());
    expect(voiAtFirst).not.toBeNull();
    expect(voiAtFirst!.upper - voiAtFirst!.lower).toBeGreaterThan(50);
    await app.page.getByRole('slider', { name: 'Frame' }).fill('48');
    await app.page.waitForTimeout(300);
    expect(await app.page.evaluate(() => window.__fluorolens!.viewportVoi())).toEqual(voiAtFirst);
    await app.screenshot('xa-cine-frame-48');
  });

  it('shows MONOCHROME1 inverted: high stored values are drawn dark', async () => {
    app = await launchApp({ samples: false });
    await app.openFiles([corpusFile('cr_wg04_rg3_mono1_10bit_jpeg-lossless.dcm')]);
    await app.waitForMark('fluorolens:first-frame');
    await app.page.waitForTimeout(200);
    const r = correlation(await app.page.evaluate(() => window.__fluorolens!.displaySamples(24)));
    expect(r).toBeLessThan(-0.8);
    await app.screenshot('cr-monochrome1');
  });

  it('applies the Modality LUT Sequence of the CR file before display', async () => {
    app = await launchApp({ samples: false });
    await app.openFiles([corpusFile('cr_mono1_modality-lut-seq_jpeg-lossless.dcm')]);
    await app.waitForMark('fluorolens:first-frame');
    await app.page.waitForTimeout(200);
    const stats = grayStats(await app.pixelsOf(app.viewportCanvas()));
    expect(stats.std, 'a readable image, not a saturated field').toBeGreaterThan(15);
    expect(stats.mean).toBeGreaterThan(20);
    expect(stats.mean).toBeLessThan(235);
  });

  it('opens the RF frame (non-square, 464×512) the right way round', async () => {
    app = await launchApp({ samples: false });
    await app.openFiles([corpusFile('rf_siemens_1f_464x512_8bit.dcm')]);
    await app.waitForMark('fluorolens:first-frame');
    const [run] = await app.runs();
    expect([run.rows, run.columns]).toEqual([464, 512]);
    expect(correlation(await app.page.evaluate(() => window.__fluorolens!.displaySamples(20)))).toBeGreaterThan(0.9);
  });
});
