/**
 * Reading a teaching package back: from the zip's bytes, or from the files of an unpacked folder
 * (paths as the browser gives them, e.g. "case/manifest.json" from webkitRelativePath). Returns
 * each run's DICOM files in frame order with its annotation document (already checked against
 * the run's UIDs), its media, and the quiz, so the app can open the runs with their annotations.
 *
 * Forgiving like the annotation restore: a missing or unreadable annotations file, video or key
 * frame, or a quiz question naming an unknown track, becomes a warning; a package whose manifest
 * is missing, of another type or newer, or whose DICOM files are missing, is refused.
 */
import type { AnnotationDocument } from '../../annotations/model';
import { parseDocument } from '../../annotations/schema';
import {
  MANIFEST_PATH,
  PACKAGE_TYPE,
  PACKAGE_VERSION,
  QUIZ_VERSION,
  type ManifestKeyFrame,
  type QuizQuestion,
  type QuizSettings,
  type VideoFormat,
} from './manifest';

export interface PackageFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface ReadRun {
  readonly id: string;
  readonly label: string;
  readonly frameCount: number;
  /** In frame order. */
  readonly dicomFiles: readonly PackageFile[];
  readonly annotations: AnnotationDocument | null;
  readonly video: { readonly format: VideoFormat; readonly file: PackageFile } | null;
  readonly keyFrames: readonly (ManifestKeyFrame & { readonly file: PackageFile })[];
  readonly pixelsCleaned: boolean;
}

export type TeachingPackageRead =
  | {
      ok: true;
      title: string;
      learningPoints: string[];
      runs: ReadRun[];
      quiz: QuizSettings | null;
      /** Phrased for people; name the package path, never patient data (there is none). */
      warnings: string[];
    }
  | { ok: false; error: string };

const normalizePath = (path: string): string => path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');

/** Whether these files (a zip's entries or a folder's) look like a teaching package. */
export function isTeachingPackage(files: readonly PackageFile[]): boolean {
  return findManifest(files) !== null;
}

function findManifest(files: readonly PackageFile[]): { root: string; json: Record<string, unknown> } | null {
  const candidates = files
    .map((file) => ({ file, path: normalizePath(file.path) }))
    .filter(({ path }) => path === MANIFEST_PATH || path.endsWith(`/${MANIFEST_PATH}`))
    .sort((a, b) => a.path.length - b.path.length);
  for (const { file, path } of candidates) {
    const json = parseJson(file.bytes);
    if (json && json.type === PACKAGE_TYPE) return { root: path.slice(0, path.length - MANIFEST_PATH.length), json };
  }
  return null;
}

function parseJson(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const asString = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const isFrame = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

export function readTeachingPackage(files: readonly PackageFile[]): TeachingPackageRead {
  const found = findManifest(files);
  if (!found) return { ok: false, error: `not a FluoroLens teaching package: no ${MANIFEST_PATH} of type "${PACKAGE_TYPE}"` };
  const { root, json } = found;
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: false, error: `${MANIFEST_PATH} has no usable version` };
  if (version > PACKAGE_VERSION) {
    return { ok: false, error: `made by a newer FluoroLens (package version ${version}); this build reads up to ${PACKAGE_VERSION}` };
  }
  const byPath = new Map(files.map((file) => [normalizePath(file.path), file]));
  const fileAt = (path: string): PackageFile | undefined => byPath.get(`${root}${normalizePath(path)}`);
  const warnings: string[] = [];
  if (!Array.isArray(json.runs) || json.runs.length === 0) return { ok: false, error: `${MANIFEST_PATH} lists no runs` };

  const runs: ReadRun[] = [];
  for (const [index, raw] of json.runs.entries()) {
    const result = readRun(raw, index, fileAt, warnings);
    if (typeof result === 'string') return { ok: false, error: result };
    runs.push(result);
  }
  return {
    ok: true,
    title: asString(json.title),
    learningPoints: asStrings(json.learningPoints),
    runs,
    quiz: readQuiz(json.quiz, runs, warnings),
    warnings,
  };
}

