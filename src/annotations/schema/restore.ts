/**
 * Forgiving restore: a current-version envelope (plain JSON, already migrated) → document.
 * Missing optional fields get their defaults. Unknown fields on the envelope, run, tracks,
 * keyframes and case record are kept in `extra` so saving again loses nothing. What cannot be
 * used is dropped or replaced, and every such change is reported as a warning, never silently:
 * a keyframe with bad geometry or a frame outside the run is dropped, not the whole file. Only a
 * file that does not say which run it is for is refused.
 */
import {
  DEFAULT_TRACK_COLORS,
  TRACK_KIND_NAMES,
  emptyCaseRecord,
  geometryProblem,
  isApproach,
  isContrastPattern,
  isFinitePoint,
  isJsonObject,
  isProcedureId,
  isSide,
  isClockTime,
  isTrackKind,
  isValidFrame,
  isVascularUptake,
  leadTipProblem,
  nextMarkId,
  normalizeVertebralLevel,
  userCalibrationProblem,
  type AnnotationDocument,
  type CaseRecord,
  type ContrastPattern,
  type FrameRange,
  type Geometry,
  type Injectate,
  type LeadTip,
  type UserCalibration,
  type VascularFlag,
  type JsonObject,
  type JsonValue,
  type Keyframe,
  type Point,
  type RunRef,
  type Track,
  type TrackKind,
} from '../model';
import {
  CALIBRATION_KEYS,
  CASE_RECORD_KEYS,
  ENVELOPE_KEYS,
  INJECTATE_KEYS,
  KEYFRAME_KEYS,
  LEAD_TIP_KEYS,
  RUN_KEYS,
  TRACK_KEYS,
  VASCULAR_FLAG_KEYS,
} from './format';

export type RestoreResult = { ok: true; doc: AnnotationDocument; warnings: string[] } | { ok: false; error: string };

type Warn = (message: string) => void;

export function restoreDocument(envelope: JsonObject): RestoreResult {
  const warnings: string[] = [];
  const warn: Warn = (message) => warnings.push(message);
  const run = restoreRun(envelope.run, warn);
  if (typeof run === 'string') return { ok: false, error: run };
  const doc: AnnotationDocument = {
    runRef: run,
    tracks: restoreTracks(envelope.tracks, run, warn),
    caseRecord: restoreCaseRecord(envelope.caseRecord, run, warn),
    calibration: restoreCalibration(envelope.calibration, run, warn),
    vascularFlags: restoreVascularFlags(envelope.vascularFlags, run, warn),
    leadTips: restoreLeadTips(envelope.leadTips, run, warn),
  };
  return { ok: true, doc: withExtra(doc, extraFields(envelope, ENVELOPE_KEYS)), warnings };
}

// ---- shared helpers ---------------------------------------------------------------------------

function extraFields(obj: JsonObject, known: readonly string[]): JsonObject | undefined {
  const entries = Object.entries(obj).filter(([key]) => !known.includes(key));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Adds `extra` only when there is some, so a clean file restores to a clean document. */
function withExtra<T extends object>(value: T, extra: JsonObject | undefined): T {
  return extra ? { ...value, extra } : value;
}

/** "a Target", "an Arrow". */
function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

function describe(value: JsonValue | undefined): string {
  return JSON.stringify(value) ?? 'nothing';
}

function textField(obj: JsonObject, key: string, fallback: string, where: string, warn: Warn): string {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value === 'string') return value;
  warn(`${where}: ${key} ${describe(value)} is not text; using ${JSON.stringify(fallback)}`);
  return fallback;
}

function frameRangeText(frameCount: number): string {
  return `frames 1–${frameCount}`;
}

// ---- run ----------------------------------------------------------------------------------------

function restoreRun(raw: JsonValue | undefined, warn: Warn): RunRef | string {
  if (!isJsonObject(raw)) return 'the file does not say which run it belongs to (no "run")';
  const { seriesInstanceUID, frameCount } = raw;
  if (typeof seriesInstanceUID !== 'string' || seriesInstanceUID === '')
    return 'the file does not say which series it belongs to (no run.seriesInstanceUID)';
  if (typeof frameCount !== 'number' || !Number.isInteger(frameCount) || frameCount < 1) {
    return `run.frameCount ${describe(frameCount)} is not a positive whole number`;
  }
  const run: RunRef = {
    studyInstanceUID: textField(raw, 'studyInstanceUID', '', 'run', warn),
    seriesInstanceUID,
    sopInstanceUIDs: restoreUidList(raw.sopInstanceUIDs, warn),
    frameCount,
  };
  return withExtra(run, extraFields(raw, RUN_KEYS));
}

