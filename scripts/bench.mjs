/**
 * `npm run bench`: builds the app into .bench/dist, serves it with `vite preview`, opens each case
 * in a fresh headless Chromium the way a user would, and prints one JSON object per case on stdout
 * (progress on stderr). All results also go to .bench/results.json. See README.md, "Bench".
 *
 * Flags: --large (adds a 512²×2000 raw run, ~500 MB), --no-build (reuse .bench/dist),
 * --only <text> (cases whose name contains it), --repeat <n> (timed opens per case; default 2
 * for the cases with a reference figure, 1 for the others; the median is reported),
 * --screenshots (viewport PNGs in test-results/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, preview } from 'vite';
import { chooseFiles, cpuTimeMs, launch, marks, memorySnapshot, openApp, viewportScreenshot, waitForMark } from './bench/browser.mjs';
import { prepareCases } from './bench/cases.mjs';
import { measureEnvironment } from './bench/environment.mjs';
import { measureCine } from './bench/cine.mjs';
import { measureInteraction } from './bench/interaction.mjs';
import { MB, TARGETS, judge, median, misses, rawPixelBytes, referenceFor, round, transferSyntaxName } from './bench/summary.mjs';

const root = process.cwd();
const benchDir = resolve(root, '.bench');
const outDir = join(benchDir, 'dist');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

async function serve() {
  if (!flag('--no-build')) {
    const t = performance.now();
    log(`building into ${outDir}`);
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const server = await preview({
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { server, baseURL: url.replace(/\/$/, '') };
}

const mb = (bytes) => (bytes === null || bytes === undefined ? null : round(bytes / MB, 1));

function memoryFigures(before, after, raw) {
  const held = (s) => s.v8Heap + (s.arrayBuffers ?? 0);
  const runBytes = held(after) - held(before);
  return {
    v8HeapMB: mb(after.v8Heap),
    arrayBuffersMB: mb(after.arrayBuffers),
    usedJSHeapSizeMB: mb(after.usedJSHeapSize),
    cornerstoneCacheMB: mb(after.cornerstoneCache),
    runMB: mb(runBytes),
    rawPixelMB: mb(raw),
    ratio: round(runBytes / raw, 2),
    rendererPssMB: mb(after.rendererPss),
    rendererPssDeltaMB: mb(after.rendererPss - before.rendererPss),
    rendererPssRatio: round((after.rendererPss - before.rendererPss) / raw, 2),
    gpuPssMB: mb(after.gpuPss),
    baselineMB: mb(held(before)),
  };
}

/** Opens the case in a fresh browser and times it; the session stays open for more measuring. */
async function timedOpen(c, baseURL) {
  const session = await launch();
  try {
    const { page } = session;
    const codecsWarmMs = await openApp(session, baseURL);
    const before = await memorySnapshot(session);
    const load = loadavg()[0];
    const cpuBefore = cpuTimeMs(session.profile);
    const timeout = Math.max(60_000, c.frames * 200);
    await chooseFiles(page, c.paths);
    await waitForMark(page, 'fluorolens:first-frame', timeout);
    await waitForMark(page, 'fluorolens:run-decoded', timeout);
    const cpu = cpuTimeMs(session.profile) - cpuBefore;
    const m = await marks(page);
    const openStart = m['fluorolens:open-start']?.[0];
    const failed = await page.evaluate(() => performance.getEntriesByName('fluorolens:run-decoded').at(-1)?.detail?.failed ?? 0);
    return {
      session,
      before,
      timing: {
        chooseToOpenStartMs: openStart - m['bench:choose']?.[0],
        firstFrameMs: m['fluorolens:first-frame'][0] - openStart,
        allDecodedMs: m['fluorolens:run-decoded'].at(-1) - openStart,
        cpuMs: cpu,
        load,
        failed,
        codecsWarmMs,
      },
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}

function repeatsFor(c) {
  if (args.includes('--repeat')) return Math.max(1, Number(args[args.indexOf('--repeat') + 1]) || 1);
  return referenceFor(c) ? 2 : 1;
}

async function measureCase(c, baseURL) {
  const notes = [];
  const raw = rawPixelBytes(c);
  const timings = [];
  for (let i = 1; i < repeatsFor(c); i++) {
    const extra = await timedOpen(c, baseURL);
    await extra.session.close();
    timings.push(extra.timing);
  }
  const { session, before, timing } = await timedOpen(c, baseURL);
  timings.push(timing);
  try {
    const { page } = session;
    if (timing.failed) notes.push(`${timing.failed} frames failed to decode`);
    if (flag('--screenshots')) {
      mkdirSync('test-results', { recursive: true });
      await viewportScreenshot(page, join('test-results', `bench-${c.case.replace(/[^a-z0-9-]+/gi, '_')}.png`));
    }
    const after = await memorySnapshot(session);
    const memory = memoryFigures(before, after, raw);
    const cine = await measureCine(session, c);
    if (cine.reason) notes.push(`cine: ${cine.reason}`);
    let interaction;
    if (c.interaction) {
      interaction = await measureInteraction(page, c, join(benchDir, 'interaction-annotations.json'));
      if (interaction.reason) notes.push(`interaction: ${interaction.reason}`);
      else if (flag('--screenshots'))
        await viewportScreenshot(page, join('test-results', `bench-${c.case.replace(/[^a-z0-9-]+/gi, '_')}-after-drag.png`));
    }
    if (session.errors.length) notes.push(`page errors: ${session.errors.slice(0, 3).join(' | ')}`);
    const of = (key, digits = 1) => round(median(timings.map((t) => t[key])), digits);
    return judge({
      case: c.case,
      file: c.file,
      files: c.files,
      sizeBytes: c.sizeBytes,
      rows: c.rows,
      columns: c.columns,
      frames: c.frames,
      bitsAllocated: c.bitsAllocated,
      transferSyntax: c.transferSyntax,
      transferSyntaxName: transferSyntaxName(c.transferSyntax),
      runFps: c.runFps,
      timedFrom: 'fluorolens:open-start',
      opens: timings.length,
      chooseToOpenStartMs: of('chooseToOpenStartMs'),
      firstFrameMs: of('firstFrameMs'),
      allDecodedMs: of('allDecodedMs'),
      cpuMs: of('cpuMs', 0),
      loadAvg1m: of('load', 2),
      codecsWarmAtMs: of('codecsWarmMs', 0),
      eachOpen:
        timings.length > 1
          ? timings.map((t) => ({
              firstFrameMs: round(t.firstFrameMs),
              allDecodedMs: round(t.allDecodedMs),
              cpuMs: round(t.cpuMs, 0),
              loadAvg1m: round(t.load, 2),
            }))
          : undefined,
      cine: { at1x: cine.at1x, at4x: cine.at4x, note: cine.note },
      memory,
      interaction: c.interaction ? interaction : undefined,
      notes,
    });
  } finally {
    await session.close();
  }
}

async function main() {
  const started = performance.now();
  const { cases, notes } = prepareCases({
    root,
    benchDir,
    corpusDir: resolve(root, '../shared/dicom-corpus'),
    large: flag('--large'),
    only,
  });
  for (const note of notes) log(note);
  const { server, baseURL } = await serve();
  const results = [];
  let environment = null;
  try {
    environment = await measureEnvironment();
    process.stdout.write(JSON.stringify(environment) + '\n');
    for (const c of cases) {
      log(`${c.case}: ${c.rows}×${c.columns}×${c.frames}, ${transferSyntaxName(c.transferSyntax)}, ${(c.sizeBytes / MB).toFixed(1)} MB`);
      try {
        const result = await measureCase(c, baseURL);
        results.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
      } catch (error) {
        const result = { case: c.case, file: c.file, error: String(error?.message ?? error) };
        results.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
        log(`${c.case} failed: ${result.error}`);
      }
    }
  } finally {
    await new Promise((done) => server.httpServer.close(() => done()));
  }
  const summary = {
    date: new Date().toISOString(),
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    cpus: cpus().length,
    targets: TARGETS,
    notes,
    environment,
    seconds: round((performance.now() - started) / 1000, 1),
    cases: results,
  };
  // "Opening must not cost more for a longer run": first frame against frame count, side by side.
  summary.firstFrameByLength = results
    .filter((r) => r.firstFrameMs !== undefined)
    .map((r) => ({
      case: r.case,
      frames: r.frames,
      rawPixelMB: r.memory?.rawPixelMB,
      firstFrameMs: r.firstFrameMs,
      loadAvg1m: r.loadAvg1m,
    }))
    .sort((a, b) => a.frames - b.frames);
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(summary, null, 2) + '\n');
  log(`first frame by run length: ${summary.firstFrameByLength.map((r) => `${r.frames} frames ${r.firstFrameMs} ms`).join(', ')}`);
  const missed = misses(results);
  log(`done in ${summary.seconds} s; results in .bench/results.json`);
  log(missed.length ? `targets missed: ${missed.join(', ')}` : 'no target missed (null = not measured or not applicable)');
}

main().catch((error) => {
  process.stderr.write(`[bench] ${error?.stack ?? error}\n`);
  process.exit(1);
});
