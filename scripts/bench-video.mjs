/**
 * `npm run bench:video`: how long Export video takes and how much memory it holds (issue 9,
 * item 4). Builds the app into .bench/dist-video, serves it with `vite preview`, and for each case
 * opens the run in a fresh headless Chromium the way a user would, waits until every frame is
 * decoded, places a needle tip on two frames with the Needle tip tool (so marks are drawn), then
 * exports through the Export video dialog as MP4 and as WebM, `--repeat` times each (default 2;
 * the median is reported). Prints one JSON object per case and format on stdout (progress on
 * stderr); all results also go to .bench/video-results.json.
 *
 * Cases: the corpus XA cine (96×512², JPEG baseline) when present, and a 120×1024² 8-bit run
 * written here. Targets: export ≤ 1.5 s (512²) and ≤ 6 s (1024²); memory during export ≤ 1.2× the
 * run's raw pixel bytes. Memory is the renderer's proportional set size (all its threads), sampled
 * every 50 ms during the export: `peakOverEmptyMB` counts from the app open with no run (so the
 * decoded run itself is in it), `exportOwnMB` from just before the export (what the export adds).
 * CPU time (renderer + GPU process) is less sensitive than wall time to other work on the machine.
 *
 * Flags: --no-build (reuse .bench/dist-video), --only <text>, --repeat <n>, --profile (a V8 CPU
 * profile of the main thread during the last export of each format: the functions with the most
 * self time are printed on stderr; build unminified names with --minify-off).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, preview } from 'vite';
import { chooseFiles, cpuTimeMs, launch, openApp, waitForMark } from './bench/browser.mjs';
import { headerFacts } from './bench/cases.mjs';
import { writeSyntheticRun } from './bench/synth.mjs';

const root = process.cwd();
const benchDir = resolve(root, '.bench');
const outDir = join(benchDir, 'dist-video');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const only = option('--only');
const repeat = Math.max(1, Number(option('--repeat') ?? 2) || 1);
const profiling = flag('--profile');
const log = (message) => process.stderr.write(`[bench:video] ${message}\n`);
const MB = 1024 * 1024;
const round = (value, digits = 1) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Issue 9's targets: export seconds by frame size, and memory against raw pixel bytes. */
const TARGETS = { exportMsUpTo512: 1500, exportMsUpTo1024: 6000, memoryRatio: 1.2 };

function cases() {
  mkdirSync(benchDir, { recursive: true });
  const list = [];
  const corpus = resolve(root, '../shared/dicom-corpus/xa_siemens_96f_jpeg-baseline_ecg-curve.dcm');
  if (existsSync(corpus)) list.push({ case: 'corpus:xa_siemens_96f_jpeg-baseline', path: corpus });
  else log(`${corpus} is absent: corpus case skipped`);
  const synthetic = join(benchDir, 'video-synthetic-1024x120.dcm');
  if (!existsSync(synthetic)) {
    log(`writing ${synthetic}`);
    writeSyntheticRun(synthetic, { name: 'video-synthetic-1024x120', rows: 1024, columns: 1024, frames: 120, fps: 15, seed: 1024 });
  }
  list.push({ case: 'synthetic-1024x120:raw', path: synthetic });
  return list
    .filter((c) => !only || c.case.includes(only))
    .map((c) => {
      const facts = headerFacts(c.path);
      const rawBytes = facts.rows * facts.columns * facts.frames * (facts.bitsAllocated > 8 ? 2 : 1) * (facts.samplesPerPixel ?? 1);
      return { ...c, ...facts, rawBytes, sizeBytes: statSync(c.path).size };
    });
}

/** Pids of this profile's renderer processes. */
function rendererPids(profile) {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(`--user-data-dir=${profile}`) && cmdline.includes('--type=renderer');
      } catch {
        return false;
      }
    });
}

function pssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (pss) total += Number(pss[1]) * 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return total;
}

async function settledPss(session, pids) {
  await session.cdp.send('HeapProfiler.collectGarbage');
  await new Promise((done) => setTimeout(done, 200));
  return pssBytes(pids);
}

/** Clicks the needle tip tool and places a tip on frames 1 and the middle one, near the centre. */
async function annotate(page, frames) {
  await page.getByRole('button', { name: 'Needle tip', exact: true }).click();
  const viewport = page.getByTestId('viewport').first();
  const box = await viewport.boundingBox();
  for (const [frame, fx, fy] of [
    [1, 0.4, 0.4],
    [Math.ceil(frames / 2), 0.5, 0.55],
  ]) {
    await page.getByRole('slider', { name: 'Frame' }).first().fill(String(frame));
    await page.waitForTimeout(300);
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    // Cornerstone waits out its double-click window before it reports a click.
    await page.waitForTimeout(600);
  }
  await page.getByRole('slider', { name: 'Frame' }).first().fill('1');
}

function probe(file) {
  const out = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_packets',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=codec_name,width,height,nb_read_packets:format=duration',
        '-of',
        'json',
        file,
      ],
      { encoding: 'utf8' },
    ),
  );
  const s = out.streams[0];
  return {
    codec: s.codec_name,
    width: s.width,
    height: s.height,
    frames: Number(s.nb_read_packets),
    durationS: Number(out.format.duration),
  };
}

