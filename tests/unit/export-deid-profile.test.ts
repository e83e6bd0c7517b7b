/**
 * The de-identification rules as data and the small pure pieces: the table itself, compound
 * decisions, date shifting, UID derivation, the identity check, masks.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPOUND_CHOICES,
  IdentityIndex,
  PROFILE_EDITION,
  PROFILE_ROWS,
  applyMask,
  caseKeys,
  clipRect,
  dateOffsetFor,
  defaultCornerRects,
  defaultFillValue,
  deidentifyDataset,
  profileRowFor,
  resolveCompound,
  shiftDa,
  shiftDaTmPair,
  shiftDt,
  shiftTm,
  uidFromDigest,
  UidRemapper,
  type CaseContext,
} from '../../src/export/deid';
import { createDeidCase, deidentifyInstance, readSourceInstance } from '../../src/export/deid';
import { bufferSource } from '../../src/dicom/byteSource';
import { buildDicom } from '../support/dicom/syntheticDicom';

describe('Table E.1-1 as data', () => {
  it('is the 2024e table from innolitics/dicom-standard @7f4749d, unchanged', () => {
    const bytes = readFileSync(new URL('../../src/export/deid/data/confidentiality_profile_attributes.2024e.json', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('a99a35d1278e2bace8d90ff791b11aea2d45f1e3e1230388eb5224c9dbcd29e6');
    expect(PROFILE_EDITION).toBe('2024e');
    expect(PROFILE_ROWS).toHaveLength(621);
  });

  it('gives the Basic Profile action and option flags by tag', () => {
    expect(profileRowFor('00100010')).toMatchObject({ name: "Patient's Name", basic: 'Z' });
    expect(profileRowFor('00100020')).toMatchObject({ basic: 'Z/D' });
    expect(profileRowFor('00080020')).toMatchObject({ name: 'Study Date', basic: 'Z', modifiedDates: true });
    expect(profileRowFor('0008103E')).toMatchObject({ name: 'Series Description', basic: 'X', cleanDescriptor: true });
    expect(profileRowFor('0020000D')).toMatchObject({ basic: 'U' });
    expect(profileRowFor('00880200')?.name).toBe('Icon Image Sequence');
    expect(profileRowFor('00280010')).toBeUndefined();
  });

  it('covers private elements, curve groups and overlay data through its pattern rows', () => {
    expect(profileRowFor('00091001')?.name).toBe('Private Attributes');
    expect(profileRowFor('50023000')?.name).toBe('Curve Data');
    expect(profileRowFor('601E3000')?.name).toBe('Overlay Data');
    expect(profileRowFor('60004000')?.name).toBe('Overlay Comments');
  });

  it('has a decision for every compound action that the Modified Dates option does not replace', () => {
    const compound = PROFILE_ROWS.filter((row) => row.basic.includes('/'));
    const undecided = compound.filter((row) => !row.modifiedDates && !COMPOUND_CHOICES[row.tag]);
    expect(undecided.map((row) => `${row.tag} ${row.name} ${row.basic}`)).toEqual([]);
    // And nothing decided that the table does not call compound.
    for (const tag of Object.keys(COMPOUND_CHOICES)) expect(profileRowFor(tag)?.basic, tag).toContain('/');
  });

  it('resolves compound actions by Type in our IODs, and Referenced Image Sequence by the biplane condition', () => {
    const plain = { biplane: false };
    expect(resolveCompound('00080080', plain)).toBe('X'); // Institution Name, Type 3
    expect(resolveCompound('00180010', plain)).toBe('Z'); // Contrast/Bolus Agent, Type 2
    expect(resolveCompound('00100020', plain)).toBe('Z'); // Patient ID, Type 2
    expect(resolveCompound('00081140', plain)).toBe('X');
    expect(resolveCompound('00081140', { biplane: true })).toBe('U');
    // Each choice is one its compound action allows.
    for (const [tag, choice] of Object.entries(COMPOUND_CHOICES)) {
      const allowed = profileRowFor(tag)!.basic.replace('*', '').split('/');
      expect(allowed, tag).toContain(choice.choice);
      if (choice.biplane) expect(allowed, tag).toContain(choice.biplane);
    }
  });
});

describe('Retain Longitudinal Temporal Information with Modified Dates', () => {
  const offset = { days: -1000, seconds: 3 * 3600 + 30 * 60 };

  it('moves a date and its time together, carrying across midnight', () => {
    expect(shiftDaTmPair('20240312', '221500', offset)).toEqual({ da: '20210617', tm: '014500' });
    expect(shiftDaTmPair('20240312', '101500.123456', offset)).toEqual({ da: '20210616', tm: '134500.123456' });
  });

  it('keeps the interval between any two date-times exactly', () => {
    const toMs = (da: string, tm: string): number =>
      Date.UTC(+da.slice(0, 4), +da.slice(4, 6) - 1, +da.slice(6, 8), +tm.slice(0, 2), +tm.slice(2, 4), +tm.slice(4, 6)) +
      Number(`0${tm.slice(6)}`) * 1000;
    const pairs: [string, string][] = [
      ['20240312', '101500.250'],
      ['20240312', '235959.999'],
      ['20240313', '000001.5'],
      ['20191231', '120000'],
    ];
    const shifted = pairs.map(([da, tm]) => shiftDaTmPair(da, tm, offset)!);
    for (let i = 1; i < pairs.length; i++) {
      expect(toMs(shifted[i].da, shifted[i].tm) - toMs(shifted[0].da, shifted[0].tm)).toBeCloseTo(toMs(...pairs[i]) - toMs(...pairs[0]), 6);
    }
  });

  it('moves a date alone by the days, a time alone by the seconds, and keeps precision', () => {
    expect(shiftDa('20240312', offset)).toBe('20210616');
    expect(shiftDa('2024.03.12', offset)).toBe('20210616');
    expect(shiftTm('2215', offset)).toBe('0145');
    expect(shiftTm('22:15:00.5', offset)).toBe('014500.5');
    expect(shiftDt('20240312101500.123+0100', offset)).toBe('20210616134500.123+0100');
    expect(shiftDt('202403121015', offset)).toBe('202106161345');
  });

  it('refuses what is not a date or time (a name typed into a date field)', () => {
    expect(shiftDa('SMITH', offset)).toBeNull();
    expect(shiftDa('20240230', offset)).toBeNull();
    expect(shiftTm('2561', offset)).toBeNull();
    expect(shiftDt('2024031210.5', offset)).toBeNull();
  });

  it('derives one offset per case secret: 3 to 13 years back', async () => {
    const a = await dateOffsetFor(await caseKeys(new Uint8Array(32).fill(1)));
    const b = await dateOffsetFor(await caseKeys(new Uint8Array(32).fill(1)));
    const c = await dateOffsetFor(await caseKeys(new Uint8Array(32).fill(2)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const o of [a, c]) {
      expect(o.days).toBeLessThanOrEqual(-3 * 365);
      expect(o.days).toBeGreaterThan(-13 * 365);
      expect(o.seconds).toBeGreaterThanOrEqual(0);
      expect(o.seconds).toBeLessThan(86_400);
    }
  });
});

describe('UID replacement', () => {
  it('makes 2.25 UIDs from a UUID (version 8), at most 64 characters', () => {
    const uid = uidFromDigest(new Uint8Array(32).fill(0xff));
    expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(uid.length).toBeLessThanOrEqual(64);
    const value = BigInt(uid.slice(5));
    expect((value >> 76n) & 0xfn).toBe(8n);
    expect((value >> 62n) & 0x3n).toBe(2n);
  });

  it('maps the same UID to the same new UID within a case, and differently in another case', async () => {
    const one = new UidRemapper(await caseKeys(new Uint8Array(32).fill(7)));
    const two = new UidRemapper(await caseKeys(new Uint8Array(32).fill(8)));
    await one.prepare(['1.2.3.4', '1.2.3.5', '1.2.3.4']);
    await two.prepare(['1.2.3.4']);
    expect(one.replace('1.2.3.4')).toBe(one.replace('1.2.3.4'));
    expect(one.replace('1.2.3.4')).not.toBe(one.replace('1.2.3.5'));
    expect(one.replace('1.2.3.4')).not.toBe(two.replace('1.2.3.4'));
    expect(() => one.replace('9.9.9')).toThrow(/not prepared/);
  });
});

describe('identity check', () => {
  const index = new IdentityIndex();
  index.addDataset({
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Van der Berg^Anna' }] },
    '00100020': { vr: 'LO', Value: ['MRN-55013'] },
    '00100030': { vr: 'DA', Value: ['19470203'] },
    '00080080': { vr: 'LO', Value: ['St Elsewhere General'] },
    '0008103E': { vr: 'LO', Value: ['AP lumbar'] },
  });

  it('finds names, IDs, dates and institutions as whole words, and says where they came from', () => {
    expect(index.findInText('Needle at L4, patient anna had no pain')).toEqual(["Patient's Name (0010,0010)"]);
    expect(index.findInText('see MRN-55013')).toEqual(['Patient ID (0010,0020)']);
    expect(index.findInText('born 03.02.1947')).toEqual(["Patient's Birth Date (0010,0030)"]);
    expect(index.findInText('done at st  elsewhere general')).toEqual(['Institution Name (0008,0080)']);
    expect(index.findInText('Annapurna, Bergamo, verge')).toEqual([]);
    // Descriptors are what the educator approves; they are not identity themselves.
    expect(index.findInText('AP lumbar')).toEqual([]);
  });

  it('redacts what it finds', () => {
    expect(index.redact('Spine of Anna VAN DER BERG').text).toBe('Spine of *** *** *** ***');
    expect(index.redact('Spine of Van der Berg Anna').text).toBe('Spine of ***');
  });

  it('finds long tokens inside binary data (metadata of a video)', () => {
    const bytes = new Uint8Array([0, 1, ...new TextEncoder().encode('title=St Elsewhere General'), 0]);
    expect(index.findInBytes(bytes)).toEqual(['Institution Name (0008,0080)']);
    expect(index.findInBytes(new Uint8Array(1000))).toEqual([]);
  });

  it('refuses a pseudonym or an approved descriptor that holds identifying text', async () => {
    const keys = await caseKeys(new Uint8Array(32).fill(3));
    const uids = new UidRemapper(keys);
    const context: CaseContext = {
      uids,
      identity: index,
      dateOffset: await dateOffsetFor(keys),
      pseudonym: { patientName: 'Anna^Case', patientId: 'TC-1' },
      appVersion: 'test',
    };
    expect(() => deidentifyDataset({}, context)).toThrow(/Patient's Name.*identifying text from Patient's Name \(0010,0010\)/);
    const ok = { ...context, pseudonym: { patientName: 'TEACHING^CASE', patientId: 'TC-1' } };
    const source = { '0008103E': { vr: 'LO', Value: ['AP lumbar'] } };
    expect(() => deidentifyDataset(source, ok, { descriptors: { '0008103E': 'AP of MRN-55013' } })).toThrow(
      /Series Description \(0008,103E\): contains identifying text from Patient ID/,
    );
    const kept = deidentifyDataset(source, ok, { descriptors: { '0008103E': 'AP view' } });
    expect(kept.dataset['0008103E'].Value).toEqual(['AP view']);
    expect(kept.report.descriptorsKept).toEqual(['0008103E']);
    const removed = deidentifyDataset(source, ok);
    expect(removed.dataset['0008103E']).toBeUndefined();
  });
});

describe('actions on one data set', () => {
  async function context(): Promise<CaseContext> {
    const keys = await caseKeys(new Uint8Array(32).fill(4));
    const uids = new UidRemapper(keys);
    await uids.prepare(['1.2.3.1', '1.2.3.2']);
    return {
      uids,
      identity: new IdentityIndex(),
      dateOffset: { days: -1000, seconds: 0 },
      pseudonym: { patientName: 'P', patientId: 'I' },
      appVersion: 't',
    };
  }
  const code = (meaning: string) => ({
    '00080100': { vr: 'SH', Value: ['X1'] },
    '00080102': { vr: 'SH', Value: ['99L'] },
    '00080104': { vr: 'LO', Value: [meaning] },
  });

  it('applies D, Z, X, K and U to sequences and UIDs as PS3.15 defines them', async () => {
    const { dataset, report } = deidentifyDataset(
      {
        '0040A730': { vr: 'SQ', Value: [code('finding')] }, // Content Sequence, D: one item, emptied
        '00400513': { vr: 'SQ', Value: [code('issuer')] }, // Issuer of the Container Identifier Sequence, Z: no items
        '00081072': { vr: 'SQ', Value: [code('operator')] }, // Operator Identification Sequence, X/D → X
        '00082218': { vr: 'SQ', Value: [{ ...code('Lumbar spine'), '00081155': { vr: 'UI', Value: ['1.2.3.1'] } }] }, // not listed: kept, cleaned inside
        '006A0003': { vr: 'UI', Value: [] }, // Annotation Group UID, D, empty
        '00200052': { vr: 'UI', Value: ['1.2.3.2'] }, // Frame of Reference UID, U
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.12.1'] }, // a DICOM-defined UID, kept
        '00001000': { vr: 'UI', Value: ['1.2.3.1'] }, // command group: no place in a data set
        '00120081': { vr: 'LO', Value: ['Ethics board'] }, // D, but only allowed with (0012,0082)…
        '00120082': { vr: 'LO', Value: ['EC-1'] }, // … which is X
      },
      await context(),
    );
    expect(dataset['0040A730'].Value).toEqual([{}]);
    expect(dataset['00400513'].Value).toEqual([]);
    expect(dataset['00081072']).toBeUndefined();
    const kept = dataset['00082218'].Value![0] as Record<string, { Value: unknown[] }>;
    expect(kept['00080104'].Value).toEqual(['Lumbar spine']);
    expect(kept['00081155'].Value![0]).toMatch(/^2\.25\./);
    expect(dataset['006A0003'].Value).toEqual(['2.25.0']);
    expect(dataset['00200052'].Value![0]).toMatch(/^2\.25\./);
    expect(dataset['00200052'].Value![0]).not.toBe(kept['00081155'].Value![0]);
    expect(dataset['00081150'].Value).toEqual(['1.2.840.10008.5.1.4.1.1.12.1']);
    expect(dataset['00001000']).toBeUndefined();
    expect(dataset['00120081']).toBeUndefined();
    expect(dataset['00120082']).toBeUndefined();
    expect(dataset['00080005'].Value).toEqual(['ISO_IR 192']);
    expect(report).toMatchObject({ dummies: 3, emptied: 1, uidsReplaced: 2 });
  });
});

describe('character sets', () => {
  const encoders: Record<string, (text: string) => Uint8Array> = {
    'ISO_IR 192': (text) => new TextEncoder().encode(text),
    // ISO 8859-5: Cyrillic А (U+0410) … я (U+044F) sit at 0xB0 … 0xEF; ё is 0xF1.
    'ISO_IR 144': (text) =>
      Uint8Array.from(text, (ch) => (ch === 'ё' ? 0xf1 : ch.charCodeAt(0) >= 0x410 ? ch.charCodeAt(0) - 0x410 + 0xb0 : ch.charCodeAt(0))),
  };
  const even = (bytes: Uint8Array): Uint8Array => (bytes.length % 2 ? Uint8Array.from([...bytes, 0x20]) : bytes);

  it.each(Object.keys(encoders))('finds the patient’s name inside sequence items under %s, and writes UTF-8', async (charset) => {
    const encode = (text: string) => even(encoders[charset](text));
    const file = buildDicom({
      elements: [
        { tag: 0x00080005, vr: 'CS', value: charset },
        { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.12.1' },
        { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5.6' },
        { tag: 0x00080060, vr: 'CS', value: 'XA' },
        { tag: 0x00082218, vr: 'SQ', value: [[{ tag: 0x00080104, vr: 'LO', value: encode('Позвоночник Иванов') }]] },
        { tag: 0x00100010, vr: 'PN', value: encode('Иванов^Пётр') },
        { tag: 0x0020000d, vr: 'UI', value: '1.2.3.4.1' },
        { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4.2' },
        { tag: 0x00280002, vr: 'US', value: [1] },
        { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
        { tag: 0x00280010, vr: 'US', value: [2] },
        { tag: 0x00280011, vr: 'US', value: [2] },
        { tag: 0x00280100, vr: 'US', value: [8] },
        { tag: 0x00280101, vr: 'US', value: [8] },
        { tag: 0x00280102, vr: 'US', value: [7] },
        { tag: 0x00280103, vr: 'US', value: [0] },
        { tag: 0x00280301, vr: 'CS', value: 'NO' },
      ],
      pixelData: { kind: 'native', bytes: new Uint8Array([1, 2, 3, 4]) },
    });
    const source = await readSourceInstance(bufferSource('cyrillic.dcm', file));
    const deid = await createDeidCase([source], { appVersion: 'test' });
    const output = deidentifyInstance(source, deid);
    const chunks: Uint8Array[] = [];
    for await (const chunk of output.chunks()) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    for (const leak of [
      new TextEncoder().encode('Иванов'),
      encoders['ISO_IR 144']('Иванов'),
      new TextEncoder().encode('Ð\u0098Ð²Ð°Ð½Ð¾Ð²'),
    ]) {
      expect(bytes.includes(Buffer.from(leak)), charset).toBe(false);
    }
    expect(bytes.includes(Buffer.from(new TextEncoder().encode('Позвоночник ***'))), charset).toBe(true);
    expect(output.report.identifyingTextRedacted).toBe(1);
  });
});

describe('masks', () => {
  it('offers one rectangle per corner', () => {
    const rects = defaultCornerRects(512, 512);
    expect(rects).toHaveLength(4);
    expect(rects[0]).toEqual({ x: 0, y: 0, width: 154, height: 62 });
    expect(rects[3]).toEqual({ x: 358, y: 450, width: 154, height: 62 });
  });

  it('clips rectangles to the image and paints only inside them', () => {
    expect(clipRect({ x: -5, y: 2.5, width: 10, height: 100 }, 8, 6)).toEqual({ x: 0, y: 2, width: 5, height: 4 });
    expect(clipRect({ x: 9, y: 0, width: 3, height: 3 }, 8, 6)).toBeNull();
    const frame = new Uint16Array(8 * 6).fill(500);
    applyMask(frame, 8, 6, [{ x: 6, y: 4, width: 5, height: 5 }], 7);
    const painted = [...frame.keys()].filter((i) => frame[i] === 7);
    expect(painted).toEqual([4 * 8 + 6, 4 * 8 + 7, 5 * 8 + 6, 5 * 8 + 7]);
    expect(() => applyMask(new Uint8Array(3), 2, 2, [], 0)).toThrow(/2 × 2 = 4/);
  });

  it('fills with black as displayed', () => {
    expect(defaultFillValue({ photometricInterpretation: 'MONOCHROME2', bitsStored: 10, pixelRepresentation: 0 })).toBe(0);
    expect(defaultFillValue({ photometricInterpretation: 'MONOCHROME1', bitsStored: 10, pixelRepresentation: 0 })).toBe(1023);
    expect(defaultFillValue({ photometricInterpretation: 'MONOCHROME2', bitsStored: 12, pixelRepresentation: 1 })).toBe(-2048);
    // A MONOCHROME2 image shown inverted by its Presentation LUT Shape: its highest value is black.
    expect(
      defaultFillValue({
        photometricInterpretation: 'MONOCHROME2',
        presentationLutShape: 'INVERSE',
        bitsStored: 10,
        pixelRepresentation: 0,
      }),
    ).toBe(1023);
    expect(
      defaultFillValue({
        photometricInterpretation: 'MONOCHROME2',
        presentationLutShape: 'IDENTITY',
        bitsStored: 10,
        pixelRepresentation: 0,
      }),
    ).toBe(0);
  });
});
