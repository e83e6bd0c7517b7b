/* global window */
/**
 * `npm run bench:video`: how long Export video takes and how much memory it holds (issue 9,
 * item 4). Builds the app into .bench/dist-video, serves it with `vite preview`, and for each case
 * opens the run in a fresh headless Chromium the way a user would, waits until every frame is
 * decoded, places a needle tip on two frames with the Needle tip tool (so marks are drawn), then
 * exports through the Export video dialog as MP4 and as WebM, `--repeat` times each (default 2;
 * the median is reported). Prints one JSON object per case and format on stdout (progress on
 * stderr); all results also go to .bench/video-results.json.
 *
 * Cases: the corpus XA cine (96×512², JPEG baseline) when present, a 120×1024² 8-bit run written
 * here, and a 10×512² one (what an export costs whatever the run's length). Targets: export
 * ≤ 1.5 s (512²) and ≤ 6 s (1024²); memory during export ≤ 1.2× the run's raw pixel bytes.
 *
 * Memory is the anonymous and shared-memory PSS (all threads; file-backed pages left out, see
 * pssBytes) of the renderer, where the page, its decode workers and the browser's software video
 * encoders live, plus the GPU process (software GL), sampled every 25 ms during the export.
 * - `exportOwnMB`: the peak over the same PSS settled (settledPss) just before that export, the
 *   most of the exports: all the export holds at its worst, encoder buffers and garbage not yet
 *   collected included. The first export of a session also starts the encoder (`eachExportOwnMB`).
 * - `ratio`, the target's figure: (decoded run + exportOwn) ÷ raw pixel bytes, the decoded run
 *   being what Cornerstone's cache holds for it (the pixels the export reads).
 * - `overEmptyRatio`: the whole peak over the app open with no run; it adds what the app keeps
 *   for an open run besides its pixels (the file, decode workers' heaps, the viewport), which the
 *   export neither makes nor can free.
 * - `retainedMB`: what a settled PSS still holds after each export.
 * - `encoderAloneMB`: the same peak for the browser's VideoEncoder alone (same codec, size,
 *   bitrate and frame count, see encoderAlone) in the same page after the exports: the floor no
 *   app code can lower. `appSideMB`: the later exports' peak less the encoder alone's.
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
import { chooseFiles, cpuTimeMs, launch, memorySnapshot, openApp, waitForMark } from './bench/browser.mjs';
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
  // Ten frames: what the browser's encoder and the export cost whatever the run's length (their fixed cost).
  const short = join(benchDir, 'video-synthetic-512x10.dcm');
  if (!existsSync(short)) {
    log(`writing ${short}`);
    writeSyntheticRun(short, { name: 'video-synthetic-512x10', rows: 512, columns: 512, frames: 10, fps: 15, seed: 512 });
  }
  list.push({ case: 'synthetic-512x10:raw', path: short });
  return list
    .filter((c) => !only || c.case.includes(only))
    .map((c) => {
      const facts = headerFacts(c.path);
      const rawBytes = facts.rows * facts.columns * facts.frames * (facts.bitsAllocated > 8 ? 2 : 1) * (facts.samplesPerPixel ?? 1);
      return { ...c, ...facts, rawBytes, sizeBytes: statSync(c.path).size };
    });
}

/** Pids of this profile's renderer and GPU processes (the page, its workers and codecs; software GL). */
function measuredPids(profile) {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(`--user-data-dir=${profile}`) && /--type=(renderer|gpu-process)/.test(cmdline);
      } catch {
        return false;
      }
    });
}

/**
 * Anonymous and shared-memory PSS of the processes: what they allocated (heaps, buffers, codec
 * state, frames shared between renderer and GPU process). File-backed pages (Chromium's code,
 * fonts) are left out: every Chromium on the machine shares them, so their proportional share
 * moves whenever another browser starts or stops, whatever this page does.
 */
function pssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      for (const field of ['Pss_Anon', 'Pss_Shmem']) {
        const kB = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup);
        if (kB) total += Number(kB[1]) * 1024;
      }
    } catch {
      // Ended meanwhile.
    }
  }
  return total;
}

/**
 * PSS once the page has let go of what it no longer uses: a full GC, and Chromium's answer to
 * critical memory pressure, which returns the allocators' free pages to the system. Without it a
 * baseline still holds freed memory that the next export then reuses unseen (an encoder alone
 * measured 7 MB once and 35 MB the next time).
 */
