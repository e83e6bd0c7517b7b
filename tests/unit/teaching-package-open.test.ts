/**
 * Finding teaching packages among opened files (io/teachingPackage.ts): a .zip, or the unpacked
 * folder; any other zip gives its files to open as a folder's; other files are left to open as usual.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/io/byteSources';
import type { InputFile } from '../../src/io/openFiles';
import { openFiles } from '../../src/io/openFiles';
import { splitTeachingPackages } from '../../src/io/teachingPackage';
import { unzipPackage, writeTeachingPackage } from '../../src/export/package';
import { fileSource } from './exportSupport';
import { SAMPLE_DIR } from '../support/samples';

const input = (path: string, bytes: Uint8Array): InputFile => ({ path, source: bytesSource(bytes, path) });
let zip: Uint8Array;

beforeAll(async () => {
  const parts: Uint8Array[] = [];
  await writeTeachingPackage(
    {
      title: 'Lateral view',
      learningPoints: [],
      runs: [{ label: 'Lateral', files: [fileSource(join(SAMPLE_DIR, 'l5-lateral-rect-256.dcm'))], document: null }],
      appVersion: 'test',
    },
    (chunk) => void parts.push(chunk.slice()),
  );
  zip = Buffer.concat(parts);
});

describe('teaching packages among opened files', () => {
  it('reads a zip and hands its DICOM files on as inputs that open as a run', async () => {
    const other = input('other/l3.dcm', readFileSync(join(SAMPLE_DIR, 'l3-mbb-ftv.dcm')));
    const split = await splitTeachingPackages([input('case.zip', zip), other]);
    expect(split.problems).toEqual([]);
    expect(split.rest).toEqual([other]);
    expect(split.packages).toHaveLength(1);
    const [pkg] = split.packages;
    expect(pkg.read.title).toBe('Lateral view');
    expect(pkg.runInputs.map((files) => files.map((f) => f.path))).toEqual([['case.zip/dicom/run-1/IM0001.dcm']]);
    const opened = await openFiles(pkg.runInputs.flat());
    expect(opened.problems).toEqual([]);
    expect(opened.runs.map((r) => r.info.frameCount)).toEqual([12]);
    expect(opened.runs[0].files?.map((f) => f.name)).toEqual(['case.zip/dicom/run-1/IM0001.dcm']);
  });

  it('reads the unpacked folder, by its manifest.json', async () => {
    const files = unzipPackage(zip).map((f) => input(`case/${f.path}`, f.bytes));
    const split = await splitTeachingPackages(files);
    expect(split.rest).toEqual([]);
    expect(split.packages.map((p) => p.runInputs.flat().map((f) => f.path))).toEqual([['case/dicom/run-1/IM0001.dcm']]);
  });

  it("passes over another program's manifest.json without reading its folder's files", async () => {
    const reads: string[] = [];
    const counted = (path: string, bytes: Uint8Array): InputFile => {
      const source = bytesSource(bytes, path);
      return { path, source: { ...source, read: (offset, length) => (reads.push(path), source.read(offset, length)) } };
    };
    const viewerManifest = new TextEncoder().encode(JSON.stringify({ name: 'CD viewer', start_url: 'index.html' }));
    const files = [counted('CD/manifest.json', viewerManifest), counted('CD/DICOM/IM1', readFileSync(join(SAMPLE_DIR, 'l3-mbb-ftv.dcm')))];
    const split = await splitTeachingPackages(files);
    expect(split.packages).toEqual([]);
    expect(split.rest).toEqual(files);
    expect(reads).toEqual(['CD/manifest.json']);
  });

  it('opens any other zip as the folder it holds (a study sent as a zip), and names a damaged or empty one', async () => {
    const study = zipSync({
      'STUDY/DICOM/IM1': new Uint8Array(readFileSync(join(SAMPLE_DIR, 'l3-mbb-ftv.dcm'))),
      'STUDY/DICOM/IM2': new Uint8Array(readFileSync(join(SAMPLE_DIR, 'l5-lateral-rect-256.dcm'))),
      'STUDY/README.TXT': new TextEncoder().encode('Images of the study.'),
    });
    const split = await splitTeachingPackages([
      input('study.zip', study),
      input('broken.zip', zip.subarray(0, 100)),
      input('empty.zip', zipSync({})),
    ]);
    expect(split.packages).toEqual([]);
    expect(split.rest.map((f) => f.path).sort()).toEqual([
      'study.zip/STUDY/DICOM/IM1',
      'study.zip/STUDY/DICOM/IM2',
      'study.zip/STUDY/README.TXT',
    ]);
    expect(split.problems.map((p) => p.file)).toEqual(['broken.zip', 'empty.zip']);
    expect(split.problems[0].reason).toMatch(/^is not a readable zip/);
    expect(split.problems[1].reason).toBe('is an empty zip');
    const opened = await openFiles(split.rest);
    expect(opened.runs.map((r) => r.info.frameCount).sort((a, b) => a - b)).toEqual([12, 30]);
    expect(opened.problems).toEqual([]);
    expect(opened.skipped.map((f) => f.file)).toEqual(['study.zip/STUDY/README.TXT']);
  });

  it('leaves a folder with some other manifest.json to open as usual', async () => {
    const files = [input('x/manifest.json', new TextEncoder().encode('{"name":"app"}')), input('x/a.dcm', new Uint8Array(10))];
    const split = await splitTeachingPackages(files);
    expect(split.packages).toEqual([]);
    expect(split.rest).toEqual(files);
  });
});
