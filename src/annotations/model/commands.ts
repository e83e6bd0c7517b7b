/**
 * Every change to a document is a named command. `applyCommand` never mutates: it returns the new
 * document (the same reference when nothing changed) and, for commands that enter history, an
 * entry holding the before/after snapshots that undo and redo swap between. Snapshots are cheap
 * because unchanged tracks and keyframes are shared between them.
 *
 * Invalid commands (unknown track, frame outside the run, bad geometry) throw
 * AnnotationCommandError: they are programming errors the UI should have prevented.
 */
import { userCalibrationProblem, type UserCalibration } from './calibration';
import { injectateProblem, type CaseRecord } from './caseRecord';
import { keyframeFromInterpolation as trackWithInterpolatedKeyframe } from './interpolation';
import { normalizeVertebralLevel } from './levels';
import { leadTipProblem, nextMarkId, vascularFlagProblem, type LeadTip, type VascularFlag } from './runMarks';
import { findTrack, geometryProblem, isValidFrame, keyframeAt, withKeyframe, withoutKeyframe } from './tracks';
import {
  TRACK_KIND_NAMES,
  type AnnotationDocument,
  type FrameRange,
  type Geometry,
  type GeometryOf,
  type Keyframe,
  type Track,
} from './types';

export class AnnotationCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnnotationCommandError';
  }
}

export type CaseRecordPatch = Partial<Omit<CaseRecord, 'extra'>>;
export type VascularFlagPatch = Partial<Omit<VascularFlag, 'id' | 'extra'>>;
export type LeadTipPatch = Partial<Omit<LeadTip, 'id' | 'extra'>>;
export type ReplaceReason = 'load' | 'import' | 'restore';

interface CommandOptions {
  /** Overrides the generated history label, e.g. "Nudge needle tip". */
  readonly label?: string;
}

export type Command = CommandOptions &
  (
    | { readonly type: 'addTrack'; readonly track: Track; readonly index?: number }
    | { readonly type: 'removeTrack'; readonly trackId: string }
    | { readonly type: 'reorderTrack'; readonly trackId: string; readonly toIndex: number }
    | { readonly type: 'renameTrack'; readonly trackId: string; readonly label: string }
    | { readonly type: 'setTrackColor'; readonly trackId: string; readonly color: string }
    | { readonly type: 'setArrowText'; readonly trackId: string; readonly text: string }
    | { readonly type: 'setCaption'; readonly trackId: string; readonly text?: string; readonly range?: FrameRange }
    | { readonly type: 'setKeyframe'; readonly trackId: string; readonly frame: number; readonly geometry: Geometry }
    | { readonly type: 'removeKeyframe'; readonly trackId: string; readonly frame: number }
    | { readonly type: 'moveKeyframe'; readonly trackId: string; readonly fromFrame: number; readonly toFrame: number }
    | { readonly type: 'keyframeFromInterpolation'; readonly trackId: string; readonly frame: number }
    | { readonly type: 'updateCaseRecord'; readonly patch: CaseRecordPatch }
    | { readonly type: 'setCalibration'; readonly calibration: UserCalibration | null }
    | { readonly type: 'addVascularFlag'; readonly flag: VascularFlag }
    | { readonly type: 'updateVascularFlag'; readonly flagId: string; readonly patch: VascularFlagPatch }
    | { readonly type: 'removeVascularFlag'; readonly flagId: string }
    | { readonly type: 'addLeadTip'; readonly lead: LeadTip }
    | { readonly type: 'updateLeadTip'; readonly leadId: string; readonly patch: LeadTipPatch }
    | { readonly type: 'removeLeadTip'; readonly leadId: string }
    | { readonly type: 'replaceDocument'; readonly doc: AnnotationDocument; readonly reason: ReplaceReason }
  );
export type CommandType = Command['type'];

export interface HistoryEntry {
  readonly label: string;
  readonly before: AnnotationDocument;
  readonly after: AnnotationDocument;
}

export interface CommandResult {
  readonly doc: AnnotationDocument;
  /** Null for commands that do not enter history (replaceDocument). */
  readonly entry: HistoryEntry | null;
}

