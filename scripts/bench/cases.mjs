/**
 * The bench's cases: every sample run, a 1024²×120 8-bit run made here (raw, and compressed by
 * DCMTK as JPEG Lossless SV1, JPEG-LS lossless and RLE), the real XA cine from the shared corpus
 * when present, and with --large a 512²×2000 raw run. Generated files are kept in .bench/ and
 * made again only when the generator's version changes.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import dicomParser from 'dicom-parser';
import { writeSyntheticRun } from './synth.mjs';

/** Bump when synth.mjs changes what it writes. */
const GENERATOR_VERSION = 1;

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/** Header facts of a file (dicom-parser on its first 512 KiB, stopping at Pixel Data). */
export function headerFacts(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(Math.min(statSync(path).size, 512 * 1024));
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  const ds = dicomParser.parseDicom(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length), { untilTag: 'x7fe00010' });
  const num = (tag) => {
    const v = ds.string(tag);
    return v === undefined || v === '' ? null : Number(v);
  };
  const frameTime = num('x00181063');
  const vector = ds
    .string('x00181065')
    ?.split('\\')
    .map(Number)
    .slice(1)
    .filter((v) => v > 0);
  const fps =
    frameTime > 0
      ? 1000 / frameTime
      : vector?.length
        ? 1000 / (vector.reduce((s, v) => s + v, 0) / vector.length)
        : (num('x00182144') ?? num('x00180040') ?? null);
  return {
    rows: ds.uint16('x00280010'),
    columns: ds.uint16('x00280011'),
    frames: num('x00280008') ?? 1,
    bitsAllocated: ds.uint16('x00280100'),
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    transferSyntax: ds.string('x00020010'),
    runFps: fps ? Number(fps.toFixed(2)) : null,
    uids: { study: ds.string('x0020000d'), series: ds.string('x0020000e'), sop: ds.string('x00080018') },
  };
}

function tool(name) {
  return ['/usr/bin', '/usr/local/bin'].map((dir) => join(dir, name)).find((p) => existsSync(p)) ?? null;
}

/** Writes `out` from `input` with a DCMTK tool, unless it exists already. Null when the tool is missing. */
function dcmtk(name, args, input, out) {
  if (existsSync(out)) return out;
  const path = tool(name);
  if (!path) return null;
  const partial = `${out}.partial`;
  execFileSync(path, [...args, input, partial], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(partial, out);
  return out;
}

function ensureGenerated(benchDir, name, spec) {
  const path = join(benchDir, `${name}.dcm`);
  const stamp = join(benchDir, `${name}.version`);
  const current = existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === String(GENERATOR_VERSION);
  if (!current || !existsSync(path)) {
    log(`writing ${relative(process.cwd(), path)} (${spec.rows}×${spec.columns}×${spec.frames})`);
    writeSyntheticRun(path, { name, ...spec });
    writeFileSync(stamp, String(GENERATOR_VERSION));
    // Compressed copies were made from the old file.
    for (const f of readdirSync(benchDir))
      if (f.startsWith(`${name}-`) && f.endsWith('.dcm')) renameSync(join(benchDir, f), join(benchDir, `${f}.stale`));
  }
  return path;
}

function caseOf(name, paths, extra = {}) {
  const facts = headerFacts(paths[0]);
  const sizeBytes = paths.reduce((sum, p) => sum + statSync(p).size, 0);
  return {
    case: name,
    paths,
    file: relative(process.cwd(), paths.length === 1 ? paths[0] : join(paths[0], '..')),
    files: paths.length,
    sizeBytes,
    ...facts,
    frames: paths.length > 1 ? paths.length : facts.frames,
    ...extra,
  };
}

export function prepareCases({ root, benchDir, corpusDir, large, only }) {
  mkdirSync(benchDir, { recursive: true });
  const cases = [];
  const notes = [];
  const sampleDir = join(root, 'sample-dicom');
  if (existsSync(sampleDir)) {
    for (const entry of readdirSync(sampleDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(sampleDir, entry.name);
      if (entry.isDirectory()) {
        const files = readdirSync(full)
          .filter((f) => f.endsWith('.dcm'))
          .sort()
          .map((f) => join(full, f));
        if (files.length) cases.push(caseOf(`sample:${entry.name}`, files));
      } else if (entry.name.endsWith('.dcm') && existsSync(join(sampleDir, `${basename(entry.name, '.dcm')}.truth.json`))) {
        // Runs have a truth file beside them; the case's dose report (an SR, no frames) does not.
        cases.push(caseOf(`sample:${basename(entry.name, '.dcm')}`, [full]));
      }
    }
  } else notes.push('sample-dicom/ is absent: no sample cases');

  const synthName = 'synthetic-1024x120';
  const raw = ensureGenerated(benchDir, synthName, { rows: 1024, columns: 1024, frames: 120, fps: 15, seed: 1024 });
  cases.push(caseOf(`${synthName}:raw`, [raw], { interaction: true }));
  const compressed = [
    ['jpeg-lossless-sv1', 'dcmcjpeg', ['+e1']],
    ['jpeg-ls', 'dcmcjpls', ['+el']],
    ['rle', 'dcmcrle', []],
  ];
  for (const [label, name, args] of compressed) {
    const out = join(benchDir, `${synthName}-${label}.dcm`);
    if (!existsSync(out)) log(`compressing ${synthName} with ${name} ${args.join(' ')}`);
    const made = dcmtk(name, args, raw, out);
    if (made) cases.push(caseOf(`${synthName}:${label}`, [made]));
    else notes.push(`${name} (DCMTK) is not installed: case ${synthName}:${label} skipped`);
  }

  const corpusFile = join(corpusDir, 'xa_siemens_96f_jpeg-baseline_ecg-curve.dcm');
  if (existsSync(corpusFile)) cases.push(caseOf('corpus:xa_siemens_96f_jpeg-baseline', [corpusFile]));
  else notes.push(`${corpusFile} is absent: corpus case skipped`);

  if (large) {
    const path = ensureGenerated(benchDir, 'synthetic-512x2000', { rows: 512, columns: 512, frames: 2000, fps: 15, seed: 512 });
    cases.push(caseOf('synthetic-512x2000:raw', [path]));
  }
  const selected = only ? cases.filter((c) => c.case.includes(only)) : cases;
  return { cases: selected, notes };
}
