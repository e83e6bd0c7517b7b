/**
 * node scripts/make-codec-warmup.mjs — writes src/viewer/codecWarmupFrames/: 256² frames for the
 * codecs whose decoders only reach their fast code after real work (codecWarmup.ts), compressed by
 * DCMTK and cut out of their Pixel Data as the bare codestream a decode task gets.
 *
 * - 8-bit: the bench's synthetic fluoroscopy frame (scripts/bench/synth.mjs: background, noise,
 *   a needle) as JPEG baseline, JPEG Lossless SV1 and JPEG-LS.
 * - 16 bits allocated, 10 stored (as the corpus's XA frames are): the same frame scaled to 10 bits
 *   with 2 bits of noise, as JPEG Lossless SV1, JPEG-LS and 12-bit JPEG extended. Their decoders
 *   take other paths for samples over 8 bits: warmed on 8-bit frames only, a 10-bit 1024²
 *   JPEG-LS frame still took 60 ms instead of 26 (Node 20 here).
 *
 * - JPEG 2000 (GDCM's gdcmconv --j2k, reversible): the 8-bit frame, and a 1024² frame, 10 bits in
 *   16 (GDCM writes its precision as 16), of flat 64×64 blocks, a 4 KB codestream. The small
 *   frame's passes bring OpenJPEG's code to V8's top tier; the large one touches the decoder's
 *   memory as a 1024² frame does, which cost the first real 1024² frame another 30–50 ms.
 *
 * Needs dcmtk (dcmcjpeg, dcmcjpls) and gdcmconv (libgdcm-tools). The output is committed; rerun only
 * to change the frames.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { writeSyntheticRun } from './bench/synth.mjs';

const SIDE = 256;
// The sixth of ten frames: the needle is in, so the frame has edges as well as noise and flat background.
const FRAME = 5;
const outDir = fileURLToPath(new URL('../src/viewer/codecWarmupFrames/', import.meta.url));
const codecs8 = [
  { file: `jpeg-baseline-${SIDE}.jpg`, tool: 'dcmcjpeg', args: ['+eb'] },
  { file: `jpeg-lossless-${SIDE}.jpg`, tool: 'dcmcjpeg', args: ['+e1'] },
  { file: `jpeg-ls-${SIDE}.jls`, tool: 'dcmcjpls', args: ['+el'] },
  { file: `j2k-${SIDE}.j2k`, tool: 'gdcmconv', args: ['--j2k'] },
];
/** Side of the JPEG 2000 frame that touches the decoder's memory as a real frame would (codecWarmup.ts J2K_MEMORY_SIDE). */
const J2K_MEMORY_SIDE = 1024;
const codecs16 = [
  { file: `jpeg-lossless-${SIDE}-16.jpg`, tool: 'dcmcjpeg', args: ['+e1'] },
  { file: `jpeg-ls-${SIDE}-16.jls`, tool: 'dcmcjpls', args: ['+el', '+pc'] },
  { file: `jpeg-extended-${SIDE}-16.jpg`, tool: 'dcmcjpeg', args: ['+ee'] },
];

/** The frame's Pixel Data fragment out of a compressed file. */
function fragmentOf(path, index) {
  const bytes = new Uint8Array(readFileSync(path));
  const fragment = dicomParser.parseDicom(bytes).elements.x7fe00010.fragments[index];
  return bytes.subarray(fragment.position, fragment.position + fragment.length);
}

function compress(codecs, raw, index, work) {
  for (const codec of codecs) {
    const compressed = join(work, codec.file + '.dcm');
    execFileSync(codec.tool, [...codec.args, raw, compressed]);
    const fragment = fragmentOf(compressed, index);
    writeFileSync(join(outDir, codec.file), fragment);
    console.log(`${codec.file}: ${fragment.length} bytes`);
  }
}

/** One 16-bit frame, 10 bits stored, as a Secondary Capture file DCMTK compresses. */
function write10BitFrame(path, pixels, side = SIDE) {
  const sopClass = '1.2.840.10008.5.1.4.1.1.7';
  const uid = '2.25.3019' + '8'.repeat(8);
  const dict = new dcmjs.data.DicomDict({
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [sopClass] },
    '00020003': { vr: 'UI', Value: [uid + '3'] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.1'] },
  });
  dict.dict = {
    '00080016': { vr: 'UI', Value: [sopClass] },
    '00080018': { vr: 'UI', Value: [uid + '3'] },
    '00080060': { vr: 'CS', Value: ['OT'] },
    '0020000D': { vr: 'UI', Value: [uid + '1'] },
    '0020000E': { vr: 'UI', Value: [uid + '2'] },
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
    '00280010': { vr: 'US', Value: [side] },
    '00280011': { vr: 'US', Value: [side] },
    '00280100': { vr: 'US', Value: [16] },
    '00280101': { vr: 'US', Value: [10] },
    '00280102': { vr: 'US', Value: [9] },
    '00280103': { vr: 'US', Value: [0] },
    '7FE00010': { vr: 'OW', Value: [pixels.buffer] },
  };
  writeFileSync(path, new Uint8Array(dict.write()));
}

const work = mkdtempSync(join(tmpdir(), 'codec-warmup-'));
try {
  const raw8 = join(work, 'raw8.dcm');
  writeSyntheticRun(raw8, { name: 'codec-warmup', rows: SIDE, columns: SIDE, frames: FRAME + 1 });
  compress(codecs8, raw8, FRAME, work);

  const bytes8 = new Uint8Array(readFileSync(raw8));
  const pixelData = dicomParser.parseDicom(bytes8).elements.x7fe00010;
  const frame8 = bytes8.subarray(pixelData.dataOffset + FRAME * SIDE * SIDE, pixelData.dataOffset + (FRAME + 1) * SIDE * SIDE);
  const pixels = new Uint16Array(SIDE * SIDE);
  let seed = 7;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pixels[i] = Math.min(1023, frame8[i] * 4 + (seed >>> 30));
  }
  const raw16 = join(work, 'raw16.dcm');
  write10BitFrame(raw16, pixels);
  compress(codecs16, raw16, 0, work);

  // 64×64 blocks of 256 levels: nearly all code-blocks are empty, so the codestream is tiny.
  const blocks = new Uint16Array(J2K_MEMORY_SIDE * J2K_MEMORY_SIDE);
  for (let y = 0; y < J2K_MEMORY_SIDE; y++)
    for (let x = 0; x < J2K_MEMORY_SIDE; x++) blocks[y * J2K_MEMORY_SIDE + x] = ((x >> 6) + (y >> 6) * 16) * 4;
  const rawBlocks = join(work, 'blocks16.dcm');
  write10BitFrame(rawBlocks, blocks, J2K_MEMORY_SIDE);
  compress([{ file: `j2k-${J2K_MEMORY_SIDE}-16.j2k`, tool: 'gdcmconv', args: ['--j2k'] }], rawBlocks, 0, work);
} finally {
  rmSync(work, { recursive: true, force: true });
}