function restoreUidList(raw: JsonValue | undefined, warn: Warn): string[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw) && raw.every((uid) => typeof uid === 'string')) return raw as string[];
  warn(`run: sopInstanceUIDs ${describe(raw)} is not a list of UIDs; matching by series and frame count instead`);
  return [];
}

// ---- tracks -------------------------------------------------------------------------------------

function restoreTracks(raw: JsonValue | undefined, run: RunRef, warn: Warn): Track[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    warn(`tracks ${describe(raw)} is not a list; no tracks loaded`);
    return [];
  }
  const declaredIds = new Set(raw.map((t) => (isJsonObject(t) && typeof t.id === 'string' ? t.id : '')));
  const usedIds = new Set<string>();
  const tracks: Track[] = [];
  raw.forEach((item, index) => {
    const track = restoreTrack(item, `track ${index + 1}`, run, warn);
    if (!track) return;
    const id = uniqueId(track, declaredIds, usedIds, warn);
    usedIds.add(id);
    tracks.push(id === track.id ? track : { ...track, id });
  });
  return tracks;
}

/** Keeps a track's id unless it is missing or already taken, then picks "<kind>-<n>" unused in the file. */
function uniqueId(track: Track, declaredIds: Set<string>, usedIds: Set<string>, warn: Warn): string {
  if (track.id !== '' && !usedIds.has(track.id)) return track.id;
  let n = 1;
  while (declaredIds.has(`${track.kind}-${n}`) || usedIds.has(`${track.kind}-${n}`)) n++;
  const id = `${track.kind}-${n}`;
  warn(
    track.id === ''
      ? `${withArticle(TRACK_KIND_NAMES[track.kind])} track had no id; it is now "${id}"`
      : `track id "${track.id}" was used twice; the second is now "${id}"`,
  );
  return id;
}

function restoreTrack(raw: JsonValue, where: string, run: RunRef, warn: Warn): Track | null {
  if (!isJsonObject(raw)) {
    warn(`${where} ${describe(raw)} is not a track; dropped`);
    return null;
  }
  if (!isTrackKind(raw.kind)) {
    warn(raw.kind === undefined ? `${where} has no kind; dropped` : `${where} has unknown kind ${describe(raw.kind)}; dropped`);
    return null;
  }
  const kind = raw.kind;
  const id = typeof raw.id === 'string' ? raw.id : '';
  const named = id === '' ? where : `track "${id}"`;
  const base = {
    id,
    kind,
    label: textField(raw, 'label', TRACK_KIND_NAMES[kind], named, warn),
    color: textField(raw, 'color', DEFAULT_TRACK_COLORS[kind], named, warn),
    keyframes: restoreKeyframes(raw.keyframes, kind, named, run, warn),
  };
  const extra = extraFields(raw, TRACK_KEYS);
  const text = textField(raw, 'text', '', named, warn);
  if (kind === 'arrow') return withExtra({ ...base, kind, text } as Track, extra);
  if (kind === 'caption') return withExtra({ ...base, kind, text, range: restoreRange(raw.range, named, run, warn) } as Track, extra);
  return withExtra(base as Track, extra);
}

/** A caption range: clamped into the run (with a warning); the whole run when missing, malformed or entirely outside. */
function restoreRange(raw: JsonValue | undefined, where: string, run: RunRef, warn: Warn): FrameRange {
  const whole = { from: 1, to: run.frameCount };
  if (raw === undefined) return whole;
  const from = isJsonObject(raw) ? raw.from : undefined;
  const to = isJsonObject(raw) ? raw.to : undefined;
  if (typeof from !== 'number' || typeof to !== 'number' || !Number.isInteger(from) || !Number.isInteger(to) || from > to) {
    warn(`${where}: caption range ${describe(raw)} is not a frame range; showing it on every frame`);
    return whole;
  }
  const clamped = { from: Math.max(1, from), to: Math.min(run.frameCount, to) };
  if (clamped.from > clamped.to) {
    warn(`${where}: caption range ${from}–${to} is outside the run (${frameRangeText(run.frameCount)}); showing it on every frame`);
    return whole;
  }
  if (clamped.from !== from || clamped.to !== to) {
    warn(
      `${where}: caption range ${from}–${to} reaches outside the run (${frameRangeText(run.frameCount)}); shortened to ${clamped.from}–${clamped.to}`,
    );
  }
  return clamped;
}

// ---- keyframes ----------------------------------------------------------------------------------