// Command constructors: history.apply(setKeyframe(id, frame, { tip })).
export const addTrack = (track: Track, index?: number): Command => ({ type: 'addTrack', track, index });
export const removeTrack = (trackId: string): Command => ({ type: 'removeTrack', trackId });
export const reorderTrack = (trackId: string, toIndex: number): Command => ({ type: 'reorderTrack', trackId, toIndex });
export const renameTrack = (trackId: string, label: string): Command => ({ type: 'renameTrack', trackId, label });
export const setTrackColor = (trackId: string, color: string): Command => ({ type: 'setTrackColor', trackId, color });
export const setArrowText = (trackId: string, text: string): Command => ({ type: 'setArrowText', trackId, text });
export const setCaption = (trackId: string, change: { text?: string; range?: FrameRange }): Command => ({
  type: 'setCaption',
  trackId,
  ...change,
});
export const setKeyframe = (trackId: string, frame: number, geometry: Geometry): Command => ({
  type: 'setKeyframe',
  trackId,
  frame,
  geometry,
});
export const removeKeyframe = (trackId: string, frame: number): Command => ({ type: 'removeKeyframe', trackId, frame });
export const moveKeyframe = (trackId: string, fromFrame: number, toFrame: number): Command => ({
  type: 'moveKeyframe',
  trackId,
  fromFrame,
  toFrame,
});
export const addKeyframeFromInterpolation = (trackId: string, frame: number): Command => ({
  type: 'keyframeFromInterpolation',
  trackId,
  frame,
});
export const updateCaseRecord = (patch: CaseRecordPatch): Command => ({ type: 'updateCaseRecord', patch });
/** A user calibration (a line over an object of known length), or null to go back to the header's. */
export const setCalibration = (calibration: UserCalibration | null): Command => ({ type: 'setCalibration', calibration });
export const addVascularFlag = (flag: VascularFlag): Command => ({ type: 'addVascularFlag', flag });
export const updateVascularFlag = (flagId: string, patch: VascularFlagPatch): Command => ({ type: 'updateVascularFlag', flagId, patch });
export const removeVascularFlag = (flagId: string): Command => ({ type: 'removeVascularFlag', flagId });
export const addLeadTip = (lead: LeadTip): Command => ({ type: 'addLeadTip', lead });
export const updateLeadTip = (leadId: string, patch: LeadTipPatch): Command => ({ type: 'updateLeadTip', leadId, patch });
export const removeLeadTip = (leadId: string): Command => ({ type: 'removeLeadTip', leadId });

/** A new vascular flag with the next free id ("vascular-n"); add it with addVascularFlag. */
export function newVascularFlag(
  doc: AnnotationDocument,
  fields: Omit<VascularFlag, 'id' | 'note' | 'extra'> & { note?: string },
): VascularFlag {
  return {
    id: nextMarkId(
      doc.vascularFlags.map((f) => f.id),
      'vascular',
    ),
    note: '',
    ...fields,
  };
}

/** A new lead tip with the next free id ("leadTip-n") and a canonical level; add it with addLeadTip. */
export function newLeadTip(
  doc: AnnotationDocument,
  fields: Omit<LeadTip, 'id' | 'label' | 'position' | 'extra'> & Partial<Pick<LeadTip, 'label' | 'position'>>,
): LeadTip {
  const number = doc.leadTips.length + 1;
  return {
    id: nextMarkId(
      doc.leadTips.map((l) => l.id),
      'leadTip',
    ),
    label: `Lead ${number}`,
    position: null,
    ...fields,
    level: requireLevel(fields.level),
  };
}

/** Load, import or restore: replaces the whole document, does not enter history and clears it. */
export const replaceDocument = (doc: AnnotationDocument, reason: ReplaceReason): Command => ({ type: 'replaceDocument', doc, reason });

/** Whether the command becomes an undo step (false for replaceDocument, which clears history instead). */
export function entersHistory(cmd: Command): boolean {
  return cmd.type !== 'replaceDocument';
}

export function applyCommand(doc: AnnotationDocument, cmd: Command): CommandResult {
  const after = nextDocument(doc, cmd);
  if (!entersHistory(cmd)) return { doc: after, entry: null };
  return { doc: after, entry: { label: cmd.label ?? commandLabel(doc, cmd), before: doc, after } };
}