function readRun(raw: unknown, index: number, fileAt: (path: string) => PackageFile | undefined, warnings: string[]): ReadRun | string {
  const where = `run ${index + 1} of ${MANIFEST_PATH}`;
  if (!isObject(raw)) return `${where} is not a run`;
  const id = asString(raw.id, `run-${index + 1}`);
  const frameCount = raw.frameCount;
  if (!isFrame(frameCount)) return `${where}: frameCount is not a positive whole number`;
  const dicomPaths = asStrings(raw.dicom);
  if (dicomPaths.length === 0) return `${where} lists no DICOM files`;
  const dicomFiles: PackageFile[] = [];
  for (const path of dicomPaths) {
    const file = fileAt(path);
    if (!file) return `${where}: ${path} is missing from the package`;
    dicomFiles.push(file);
  }
  const label = asString(raw.label);
  const annotations = readAnnotations(raw, id, frameCount, fileAt, warnings);
  let video: ReadRun['video'] = null;
  if (isObject(raw.video)) {
    const format = raw.video.format;
    const file = fileAt(asString(raw.video.path));
    if ((format === 'mp4' || format === 'webm' || format === 'gif') && file) video = { format, file };
    else warnings.push(`${id}: the video ${asString(raw.video.path)} is missing or of unknown format; left out`);
  }
  const keyFrames: (ManifestKeyFrame & { file: PackageFile })[] = [];
  for (const key of Array.isArray(raw.keyFrames) ? raw.keyFrames : []) {
    const file = isObject(key) ? fileAt(asString(key.path)) : undefined;
    if (!isObject(key) || !file || !isFrame(key.frame) || key.frame > frameCount) {
      warnings.push(`${id}: a key frame is missing or outside the run; left out`);
      continue;
    }
    keyFrames.push({ frame: key.frame, path: asString(key.path), caption: asString(key.caption), file });
  }
  return { id, label, frameCount, dicomFiles, annotations, video, keyFrames, pixelsCleaned: raw.pixelsCleaned === true };
}

function readAnnotations(
  raw: Record<string, unknown>,
  id: string,
  frameCount: number,
  fileAt: (path: string) => PackageFile | undefined,
  warnings: string[],
): AnnotationDocument | null {
  if (typeof raw.annotations !== 'string') return null;
  const file = fileAt(raw.annotations);
  if (!file) {
    warnings.push(`${id}: ${raw.annotations} is missing; the run opens without annotations`);
    return null;
  }
  const expected = { seriesInstanceUID: asString(raw.seriesInstanceUID), sopInstanceUIDs: asStrings(raw.sopInstanceUIDs), frameCount };
  const parsed = parseDocument(new TextDecoder().decode(file.bytes), expected);
  if (!parsed.ok) {
    warnings.push(`${id}: ${raw.annotations}: ${parsed.error}; the run opens without annotations`);
    return null;
  }
  warnings.push(...parsed.warnings.map((w) => `${id}: ${w}`));
  return parsed.doc;
}

function readQuiz(raw: unknown, runs: readonly ReadRun[], warnings: string[]): QuizSettings | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) {
    warnings.push('the quiz settings are not readable; the case opens without a quiz');
    return null;
  }
  const version = raw.version;
  if (typeof version !== 'number' || version > QUIZ_VERSION) {
    warnings.push(`the quiz was made by a newer FluoroLens (quiz version ${String(version)}); the case opens without a quiz`);
    return null;
  }
  const questions: QuizQuestion[] = [];
  for (const item of Array.isArray(raw.questions) ? raw.questions : []) {
    const run = isObject(item) ? runs.find((r) => r.id === item.run) : undefined;
    const track = isObject(item) ? run?.annotations?.tracks.find((t) => t.id === item.trackId) : undefined;
    if (!isObject(item) || !run || !track || (track.kind !== 'needleTip' && track.kind !== 'target')) {
      warnings.push('a quiz question names a run or track that is not in the package; left out');
      continue;
    }
    const frames = (Array.isArray(item.frames) ? item.frames : []).filter((f): f is number => isFrame(f) && f <= run.frameCount);
    if (frames.length === 0) {
      warnings.push(`the quiz question on track "${track.id}" asks about no frame of the run; left out`);
      continue;
    }
    questions.push({ run: run.id, trackId: track.id, frames });
  }
  const contrastPatternRuns = asStrings(raw.contrastPatternRuns).filter((id) => {
    const known = runs.some((r) => r.id === id);
    if (!known) warnings.push(`the quiz asks for the contrast pattern of ${id}, which is not in the package; left out`);
    return known;
  });
  if (questions.length === 0 && contrastPatternRuns.length === 0) return null;
  return { version: QUIZ_VERSION, questions, contrastPatternRuns };
}
