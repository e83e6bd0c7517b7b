/**
 * Close all while a folder is being read: no further file of it is read and nothing of it is
 * returned, so a large folder does not go on taking the cores after the screen was cleared. And
 * how far a reading has got, for the viewer to say it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { openingText } from '../../src/format/text';
import { openFiles, type InputFile } from '../../src/io/openFiles';

const sampleBytes = new Uint8Array(readFileSync(fileURLToPath(new URL('../../sample-dicom/l4-lat-be8.dcm', import.meta.url))));

/** `count` copies of a sample in one folder, recording which files were read at all. */
function folderOfCopies(count: number, filesRead: Set<string>): InputFile[] {
  return Array.from({ length: count }, (_, i) => {
    const path = `STUDY/IM${i + 1}`;
    const source = bufferSource(`IM${i + 1}`, sampleBytes);
    const read = source.read.bind(source);
    return {
      path,
      source: {
        ...source,
        read: (offset: number, length: number) => {
          filesRead.add(path);
          return read(offset, length);
        },
      },
    };
  });
}

describe('opening files that Close all cancels', () => {
  it('stops reading files once cancelled and returns nothing', async () => {
    const filesRead = new Set<string>();
    const inputs = folderOfCopies(200, filesRead);
    const result = await openFiles(inputs, { cancelled: () => filesRead.size >= 20 });
    expect(result).toEqual({ runs: [], problems: [], skipped: [], doseReports: [] });
    // The reads already under way when it was cancelled end (8 at a time); no further one starts.
    expect(filesRead.size).toBeGreaterThanOrEqual(20);
    expect(filesRead.size).toBeLessThan(20 + 8);
  });

  it('reads every file when not cancelled', async () => {
    const filesRead = new Set<string>();
    const result = await openFiles(folderOfCopies(30, filesRead), { cancelled: () => false });
    expect(filesRead.size).toBe(30);
    // The same instance 30 times: one run, the copies skipped as duplicates.
    expect(result.runs).toHaveLength(1);
    expect(result.skipped).toHaveLength(29);
  });

  it('tells how many files are read as each header is read, the unreadable ones too', async () => {
    const inputs = folderOfCopies(12, new Set());
    inputs.push({ path: 'STUDY/README.TXT', source: bufferSource('README.TXT', new TextEncoder().encode('not DICOM')) });
    const told: Array<[number, number]> = [];
    await openFiles(inputs, { onFileRead: (read, total) => told.push([read, total]) });
    expect(told).toEqual(Array.from({ length: 13 }, (_, i) => [i + 1, 13]));
  });
});

describe('what the viewer says while files are read', () => {
  it('counts the files read when there are several', () => {
    expect(openingText(0, 1)).toBe('Opening…');
    expect(openingText(120, 2000)).toBe('Opening… 120 of 2000 files read');
  });
});