function restoreKeyframes(raw: JsonValue | undefined, kind: TrackKind, where: string, run: RunRef, warn: Warn): Keyframe[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    warn(`${where}: keyframes ${describe(raw)} is not a list; none loaded`);
    return [];
  }
  const byFrame = new Map<number, Keyframe>();
  for (const item of raw) {
    const keyframe = restoreKeyframe(item, kind, where, run, warn);
    if (!keyframe) continue;
    if (byFrame.has(keyframe.frame)) warn(`${where}: a second keyframe at frame ${keyframe.frame}; kept the first`);
    else byFrame.set(keyframe.frame, keyframe);
  }
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}

function restoreKeyframe(raw: JsonValue, kind: TrackKind, where: string, run: RunRef, warn: Warn): Keyframe | null {
  if (!isJsonObject(raw)) {
    warn(`${where}: keyframe ${describe(raw)} is not a keyframe; dropped`);
    return null;
  }
  const { frame, geometry } = raw;
  if (typeof frame !== 'number' || !Number.isInteger(frame)) {
    warn(
      frame === undefined
        ? `${where}: a keyframe has no frame number; dropped`
        : `${where}: keyframe frame ${describe(frame)} is not a frame number; dropped`,
    );
    return null;
  }
  if (!isValidFrame(frame, run.frameCount)) {
    warn(`${where}: keyframe at frame ${frame} is outside the run (${frameRangeText(run.frameCount)}); dropped`);
    return null;
  }
  const problem = geometryProblem(kind, geometry);
  if (problem || !isJsonObject(geometry)) {
    warn(`${where}: keyframe at frame ${frame}: ${problem ?? 'geometry is missing'}; dropped`);
    return null;
  }
  const { clean, dropped } = cleanGeometry(kind, geometry);
  if (dropped.length > 0) warn(`${where}: keyframe at frame ${frame}: unknown geometry fields ${dropped.join(', ')} not kept`);
  return withExtra({ frame, geometry: clean }, extraFields(raw, KEYFRAME_KEYS));
}

const GEOMETRY_KEYS: Readonly<Record<TrackKind, readonly string[]>> = {
  needleTip: ['tip', 'hub'],
  target: ['center', 'radiusPx'],
  contrastSpread: ['contour'],
  arrow: ['from', 'to'],
  caption: ['position'],
};

/** Copies the fields a kind's geometry has (already validated), naming any others it drops. */
function cleanGeometry(kind: TrackKind, raw: JsonObject): { clean: Geometry; dropped: string[] } {
  const dropped = Object.keys(raw).filter((key) => !GEOMETRY_KEYS[kind].includes(key));
  const point = (key: string): Point => cleanPoint(raw[key], key, dropped);
  const clean = geometryOf(kind, raw, point, dropped);
  return { clean, dropped: [...new Set(dropped)] };
}

function geometryOf(kind: TrackKind, raw: JsonObject, point: (key: string) => Point, dropped: string[]): Geometry {
  switch (kind) {
    case 'needleTip':
      return raw.hub == null ? { tip: point('tip') } : { tip: point('tip'), hub: point('hub') };
    case 'target':
      return { center: point('center'), radiusPx: raw.radiusPx as number };
    case 'contrastSpread':
      return { contour: (raw.contour as JsonValue[]).map((p) => cleanPoint(p, 'contour[]', dropped)) };
    case 'arrow':
      return { from: point('from'), to: point('to') };
    case 'caption':
      return raw.position == null ? {} : { position: point('position') };
  }
}

function cleanPoint(raw: JsonValue, name: string, dropped: string[]): Point {
  if (!isFinitePoint(raw) || !isJsonObject(raw)) throw new Error('cleanPoint called before validation');
  for (const key of Object.keys(raw)) if (key !== 'x' && key !== 'y') dropped.push(`${name}.${key}`);
  return { x: raw.x as number, y: raw.y as number };
}

// ---- case record --------------------------------------------------------------------------------

function restoreCaseRecord(raw: JsonValue | undefined, run: RunRef, warn: Warn): CaseRecord {
  const empty = emptyCaseRecord();
  if (raw === undefined || raw === null) return empty;
  if (!isJsonObject(raw)) {
    warn(`caseRecord ${describe(raw)} is not a case record; left empty`);
    return empty;
  }
  const record: CaseRecord = {
    procedure: vocabularyField(raw.procedure, isProcedureId, 'procedure', warn),
    levels: restoreLevels(raw.levels, warn),
    side: vocabularyField(raw.side, isSide, 'side', warn),
    approach: vocabularyField(raw.approach, isApproach, 'approach', warn),
    contrastPatterns: restorePatterns(raw.contrastPatterns, warn),
    contrastFirstSeenFrame: restoreFirstSeen(raw.contrastFirstSeenFrame, run, warn),
    placementConfirmedBeforeMedication: restoreConfirmed(raw.placementConfirmedBeforeMedication, warn),
    notes: textField(raw, 'notes', '', 'case record', warn),
    injectates: restoreInjectates(raw.injectates, run, warn),
  };
  return withExtra(record, extraFields(raw, CASE_RECORD_KEYS));
}

