/**
 * Issue 8.1: a run's frame 1 is painted into the pane's canvas as soon as it is decoded
 * (viewer/firstPaint.ts), a frame before Cornerstone's own render of it replaces those pixels. For
 * every corpus file and sample run this checks that the paint is the frame Cornerstone then draws
 * (same place, same window, same inversion: within ±2 grey levels on all but edge pixels), that it
 * came first and carried the first-frame mark, that the shutter was placed over it where
 * Cornerstone's render puts it, and that frames whose display it cannot know alone are left to
 * Cornerstone. reference-render.test.ts holds Cornerstone's render to DCMTK's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR, launchApp, type App } from './driver';
import { CORPUS_DIR, corpusFile } from '../support/corpus';

const TOLERANCE = 2;
/** As reference-render.test.ts holds Cornerstone's render to DCMTK's. */
const REQUIRED_SHARE = 0.999;

interface PaintCase {
  name: string;
  files: string[];
  /** False where the frame's display is left to Cornerstone: files with a Modality LUT Sequence (the RF frame's is the identity). */
  painted: boolean;
}

const corpusCases: PaintCase[] = readdirSync(corpusFile('MANIFEST.md').replace(/MANIFEST\.md$/, ''))
  .filter((f) => f.endsWith('.dcm') && !f.startsWith('MALFORMED_'))
  .sort()
  .map((name) => ({ name, files: [join(CORPUS_DIR, name)], painted: !/modality-lut-seq|^rf_siemens/.test(name) }));