function nextDocument(doc: AnnotationDocument, cmd: Command): AnnotationDocument {
  switch (cmd.type) {
    case 'addTrack':
      return addTrackTo(doc, cmd.track, cmd.index);
    case 'removeTrack':
      requireTrack(doc, cmd.trackId);
      return { ...doc, tracks: doc.tracks.filter((t) => t.id !== cmd.trackId) };
    case 'reorderTrack':
      return reorder(doc, cmd.trackId, cmd.toIndex);
    case 'renameTrack':
      return updateTrack(doc, cmd.trackId, (t) => (t.label === cmd.label ? t : { ...t, label: cmd.label }));
    case 'setTrackColor':
      return updateTrack(doc, cmd.trackId, (t) => (t.color === cmd.color ? t : { ...t, color: cmd.color }));
    case 'setArrowText':
      return updateTrack(doc, cmd.trackId, (t) => setArrowTextOn(t, cmd.text));
    case 'setCaption':
      return updateTrack(doc, cmd.trackId, (t) => setCaptionOn(doc, t, cmd.text, cmd.range));
    case 'setKeyframe':
      requireFrame(doc, cmd.frame);
      return updateTrack(doc, cmd.trackId, (t) => setKeyframeOn(t, cmd.frame, cmd.geometry));
    case 'removeKeyframe':
      return updateTrack(doc, cmd.trackId, (t) => removeKeyframeOn(t, cmd.frame));
    case 'moveKeyframe':
      requireFrame(doc, cmd.toFrame);
      return updateTrack(doc, cmd.trackId, (t) => moveKeyframeOn(t, cmd.fromFrame, cmd.toFrame));
    case 'keyframeFromInterpolation':
      requireFrame(doc, cmd.frame);
      return updateTrack(doc, cmd.trackId, (t) => interpolatedKeyframeOn(t, cmd.frame));
    case 'updateCaseRecord':
      return { ...doc, caseRecord: { ...doc.caseRecord, ...checkedCasePatch(doc, cmd.patch) } };
    case 'setCalibration':
      if (cmd.calibration) requireValid(userCalibrationProblem(cmd.calibration, doc.runRef.frameCount));
      return { ...doc, calibration: cmd.calibration };
    case 'addVascularFlag':
      if (doc.vascularFlags.some((f) => f.id === cmd.flag.id))
        throw new AnnotationCommandError(`a vascular flag with id "${cmd.flag.id}" already exists`);
      requireValid(vascularFlagProblem(cmd.flag, doc.runRef.frameCount));
      return { ...doc, vascularFlags: [...doc.vascularFlags, cmd.flag] };
    case 'updateVascularFlag': {
      const flag = requireMark(doc.vascularFlags, cmd.flagId, 'vascular flag');
      const changed = { ...flag, ...cmd.patch };
      requireValid(vascularFlagProblem(changed, doc.runRef.frameCount));
      return { ...doc, vascularFlags: doc.vascularFlags.map((f) => (f === flag ? changed : f)) };
    }
    case 'removeVascularFlag':
      requireMark(doc.vascularFlags, cmd.flagId, 'vascular flag');
      return { ...doc, vascularFlags: doc.vascularFlags.filter((f) => f.id !== cmd.flagId) };
    case 'addLeadTip':
      if (doc.leadTips.some((l) => l.id === cmd.lead.id))
        throw new AnnotationCommandError(`a lead tip with id "${cmd.lead.id}" already exists`);
      requireValid(leadTipProblem(cmd.lead, doc.runRef.frameCount));
      return { ...doc, leadTips: [...doc.leadTips, { ...cmd.lead, level: requireLevel(cmd.lead.level) }] };
    case 'updateLeadTip': {
      const lead = requireMark(doc.leadTips, cmd.leadId, 'lead tip');
      const changed = { ...lead, ...cmd.patch };
      requireValid(leadTipProblem(changed, doc.runRef.frameCount));
      const canonical = { ...changed, level: requireLevel(changed.level) };
      return { ...doc, leadTips: doc.leadTips.map((l) => (l === lead ? canonical : l)) };
    }
    case 'removeLeadTip':
      requireMark(doc.leadTips, cmd.leadId, 'lead tip');
      return { ...doc, leadTips: doc.leadTips.filter((l) => l.id !== cmd.leadId) };
    case 'replaceDocument':
      return cmd.doc;
  }
}

