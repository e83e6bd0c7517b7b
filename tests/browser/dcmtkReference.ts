/**
 * Reference renderings by DCMTK, a renderer nobody here wrote: `dcm2pnm` (native and RLE),
 * `dcmj2pnm` (the same program with the JPEG codecs) and `dcml2pnm` (with JPEG-LS). All three
 * share dcmimgle's display pipeline: Modality LUT (Rescale or the Modality LUT Sequence, which it
 * ignores for XA and XRF as the standard asks), VOI window, MONOCHROME1 drawn inverted, 8 bits out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GreyImage {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  grey: Uint8Array;
}

/** Which window DCMTK applies: the file's first, the frame's min–max, or an explicit one. */
export type ReferenceWindow =
  | { kind: 'file' }
  | { kind: 'min-max' }
  | { kind: 'set'; center: number; width: number }
  /** The file's VOI LUT Sequence item `index` (1-based). */
  | { kind: 'lut'; index: number };

const JPEG_LS = ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'];

function transferSyntaxOf(file: string): string {
  const dump = execFileSync('dcmdump', ['-q', '-Un', '+P', '0002,0010', file], { encoding: 'utf8' });
  return /\[([0-9.]+)\]/.exec(dump)?.[1] ?? '';
}

/** The DCMTK renderer that has the codec for this file's transfer syntax. */
function rendererFor(file: string): string {
  const uid = transferSyntaxOf(file);
  if (JPEG_LS.includes(uid)) return 'dcml2pnm';
  if (uid.startsWith('1.2.840.10008.1.2.4.')) return 'dcmj2pnm';
  return 'dcm2pnm';
}

function windowArgs(window: ReferenceWindow): string[] {
  if (window.kind === 'file') return ['+Wi', '1'];
  if (window.kind === 'min-max') return ['+Wm'];
  if (window.kind === 'lut') return ['+Wl', String(window.index)];
  return ['+Ww', String(window.center), String(window.width)];
}

/** Parses a binary PGM (P5, maxval ≤ 255) as DCMTK writes it. */
export function parsePgm(bytes: Uint8Array): GreyImage {
  const header: string[] = [];
  let at = 0;
  while (header.length < 4) {
    while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]))) at++;
    if (bytes[at] === 0x23) {
      while (at < bytes.length && bytes[at] !== 0x0a) at++;
      continue;
    }
    let token = '';
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]))) token += String.fromCharCode(bytes[at++]);
    header.push(token);
  }
  at++; // the single whitespace after maxval
  const [magic, width, height, maxval] = header;
  if (magic !== 'P5' || Number(maxval) > 255) throw new Error(`not an 8-bit binary PGM (${header.join(' ')})`);
  const grey = bytes.slice(at, at + Number(width) * Number(height));
  if (grey.length !== Number(width) * Number(height)) throw new Error('PGM data is cut off');
  return { width: Number(width), height: Number(height), grey };
}

/**
 * DCMTK's rendering of one frame (1-based) of a file with the given window; its overlay planes
 * drawn (DCMTK's default) unless `overlays` is false.
 */
export function dcmtkRender(file: string, frame: number, window: ReferenceWindow, overlays = true): GreyImage {
  const dir = mkdtempSync(join(tmpdir(), 'fluorolens-dcm2pnm-'));
  try {
    const out = join(dir, 'frame.pgm');
    execFileSync(rendererFor(file), ['+F', String(frame), ...windowArgs(window), ...(overlays ? [] : ['-O']), '+op', file, out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return parsePgm(new Uint8Array(readFileSync(out)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** DCMTK's verbose image details (it logs them to stderr). */
function imageInfo(file: string, args: string[]): string {
  const result = spawnSync(rendererFor(file), ['-v', '-im', '-o', ...args, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${rendererFor(file)} failed on ${file}:\n${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`;
}

/**
 * The window DCMTK's min–max algorithm gives for one frame (centre (min+max+1)/2, width
 * max−min+1, over modality values), so later frames can be rendered with frame 1's window.
 */
export function dcmtkMinMaxWindow(file: string, frame: number): { center: number; width: number } {
  const info = imageInfo(file, ['+F', String(frame)]);
  const value = (name: string) => Number(new RegExp(`${name} pixel value\\s*:\\s*(-?[0-9.e+]+)`).exec(info)?.[1]);
  const min = value('minimum');
  const max = value('maximum');
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`DCMTK did not report the value range of ${file}:\n${info}`);
  return { center: (min + max + 1) / 2, width: max - min + 1 };
}

/** Number of VOI LUT Sequence items DCMTK finds in the file. */
export function dcmtkVoiLutCount(file: string): number {
  return Number(/VOI LUTs in file\s*:\s*(\d+)/.exec(imageInfo(file, []))?.[1] ?? 0);
}

/** Number of VOI windows DCMTK finds in the file (0: the viewer falls back to min–max). */
export function dcmtkWindowCount(file: string): number {
  const info = imageInfo(file, []);
  return Number(/VOI windows in file\s*:\s*(\d+)/.exec(info)?.[1] ?? 0);
}
