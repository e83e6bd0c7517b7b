/* global window, document, navigator */
/**
 * `npm run bench`: builds the app into .bench/dist (and, beside it, the vanilla Cornerstone3D
 * reference page and the floor page, scripts/bench/vanilla), serves them with `vite preview`, and
 * for each case opens the file in fresh headless Chromium profiles the way a user would: `--opens`
 * times in FluoroLens and as many times in each reference page. Prints one JSON object per case on stdout (progress and a
 * summary table on stderr); all results also go to .bench/results.json. See README.md, "Bench".
 *
 * WADO-RS cases (scripts/bench/pacs.mjs): the corpus cine and raw-1024x120 are also opened over
 * DICOMweb from a loopback Orthanc the bench starts and stops, alternating with local opens of the
 * same file; their objects are named `pacs:<case>` (`--only pacs:` runs just those, `--no-pacs` none).
 *
 * Flags: --no-build (reuse .bench/dist), --only <text> (cases whose name contains it), --opens <n>
 * (fresh opens per case, each side; default 5), --lengths 10,120,2000 and --syntaxes raw,rle,…
 * (matrix cases to make and run; see cases.mjs MATRIX), --matrix-only (no sample or corpus cases),
 * --no-vanilla, --no-floor, --quick (= --opens 1 --lengths 120), --screenshots (viewport PNGs in test-results/),
 * --no-first-look (skip the first look: the app opened on its bundled samples, scripts/bench/firstLook.mjs;
 * with --only it runs only when the text is part of "first-look").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, preview } from 'vite';
import {
  chooseFiles,
  cpuTimeMs,
  launch,
  processCpuMs,
  marks,
  memorySnapshot,
  openApp,
  viewportScreenshot,
  waitForMark,
} from './bench/browser.mjs';
import { prepareCases } from './bench/cases.mjs';
import { measureEnvironment } from './bench/environment.mjs';
import { measureFirstLook } from './bench/firstLook.mjs';
import { measureCine } from './bench/cine.mjs';
import { measureClickToMark, measureInteraction } from './bench/interaction.mjs';
import { MB, TARGETS, judge, median, misses, pacsComparison, rawPixelBytes, round, transferSyntaxName } from './bench/summary.mjs';
import { PACS_CASE_NAMES, remoteOpen, startBenchPacs, uptimeLine } from './bench/pacs.mjs';
import { openFloor, openVanilla } from './bench/vanilla.mjs';
import { buildVanilla } from './bench/vanillaBuild.mjs';

const root = process.cwd();
const benchDir = resolve(root, '.bench');
const outDir = join(benchDir, 'dist');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const quick = flag('--quick');
const only = option('--only');
const opens = Math.max(1, Number(option('--opens') ?? (quick ? 1 : 5)) || 1);
const lengths = option('--lengths')?.split(',').map(Number) ?? (quick ? [120] : null);
const syntaxes = option('--syntaxes')?.split(',') ?? null;
const log = (message) => process.stderr.write(`[bench] ${message}\n`);
/** The app decodes a run whole when it fits in this share of its decoded cache (viewer/playback/decodePolicy.ts); longer runs in a window. */
const WHOLE_RUN_BYTES = 0.45 * 1536 * MB;

