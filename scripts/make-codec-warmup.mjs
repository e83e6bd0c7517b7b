/**
 * node scripts/make-codec-warmup.mjs — writes src/viewer/codecWarmupFrames/: one 256² 8-bit frame
 * per codec whose decoder only reaches its fast code after real work (codecWarmup.ts), compressed
 * by DCMTK from the bench's synthetic fluoroscopy frame (scripts/bench/synth.mjs: background,
 * noise, a needle) and cut out of its Pixel Data as the bare codestream a decode task gets.
 *
 * Needs dcmtk (dcmcjpeg, dcmcjpls). The output is committed; rerun only to change the frames.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dicomParser from 'dicom-parser';
import { writeSyntheticRun } from './bench/synth.mjs';

const SIDE = 256;
const outDir = fileURLToPath(new URL('../src/viewer/codecWarmupFrames/', import.meta.url));
const codecs = [
  { file: `jpeg-baseline-${SIDE}.jpg`, tool: 'dcmcjpeg', args: ['+eb'] },
  { file: `jpeg-lossless-${SIDE}.jpg`, tool: 'dcmcjpeg', args: ['+e1'] },
  { file: `jpeg-ls-${SIDE}.jls`, tool: 'dcmcjpls', args: ['+el'] },
];

const work = mkdtempSync(join(tmpdir(), 'codec-warmup-'));
try {
  const raw = join(work, 'raw.dcm');
  // The sixth of ten frames: the needle is in, so the frame has edges as well as noise and flat background.
  writeSyntheticRun(raw, { name: 'codec-warmup', rows: SIDE, columns: SIDE, frames: 10 });
  for (const codec of codecs) {
    const compressed = join(work, codec.file + '.dcm');
    execFileSync(codec.tool, [...codec.args, raw, compressed]);
    const bytes = new Uint8Array(readFileSync(compressed));
    const fragment = dicomParser.parseDicom(bytes).elements.x7fe00010.fragments[5];
    writeFileSync(join(outDir, codec.file), bytes.subarray(fragment.position, fragment.position + fragment.length));
    console.log(`${codec.file}: ${fragment.length} bytes`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
