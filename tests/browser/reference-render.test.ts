/**
 * What the viewport shows at 1:1 equals DCMTK's rendering of the same frame with the same window
 * (the file's first window, else the min–max window of frame 1, which the viewer holds for the
 * whole run): within ±2 grey levels on at least 99.9 % of pixels, for every corpus file and every
 * sample run, frame 1 and a middle frame of multi-frame runs; for copies stating each VOI LUT
 * Function (DCMTK applies LINEAR, LINEAR_EXACT and SIGMOID as PS3.3 C.11.2.1.3 defines them); for
 * copies that store a VOI LUT Sequence instead of a window (compared with DCMTK's +Wl 1); for
 * copies stating a Presentation LUT Shape; for deflated and signed copies; and for copies with junk in the bits above Bits Stored
 * (DCMTK ignores them, PS3.5 8.1.1).
 *
 * The two MALFORMED corpus files have no reference: DCMTK refuses the truncated J2K run (and has
 * no JPEG 2000 codec) and the 65535×65535 file holds no pixels. bad-input.test.ts covers them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import dicomParser from 'dicom-parser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcmtkMinMaxWindow, dcmtkRender, dcmtkVoiLutCount, dcmtkWindowCount, type GreyImage, type ReferenceWindow } from './dcmtkReference';
import { SAMPLE_DIR, SCREENSHOT_DIR, launchApp, scratchDir, type App } from './driver';
import { CORPUS_DIR, corpusFile } from '../support/corpus';
import { withAttribute } from '../support/attributeCopy';
import { withVoiLuts } from '../support/voiLutFile';

const TOLERANCE = 2;
const REQUIRED_SHARE = 0.999;

interface RenderCase {
  name: string;
  /** Files to choose in the app. */
  files: string[];
  /** The file holding frame k (1-based) and its frame number inside that file. */
  frameSource(frame: number): { file: string; frame: number };
}

interface Truth {
  run: string;
  layout: 'multiframe' | 'series';
  files: string[];
  frames: number;
}

// The corpus is required (corpusFile throws, naming the folder, when it is missing).
const corpusCases: RenderCase[] = readdirSync(corpusFile('MANIFEST.md').replace(/MANIFEST\.md$/, ''))
  .filter((f) => f.endsWith('.dcm') && !f.startsWith('MALFORMED_'))
  .sort()
  .map((name) => ({ name, files: [join(CORPUS_DIR, name)], frameSource: (frame) => ({ file: join(CORPUS_DIR, name), frame }) }));

