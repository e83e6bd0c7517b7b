/**
 * The browser tests' one way to drive FluoroLens: real Chromium (playwright-core, Debian's
 * chromium) on the production build served by globalSetup.ts, used the way a user would use it.
 * Files go in through "Open DICOM files" / "Open folder", frames are chosen with the Frame slider,
 * tools with their buttons, marks are placed by clicking image points (image pixels → page pixels
 * through the imagePointOnPage hook), and work comes out through "Export annotations".
 *
 * Every app is a fresh browser context (its own storage) in one Chromium per test file. Any
 * uncaught page error or unhandled rejection fails the test it happened in (see the afterEach
 * below), or the file when it happens after the last test.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, expect, inject } from 'vitest';
import type { RunTruth } from '../../scripts/samples/generate';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { SAMPLE_DIR, readTruths } from '../support/samples';

export type { RunTruth };
export { SAMPLE_DIR };
export const SCREENSHOT_DIR = resolve(process.cwd(), 'test-results');

export interface Point {
  x: number;
  y: number;
}

/** A file of sample-dicom/ (committed; written by `npm run samples`). */
export function sampleFile(name: string): string {
  const path = join(SAMPLE_DIR, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: sample-dicom/ is committed; regenerate it with npm run samples`);
  return path;
}

/** The generator's ground truth for one sample run. */
export function sampleTruth(run: string): RunTruth {
  return JSON.parse(readFileSync(sampleFile(`${run}.truth.json`), 'utf8')) as RunTruth;
}

/** Ground truth of every sample run, in file-name order (none is an error: the samples are committed). */
export function sampleTruths(): RunTruth[] {
  return readTruths();
}

/** A file of the real DICOM corpus, read in place. Its absence is a failure, never a skip. */
export { corpusFile } from '../support/corpus';

/** A scratch folder for files a test writes; removed when the test file ends. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fluorolens-${prefix}-`));
  scratchDirs.push(dir);
  return dir;
}

/** Document and export shapes as the app writes them (only the fields tests read). */
export interface SavedTrack {
  id: string;
  kind: string;
  label: string;
  text?: string;
  range?: { from: number; to: number };
  keyframes: Array<{ frame: number; geometry: Record<string, unknown> }>;
}
export interface SavedDocument {
  run: { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUIDs: string[]; frameCount: number };
  tracks: SavedTrack[];
  caseRecord: Record<string, unknown>;
  derived: {
    note: string;
    needleTip: { positions: Array<{ frame: number; x: number; y: number; source: string }> };
    target: { positions: Array<{ frame: number; x: number; y: number; source: string }> };
    tipToTarget: { unit: string; spacingSource: string | null; px: (number | null)[]; mm: (number | null)[] | null };
    contrastArea: { unit: string; px2: (number | null)[]; mm2: (number | null)[] | null };
  };
}

/** A screenshot decoded to RGBA, row-major. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Gray level (0–255, the rounded mean of R, G and B) of every pixel. */
export function grayLevels(pixels: Pixels): { width: number; height: number; data: number[] } {
  const data = new Array<number>(pixels.width * pixels.height);
  for (let i = 0; i < data.length; i++) {
    const o = i * 4;
    data[i] = Math.round((pixels.rgba[o] + pixels.rgba[o + 1] + pixels.rgba[o + 2]) / 3);
  }
  return { width: pixels.width, height: pixels.height, data };
}

/** Mean and spread of the (unrounded) gray levels: enough to tell an image from a flat field. */
export function grayStats(pixels: Pixels): { mean: number; std: number; width: number; height: number } {
  let sum = 0;
  let sumSq = 0;
  const n = pixels.width * pixels.height;
  for (let i = 0; i < pixels.rgba.length; i += 4) {
    const g = (pixels.rgba[i] + pixels.rgba[i + 1] + pixels.rgba[i + 2]) / 3;
    sum += g;
    sumSq += g * g;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), width: pixels.width, height: pixels.height };
}

