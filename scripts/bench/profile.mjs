/* global window, performance, localStorage */
/**
 * `node scripts/bench/profile.mjs <file.dcm> [--dist dir] [--opens n] [--trace out.json] [--vanilla]
 *   [--end mark] [--full] [--gpu-detail] [--no-cpu-profile] [--open-first other.dcm] [--panels-open]`
 *
 * Where the time of opening a file goes: opens the built app (default .bench/dist) in a fresh
 * headless Chromium, records a Chrome trace with V8 CPU samples of every thread (main, decode
 * workers, GPU) while the file is chosen, and prints, between the input's change event and
 * `fluorolens:first-frame`: the main thread's tasks in order, self time per function per thread,
 * and when each decode worker was busy. Build unminified for readable names:
 * `npx vite build --outDir .bench/dist-prof --minify false`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { preview } from 'vite';
import { launch, openApp } from './browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const flagsWithoutValue = ['--vanilla', '--full', '--gpu-detail', '--no-cpu-profile', '--panels-open'];
const files = args.filter(
  (a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && !flagsWithoutValue.includes(args[i - 1])),
);
const dist = resolve(option('--dist', '.bench/dist'));
const opens = Number(option('--opens', '1'));
const tracePath = option('--trace', null);
const vanilla = args.includes('--vanilla');
const endMark = option('--end', vanilla ? 'vanilla:first-frame' : 'fluorolens:first-frame');
// Opened (and decoded whole) before the traced open, so the page's first-use costs are paid already.
const openFirst = option('--open-first', null);
const panelsOpen = args.includes('--panels-open');

const CATEGORIES = [
  'toplevel',
  'blink.user_timing',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'v8.execute',
  // Without V8's sampling profiler (--no-cpu-profile), task durations are what they are unprofiled.
  ...(args.includes('--no-cpu-profile') ? [] : ['disabled-by-default-v8.cpu_profiler']),
  'gpu',
  'cc',
  'viz',
  ...(args.includes('--gpu-detail')
    ? ['disabled-by-default-gpu.service', 'disabled-by-default-gpu.decoder', 'gpu.angle', 'gpu.service']
    : []),
];

async function record(session, page, chooser) {
  const cdp = session.cdp;
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordUntilFull' },
    transferMode: 'ReportEvents',
  });
  await page.waitForTimeout(200);
  await chooser();
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, endMark, { timeout: 60_000, polling: 20 });
  await page.waitForTimeout(300);
  await cdp.send('Tracing.end');
  await done;
  return events;
}

/** CPU samples from the trace's ProfileChunk events: [{ts, tid, pid, frames (leaf first)}]. */
function cpuSamples(events) {
  const profiles = new Map();
  for (const e of events) {
    if (e.name === 'Profile')
      profiles.set(`${e.pid}:${e.id}`, { pid: e.pid, tid: e.tid, ts: e.args.data.startTime, nodes: new Map(), samples: [] });
    if (e.name !== 'ProfileChunk') continue;
    const p = profiles.get(`${e.pid}:${e.id}`);
    if (!p) continue;
    const data = e.args.data;
    for (const node of data.cpuProfile?.nodes ?? []) p.nodes.set(node.id, node);
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      p.ts += deltas[i] ?? 0;
      p.samples.push({ ts: p.ts, id: ids[i] });
    }
  }
  const out = [];
  for (const p of profiles.values()) {
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i];
      const next = p.samples[i + 1];
      const frames = [];
      for (let node = p.nodes.get(s.id); node; node = p.nodes.get(node.parent)) frames.push(node.callFrame);
      out.push({ ts: s.ts, dur: next ? Math.min(next.ts - s.ts, 5000) : 0, tid: p.tid, pid: p.pid, frames });
    }
  }
  return out;
}

