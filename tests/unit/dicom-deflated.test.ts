/**
 * Deflated Explicit VR Little Endian (PS3.5 A.5): files written by DCMTK's `dcmconv +td` open as
 * their explicit VR little endian originals do (same RunInfo, same frame bytes), and a damaged
 * stream is named as such.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, zlibSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { inflateDeflatedFile } from '../../src/dicom/deflated';
import { readHeader } from '../../src/dicom/header';
import type { OpenedRun } from '../../src/dicom/run';
import { DicomInputError } from '../../src/dicom/types';
import { createDeidCase, deidentifyInstance, readSourceInstance } from '../../src/export/deid';
import { openFiles } from '../../src/io/openFiles';
import { corpusFile } from '../support/corpus';
import { SAMPLE_DIR } from '../support/samples';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';

const DEFLATED = '1.2.840.10008.1.2.1.99';
const EXPLICIT = '1.2.840.10008.1.2.1';
const dir = mkdtempSync(join(tmpdir(), 'fluorolens-deflated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** DCMTK's deflated copy of `source`. */
function deflatedCopy(source: string, name: string): string {
  const file = join(dir, name);
  execFileSync('dcmconv', ['+td', source, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return file;
}

async function open(path: string) {
  const result = await openFiles([{ source: bufferSource(path, new Uint8Array(readFileSync(path))), path }]);
  expect(result.problems).toEqual([]);
  expect(result.runs).toHaveLength(1);
  return result.runs[0];
}

/** `run` holds the same frames, byte for byte, as `reference`. */
async function expectSameFrames(run: OpenedRun, reference: OpenedRun): Promise<void> {
  expect(run.frames.length).toBe(reference.frames.length);
  for (let i = 0; i < reference.frames.length; i++) {
    const [want, got] = [reference.frames[i], run.frames[i]];
    if (!want.ok || !got.ok) throw new Error(`frame ${i + 1} not readable`);
    expect(Buffer.from(await got.source.read()).equals(Buffer.from(await want.source.read())), `frame ${i + 1}`).toBe(true);
  }
}

/** A synthetic file whose data set (after the File Meta group) is replaced by `encode` of it, its meta naming the deflated syntax. */
function syntheticDeflated(encode: (dataSet: Uint8Array) => Uint8Array): Uint8Array {
  const plain = buildDicom({
    transferSyntaxUID: DEFLATED,
    elements: [...imageElements({ rows: 4, columns: 4 }), el(0x00081030, 'LO', 'DEFLATED STUDY')],
    pixelData: { kind: 'native', bytes: Uint8Array.from({ length: 16 }, (_, i) => i * 9) },
  });
  // The File Meta group ends where group 0002 does.
  let at = 132;
  while (plain[at] === 0x02 && plain[at + 1] === 0x00) {
    const long = ['OB', 'UN', 'UT', 'SQ'].includes(String.fromCharCode(plain[at + 4], plain[at + 5]));
    const length = long ? new DataView(plain.buffer, plain.byteOffset).getUint32(at + 8, true) : plain[at + 6] | (plain[at + 7] << 8);
    at += (long ? 12 : 8) + length;
  }
  const stream = encode(plain.subarray(at));
  const out = new Uint8Array(at + stream.length);
  out.set(plain.subarray(0, at));
  out.set(stream, at);
  return out;
}

describe('Deflated Explicit VR Little Endian', () => {
  it.each([
    ['the sample run l3-mbb-ftv (explicit VR little endian, Frame Time Vector)', join(SAMPLE_DIR, 'l3-mbb-ftv.dcm')],
    ['the corpus 10-bit XA image (uncompressed)', corpusFile('xa1_wg04_1024_10bit_uncompressed.dcm')],
  ])('%s opens deflated as it opens plain: same RunInfo, same frames', async (_label, source) => {
    const deflated = deflatedCopy(source, `deflated-${source.split('/').pop()}`);
    expect(execFileSync('dcmdump', ['-M', '+P', '0002,0010', deflated], { encoding: 'utf8' })).toMatch(/DeflatedLittleEndianExplicit/);
    const plain = await open(source);
    const inflated = await open(deflated);
    expect(inflated.info).toEqual(plain.info);
    expect(inflated.info.transferSyntaxUID).toBe(EXPLICIT);
    await expectSameFrames(inflated, plain);
  });

  it('de-identifies: the copy is explicit VR little endian, DCMTK reads it, its frames are the original’s', async () => {
    const source = join(SAMPLE_DIR, 'l3-mbb-ftv.dcm');
    const deflated = deflatedCopy(source, 'deid-source.dcm');
    const instance = await readSourceInstance(bufferSource('deid-source.dcm', new Uint8Array(readFileSync(deflated))));
    const output = deidentifyInstance(instance, await createDeidCase([instance], { appVersion: 'test' }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of output.chunks()) chunks.push(chunk);
    const file = join(dir, 'deid-out.dcm');
    writeFileSync(file, Buffer.concat(chunks));
    expect(output.transferSyntaxUID).toBe(EXPLICIT);
    expect(execFileSync('dcmdump', ['-M', '+P', '0002,0010', file], { encoding: 'utf8' })).toMatch(/LittleEndianExplicit/);
    const [original, copy] = [await open(source), await open(file)];
    await expectSameFrames(copy, original);
  });

  it('says so in the header warnings, and reads the File Meta as explicit VR little endian after', async () => {
    const header = await readHeader(
      bufferSource(
        'd.dcm',
        syntheticDeflated((d) => deflateSync(d)),
      ),
    );
    expect(header.transferSyntaxUID).toBe(EXPLICIT);
    expect(header.dataSet.string('x00081030')).toBe('DEFLATED STUDY');
    expect(header.warnings).toContain('stored as Deflated Explicit VR Little Endian; inflated whole when opened');
    // The group length still covers the group exactly (the UID got 2 bytes shorter).
    const bytes = await header.source.read(0, header.source.size);
    const groupLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(132 + 8, true);
    expect(bytes[132 + 12 + groupLength]).toBe(0x08);
  });

  it('accepts a zlib-wrapped stream (written against the standard by some tools)', async () => {
    const header = await readHeader(
      bufferSource(
        'z.dcm',
        syntheticDeflated((d) => zlibSync(d)),
      ),
    );
    expect(header.dataSet.string('x00081030')).toBe('DEFLATED STUDY');
  });

  it('names a damaged stream as the file’s fault, with the file', async () => {
    const bytes = syntheticDeflated(() => Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
    const error = await readHeader(bufferSource('broken.dcm', bytes)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DicomInputError);
    expect((error as DicomInputError).message).toMatch(
      /^broken\.dcm: the deflated data set cannot be inflated \(.+\): the file is damaged$/,
    );
  });

  it('inflateDeflatedFile leaves the preamble and the other File Meta elements as they were', async () => {
    const bytes = syntheticDeflated((d) => deflateSync(d));
    const out = await inflateDeflatedFile('d.dcm', bytes, 132);
    expect(Buffer.from(out.subarray(0, 132)).equals(Buffer.from(bytes.subarray(0, 132)))).toBe(true);
    expect(Buffer.from(out).includes(Buffer.from(`${EXPLICIT}\0`))).toBe(true);
    expect(Buffer.from(out).includes(Buffer.from(DEFLATED))).toBe(false);
  });
});