function vocabularyField<T>(raw: JsonValue | undefined, isKnown: (v: unknown) => v is T, name: string, warn: Warn): T | null {
  if (raw === undefined || raw === null) return null;
  if (isKnown(raw)) return raw;
  warn(`case record: unknown ${name} ${describe(raw)}; left unset`);
  return null;
}

function restoreLevels(raw: JsonValue | undefined, warn: Warn): string[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const levels: string[] = [];
  for (const item of items) {
    const level = typeof item === 'string' ? normalizeVertebralLevel(item) : null;
    if (level === null) warn(`case record: ${describe(item)} is not a vertebral level or range; dropped`);
    else if (!levels.includes(level)) levels.push(level);
  }
  return levels;
}

function restorePatterns(raw: JsonValue | undefined, warn: Warn): ContrastPattern[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const patterns: ContrastPattern[] = [];
  for (const item of items) {
    if (!isContrastPattern(item)) warn(`case record: unknown contrast pattern ${describe(item)}; dropped`);
    else if (!patterns.includes(item)) patterns.push(item);
  }
  return patterns;
}

function restoreFirstSeen(raw: JsonValue | undefined, run: RunRef, warn: Warn): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number' && isValidFrame(raw, run.frameCount)) return raw;
  warn(`case record: contrast first seen at frame ${describe(raw)} is outside the run (${frameRangeText(run.frameCount)}); left unset`);
  return null;
}

function restoreConfirmed(raw: JsonValue | undefined, warn: Warn): boolean | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'boolean') return raw;
  warn(`case record: placementConfirmedBeforeMedication ${describe(raw)} is not true or false; left unset`);
  return null;
}

// ---- injectate log ------------------------------------------------------------------------------

/** Every entry is kept; a field that cannot be used is emptied, with a warning, rather than losing the entry. */
function restoreInjectates(raw: JsonValue | undefined, run: RunRef, warn: Warn): Injectate[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    warn(`case record: injectates ${describe(raw)} is not a list; none loaded`);
    return [];
  }
  const entries: Injectate[] = [];
  raw.forEach((item, index) => {
    const where = `case record: injectate ${index + 1}`;
    if (!isJsonObject(item)) {
      warn(`${where} ${describe(item)} is not an entry; dropped`);
      return;
    }
    const agent = textField(item, 'agent', '', where, warn);
    if (agent.trim() === '') warn(`${where} names no agent`);
    const entry: Injectate = {
      agent,
      volumeMl: optionalField(
        item.volumeMl,
        (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
        `${where}: volume`,
        'is not a number of millilitres',
        warn,
      ),
      frame: optionalField(
        item.frame,
        (v): v is number => typeof v === 'number' && isValidFrame(v, run.frameCount),
        `${where}: frame`,
        `is outside the run (${frameRangeText(run.frameCount)})`,
        warn,
      ),
      time: optionalField(item.time, isClockTime, `${where}: time`, 'is not a clock time (HH:MM or HH:MM:SS)', warn),
      note: textField(item, 'note', '', where, warn),
    };
    entries.push(withExtra(entry, extraFields(item, INJECTATE_KEYS)));
  });
  return entries;
}

function optionalField<T>(
  raw: JsonValue | undefined,
  isUsable: (v: unknown) => v is T,
  what: string,
  problem: string,
  warn: Warn,
): T | null {
  if (raw === undefined || raw === null) return null;
  if (isUsable(raw)) return raw;
  warn(`${what} ${describe(raw)} ${problem}; left empty`);
  return null;
}

// ---- calibration --------------------------------------------------------------------------------

function restoreCalibration(raw: JsonValue | undefined, run: RunRef, warn: Warn): UserCalibration | null {
  if (raw === undefined || raw === null) return null;
  const problem = userCalibrationProblem(raw, run.frameCount);
  if (problem || !isJsonObject(raw) || !isJsonObject(raw.line)) {
    warn(`${problem ?? 'calibration is not usable'}; the run falls back to the calibration in its header`);
    return null;
  }
  const dropped: string[] = [];
  const calibration: UserCalibration = {
    objectName: raw.objectName as string,
    lengthMm: raw.lengthMm as number,
    frame: raw.frame as number,
    line: { from: cleanPoint(raw.line.from, 'line.from', dropped), to: cleanPoint(raw.line.to, 'line.to', dropped) },
  };
  for (const key of Object.keys(raw.line)) if (key !== 'from' && key !== 'to') dropped.push(`line.${key}`);
  if (dropped.length > 0) warn(`calibration: unknown fields ${dropped.join(', ')} not kept`);
  return withExtra(calibration, extraFields(raw, CALIBRATION_KEYS));
}