/** Mean RGB of the 3×3 block around a point given as fractions of the width and height. */
export function meanColourAt(pixels: Pixels, fx: number, fy: number): [number, number, number] {
  const cx = Math.round(fx * pixels.width);
  const cy = Math.round(fy * pixels.height);
  const sum = [0, 0, 0];
  for (let y = cy - 1; y <= cy + 1; y++) {
    for (let x = cx - 1; x <= cx + 1; x++) {
      if (x < 0 || y < 0 || x >= pixels.width || y >= pixels.height) continue; // outside reads as black
      for (let c = 0; c < 3; c++) sum[c] += pixels.rgba[(y * pixels.width + x) * 4 + c];
    }
  }
  return sum.map((s) => s / 9) as [number, number, number];
}

/** How many pixels have a colour for which `test(r, g, b)` holds. */
export function countPixels(pixels: Pixels, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < pixels.rgba.length; i += 4) if (test(pixels.rgba[i], pixels.rgba[i + 1], pixels.rgba[i + 2])) n++;
  return n;
}

/** Pearson correlation of stored values against displayed gray levels. */
export function correlation(samples: Array<{ stored: number; shown: number }>): number {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.stored, 0) / n;
  const my = samples.reduce((a, s) => a + s.shown, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const s of samples) {
    sxy += (s.stored - mx) * (s.shown - my);
    sxx += (s.stored - mx) ** 2;
    syy += (s.shown - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The hooks' pane ids: Viewer 1 is 'main', Viewer 2 'second'. */
const PANE_IDS = ['main', 'second'] as const;
export type PaneNumber = 1 | 2;

export interface LaunchOptions {
  /** Open on the bundled sample runs (default) or empty (`?samples=0`). */
  samples?: boolean;
  /** Window size; a tall one gives the viewport room, so a CSS pixel lies under an image pixel. */
  viewport?: { width: number; height: number };
  /** Open this address instead of the global preview's (e.g. another preview with its own /dicom-web proxy); `samples` is then ignored. */
  url?: string;
  /** When goto returns (default 'load'); tests that wait for the app's own signs can use 'domcontentloaded'. */
  waitUntil?: 'load' | 'domcontentloaded' | 'commit';
  /**
   * The runs list and the right-hand panel: 'open' (default) as a user who unfolded both (the app
   * remembers that choice), so tests about other things find the Runs list and the case record;
   * 'default' starts as a first visit does (both folded: the picture first).
   */
  panels?: 'open' | 'default';
  /** Runs in the page before the app's own scripts, on every load (e.g. to watch the layout from the first paint). */
  initScript?: () => void;
}

export class App {
  /** Every console error, for tests that assert on them; page errors below fail tests by themselves. */
  readonly consoleErrors: string[] = [];
  /** Every console line of any level (e.g. to check that no patient data is logged). */
  readonly consoleLines: string[] = [];
  /** Uncaught errors and unhandled rejections in the page or its workers. */
  readonly pageErrors: string[] = [];
  private reportedPageErrors = 0;
  private readonly allowed: Array<{ pattern: RegExp; reason: string }> = [];
  closed = false;

  constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {
    page.on('pageerror', (error) => this.pageErrors.push(String(error.stack ?? error)));
    page.on('console', (msg) => {
      this.consoleLines.push(msg.text());
      if (msg.type() !== 'error') return;
      this.consoleErrors.push(msg.text());
      // Uncaught errors in workers reach the page's console, not 'pageerror'.
      if (/^Uncaught\b/.test(msg.text())) this.pageErrors.push(msg.text());
    });
  }

  /**
   * Lets page errors matching `pattern` pass, for the rest of this app's life. Only for errors a
   * test provokes on purpose and the app cannot catch; `reason` says why, next to the call.
   */
  allowPageErrors(pattern: RegExp, reason: string): void {
    this.allowed.push({ pattern, reason });
  }

  /** Page errors not yet reported to a test, less the allowed ones. */
  takeNewPageErrors(): string[] {
    const fresh = this.pageErrors.slice(this.reportedPageErrors);
    this.reportedPageErrors = this.pageErrors.length;
    return fresh.filter((error) => !this.allowed.some(({ pattern }) => pattern.test(error)));
  }

  /** The region of Viewer n (1 or 2), which holds its viewport, its playback row and its timeline. */
  pane(n: PaneNumber = 1): Locator {
    return this.page.getByRole('region', { name: `Viewer ${n}` });
  }

  /**
   * Viewer n and the toolbar together, for tests of a single pane (which is then the active one):
   * its own controls and the tools that act on it, as the user sees them.
   */
  paneWithTools(n: PaneNumber = 1): Locator {
    return this.pane(n).or(this.toolbar());
  }

  /** The app's one toolbar (tools, view, display, history, export), which acts on the active pane. */
  toolbar(): Locator {
    return this.page.getByRole('toolbar', { name: 'Review tools' });
  }

  /**
   * Makes Viewer n the active pane, as Tab onto it does (focus, no click: a click on the image
   * would use the tool on it), and waits until the toolbar says it acts on that pane.
   */
  async activatePane(n: PaneNumber = 1): Promise<void> {
    await this.pane(n).focus();
    await expect.poll(() => this.toolbar().getAttribute('data-pane')).toBe(PANE_IDS[n - 1]);
  }

  /** The toolbar, acting on Viewer n (made the active pane first). */
  async toolsFor(n: PaneNumber = 1): Promise<Locator> {
    await this.activatePane(n);
    return this.toolbar();
  }

  // ---- Opening runs ------------------------------------------------------------------------

  /** Opens files through "Open DICOM files", as a user would. */
  async openFiles(paths: string[]): Promise<void> {
    await this.page.getByLabel('Open DICOM files').setInputFiles(paths);
  }

  /** Opens a folder (with its subfolders) through "Open folder". */
  async openFolder(path: string): Promise<void> {
    await this.page.getByLabel('Open folder').setInputFiles(path);
  }

  /** Opens one file and waits until its first frame is on screen; returns the run key. */
  async openRun(path: string): Promise<string> {
    await this.openFiles([path]);
    const key = await this.runKeyByFile(basename(path));
    await this.waitForMark('fluorolens:first-frame', key);
    return key;
  }

  /** The open runs, as the test hook reports them. */
  runs() {
    return this.page.evaluate(() => window.__fluorolens!.runs());
  }

  /** Waits until a run holding a file of this name is open, and returns its key. */
  async runKeyByFile(fileName: string, timeout = 30_000): Promise<string> {
    const handle = await this.page.waitForFunction(
      (name) => window.__fluorolens?.runs().find((r) => r.files.some((f) => f === name || f.endsWith(`/${name}`)))?.key,
      fileName,
      { timeout },
    );
    return (await handle.jsonValue()) as string;
  }

  /** Unfolds the runs list when it is folded to its strip (as side by side starts), as a user would. */
  async showRunsList(): Promise<void> {
    const strip = this.page.getByRole('navigation', { name: 'Run browser' }).getByRole('button', { name: 'Runs', exact: true });
    if (await strip.isVisible()) await strip.click();
    await this.page.getByRole('list', { name: 'Runs', exact: true }).waitFor();
  }

  /** The runs' own buttons in the Runs list, in list order (toggle buttons: not their Close buttons). */
  runButtons(): Locator {
    return this.page.getByRole('list', { name: 'Runs', exact: true }).locator('button[aria-pressed]');
  }

  /** Closes a run from the Runs list by its button's name (its ✕, described by the run's title). */
  async closeRunFromList(name: RegExp | string): Promise<void> {
    await this.showRunsList();
    // A run's own entry (in its study's list), not the study's entry around it.
    const entry = this.page
      .getByRole('list', { name: /^Runs of / })
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('button', { name }) });
    await entry.getByRole('button', { name: 'Close run', exact: true }).click();
  }

  /** Clicks a run in the Runs list (unfolded first if need be), which shows it in the active pane. */
  async showRunFromList(name: RegExp | string): Promise<void> {
    await this.showRunsList();
    await this.page.getByRole('list', { name: 'Runs', exact: true }).getByRole('button', { name }).click();
  }

  // ---- Marks -------------------------------------------------------------------------------

  /** Waits for a User Timing mark, optionally one whose detail.run is this run. */
  /**
   * Waits for a User Timing mark (of one run, if given). For `fluorolens:first-frame` it also
   * waits for `fluorolens:first-render`: frame 1 may be on screen (painted ahead) a frame before
   * Cornerstone's viewport holds the run, and tests go on to read or drive that viewport.
   * first-paint.test.ts checks the first-frame mark on its own.
   */
  async waitForMark(name: string, runKey?: string, timeout = 30_000): Promise<void> {
    const names = name === 'fluorolens:first-frame' ? [name, 'fluorolens:first-render'] : [name];
    await this.page.waitForFunction(
      ([markNames, key]) =>
        markNames.every((markName) =>
          performance.getEntriesByName(markName).some((m) => !key || (m as PerformanceMark).detail?.run === key),
        ),
      [names, runKey] as const,
      { timeout },
    );
  }

  async clearMarks(...names: string[]): Promise<void> {
    await this.page.evaluate((list) => list.forEach((m) => performance.clearMarks(m)), names);
  }

  async markCount(name: string): Promise<number> {
    return this.page.evaluate((m) => performance.getEntriesByName(m).length, name);
  }

  // ---- Frames ------------------------------------------------------------------------------

  frameSlider(pane: PaneNumber = 1): Locator {
    return this.pane(pane).getByRole('slider', { name: 'Frame' });
  }

  /** The frame the pane's Frame slider is at. */
  async frame(pane: PaneNumber = 1): Promise<number> {
    return Number(await this.frameSlider(pane).getAttribute('aria-valuenow'));
  }

  /** Moves to a frame with the Frame slider and waits until the viewport shows it. */
  async goToFrame(frame: number, pane: PaneNumber = 1): Promise<void> {
    await this.frameSlider(pane).fill(String(frame));
    await expect.poll(() => this.frame(pane)).toBe(frame);
    await expect
      .poll(() => this.page.evaluate((id) => window.__fluorolens!.annotationsShown(id)?.frame, PANE_IDS[pane - 1]), { timeout: 15_000 })
      .toBe(frame);
    // Drawn, not only chosen: a press belongs to the frame whose pixels are on screen.
    await expect
      .poll(() => this.page.evaluate((id) => window.__fluorolens!.frameDrawn(id), PANE_IDS[pane - 1]), { timeout: 15_000 })
      .toBe(frame);
  }

  // ---- Tools and the image -----------------------------------------------------------------

  /** Clicks a tool button by its name and waits until it shows as pressed. */
  async chooseTool(name: string, pane: PaneNumber = 1): Promise<void> {
    const button = (await this.toolsFor(pane)).getByRole('button', { name, exact: true });
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
  }

  /** Page position of an image point (pixel (c, r) has its centre at (c+0.5, r+0.5)), rounded to a whole CSS pixel. */
  async pagePoint(p: Point, pane: PaneNumber = 1): Promise<Point> {
    const at = await this.page.evaluate(([id, x, y]) => window.__fluorolens!.imagePointOnPage(id, x, y), [
      PANE_IDS[pane - 1],
      p.x,
      p.y,
    ] as const);
    expect(at, 'the viewport shows an image').toBeTruthy();
    // Chromium truncates fractional mouse positions; rounding here keeps a click within half a CSS pixel.
    return { x: Math.round(at!.x), y: Math.round(at!.y) };
  }

  /** Image pixels per CSS pixel at the pane's current zoom. */
  async imagePixelsPerCssPixel(columns: number, pane: PaneNumber = 1): Promise<number> {
    const [a, b] = await this.page.evaluate(
      ([id, c]) => [window.__fluorolens!.imagePointOnPage(id, 0, 0), window.__fluorolens!.imagePointOnPage(id, c, 0)],
      [PANE_IDS[pane - 1], columns] as const,
    );
    return columns / (b!.x - a!.x);
  }

  /** Clicks at an image point. */
  async clickImage(p: Point, pane: PaneNumber = 1): Promise<void> {
    const at = await this.pagePoint(p, pane);
    await this.page.mouse.click(at.x, at.y);
  }

  /** Presses at the first image point, moves through the others in small steps, releases. */
  async dragImage(points: Point[], steps = 6, pane: PaneNumber = 1): Promise<void> {
    const onPage: Point[] = [];
    for (const p of points) onPage.push(await this.pagePoint(p, pane));
    await this.page.mouse.move(onPage[0].x, onPage[0].y);
    await this.page.mouse.down();
    for (const p of onPage.slice(1)) await this.page.mouse.move(p.x, p.y, { steps });
    await this.page.mouse.up();
  }

  // ---- Annotation documents ----------------------------------------------------------------

  /** The run's annotation document as the app holds it (the same text Export annotations downloads). */
  async savedDoc(runKey: string): Promise<SavedDocument> {
    const text = await this.page.evaluate((key) => window.__fluorolens!.annotations(key), runKey);
    expect(text, 'the run has an annotation document').toBeTruthy();
    return JSON.parse(text!) as SavedDocument;
  }

  /** Clicks Export annotations and reads the downloaded file. */
  async exportAnnotations(pane: PaneNumber = 1): Promise<{ name: string; text: string; doc: SavedDocument }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.toolsFor(pane).then((tools) => tools.getByRole('button', { name: 'Export annotations' }).click()),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    return { name: download.suggestedFilename(), text, doc: JSON.parse(text) as SavedDocument };
  }

  /** Chooses a file (written under the given name) with Import annotations. */
  async importAnnotations(content: string | object, fileName = 'annotations.json', pane: PaneNumber = 1): Promise<void> {
    const file = join(scratchDir('import'), fileName);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    await (await this.toolsFor(pane)).getByLabel('Import annotations').setInputFiles(file);
  }

  /** Imports a document as a test's starting point and waits until the run holds its tracks. */
  async startFrom(runKey: string, doc: { tracks: Array<{ id: string }> }): Promise<void> {
    await this.importAnnotations(doc, 'starting-point.fluorolens.json');
    const ids = doc.tracks.map((t) => t.id);
    await expect.poll(async () => (await this.savedDoc(runKey)).tracks.map((t) => t.id)).toEqual(ids);
    expect((await this.page.getByRole('alert').textContent()) ?? '', 'imported without changes').not.toContain('starting-point');
  }

  /** Stand-in for a drawing tool (drawKeyframe hook): geometry a tool gesture would have produced, as one undo step. */
  async drawKeyframe(runKey: string, trackId: string, frame: number, geometry: Record<string, unknown>): Promise<void> {
    await this.page.evaluate(([key, track, f, g]) => window.__fluorolens!.drawKeyframe(key, track, f, g as never), [
      runKey,
      trackId,
      frame,
      geometry,
    ] as const);
  }

  // ---- Timeline ----------------------------------------------------------------------------

  /** The pane's timeline. */
  timeline(pane: PaneNumber = 1): Locator {
    return this.pane(pane).getByRole('group', { name: 'Timeline' });
  }

  /** The lane of a track, by its label ("Needle tip", "Target", …): a list of keyframe marks. */
  lane(label: string, pane: PaneNumber = 1): Locator {
    return this.timeline(pane).getByRole('list', { name: label, exact: true });
  }

  /** Adds a track from the timeline's "Add track" menu and waits for its lane. */
  async addTrack(kind: string, pane: PaneNumber = 1): Promise<void> {
    await this.timeline(pane).getByRole('button', { name: 'Add track' }).click();
    await this.page.getByRole('menuitem', { name: kind, exact: true }).click();
    await this.lane(kind, pane).waitFor();
  }

  /** The frames of a lane's keyframe marks, read from their accessible names ("… keyframe at frame n"). */
  async markFrames(lane: Locator): Promise<number[]> {
    const names = await lane.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
    return names.map((n) => Number(/at frame (\d+)$/.exec(n)?.[1]));
  }

  /** Undo in the toolbar (it undoes in the active pane's run: activate the pane first when there are two). */
  undoButton(): Locator {
    return this.toolbar().getByRole('button', { name: 'Undo', exact: true });
  }

  redoButton(): Locator {
    return this.toolbar().getByRole('button', { name: 'Redo', exact: true });
  }

  // ---- Looking at the screen ---------------------------------------------------------------

  /** Saves test-results/<name>.png of the page, or of one element. */
  async screenshot(name: string, element?: Locator): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await (element ? element.screenshot({ path }) : this.page.screenshot({ path }));
  }

  /** What an element shows on screen, as RGBA pixels (decoded by the browser's own PNG decoder). */
  async pixelsOf(element: Locator): Promise<Pixels> {
    const png = await element.screenshot();
    // Strings cross the page boundary much faster than long arrays.
    const { width, height, rgba } = await this.page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let out = '';
      for (let i = 0; i < data.length; i += 0x8000) out += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return { width: bitmap.width, height: bitmap.height, rgba: btoa(out) };
    }, png.toString('base64'));
    return { width, height, rgba: new Uint8Array(Buffer.from(rgba, 'base64')) };
  }

  /** The pane's viewport canvas as shown. */
  viewportCanvas(pane: PaneNumber = 1): Locator {
    return this.pane(pane).getByTestId('viewport').locator('canvas').first();
  }

  /** Another tab of the same browser profile (the same storage; tabs can talk), on the same address. */
  async openAnotherTab(): Promise<App> {
    const other = new App(await this.context.newPage(), this.context);
    apps.add(other);
    await other.page.goto(this.page.url());
    return other;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.close();
    const unreported = this.takeNewPageErrors();
    if (unreported.length > 0) throw new Error(`page errors after the last check:\n${unreported.join('\n')}`);
  }
}

