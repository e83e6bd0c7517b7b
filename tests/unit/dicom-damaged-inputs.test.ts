/**
 * Every corpus file and sample run, cut short and overwritten at seeded places (the header and the
 * pixel data alike), opened and every frame read: nothing throws, and whatever is wrong is said in
 * the viewer's own words, naming the file. A fuzz of this kind found dicom-parser's bare
 * "readFixedString: attempt to read past end of buffer" reaching the user, and an RLE run cut
 * short losing every frame after the first.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { openFiles } from '../../src/io/openFiles';
import { CORPUS_DIR, corpusFile } from '../support/corpus';

const SAMPLE_DIR = fileURLToPath(new URL('../../sample-dicom', import.meta.url));
const files = [
  ...readdirSync(corpusFile('MANIFEST.md').replace(/MANIFEST\.md$/, ''))
    .filter((f) => f.endsWith('.dcm'))
    .map((f) => join(CORPUS_DIR, f)),
  ...readdirSync(SAMPLE_DIR)
    .filter((f) => f.endsWith('.dcm'))
    .map((f) => join(SAMPLE_DIR, f)),
];

/** Words that only a library or a slip of ours would put in a message. */
const NOT_OURS = /dicomParser|TypeError|RangeError|undefined|NaN|\[object|is not a function|Cannot read/;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Copies of `whole`: cut at seeded places, and with a few bytes overwritten, mostly in the header. */
function damagedCopies(whole: Uint8Array, next: () => number): Array<[string, Uint8Array]> {
  const copies: Array<[string, Uint8Array]> = [];
  const headerEnd = Math.min(whole.length, 8000);
  for (let k = 0; k < 16; k++) {
    const cut = Math.floor(next() * (k % 2 ? whole.length : headerEnd));
    copies.push([`cut at ${cut}`, whole.slice(0, cut)]);
  }
  for (let k = 0; k < 24; k++) {
    const copy = whole.slice();
    const at = Math.floor(next() * (k % 3 ? headerEnd : whole.length));
    for (let j = 0; j < 6 && at + j < copy.length; j++) copy[at + j] = Math.floor(next() * 256);
    copies.push([`overwritten at ${at}`, copy]);
  }
  return copies;
}

it('opens damaged copies of every corpus file and sample run without throwing, saying what is wrong in words', async () => {
  const next = seeded(20261205);
  const said: string[] = [];
  let opened = 0;
  for (const path of files) {
    const whole = new Uint8Array(readFileSync(path));
    for (const [damage, bytes] of damagedCopies(whole, next)) {
      const name = `${path.split('/').pop()} (${damage})`;
      const result = await openFiles([{ source: bufferSource(name, bytes), path: name }]);
      for (const problem of result.problems) {
        expect(problem.file, problem.reason).toBe(name);
        said.push(problem.reason);
      }
      for (const run of result.runs) {
        opened++;
        said.push(...run.problems);
        for (const frame of run.frames) {
          if (!frame.ok) said.push(frame.reason);
          // A frame that cannot be read says why, naming the file, as the viewer then shows it.
          else await frame.source.read().catch((error: unknown) => said.push(error instanceof Error ? error.message : String(error)));
        }
        if (run.laterProblems) said.push(...(await run.laterProblems));
      }
    }
  }
  expect(opened, 'some damaged copies still open (their damage lies in the pixel data)').toBeGreaterThan(files.length);
  expect(said.length).toBeGreaterThan(files.length);
  expect(said.filter((message) => NOT_OURS.test(message) || message.trim() === '')).toEqual([]);
}, 60_000);