// ---- vascular flags -----------------------------------------------------------------------------

/** Flags reaching outside the run are shortened, flags wholly outside it or of unknown uptake dropped; each with a warning. */
function restoreVascularFlags(raw: JsonValue | undefined, run: RunRef, warn: Warn): VascularFlag[] {
  const items = listField(raw, 'vascularFlags', warn);
  const ids = items.map((item) => (isJsonObject(item) && typeof item.id === 'string' ? item.id : ''));
  const used = new Set<string>();
  const flags: VascularFlag[] = [];
  items.forEach((item, index) => {
    const where = `vascular flag ${index + 1}`;
    if (!isJsonObject(item)) return warn(`${where} ${describe(item)} is not a flag; dropped`);
    if (!isVascularUptake(item.uptake))
      return warn(`${where}: uptake ${describe(item.uptake)} is not arterial, venous or uncertain; dropped`);
    const { from, to } = item;
    if (typeof from !== 'number' || typeof to !== 'number' || !Number.isInteger(from) || !Number.isInteger(to) || from > to) {
      return warn(`${where}: frames ${describe(from)}–${describe(to)} are not a frame range; dropped`);
    }
    const clamped = { from: Math.max(1, from), to: Math.min(run.frameCount, to) };
    if (clamped.from > clamped.to)
      return warn(`${where}: frames ${from}–${to} are outside the run (${frameRangeText(run.frameCount)}); dropped`);
    if (clamped.from !== from || clamped.to !== to)
      warn(
        `${where}: frames ${from}–${to} reach outside the run (${frameRangeText(run.frameCount)}); shortened to ${clamped.from}–${clamped.to}`,
      );
    const id = uniqueMarkId(typeof item.id === 'string' ? item.id : '', 'vascular', ids, used, where, warn);
    const flag: VascularFlag = { id, uptake: item.uptake, ...clamped, note: textField(item, 'note', '', where, warn) };
    flags.push(withExtra(flag, extraFields(item, VASCULAR_FLAG_KEYS)));
  });
  return flags;
}

// ---- lead tips ----------------------------------------------------------------------------------

function restoreLeadTips(raw: JsonValue | undefined, run: RunRef, warn: Warn): LeadTip[] {
  const items = listField(raw, 'leadTips', warn);
  const ids = items.map((item) => (isJsonObject(item) && typeof item.id === 'string' ? item.id : ''));
  const used = new Set<string>();
  const leads: LeadTip[] = [];
  items.forEach((item, index) => {
    const where = `lead tip ${index + 1}`;
    const problem = leadTipProblem(item, run.frameCount);
    if (problem || !isJsonObject(item)) return warn(`${where}: ${problem ?? 'not a lead tip'}; dropped`);
    const id = uniqueMarkId(typeof item.id === 'string' ? item.id : '', 'leadTip', ids, used, where, warn);
    const dropped: string[] = [];
    const position = item.position == null ? null : cleanPoint(item.position, 'position', dropped);
    if (dropped.length > 0) warn(`${where}: unknown fields ${dropped.join(', ')} not kept`);
    const lead: LeadTip = {
      id,
      label: textField(item, 'label', 'Lead tip', where, warn),
      frame: item.frame as number,
      level: normalizeVertebralLevel(item.level as string) as string,
      position,
    };
    leads.push(withExtra(lead, extraFields(item, LEAD_TIP_KEYS)));
  });
  return leads;
}

function listField(raw: JsonValue | undefined, name: string, warn: Warn): JsonValue[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  warn(`${name} ${describe(raw)} is not a list; none loaded`);
  return [];
}

/** Keeps an id unless missing or taken, else "<prefix>-<n>" unused in the file. */
function uniqueMarkId(id: string, prefix: string, declared: readonly string[], used: Set<string>, where: string, warn: Warn): string {
  let chosen = id;
  if (id === '' || used.has(id)) {
    chosen = nextMarkId([...declared, ...used], prefix);
    warn(id === '' ? `${where} had no id; it is now "${chosen}"` : `${where}: id "${id}" was used twice; the second is now "${chosen}"`);
  }
  used.add(chosen);
  return chosen;
}
