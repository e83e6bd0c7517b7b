/**
 * Format history — one line per version; add a migration below whenever the version goes up.
 *
 *   0  Pre-release (FluoroLens 0.0.x). Frames 0-based (keyframe.frame, caption "frames": [first,
 *      last], case.contrastFirstSeenFrame). Track kinds "needle" and "contrast"; track "name"
 *      instead of "label"; the case record under "case".
 *   1  Frames 1-based, as in DICOM. Kinds needleTip, target, contrastSpread, arrow, caption;
 *      track "label"; caption "range": { from, to }; "caseRecord".
 *   2  Current. Adds "calibration" (a user calibration: objectName, lengthMm, frame, line
 *      {from, to}; or null), "vascularFlags" ([{ id, uptake: arterial|venous|uncertain, from,
 *      to, note }]), "leadTips" ([{ id, label, frame, level, position|null }]) and the case
 *      record's "injectates" ([{ agent, volumeMl, frame, time "HH:MM[:SS]", note }]). A v1 file
 *      has none of them: they start empty.
 *
 * Migrations work on plain JSON before validation: they rename and renumber what they find and
 * leave anything malformed for the forgiving restore (restore.ts) to warn about.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../model';
import { CURRENT_VERSION } from './format';

export interface Migration {
  readonly from: number;
  readonly to: number;
  /** Says what changed, for warnings and logs. */
  readonly name: string;
  readonly migrate: (envelope: JsonObject) => JsonObject;
}

export const MIGRATIONS: readonly Migration[] = [
  { from: 0, to: 1, name: '1-based frames, needleTip/contrastSpread kinds, label, range, caseRecord', migrate: migrate0to1 },
  { from: 1, to: 2, name: 'calibration, vascular-uptake flags, lead tips and injectate log (empty)', migrate: migrate1to2 },
];

export type MigrationResult = { ok: true; envelope: JsonObject; applied: string[] } | { ok: false; error: string };

/** Runs every migration from `version` up to CURRENT_VERSION, in order. */
export function migrateToCurrent(envelope: JsonObject, version: number): MigrationResult {
  let current = envelope;
  const applied: string[] = [];
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) return { ok: false, error: `version ${version} is not one this build can read (no migration from version ${v})` };
    current = { ...step.migrate(current), version: step.to };
    applied.push(`${step.from}→${step.to}: ${step.name}`);
  }
  return { ok: true, envelope: current, applied };
}

// ---- 0 → 1 ----------------------------------------------------------------------------------

const KIND_RENAMES_0_TO_1: Readonly<Record<string, string>> = { needle: 'needleTip', contrast: 'contrastSpread' };

function migrate0to1(envelope: JsonObject): JsonObject {
  const { case: oldCase, ...rest } = envelope;
  const result: JsonObject = { ...rest };
  if (Array.isArray(envelope.tracks)) result.tracks = envelope.tracks.map(track0to1);
  const caseRecord = envelope.caseRecord ?? oldCase;
  if (caseRecord !== undefined) result.caseRecord = caseRecord0to1(caseRecord);
  return result;
}

function oneBased(frame: JsonValue): JsonValue {
  return typeof frame === 'number' ? frame + 1 : frame;
}

function track0to1(track: JsonValue): JsonValue {
  if (!isJsonObject(track)) return track;
  const { name, frames, ...rest } = track;
  const result: JsonObject = { ...rest };
  if (typeof track.kind === 'string') result.kind = KIND_RENAMES_0_TO_1[track.kind] ?? track.kind;
  if (name !== undefined && result.label === undefined) result.label = name;
  if (Array.isArray(frames) && frames.length === 2) result.range = { from: oneBased(frames[0]), to: oneBased(frames[1]) };
  if (Array.isArray(track.keyframes)) result.keyframes = track.keyframes.map(keyframe0to1);
  return result;
}

function keyframe0to1(keyframe: JsonValue): JsonValue {
  return isJsonObject(keyframe) && keyframe.frame !== undefined ? { ...keyframe, frame: oneBased(keyframe.frame) } : keyframe;
}

function caseRecord0to1(record: JsonValue): JsonValue {
  if (!isJsonObject(record) || typeof record.contrastFirstSeenFrame !== 'number') return record;
  return { ...record, contrastFirstSeenFrame: record.contrastFirstSeenFrame + 1 };
}

// ---- 1 → 2 ----------------------------------------------------------------------------------

function migrate1to2(envelope: JsonObject): JsonObject {
  const result: JsonObject = { ...envelope };
  if (result.calibration === undefined) result.calibration = null;
  if (result.vascularFlags === undefined) result.vascularFlags = [];
  if (result.leadTips === undefined) result.leadTips = [];
  const record = envelope.caseRecord;
  if (isJsonObject(record) && record.injectates === undefined) result.caseRecord = { ...record, injectates: [] };
  return result;
}