/** The profile's functions by self time (ms), the most first. */
function selfTimes(profile, top = 14) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const gaps = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (gaps[i + 1] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${name}`);
}

async function exportOnce(session, c, format, cpuProfile = false) {
  const { page, profile } = session;
  const pids = rendererPids(profile);
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Export video' }).first().click();
  await dialog.getByRole('combobox', { name: 'Video format' }).selectOption({ label: format });
  await page.evaluate(() => {
    performance.clearMarks('fluorolens:capture-start');
    performance.clearMarks('fluorolens:capture-done');
  });
  const before = await settledPss(session, pids);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, pssBytes(pids));
      await new Promise((done) => setTimeout(done, 50));
    }
  })();
  if (cpuProfile) {
    await session.cdp.send('Profiler.enable');
    await session.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await session.cdp.send('Profiler.start');
  }
  const cpuBefore = cpuTimeMs(profile);
  const t0 = performance.now();
  const download = page.waitForEvent('download', { timeout: 300_000 });
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  const clickToDownloadMs = performance.now() - t0;
  if (cpuProfile) {
    const { profile: recorded } = await session.cdp.send('Profiler.stop');
    log(`${c.case} ${format}: main thread self time\n${selfTimes(recorded).join('\n')}`);
  }
  const cpuMs = cpuTimeMs(profile) - cpuBefore;
  sampling = false;
  await sampler;
  const path = join(benchDir, `video-${c.case.replace(/[^a-z0-9-]+/gi, '_')}.${format.toLowerCase()}`);
  await file.saveAs(path);
  const detail = await page.evaluate(() => {
    const start = performance.getEntriesByName('fluorolens:capture-start').at(-1);
    const done = performance.getEntriesByName('fluorolens:capture-done').at(-1);
    return { captureMs: done.startTime - start.startTime, ...done.detail };
  });
  return { before, peak, clickToDownloadMs, cpuMs, detail, path, bytes: statSync(path).size };
}

async function measure(c, baseURL) {
  const session = await launch();
  try {
    const { page, profile } = session;
    await openApp(session, baseURL);
    const empty = await settledPss(session, rendererPids(profile));
    await chooseFiles(page, [c.path]);
    await waitForMark(page, 'fluorolens:run-decoded', Math.max(180_000, c.frames * 1500));
    await annotate(page, c.frames);
    const results = [];
    for (const format of ['MP4', 'WebM']) {
      const runs = [];
      for (let i = 0; i < repeat; i++) runs.push(await exportOnce(session, c, format, profiling && i === repeat - 1));
      const last = runs.at(-1);
      const file = probe(last.path);
      const exportMs = median(runs.map((r) => r.detail.captureMs));
      const peakOverEmpty = Math.max(...runs.map((r) => r.peak)) - empty;
      const exportOwn = Math.max(...runs.map((r) => r.peak - r.before));
      const targetMs = Math.max(c.rows, c.columns) <= 512 ? TARGETS.exportMsUpTo512 : TARGETS.exportMsUpTo1024;
      const ratio = peakOverEmpty / c.rawBytes;
      results.push({
        case: c.case,
        format,
        rows: c.rows,
        columns: c.columns,
        frames: c.frames,
        transferSyntax: c.transferSyntax,
        encoding: last.detail.encoding,
        exportMs: round(exportMs, 0),
        eachExportMs: runs.map((r) => round(r.detail.captureMs, 0)),
        clickToDownloadMs: round(median(runs.map((r) => r.clickToDownloadMs)), 0),
        cpuMs: round(median(runs.map((r) => r.cpuMs)), 0),
        stageMs: Object.fromEntries(Object.entries(last.detail.stageMs).map(([k, v]) => [k, round(v, 0)])),
        loadAvg1m: round(loadavg()[0], 2),
        fileMB: round(last.bytes / MB, 2),
        ffprobe: file,
        memory: {
          rawPixelMB: round(c.rawBytes / MB, 1),
          emptyAppMB: round(empty / MB, 1),
          beforeExportOverEmptyMB: round((runs[0].before - empty) / MB, 1),
          peakOverEmptyMB: round(peakOverEmpty / MB, 1),
          exportOwnMB: round(exportOwn / MB, 1),
          ratio: round(ratio, 2),
          exportOwnRatio: round(exportOwn / c.rawBytes, 2),
        },
        targets: { exportMs: targetMs, memoryRatio: TARGETS.memoryRatio },
        met: { time: exportMs <= targetMs, memory: ratio <= TARGETS.memoryRatio },
        notes: session.errors.length ? [`page errors: ${session.errors.slice(0, 3).join(' | ')}`] : [],
      });
      process.stdout.write(JSON.stringify(results.at(-1)) + '\n');
    }
    return results;
  } finally {
    await session.close();
  }
}

async function main() {
  const started = performance.now();
  const list = cases();
  if (!flag('--no-build')) {
    log(`building into ${outDir}`);
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, ...(flag('--minify-off') ? { minify: false } : {}) } });
  }
  const server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const baseURL = server.resolvedUrls.local[0].replace(/\/$/, '');
  const results = [];
  try {
    for (const c of list) {
      log(`${c.case}: ${c.columns}×${c.rows}×${c.frames}, ${(c.rawBytes / MB).toFixed(1)} MB raw`);
      try {
        results.push(...(await measure(c, baseURL)));
      } catch (error) {
        const result = { case: c.case, error: String(error?.message ?? error) };
        results.push(result);
        process.stdout.write(JSON.stringify(result) + '\n');
      }
    }
  } finally {
    await new Promise((done) => server.httpServer.close(() => done()));
  }
  const summary = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    targets: TARGETS,
    repeat,
    seconds: round((performance.now() - started) / 1000),
    results,
  };
  writeFileSync(join(benchDir, 'video-results.json'), JSON.stringify(summary, null, 2) + '\n');
  const missed = results.filter((r) => r.error || !r.met.time || !r.met.memory).map((r) => `${r.case} ${r.format ?? ''}`.trim());
  log(`done in ${summary.seconds} s; results in .bench/video-results.json`);
  log(missed.length ? `targets missed: ${missed.join(', ')}` : 'every target met');
}

main().catch((error) => {
  process.stderr.write(`[bench:video] ${error?.stack ?? error}\n`);
  process.exit(1);
});