function requireValid(problem: string | null): void {
  if (problem) throw new AnnotationCommandError(problem);
}

function requireMark<T extends { readonly id: string }>(marks: readonly T[], id: string, noun: string): T {
  const mark = marks.find((m) => m.id === id);
  if (!mark) throw new AnnotationCommandError(`no ${noun} with id "${id}"`);
  return mark;
}

function addTrackTo(doc: AnnotationDocument, track: Track, index = doc.tracks.length): AnnotationDocument {
  if (findTrack(doc, track.id)) throw new AnnotationCommandError(`a track with id "${track.id}" already exists`);
  for (const k of track.keyframes) {
    requireFrame(doc, k.frame);
    requireGeometry(track, k.geometry);
  }
  const tracks = [...doc.tracks];
  tracks.splice(index, 0, track);
  return { ...doc, tracks };
}

function reorder(doc: AnnotationDocument, trackId: string, toIndex: number): AnnotationDocument {
  const track = requireTrack(doc, trackId);
  const tracks = doc.tracks.filter((t) => t !== track);
  tracks.splice(Math.max(0, Math.min(toIndex, tracks.length)), 0, track);
  return tracks.every((t, i) => t === doc.tracks[i]) ? doc : { ...doc, tracks };
}

/** Replaces one track; keeps `doc` itself when the change left the track as it was. */
function updateTrack(doc: AnnotationDocument, trackId: string, change: (track: Track) => Track): AnnotationDocument {
  const track = requireTrack(doc, trackId);
  const changed = change(track);
  if (changed === track) return doc;
  return { ...doc, tracks: doc.tracks.map((t) => (t === track ? changed : t)) };
}

function setArrowTextOn(track: Track, text: string): Track {
  if (track.kind !== 'arrow') throw new AnnotationCommandError(`track "${track.id}" is not an arrow`);
  return track.text === text ? track : { ...track, text };
}

function setCaptionOn(doc: AnnotationDocument, track: Track, text?: string, range?: FrameRange): Track {
  if (track.kind !== 'caption') throw new AnnotationCommandError(`track "${track.id}" is not a caption`);
  if (range) requireRange(doc, range);
  const next = { text: text ?? track.text, range: range ?? track.range };
  const unchanged = next.text === track.text && next.range.from === track.range.from && next.range.to === track.range.to;
  return unchanged ? track : { ...track, ...next };
}

function setKeyframeOn(track: Track, frame: number, geometry: Geometry): Track {
  requireGeometry(track, geometry);
  return withKeyframe(track, frame, geometry as GeometryOf<typeof track>);
}

function removeKeyframeOn(track: Track, frame: number): Track {
  requireKeyframe(track, frame);
  return withoutKeyframe(track, frame);
}

function moveKeyframeOn(track: Track, fromFrame: number, toFrame: number): Track {
  const keyframe = requireKeyframe(track, fromFrame);
  if (fromFrame === toFrame) return track;
  if (keyframeAt(track, toFrame)) {
    throw new AnnotationCommandError(`${kindNoun(track)} already has a keyframe at frame ${toFrame}`);
  }
  const moved = [...track.keyframes.filter((k) => k !== keyframe), { ...keyframe, frame: toFrame }];
  return { ...track, keyframes: moved.sort((a, b) => a.frame - b.frame) } as Track;
}

function interpolatedKeyframeOn(track: Track, frame: number): Track {
  const result = trackWithInterpolatedKeyframe(track, frame);
  if (!result) throw new AnnotationCommandError(`${kindNoun(track)} shows nothing at frame ${frame} to make a keyframe from`);
  return result;
}

