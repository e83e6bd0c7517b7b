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
    expect(Object.keys(json)).toEqual(['type', 'version', 'createdBy', 'savedAt', 'run', 'tracks', 'caseRecord']);
    expect(json).toMatchObject({
      type: 'fluorolens-annotations',
      version: 1,
      createdBy: 'FluoroLens 0.1.0',
      savedAt: '2026-11-26T12:00:00.000Z',
    });
    expect(text.startsWith('{\n  "type": "fluorolens-annotations",\n  "version": 1,')).toBe(true);
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
    expect(errorOf(parseObject({ ...envelope(), version: 3 }))).toBe('made by a newer FluoroLens (version 3); this build reads up to 1');
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
    expect(result.warnings).toEqual(['a target track had no id; it is now "target-1"']);
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
      'track "contrastSpread-1": keyframe at frame 6: contour has 2 points; at least 3 are needed; dropped',
    ]);
  });

  it('warns about tracks it cannot use, duplicate ids and out-of-run caption ranges', () => {
    const json = envelope();
    const tracks = json.tracks as JsonObject[];
    tracks[2].range = { from: 15, to: 30 };
    json.tracks = [...tracks, { id: 'needleTip-1', kind: 'needleTip' }, { id: 'r', kind: 'ruler' }, 'junk'];
    const result = loaded(parseObject(json));
    expect(result.doc.tracks.map((t) => t.id)).toEqual(['needleTip-1', 'contrastSpread-1', 'caption-1', 'needleTip-2']);
    expect(result.doc.tracks[2]).toMatchObject({ range: { from: 15, to: 20 } });
    expect(result.warnings).toEqual([
      'track "caption-1": caption range 15–30 reaches outside the run (frames 1–20); shortened to 15–20',
      'track id "needleTip-1" was used twice; the second is now "needleTip-2"',
      'track 5 has unknown kind "ruler"; dropped',
      'track 6 "junk" is not a track; dropped',
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