async function settledPss(session, pids) {
  await session.cdp.send('Memory.simulatePressureNotification', { level: 'critical' });
  await session.cdp.send('HeapProfiler.collectGarbage');
  await new Promise((done) => setTimeout(done, 300));
  return pssBytes(pids);
}

/** Bytes of decoded frames in Cornerstone's cache. */
/** Samples the PSS of `pids` every 25 ms from now until stop(), which resolves to the highest reading (at least `floor`). */
function samplePeak(pids, floor) {
  let peak = floor;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      peak = Math.max(peak, pssBytes(pids));
      await new Promise((done) => setTimeout(done, 25));
    }
  })();
  return {
    async stop() {
      sampling = false;
      await loop;
      return peak;
    },
  };
}

async function decodedRunBytes(page) {
  return page.evaluate(() => window.__fluorolens?.decodedCacheBytes?.() ?? null);
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
  const pids = measuredPids(profile);
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Export video' }).first().click();
  await dialog.getByRole('combobox', { name: 'Video format' }).selectOption({ label: format });
  await page.evaluate(() => {
    performance.clearMarks('fluorolens:capture-start');
    performance.clearMarks('fluorolens:capture-done');
  });
  const before = await settledPss(session, pids);
  const sampler = samplePeak(pids, before);
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
  const peak = await sampler.stop();
  const after = await settledPss(session, pids);
  const path = join(benchDir, `video-${c.case.replace(/[^a-z0-9-]+/gi, '_')}.${format.toLowerCase()}`);
  await file.saveAs(path);
  const detail = await page.evaluate(() => {
    const start = performance.getEntriesByName('fluorolens:capture-start').at(-1);
    const done = performance.getEntriesByName('fluorolens:capture-done').at(-1);
    return { captureMs: done.startTime - start.startTime, ...done.detail };
  });
  return { before, peak, after, clickToDownloadMs, cpuMs, detail, path, bytes: statSync(path).size };
}

/**
 * The browser's encoder alone, in the same page: a VideoEncoder with the export's codec, size,
 * bitrate and rate (format.ts bitrateFor; realtime) fed `frames` synthetic I420 frames (grey
 * gradient and noise, one reused buffer made before the baseline), at most ENCODE_QUEUE waiting
 * (encoders.ts MAX_ENCODE_QUEUE). Its peak over a settled baseline is what WebCodecs itself holds
 * for such an export: the part of the export's memory no app code can give back.
 */
const ENCODE_QUEUE = 3;

async function encoderAlone(session, pids, { codec, width, height, fps, frames }) {
  const { page } = session;
  await page.evaluate(
    ({ width, height }) => {
      window.__benchI420 = new Uint8Array(width * height * 1.5);
    },
    { width, height },
  );
  const before = await settledPss(session, pids);
  const sampler = samplePeak(pids, before);
  const outcome = await page.evaluate(
    async ({ codec, width, height, fps, frames, queue }) => {
      const config = {
        codec,
        width,
        height,
        bitrate: Math.round(Math.min(16e6, Math.max(1e6, width * height * fps * 0.2))),
        framerate: fps,
        latencyMode: 'realtime',
        ...(codec.startsWith('avc') ? { avc: { format: 'avc' } } : {}),
      };
      let bytes = 0;
      let failure = null;
      const encoder = new window.VideoEncoder({
        output: (chunk) => {
          bytes += chunk.byteLength;
        },
        error: (error) => {
          failure = String(error);
        },
      });
      encoder.configure(config);
      const planes = window.__benchI420;
      let seed = 1;
      const interval = Math.max(1, Math.round(fps * 2));
      for (let i = 0; i < frames && !failure; i++) {
        for (let k = 0; k < width * height; k++) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          planes[k] = 40 + (((k % width) + ((k / width) | 0)) >> 4) + (seed & 15) + ((i * 3) & 63);
        }
        planes.fill(128, width * height);
        const frame = new window.VideoFrame(planes, {
          format: 'I420',
          codedWidth: width,
          codedHeight: height,
          timestamp: Math.round((i * 1e6) / fps),
          duration: Math.round(1e6 / fps),
        });
        encoder.encode(frame, { keyFrame: i % interval === 0 });
        frame.close();
        while (encoder.encodeQueueSize >= queue && !failure) {
          await new Promise((done) => encoder.addEventListener('dequeue', done, { once: true }));
        }
        if (i % 4 === 3) await new Promise((done) => setTimeout(done, 0));
      }
      if (!failure) await encoder.flush();
      encoder.close();
      window.__benchI420 = null;
      return { bytes, failure };
    },
    { codec, width, height, fps, frames, queue: ENCODE_QUEUE },
  );
  const peak = await sampler.stop();
  return { ownBytes: peak - before, ...outcome };
}

