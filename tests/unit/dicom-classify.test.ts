import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { classifyInstance, readDicomDir } from '../../src/dicom/classify';
import { readHeader } from '../../src/dicom/header';
import { dicomParser } from '../../src/dicom/parserLib';
import { buildDicom, el, imageElements } from '../support/dicom/syntheticDicom';
import type { ElementSpec } from '../support/dicom/syntheticDicom';

async function classOf(sopClassUID: string, withPixels = false, transferSyntaxUID?: string) {
  const elements = withPixels
    ? imageElements({ rows: 2, columns: 2, sopClassUID })
    : [el(0x00080016, 'UI', sopClassUID), el(0x00080018, 'UI', '1.2.3')];
  const bytes = buildDicom({
    elements,
    transferSyntaxUID,
    pixelData: withPixels ? { kind: 'native', bytes: new Uint8Array(4) } : undefined,
  });
  return classifyInstance(await readHeader(bufferSource('c.dcm', bytes)));
}

describe('classifyInstance', () => {
  it('accepts XA, RF and secondary capture images', async () => {
    for (const uid of ['1.2.840.10008.5.1.4.1.1.12.1', '1.2.840.10008.5.1.4.1.1.12.2', '1.2.840.10008.5.1.4.1.1.7']) {
      expect(await classOf(uid, true)).toEqual({ kind: 'image' });
    }
  });

  it.each([
    ['1.2.840.10008.5.1.4.1.1.88.33', 'Comprehensive Structured Report — not an image'],
    ['1.2.840.10008.5.1.4.1.1.88.99', 'Structured Report — not an image'],
    ['1.2.840.10008.5.1.4.1.1.88.59', 'Key Object Selection document — not an image'],
    ['1.2.840.10008.5.1.4.1.1.11.5', 'XA/XRF Grayscale Softcopy Presentation State — not an image'],
    ['1.2.840.10008.5.1.4.1.1.11.42', 'Presentation State — not an image'],
    ['1.2.840.10008.5.1.4.1.1.104.1', 'Encapsulated PDF — not an image'],
    ['1.2.840.10008.5.1.4.1.1.9.1.1', '12-lead ECG waveform — not an image'],
    ['1.2.840.10008.5.1.4.1.1.9.6.1', 'Waveform — not an image'],
    ['1.2.840.10008.5.1.4.1.1.66.4', 'Segmentation — not an image'],
  ])('names %s in words', async (uid, reason) => {
    expect(await classOf(uid)).toEqual({ kind: 'non-image', reason });
  });

  it.each([
    ['1.2.840.10008.5.1.4.1.1.88.67', 'X-Ray Radiation Dose Structured Report — not an image'],
    ['1.2.840.10008.5.1.4.1.1.88.76', 'Enhanced X-Ray Radiation Dose Structured Report — not an image'],
  ])('skips %s for display but marks it as a dose report to read', async (uid, reason) => {
    expect(await classOf(uid)).toEqual({ kind: 'non-image', reason, doseReport: true });
  });

  it('explains an instance without pixel data', async () => {
    expect(await classOf('1.2.3.4.5.6')).toEqual({ kind: 'non-image', reason: 'no pixel data (SOP class 1.2.3.4.5.6) — not an image' });
    const cutImage = buildDicom({ elements: imageElements({ rows: 2, columns: 2 }) });
    expect(classifyInstance(await readHeader(bufferSource('cut.dcm', cutImage)))).toEqual({
      kind: 'non-image',
      reason: 'has image attributes but no Pixel Data (7FE0,0010); the file may be cut off',
    });
  });

  it('refuses video transfer syntaxes by name', async () => {
    expect(await classOf('1.2.840.10008.5.1.4.1.1.77.1.4.1', true, '1.2.840.10008.1.2.4.102')).toEqual({
      kind: 'non-image',
      reason: 'MPEG-4 AVC/H.264 video — video transfer syntaxes are not supported',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// DICOMDIR

type RecordSpec = { name: string; type: string; attrs: ElementSpec[]; next?: string; lower?: string; inactive?: boolean };

/** Builds a DICOMDIR whose record offsets point where the standard says: to each item's tag. */
function buildDicomDir(records: RecordSpec[], root: string): Uint8Array {
  const build = (offsets: Map<string, number>) =>
    buildDicom({
      mediaStorageSOPClassUID: '1.2.840.10008.1.3.10',
      elements: [
        el(0x00041130, 'CS', 'CASE'),
        el(0x00041200, 'UL', [offsets.get(root) ?? 0]),
        el(0x00041202, 'UL', [0]),
        el(0x00041212, 'US', [0]),
        el(
          0x00041220,
          'SQ',
          records.map((r) => [
            el(0x00041400, 'UL', [r.next ? (offsets.get(r.next) ?? 0) : 0]),
            el(0x00041410, 'US', [r.inactive ? 0 : 0xffff]),
            el(0x00041420, 'UL', [r.lower ? (offsets.get(r.lower) ?? 0) : 0]),
            el(0x00041430, 'CS', r.type),
            ...r.attrs,
          ]),
        ),
      ],
    });
  const draft = build(new Map());
  const items = dicomParser.parseDicom(draft).elements['x00041220'].items ?? [];
  return build(new Map(records.map((r, i) => [r.name, items[i].dataOffset - 8])));
}

const image = (name: string, path: string, uid: string, next?: string): RecordSpec => ({
  name,
  type: 'IMAGE',
  next,
  attrs: [
    el(0x00041500, 'CS', path),
    el(0x00041510, 'UI', '1.2.840.10008.5.1.4.1.1.12.1'),
    el(0x00041511, 'UI', uid),
    el(0x00041512, 'UI', '1.2.840.10008.1.2.4.50'),
  ],
});

describe('readDicomDir', () => {
  // File order differs from the hierarchy on purpose: series B's image sits between series A's.
  const records: RecordSpec[] = [
    { name: 'patient', type: 'PATIENT', lower: 'study', attrs: [el(0x00100010, 'PN', 'Doe^Jane'), el(0x00100020, 'LO', 'P1')] },
    {
      name: 'study',
      type: 'STUDY',
      lower: 'seriesA',
      attrs: [el(0x0020000d, 'UI', '1.2.3'), el(0x00080020, 'DA', '20240312'), el(0x00081030, 'LO', 'TFESI')],
    },
    {
      name: 'seriesA',
      type: 'SERIES',
      next: 'seriesB',
      lower: 'a1',
      attrs: [el(0x0020000e, 'UI', '1.2.3.1'), el(0x00080060, 'CS', 'XA'), el(0x00200011, 'IS', '1')],
    },
    {
      name: 'seriesB',
      type: 'SERIES',
      lower: 'b1',
      attrs: [el(0x0020000e, 'UI', '1.2.3.2'), el(0x00080060, 'CS', 'RF'), el(0x00200011, 'IS', '2')],
    },
    image('a1', 'DICOM\\ST000\\SE000\\IM000', '1.2.3.1.1', 'a2'),
    image('b1', 'DICOM\\ST000\\SE001\\IM000', '1.2.3.2.1', 'b-gone'),
    image('a2', 'DICOM\\ST000\\SE000\\IM001', '1.2.3.1.2'),
    { ...image('b-gone', 'DICOM\\ST000\\SE001\\IM001', '1.2.3.2.2'), inactive: true },
  ];

  it('is classified as a DICOMDIR', async () => {
    const header = await readHeader(bufferSource('DICOMDIR', buildDicomDir(records, 'patient')));
    expect(classifyInstance(header)).toEqual({ kind: 'dicomdir' });
  });

  it('lists IMAGE records with file IDs joined by "/" and their place in the hierarchy', async () => {
    const header = await readHeader(bufferSource('DICOMDIR', buildDicomDir(records, 'patient')));
    const entries = await readDicomDir(header);
    expect(entries.map((e) => [e.fileId, e.series.instanceUID])).toEqual([
      ['DICOM/ST000/SE000/IM000', '1.2.3.1'],
      ['DICOM/ST000/SE000/IM001', '1.2.3.1'],
      ['DICOM/ST000/SE001/IM000', '1.2.3.2'],
    ]);
    expect(entries[0]).toEqual({
      fileId: 'DICOM/ST000/SE000/IM000',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.12.1',
      sopInstanceUID: '1.2.3.1.1',
      transferSyntaxUID: '1.2.840.10008.1.2.4.50',
      patient: { id: 'P1', name: 'Doe^Jane' },
      study: { instanceUID: '1.2.3', date: '20240312', description: 'TFESI' },
      series: { instanceUID: '1.2.3.1', modality: 'XA', number: '1', description: '' },
    });
  });

  it('falls back to file order when the offsets do not resolve', async () => {
    const bytes = buildDicomDir(records, 'patient');
    const header = await readHeader(bufferSource('DICOMDIR', bytes));
    // Point the root offset nowhere.
    header.dataSet.elements['x00041200'].dataOffset = header.dataSet.elements['x00041202'].dataOffset;
    const entries = await readDicomDir(header);
    expect(entries.map((e) => e.fileId)).toEqual(['DICOM/ST000/SE000/IM000', 'DICOM/ST000/SE001/IM000', 'DICOM/ST000/SE000/IM001']);
    expect(entries[0].series.instanceUID).toBe('1.2.3.2'); // file order can only guess: the last series seen
  });

  it('accepts the whole file as bytes', async () => {
    const bytes = buildDicomDir(records, 'patient');
    const header = await readHeader(bufferSource('DICOMDIR', bytes));
    expect((await readDicomDir(header, bytes)).length).toBe(3);
  });
});
