/**
 * Teaching cases through the UI in real Chromium: Export teaching case (runs, title, learning
 * points, quiz questions, the mask step for a run whose Burned In Annotation is absent), then the
 * zip checked in Node with tools nobody here wrote (dcmdump, dciodvfy, DCMTK's RLE decoder); the
 * zip opened again in a fresh app (same tracks, keyframes and case record), its unpacked folder
 * too; and the quiz the package opens in (tracks hidden, answers placed, Reveal, error and score).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dicomParser from 'dicom-parser';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { annotationFile, needleTrack, truthTarget, truthTip } from './documents';
import { launchApp, meanColourAt, sampleFile, sampleTruth, scratchDir, SCREENSHOT_DIR, type App, type Point } from './driver';
import { NEEDLE_TIP_RGB, colourDistance, crosshairColours, exportVideo, extractFrame, probe } from './exportedFrames';
import { dciodvfyErrors, dcmdump } from '../unit/exportSupport';

const RUN = 'l5-lateral-rect-256';
const truth = sampleTruth(RUN);
const PATIENT_MARKERS = [
  'FLUOROLENS^SYNTHETIC',
  'FL-SAMPLE-001',
  truth.studyInstanceUID,
  truth.seriesInstanceUID,
  truth.sopInstanceUIDs[0],
];
const TITLE = 'Left L5 TFESI: tip below the pedicle';
/** The run's label in the package: the export names a run by its Series Number (a description may carry patient text). */
const LABEL = 'Series 5';
const KEYFRAMES = [1, 6, 12];
const tipAt = (frame: number): Point => truthTip(truth, frame);
const starting = annotationFile(
  truth,
  [needleTrack(KEYFRAMES, tipAt), { kind: 'target', keyframes: [{ frame: 6, geometry: { center: truthTarget(truth), radiusPx: 6 } }] }],
  {
    procedure: 'transforaminalEsi',
    levels: ['L5'],
    side: 'left',
    approach: 'transforaminal',
    contrastPatterns: ['epidural', 'perineural'],
    contrastFirstSeenFrame: truth.contrastOnsetFrame,
    placementConfirmedBeforeMedication: true,
    notes: 'Needle under the pedicle; contrast outlines the L5 root.',
  },
);

let input = ''; // the sample without Burned In Annotation: the export must stop at the mask step
let zipPath = '';
let exported: Record<string, Uint8Array> = {};
/** The rectangles confirmed in the mask step, as the dialog listed them (image pixels). */
let confirmedRects: { x: number; y: number; width: number; height: number }[] = [];

beforeAll(() => {
  const dir = scratchDir('teaching-input');
  input = join(dir, `${RUN}.dcm`);
  copyFileSync(sampleFile(`${RUN}.dcm`), input);
  const modify = spawnSync('dcmodify', ['-nb', '-ea', '(0028,0301)', input], { encoding: 'utf8' });
  expect(modify.status, modify.stderr).toBe(0);
  expect(dcmdump(input).text).not.toContain('BurnedInAnnotation');
});

async function openAnnotated(): Promise<{ app: App; runKey: string }> {
  const app = await launchApp({ samples: false, viewport: { width: 1400, height: 1100 } });
  const runKey = await app.openRun(input);
  await app.startFrom(runKey, starting);
  return { app, runKey };
}

function rectsListed(text: string): { x: number; y: number; width: number; height: number }[] {
  return [...text.matchAll(/x (\d+), y (\d+), (\d+) × (\d+) px/g)].map((m) => ({ x: +m[1], y: +m[2], width: +m[3], height: +m[4] }));
}

/** Stored values of every frame of a native 8-bit file (after DCMTK decoded the RLE input). */
function nativeFrames(path: string): { rows: number; columns: number; frames: Uint8Array[] } {
  const bytes = readFileSync(path);
  const data = dicomParser.parseDicom(bytes);
  const rows = data.uint16('x00280010')!;
  const columns = data.uint16('x00280011')!;
  const count = Number(data.string('x00280008') ?? '1');
  const pixels = data.elements.x7fe00010;
  expect(pixels.encapsulatedPixelData ?? false, `${path} is native`).toBe(false);
  expect(data.uint16('x00280100')).toBe(8);
  const frames = Array.from({ length: count }, (_, i) =>
    bytes.subarray(pixels.dataOffset + i * rows * columns, pixels.dataOffset + (i + 1) * rows * columns),
  );
  return { rows, columns, frames };
}

