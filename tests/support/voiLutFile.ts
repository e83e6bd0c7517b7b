/**
 * Copies of DICOM files with a VOI LUT Sequence (0028,3010), written by DCMTK's dcmodify (which
 * re-encodes the LUT Data in the file's own byte order), for the tests of VOI LUT display.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface VoiLutSpec {
  /** Number of entries (the LUT Descriptor's first value). */
  entries: number;
  /** First value mapped (unsigned here). */
  first: number;
  /** Bits per entry: entries run 0 … 2^bits − 1. */
  bits: number;
  /** The curve, 0…1 in and out, sampled at each entry. */
  curve: (t: number) => number;
  explanation?: string;
}

/** The LUT's entries as the copy stores them. */
export function voiLutEntries(spec: VoiLutSpec): number[] {
  const top = 2 ** spec.bits - 1;
  return Array.from({ length: spec.entries }, (_, i) => Math.round(top * Math.min(1, Math.max(0, spec.curve(i / (spec.entries - 1))))));
}

/**
 * A copy of `source` in `dir` named `name`, with one VOI LUT Sequence item per spec; its Window
 * Center/Width (and their explanation) are removed unless `keepWindow`.
 */
export function withVoiLuts(source: string, dir: string, name: string, specs: VoiLutSpec[], keepWindow = false): string {
  const file = join(dir, name);
  copyFileSync(source, file);
  const args = ['-nb', '-imt'];
  if (!keepWindow) args.push('-ea', '(0028,1050)', '-ea', '(0028,1051)', '-ea', '(0028,1055)');
  specs.forEach((spec, index) => {
    const data = Buffer.alloc(spec.entries * 2);
    voiLutEntries(spec).forEach((entry, i) => data.writeUInt16LE(entry, i * 2));
    const dataFile = join(dir, `${basename(name)}-lut${index + 1}.bin`);
    writeFileSync(dataFile, data);
    const item = `(0028,3010)[${index}]`;
    args.push('-i', `${item}.(0028,3002)=${spec.entries}\\${spec.first}\\${spec.bits}`);
    if (spec.explanation) args.push('-i', `${item}.(0028,3003)=${spec.explanation}`);
    args.push('-if', `${item}.(0028,3006)=${dataFile}`);
  });
  execFileSync('dcmodify', [...args, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
}
