import { describe, expect, it } from 'vitest';
import {
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  setKeyframe,
  updateCaseRecord,
  type AnnotationDocument,
  type Command,
  type JsonObject,
} from '../../src/annotations/model';
import { parseDocument, runMismatch, serializeDocument, type ParseResult } from '../../src/annotations/schema';

const RUN = { studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.4', sopInstanceUIDs: ['1.2.3.4.1', '1.2.3.4.2'], frameCount: 20 };
const META = { appVersion: '0.1.0', savedAt: new Date('2026-11-26T12:00:00Z') };

function sample(): AnnotationDocument {
  const empty = createDocument(RUN);
  const commands: Command[] = [
    addTrack(createTrack(empty, 'needleTip')),
    addTrack(createTrack(empty, 'contrastSpread')),
    addTrack(createTrack(empty, 'caption', { text: 'spread along the root', range: { from: 5, to: 9 } })),
    setKeyframe('needleTip-1', 2, { tip: { x: 10.5, y: 20.25 }, hub: { x: 40, y: 1 } }),
    setKeyframe('needleTip-1', 7, { tip: { x: 11, y: 22 } }),
    setKeyframe('contrastSpread-1', 6, {
      contour: [
        { x: 0, y: 0 },
        { x: 4, y: 0 },
        { x: 2, y: 3 },
      ],
    }),
    updateCaseRecord({ procedure: 'caudalEsi', levels: ['S5-Co'], contrastPatterns: ['epidural'], contrastFirstSeenFrame: 6 }),
  ];
  return commands.reduce((doc, cmd) => applyCommand(doc, cmd).doc, empty);
}

function envelope(doc = sample()): JsonObject {
  return JSON.parse(serializeDocument(doc, META)) as JsonObject;
}

function parseObject(obj: unknown, expectedRun?: Parameters<typeof parseDocument>[1]): ParseResult {
  return parseDocument(JSON.stringify(obj), expectedRun);
}

function loaded(result: ParseResult) {
  if (!result.ok) throw new Error(`expected to load: ${result.error}`);
  return result;
}

function errorOf(result: ParseResult): string {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('serializeDocument', () => {
  it('writes the versioned envelope, known keys first in a fixed order, 2-space indented', () => {
    const text = serializeDocument(sample(), META);
    const json = JSON.parse(text) as JsonObject;
    expect(Object.keys(json)).toEqual([
      'type',
      'version',
      'createdBy',
      'savedAt',
      'run',
      'tracks',
      'caseRecord',
      'calibration',
      'vascularFlags',
      'leadTips',
    ]);
    expect(json).toMatchObject({
      type: 'fluorolens-annotations',
      version: 2,
      createdBy: 'FluoroLens 0.1.0',
      savedAt: '2026-11-26T12:00:00.000Z',
    });
    expect(text.startsWith('{\n  "type": "fluorolens-annotations",\n  "version": 2,')).toBe(true);
    expect(serializeDocument(sample(), META)).toBe(text);
  });
});

describe('round trip', () => {
  it('gives back an equal document', () => {
    const doc = sample();
    const result = loaded(parseDocument(serializeDocument(doc, META), RUN));
    expect(result.doc).toStrictEqual(doc);
    expect(result.warnings).toEqual([]);
  });

  it('keeps unknown fields on the envelope, run, tracks, keyframes and case record', () => {
    const json = envelope();
    json.reviewer = { name: 'Dr. A', ok: true };
    (json.run as JsonObject).acquisition = 'AP';
    const [needle] = json.tracks as JsonObject[];
    needle.locked = true;
    ((needle.keyframes as JsonObject[])[0] as JsonObject).author = 'educator';
    (json.caseRecord as JsonObject).needleGauge = 22;
    const first = loaded(parseObject(json));
    expect(first.warnings).toEqual([]);
    expect(first.doc.extra).toEqual({ reviewer: { name: 'Dr. A', ok: true } });
    expect(first.doc.tracks[0].extra).toEqual({ locked: true });
    const again = JSON.parse(serializeDocument(first.doc, META)) as JsonObject;
    expect(again).toEqual(json);
    expect(loaded(parseObject(again)).doc).toStrictEqual(first.doc);
  });

  it('keeps unknown fields through later edits of the same objects', () => {
    const json = envelope();
    ((json.tracks as JsonObject[])[0].keyframes as JsonObject[])[0].author = 'educator';
    const doc = loaded(parseObject(json)).doc;
    const moved = applyCommand(doc, setKeyframe('needleTip-1', 2, { tip: { x: 1, y: 1 } })).doc;
    expect(moved.tracks[0].keyframes[0]).toEqual({ frame: 2, geometry: { tip: { x: 1, y: 1 } }, extra: { author: 'educator' } });
  });
});

describe('parseDocument refuses, saying why', () => {
  it('text that is not JSON', () => {
    expect(errorOf(parseDocument('{"type": '))).toMatch(/^not valid JSON: /);
  });

  it('JSON that is not our file', () => {
    expect(errorOf(parseDocument('[1, 2]'))).toMatch(/not a FluoroLens annotations file/);
    expect(errorOf(parseObject({ ...envelope(), type: 'ohif-measurements' }))).toBe(
      'not a FluoroLens annotations file: type is "ohif-measurements", expected "fluorolens-annotations"',
    );
    const { type: _type, ...untyped } = envelope();
    expect(errorOf(parseObject(untyped))).toMatch(/no "type" field/);
  });

  it('a file from a newer build, and versions it cannot read', () => {
    expect(errorOf(parseObject({ ...envelope(), version: 3 }))).toBe('made by a newer FluoroLens (version 3); this build reads up to 2');
    expect(errorOf(parseObject({ ...envelope(), version: '1' }))).toMatch(/no usable format version/);
    expect(errorOf(parseObject({ ...envelope(), version: -1 }))).toMatch(/version -1 is not one this build can read/);
  });

  it('a file that does not say which run it is for', () => {
    const { run: _run, ...runless } = envelope();
    expect(errorOf(parseObject(runless))).toMatch(/does not say which run/);
    expect(errorOf(parseObject({ ...envelope(), run: { ...RUN, frameCount: 0 } }))).toMatch(/frameCount 0 is not a positive whole number/);
  });
});

describe('run matching', () => {
  it('accepts the same images, and names the series when they are not', () => {
    expect(parseDocument(serializeDocument(sample(), META), RUN).ok).toBe(true);
    const other = { ...RUN, seriesInstanceUID: '9.9', sopInstanceUIDs: ['9.9.1', '9.9.2'] };
    expect(errorOf(parseDocument(serializeDocument(sample(), META), other))).toBe(
      'these annotations are for series 1.2.3.4 (20 frames), not the open run (series 9.9, 20 frames): the images (SOP Instance UIDs) differ',
    );
    // With the run's title, the message names the run meant.
    expect(errorOf(parseDocument(serializeDocument(sample(), META), other, 'L4 TFESI AP'))).toBe(
      'these annotations are for series 1.2.3.4 (20 frames), not L4 TFESI AP (series 9.9, 20 frames): the images (SOP Instance UIDs) differ',
    );
  });

  it('needs the same SOP Instance UIDs in the same order when both sides list them', () => {
    expect(runMismatch(RUN, { ...RUN, sopInstanceUIDs: ['1.2.3.4.2', '1.2.3.4.1'] })).toMatch(/images \(SOP Instance UIDs\) differ/);
  });

  it('falls back to series UID and frame count when either side has no instance list', () => {
    expect(runMismatch({ ...RUN, sopInstanceUIDs: [] }, RUN)).toBeNull();
    expect(runMismatch(RUN, { ...RUN, sopInstanceUIDs: [] })).toBeNull();
    expect(runMismatch({ ...RUN, sopInstanceUIDs: [] }, { ...RUN, seriesInstanceUID: '5.5' })).toMatch(/the series differ$/);
  });

  it('refuses a different frame count even for the same images', () => {
    expect(runMismatch(RUN, { ...RUN, frameCount: 19 })).toMatch(
      /\(20 frames\), not the open run \(series 1\.2\.3\.4, 19 frames\): the frame counts differ/,
    );
  });
});

describe('forgiving restore', () => {
  it('fills defaults for missing optional fields', () => {
    const minimal = {
      type: 'fluorolens-annotations',
      version: 1,
      run: { seriesInstanceUID: '1.2.3.4', frameCount: 20 },
      tracks: [
        { id: 'c', kind: 'caption' },
        { kind: 'target', keyframes: [{ frame: 3, geometry: { center: { x: 1, y: 2 }, radiusPx: 5 } }] },
      ],
    };
    const result = loaded(parseObject(minimal, RUN));
    expect(result.doc.runRef).toEqual({ studyInstanceUID: '', seriesInstanceUID: '1.2.3.4', sopInstanceUIDs: [], frameCount: 20 });
    expect(result.doc.tracks[0]).toEqual({
      id: 'c',
      kind: 'caption',
      label: 'Caption',
      color: '#ffffff',
      text: '',
      range: { from: 1, to: 20 },
      keyframes: [],
    });
    expect(result.doc.tracks[1]).toMatchObject({ id: 'target-1', label: 'Target', color: '#00e676' });
    expect(result.warnings).toEqual(['a Target track had no id; it is now "target-1"']);
    expect(result.doc.caseRecord.notes).toBe('');
  });

  it('drops unusable keyframes with a warning and keeps the rest of the file', () => {
    const json = envelope();
    const [needle, contrast] = json.tracks as JsonObject[];
    needle.keyframes = [
      { frame: 7, geometry: { tip: { x: 11, y: 22 } } },
      { frame: 0, geometry: { tip: { x: 1, y: 1 } } },
      { frame: 21, geometry: { tip: { x: 1, y: 1 } } },
      { frame: 3, geometry: { tip: { x: 'a', y: 1 } } },
      { frame: 4, geometry: { tip: { x: 1, y: 1, z: 9 }, pressure: 0.5 } },
      { frame: 7, geometry: { tip: { x: 99, y: 99 } } },
      { frame: 5, geometry: { tip: { x: 1, y: 1 }, hub: null } },
      { geometry: { tip: { x: 1, y: 1 } } },
      { frame: '8', geometry: { tip: { x: 1, y: 1 } } },
    ];
    contrast.keyframes = [
      {
        frame: 6,
        geometry: {
          contour: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
      },
    ];
    const result = loaded(parseObject(json));
    expect(result.doc.tracks[0].keyframes.map((k) => k.frame)).toEqual([4, 5, 7]);
    expect(result.doc.tracks[0].keyframes[0].geometry).toEqual({ tip: { x: 1, y: 1 } });
    expect(result.doc.tracks[0].keyframes[2].geometry).toEqual({ tip: { x: 11, y: 22 } });
    expect(result.doc.tracks[1].keyframes).toEqual([]);
    expect(result.warnings).toEqual([
      'track "needleTip-1": keyframe at frame 0 is outside the run (frames 1–20); dropped',
      'track "needleTip-1": keyframe at frame 21 is outside the run (frames 1–20); dropped',
      'track "needleTip-1": keyframe at frame 3: needle tip has no valid tip point; dropped',
      'track "needleTip-1": keyframe at frame 4: unknown geometry fields pressure, tip.z not kept',
      'track "needleTip-1": a second keyframe at frame 7; kept the first',
      'track "needleTip-1": a keyframe has no frame number; dropped',
      'track "needleTip-1": keyframe frame "8" is not a frame number; dropped',
      'track "contrastSpread-1": keyframe at frame 6: contour has 2 points; at least 3 are needed; dropped',
    ]);
  });

  it('warns about tracks it cannot use, duplicate ids and out-of-run caption ranges', () => {
    const json = envelope();
    const tracks = json.tracks as JsonObject[];
    tracks[2].range = { from: 15, to: 30 };
    json.tracks = [...tracks, { id: 'needleTip-1', kind: 'needleTip' }, { id: 'r', kind: 'ruler' }, 'junk', { id: 'k' }];
    const result = loaded(parseObject(json));
    expect(result.doc.tracks.map((t) => t.id)).toEqual(['needleTip-1', 'contrastSpread-1', 'caption-1', 'needleTip-2']);
    expect(result.doc.tracks[2]).toMatchObject({ range: { from: 15, to: 20 } });
    expect(result.warnings).toEqual([
      'track "caption-1": caption range 15–30 reaches outside the run (frames 1–20); shortened to 15–20',
      'track id "needleTip-1" was used twice; the second is now "needleTip-2"',
      'track 5 has unknown kind "ruler"; dropped',
      'track 6 "junk" is not a track; dropped',
      'track 7 has no kind; dropped',
    ]);
  });

  it('cleans the case record with a warning per value it cannot keep', () => {
    const json = envelope();
    json.caseRecord = {
      procedure: 'kyphoplasty',
      levels: ['l4-l5', 'L6', 'L4-L5'],
      side: 'left',
      approach: 'transforaminal',
      contrastPatterns: ['epidural', 'subdural'],
      contrastFirstSeenFrame: 99,
      placementConfirmedBeforeMedication: 'yes',
      notes: 'ok',
    };
    const result = loaded(parseObject(json));
    expect(result.doc.caseRecord).toEqual({
      procedure: null,
      levels: ['L4-L5'],
      side: 'left',
      approach: 'transforaminal',
      contrastPatterns: ['epidural'],
      contrastFirstSeenFrame: null,
      placementConfirmedBeforeMedication: null,
      notes: 'ok',
      injectates: [],
    });
    expect(result.warnings).toEqual([
      'case record: unknown procedure "kyphoplasty"; left unset',
      'case record: "L6" is not a vertebral level or range; dropped',
      'case record: unknown contrast pattern "subdural"; dropped',
      'case record: contrast first seen at frame 99 is outside the run (frames 1–20); left unset',
      'case record: placementConfirmedBeforeMedication "yes" is not true or false; left unset',
    ]);
  });
});

describe('format 2: calibration, vascular flags, lead tips, injectate log', () => {
  const calibration = { objectName: '25 mm marker ball', lengthMm: 25, frame: 3, line: { from: { x: 10, y: 10 }, to: { x: 60, y: 10 } } };

  function v2(): JsonObject {
    const json = envelope();
    json.calibration = calibration;
    json.vascularFlags = [
      { id: 'vascular-1', uptake: 'arterial', from: 8, to: 12, note: 'radicular artery' },
      { id: 'vascular-2', uptake: 'uncertain', from: 15, to: 15, note: '' },
    ];
    json.leadTips = [{ id: 'leadTip-1', label: 'Lead 1 (left)', frame: 20, level: 't8', position: { x: 100.5, y: 40 } }];
    (json.caseRecord as JsonObject).injectates = [
      { agent: 'Iohexol 240', volumeMl: 1.5, frame: 6, time: null, note: '' },
      { agent: 'Dexamethasone 10 mg', volumeMl: 2, frame: null, time: '10:42', note: 'after confirmation' },
    ];
    return json;
  }

  it('reads them back into the document, levels in canonical form', () => {
    const result = loaded(parseObject(v2()));
    expect(result.warnings).toEqual([]);
    expect(result.doc.calibration).toEqual(calibration);
    expect(result.doc.vascularFlags.map((f) => [f.id, f.uptake, f.from, f.to])).toEqual([
      ['vascular-1', 'arterial', 8, 12],
      ['vascular-2', 'uncertain', 15, 15],
    ]);
    expect(result.doc.leadTips).toEqual([
      { id: 'leadTip-1', label: 'Lead 1 (left)', frame: 20, level: 'T8', position: { x: 100.5, y: 40 } },
    ]);
    expect(result.doc.caseRecord.injectates[1]).toEqual({
      agent: 'Dexamethasone 10 mg',
      volumeMl: 2,
      frame: null,
      time: '10:42',
      note: 'after confirmation',
    });
    const again = loaded(parseDocument(serializeDocument(result.doc, META)));
    expect(again.doc).toStrictEqual(result.doc);
  });

  it('falls back to the header calibration, with a warning, when the user calibration is unusable', () => {
    const json = v2();
    json.calibration = { ...calibration, lengthMm: 0 };
    const result = loaded(parseObject(json));
    expect(result.doc.calibration).toBeNull();
    expect(result.warnings).toEqual([
      'calibration length 0 is not a positive number of millimetres; the run falls back to the calibration in its header',
    ]);
  });

  it('shortens or drops vascular flags it cannot keep, and fixes missing or repeated ids', () => {
    const json = v2();
    json.vascularFlags = [
      { id: 'vascular-1', uptake: 'arterial', from: 18, to: 25, note: '' },
      { id: 'vascular-1', uptake: 'venous', from: 2, to: 3 },
      { uptake: 'venous', from: 4, to: 4 },
      { id: 'x', uptake: 'lymphatic', from: 2, to: 3 },
      { id: 'y', uptake: 'venous', from: 30, to: 40 },
      { id: 'z', uptake: 'venous', from: 5, to: 2 },
    ];
    const result = loaded(parseObject(json));
    expect(result.doc.vascularFlags.map((f) => [f.id, f.uptake, f.from, f.to])).toEqual([
      ['vascular-1', 'arterial', 18, 20],
      ['vascular-2', 'venous', 2, 3],
      ['vascular-3', 'venous', 4, 4],
    ]);
    expect(result.warnings).toEqual([
      'vascular flag 1: frames 18–25 reach outside the run (frames 1–20); shortened to 18–20',
      'vascular flag 2: id "vascular-1" was used twice; the second is now "vascular-2"',
      'vascular flag 3 had no id; it is now "vascular-3"',
      'vascular flag 4: uptake "lymphatic" is not arterial, venous or uncertain; dropped',
      'vascular flag 5: frames 30–40 are outside the run (frames 1–20); dropped',
      'vascular flag 6: frames 5–2 are not a frame range; dropped',
    ]);
  });

  it('drops lead tips without a usable frame or level, and keeps injectates whose fields it must empty', () => {
    const json = v2();
    json.leadTips = [
      { id: 'a', label: 'Lead 1', frame: 21, level: 'T8' },
      { id: 'b', label: 'Lead 2', frame: 2, level: 'T13' },
      { id: 'c', frame: 2, level: 'T9-T10', position: null },
    ];
    (json.caseRecord as JsonObject).injectates = [{ agent: 'Iohexol', volumeMl: -1, frame: 40, time: '25:00', note: 'x' }, 'junk'];
    const result = loaded(parseObject(json));
    expect(result.doc.leadTips).toEqual([{ id: 'c', label: 'Lead tip', frame: 2, level: 'T9-T10', position: null }]);
    expect(result.doc.caseRecord.injectates).toEqual([{ agent: 'Iohexol', volumeMl: null, frame: null, time: null, note: 'x' }]);
    expect(result.warnings).toEqual([
      'case record: injectate 1: volume -1 is not a number of millilitres; left empty',
      'case record: injectate 1: frame 40 is outside the run (frames 1–20); left empty',
      'case record: injectate 1: time "25:00" is not a clock time (HH:MM or HH:MM:SS); left empty',
      'case record: injectate 2 "junk" is not an entry; dropped',
      'lead tip 1: lead tip frame 21 is outside the run (frames 1–20); dropped',
      'lead tip 2: lead tip level "T13" is not a vertebral level (e.g. T8, T8-T9); dropped',
    ]);
  });

  it('keeps unknown fields on the new objects through a round trip', () => {
    const json = v2();
    (json.calibration as JsonObject).measuredBy = 'Dr. B';
    ((json.vascularFlags as JsonObject[])[0] as JsonObject).confidence = 0.8;
    ((json.leadTips as JsonObject[])[0] as JsonObject).contacts = 8;
    (((json.caseRecord as JsonObject).injectates as JsonObject[])[0] as JsonObject).route = 'epidural';
    const first = loaded(parseObject(json));
    expect(first.warnings).toEqual([]);
    const again = JSON.parse(serializeDocument(first.doc, META)) as JsonObject;
    expect(again.calibration).toEqual({ ...calibration, measuredBy: 'Dr. B' });
    expect((again.vascularFlags as JsonObject[])[0]).toMatchObject({ confidence: 0.8 });
    expect((again.leadTips as JsonObject[])[0]).toMatchObject({ contacts: 8, level: 'T8' });
    expect(((again.caseRecord as JsonObject).injectates as JsonObject[])[0]).toMatchObject({ route: 'epidural' });
  });
});
