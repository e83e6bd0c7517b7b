/**
 * Versioned JSON → document: checks the envelope, migrates older versions, restores forgivingly
 * (restore.ts) and, when told which run is open, refuses annotations made for another one.
 */
import { isJsonObject, type AnnotationDocument } from '../model';
import { CURRENT_VERSION, FORMAT_TYPE } from './format';
import { migrateToCurrent } from './migrations';
import { restoreDocument } from './restore';
import { runMismatch, type RunMatchFields } from './runMatch';

export interface LoadedFileInfo {
  /** As written in the file, e.g. "FluoroLens 0.1.0"; null when absent. */
  readonly createdBy: string | null;
  readonly savedAt: string | null;
  /** The format version the file was written in. */
  readonly version: number;
  /** Migrations applied to bring it to the current version, e.g. "0→1: …". */
  readonly migrations: readonly string[];
}

export type ParseResult = { ok: true; doc: AnnotationDocument; warnings: string[]; file: LoadedFileInfo } | { ok: false; error: string };

export function parseDocument(text: string, expectedRun?: RunMatchFields, expectedRunName?: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(json)) return { ok: false, error: 'not a FluoroLens annotations file: expected a JSON object' };
  if (json.type !== FORMAT_TYPE) {
    const found = json.type === undefined ? 'no "type" field' : `type is ${JSON.stringify(json.type)}`;
    return { ok: false, error: `not a FluoroLens annotations file: ${found}, expected "${FORMAT_TYPE}"` };
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return { ok: false, error: `the file has no usable format version (version is ${JSON.stringify(version) ?? 'missing'})` };
  }
  if (version > CURRENT_VERSION) {
    return { ok: false, error: `made by a newer FluoroLens (version ${version}); this build reads up to ${CURRENT_VERSION}` };
  }
  const migrated = migrateToCurrent(json, version);
  if (!migrated.ok) return migrated;
  const restored = restoreDocument(migrated.envelope);
  if (!restored.ok) return restored;
  const mismatch = expectedRun ? runMismatch(restored.doc.runRef, expectedRun, expectedRunName) : null;
  if (mismatch) return { ok: false, error: mismatch };
  const file: LoadedFileInfo = {
    createdBy: typeof json.createdBy === 'string' ? json.createdBy : null,
    savedAt: typeof json.savedAt === 'string' ? json.savedAt : null,
    version,
    migrations: migrated.applied,
  };
  return { ok: true, doc: restored.doc, warnings: restored.warnings, file };
}