const short = (url) => (url ? url.replace(/^.*\/(assets|node_modules)\//, '').replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js') : '');

function analyse(events, startName, endName) {
  const threadNames = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const markTs = (name) => events.find((e) => e.name === name && e.cat?.includes('blink.user_timing'))?.ts;
  const t0 = markTs(startName);
  const t1 = markTs(endName);
  if (t0 === undefined || t1 === undefined) return { error: `marks missing: ${startName}=${t0} ${endName}=${t1}` };
  const ms = (us) => Math.round(us / 100) / 10;
  const marks = events
    .filter(
      (e) =>
        e.cat?.includes('blink.user_timing') &&
        (e.name.startsWith('fluorolens:') || e.name.startsWith('bench:') || e.name.startsWith('vanilla:')),
    )
    .filter((e) => e.ts >= t0 - 1 && e.ts <= t1 + 1)
    .map((e) => `${ms(e.ts - t0)} ${e.name}`);
  const mainKey = [...threadNames].find(([, n]) => n === 'CrRendererMain')?.[0];
  const [mainPid, mainTid] = mainKey.split(':').map(Number);
  // Main-thread top-level tasks in the window.
  const tasks = events
    .filter(
      (e) => e.pid === mainPid && e.tid === mainTid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'),
    )
    .filter((e) => e.ts + e.dur > t0 && e.ts < t1 && e.dur > 500)
    .map((task) => {
      const inside = events.filter(
        (e) =>
          e.pid === mainPid &&
          e.tid === mainTid &&
          e.ph === 'X' &&
          e !== task &&
          e.ts >= task.ts &&
          e.ts + (e.dur ?? 0) <= task.ts + task.dur &&
          e.dur > 200,
      );
      const kinds = [
        ...new Set(
          inside.map(
            (e) =>
              e.name +
              (e.args?.data?.functionName ? `(${e.args.data.functionName})` : '') +
              (e.args?.data?.type ? `[${e.args.data.type}]` : ''),
          ),
        ),
      ].slice(0, 6);
      return `${ms(task.ts - t0)}+${ms(task.dur)} ${kinds.join(' ')}`;
    });
  // Self time per function and thread from CPU samples.
  const samples = cpuSamples(events).filter((s) => s.ts >= t0 && s.ts <= t1);
  const byThread = new Map();
  for (const s of samples) {
    const thread = threadNames.get(`${s.pid}:${s.tid}`) ?? `${s.pid}:${s.tid}`;
    const leaf = s.frames[0];
    const name = leaf ? `${leaf.functionName || '(anonymous)'} ${short(leaf.url)}:${leaf.lineNumber}` : '?';
    const t = byThread.get(thread) ?? { total: 0, idle: 0, fns: new Map(), stacks: new Map() };
    t.total += s.dur;
    if (leaf?.functionName === '(idle)') t.idle += s.dur;
    t.fns.set(name, (t.fns.get(name) ?? 0) + s.dur);
    // Inclusive time per "our" function (first non-library frame up the stack) for a coarse breakdown.
    const ours = s.frames.slice(1).find((f) => f.url && /index-.*\.js$/.test(f.url) && !/node_modules/.test(f.url) && f.functionName);
    const key = ours ? `${ours.functionName}:${ours.lineNumber}` : leaf?.functionName === '(idle)' ? '(idle)' : leaf?.functionName || '?';
    t.stacks.set(key, (t.stacks.get(key) ?? 0) + s.dur);
    byThread.set(thread, t);
  }
  const threads = {};
  for (const [name, t] of byThread) {
    if (t.total - t.idle < 1000) continue;
    threads[name] = {
      busyMs: ms(t.total - t.idle),
      topSelf: [...t.fns]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([f, us]) => `${ms(us)} ${f}`),
    };
  }
  // Worker activity: busy spans per worker thread.
  const workers = {};
  for (const [key, name] of threadNames) {
    if (!/Worker/i.test(name)) continue;
    const [pid, tid] = key.split(':').map(Number);
    const spans = events
      .filter(
        (e) =>
          e.pid === pid &&
          e.tid === tid &&
          e.ph === 'X' &&
          (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
          e.dur > 300,
      )
      .filter((e) => e.ts + e.dur > t0 && e.ts < t1)
      .map((e) => `${ms(e.ts - t0)}+${ms(e.dur)}`);
    if (spans.length) workers[`${name} ${tid}`] = spans;
  }
  // The GPU process's main thread runs WebGL, raster and the page's compositing (SwiftShader here):
  // busy time there, and on what, is what the first frame queues behind.
  const gpuKey = [...threadNames].find(([, n]) => n === 'CrGpuMain')?.[0];
  let gpu = null;
  if (gpuKey) {
    const [gpid, gtid] = gpuKey.split(':').map(Number);
    const onGpu = events.filter((e) => e.pid === gpid && e.tid === gtid && e.ph === 'X' && e.ts >= t0 && e.ts <= t1);
    const top = onGpu.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
    const sum = (name) => ms(onGpu.filter((e) => e.name === name).reduce((a, e) => a + e.dur, 0));
    gpu = {
      busyMs: ms(top.reduce((a, e) => a + e.dur, 0)),
      swapBuffersMs: sum('SkiaOutputSurfaceImplOnGpu::SwapBuffers'),
      webglFlushMs: ms(
        onGpu
          .filter((e) => e.name === 'CommandBufferService:PutChanged' && /WebGL/.test(e.args?.handler ?? ''))
          .reduce((a, e) => a + e.dur, 0),
      ),
      rasterMs: sum('RasterDecoderImpl::DoEndRasterCHROMIUM') + sum('RasterDecoderImpl::DoBeginRasterCHROMIUM'),
      createSharedImageMs: sum('SharedImageStub::OnCreateSharedImage'),
    };
  }
  // CPU time (thread clock, so other load on the machine does not inflate it) per thread kind.
  const cpuMs = {};
  const processNames = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'process_name') processNames.set(e.pid, e.args.name);
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || e.tdur === undefined) continue;
    const overlap = Math.min(t1, e.ts + e.dur) - Math.max(t0, e.ts);
    if (overlap <= 0) continue;
    const thread = threadNames.get(`${e.pid}:${e.tid}`) ?? '?';
    const kind = `${(processNames.get(e.pid) ?? '?').replace(' Process', '')}/${thread.replace(/ ?\d+$/, '')}`;
    cpuMs[kind] = (cpuMs[kind] ?? 0) + (e.tdur * overlap) / Math.max(1, e.dur);
  }
  for (const k of Object.keys(cpuMs)) cpuMs[k] = ms(cpuMs[k]);
  return {
    windowMs: ms(t1 - t0),
    cpuMs,
    marks,
    mainBusyMs: threads.CrRendererMain?.busyMs ?? null,
    gpu,
    mainTasks: tasks,
    threads,
    workers,
  };
}