let browser: Promise<Browser> | undefined;
const apps = new Set<App>();
const scratchDirs: string[] = [];

/** A fresh app (its own browser context and storage) on the built FluoroLens. */
export async function launchApp(options: LaunchOptions = {}): Promise<App> {
  const { samples = true, viewport = { width: 1280, height: 800 }, panels = 'open' } = options;
  browser ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  const context = await (await browser).newContext({ viewport, acceptDownloads: true });
  if (panels === 'open') {
    // The choice the app remembers (src/state/layout.ts), made before the app reads it.
    // One pane only: side by side keeps its default (folded), as the panes are narrow otherwise.
    await context.addInitScript(() =>
      localStorage.setItem('fluorolens:layout', JSON.stringify({ single: { runs: false, analysis: false } })),
    );
  }
  if (options.initScript) await context.addInitScript(options.initScript);
  const app = new App(await context.newPage(), context);
  apps.add(app);
  await app.page.goto(options.url ?? inject('baseURL') + '/' + (samples ? '' : '?samples=0'), { waitUntil: options.waitUntil });
  return app;
}

/** The app on the bundled samples, once every sample run is listed and the first one is on screen. */
export async function launchOnSamples(options: Omit<LaunchOptions, 'samples'> = {}): Promise<App> {
  const app = await launchApp(options);
  await app.waitForMark('fluorolens:first-frame');
  const count = sampleTruths().length;
  await app.page.waitForFunction((n) => (window.__fluorolens?.runs().length ?? 0) === n, count);
  return app;
}

// Any uncaught error or unhandled rejection in a page fails the test it happened in. Registered
// here, so every test file that drives the app gets it; it runs after the file's own afterEach.
afterEach(() => {
  const errors: string[] = [];
  for (const app of apps) {
    errors.push(...app.takeNewPageErrors());
    if (app.closed) apps.delete(app);
  }
  if (errors.length === 0) return;
  const message = `uncaught error or unhandled rejection in the page:\n${errors.join('\n')}`;
  console.error(message); // stays in the log when a retry then passes
  throw new Error(message);
});

afterAll(async () => {
  for (const app of apps) await app.close();
  apps.clear();
  await (await browser)?.close();
  browser = undefined;
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
