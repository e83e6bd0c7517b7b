/**
 * The de-identification check of issue 9: two XA files (the two planes of a biplane run) with
 * EVERY attribute of PS3.15 Table E.1-1 filled with a marker, private elements, a curve, an
 * overlay, an icon, a signature, padding, and the patient's name hidden in a date, a description,
 * an unlisted attribute and a nested code meaning. After a teaching-package export:
 *   - no marker appears in any byte of any file in the zip, in any file name, or in the zip;
 *   - dciodvfy reports no error on an output that it did not report on the input;
 *   - dcmdump reads every output; images in = images out; the originals are untouched;
 *   - dates moved by one offset (intervals kept), UIDs replaced consistently across both files
 *     and their references; the compressed frames are byte-identical.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationDocument } from '../../src/annotations/model';
import { emptyCaseRecord } from '../../src/annotations/model';
import {
  readTeachingPackage,
  unzipPackage,
  writeTeachingPackage,
  type PackageFile,
  type TeachingPackageResult,
} from '../../src/export/package';
import {
  allTags,
  buildMarkerFile,
  dciodvfyErrors,
  dcmdump,
  encapsulatedLayout,
  fileSource,
  findAll,
  parse,
  sha256,
  zipEntryTimes,
  which,
  type MarkerFile,
} from './exportSupport';
import { SAMPLE_DIR } from '../support/samples';

const tmp = mkdtempSync(join(tmpdir(), 'fluorolens-deid-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const base = new Uint8Array(readFileSync(join(SAMPLE_DIR, 'l4-tfesi-ap-512.dcm')));
const planes: Record<'A' | 'B', MarkerFile> = { A: buildMarkerFile(base, 'A'), B: buildMarkerFile(base, 'B') };
const inputPath = (plane: 'A' | 'B'): string => join(tmp, `input-${plane}.dcm`);
const outputPath = (entry: string): string => join(tmp, entry.replace(/\//g, '_'));
const allMarkers = new Map([...planes.A.markers, ...planes.B.markers]);

function documentFor(marker: MarkerFile, studyUid: string, seriesUid: string): AnnotationDocument {
  return {
    runRef: {
      studyInstanceUID: studyUid,
      seriesInstanceUID: seriesUid,
      sopInstanceUIDs: [marker.sopInstanceUID],
      frameCount: marker.frameCount,
    },
    tracks: [
      {
        id: 'needleTip-1',
        kind: 'needleTip',
        label: 'Needle tip',
        color: '#ffd400',
        keyframes: [
          { frame: 1, geometry: { tip: { x: 100, y: 120 } } },
          { frame: 30, geometry: { tip: { x: 240, y: 260 } } },
        ],
      },
      {
        id: 'target-1',
        kind: 'target',
        label: 'Target',
        color: '#00e676',
        keyframes: [{ frame: 30, geometry: { center: { x: 250, y: 262 }, radiusPx: 9 } }],
      },
      {
        id: 'caption-1',
        kind: 'caption',
        label: 'Caption',
        color: '#ffffff',
        text: 'Contrast outlines the L4 root',
        range: { from: 40, to: 60 },
        keyframes: [],
      },
    ],
    caseRecord: { ...emptyCaseRecord(), procedure: 'transforaminalEsi', levels: ['L4'], side: 'right', notes: 'Safe triangle approach' },
    calibration: null,
    vascularFlags: [],
    leadTips: [],
    extra: { fromNewerVersion: 'QZEXTRAFIELD' },
  };
}

let result: TeachingPackageResult;
let zip: Uint8Array;
let entries: PackageFile[];
const hashesBefore: Record<string, string> = {};

beforeAll(async () => {
  for (const plane of ['A', 'B'] as const) {
    writeFileSync(inputPath(plane), planes[plane].bytes);
    hashesBefore[plane] = sha256(inputPath(plane));
  }
  const uid = (plane: 'A' | 'B', tag: string): string => parse(planes[plane].bytes).string(tag)!;
  const chunks: Uint8Array[] = [];
  result = await writeTeachingPackage(
    {
      title: 'Right L4 transforaminal ESI, biplane',
      learningPoints: ['Tip at 6 o’clock of the pedicle on AP', 'Watch for vascular uptake'],
      runs: (['A', 'B'] as const).map((plane) => ({
        label: plane === 'A' ? 'AP' : 'Lateral',
        files: [fileSource(inputPath(plane))],
        document: documentFor(planes[plane], uid(plane, 'x0020000d'), uid(plane, 'x0020000e')),
        video: { format: 'mp4' as const, bytes: new TextEncoder().encode(`....ftypisom fake video of plane ${plane}`) },
        keyFrames: [{ frame: 30, png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), caption: 'Needle at target' }],
      })),
      quiz: { questions: [{ runIndex: 0, trackId: 'needleTip-1' }], contrastPatternRuns: [0] },
      secret: new Uint8Array(32).fill(42),
      appVersion: 'test',
    },
    (chunk) => {
      chunks.push(chunk.slice());
    },
  );
  zip = Buffer.concat(chunks);
  writeFileSync(join(tmp, 'case.zip'), zip);
  entries = unzipPackage(zip);
  for (const entry of entries) writeFileSync(outputPath(entry.path), entry.bytes);
}, 120_000);

const dicomEntries = (): PackageFile[] => entries.filter((e) => e.path.endsWith('.dcm'));
const outputOf = (plane: 'A' | 'B'): PackageFile => dicomEntries()[plane === 'A' ? 0 : 1];

describe('no marker leaves', () => {
  it('the input really carries every marker (the scan can find them)', () => {
    const text = Buffer.from(planes.A.bytes);
    const missing = [...planes.A.markers.keys()].filter((m) => findAll(text, m).length === 0);
    // The table rows we overwrote on purpose (names hidden in date, description) are the only absentees.
    expect(missing.map((m) => planes.A.markers.get(m)).sort()).toEqual([
      'Icon Image Sequence (00880200)',
      'Icon Image Sequence (00880200)',
      'Referenced Image Sequence (00081140)',
      'Referenced Image Sequence (00081140)',
      'Series Date (00080021)',
      'Study Description (00081030)',
    ]);
    expect(planes.A.markers.size).toBeGreaterThan(600);
  });

  it('writes the expected files', () => {
    expect(result.paths).toEqual([
      'dicom/run-1/IM0001.dcm',
      'annotations/run-1.json',
      'media/run-1.mp4',
      'media/run-1-frame-0030.png',
      'dicom/run-2/IM0001.dcm',
      'annotations/run-2.json',
      'media/run-2.mp4',
      'media/run-2-frame-0030.png',
      'case.html',
      'manifest.json',
    ]);
    expect(entries.map((e) => e.path).sort()).toEqual([...result.paths].sort());
  });

  it('finds no marker in any byte of any file, in any name, or in the zip itself', { timeout: 120_000 }, () => {
    const places: [string, Buffer][] = [
      ['the zip', Buffer.from(zip)],
      ...entries.map((e): [string, Buffer] => [e.path, Buffer.from(e.bytes)]),
    ];
    places.push(['the entry names', Buffer.from(entries.map((e) => e.path).join('\n'))]);
    const found: string[] = [];
    for (const [where, bytes] of places) {
      for (const [marker, what] of allMarkers) if (findAll(bytes, marker).length > 0) found.push(`${what} in ${where}`);
      for (const extra of ['QZEXTRAFIELD']) if (findAll(bytes, extra).length > 0) found.push(`document extra field in ${where}`);
    }
    expect(found).toEqual([]);
  });

  it('gives every zip entry the same 1980 time, not the export time', () => {
    const times = zipEntryTimes(zip);
    expect(times).toHaveLength(entries.length);
    for (const t of times) expect([t.date, t.time], t.name).toEqual([(0 << 9) | (1 << 5) | 1, 0]);
  });

  it('leaves no private element, curve or overlay group at any depth, and no number-valued table attribute as it was', () => {
    for (const plane of ['A', 'B'] as const) {
      const dataSet = parse(outputOf(plane).bytes);
      const tags = allTags(dataSet);
      expect(tags.filter((t) => parseInt(t.slice(1, 5), 16) % 2 === 1)).toEqual([]);
      expect(tags.filter((t) => /^x(50|60)/.test(t))).toEqual([]);
      const input = parse(planes[plane].bytes);
      const valueOf = (ds: typeof input, tag: string): string => {
        const element = ds.elements[`x${tag.toLowerCase()}`];
        return element ? Buffer.from(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length)).toString('hex') : '';
      };
      for (const tag of planes[plane].binaryTags) {
        expect(valueOf(input, tag), tag).not.toBe('');
        expect(valueOf(dataSet, tag), tag).not.toBe(valueOf(input, tag));
      }
    }
  });
});

describe('the outputs are valid DICOM', () => {
  it.skipIf(!which('dcmdump'))('dcmdump reads every output without an error', () => {
    for (const entry of dicomEntries()) {
      const dump = dcmdump(outputPath(entry.path), ['-dc']);
      expect(dump.status, entry.path).toBe(0);
      expect(dump.problems, entry.path).toEqual([]);
    }
  });

  it.skipIf(!which('dciodvfy'))('dciodvfy reports no error on an output that it did not report on its input', () => {
    for (const plane of ['A', 'B'] as const) {
      const before = new Set(dciodvfyErrors(inputPath(plane)));
      const after = dciodvfyErrors(outputPath(outputOf(plane).path));
      expect(
        after.filter((line) => !before.has(line)),
        plane,
      ).toEqual([]);
    }
  });

  it('keeps the number of images and the compressed frames byte for byte (Basic Offset Table and fragments)', () => {
    for (const plane of ['A', 'B'] as const) {
      const out = parse(outputOf(plane).bytes);
      expect(out.intString('x00280008')).toBe(planes[plane].frameCount);
      expect(out.string('x00020010')).toBe('1.2.840.10008.1.2.5');
      const before = encapsulatedLayout(planes[plane].bytes);
      const after = encapsulatedLayout(outputOf(plane).bytes);
      expect(after.basicOffsetTable).toEqual(before.basicOffsetTable);
      expect(after.fragments.length).toBe(planes[plane].frameCount);
      after.fragments.forEach((fragment, i) => expect(fragment.equals(before.fragments[i]), `frame ${i + 1}`).toBe(true));
    }
  });

  it('leaves the original files untouched', () => {
    for (const plane of ['A', 'B'] as const) expect(sha256(inputPath(plane))).toBe(hashesBefore[plane]);
  });

  it('records the de-identification', () => {
    const out = parse(outputOf('A').bytes);
    expect(out.string('x00120062')).toBe('YES');
    expect(out.string('x00280303')).toBe('MODIFIED');
    expect(out.string('x00100010')).toBe('TEACHING^CASE');
    expect(out.string('x00100020')).toMatch(/^TC-[0-9A-F]{8}$/);
    expect(out.string('x00120063')).toContain('PS3.15 2024e Basic Profile');
    const codes = out.elements.x00120064.items!.map((item) => [item.dataSet!.string('x00080100'), item.dataSet!.string('x00080102')]);
    expect(codes).toEqual([
      ['113100', 'DCM'],
      ['113107', 'DCM'],
    ]);
    expect(result.manifest.deidentification.methodCodes.map((c) => c.value)).toEqual(['113100', '113107']);
  });
});

describe('consistent across the case', () => {
  const text = (plane: 'A' | 'B', tag: string): string => parse(outputOf(plane).bytes).string(tag) ?? '';
  const nested = (plane: 'A' | 'B', sequence: string, tag: string): string =>
    parse(outputOf(plane).bytes).elements[sequence].items![0].dataSet!.string(tag) ?? '';

  it('replaces shared UIDs by the same new UIDs in both files, and references by the new UID of what they name', () => {
    for (const tag of ['x0020000d', 'x00200052', 'x00083010']) {
      expect(text('A', tag), tag).toMatch(/^2\.25\.\d+$/);
      expect(text('A', tag), tag).toBe(text('B', tag));
    }
    expect(text('A', 'x0020000e')).not.toBe(text('B', 'x0020000e'));
    expect(nested('A', 'x00081140', 'x00081155')).toBe(text('B', 'x00080018'));
    expect(nested('B', 'x00081140', 'x00081155')).toBe(text('A', 'x00080018'));
    expect(text('A', 'x00020003')).toBe(text('A', 'x00080018'));
  });

  it('points the manifest and the annotations at the new UIDs', () => {
    const read = readTeachingPackage(entries);
    if (!read.ok) throw new Error(read.error);
    for (const [i, plane] of (['A', 'B'] as const).entries()) {
      const run = result.manifest.runs[i];
      expect(run.studyInstanceUID).toBe(text(plane, 'x0020000d'));
      expect(run.seriesInstanceUID).toBe(text(plane, 'x0020000e'));
      expect(run.sopInstanceUIDs).toEqual([text(plane, 'x00080018')]);
      expect(read.runs[i].annotations?.runRef).toEqual({
        studyInstanceUID: run.studyInstanceUID,
        seriesInstanceUID: run.seriesInstanceUID,
        sopInstanceUIDs: run.sopInstanceUIDs,
        frameCount: 60,
      });
    }
  });

  it('moves every date and time by one offset: intervals within and across files are kept', () => {
    const instant = (bytes: Uint8Array, dateTag: string, timeTag: string): number => {
      const ds = parse(bytes);
      const da = ds.string(dateTag)!;
      const tm = ds.string(timeTag)!;
      return (
        Date.UTC(+da.slice(0, 4), +da.slice(4, 6) - 1, +da.slice(6, 8), +tm.slice(0, 2), +tm.slice(2, 4), +tm.slice(4, 6)) +
        Number(`0${tm.slice(6)}`) * 1000
      );
    };
    const pairs: [string, string][] = [
      ['x00080020', 'x00080030'], // Study
      ['x00080022', 'x00080032'], // Acquisition
      ['x00080023', 'x00080033'], // Content
      ['x00080012', 'x00080013'], // Instance Creation
    ];
    const inputs = pairs.map(([d, t]) => instant(planes.A.bytes, d, t));
    const outputs = (['A', 'B'] as const).map((plane) => pairs.map(([d, t]) => instant(outputOf(plane).bytes, d, t)));
    const shift = outputs[0][0] - inputs[0];
    expect(shift).toBeLessThan(-3 * 365 * 86_400_000);
    for (const out of outputs) out.forEach((value, i) => expect(value - inputs[i], pairs[i].join('+')).toBe(shift));
    // A DT moves by the same offset.
    const dt = (bytes: Uint8Array): number => {
      const v = parse(bytes).string('x0008002a')!;
      return Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(8, 10), +v.slice(10, 12), +v.slice(12, 14));
    };
    expect(dt(outputOf('A').bytes) - dt(planes.A.bytes)).toBe(shift);
    // Frame timing is not a date: untouched.
    expect(text('A', 'x00181063')).toBe(parse(planes.A.bytes).string('x00181063'));
  });

  it('writes the annotations with a shifted save time and without fields it cannot vouch for', () => {
    const json = JSON.parse(new TextDecoder().decode(entries.find((e) => e.path === 'annotations/run-1.json')!.bytes));
    expect(json.fromNewerVersion).toBeUndefined();
    expect(Date.now() - Date.parse(json.savedAt)).toBeGreaterThan(3 * 365 * 86_400_000);
    expect(json.tracks.map((t: { id: string }) => t.id)).toEqual(['needleTip-1', 'target-1', 'caption-1']);
  });
});