const sampleCases: PaintCase[] = readdirSync(SAMPLE_DIR)
  .filter((f) => f.endsWith('.truth.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(SAMPLE_DIR, f), 'utf8')) as { run: string; files: string[] })
  .map((truth) => ({ name: truth.run, files: [...new Set(truth.files)].map((file) => join(SAMPLE_DIR, file)), painted: true }));

interface Capture {
  width: number;
  height: number;
  /** RGBA, base64. */
  rgba: string;
  /** The shutter layer's transform at that moment. */
  shutterTransform: string | null;
  /** Cornerstone renders of the run before the paint (must be none). */
  rendersBefore: number;
}

/** Copies the pane's canvas at the first-paint event, before anything else can draw on it. */
function capturePaints() {
  const captures: unknown[] = [];
  (window as unknown as { __firstPaints: unknown[] }).__firstPaints = captures;
  document.addEventListener(
    'fluorolens:first-paint',
    (event) => {
      const element = event.target as HTMLElement;
      const canvas = element.querySelector('canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let text = '';
      for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
      captures.push({
        width: canvas.width,
        height: canvas.height,
        rgba: btoa(text),
        shutterTransform: element.querySelector('.shutter-layer g')?.getAttribute('transform') ?? null,
        rendersBefore: performance.getEntriesByName('fluorolens:first-render').length,
      });
    },
    // Bubbling up to the document: the pane's own listeners (the shutter) have run.
    false,
  );
}

/** The pane's canvas now, as a Capture. */
async function canvasNow(app: App): Promise<Capture> {
  return app.page.evaluate(() => {
    const element = document.querySelector<HTMLElement>('[data-testid="viewport"]')!;
    const canvas = element.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return {
      width: canvas.width,
      height: canvas.height,
      rgba: btoa(text),
      shutterTransform: element.querySelector('.shutter-layer g')?.getAttribute('transform') ?? null,
      rendersBefore: 0,
    };
  });
}

function matrixOf(transform: string | null): number[] | null {
  const numbers = transform?.match(/-?[\d.]+(e-?\d+)?/g);
  return numbers ? numbers.map(Number) : null;
}

/** Share of canvas pixels whose grey differs by at most TOLERANCE, the largest difference, and colour pixels in the paint. */
function compare(painted: Capture, rendered: Capture): { within: number; maxDiff: number; notGrey: number; lit: number } {
  const a = Buffer.from(painted.rgba, 'base64');
  const b = Buffer.from(rendered.rgba, 'base64');
  let within = 0;
  let maxDiff = 0;
  let notGrey = 0;
  let lit = 0;
  for (let i = 0; i < a.length; i += 4) {
    const diff = Math.abs(a[i] - b[i]);
    if (diff <= TOLERANCE) within++;
    if (diff > maxDiff) maxDiff = diff;
    if (a[i] !== a[i + 1] || a[i] !== a[i + 2]) notGrey++;
    if (a[i] > 0) lit++;
  }
  return { within: within / (a.length / 4), maxDiff, notGrey, lit: lit / (a.length / 4) };
}

let app: App;
beforeAll(async () => {
  app = await launchApp({ samples: false, initScript: capturePaints });
});
afterAll(async () => {
  await app?.close();
});

describe('frame 1 painted ahead of Cornerstone', () => {
  it.each([...corpusCases, ...sampleCases])('$name: the paint is what Cornerstone then draws', async (testCase) => {
    const { page } = app;
    const paintsBefore = await page.evaluate(() => (window as unknown as { __firstPaints: unknown[] }).__firstPaints.length);
    const before = new Set((await app.runs()).map((r) => r.key));
    await app.openFiles(testCase.files);
    await expect.poll(async () => (await app.runs()).some((r) => !before.has(r.key)), { timeout: 30_000 }).toBe(true);
    const run = (await app.runs()).find((r) => !before.has(r.key))!;
    await app.waitForMark('fluorolens:first-frame', run.key);
    const marks = await page.evaluate((key) => {
      const of = (name: string) => {
        const mark = performance.getEntriesByName(name).find((m) => (m as PerformanceMark).detail?.run === key) as PerformanceMark;
        return { startTime: mark.startTime, by: mark.detail.by as string | undefined, paint: mark.detail.paint as string | undefined };
      };
      return { firstFrame: of('fluorolens:first-frame'), firstRender: of('fluorolens:first-render') };
    }, run.key);
    const paints = await page.evaluate(
      (from) => (window as unknown as { __firstPaints: Capture[] }).__firstPaints.slice(from),
      paintsBefore,
    );
    if (!testCase.painted) {
      expect(paints, 'no paint ahead of Cornerstone').toHaveLength(0);
      expect(marks.firstFrame.by).toBe('cornerstone');
      return;
    }
    expect(paints, 'one paint ahead of Cornerstone').toHaveLength(1);
    const [paint] = paints;
    expect(paint.rendersBefore, 'Cornerstone had not drawn the run yet').toBe(
      (await page.evaluate(() => performance.getEntriesByName('fluorolens:first-render').length)) - 1,
    );
    expect(marks.firstFrame.by, `the paint carried the first-frame mark (else: ${marks.firstFrame.paint})`).toBe('first-paint');
    expect(marks.firstFrame.startTime).toBeLessThan(marks.firstRender.startTime);

    // Cornerstone's render has replaced the paint; a frame more and nothing else is pending.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const rendered = await canvasNow(app);
    expect([rendered.width, rendered.height], 'the canvas kept its size').toEqual([paint.width, paint.height]);
    const { within, maxDiff, notGrey, lit } = compare(paint, rendered);
    console.log(`${testCase.name}: ${(within * 100).toFixed(3)} % within ±${TOLERANCE} (max ${maxDiff}), ${(lit * 100).toFixed(1)} % lit`);
    expect(notGrey, 'colour pixels in the paint').toBe(0);
    expect(lit, 'the paint shows an image, not a black canvas').toBeGreaterThan(0.2);
    expect(within, `share of pixels within ±${TOLERANCE} of Cornerstone's render (max diff ${maxDiff})`).toBeGreaterThanOrEqual(
      REQUIRED_SHARE,
    );

    const shutterAtPaint = matrixOf(paint.shutterTransform);
    const shutterAfter = matrixOf(rendered.shutterTransform);
    if (shutterAfter) {
      expect(shutterAtPaint, 'the shutter was placed at the paint').not.toBeNull();
      shutterAfter.forEach((v, i) => expect(shutterAtPaint![i]).toBeCloseTo(v, 2));
    }
  });
});

/** Records, in page time, each new stack Cornerstone starts loading. */
function recordStacks() {
  const stacks: number[] = [];
  (window as unknown as { __stacks: number[] }).__stacks = stacks;
  // Cornerstone's events do not bubble; a capturing listener on the document still hears them.
  // The pane's only: the warm-up's hidden viewport loads stacks of its own.
  document.addEventListener(
    'CORNERSTONE_PRE_STACK_NEW_IMAGE',
    (event) => {
      if ((event.target as HTMLElement).closest('[data-testid="viewport"]')) stacks.push(performance.now());
    },
    true,
  );
}

describe('frame 1 made on the page is on screen before Cornerstone is given the run', () => {
  let orderApp: App;
  beforeAll(async () => {
    orderApp = await launchApp({ samples: false, initScript: recordStacks });
    // As a user's first open comes: after the page's warm-up (it keeps the main thread busy).
    await orderApp.waitForMark('fluorolens:viewport-warm');
    await orderApp.waitForMark('fluorolens:codecs-warm');
  });
  afterAll(async () => {
    await orderApp?.close();
  });

  // Native 8-bit, RLE 512² (decoded on the page) while the pane holds another run, native 16-bit.
  it.each([
    ['l3-mbb-ftv', join(SAMPLE_DIR, 'l3-mbb-ftv.dcm')],
    ['l4-tfesi-ap-512', join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm')],
    ['xa1_wg04_1024_10bit_uncompressed', corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm')],
  ])('%s', async (_name, file) => {
    const { page } = orderApp;
    const before = await page.evaluate(() => ({ runs: performance.getEntriesByName('fluorolens:show-run').length }));
    await orderApp.openFiles([file]);
    await expect
      .poll(() => page.evaluate(() => performance.getEntriesByName('fluorolens:show-run').length), { timeout: 30_000 })
      .toBeGreaterThan(before.runs);
    const key = await page.evaluate(
      () => (performance.getEntriesByName('fluorolens:show-run').at(-1) as PerformanceMark).detail.run as string,
    );
    await orderApp.waitForMark('fluorolens:first-render', key);
    const order = await page.evaluate((key) => {
      const markOf = (name: string) =>
        performance.getEntriesByName(name).find((m) => (m as PerformanceMark).detail?.run === key) as PerformanceMark;
      const shown = markOf('fluorolens:show-run').startTime;
      const firstFrame = markOf('fluorolens:first-frame');
      return {
        // The pane loads a new image on every frame change too: the run's stack is the first after it was shown.
        stack: (window as unknown as { __stacks: number[] }).__stacks.find((t) => t >= shown),
        firstFrame: firstFrame.startTime,
        by: firstFrame.detail.by as string,
      };
    }, key);
    expect(order.by).toBe('first-paint');
    expect(order.stack, 'Cornerstone was given the run').toBeDefined();
    expect(order.firstFrame, 'frame 1 on screen before setStack').toBeLessThan(order.stack!);
    // The next run is opened once this one has settled: the page's first render of a run's chrome
    // keeps software GL busy for a few hundred ms, and frame 1's animation frame would wait for it.
    await orderApp.waitForMark('fluorolens:run-decoded', key);
    await page.waitForTimeout(500);
  });
});
