/**
 * The real DICOM files in ../shared/dicom-corpus (see MANIFEST.md there), read in place and never
 * copied into the project. The corpus is present here and on CI: a missing file fails the test
 * that asks for it, loudly, instead of skipping it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const candidates = [
  fileURLToPath(new URL('../../../shared/dicom-corpus', import.meta.url)),
  resolve(process.cwd(), '../shared/dicom-corpus'),
];

export const CORPUS_DIR = candidates.find((dir) => existsSync(dir)) ?? candidates[0];

/** The path of a corpus file; throws, naming the folder, when it is not there. */
export function corpusFile(name: string): string {
  const path = join(CORPUS_DIR, name);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: these tests need the DICOM corpus (looked in ${[...new Set(candidates)].join(' and ')})`);
  }
  return path;
}
