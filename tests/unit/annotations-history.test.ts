import { describe, expect, it } from 'vitest';
import {
  AnnotationCommandError,
  History,
  addKeyframeFromInterpolation,
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  moveKeyframe,
  removeKeyframe,
  removeTrack,
  renameTrack,
  reorderTrack,
  replaceDocument,
  setArrowText,
  setCaption,
  setKeyframe,
  setTrackColor,
  updateCaseRecord,
  type AnnotationDocument,
} from '../../src/annotations/model';

const empty: AnnotationDocument = createDocument({
  studyInstanceUID: '1.2.3',
  seriesInstanceUID: '1.2.3.4',
  sopInstanceUIDs: ['1.2.3.4.5'],
  frameCount: 40,
});

function withNeedle(): AnnotationDocument {
  return applyCommand(empty, addTrack(createTrack(empty, 'needleTip'))).doc;
}

const tip = (x: number, y: number) => ({ tip: { x, y } });

describe('commands', () => {
  it('never mutate the document they are given', () => {
    const doc = withNeedle();
    const frozen = JSON.stringify(doc);
    const after = applyCommand(doc, setKeyframe('needleTip-1', 3, tip(1, 2))).doc;
    applyCommand(after, moveKeyframe('needleTip-1', 3, 9));
    applyCommand(after, updateCaseRecord({ notes: 'x' }));
    expect(JSON.stringify(doc)).toBe(frozen);
    expect(after).not.toBe(doc);
    expect(after.caseRecord).toBe(doc.caseRecord);
  });

  it('name themselves by what they do to which kind of track', () => {
    const doc = withNeedle();
    const added = applyCommand(doc, setKeyframe('needleTip-1', 3, tip(1, 2)));
    expect(added.entry?.label).toBe('Add needle tip keyframe');
    expect(applyCommand(added.doc, setKeyframe('needleTip-1', 3, tip(5, 2))).entry?.label).toBe('Move needle tip');
    expect(applyCommand(added.doc, moveKeyframe('needleTip-1', 3, 7)).entry?.label).toBe('Move needle tip keyframe to frame 7');
    expect(applyCommand(added.doc, removeTrack('needleTip-1')).entry?.label).toBe('Delete needle tip');
    expect(applyCommand(added.doc, { ...renameTrack('needleTip-1', 'Left'), label: 'Call it Left' }).entry?.label).toBe('Call it Left');
    expect(applyCommand(added.doc, replaceDocument(empty, 'import')).entry).toBeNull();
  });

  it('keep keyframes sorted and unique and move them between frames', () => {
    let doc = withNeedle();
    for (const frame of [20, 5, 12]) doc = applyCommand(doc, setKeyframe('needleTip-1', frame, tip(frame, 0))).doc;
    doc = applyCommand(doc, setKeyframe('needleTip-1', 12, tip(99, 0))).doc;
    expect(doc.tracks[0].keyframes.map((k) => k.frame)).toEqual([5, 12, 20]);
    doc = applyCommand(doc, moveKeyframe('needleTip-1', 20, 2)).doc;
    expect(doc.tracks[0].keyframes.map((k) => k.frame)).toEqual([2, 5, 12]);
    expect(doc.tracks[0].keyframes[0].geometry).toEqual(tip(20, 0));
    doc = applyCommand(doc, removeKeyframe('needleTip-1', 5)).doc;
    expect(doc.tracks[0].keyframes.map((k) => k.frame)).toEqual([2, 12]);
    doc = applyCommand(doc, addKeyframeFromInterpolation('needleTip-1', 7)).doc;
    expect(doc.tracks[0].keyframes[1]).toEqual({ frame: 7, geometry: tip(20 + (99 - 20) / 2, 0) });
  });

  it('edit labels, colours, captions, arrow text, order and the case record', () => {
    let doc = withNeedle();
    doc = applyCommand(doc, addTrack(createTrack(doc, 'caption', { text: 'a' }))).doc;
    doc = applyCommand(doc, addTrack(createTrack(doc, 'arrow'), 0)).doc;
    expect(doc.tracks.map((t) => t.id)).toEqual(['arrow-1', 'needleTip-1', 'caption-1']);
    doc = applyCommand(doc, reorderTrack('caption-1', 0)).doc;
    doc = applyCommand(doc, renameTrack('needleTip-1', 'Right L5 needle')).doc;
    doc = applyCommand(doc, setTrackColor('needleTip-1', '#ff0000')).doc;
    doc = applyCommand(doc, setCaption('caption-1', { text: 'contrast outlines the L5 root', range: { from: 10, to: 20 } })).doc;
    doc = applyCommand(doc, setArrowText('arrow-1', 'foramen')).doc;
    doc = applyCommand(doc, updateCaseRecord({ procedure: 'transforaminalEsi', levels: ['l5-s1', 'L5'], contrastFirstSeenFrame: 12 })).doc;
    expect(doc.tracks.map((t) => t.id)).toEqual(['caption-1', 'arrow-1', 'needleTip-1']);
    expect(doc.tracks[0]).toMatchObject({ text: 'contrast outlines the L5 root', range: { from: 10, to: 20 } });
    expect(doc.tracks[1]).toMatchObject({ text: 'foramen' });
    expect(doc.tracks[2]).toMatchObject({ label: 'Right L5 needle', color: '#ff0000' });
    expect(doc.caseRecord).toMatchObject({ procedure: 'transforaminalEsi', levels: ['L5-S1', 'L5'], contrastFirstSeenFrame: 12 });
  });

  it('return the same document when nothing changes', () => {
    const doc = withNeedle();
    expect(applyCommand(doc, renameTrack('needleTip-1', 'Needle tip')).doc).toBe(doc);
    expect(applyCommand(doc, reorderTrack('needleTip-1', 0)).doc).toBe(doc);
  });

  it('refuse what the UI should have prevented, saying why', () => {
    const doc = applyCommand(withNeedle(), setKeyframe('needleTip-1', 3, tip(1, 1))).doc;
    const fails = (cmd: Parameters<typeof applyCommand>[1], message: RegExp) => expect(() => applyCommand(doc, cmd)).toThrow(message);
    fails(setKeyframe('nope', 1, tip(0, 0)), /no track with id "nope"/);
    fails(setKeyframe('needleTip-1', 41, tip(0, 0)), /frame 41 is outside the run \(frames 1–40\)/);
    fails(setKeyframe('needleTip-1', 2, { center: { x: 0, y: 0 }, radiusPx: 3 }), /no valid tip point/);
    fails(moveKeyframe('needleTip-1', 4, 5), /has no keyframe at frame 4/);
    fails(addTrack(createTrack(doc, 'target', { id: 'needleTip-1' })), /already exists/);
    fails(updateCaseRecord({ levels: ['L6'] }), /"L6" is not a vertebral level/);
    fails(setArrowText('needleTip-1', 'x'), /is not an arrow/);
    fails(addKeyframeFromInterpolation('needleTip-1', 9), /shows nothing at frame 9/);
    const two = applyCommand(doc, setKeyframe('needleTip-1', 8, tip(2, 2))).doc;
    expect(() => applyCommand(two, moveKeyframe('needleTip-1', 3, 8))).toThrow(AnnotationCommandError);
  });
});