async function main() {
  const server = await preview({ build: { outDir: dist }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const baseURL = server.resolvedUrls.local[0].replace(/\/$/, '');
  try {
    for (let i = 0; i < opens; i++) {
      const session = await launch();
      try {
        const { page } = session;
        let chooser;
        if (vanilla) {
          await page.goto(`${baseURL}/vanilla/`);
          await page.waitForFunction(() => window.__vanillaReady === true, null, { timeout: 30_000 });
          await page.waitForTimeout(500);
          chooser = () => page.locator('input[type=file]').setInputFiles(files);
        } else {
          // The Runs and Analysis panels unfolded, as the browser tests have them (state/layout.ts).
          if (panelsOpen)
            await page.addInitScript(() =>
              localStorage.setItem('fluorolens:layout', JSON.stringify({ single: { runs: false, analysis: false } })),
            );
          await openApp(session, baseURL);
          if (openFirst) {
            await page.getByLabel('Open DICOM files').setInputFiles(openFirst);
            await page.waitForFunction(() => performance.getEntriesByName('fluorolens:run-decoded').length > 0, null, { timeout: 60_000 });
            await page.waitForTimeout(1000);
            await page.evaluate(() => performance.clearMarks());
          }
          await page.evaluate(() =>
            window.addEventListener('change', () => performance.mark('bench:input-change'), { capture: true, once: true }),
          );
          chooser = () => page.getByLabel('Open DICOM files').setInputFiles(files);
        }
        const events = await record(session, page, chooser);
        if (tracePath) writeFileSync(tracePath.replace(/(\.json)?$/, `-${i + 1}.json`), JSON.stringify({ traceEvents: events }));
        const start = vanilla ? 'vanilla:input-change' : 'bench:input-change';
        const whole = analyse(events, start, endMark);
        const fromShow = vanilla ? null : analyse(events, 'fluorolens:show-run', endMark);
        const brief = (r) => r && { windowMs: r.windowMs, cpuMs: r.cpuMs, gpu: r.gpu, marks: r.marks };
        process.stdout.write(
          JSON.stringify(
            args.includes('--full')
              ? { open: i + 1, whole, fromShowRun: fromShow }
              : { open: i + 1, whole: brief(whole), fromShowRun: brief(fromShow) },
            null,
            1,
          ) + '\n',
        );
        if (session.errors.length) process.stderr.write(`page errors: ${session.errors.join(' | ')}\n`);
      } finally {
        await session.close();
      }
    }
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
