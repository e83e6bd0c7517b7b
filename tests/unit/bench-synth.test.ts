import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headerFacts } from '../../scripts/bench/cases.mjs';
import { benchUids, writeSyntheticRun } from '../../scripts/bench/synth.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fluorolens-bench-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench: synthetic run writer', () => {
  const path = join(dir, 'tiny.dcm');
  const uids = writeSyntheticRun(path, { name: 'tiny', rows: 64, columns: 48, frames: 3, fps: 15, seed: 7 });

  it('writes a native 8-bit multi-frame file whose header says what it holds', () => {
    const facts = headerFacts(path);
    expect(facts).toMatchObject({
      rows: 64,
      columns: 48,
      frames: 3,
      bitsAllocated: 8,
      samplesPerPixel: 1,
      transferSyntax: '1.2.840.10008.1.2.1',
      runFps: 15,
    });
    expect(facts.uids).toEqual(benchUids('tiny'));
    expect(uids).toEqual(benchUids('tiny'));
  });

  it('ends with exactly the pixel bytes, and frames that differ (noise, moving needle) but keep the collimator black', () => {
    const size = statSync(path).size;
    const bytes = readFileSync(path);
    const frameBytes = 64 * 48;
    const frames = [0, 1, 2].map((f) => bytes.subarray(size - (3 - f) * frameBytes, size - (2 - f) * frameBytes));
    expect(Buffer.compare(frames[0], frames[1])).not.toBe(0);
    for (const frame of frames) {
      expect(frame[0]).toBe(0); // corner: outside the circular field
      expect(frame[32 * 48 + 24]).toBeGreaterThan(0); // centre: exposed
    }
  });

  it('is valid DICOM for DCMTK', () => {
    const dump = execFileSync('/usr/bin/dcmdump', ['-q', path], { encoding: 'utf8' });
    expect(dump).toContain('(0028,0008) IS [3]');
    expect(dump).toMatch(/\(7fe0,0010\) OB .*# 9216,/);
  });
});
