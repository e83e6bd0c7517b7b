/**
 * A folder's other files (a CD's viewer, autorun, index page, read-me, .DS_Store) are listed as
 * skipped, not told as problems; a non-DICOM file chosen by name, or named .dcm inside a folder, and
 * a damaged DICOM file are still problems; a folder with nothing to show says so once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { openFiles, type InputFile } from '../../src/io/openFiles';

const sampleBytes = new Uint8Array(readFileSync(fileURLToPath(new URL('../../sample-dicom/l4-lat-be8.dcm', import.meta.url))));
const text = (s: string) => new TextEncoder().encode(s);
const input = (path: string, bytes: Uint8Array): InputFile => ({ source: bufferSource(path.split('/').pop()!, bytes), path });

const companions = [
  input('CD/AUTORUN.INF', text('[autorun]\nopen=VIEWER.EXE\n')),
  input('CD/README.TXT', text('Images of the study, and a viewer.\n')),
  input('CD/.DS_Store', new Uint8Array(0)),
  input(
    'CD/VIEWER/VIEWER.EXE',
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251),
  ),
  // macOS's metadata beside a file, named after it: not told even though it ends in .dcm.
  input('CD/DICOM/._IM3.dcm', text('\u0000\u0005\u0016\u0007Mac OS X')),
];

describe('a folder’s files that are not DICOM', () => {
  it('are skipped with their reason while the folder’s run opens, and no problem is told', async () => {
    const result = await openFiles([input('CD/DICOM/IM1', sampleBytes), ...companions]);
    expect(result.runs).toHaveLength(1);
    expect(result.problems).toEqual([]);
    expect(result.skipped).toEqual([
      { file: 'CD/AUTORUN.INF', reason: 'not a DICOM file (no DICM marker and no recognisable data set)' },
      { file: 'CD/README.TXT', reason: 'not a DICOM file (no DICM marker and no recognisable data set)' },
      { file: 'CD/.DS_Store', reason: 'empty file' },
      { file: 'CD/VIEWER/VIEWER.EXE', reason: 'not a DICOM file (no DICM marker and no recognisable data set)' },
      { file: 'CD/DICOM/._IM3.dcm', reason: 'not a DICOM file (no DICM marker and no recognisable data set)' },
    ]);
  });

  it('are problems when chosen by name, or named as DICOM inside a folder', async () => {
    const result = await openFiles([
      input('holiday.jpg', text('JFIF')),
      input('CD/DICOM/IM2.dcm', text('not really')),
      input('CD/DICOM/IM1', sampleBytes),
    ]);
    expect(result.runs).toHaveLength(1);
    expect(result.problems.map((p) => p.file)).toEqual(['holiday.jpg', 'CD/DICOM/IM2.dcm']);
    expect(result.skipped).toEqual([]);
  });

  it('leave a damaged DICOM file of the folder a problem', async () => {
    const cut = sampleBytes.slice(0, 200); // the DICM marker, then the header cut off
    const result = await openFiles([input('CD/DICOM/IM1', cut), ...companions]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].file).toBe('CD/DICOM/IM1');
    expect(result.skipped).toHaveLength(companions.length);
  });

  it('make a folder with no image say so once, naming the folder', async () => {
    const result = await openFiles(companions);
    expect(result.runs).toEqual([]);
    expect(result.problems).toEqual([
      { file: 'CD', reason: 'no image to show among its 5 files (none is DICOM; listed under Runs as skipped)' },
    ]);
    expect(result.skipped).toHaveLength(5);
  });
});