function checkedCasePatch(doc: AnnotationDocument, patch: CaseRecordPatch): CaseRecordPatch {
  const checked = { ...patch };
  if (patch.levels) checked.levels = patch.levels.map(requireLevel);
  if (patch.contrastFirstSeenFrame != null) requireFrame(doc, patch.contrastFirstSeenFrame);
  for (const entry of patch.injectates ?? []) requireValid(injectateProblem(entry, doc.runRef.frameCount));
  return checked;
}

function requireLevel(text: string): string {
  const level = normalizeVertebralLevel(text);
  if (level === null) throw new AnnotationCommandError(`"${text}" is not a vertebral level or range (e.g. L4, L5-S1)`);
  return level;
}

function requireTrack(doc: AnnotationDocument, trackId: string): Track {
  const track = findTrack(doc, trackId);
  if (!track) throw new AnnotationCommandError(`no track with id "${trackId}"`);
  return track;
}

function requireFrame(doc: AnnotationDocument, frame: number): void {
  if (!isValidFrame(frame, doc.runRef.frameCount)) {
    throw new AnnotationCommandError(`frame ${frame} is outside the run (frames 1–${doc.runRef.frameCount})`);
  }
}

function requireRange(doc: AnnotationDocument, range: FrameRange): void {
  requireFrame(doc, range.from);
  requireFrame(doc, range.to);
  if (range.from > range.to) throw new AnnotationCommandError(`frame range ${range.from}–${range.to} runs backwards`);
}

function requireGeometry(track: Track, geometry: unknown): void {
  const problem = geometryProblem(track.kind, geometry);
  if (problem) throw new AnnotationCommandError(problem);
}

function requireKeyframe(track: Track, frame: number): Keyframe {
  const keyframe = keyframeAt(track, frame);
  if (!keyframe) throw new AnnotationCommandError(`${kindNoun(track)} has no keyframe at frame ${frame}`);
  return keyframe;
}

function kindNoun(track: Track): string {
  return TRACK_KIND_NAMES[track.kind].toLowerCase();
}

/** "Move needle tip", "Add contrast spread keyframe", … — what Undo/Redo menus show after the verb. */
export function commandLabel(doc: AnnotationDocument, cmd: Command): string {
  if (cmd.type === 'addTrack') return `Add ${kindNoun(cmd.track)}`;
  if (cmd.type === 'updateCaseRecord')
    return cmd.patch.injectates && Object.keys(cmd.patch).length === 1 ? 'Edit injectate log' : 'Edit case record';
  if (cmd.type === 'setCalibration') return cmd.calibration ? `Calibrate on ${cmd.calibration.objectName}` : 'Remove calibration';
  if (cmd.type === 'addVascularFlag') return `Flag vascular uptake (${cmd.flag.uptake})`;
  if (cmd.type === 'updateVascularFlag') return 'Edit vascular flag';
  if (cmd.type === 'removeVascularFlag') return 'Delete vascular flag';
  if (cmd.type === 'addLeadTip') return `Label lead tip at ${cmd.lead.level}`;
  if (cmd.type === 'updateLeadTip') return 'Edit lead tip';
  if (cmd.type === 'removeLeadTip') return 'Delete lead tip';
  if (cmd.type === 'replaceDocument') return `${cmd.reason[0].toUpperCase()}${cmd.reason.slice(1)} annotations`;
  const track = findTrack(doc, cmd.trackId);
  const noun = track ? kindNoun(track) : 'track';
  switch (cmd.type) {
    case 'removeTrack':
      return `Delete ${noun}`;
    case 'reorderTrack':
      return `Reorder ${noun}`;
    case 'renameTrack':
      return `Rename ${noun}`;
    case 'setTrackColor':
      return `Change ${noun} colour`;
    case 'setArrowText':
      return 'Edit arrow text';
    case 'setCaption':
      return 'Edit caption';
    case 'setKeyframe':
      return track && keyframeAt(track, cmd.frame)
        ? `${track.kind === 'contrastSpread' ? 'Edit' : 'Move'} ${noun}`
        : `Add ${noun} keyframe`;
    case 'removeKeyframe':
      return `Delete ${noun} keyframe`;
    case 'moveKeyframe':
      return `Move ${noun} keyframe to frame ${cmd.toFrame}`;
    case 'keyframeFromInterpolation':
      return `Add ${noun} keyframe`;
  }
}
