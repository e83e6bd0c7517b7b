import { describe, expect, it } from 'vitest';
import {
  createDocument,
  emptyCaseRecord,
  frameMapBySopInstance,
  holdsWork,
  remapDocumentFrames,
  type AnnotationDocument,
  type RunRef,
} from '../../src/annotations/model';
import { carriedWorkText, workElsewhereText } from '../../src/format/run';

const SERIES = '1.2.3.4';
const uid = (n: number) => `1.2.3.4.${n}`;
/** A series of single-frame instances: frame i holds instance `instances[i - 1]`. */
const run = (instances: number[], series = SERIES): RunRef => ({
  studyInstanceUID: '1.2.3',
  seriesInstanceUID: series,
  sopInstanceUIDs: instances.map(uid),
  frameCount: instances.length,
});

const PART = run([4, 5, 6]);
const WHOLE = run([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

/** Work on the part: a tip on frames 1 and 3, a caption over 2–3, and every other frame-bearing field. */
function workOnPart(): AnnotationDocument {
  return {
    ...createDocument(PART),
    tracks: [
      {
        id: 'needleTip-1',
        kind: 'needleTip',
        label: 'Needle tip',
        color: '#ffd400',
        keyframes: [
          { frame: 1, geometry: { tip: { x: 10, y: 20 } } },
          { frame: 3, geometry: { tip: { x: 30, y: 40 } } },
        ],
      },
      {
        id: 'caption-1',
        kind: 'caption',
        label: 'Caption',
        color: '#ffffff',
        text: 'contrast outlines the L5 root',
        range: { from: 2, to: 3 },
        keyframes: [{ frame: 2, geometry: {} }],
      },
    ],
    caseRecord: {
      ...emptyCaseRecord(),
      contrastFirstSeenFrame: 2,
      injectates: [{ agent: 'Iohexol 240 mgI/mL', volumeMl: 1.5, frame: 3, time: null, note: '' }],
    },
    calibration: { objectName: 'marker ball', lengthMm: 25, frame: 1, line: { from: { x: 0, y: 0 }, to: { x: 100, y: 0 } } },
    vascularFlags: [{ id: 'flag-1', from: 2, to: 3, uptake: 'venous', note: '' }],
    leadTips: [{ id: 'lead-1', label: 'Lead 1', frame: 3, level: 'T8', position: null }],
  };
}

describe('work carried between openings of one series', () => {
  it('renumbers every frame the work names to the frame holding the same instance', () => {
    const map = frameMapBySopInstance(PART, WHOLE)!;
    expect([1, 2, 3].map(map)).toEqual([4, 5, 6]);
    const carried = remapDocumentFrames(workOnPart(), WHOLE, map)!;
    expect(carried.runRef).toEqual(WHOLE);
    expect(carried.tracks[0].keyframes.map((k) => [k.frame, k.geometry])).toEqual([
      [4, { tip: { x: 10, y: 20 } }],
      [6, { tip: { x: 30, y: 40 } }],
    ]);
    const caption = carried.tracks[1];
    expect(caption.kind === 'caption' && caption.range).toEqual({ from: 5, to: 6 });
    expect(caption.keyframes.map((k) => k.frame)).toEqual([5]);
    expect(carried.caseRecord.contrastFirstSeenFrame).toBe(5);
    expect(carried.caseRecord.injectates[0].frame).toBe(6);
    expect(carried.calibration?.frame).toBe(4);
    expect(carried.vascularFlags[0]).toMatchObject({ from: 5, to: 6 });
    expect(carried.leadTips[0].frame).toBe(6);
  });

  it('carries work from the whole series to a part only when every frame it names is in the part', () => {
    const onWhole = remapDocumentFrames(workOnPart(), WHOLE, frameMapBySopInstance(PART, WHOLE)!)!;
    // Back to the same three images: everything maps.
    const back = remapDocumentFrames(onWhole, PART, frameMapBySopInstance(WHOLE, PART)!)!;
    expect(back.tracks[0].keyframes.map((k) => k.frame)).toEqual([1, 3]);
    // A part without image 6 (whole frame 6) would lose a keyframe: nothing is carried.
    const smaller = run([4, 5]);
    expect(remapDocumentFrames(onWhole, smaller, frameMapBySopInstance(WHOLE, smaller)!)).toBeNull();
  });

  it('refuses other series, multi-frame instances, disjoint parts and ranges that would run backwards', () => {
    expect(frameMapBySopInstance(PART, run([4, 5, 6], '9.9.9'))).toBeNull();
    const multiFrame: RunRef = { ...run([1]), frameCount: 96 };
    expect(frameMapBySopInstance(multiFrame, { ...multiFrame })).toBeNull();
    expect(frameMapBySopInstance(PART, run([1, 2, 3]))).toBeNull();
    // The same images in another order: a range whose ends swap places cannot be kept.
    const reversed = run([6, 5, 4]);
    expect(remapDocumentFrames(workOnPart(), reversed, frameMapBySopInstance(PART, reversed)!)).toBeNull();
  });

  it('keeps keyframes in frame order when the other opening orders the images differently', () => {
    const doc = { ...workOnPart(), vascularFlags: [], tracks: [workOnPart().tracks[0]] };
    const reordered = run([6, 1, 4, 5]);
    const carried = remapDocumentFrames(doc, reordered, frameMapBySopInstance(PART, reordered)!)!;
    expect(carried.tracks[0].keyframes.map((k) => [k.frame, k.geometry])).toEqual([
      [1, { tip: { x: 30, y: 40 } }],
      [3, { tip: { x: 10, y: 20 } }],
    ]);
  });

  it('tells an empty autosave from work', () => {
    expect(holdsWork(createDocument(PART))).toBe(false);
    expect(holdsWork({ ...createDocument(PART), caseRecord: { ...emptyCaseRecord(), notes: 'tip at 6 o’clock' } })).toBe(true);
    expect(holdsWork(workOnPart())).toBe(true);
  });

  it('says what came, from how many images, and where', () => {
    expect(carriedWorkText({ fromFrames: 3, tracks: 2, keyframes: { first: 4, last: 6 } }, 10)).toBe(
      'work saved when 3 of its 10 images were opened is shown here: 2 tracks, keyframes on frames 4–6 of this run (the same images)',
    );
    expect(carriedWorkText({ fromFrames: 1, tracks: 1, keyframes: { first: 7, last: 7 } }, 10)).toBe(
      'work saved when one of its 10 images was opened is shown here: 1 track, keyframes on frame 7 of this run (the same image)',
    );
    expect(carriedWorkText({ fromFrames: 10, tracks: 0, keyframes: null }, 3)).toBe(
      'work saved when 10 images of this series were opened is shown here: its case record and run marks',
    );
  });

  it('says what could not come, and that it stays saved', () => {
    expect(workElsewhereText({ fromFrames: 10, tracks: 2 }, 3)).toBe(
      'work saved when 10 images of this series were opened (2 tracks) is not shown here: some of its marks are on images other than the 3 opened now. It stays saved; open those images with these to see it',
    );
    expect(workElsewhereText({ fromFrames: 1, tracks: 0 }, 1)).toBe(
      'work saved when one image of this series was opened (its case record and run marks) is not shown here: some of its marks are on images other than the one opened now. It stays saved; open those images with these to see it',
    );
  });
});