describe('History', () => {
  it('undoes 2 of 3, redoes 1, and a new command clears what was left to redo', () => {
    const history = new History(withNeedle());
    const docs = [history.doc];
    for (const frame of [1, 2, 3]) docs.push(history.apply(setKeyframe('needleTip-1', frame, tip(frame, frame))));
    expect(history.undo()).toBe(true);
    expect(history.undo()).toBe(true);
    expect(history.doc).toBe(docs[1]);
    expect(history.redoLabel).toBe('Redo Add needle tip keyframe');
    expect(history.redo()).toBe(true);
    expect(history.doc).toBe(docs[2]);
    expect(history.canRedo).toBe(true);
    history.apply(setKeyframe('needleTip-1', 2, tip(9, 9)));
    expect(history.canRedo).toBe(false);
    expect(history.redo()).toBe(false);
    expect(history.undoLabel).toBe('Undo Move needle tip');
    expect(history.undo() && history.undo() && history.undo()).toBe(true);
    expect(history.doc).toBe(docs[0]);
    expect(history.canUndo).toBe(false);
    expect(history.undoLabel).toBeNull();
  });

  it('makes a transaction of 20 moves one undo step', () => {
    const history = new History(withNeedle());
    history.apply(setKeyframe('needleTip-1', 5, tip(0, 0)));
    const beforeDrag = history.doc;
    history.begin('Move needle tip');
    for (let i = 1; i <= 20; i++) history.apply(setKeyframe('needleTip-1', 5, tip(i, i * 2)));
    expect(history.canUndo).toBe(false);
    history.commit();
    expect(history.doc.tracks[0].keyframes[0].geometry).toEqual(tip(20, 40));
    expect(history.undoLabel).toBe('Undo Move needle tip');
    history.undo();
    expect(history.doc).toBe(beforeDrag);
    history.redo();
    expect(history.doc.tracks[0].keyframes[0].geometry).toEqual(tip(20, 40));
  });

  it('restores the document on cancel and records nothing for an empty transaction', () => {
    const history = new History(withNeedle());
    const start = history.doc;
    history.begin('Move needle tip');
    history.apply(setKeyframe('needleTip-1', 5, tip(1, 1)));
    history.cancel();
    expect(history.doc).toBe(start);
    history.begin('Nothing');
    history.commit();
    expect(history.canUndo).toBe(false);
    expect(() => history.commit()).toThrow(/no transaction/);
    history.begin('One');
    expect(() => history.begin('Two')).toThrow(/"One" is still open/);
  });

  it('does not record no-ops', () => {
    const history = new History(withNeedle());
    history.apply(renameTrack('needleTip-1', 'Needle tip'));
    expect(history.canUndo).toBe(false);
  });

  it('clears both stacks when the whole document is replaced (load, import, restore)', () => {
    const history = new History(withNeedle());
    history.apply(setKeyframe('needleTip-1', 1, tip(1, 1)));
    history.apply(setKeyframe('needleTip-1', 2, tip(1, 1)));
    history.undo();
    history.apply(replaceDocument(empty, 'restore'));
    expect(history.doc).toBe(empty);
    expect(history.canUndo).toBe(false);
    expect(history.canRedo).toBe(false);
  });

  it('drops the oldest steps past its limit and bumps its revision on every change', () => {
    const history = new History(withNeedle(), { limit: 3 });
    const revision = history.revision;
    for (let i = 1; i <= 5; i++) history.apply(setKeyframe('needleTip-1', i, tip(i, i)));
    expect(history.revision).toBeGreaterThan(revision);
    let steps = 0;
    while (history.undo()) steps++;
    expect(steps).toBe(3);
    expect(history.doc.tracks[0].keyframes).toHaveLength(2);
  });
});
