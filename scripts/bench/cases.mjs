/**
 * The bench's cases: every sample run; a matrix of synthetic 8-bit XA runs made here (raw, and
 * compressed by DCMTK as RLE, JPEG baseline, JPEG Lossless SV1 and JPEG-LS, and by GDCM as JPEG
 * 2000) at 512² and 1024² and 10, 120 and 2,000 frames (see MATRIX); and the real XA cine from
 * the shared corpus when present. Generated files are kept in .bench/ and made again only when
 * the generator's version changes.
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
import { writeSyntheticRun, writeSyntheticSeries } from './synth.mjs';

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
    // The PACS cases find the run's study by it (scripts/bench/pacs.mjs).
    patientId: ds.string('x00100020') ?? null,
  };
}

function tool(name) {
  return ['/usr/bin', '/usr/local/bin'].map((dir) => join(dir, name)).find((p) => existsSync(p)) ?? null;
}

/** Writes `out` from `input` with a DCMTK or GDCM tool, unless it exists already. Null when the tool is missing. */
function convert(name, args, input, out) {
  if (existsSync(out)) return out;
  const path = tool(name);
  if (!path) return null;
  const partial = `${out}.partial`;
  log(`writing ${basename(out)} with ${name} ${args.join(' ')}`);
  execFileSync(path, [...args, input, partial], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(partial, out);
  return out;
}

/**
 * Transfer syntaxes of the matrix: how each is made from the raw run, and the sizes and run
 * lengths it is measured at. 2,000 frames only where making the file takes seconds, not many
 * minutes (GDCM's JPEG 2000 and DCMTK's JPEG encoders take ~0.1–0.3 s a 1024² frame here).
 */
export const MATRIX = [
  { label: 'raw', sizes: [512, 1024], lengths: [10, 120, 2000] },
  { label: 'rle', tool: 'dcmcrle', args: [], sizes: [512, 1024], lengths: [10, 120, 2000] },
  { label: 'jpeg-baseline', tool: 'dcmcjpeg', args: ['+eb'], sizes: [1024], lengths: [10, 120] },
  { label: 'jpeg-lossless', tool: 'dcmcjpeg', args: ['+e1'], sizes: [1024], lengths: [10, 120] },
  { label: 'jpeg-ls', tool: 'dcmcjpls', args: ['+el'], sizes: [1024], lengths: [10, 120, 2000] },
  { label: 'j2k', tool: 'gdcmconv', args: ['--j2k'], sizes: [1024], lengths: [10, 120] },
];

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

/**
 * A folder of single-frame files opened through Open folder, as a CD or a PACS export brings spot
 * images: what it costs to read many small files (each its own header read and frame read).
 */
const FOLDER_CASE = { rows: 512, columns: 512, frames: 400 };

function folderCase(benchDir) {
  const { rows, columns, frames } = FOLDER_CASE;
  const name = `synthetic-${rows}x${frames}-folder`;
  const dir = join(benchDir, name);
  const stamp = join(benchDir, `${name}.version`);
  const current = existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === String(GENERATOR_VERSION);
  if (!current || !existsSync(dir)) {
    log(`writing ${relative(process.cwd(), dir)}/ (${frames} files of ${rows}×${columns})`);
    writeSyntheticSeries(dir, { name, rows, columns, frames, seed: rows + frames });
    writeFileSync(stamp, String(GENERATOR_VERSION));
  }
  const paths = readdirSync(dir)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => join(dir, f));
  return caseOf(`folder-${rows}x${frames}`, paths, { matrix: true, cine: false, folder: dir });
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

function matrixCases(benchDir, { lengths, syntaxes }, notes) {
  const cases = [];
  for (const entry of MATRIX) {
    if (syntaxes && !syntaxes.includes(entry.label)) continue;
    for (const size of entry.sizes) {
      for (const frames of entry.lengths) {
        if (lengths && !lengths.includes(frames)) continue;
        const name = `synthetic-${size}x${frames}`;
        const raw = ensureGenerated(benchDir, name, { rows: size, columns: size, frames, fps: 15, seed: size + frames });
        const path = entry.tool ? convert(entry.tool, entry.args, raw, join(benchDir, `${name}-${entry.label}.dcm`)) : raw;
        const caseName = `${entry.label}-${size}x${frames}`;
        if (!path) {
          notes.push(`${entry.tool} is not installed: case ${caseName} skipped`);
          continue;
        }
        // Cine and the interaction figure on the 120-frame 1024² runs, as before; the rest time opening.
        const extra = {
          matrix: true,
          cine: size === 1024 && frames === 120,
          interaction: entry.label === 'raw' && size === 1024 && frames === 120,
        };
        cases.push(caseOf(caseName, [path], extra));
      }
    }
  }
  return cases;
}

export function prepareCases({ root, benchDir, corpusDir, only, lengths = null, syntaxes = null, samples = true }) {
  mkdirSync(benchDir, { recursive: true });
  const cases = [];
  const notes = [];
  const sampleDir = join(root, 'sample-dicom');
  if (!samples) notes.push('sample and corpus cases left out (--matrix-only)');
  else if (existsSync(sampleDir)) {
    for (const entry of readdirSync(sampleDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(sampleDir, entry.name);
      if (entry.isDirectory()) {
        const files = readdirSync(full)
          .filter((f) => f.endsWith('.dcm'))
          .sort()
          .map((f) => join(full, f));
        if (files.length) cases.push(caseOf(`sample:${entry.name}`, files, { cine: true }));
      } else if (entry.name.endsWith('.dcm') && existsSync(join(sampleDir, `${basename(entry.name, '.dcm')}.truth.json`))) {
        // Runs have a truth file beside them; the case's dose report (an SR, no frames) does not.
        cases.push(caseOf(`sample:${basename(entry.name, '.dcm')}`, [full], { cine: true }));
      }
    }
  } else notes.push('sample-dicom/ is absent: no sample cases');

  cases.push(...matrixCases(benchDir, { lengths, syntaxes }, notes));
  if (!syntaxes || syntaxes.includes('folder')) cases.push(folderCase(benchDir));

  if (samples) {
    const corpusFile = join(corpusDir, 'xa_siemens_96f_jpeg-baseline_ecg-curve.dcm');
    if (existsSync(corpusFile)) cases.push(caseOf('corpus:xa_siemens_96f_jpeg-baseline', [corpusFile], { cine: true }));
    else notes.push(`${corpusFile} is absent: corpus case skipped`);
    // One real 1024² XA frame, 10 bits in 16, in the syntaxes whose decoders take other paths over
    // 8 bits than the synthetic 8-bit runs exercise (first frame only: one frame, no cine).
    for (const syntax of ['jpeg-lossless-sv1', 'jpeg-ls-lossless', 'jpeg-extended-lossy']) {
      const file = join(corpusDir, `xa1_wg04_1024_10bit_${syntax}.dcm`);
      if (existsSync(file)) cases.push(caseOf(`corpus:xa1_1024_10bit_${syntax}`, [file], { cine: false }));
      else notes.push(`${file} is absent: corpus case skipped`);
    }
  }
  const selected = only ? cases.filter((c) => c.case.includes(only)) : cases;
  return { cases: selected, notes };
}