const sampleCases: RenderCase[] = readdirSync(SAMPLE_DIR)
  .filter((f) => f.endsWith('.truth.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(SAMPLE_DIR, f), 'utf8')) as Truth)
  .map((truth) => ({
    name: truth.run,
    files: [...new Set(truth.files)].map((file) => join(SAMPLE_DIR, file)),
    frameSource: (frame) =>
      truth.layout === 'series'
        ? { file: join(SAMPLE_DIR, truth.files[frame - 1]), frame: 1 }
        : { file: join(SAMPLE_DIR, truth.files[0]), frame },
  }));

/**
 * Copies that state a VOI LUT Function (0028,1056), made with DCMTK's dcmodify: a windowed 16-bit
 * big-endian sample and a windowed 8-bit RLE one under each function, and a corpus file without a
 * window (min–max) under SIGMOID. Cornerstone's loader read the stated function as its first
 * letter, and every such file was shown without its window (the full value range), explicit
 * LINEAR included, while the toolbar gave the file's window.
 */
const voiFunctionDir = scratchDir('voi-function');
const voiFunctionCases: RenderCase[] = [
  ...['l3-mbb-be16.dcm', 'l4-tfesi-ap-512.dcm'].flatMap((name) =>
    (['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as const).map((fn) => withVoiFunction(join(SAMPLE_DIR, name), fn)),
  ),
  withVoiFunction(corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm'), 'SIGMOID'),
];

/** The file's first Window Center/Width as DCMTK's dcmdump reads them, or null. */
function storedWindow(file: string): { center: number; width: number } | null {
  const dump = execFileSync('dcmdump', ['-q', '+P', '0028,1050', '+P', '0028,1051', file], { encoding: 'utf8' });
  const value = (tag: string) => Number(new RegExp(`\\(${tag}\\) DS \\[([^\\]\\\\]+)`).exec(dump)?.[1]);
  const center = value('0028,1050');
  const width = value('0028,1051');
  return Number.isFinite(center) && Number.isFinite(width) ? { center, width } : null;
}

/** A case of one file, every frame its own. */
function fileCase(file: string): RenderCase {
  return { name: basename(file), files: [file], frameSource: (frame) => ({ file, frame }) };
}

function withVoiFunction(source: string, fn: string): RenderCase {
  return fileCase(withAttribute(source, voiFunctionDir, fn.toLowerCase(), '(0028,1056)', fn));
}

/**
 * Copies whose window is replaced by a VOI LUT Sequence (0028,3010), made with DCMTK's dcmodify:
 * an 8-bit sample run under a gamma curve of 8-bit entries; the big-endian 16-bit sample under an
 * S-curve of 12-bit entries that starts above its darkest values and ends below its brightest
 * (both clamps); the MONOCHROME1 corpus CR under 16-bit entries (the LUT, then the inversion).
 * The viewer showed them all in frame 1's min–max window. DCMTK renders the LUT with +Wl 1.
 */
const voiLutDir = scratchDir('voi-lut');
const smoothStep = (t: number) => t * t * (3 - 2 * t);
const voiLutCase = (file: string, readout: string) => ({
  name: basename(file),
  files: [file],
  frameSource: (frame: number) => ({ file, frame }),
  readout,
});
const voiLutCases = [
  voiLutCase(
    withVoiLuts(join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm'), voiLutDir, 'gamma-l4-tfesi-ap-512.dcm', [
      { entries: 256, first: 0, bits: 8, curve: Math.sqrt, explanation: 'GAMMA 0.5' },
    ]),
    'VOI LUT GAMMA 0.5',
  ),
  voiLutCase(
    withVoiLuts(join(SAMPLE_DIR, 'l3-mbb-be16.dcm'), voiLutDir, 's-curve-l3-mbb-be16.dcm', [
      { entries: 400, first: 150, bits: 12, curve: smoothStep, explanation: 'S CURVE' },
    ]),
    'VOI LUT S CURVE',
  ),
  voiLutCase(
    withVoiLuts(corpusFile('cr_wg04_rg3_mono1_10bit_jpeg-lossless.dcm'), voiLutDir, 'lut-cr-mono1.dcm', [
      { entries: 1024, first: 0, bits: 16, curve: (t) => Math.pow(t, 0.7) },
    ]),
    'VOI LUT 1',
  ),
];

/**
 * Copies stating a Presentation LUT Shape (2050,0020), made with DCMTK's dcmodify: the windowed
 * 8-bit RLE sample and the windowless 10-bit JPEG-LS corpus XA under INVERSE (DCMTK draws a
 * MONOCHROME2 image so inverted; the viewer drew them as plain MONOCHROME2), the MONOCHROME1 corpus
 * CR under INVERSE (the shape the DX IOD requires with MONOCHROME1: one inversion, not two), and
 * the big-endian 16-bit sample under IDENTITY.
 */
const presentationShapeDir = scratchDir('presentation-lut-shape');
function withPresentationShape(source: string, shape: 'INVERSE' | 'IDENTITY'): RenderCase {
  return fileCase(withAttribute(source, presentationShapeDir, shape.toLowerCase(), '(2050,0020)', shape));
}
const presentationShapeCases: RenderCase[] = [
  withPresentationShape(join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm'), 'INVERSE'),
  withPresentationShape(corpusFile('xa1_wg04_1024_10bit_jpeg-ls-lossless.dcm'), 'INVERSE'),
  withPresentationShape(corpusFile('cr_wg04_rg3_mono1_10bit_jpeg-lossless.dcm'), 'INVERSE'),
  withPresentationShape(join(SAMPLE_DIR, 'l3-mbb-be16.dcm'), 'IDENTITY'),
];

/**
 * Copies in Deflated Explicit VR Little Endian, written by DCMTK's dcmconv +td: the windowed
 * sample run with a Frame Time Vector and the windowless 10-bit corpus XA image. The viewer refused
 * the transfer syntax; it now inflates such a file whole when it opens it.
 */
const deflatedDir = scratchDir('deflated');
const deflatedCases: RenderCase[] = [join(SAMPLE_DIR, 'l3-mbb-ftv.dcm'), corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm')].map(
  (source) => {
    const file = join(deflatedDir, `deflated-${basename(source)}`);
    execFileSync('dcmconv', ['+td', source, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    return fileCase(file);
  },
);

/**
 * Copies of the 10-bit corpus XA image with junk in the six bits above Bits Stored of every third
 * word (as old files kept overlay planes there), as it is and RLE-compressed by DCMTK's dcmcrle
 * (which keeps whole words). DCMTK reads only the stored bits; the viewer read whole words, drew
 * the junk bright and opened on a window stretched by it (15 % of pixels within ±2).
 */
const junkBitsDir = scratchDir('junk-bits');
const junkBitsCases: RenderCase[] = (() => {
  const native = join(junkBitsDir, 'junk-high-bits.dcm');
  writeFileSync(native, withJunkAboveBitsStored(readFileSync(corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm'))));
  const rle = join(junkBitsDir, 'junk-high-bits-rle.dcm');
  execFileSync('dcmcrle', [native, rle], { stdio: ['ignore', 'ignore', 'pipe'] });
  return [native, rle].map(fileCase);
})();

/** The file with bits 10–15 set in every third 16-bit word of its (native, little endian) pixel data. */
function withJunkAboveBitsStored(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const pixels = dicomParser.parseDicom(copy).elements.x7fe00010;
  for (let at = pixels.dataOffset; at + 2 <= pixels.dataOffset + pixels.length; at += 6)
    copy.writeUInt16LE(copy.readUInt16LE(at) | 0xfc00, at);
  return copy;
}

/**
 * Signed copies of the 10-bit corpus XA image (Pixel Representation 1, dcmodify): every value
 * lowered by 300, so about half are negative, written as 16-bit two's complement (the bits above
 * Bits Stored copies of the sign) and with those bits clear (the 10-bit value alone). DCMTK takes
 * the sign from bit 9 either way.
 */
const signedDir = scratchDir('signed');
const signedCases: RenderCase[] = (['sign-extended', 'high-bits-clear'] as const).map((kind) => {
  const file = join(signedDir, `signed-${kind}.dcm`);
  const copy = Buffer.from(readFileSync(corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm')));
  const pixels = dicomParser.parseDicom(copy).elements.x7fe00010;
  for (let at = pixels.dataOffset; at + 2 <= pixels.dataOffset + pixels.length; at += 2) {
    const value = copy.readUInt16LE(at) - 300;
    copy.writeUInt16LE(kind === 'sign-extended' ? value & 0xffff : value & 0x3ff, at);
  }
  writeFileSync(file, copy);
  execFileSync('dcmodify', ['-nb', '-m', '(0028,0103)=1', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return fileCase(file);
});

/** Frame 1 and a middle frame (all a single frame run has is frame 1). */
function framesToCheck(frameCount: number): number[] {
  return frameCount > 1 ? [1, Math.ceil(frameCount / 2)] : [1];
}

/** The window the viewer shows frame `frame` with, as DCMTK options. */
function referenceWindow(testCase: RenderCase, frame: number): ReferenceWindow {
  const first = testCase.frameSource(1);
  if (dcmtkWindowCount(first.file) > 0) return { kind: 'file' };
  // No window but a VOI LUT: the viewer opens with the first.
  if (dcmtkVoiLutCount(first.file) > 0) return { kind: 'lut', index: 1 };
  // No window in the file: the viewer takes frame 1's value range and holds it for the run.
  if (frame === 1) return { kind: 'min-max' };
  return { kind: 'set', ...dcmtkMinMaxWindow(first.file, first.frame) };
}

interface Displayed extends GreyImage {
  /** Image pixels whose centre fell outside the canvas. */
  outside: number;
  /** Pixels drawn with unequal red, green and blue. */
  notGrey: number;
  devicePixelRatio: number;
}

/**
 * Reads the viewport's canvas (device pixels) at the centre of every image pixel of the frame on
 * screen. Image → page positions come from the app's own transform (imagePointOnPage); CSS → canvas
 * pixels use the canvas's backing size against its box, which is where devicePixelRatio enters.
 */
async function displayedFrame(page: Page, columns: number, rows: number): Promise<Displayed> {
  const result = await page.evaluate(
    ({ columns, rows }) => {
      const hooks = window.__fluorolens!;
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewport"] canvas')!;
      const box = canvas.getBoundingClientRect();
      const scaleX = canvas.width / box.width;
      const scaleY = canvas.height / box.height;
      const origin = hooks.imagePointOnPage('main', 0.5, 0.5)!;
      const right = hooks.imagePointOnPage('main', 1.5, 0.5)!;
      const down = hooks.imagePointOnPage('main', 0.5, 1.5)!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const grey = new Uint8Array(columns * rows);
      let outside = 0;
      let notGrey = 0;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < columns; c++) {
          const px = origin.x + c * (right.x - origin.x) + r * (down.x - origin.x) - box.left;
          const py = origin.y + c * (right.y - origin.y) + r * (down.y - origin.y) - box.top;
          const x = Math.floor(px * scaleX);
          const y = Math.floor(py * scaleY);
          if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) {
            outside++;
            continue;
          }
          const at = (y * canvas.width + x) * 4;
          if (data[at] !== data[at + 1] || data[at] !== data[at + 2]) notGrey++;
          grey[r * columns + c] = data[at];
        }
      }
      let text = '';
      for (let i = 0; i < grey.length; i += 0x8000) text += String.fromCharCode(...grey.subarray(i, i + 0x8000));
      return { width: columns, height: rows, base64: btoa(text), outside, notGrey, devicePixelRatio: window.devicePixelRatio };
    },
    { columns, rows },
  );
  return { ...result, grey: new Uint8Array(Buffer.from(result.base64, 'base64')) };
}

interface Comparison {
  case: string;
  frame: number;
  window: string;
  maxDiff: number;
  withinTolerance: number;
  pixels: number;
}

function compare(shown: GreyImage, reference: GreyImage): { maxDiff: number; within: number } {
  let maxDiff = 0;
  let within = 0;
  for (let i = 0; i < reference.grey.length; i++) {
    const diff = Math.abs(shown.grey[i] - reference.grey[i]);
    if (diff > maxDiff) maxDiff = diff;
    if (diff <= TOLERANCE) within++;
  }
  return { maxDiff, within: within / reference.grey.length };
}

/** Makes the viewport large enough to show the whole image at 1:1 (in device pixels). */
async function fitWindowTo(page: Page, columns: number, rows: number): Promise<void> {
  const viewport = page.getByTestId('viewport');
  const box = (await viewport.boundingBox())!;
  const size = page.viewportSize()!;
  const ratio = await page.evaluate(() => window.devicePixelRatio);
  const needWidth = Math.ceil(columns / ratio) + 16;
  const needHeight = Math.ceil(rows / ratio) + 16;
  await page.setViewportSize({
    width: Math.max(size.width, Math.ceil(size.width - box.width + needWidth)),
    height: Math.max(size.height, Math.ceil(size.height - box.height + needHeight)),
  });
}

const results: Comparison[] = [];

/** A frame that differs is kept as two PGMs (shown, DCMTK) under test-results/ for a look. */
function saveForInspection(label: string, shown: GreyImage, reference: GreyImage): void {
  const dir = join(SCREENSHOT_DIR, 'reference-render');
  mkdirSync(dir, { recursive: true });
  const pgm = (image: GreyImage) => Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`), Buffer.from(image.grey)]);
  writeFileSync(join(dir, `${label}-shown.pgm`), pgm(shown));
  writeFileSync(join(dir, `${label}-dcmtk.pgm`), pgm(reference));
}

/** Opens the case's files as one new run, waits until every frame is decoded, and sizes the page for 1:1. */
async function openCase(app: App, testCase: RenderCase): Promise<{ key: string; columns: number; rows: number; frames: number }> {
  const before = new Set((await app.runs()).map((r) => r.key));
  await app.openFiles(testCase.files);
  await expect.poll(async () => (await app.runs()).some((r) => !before.has(r.key)), { timeout: 30_000 }).toBe(true);
  const run = (await app.runs()).find((r) => !before.has(r.key))!;
  await app.waitForMark('fluorolens:run-decoded', run.key, 60_000);
  expect((await app.runs()).find((r) => r.key === run.key)!.failed, 'frames that failed to decode').toEqual([]);
  await fitWindowTo(app.page, run.columns, run.rows);
  return run;
}

/**
 * Shows `frame` at 1:1 and compares it with DCMTK's rendering of `source` under `voi` (its grey
 * levels turned over when `inverted`); the comparison is logged and kept for the report.
 */
async function compareShown(
  app: App,
  label: string,
  run: { columns: number; rows: number },
  frame: number,
  source: { file: string; frame: number },
  voi: ReferenceWindow,
  inverted = false,
): Promise<{ maxDiff: number; within: number }> {
  const { page } = app;
  await page.getByRole('slider', { name: 'Frame' }).fill(String(frame));
  await expect.poll(() => page.evaluate(() => window.__fluorolens!.annotationsShown('main')?.frame)).toBe(frame);
  // 1:1 after the resize and the frame change: one image pixel per device pixel.
  await page.getByRole('button', { name: '1:1', exact: true }).click();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const shown = await displayedFrame(page, run.columns, run.rows);
  const rendered = dcmtkRender(source.file, source.frame, voi);
  const reference = inverted ? { ...rendered, grey: rendered.grey.map((g) => 255 - g) } : rendered;
  expect([reference.width, reference.height]).toEqual([run.columns, run.rows]);
  expect(shown.outside, 'image pixels outside the canvas at 1:1').toBe(0);
  expect(shown.notGrey, 'pixels drawn in colour').toBe(0);
  const { maxDiff, within } = compare(shown, reference);
  if (within < REQUIRED_SHARE) saveForInspection(`${label}-frame${frame}`, shown, reference);
  const windowText =
    (voi.kind === 'set'
      ? `+Ww ${voi.center} ${voi.width}`
      : voi.kind === 'file'
        ? '+Wi 1'
        : voi.kind === 'lut'
          ? `+Wl ${voi.index}`
          : '+Wm') + (inverted ? ', inverted' : '');
  results.push({ case: label, frame, window: windowText, maxDiff, withinTolerance: within, pixels: reference.grey.length });
  console.log(`${label} frame ${frame} (${windowText}): max diff ${maxDiff}, ${(within * 100).toFixed(3)} % within ±${TOLERANCE}`);
  return { maxDiff, within };
}

async function checkCase(app: App, testCase: RenderCase): Promise<void> {
  const run = await openCase(app, testCase);
  for (const frame of framesToCheck(run.frames)) {
    const { maxDiff, within } = await compareShown(
      app,
      testCase.name,
      run,
      frame,
      testCase.frameSource(frame),
      referenceWindow(testCase, frame),
    );
    expect(
      within,
      `${testCase.name} frame ${frame}: share of pixels within ±${TOLERANCE} of DCMTK (max diff ${maxDiff})`,
    ).toBeGreaterThanOrEqual(REQUIRED_SHARE);
  }
}

describe("the displayed frame equals DCMTK's rendering", () => {
  let app: App;
  beforeAll(async () => {
    app = await launchApp({ samples: false });
  });
  afterAll(async () => {
    await app?.close();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'reference-render.json'), JSON.stringify(results, null, 2));
  });

  it.each(sampleCases.map((c) => [c.name, c] as const))('sample run %s', async (_name, testCase) => {
    await checkCase(app, testCase);
  });

  it.each(corpusCases.map((c) => [c.name, c] as const))('corpus file %s', async (_name, testCase) => {
    await checkCase(app, testCase);
  });

  it.each(junkBitsCases.map((c) => [c.name, c] as const))('copy with junk above Bits Stored %s', async (_name, testCase) => {
    await checkCase(app, testCase);
  });

  it.each(voiLutCases.map((c) => [c.name, c] as const))('VOI LUT Sequence copy %s', async (_name, testCase) => {
    await checkCase(app, testCase);
    // The toolbar names the LUT on screen instead of a window.
    await expect.poll(() => app.toolbar().getByRole('status', { name: 'Window/level readout' }).textContent()).toBe(testCase.readout);
  });

  it.each(signedCases.map((c) => [c.name, c] as const))('signed copy %s', async (_name, testCase) => {
    await checkCase(app, testCase);
  });

  it.each(deflatedCases.map((c) => [c.name, c] as const))('Deflated Explicit VR Little Endian copy %s', async (_name, testCase) => {
    await checkCase(app, testCase);
  });

  it.each(presentationShapeCases.map((c) => [c.name, c] as const))('Presentation LUT Shape copy %s', async (_name, testCase) => {
    await checkCase(app, testCase);
    // The file's inversion is not the user's: Invert is not pressed.
    await expect.poll(() => app.toolbar().getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')).toBe('false');
  });

  it.each(voiFunctionCases.map((c) => [c.name, c] as const))('VOI LUT Function copy %s', async (_name, testCase) => {
    await checkCase(app, testCase);
    // The toolbar reads the file's own window back, whichever function places its ends.
    const stored = storedWindow(testCase.files[0]);
    if (stored) {
      const readout = app.toolbar().getByText(/^W \S+ L \S+$/);
      expect(await readout.textContent()).toBe(`W ${stored.width} L ${stored.center}`);
    }
  });
});

/** Mean grey of the middle of an image (its central 40 % each way), read through `grey(x, y)`. */
function middleMean(grey: (x: number, y: number) => number, width: number, height: number): number {
  let sum = 0;
  let count = 0;
  for (let y = Math.round(height * 0.3); y < height * 0.7; y++)
    for (let x = Math.round(width * 0.3); x < width * 0.7; x++, count++) sum += grey(x, y);
  return sum / count;
}

/**
 * A run that stores a window and two VOI LUTs opens in the window; either LUT can be chosen from
 * the window presets and holds across frames and under Invert; a Window/level drag leaves the LUT
 * for a plain window (drawn straight, not the LUT stretched); Reset goes back to how the run opened.
 */
describe('a VOI LUT chosen, inverted, dragged away from and reset', () => {
  let app: App;
  const dir = scratchDir('voi-lut-choice');
  const both = voiLutCase(
    withVoiLuts(
      join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm'),
      dir,
      'window-and-luts-l4.dcm',
      [
        { entries: 256, first: 0, bits: 8, curve: Math.sqrt, explanation: 'GAMMA 0.5' },
        { entries: 160, first: 60, bits: 10, curve: smoothStep, explanation: 'S CURVE' },
      ],
      true,
    ),
    'W 230 L 140',
  );
  const onlyLut = voiLutCases[0];
  beforeAll(async () => {
    app = await launchApp({ samples: false });
  });
  afterAll(async () => app?.close());

  const readout = () => app.toolbar().getByRole('status', { name: 'Window/level readout' }).textContent();
  const preset = () => app.toolbar().getByRole('combobox', { name: 'Window preset' });
  const expectLike = async (run: { columns: number; rows: number }, frame: number, voi: ReferenceWindow, inverted = false) => {
    const file = both.files[0];
    const { within, maxDiff } = await compareShown(app, basename(file), run, frame, { file, frame }, voi, inverted);
    expect(within, `frame ${frame} against DCMTK (max diff ${maxDiff})`).toBeGreaterThanOrEqual(REQUIRED_SHARE);
  };
  const drag = async (dx: number, dy: number) => {
    const box = (await app.page.getByTestId('viewport').boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await app.page.mouse.move(x, y, { steps: 6 });
    await app.page.mouse.down();
    for (let step = 1; step <= 8; step++) await app.page.mouse.move(x + (dx * step) / 8, y + (dy * step) / 8);
    await app.page.mouse.up();
  };

  it('opens in the window; the chosen LUT equals DCMTK +Wl 2 on every frame, inverted too; a drag draws a window', async () => {
    const run = await openCase(app, both);
    expect(await readout()).toBe('W 230 L 140');
    await expectLike(run, 1, { kind: 'file' });
    const options = await preset().locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['VOI LUT GAMMA 0.5 (file)', 'VOI LUT S CURVE (file)']));

    await preset().selectOption({ label: 'VOI LUT S CURVE (file)' });
    await expect.poll(readout).toBe('VOI LUT S CURVE');
    expect(await preset().evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('VOI LUT S CURVE (file)');
    await expectLike(run, 1, { kind: 'lut', index: 2 });
    await expectLike(run, 30, { kind: 'lut', index: 2 });

    await app.toolbar().getByRole('button', { name: 'Invert' }).click();
    await expectLike(run, 30, { kind: 'lut', index: 2 }, true);
    await app.toolbar().getByRole('button', { name: 'Invert' }).click();
    await expectLike(run, 30, { kind: 'lut', index: 2 });

    await app.toolbar().getByRole('button', { name: 'Window/level' }).click();
    await drag(60, -40);
    await expect.poll(readout).toMatch(/^W \S+ L \S+$/);
    const [, width, center] = /^W (\S+) L (\S+)$/.exec((await readout())!)!.map(Number);
    await expectLike(run, 30, { kind: 'set', center, width });

    await app.toolbar().getByRole('button', { name: 'Reset' }).click();
    await expect.poll(readout).toBe('W 230 L 140');
    await expectLike(run, 30, { kind: 'file' });
  });

  it('a run that stores only a LUT goes back to it on Reset after a drag', async () => {
    const run = await openCase(app, onlyLut);
    await expect.poll(readout).toBe('VOI LUT GAMMA 0.5');
    await drag(-50, 30);
    await expect.poll(readout).toMatch(/^W \S+ L \S+$/);
    await app.toolbar().getByRole('button', { name: 'Reset' }).click();
    await expect.poll(readout).toBe('VOI LUT GAMMA 0.5');
    const file = onlyLut.files[0];
    const { within } = await compareShown(app, basename(file), run, 12, { file, frame: 12 }, { kind: 'lut', index: 1 });
    expect(within).toBeGreaterThanOrEqual(REQUIRED_SHARE);
    // The Runs list previews it through the LUT too: the middle of its thumbnail is as bright as
    // DCMTK's LUT rendering of frame 1, not as its min–max one (the gamma curve lifts mid greys).
    const thumbnail = app.page.getByRole('list', { name: 'Runs' }).locator('canvas.thumbnail').last();
    const meanOf = (image: GreyImage) => middleMean((x, y) => image.grey[y * image.width + x], image.width, image.height);
    const throughLut = meanOf(dcmtkRender(file, 1, { kind: 'lut', index: 1 }));
    const minMax = meanOf(dcmtkRender(file, 1, { kind: 'min-max' }));
    const thumbnailMean = async () => {
      const { rgba, width, height } = await app.pixelsOf(thumbnail);
      return middleMean((x, y) => rgba[(y * width + x) * 4], width, height);
    };
    await expect
      .poll(async () => Math.abs((await thumbnailMean()) - throughLut), { message: `against ${throughLut} (LUT), not ${minMax} (min–max)` })
      .toBeLessThan(Math.abs(throughLut - minMax) / 4);
  });
});

/**
 * A MONOCHROME2 run whose Presentation LUT Shape is INVERSE opens inverted, with Invert not
 * pressed; Invert shows it the other way round (and is pressed); Reset turns it back as the file
 * asks; the Runs list previews it inverted too.
 */
describe('a run inverted by its Presentation LUT Shape: Invert, Reset and its thumbnail', () => {
  let app: App;
  const inverse = presentationShapeCases[0];
  beforeAll(async () => {
    app = await launchApp({ samples: false });
  });
  afterAll(async () => app?.close());

  it('opens inverted as DCMTK draws it; Invert undoes it, Reset restores it; the thumbnail is inverted', async () => {
    const run = await openCase(app, inverse);
    const file = inverse.files[0];
    const invert = app.toolbar().getByRole('button', { name: 'Invert' });
    const expectLike = async (frame: number, inverted: boolean) => {
      const { within, maxDiff } = await compareShown(app, basename(file), run, frame, { file, frame }, { kind: 'file' }, inverted);
      expect(within, `frame ${frame}${inverted ? ' turned over' : ''} against DCMTK (max diff ${maxDiff})`).toBeGreaterThanOrEqual(
        REQUIRED_SHARE,
      );
    };
    await expect.poll(() => invert.getAttribute('aria-pressed')).toBe('false');
    await expectLike(20, false);

    await invert.click();
    await expect.poll(() => invert.getAttribute('aria-pressed')).toBe('true');
    await expectLike(20, true);

    await app.toolbar().getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => invert.getAttribute('aria-pressed')).toBe('false');
    await expectLike(40, false);

    // The thumbnail's middle is as bright as DCMTK's (inverted) rendering of frame 1, far from the plain one.
    const thumbnail = app.page.getByRole('list', { name: 'Runs' }).locator('canvas.thumbnail').last();
    const reference = dcmtkRender(file, 1, { kind: 'file' });
    const inverted = middleMean((x, y) => reference.grey[y * reference.width + x], reference.width, reference.height);
    const plain = 255 - inverted;
    const thumbnailMean = async () => {
      const { rgba, width, height } = await app.pixelsOf(thumbnail);
      return middleMean((x, y) => rgba[(y * width + x) * 4], width, height);
    };
    await expect
      .poll(async () => Math.abs((await thumbnailMean()) - inverted), { message: `against ${inverted} (inverted), not ${plain}` })
      .toBeLessThan(Math.abs(inverted - plain) / 4);
  });
});

/**
 * A series whose spot images store no window and each two VOI LUTs of their own (copies of the
 * sample series made with dcmodify: a gamma curve and an S-curve, different in every image). Each
 * frame is shown through its own image's table, as DCMTK renders each file; a table chosen by its
 * place (the second) is followed to that place in every image; the toolbar names the frame's
 * table. The viewer showed every frame through the first image's tables.
 */
describe("a series whose images each store their own VOI LUTs: each frame through its image's", () => {
  let app: App;
  const dir = scratchDir('voi-lut-series');
  const truth = JSON.parse(readFileSync(join(SAMPLE_DIR, 's1-caudal-series.truth.json'), 'utf8')) as Truth;
  // Frame k is truth.files[k − 1]; its copy's tables are named after k.
  const copies = truth.files.map((file, i) =>
    withVoiLuts(join(SAMPLE_DIR, file), dir, basename(file), [
      { entries: 256, first: 0, bits: 8, curve: (t) => Math.pow(t, 0.35 + 0.07 * i), explanation: `GAMMA ${i + 1}` },
      { entries: 120 + 8 * i, first: 40 + 4 * i, bits: 10, curve: smoothStep, explanation: `S CURVE ${i + 1}` },
    ]),
  );
  beforeAll(async () => {
    app = await launchApp({ samples: false });
  });
  afterAll(async () => app?.close());
  const readout = () => app.toolbar().getByRole('status', { name: 'Window/level readout' }).textContent();
  const preset = () => app.toolbar().getByRole('combobox', { name: 'Window preset' });
  const expectLike = async (run: { columns: number; rows: number }, frame: number, index: number) => {
    const file = copies[frame - 1];
    const { within, maxDiff } = await compareShown(
      app,
      `lut-series-${basename(file)}`,
      run,
      frame,
      { file, frame: 1 },
      { kind: 'lut', index },
    );
    expect(within, `frame ${frame} against DCMTK +Wl ${index} of its file (max diff ${maxDiff})`).toBeGreaterThanOrEqual(REQUIRED_SHARE);
  };

  it('opens each frame through its first table; the second, once chosen, is followed from image to image', async () => {
    const run = await openCase(app, { name: 'lut-series', files: copies, frameSource: (frame) => ({ file: copies[frame - 1], frame: 1 }) });
    expect(run.frames).toBe(copies.length);
    for (const frame of [1, 2, 6, copies.length]) {
      await expectLike(run, frame, 1);
      await expect.poll(readout).toBe(`VOI LUT GAMMA ${frame}`);
    }
    await preset().selectOption({ label: `VOI LUT S CURVE ${copies.length} (file)` });
    await expect.poll(readout).toBe(`VOI LUT S CURVE ${copies.length}`);
    for (const frame of [3, 7]) {
      await expectLike(run, frame, 2);
      await expect.poll(readout).toBe(`VOI LUT S CURVE ${frame}`);
    }
    await app.toolbar().getByRole('button', { name: 'Reset' }).click();
    await expect.poll(readout).toBe('VOI LUT GAMMA 7');
    await expectLike(run, 4, 1);
  });
});