describe('Export teaching case', () => {
  // Long: the whole export through the UI, then every check of the zip, then case.html in Chromium.
  it(
    'stops at the mask step, writes the zip only after the mask is confirmed, and the zip holds no patient data',
    { timeout: 300_000 },
    async () => {
      const { app } = await openAnnotated();
      const downloads: string[] = [];
      app.page.on('download', (d) => downloads.push(d.suggestedFilename()));
      await app.page.getByRole('button', { name: 'Export teaching case' }).click();
      const dialog = app.page.getByRole('dialog', { name: 'Export teaching case' });
      const runBox = dialog.getByRole('group', { name: 'Runs' }).getByRole('checkbox');
      expect(await runBox.count()).toBe(1);
      await expect.poll(() => runBox.isChecked()).toBe(true); // the open run is chosen by default
      await expect.poll(() => runBox.evaluate((el) => el.parentElement?.textContent ?? '')).toContain('mask step');
      // Next without a title says so and puts the cursor in the field.
      await dialog.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Give the case a title.');
      expect(await dialog.getByLabel('Title').evaluate((el) => el === document.activeElement && el.getAttribute('aria-invalid'))).toBe(
        'true',
      );
      await dialog.getByLabel('Title').fill(TITLE);
      await dialog
        .getByLabel('Learning points (one per line)')
        .fill('Aim for the 6 o’clock position of the pedicle.\nConfirm epidural spread before injecting.');
      await dialog.getByRole('checkbox', { name: /Question: Needle tip/ }).check();
      await dialog.getByRole('checkbox', { name: /Question: contrast pattern/ }).check();
      // A question on one keyframe names its frame as one.
      expect(await dialog.getByRole('checkbox', { name: /Question: Target/ }).evaluate((el) => el.parentElement?.textContent)).toMatch(
        /, frame 6\)$/,
      );
      await dialog.getByRole('button', { name: 'Next' }).click();

      // The mask step: frame 1 with the four corner rectangles.
      const step = dialog.getByRole('region', { name: /Mask burned-in text/ });
      await step.waitFor();
      console.log('teaching: mask step at', new Date().toISOString());
      const list = step.getByRole('list', { name: 'Mask rectangles' });
      const corners = rectsListed((await list.textContent()) ?? '');
      expect(corners).toEqual([
        { x: 0, y: 0, width: 77, height: 31 },
        { x: 179, y: 0, width: 77, height: 31 },
        { x: 0, y: 225, width: 77, height: 31 },
        { x: 179, y: 225, width: 77, height: 31 },
      ]);
      const confirm = step.getByRole('button', { name: 'Confirm mask' });
      expect(await confirm.isDisabled(), 'no confirmation before a preview').toBe(true);
      expect(await dialog.getByRole('button', { name: 'Export', exact: true }).count()).toBe(0);

      // Add a rectangle over the anatomy and drag it; add another and remove it.
      await step.getByRole('button', { name: 'Add rectangle' }).click();
      const canvas = step.getByLabel('Frame 1 with mask rectangles');
      const box = (await canvas.boundingBox())!;
      const toPage = (p: Point) => ({ x: box.x + (p.x / 256) * box.width, y: box.y + (p.y / 256) * box.height });
      const added = rectsListed((await list.textContent()) ?? '')[4];
      const from = toPage({ x: added.x + added.width / 2, y: added.y + added.height / 2 });
      const to = toPage({ x: added.x + added.width / 2 + 20, y: added.y + added.height / 2 + 10 });
      await app.page.mouse.move(from.x, from.y);
      await app.page.mouse.down();
      await app.page.mouse.move(to.x, to.y, { steps: 5 });
      await app.page.mouse.up();
      const moved = rectsListed((await list.textContent()) ?? '')[4];
      expect(Math.abs(moved.x - (added.x + 20))).toBeLessThanOrEqual(1);
      expect(Math.abs(moved.y - (added.y + 10))).toBeLessThanOrEqual(1);
      await step.getByRole('button', { name: 'Add rectangle' }).click();
      expect(rectsListed((await list.textContent()) ?? '')).toHaveLength(6);
      const extra = rectsListed((await list.textContent()) ?? '')[5];
      const extraCorner = toPage({ x: extra.x + 2, y: extra.y + 2 }); // outside the moved one, which lies 20 px to the right
      await app.page.mouse.click(extraCorner.x, extraCorner.y);
      await step.getByRole('button', { name: 'Remove rectangle' }).click();
      confirmedRects = rectsListed((await list.textContent()) ?? '');
      expect(confirmedRects).toHaveLength(5);

      await step.getByRole('button', { name: 'Preview masked run' }).click();
      const preview = step.getByRole('group', { name: 'Masked run preview' });
      await expect.poll(() => preview.getByRole('img').count()).toBe(4);
      await app.screenshot('teaching-mask-step', dialog);
      // The previewed frame is black where the moved rectangle covers anatomy.
      const shot = await app.pixelsOf(preview.getByRole('img').first());
      const fx = (moved.x + moved.width / 2) / 256;
      const fy = (moved.y + moved.height / 2) / 256;
      expect(Math.max(...meanColourAt(shot, fx, fy))).toBeLessThan(8);
      expect(downloads, 'nothing written before the confirmation').toEqual([]);

      console.log('teaching: preview checked at', new Date().toISOString());
      await confirm.click();
      const [download] = await Promise.all([
        app.page.waitForEvent('download'),
        dialog.getByRole('button', { name: 'Export', exact: true }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('left-l5-tfesi-tip-below-the-pedicle.zip');
      await expect.poll(() => dialog.getByRole('status').textContent()).toContain('Exported left-l5-tfesi-tip-below-the-pedicle.zip');
      expect(await dialog.getByRole('status').textContent()).not.toContain('No annotated video');
      const dir = scratchDir('teaching-zip');
      zipPath = join(dir, download.suggestedFilename());
      await download.saveAs(zipPath);
      exported = unzipSync(new Uint8Array(readFileSync(zipPath)));
      console.log('teaching: zip downloaded at', new Date().toISOString());
      await app.close();

      // Every file and file name is free of the patient's name, ID and original UIDs.
      const names = Object.keys(exported).sort();
      expect(names).toEqual(
        [
          'annotations/run-1.json',
          'case.html',
          'dicom/run-1/IM0001.dcm',
          'manifest.json',
          ...KEYFRAMES.map((f) => `media/run-1-frame-${String(f).padStart(4, '0')}.png`),
          // H.264 at 256² is encodable in this Chromium (and on CI, the same machine type).
          'media/run-1.mp4',
        ].sort(),
      );
      const zipBytes = Buffer.from(readFileSync(zipPath));
      for (const marker of PATIENT_MARKERS) {
        expect(zipBytes.indexOf(marker, 0, 'latin1'), `${marker} in the zip`).toBe(-1);
        expect(download.suggestedFilename()).not.toContain(marker);
        for (const [name, bytes] of Object.entries(exported)) {
          expect(name).not.toContain(marker);
          expect(Buffer.from(bytes).indexOf(marker, 0, 'latin1'), `${marker} in ${name}`).toBe(-1);
        }
      }

      // DCMTK reads the DICOM; dciodvfy finds no error it did not find on the input.
      const out = join(dir, 'IM0001.dcm');
      writeFileSync(out, exported['dicom/run-1/IM0001.dcm']);
      const dump = dcmdump(out);
      expect(dump.status).toBe(0);
      expect(dump.problems).toEqual([]);
      expect(dump.text).toMatch(/\(0028,0301\) CS \[NO\]/);
      expect(dump.text).toMatch(/\(0012,0062\) CS \[YES\]/);
      expect(dump.text).toContain('113101'); // Clean Pixel Data option recorded
      expect(dump.text).toMatch(/\(0028,0008\) IS \[12\]/);
      const before = new Set(dciodvfyErrors(input));
      expect(dciodvfyErrors(out).filter((e) => !before.has(e))).toEqual([]);

      // Masked pixels hold the mask value (0: black for 8-bit MONOCHROME2); the rest is the input's.
      const decodedInput = join(dir, 'input-native.dcm');
      const rle = spawnSync('dcmdrle', [input, decodedInput], { encoding: 'utf8' });
      expect(rle.status, rle.stderr).toBe(0);
      const a = nativeFrames(decodedInput);
      const b = nativeFrames(out);
      expect(b.frames).toHaveLength(a.frames.length);
      const inMask = (x: number, y: number) => confirmedRects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
      let maskedNonZeroInInput = 0;
      for (let f = 0; f < a.frames.length; f++) {
        for (let y = 0; y < a.rows; y++) {
          for (let x = 0; x < a.columns; x++) {
            const i = y * a.columns + x;
            if (inMask(x, y)) {
              if (a.frames[f][i] !== 0) maskedNonZeroInInput++;
              if (b.frames[f][i] !== 0) throw new Error(`frame ${f + 1} (${x}, ${y}) is ${b.frames[f][i]}, not the mask value 0`);
            } else if (a.frames[f][i] !== b.frames[f][i]) {
              throw new Error(`frame ${f + 1} (${x}, ${y}) changed outside the mask`);
            }
          }
        }
      }
      expect(maskedNonZeroInInput, 'the mask covered anatomy, so the check can fail').toBeGreaterThan(1000);

      // The manifest carries the question; case.html shows the case offline.
      const manifest = JSON.parse(new TextDecoder().decode(exported['manifest.json']));
      expect(manifest.quiz).toEqual({
        version: 1,
        questions: [{ run: 'run-1', trackId: 'needleTip-1', frames: KEYFRAMES }],
        contrastPatternRuns: ['run-1'],
      });
      expect(manifest.runs[0]).toMatchObject({ frameCount: 12, pixelsCleaned: true });
      // The annotated video of the run is in the package, and ffprobe counts its frames.
      const videoPath: string = manifest.runs[0].video.path;
      expect(videoPath).toMatch(/^media\/run-1\.(mp4|webm)$/);
      const videoFile = join(dir, 'video.' + manifest.runs[0].video.format);
      writeFileSync(videoFile, exported[videoPath]);
      const probe = spawnSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-count_frames',
          '-select_streams',
          'v:0',
          '-show_entries',
          'stream=nb_read_frames,width,height',
          '-of',
          'json',
          videoFile,
        ],
        { encoding: 'utf8' },
      );
      expect(probe.status, probe.stderr).toBe(0);
      const stream = (JSON.parse(probe.stdout) as { streams: Array<{ width: number; height: number; nb_read_frames: string }> }).streams[0];
      expect([stream.width, stream.height, Number(stream.nb_read_frames)]).toEqual([256, 256, 12]);
      const html = join(dir, 'case.html');
      writeFileSync(html, exported['case.html']);
      const viewer = await launchApp({ samples: false, viewport: { width: 1100, height: 1400 } });
      await viewer.page.goto(pathToFileURL(html).href);
      expect(await viewer.page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
      const body = (await viewer.page.locator('body').textContent()) ?? '';
      expect(body).toContain('Confirm epidural spread before injecting.');
      expect(body).toContain('Transforaminal epidural steroid injection');
      expect(body).not.toContain('No annotated video in this package');
      expect(await viewer.page.locator('video').count()).toBe(1);
      // The 256² run's video is shown large enough to teach from (it was a 256 px thumbnail), within the page.
      const videoWidth = (await viewer.page.locator('video').boundingBox())!.width;
      expect(videoWidth).toBeGreaterThanOrEqual(500);
      expect(videoWidth).toBeLessThanOrEqual(viewer.page.viewportSize()!.width);
      const widths = await viewer.page
        .locator('figure img')
        .evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
      expect(widths).toEqual([256, 256, 256]);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await viewer.page.screenshot({ path: join(SCREENSHOT_DIR, 'teaching-case-html.png'), fullPage: true });
      await viewer.close();
    },
  );

  it('opens the zip in a fresh app with the same tracks, keyframes and case record, in quiz mode', { timeout: 180_000 }, async () => {
    expect(zipPath, 'the export test ran first').not.toBe('');
    // Panels as a first start has them (folded): the quiz opens the right-hand panel, where it is.
    const app = await launchApp({ samples: false, viewport: { width: 1400, height: 1100 }, panels: 'default' });
    await app.openFiles([zipPath]);
    const runKey = await app.runKeyByFile('dicom/run-1/IM0001.dcm');
    await app.waitForMark('fluorolens:first-frame', runKey);
    await expect.poll(async () => (await app.savedDoc(runKey)).tracks.length, { timeout: 15_000 }).toBe(2);
    const doc = await app.savedDoc(runKey);
    const original = JSON.parse(new TextDecoder().decode(exported['annotations/run-1.json']));
    expect(doc.run.seriesInstanceUID).toBe(original.run.seriesInstanceUID);
    expect(doc.run.seriesInstanceUID).not.toBe(truth.seriesInstanceUID);
    expect(doc.tracks.map((t) => ({ id: t.id, kind: t.kind, keyframes: t.keyframes }))).toEqual(
      starting.tracks.map((t) => ({ id: t.id, kind: t.kind, keyframes: t.keyframes })),
    );
    expect(doc.caseRecord).toMatchObject(starting.caseRecord!);

    // A package with questions opens in quiz mode: the needle tip is hidden, the target is not.
    const quizSwitch = app.page.getByRole('switch', { name: 'Quiz mode' });
    await expect.poll(() => quizSwitch.getAttribute('aria-checked')).toBe('true');
    const shownKinds = async () =>
      ((await app.page.evaluate(() => window.__fluorolens!.annotationsShown('main'))) ?? { tracks: [] }).tracks.map((t) => t.kind);
    await app.goToFrame(6);
    await expect.poll(shownKinds).toEqual(['target']);
    expect(await app.lane('Needle tip').count()).toBe(0);

    // The run is named by the package's label for it (its Series Description was removed), in the runs list and the quiz.
    await app.showRunsList();
    expect(await app.runButtons().first().textContent()).toContain(LABEL);

    // Place answers: frame 1 three pixels off (2.2 mm), frame 6 eight pixels off (5.9 mm), frame 12 left out.
    const panel = app.page.getByRole('complementary', { name: 'Measurements and case record' });
    const quiz = panel.getByRole('region', { name: 'Quiz' });
    // At the top of the panel, not floating over what the panel shows.
    await quiz.waitFor();
    const [quizBox, measurementsBox] = [await quiz.boundingBox(), await panel.getByRole('heading', { name: 'Measurements' }).boundingBox()];
    expect(measurementsBox!.y).toBeGreaterThanOrEqual(quizBox!.y + quizBox!.height);
    const spacing = truth.patientPlaneSpacingMm[0];
    const place = async (frame: number, offset: Point) => {
      await quiz.getByRole('button', { name: `Place Needle tip on frame ${frame}`, exact: true }).click();
      await expect.poll(() => app.frame()).toBe(frame);
      await expect.poll(() => app.page.evaluate(() => window.__fluorolens!.annotationsShown('main')?.frame)).toBe(frame);
      await expect.poll(() => app.page.evaluate(() => window.__fluorolens!.frameDrawn('main'))).toBe(frame);
      const tip = tipAt(frame);
      await app.clickImage({ x: tip.x + offset.x, y: tip.y + offset.y });
      await expect.poll(async () => (await quiz.textContent()) ?? '').toContain(`Needle tip, frame ${frame} (${LABEL}): placed`);
    };
    await place(1, { x: 3, y: 0 });
    await place(6, { x: 0, y: 8 });
    // The answer is drawn where it was placed, on its frame (the panel alone said only "placed").
    const answers = app.pane(1).getByTestId('quiz-answers');
    const answerMark = async () =>
      answers.locator('g.quiz-answer').evaluate((g) => {
        const ring = g.querySelector('circle')!.getBoundingClientRect();
        return { x: ring.x + ring.width / 2, y: ring.y + ring.height / 2, text: g.textContent, tone: g.getAttribute('class') };
      });
    const placedAt = await app.pagePoint({ x: tipAt(6).x, y: tipAt(6).y + 8 });
    const placed = await answerMark();
    expect(Math.hypot(placed.x - placedAt.x, placed.y - placedAt.y), 'the ring is on the click').toBeLessThan(1.5);
    expect(placed).toMatchObject({ text: 'Your answer (Needle tip)', tone: 'quiz-answer placed' });
    expect(await answers.locator('g.quiz-answer').count(), 'frame 6 shows its own answer only').toBe(1);
    expect((await app.savedDoc(runKey)).tracks[0].keyframes, 'answers do not touch the document').toEqual(starting.tracks[0].keyframes);
    // The contrast patterns stand one a line, each box before its name.
    const boxes = await Promise.all(
      ['Epidural', 'Perineural, along the root', 'Intra-articular'].map((name) => quiz.getByRole('checkbox', { name }).boundingBox()),
    );
    expect(boxes[1]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height);
    expect(boxes[2]!.y).toBeGreaterThan(boxes[1]!.y + boxes[1]!.height);
    await quiz.getByRole('checkbox', { name: 'Epidural' }).check();
    await quiz.getByRole('checkbox', { name: 'Perineural, along the root' }).check();
    await app.screenshot('teaching-quiz-before-reveal');
    await quiz.getByRole('button', { name: 'Reveal' }).click();

    const result = quiz.getByRole('status', { name: 'Quiz result' });
    const text = (await result.textContent()) ?? '';
    const errorOf = (frame: number) => Number(new RegExp(`Needle tip, frame ${frame}: error ([\\d.]+) mm`).exec(text)?.[1]);
    expect(errorOf(1)).toBeCloseTo(3 * spacing, 0);
    expect(errorOf(6)).toBeCloseTo(8 * spacing, 0);
    expect(text).toContain('Needle tip, frame 12: not answered — wrong');
    expect(text).toMatch(/Needle tip, frame 1: error [\d.]+ mm — right/);
    expect(text).toMatch(/Needle tip, frame 6: error [\d.]+ mm — wrong/);
    expect(text).toMatch(
      /Contrast pattern: you picked Epidural, Perineural, along the root; the answer is Epidural, Perineural, along the root — right/,
    );
    expect(text).toContain('Score: 2 of 4');
    await expect.poll(shownKinds).toEqual(expect.arrayContaining(['needleTip', 'target']));
    // Each answer is drawn against the answer key: a red ring and a line to the key's tip where it is
    // wrong, green where it is right; "Show frame" goes to it.
    await expect.poll(async () => (await answerMark()).tone).toBe('quiz-answer wrong');
    expect((await answerMark()).text).toBe(`Needle tip: ${errorOf(6).toFixed(1)} mm — wrong`);
    const offset = await answers.locator('line.quiz-answer-offset').evaluate((l) => {
      const n = (a: string) => Number(l.getAttribute(a));
      return Math.hypot(n('x2') - n('x1'), n('y2') - n('y1'));
    });
    const scale = await app.imagePixelsPerCssPixel(truth.columns);
    expect(offset * scale, 'the line is as long as the error, in image pixels').toBeCloseTo(8, 0);
    const colourAt = async (p: { x: number; y: number }) => {
      const png = await app.page.screenshot({ clip: { x: p.x - 0.5, y: p.y - 0.5, width: 1, height: 1 } });
      return app.page.evaluate(async (b64) => {
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
        const ctx = new OffscreenCanvas(1, 1).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
      }, png.toString('base64'));
    };
    const ring = await answerMark();
    const [r6, g6] = await colourAt({ x: ring.x, y: ring.y - 8 });
    expect(r6 > 200 && g6 < 150, `red ring on frame 6: ${r6},${g6}`).toBe(true);
    await app.screenshot('teaching-quiz-revealed');
    await result.getByRole('button', { name: 'Show frame 1', exact: true }).click();
    await expect.poll(() => app.frame()).toBe(1);
    await expect.poll(async () => (await answerMark()).tone).toBe('quiz-answer right');
    const right = await answerMark();
    const [r1, g1, b1] = await colourAt({ x: right.x, y: right.y - 8 });
    expect(g1 > 180 && r1 < 160 && b1 < 160, `green ring on frame 1: ${r1},${g1},${b1}`).toBe(true);
    await app.screenshot('teaching-quiz-revealed-frame1');
    await app.close();
  });

  it(
    'in quiz mode the drawing tools edit a practice copy: the document and its hidden tracks stay as they were',
    { timeout: 120_000 },
    async () => {
      expect(zipPath, 'the export test ran first').not.toBe('');
      const app = await launchApp({ samples: false, viewport: { width: 1400, height: 1100 } });
      await app.openFiles([zipPath]);
      const runKey = await app.runKeyByFile('dicom/run-1/IM0001.dcm');
      await app.waitForMark('fluorolens:first-frame', runKey);
      await expect.poll(async () => (await app.savedDoc(runKey)).tracks.length, { timeout: 15_000 }).toBe(2);
      const quizSwitch = app.page.getByRole('switch', { name: 'Quiz mode' });
      await expect.poll(() => quizSwitch.getAttribute('aria-checked')).toBe('true');
      // The document as exported, without the moment it was serialised.
      const content = async () => ({ ...(await app.savedDoc(runKey)), savedAt: undefined });
      const before = await content();
      const questionTrack = before.tracks.find((t) => t.kind === 'needleTip')!;
      const shown = async () => (await app.page.evaluate(() => window.__fluorolens!.annotationsShown('main'))) ?? { frame: 0, tracks: [] };

      // An export made during the quiz shows what the trainee sees: the asked needle tip is not burned in.
      await app.goToFrame(6);
      const png = await exportVideo(app, 'PNG', null);
      const p = probe(png.path);
      const rgb = extractFrame(png.path, 0, p.width, p.height, join(SCREENSHOT_DIR, 'teaching-quiz-png-frame6.png'));
      for (const colour of crosshairColours(rgb, p.width, tipAt(6))) {
        expect(colourDistance(colour, NEEDLE_TIP_RGB), `pixel ${colour} by the hidden tip`).toBeGreaterThan(60);
      }

      // The trainee draws with the Needle tip tool on two asked frames, away from the true tip.
      await app.chooseTool('Needle tip');
      for (const frame of [6, 12]) {
        await app.goToFrame(frame);
        await app.clickImage({ x: tipAt(frame).x + 20, y: tipAt(frame).y - 15 });
        // Drawn in the practice copy, so the viewport shows a needle tip, never the asked one.
        await expect
          .poll(async () => (await shown()).tracks.filter((t) => t.kind === 'needleTip').map((t) => t.trackId), { timeout: 5000 })
          .toEqual([expect.not.stringMatching(`^${questionTrack.id}$`)]);
      }
      // Cornerstone's click window has passed and the autosave delay too: the document is unchanged.
      await app.page.waitForTimeout(800);
      expect(await content(), 'the educator’s document while the quiz is on').toEqual(before);

      // Leaving quiz mode shows the document exactly as it was: its own tracks, none of the trainee's.
      await quizSwitch.click();
      await expect.poll(() => quizSwitch.getAttribute('aria-checked')).toBe('false');
      await app.goToFrame(6);
      await expect.poll(async () => (await shown()).tracks.map((t) => t.trackId).sort()).toEqual(before.tracks.map((t) => t.id).sort());
      expect(await app.lane('Needle tip').count()).toBe(1);
      expect(await content(), 'the document after quiz mode').toEqual(before);
      await app.close();
    },
  );

  it('opens the unpacked folder the same way', async () => {
    expect(Object.keys(exported), 'the export test ran first').not.toEqual([]);
    const root = join(scratchDir('teaching-folder'), 'case');
    for (const [name, bytes] of Object.entries(exported)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), bytes);
    }
    const app = await launchApp({ samples: false });
    await app.openFolder(root);
    const runKey = await app.runKeyByFile('dicom/run-1/IM0001.dcm');
    await expect.poll(async () => (await app.savedDoc(runKey)).tracks.length, { timeout: 15_000 }).toBe(2);
    const doc = await app.savedDoc(runKey);
    expect(doc.tracks.map((t) => t.keyframes.map((k) => k.frame))).toEqual([KEYFRAMES, [6]]);
    expect(doc.caseRecord).toMatchObject({ procedure: 'transforaminalEsi', contrastPatterns: ['epidural', 'perineural'] });
    await app.close();
  });

  it('opens the zip dropped on the page', async () => {
    expect(zipPath, 'the export test ran first').not.toBe('');
    const app = await launchApp({ samples: false });
    const base64 = readFileSync(zipPath).toString('base64');
    await app.page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'dropped-case.zip', { type: 'application/zip' }));
      document.querySelector('.app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, base64);
    const runKey = await app.runKeyByFile('dropped-case.zip/dicom/run-1/IM0001.dcm');
    await expect.poll(async () => (await app.savedDoc(runKey)).tracks.length, { timeout: 15_000 }).toBe(2);
    const doc = await app.savedDoc(runKey);
    expect(doc.tracks.map((t) => t.keyframes.map((k) => k.frame))).toEqual([KEYFRAMES, [6]]);
    await app.close();
  });
});
