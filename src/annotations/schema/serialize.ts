/**
 * Document → versioned JSON. Keys are written in a fixed order (format.ts), then any unknown
 * fields kept from the file that was loaded, sorted by name, so the same document always gives
 * the same text and diffs stay small.
 */
import type {
  AnnotationDocument,
  CaseRecord,
  Geometry,
  Injectate,
  JsonObject,
  JsonValue,
  Keyframe,
  LeadTip,
  Point,
  RunRef,
  Track,
  UserCalibration,
  VascularFlag,
} from '../model';
import { derivedToJson, type DerivedInputs } from './derived';
import { CURRENT_VERSION, FORMAT_TYPE } from './format';

export interface SaveMeta {
  /** The app's version, written as createdBy "FluoroLens <appVersion>". */
  readonly appVersion: string;
  /** Defaults to now. */
  readonly savedAt?: Date;
  /** When given, a read-only `derived` block (per-frame positions, measurements) is added; see derived.ts. */
  readonly derived?: DerivedInputs;
}

export function serializeDocument(doc: AnnotationDocument, meta: SaveMeta): string {
  return `${JSON.stringify(documentToJson(doc, meta), null, 2)}\n`;
}

/** The envelope as a plain JSON object, for callers that embed it (e.g. a teaching package). */
export function documentToJson(doc: AnnotationDocument, meta: SaveMeta): JsonObject {
  const known: JsonObject = {
    type: FORMAT_TYPE,
    version: CURRENT_VERSION,
    createdBy: `FluoroLens ${meta.appVersion}`,
    savedAt: (meta.savedAt ?? new Date()).toISOString(),
    run: runToJson(doc.runRef),
    tracks: doc.tracks.map(trackToJson),
    caseRecord: caseRecordToJson(doc.caseRecord),
    calibration: doc.calibration ? calibrationToJson(doc.calibration) : null,
    vascularFlags: doc.vascularFlags.map(vascularFlagToJson),
    leadTips: doc.leadTips.map(leadTipToJson),
  };
  if (meta.derived) known.derived = derivedToJson(doc, meta.derived);
  return withExtra(known, doc.extra);
}

/** Known fields win over an `extra` field of the same name; extras follow in name order. */
function withExtra(known: JsonObject, extra: JsonObject | undefined): JsonObject {
  const result = { ...known };
  for (const key of Object.keys(extra ?? {}).sort()) {
    if (!(key in known) && extra) result[key] = extra[key];
  }
  return result;
}

function runToJson(run: RunRef): JsonObject {
  return withExtra(
    {
      studyInstanceUID: run.studyInstanceUID,
      seriesInstanceUID: run.seriesInstanceUID,
      sopInstanceUIDs: [...run.sopInstanceUIDs],
      frameCount: run.frameCount,
    },
    run.extra,
  );
}

function trackToJson(track: Track): JsonObject {
  const known: JsonObject = { id: track.id, kind: track.kind, label: track.label, color: track.color };
  if (track.kind === 'arrow' || track.kind === 'caption') known.text = track.text;
  if (track.kind === 'caption') known.range = { from: track.range.from, to: track.range.to };
  known.keyframes = (track.keyframes as readonly Keyframe[]).map(keyframeToJson);
  return withExtra(known, track.extra);
}

function keyframeToJson(keyframe: Keyframe): JsonObject {
  return withExtra({ frame: keyframe.frame, geometry: geometryToJson(keyframe.geometry) }, keyframe.extra);
}

function pointToJson(p: Point): JsonObject {
  return { x: p.x, y: p.y };
}

const POINT_KEYS = ['tip', 'hub', 'center', 'from', 'to', 'position'] as const;

/** Written by field presence, in a fixed order, so every kind's geometry serializes the same way. */
function geometryToJson(geometry: Geometry): JsonObject {
  const points = geometry as Partial<Record<(typeof POINT_KEYS)[number], Point>>;
  const result: JsonObject = {};
  for (const key of POINT_KEYS) {
    const value = points[key];
    if (value) result[key] = pointToJson(value);
  }
  if ('radiusPx' in geometry) result.radiusPx = geometry.radiusPx;
  if ('contour' in geometry) result.contour = geometry.contour.map(pointToJson);
  return result;
}

function caseRecordToJson(record: CaseRecord): JsonObject {
  const known: { [key: string]: JsonValue } = {
    procedure: record.procedure,
    levels: [...record.levels],
    side: record.side,
    approach: record.approach,
    contrastPatterns: [...record.contrastPatterns],
    contrastFirstSeenFrame: record.contrastFirstSeenFrame,
    placementConfirmedBeforeMedication: record.placementConfirmedBeforeMedication,
    notes: record.notes,
    injectates: record.injectates.map(injectateToJson),
  };
  return withExtra(known, record.extra);
}

function injectateToJson(entry: Injectate): JsonObject {
  return withExtra({ agent: entry.agent, volumeMl: entry.volumeMl, frame: entry.frame, time: entry.time, note: entry.note }, entry.extra);
}

function calibrationToJson(calibration: UserCalibration): JsonObject {
  return withExtra(
    {
      objectName: calibration.objectName,
      lengthMm: calibration.lengthMm,
      frame: calibration.frame,
      line: { from: pointToJson(calibration.line.from), to: pointToJson(calibration.line.to) },
    },
    calibration.extra,
  );
}

function vascularFlagToJson(flag: VascularFlag): JsonObject {
  return withExtra({ id: flag.id, uptake: flag.uptake, from: flag.from, to: flag.to, note: flag.note }, flag.extra);
}

function leadTipToJson(lead: LeadTip): JsonObject {
  return withExtra(
    { id: lead.id, label: lead.label, frame: lead.frame, level: lead.level, position: lead.position ? pointToJson(lead.position) : null },
    lead.extra,
  );
}