async function serve() {
  if (!flag('--no-build')) {
    const t = performance.now();
    log(`building into ${outDir}`);
    // With the test hooks (window.__fluorolens), which the bench reads figures through.
    await build({ mode: 'browser-test', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    await buildVanilla(outDir);
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

/**
 * Opens the case in a fresh browser and times it from the file input's change event: frame 1 on
 * screen, then (runs decoded whole) every frame decoded, or (windowed runs) the first window
 * decoded. The session stays open for more measuring when `keep` is set.
 */
async function timedOpen(c, baseURL, keep) {
  const session = await launch();
  try {
    const { page } = session;
    const codecsWarmMs = await openApp(session, baseURL);
    await page.evaluate(() =>
      window.addEventListener('change', () => performance.mark('bench:input-change'), { capture: true, once: true }),
    );
    const before = await memorySnapshot(session);
    const load = loadavg()[0];
    const cpuBefore = cpuTimeMs(session.profile);
    const gpuCpuBefore = processCpuMs(session.profile, 'gpu-process');
    const timeout = Math.max(60_000, c.frames * 200);
    const windowed = rawPixelBytes(c) > WHOLE_RUN_BYTES;
    await chooseFiles(page, c.paths, c.folder);
    await waitForMark(page, 'fluorolens:first-frame', timeout);
    if (windowed) {
      await page.waitForFunction(
        () => /^Frames .* decoded$/.test(document.querySelector('.run-progress')?.textContent?.trim() ?? ''),
        null,
        {
          timeout,
          polling: 20,
        },
      );
      await page.evaluate(() => performance.mark('bench:window-decoded'));
    } else {
      await waitForMark(page, 'fluorolens:run-decoded', timeout);
    }
    const cpu = cpuTimeMs(session.profile) - cpuBefore;
    const gpuCpu = processCpuMs(session.profile, 'gpu-process') - gpuCpuBefore;
    const m = await marks(page);
    const start = m['bench:input-change']?.[0];
    const runDetail = await page.evaluate(() => {
      const mark = performance.getEntriesByName('fluorolens:run-decoded').at(-1);
      return { failed: mark?.detail?.failed ?? 0, key: window.__fluorolens?.runs()[0]?.key ?? null };
    });
    const timing = {
      firstFrameMs: m['fluorolens:first-frame'][0] - start,
      changeToShowRunMs: m['fluorolens:show-run']?.[0] - start,
      showRunToFirstFrameMs: m['fluorolens:first-frame'][0] - m['fluorolens:show-run']?.[0],
      // Of that: frame 1 read and decoded (fluorolens:first-frame-decoded), then staged and drawn.
      showRunToDecodedMs: m['fluorolens:first-frame-decoded']?.[0] - m['fluorolens:show-run']?.[0],
      decodedToFirstFrameMs: m['fluorolens:first-frame'][0] - m['fluorolens:first-frame-decoded']?.[0],
      // Cornerstone's own render of frame 1 (the viewport holds the run); later than firstFrameMs when frame 1 was painted ahead of it.
      firstRenderMs: m['fluorolens:first-render']?.[0] - start,
      allDecodedMs: windowed ? null : m['fluorolens:run-decoded'].at(-1) - start,
      firstWindowDecodedMs: windowed ? m['bench:window-decoded'][0] - start : null,
      cpuMs: cpu,
      // Of that, the GPU process (software GL and the compositor), which shares the two cores with the decode workers.
      gpuCpuMs: gpuCpu,
      load,
      failed: runDetail.failed,
      codecsWarmMs,
    };
    if (!keep) {
      await session.close();
      return { timing };
    }
    return { session, before, timing, windowed, runKey: runDetail.key };
  } catch (error) {
    await session.close();
    throw error;
  }
}

const SUMMARY_KEYS = [
  'firstFrameMs',
  'changeToShowRunMs',
  'showRunToFirstFrameMs',
  'showRunToDecodedMs',
  'decodedToFirstFrameMs',
  'firstRenderMs',
  'allDecodedMs',
  'firstWindowDecodedMs',
  'cpuMs',
  'gpuCpuMs',
  'load',
];

async function measureCase(c, baseURL) {
  const notes = [];
  const raw = rawPixelBytes(c);
  const timings = [];
  for (let i = 1; i < opens; i++) timings.push((await timedOpen(c, baseURL, false)).timing);
  const { session, before, timing, windowed, runKey } = await timedOpen(c, baseURL, true);
  timings.push(timing);
  let extra = {};
  try {
    const { page } = session;
    if (timing.failed) notes.push(`${timing.failed} frames failed to decode`);
    if (flag('--screenshots')) {
      mkdirSync('test-results', { recursive: true });
      await viewportScreenshot(page, join('test-results', `bench-${c.case.replace(/[^a-z0-9-]+/gi, '_')}.png`));
    }
    const after = await memorySnapshot(session);
    const memory = windowed ? null : memoryFigures(before, after, raw);
    if (windowed)
      notes.push(
        'decoded in a window ahead of the play head (longer than the decoded-cache share of one run): no all-decoded or memory figure',
      );
    const decodeTimes = runKey ? await page.evaluate((key) => window.__fluorolens?.decodeTimes?.(key) ?? [], runKey) : [];
    const workers = await page.evaluate(() => navigator.hardwareConcurrency || 2);
    const codecSum = decodeTimes.reduce((sum, t) => sum + t, 0);
    extra = { memory, codecMsOn2Workers: !windowed && codecSum > 0 ? round(codecSum / workers, 0) : null, workers };
    if (c.cine) {
      const cine = await measureCine(session, c);
      if (cine.reason) notes.push(`cine: ${cine.reason}`);
      extra.cine = { at1x: cine.at1x, at4x: cine.at4x, note: cine.note };
    }
    if (c.interaction) {
      extra.interaction = await measureInteraction(page, c, join(benchDir, 'interaction-annotations.json'));
      if (extra.interaction.reason) notes.push(`interaction: ${extra.interaction.reason}`);
      extra.clickToMark = await measureClickToMark(page, c);
    }
    if (session.errors.length) notes.push(`page errors: ${session.errors.slice(0, 3).join(' | ')}`);
  } finally {
    await session.close();
  }

  // The first failure is noted and ends that page's opens. The floor page reads one file.
  const referenceOpens = async (skip, label, open) => {
    const times = [];
    if (skip) return times;
    for (let i = 0; i < opens; i++) {
      try {
        times.push(await open(c, baseURL));
      } catch (error) {
        notes.push(`${label}: ${String(error?.message ?? error).split('\n')[0]}`);
        break;
      }
    }
    return times;
  };
  const vanilla = await referenceOpens(flag('--no-vanilla'), 'vanilla Cornerstone3D', openVanilla);
  if (c.paths.length > 1)
    notes.push(
      'vanilla Cornerstone3D stacks the files in the order the browser lists them and shows the first; FluoroLens reads every header first to find frame 1 (Instance Number, then time)',
    );
  // Runs decoded whole get the floor's all-decoded figure too (the page then decodes every frame).
  const floor = await referenceOpens(flag('--no-floor') || c.paths.length !== 1, 'floor', (c, url) =>
    openFloor(c, url, { decodeAll: !windowed }),
  );

  const of = (list, key, digits = 1) => round(median(list.map((t) => t[key])), digits);
  const figures = Object.fromEntries(SUMMARY_KEYS.map((k) => [k === 'load' ? 'loadAvg1m' : k, of(timings, k, k === 'load' ? 2 : 1)]));
  const vanillaFirstFrameMs = of(vanilla, 'firstFrameMs');
  return judge({
    case: c.case,
    file: c.file,
    files: c.files,
    // Opened through Open folder (the folder), not Open DICOM files.
    ...(c.folder ? { folder: relative(process.cwd(), c.folder) } : {}),
    sizeBytes: c.sizeBytes,
    rows: c.rows,
    columns: c.columns,
    frames: c.frames,
    bitsAllocated: c.bitsAllocated,
    transferSyntax: c.transferSyntax,
    transferSyntaxName: transferSyntaxName(c.transferSyntax),
    runFps: c.runFps,
    timedFrom: 'the file input change event (bench:input-change)',
    opens: timings.length,
    ...figures,
    vanillaFirstFrameMs,
    vanillaOpens: vanilla.length,
    vanillaLoadAvg1m: of(vanilla, 'load', 2),
    vsVanilla: figures.firstFrameMs && vanillaFirstFrameMs ? round(figures.firstFrameMs / vanillaFirstFrameMs, 2) : null,
    floorFirstFrameMs: of(floor, 'firstFrameMs'),
    floorDecodedMs: round(median(floor.map((t) => t.steps?.decoded ?? null).filter((v) => v !== null)), 1),
    floorAllDecodedMs: round(median(floor.map((t) => t.steps?.['all-decoded'] ?? null).filter((v) => v !== null)), 0),
    floorCodecMsOn2Workers: extra.workers ? round(median(floor.map((t) => t.codecMs).filter((v) => v > 0)) / extra.workers, 0) : null,
    floorOpens: floor.length,
    codecsWarmAtMs: of(timings, 'codecsWarmMs', 0),
    eachOpen: timings.map((t) => ({
      firstFrameMs: round(t.firstFrameMs),
      allDecodedMs: round(t.allDecodedMs),
      firstWindowDecodedMs: round(t.firstWindowDecodedMs),
      cpuMs: round(t.cpuMs, 0),
      gpuCpuMs: round(t.gpuCpuMs, 0),
      loadAvg1m: round(t.load, 2),
    })),
    eachVanillaOpen: vanilla.map((t) => ({ firstFrameMs: round(t.firstFrameMs), loadAvg1m: round(t.load, 2) })),
    eachFloorOpen: floor.map((t) => ({ firstFrameMs: round(t.firstFrameMs), steps: t.steps, loadAvg1m: round(t.load, 2) })),
    ...extra,
    notes,
  });
}

/**
 * A PACS case: `opens` fresh local opens and as many over WADO-RS, alternating (which side goes
 * first alternates too), each timed and its memory read after the run is decoded.
 */
async function measurePacsCase(c, baseURL) {
  const raw = rawPixelBytes(c);
  const uptimeBefore = uptimeLine();
  const local = [];
  const remote = [];
  const notes = [];
  const openLocal = async () => {
    const { session, before, timing } = await timedOpen(c, baseURL, true).catch((error) => {
      throw new Error(`local open: ${String(error?.message ?? error).split('\n')[0]}`);
    });
    try {
      const after = await memorySnapshot(session);
      local.push({ ...timing, memory: memoryFigures(before, after, raw) });
    } finally {
      await session.close();
    }
  };
  const openRemote = async () => {
    const { timing, before, after, errors } = await remoteOpen(c, baseURL);
    if (errors.length) notes.push(`page errors (PACS): ${errors.slice(0, 3).join(' | ')}`);
    remote.push({ ...timing, memory: memoryFigures(before, after, raw) });
  };
  // An open that fails (e.g. a timeout on an overloaded machine) is noted; the others still count.
  const attempt = async (side, open) => {
    try {
      await open();
    } catch (error) {
      notes.push(`${side} open failed: ${String(error?.message ?? error).split('\n')[0]}`);
    }
  };
  for (let i = 0; i < opens; i++) {
    if (i % 2 === 0) {
      await attempt('local', openLocal);
      await attempt('remote', openRemote);
    } else {
      await attempt('remote', openRemote);
      await attempt('local', openLocal);
    }
  }
  if (local.length === 0 || remote.length === 0) throw new Error(notes.join('; '));
  const failed = [...local, ...remote].reduce((sum, t) => sum + (t.failed ?? 0), 0);
  if (failed) notes.push(`${failed} frames failed to decode over all opens`);
  const eachOpen = (side, list) =>
    list.map((t) => ({
      side,
      firstFrameMs: round(t.firstFrameMs),
      allDecodedMs: round(t.allDecodedMs),
      memoryRatio: t.memory.ratio,
      runMB: t.memory.runMB,
      loadAvg1m: round(t.load, 2),
    }));
  return {
    case: `pacs:${c.case}`,
    file: c.file,
    rows: c.rows,
    columns: c.columns,
    frames: c.frames,
    bitsAllocated: c.bitsAllocated,
    transferSyntax: c.transferSyntax,
    transferSyntaxName: transferSyntaxName(c.transferSyntax),
    rawPixelMB: mb(raw),
    timedFrom:
      'local: the file input change event (bench:input-change); remote: the click on the series’ Open button in the PACS panel (bench:open-click)',
    uptime: { before: uptimeBefore, after: uptimeLine() },
    ...pacsComparison(local, remote),
    eachOpen: [...eachOpen('local', local), ...eachOpen('remote', remote)],
    notes,
  };
}

function pacsTable(results) {
  const cell = (v, digits = 0) => (v === null || v === undefined ? '—' : v.toFixed(digits));
  const mark = (ok) => (ok === false ? ' ✗' : '');
  const lines = [
    '| PACS case | first frame local / remote ms | ratio | all decoded local / remote ms | ratio | memory ratio remote (local) | load 1 min |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (r.error) lines.push(`| ${r.case} | error: ${r.error} | | | | | |`);
    else
      lines.push(
        `| ${r.case} | ${cell(r.local.firstFrameMs)} / ${cell(r.remote.firstFrameMs)} | ${cell(r.ratios.firstFrame, 2)}${mark(r.meets.firstFrame)} | ${cell(r.local.allDecodedMs)} / ${cell(r.remote.allDecodedMs)} | ${cell(r.ratios.allDecoded, 2)}${mark(r.meets.allDecoded)} | ${cell(r.remote.memoryRatio, 3)}${mark(r.meets.memory)} (${cell(r.local.memoryRatio, 3)}) | ${cell(r.remote.loadAvg1m, 2)} |`,
      );
  }
  return lines.join('\n');
}

function table(results) {
  const cell = (v, digits = 0) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toFixed(digits) : String(v));
  const mark = (ok, belowFloor = false) => (ok === true ? '' : ok === false ? (belowFloor ? ' ✗ (floor)' : ' ✗') : '');
  const lines = [
    '| case | first frame ms | floor ms (decoded / painted) | vanilla ms | ours/vanilla | all decoded ms | floor all decoded ms | codec ms (2 workers, ours / floor) | memory ratio | click-to-mark median / p95 ms | load 1 min |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (r.error) {
      lines.push(`| ${r.case} | error: ${r.error} | | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${r.case} | ${cell(r.firstFrameMs)}${mark(r.meets.firstFrame, r.belowFloor?.firstFrame)} | ${cell(r.floorDecodedMs)} / ${cell(r.floorFirstFrameMs)} | ${cell(r.vanillaFirstFrameMs)} | ${cell(r.vsVanilla, 2)}${mark(r.meets.vsVanilla, r.belowFloor?.vsVanilla)} | ${cell(r.allDecodedMs ?? (r.firstWindowDecodedMs ? `window ${r.firstWindowDecodedMs.toFixed(0)}` : null))}${mark(r.meets.allDecoded, r.belowFloor?.allDecoded)} | ${cell(r.floorAllDecodedMs)} | ${cell(r.codecMsOn2Workers)} / ${cell(r.floorCodecMsOn2Workers)} | ${cell(r.memory?.ratio, 2)}${mark(r.meets.memory)} | ${r.clickToMark ? `${cell(r.clickToMark.medianMs)}${mark(r.meets.clickToMark)} / ${cell(r.clickToMark.p95Ms)}` : '—'} | ${cell(r.loadAvg1m, 2)} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const started = performance.now();
  const { cases: allCases, notes } = prepareCases({
    root,
    benchDir,
    corpusDir: resolve(root, '../shared/dicom-corpus'),
    only: null,
    lengths,
    syntaxes,
    samples: !flag('--matrix-only'),
  });
  const cases = only ? allCases.filter((c) => c.case.includes(only)) : allCases;
  const pacsCases = flag('--no-pacs')
    ? []
    : allCases.filter((c) => PACS_CASE_NAMES.includes(c.case) && (!only || `pacs:${c.case}`.includes(only)));
  for (const note of notes) log(note);
  // Orthanc first: the preview's /dicom-web proxy reads where it is when the server starts.
  const pacs = pacsCases.length ? await startBenchPacs(pacsCases) : null;
  if (pacs) process.env.FLUOROLENS_DICOMWEB_PROXY = pacs.dicomWebUrl;
  const pacsResults = [];
  let server = null;
  let baseURL = null;
  const results = [];
  let environment = null;
  let firstLook = null;
  try {
    ({ server, baseURL } = await serve());
    environment = await measureEnvironment();
    process.stdout.write(JSON.stringify(environment) + '\n');
    if (!flag('--no-first-look') && (!only || 'first-look'.includes(only))) {
      log(`first look: the app on its bundled samples, ${opens} fresh browsers`);
      firstLook = await measureFirstLook(baseURL, opens);
      process.stdout.write(JSON.stringify(firstLook) + '\n');
    }
    for (const c of cases) {
      log(`${c.case}: ${c.rows}×${c.columns}×${c.frames}, ${transferSyntaxName(c.transferSyntax)}, ${(c.sizeBytes / MB).toFixed(1)} MB`);
      try {
        const result = await measureCase(c, baseURL);
        results.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
      } catch (error) {
        const result = { case: c.case, file: c.file, error: String(error?.message ?? error).split('\n')[0] };
        results.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
        log(`${c.case} failed: ${result.error}`);
      }
    }
    for (const c of pacsCases) {
      log(`pacs:${c.case}: ${c.rows}×${c.columns}×${c.frames} over WADO-RS and locally, ${opens} opens each; ${uptimeLine()}`);
      try {
        const result = await measurePacsCase(c, baseURL);
        pacsResults.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
      } catch (error) {
        const result = { case: `pacs:${c.case}`, file: c.file, error: String(error?.message ?? error).split('\n')[0] };
        pacsResults.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
        log(`pacs:${c.case} failed: ${result.error}`);
      }
    }
  } finally {
    if (server) await server.close();
    await pacs?.stop();
  }
  const summary = {
    date: new Date().toISOString(),
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    cpus: cpus().length,
    opens,
    targets: TARGETS,
    notes,
    environment,
    seconds: round((performance.now() - started) / 1000, 1),
    firstLook,
    cases: results,
    pacsCases: pacsResults,
  };
  // "Opening must not cost more for a longer run": first frame against frame count, side by side.
  summary.firstFrameByLength = results
    .filter((r) => r.firstFrameMs !== undefined)
    .map((r) => ({
      case: r.case,
      frames: r.frames,
      rawPixelMB: mb(rawPixelBytes(r)),
      firstFrameMs: r.firstFrameMs,
      loadAvg1m: r.loadAvg1m,
    }))
    .sort((a, b) => a.frames - b.frames);
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(summary, null, 2) + '\n');
  if (firstLook) {
    const f = firstLook;
    log(
      `first look (navigation → ms, median of ${f.opens}): scripts run ${f.domContentLoadedMs}, samples shown ${f.showRunMs}, ` +
        `frame 1 on screen ${f.firstFrameMs}, drawn by Cornerstone ${f.firstRenderMs}, warm-ups start ${f.warmUpsStartMs}`,
    );
  }
  if (results.length) log(`\n${table(results)}\n`);
  if (pacsResults.length) log(`\n${pacsTable(pacsResults)}\n`);
  const missed = misses([...results, ...pacsResults]);
  log(`done in ${summary.seconds} s; results in .bench/results.json`);
  log(missed.length ? `targets missed: ${missed.join(', ')}` : 'no target missed (null = not measured or not applicable)');
}

main().catch((error) => {
  process.stderr.write(`[bench] ${error?.stack ?? error}\n`);
  process.exit(1);
});
