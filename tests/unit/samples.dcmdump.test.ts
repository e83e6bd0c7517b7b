/**
 * DCMTK reads every sample file without an error or a warning, DCMTK's own RLE decoder (dcmdrle)
 * turns the RLE runs into exactly the pixels their truth files describe, and dicom3tools'
 * dciodvfy finds no IOD errors. The tools are required, not optional: `npm test` installs them
 * (scripts/ensure-test-tools.mjs), and a missing one fails here with the package to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fnv1aPixelHash } from '../../src/dicom/pixelHash';
import { RLE_LOSSLESS, SAMPLE_DIR, dicomParser, listFiles, readTruths } from '../support/samples';

const which = (tool: string): string | null => {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return null;
};
/** The tool's path; throws (failing the test) with the Debian package to install when it is missing. */
const required = (tool: string, debianPackage: string): string => {
  const path = which(tool);
  if (!path) throw new Error(`${tool} is not installed: apt-get install ${debianPackage} (npm test installs it)`);
  return path;
};
const dcmdump = () => required('dcmdump', 'dcmtk');
const dcmdrle = () => required('dcmdrle', 'dcmtk');
const dciodvfy = () => required('dciodvfy', 'dicom3tools');

const files = existsSync(SAMPLE_DIR) ? listFiles(SAMPLE_DIR).filter((f) => f.endsWith('.dcm')) : [];
const truths = readTruths();
const runFiles = new Set(truths.flatMap((t) => t.files));
const tmp = mkdtempSync(join(tmpdir(), 'fluorolens-dcmtk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('sample-dicom read by DCMTK and dicom3tools', () => {
  it('has sample files to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });

  it.each(files)('dcmdump reads %s cleanly', (file) => {
    // -dc: no automatic data correction, so anything DCMTK would have to fix is reported.
    const r = spawnSync(dcmdump(), ['-dc', '+L', join(SAMPLE_DIR, file)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr, `${file}: dcmdump stderr`).toBe('');
    expect(r.status, `${file}: dcmdump exit status`).toBe(0);
    // Run files hold pixels; the case's dose report (an SR) does not.
    if (runFiles.has(file)) expect(r.stdout).toContain('(7fe0,0010)');
    else expect(r.stdout).toContain('XRayRadiationDoseSRStorage');
  });

  const rleRuns = truths.filter((t) => t.transferSyntaxUID === RLE_LOSSLESS);
  it.each(rleRuns.map((t) => [t.run, t] as const))(
    'dcmdrle decodes %s to the generator’s pixels',
    (_run, truth) => {
      const out = join(tmp, `${truth.run}.native.dcm`);
      const r = spawnSync(dcmdrle(), [join(SAMPLE_DIR, truth.files[0]), out], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const frameBytes = truth.rows * truth.columns * (truth.bitsAllocated / 8);
      const bytes = new Uint8Array(readFileSync(out));
      const ds = dicomParser.parseDicom(bytes);
      expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1');
      const pixel = ds.elements.x7fe00010;
      expect(pixel.length).toBe(frameBytes * truth.frames);
      for (let k = 0; k < truth.frames; k++) {
        const copy = bytes.slice(pixel.dataOffset + k * frameBytes, pixel.dataOffset + (k + 1) * frameBytes);
        const values = truth.bitsAllocated === 8 ? copy : new Uint16Array(copy.buffer, 0, truth.rows * truth.columns);
        expect(fnv1aPixelHash(values), `${truth.run} frame ${k + 1}`).toBe(truth.frameHashes[k]);
      }
      expect(statSync(out).size).toBeGreaterThan(frameBytes * truth.frames);
      rmSync(out);
    },
    60_000,
  );

  it.each(files)('dciodvfy finds no errors in %s', (file) => {
    const r = spawnSync(dciodvfy(), [join(SAMPLE_DIR, file)], { encoding: 'utf8' });
    const errors = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /^Error/.test(l));
    expect(errors, file).toEqual([]);
  });
});