async function measure(c, baseURL) {
  const session = await launch();
  try {
    const { page, profile } = session;
    await openApp(session, baseURL);
    const empty = await settledPss(session, measuredPids(profile));
    await chooseFiles(page, [c.path]);
    await waitForMark(page, 'fluorolens:run-decoded', Math.max(180_000, c.frames * 1500));
    await annotate(page, c.frames);
    const decodedRun = await decodedRunBytes(page);
    const runOpen = await settledPss(session, measuredPids(profile));
    const openSnapshot = await memorySnapshot(session);
    const results = [];
    for (const format of ['MP4', 'WebM']) {
      const runs = [];
      for (let i = 0; i < repeat; i++) runs.push(await exportOnce(session, c, format, profiling && i === repeat - 1));
      const last = runs.at(-1);
      const file = probe(last.path);
      const codec = last.detail.encoding.split(' ').at(-1);
      const fps = c.runFps ?? 15;
      const alone = [];
      for (let i = 0; i < repeat; i++) {
        alone.push(
          await encoderAlone(session, measuredPids(profile), { codec, width: file.width, height: file.height, fps, frames: c.frames }),
        );
      }
      const encoderOwn = Math.max(...alone.map((a) => a.ownBytes));
      // The first export of a session also pays the encoder's one-time start (its library and
      // threads, kept afterwards); the encoder alone runs after the exports, so it is compared
      // with the later exports.
      const laterOwn = runs.length > 1 ? Math.max(...runs.slice(1).map((r) => r.peak - r.before)) : null;
      const exportMs = median(runs.map((r) => r.detail.captureMs));
      const peakOverEmpty = Math.max(...runs.map((r) => r.peak)) - empty;
      const exportOwn = Math.max(...runs.map((r) => r.peak - r.before));
      const targetMs = Math.max(c.rows, c.columns) <= 512 ? TARGETS.exportMsUpTo512 : TARGETS.exportMsUpTo1024;
      const ratio = (decodedRun + exportOwn) / c.rawBytes;
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
          decodedRunMB: round(decodedRun / MB, 1),
          emptyAppMB: round(empty / MB, 1),
          runOpenOverEmptyMB: round((runOpen - empty) / MB, 1),
          runOpenMainThreadMB: {
            v8Heap: round(openSnapshot.v8Heap / MB, 1),
            arrayBuffers: round(openSnapshot.arrayBuffers / MB, 1),
          },
          beforeExportOverEmptyMB: round((runs[0].before - empty) / MB, 1),
          exportOwnMB: round(exportOwn / MB, 1),
          eachExportOwnMB: runs.map((r) => round((r.peak - r.before) / MB, 1)),
          retainedMB: runs.map((r) => round((r.after - r.before) / MB, 1)),
          peakOverEmptyMB: round(peakOverEmpty / MB, 1),
          ratio: round(ratio, 2),
          exportOwnRatio: round(exportOwn / c.rawBytes, 2),
          encoderAloneMB: alone.map((a) => round(a.ownBytes / MB, 1)),
          encoderAloneRatio: round(encoderOwn / c.rawBytes, 2),
          appSideMB: laterOwn === null ? null : round((laterOwn - encoderOwn) / MB, 1),
          overEmptyRatio: round(peakOverEmpty / c.rawBytes, 2),
        },
        targets: { exportMs: targetMs, memoryRatio: TARGETS.memoryRatio },
        met: { time: exportMs <= targetMs, memory: ratio <= TARGETS.memoryRatio },
        notes: [
          ...(session.errors.length ? [`page errors: ${session.errors.slice(0, 3).join(' | ')}`] : []),
          ...alone.filter((a) => a.failure).map((a) => `encoder alone failed: ${a.failure}`),
        ],
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
    await server.close();
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
