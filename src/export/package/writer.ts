/**
 * Writes a teaching package: one .zip (fflate, streamed) holding
 *   dicom/run-N/IM0001.dcm …   the de-identified DICOM of each run, in frame order
 *   annotations/run-N.json     the run's annotation document (our versioned envelope), new UIDs
 *   media/run-N.mp4|webm|gif   the annotated video, as given by the caller
 *   media/run-N-frame-0012.png key frames, as given by the caller
 *   case.html                  the case as one offline page (caseHtml.ts)
 *   manifest.json              what is where, the learning points, the quiz (manifest.ts)
 *
 * Everything is checked before the first byte is written: every source file is read and indexed,
 * every burned-in-text decision is made, every text a person typed (title, learning points, run
 * labels, captions, notes, pseudonyms, approved descriptors) and every media file is checked
 * against the case's identifying values. So a refusal leaves nothing behind. Once writing has
 * started, a failure (a frame that does not decode) rejects the promise: the caller must then
 * discard what the sink received (the browser builds its Blob only on success).
 *
 * Memory: the zip is streamed to the sink chunk by chunk; DICOM pixel data is read in pieces and
 * masked frames one at a time (instance.ts). ZIP without ZIP64: at most 4 GiB.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { AnnotationDocument } from '../../annotations/model';
import { serializeDocument, runMismatch, type DerivedInputs } from '../../annotations/schema';
import type { ByteSource } from '../../dicom/types';
import { createDeidCase, type DeidCase } from '../deid/deidCase';
import { DEID_CODES, DeidentificationError, listDescriptors, type DeidReport, type Pseudonym } from '../deid/deidentify';
import { deidentifyInstance, readSourceInstance, type DeidentifiedInstance, type SourceInstance } from '../deid/instance';
import type { DecodedFrame, MaskRect } from '../deid/mask';
import { PROFILE_EDITION } from '../deid/profile';
import { caseHtmlParts } from './caseHtml';
import { documentForPackage, documentTexts } from './documents';
import {
  CASE_HTML_PATH,
  MANIFEST_PATH,
  PACKAGE_TYPE,
  PACKAGE_VERSION,
  QUIZ_VERSION,
  type Manifest,
  type ManifestRun,
  type QuizSettings,
  type VideoFormat,
} from './manifest';

export interface RunPixelCleaning {
  /** Applied to every frame of every file of the run. */
  readonly rectangles: readonly MaskRect[];
  /** Stored values of frame `frame` (1-based) of `file`, one of the run's files. */
  readonly decodeFrame: (file: ByteSource, frame: number) => Promise<DecodedFrame>;
  readonly fillValue?: number;
}

export interface TeachingRunInput {
  /** Shown in case.html, e.g. "AP". */
  readonly label: string;
  /** The run's DICOM files (one multi-frame file, or the files of a single-frame series). */
  readonly files: readonly ByteSource[];
  readonly document: AnnotationDocument | null;
  /** When given, the annotations JSON gets its read-only `derived` block. */
  readonly derived?: DerivedInputs;
  /** Educator-approved descriptor text by tag (Clean Descriptors), e.g. { "0008103E": "AP" }. */
  readonly descriptors?: Readonly<Record<string, string>>;
  /** Required when a file's Burned In Annotation is YES or absent. */
  readonly pixelCleaning?: RunPixelCleaning;
  readonly video?: { readonly format: VideoFormat; readonly bytes: Uint8Array };
  readonly keyFrames?: readonly { readonly frame: number; readonly png: Uint8Array; readonly caption?: string }[];
}

export interface QuizInput {
  /** runIndex: position in `runs`. frames default to the track's keyframes. */
  readonly questions: readonly { readonly runIndex: number; readonly trackId: string; readonly frames?: readonly number[] }[];
  readonly contrastPatternRuns?: readonly number[];
}

export interface TeachingCaseInput {
  readonly title: string;
  readonly learningPoints: readonly string[];
  readonly runs: readonly TeachingRunInput[];
  readonly quiz?: QuizInput | null;
  readonly pseudonym?: Partial<Pseudonym>;
  /** Per-case secret (deid/caseKeys.ts); a new one when absent. Returned, so it can be kept for a re-export. */
  readonly secret?: Uint8Array;
  readonly appVersion: string;
  /** Defaults to now; only used, shifted like every date, as the annotations' savedAt. */
  readonly now?: Date;
}

export type PackageSink = (chunk: Uint8Array) => void | Promise<void>;

export interface TeachingPackageResult {
  readonly manifest: Manifest;
  /** Paths written, in order. */
  readonly paths: readonly string[];
  readonly bytesWritten: number;
  readonly secret: Uint8Array;
  /** One report per DICOM file, in manifest order (counts only). */
  readonly reports: readonly DeidReport[];
}

/** Every zip entry gets this time: the real one would say when the case was exported. */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const ZIP_LIMIT = 0xffffffff;

interface PreparedRun {
  readonly id: string;
  readonly input: TeachingRunInput;
  readonly outputs: DeidentifiedInstance[];
  readonly manifest: ManifestRun;
  readonly document: AnnotationDocument | null;
}

export interface RunFileInspection {
  readonly name: string;
  /** Burned In Annotation is YES or absent: the mask dialog must be shown and confirmed. */
  readonly pixelCleaningRequired: boolean;
  readonly columns: number;
  readonly rows: number;
  readonly frameCount: number;
  /** Descriptors the educator may keep (Clean Descriptors), with their current text. */
  readonly descriptors: ReturnType<typeof listDescriptors>;
}

/** What the export dialog needs before the educator confirms, per file. Reads headers only. */
export async function inspectRunFiles(files: readonly ByteSource[]): Promise<RunFileInspection[]> {
  const sources = await Promise.all(files.map(readSourceInstance));
  return sources.map((source) => ({
    name: source.source.name,
    pixelCleaningRequired: source.pixelCleaningRequired,
    columns: source.geometry.columns,
    rows: source.geometry.rows,
    frameCount: source.geometry.frameCount,
    descriptors: listDescriptors(source.dataset),
  }));
}

export async function writeTeachingPackage(input: TeachingCaseInput, sink: PackageSink): Promise<TeachingPackageResult> {
  if (input.runs.length === 0) throw new DeidentificationError('a teaching case needs at least one run');
  const sourcesByRun = await Promise.all(input.runs.map((run) => Promise.all(run.files.map(readSourceInstance))));
  const deid = await createDeidCase(sourcesByRun.flat(), {
    secret: input.secret,
    pseudonym: input.pseudonym,
    appVersion: input.appVersion,
  });
  const runs = input.runs.map((run, index) => prepareRun(run, index, sourcesByRun[index], deid));
  checkTypedText(input, runs, deid);
  checkMedia(input, deid);
  const quiz = quizSettings(input.quiz ?? null, runs);
  const manifest: Manifest = {
    type: PACKAGE_TYPE,
    version: PACKAGE_VERSION,
    createdBy: `FluoroLens ${input.appVersion}`,
    title: input.title.trim(),
    learningPoints: input.learningPoints.map((p) => p.trim()).filter((p) => p !== ''),
    runs: runs.map((run) => run.manifest),
    quiz,
    deidentification: {
      standard: `DICOM PS3.15 ${PROFILE_EDITION} Annex E`,
      methodCodes: methodCodes(runs),
      patientName: deid.pseudonym.patientName,
      patientId: deid.pseudonym.patientId,
    },
  };

  const zip = new ZipStream(sink);
  const savedAt = new Date((input.now ?? new Date()).getTime() + (deid.dateOffset.days * 86_400 + deid.dateOffset.seconds) * 1000);
  for (const run of runs) {
    for (let i = 0; i < run.outputs.length; i++) await zip.add(run.manifest.dicom[i], run.outputs[i].chunks(), false);
    if (run.document && run.manifest.annotations) {
      const text = serializeDocument(run.document, { appVersion: input.appVersion, savedAt, derived: run.input.derived });
      await zip.add(run.manifest.annotations, once(new TextEncoder().encode(text)), true);
    }
    if (run.input.video && run.manifest.video) await zip.add(run.manifest.video.path, once(run.input.video.bytes), false);
    for (const [i, key] of (run.input.keyFrames ?? []).entries()) await zip.add(run.manifest.keyFrames[i].path, once(key.png), false);
  }
  const html = caseHtmlParts({
    title: manifest.title,
    learningPoints: manifest.learningPoints,
    appVersion: input.appVersion,
    hasQuiz: quiz !== null,
    runs: runs.map((run) => ({
      label: run.manifest.label,
      frameCount: run.manifest.frameCount,
      caseRecord: run.document?.caseRecord ?? null,
      vascularFlags: run.document?.vascularFlags ?? [],
      leadTips: run.document?.leadTips ?? [],
      video: run.input.video && run.manifest.video ? { ...run.input.video, path: run.manifest.video.path } : null,
      keyFrames: (run.input.keyFrames ?? []).map((key) => ({ frame: key.frame, png: key.png, caption: key.caption ?? '' })),
    })),
  });
  await zip.add(CASE_HTML_PATH, encodeAll(html), true);
  await zip.add(MANIFEST_PATH, once(new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`)), true);
  await zip.end();
  return {
    manifest,
    paths: zip.paths,
    bytesWritten: zip.bytesWritten,
    secret: deid.secret,
    reports: runs.flatMap((run) => run.outputs.map((output) => output.report)),
  };
}

// ---------------------------------------------------------------------------------------------
// Preparing a run

function prepareRun(run: TeachingRunInput, index: number, sources: SourceInstance[], deid: DeidCase): PreparedRun {
  const id = `run-${index + 1}`;
  const where = `run ${index + 1}${run.label.trim() ? ` ("${run.label.trim()}")` : ''}`;
  if (sources.length === 0) throw new DeidentificationError(`${where}: has no DICOM files`);
  const series = new Set(sources.map((s) => s.seriesInstanceUID));
  if (series.size > 1) throw new DeidentificationError(`${where}: its files belong to ${series.size} different series`);
  const ordered = orderSources(sources, run.document);
  const frameCount = ordered.reduce((sum, s) => sum + s.geometry.frameCount, 0);
  if (run.document) {
    const identity = { seriesInstanceUID: ordered[0].seriesInstanceUID, sopInstanceUIDs: ordered.map((s) => s.sopInstanceUID), frameCount };
    if (runMismatch(run.document.runRef, identity) !== null) {
      throw new DeidentificationError(`${where}: the annotations belong to other images than the run's files`);
    }
  }
  const cleaning = run.pixelCleaning;
  const outputs = ordered.map((source) =>
    deidentifyInstance(source, deid, {
      descriptors: run.descriptors,
      pixelCleaning: cleaning
        ? {
            rectangles: cleaning.rectangles,
            fillValue: cleaning.fillValue,
            decodeFrame: (frame) => cleaning.decodeFrame(source.source, frame),
          }
        : undefined,
    }),
  );
  const first = outputs[0];
  const manifestRun: ManifestRun = {
    id,
    label: run.label.trim(),
    studyInstanceUID: first.studyInstanceUID,
    seriesInstanceUID: first.seriesInstanceUID,
    sopInstanceUIDs: outputs.map((o) => o.sopInstanceUID),
    frameCount,
    dicom: outputs.map((_, i) => `dicom/${id}/IM${String(i + 1).padStart(4, '0')}.dcm`),
    annotations: run.document ? `annotations/${id}.json` : null,
    video: run.video ? { path: `media/${id}.${run.video.format}`, format: run.video.format } : null,
    keyFrames: (run.keyFrames ?? []).map((key) => {
      if (!Number.isInteger(key.frame) || key.frame < 1 || key.frame > frameCount) {
        throw new DeidentificationError(`${where}: key frame ${key.frame} is outside the run (frames 1–${frameCount})`);
      }
      return { frame: key.frame, caption: (key.caption ?? '').trim(), path: `media/${id}-frame-${String(key.frame).padStart(4, '0')}.png` };
    }),
    pixelsCleaned: outputs.some((o) => o.pixelsCleaned),
  };
  const paths = manifestRun.keyFrames.map((k) => k.path);
  if (new Set(paths).size !== paths.length) throw new DeidentificationError(`${where}: two key frames show the same frame`);
  const document = run.document ? documentForPackage(run.document, manifestRun) : null;
  return { id, input: run, outputs, manifest: manifestRun, document };
}

/** Frame order: as the annotations list the instances, else by Instance Number, else as given. */
function orderSources(sources: SourceInstance[], doc: AnnotationDocument | null): SourceInstance[] {
  const listed = doc?.runRef.sopInstanceUIDs ?? [];
  if (listed.length === sources.length && sources.every((s) => listed.includes(s.sopInstanceUID))) {
    return [...sources].sort((a, b) => listed.indexOf(a.sopInstanceUID) - listed.indexOf(b.sopInstanceUID));
  }
  if (sources.every((s) => s.instanceNumber !== null)) return [...sources].sort((a, b) => a.instanceNumber! - b.instanceNumber!);
  return sources;
}

function checkTypedText(input: TeachingCaseInput, runs: PreparedRun[], deid: DeidCase): void {
  const texts: { field: string; text: string }[] = [
    { field: 'the title', text: input.title },
    ...input.learningPoints.map((text, i) => ({ field: `learning point ${i + 1}`, text })),
  ];
  runs.forEach((run, i) => {
    const where = `run ${i + 1}`;
    texts.push({ field: `${where}: label`, text: run.input.label });
    (run.input.keyFrames ?? []).forEach((key) =>
      texts.push({ field: `${where}: caption of key frame ${key.frame}`, text: key.caption ?? '' }),
    );
    if (run.document) texts.push(...documentTexts(run.document, where));
  });
  const problems = texts.flatMap(({ field, text }) => {
    const sources = deid.identity.findInText(text);
    return sources.length > 0 ? [`${field} contains identifying text from ${sources.join(', ')}`] : [];
  });
  if (problems.length > 0) throw new DeidentificationError(`Not exported: ${problems.join('; ')}.`);
}

function checkMedia(input: TeachingCaseInput, deid: DeidCase): void {
  const problems: string[] = [];
  input.runs.forEach((run, i) => {
    if (run.video && deid.identity.findInBytes(run.video.bytes).length > 0) problems.push(`the video of run ${i + 1}`);
    for (const key of run.keyFrames ?? [])
      if (deid.identity.findInBytes(key.png).length > 0) problems.push(`key frame ${key.frame} of run ${i + 1}`);
  });
  if (problems.length > 0)
    throw new DeidentificationError(`Not exported: identifying text found inside ${problems.join(', ')} (file metadata?).`);
}

function quizSettings(quiz: QuizInput | null, runs: PreparedRun[]): QuizSettings | null {
  if (!quiz || (quiz.questions.length === 0 && (quiz.contrastPatternRuns ?? []).length === 0)) return null;
  const runAt = (index: number, what: string): PreparedRun => {
    const run = runs[index];
    if (!run) throw new DeidentificationError(`quiz: ${what} refers to run ${index + 1}, which is not in the case`);
    return run;
  };
  const questions = quiz.questions.map((question) => {
    const run = runAt(question.runIndex, `a question`);
    const track = run.document?.tracks.find((t) => t.id === question.trackId);
    if (!track) throw new DeidentificationError(`quiz: run ${question.runIndex + 1} has no track "${question.trackId}"`);
    if (track.kind !== 'needleTip' && track.kind !== 'target') {
      throw new DeidentificationError(
        `quiz: track "${track.id}" is a ${track.kind} track; only needle tip and target tracks can be questions`,
      );
    }
    const frames = [...new Set(question.frames ?? track.keyframes.map((k) => k.frame))].sort((a, b) => a - b);
    if (frames.length === 0) throw new DeidentificationError(`quiz: track "${track.id}" has no keyframes to ask about`);
    const outside = frames.find((f) => !Number.isInteger(f) || f < 1 || f > run.manifest.frameCount);
    if (outside !== undefined) throw new DeidentificationError(`quiz: frame ${outside} of track "${track.id}" is outside the run`);
    return { run: run.id, trackId: track.id, frames };
  });
  const contrastPatternRuns = (quiz.contrastPatternRuns ?? []).map((index) => runAt(index, 'the contrast pattern question').id);
  return { version: QUIZ_VERSION, questions, contrastPatternRuns: [...new Set(contrastPatternRuns)] };
}

function methodCodes(runs: PreparedRun[]): Manifest['deidentification']['methodCodes'] {
  const reports = runs.flatMap((run) => run.outputs);
  const codes: { value: string; meaning: string }[] = [DEID_CODES.basicProfile, DEID_CODES.retainLongitudinalModifiedDates];
  if (reports.some((o) => o.report.descriptorsKept.length > 0)) codes.push(DEID_CODES.cleanDescriptors);
  if (reports.some((o) => o.pixelsCleaned)) codes.push(DEID_CODES.cleanPixelData);
  return codes.map((code) => ({ value: code.value, scheme: 'DCM' as const, meaning: code.meaning }));
}

// ---------------------------------------------------------------------------------------------
// Streaming zip

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function* encodeAll(parts: readonly string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield encoder.encode(part);
}

/** fflate's Zip calls back synchronously; this queues its output and hands it to the (maybe async) sink between pushes. */
class ZipStream {
  readonly paths: string[] = [];
  bytesWritten = 0;
  private readonly pending: Uint8Array[] = [];
  private failure: Error | null = null;
  private readonly zip: Zip;

  constructor(private readonly sink: PackageSink) {
    this.zip = new Zip((error, chunk) => {
      if (error) this.failure = error;
      else this.pending.push(chunk);
    });
  }

  async add(path: string, chunks: AsyncIterable<Uint8Array>, deflate: boolean): Promise<void> {
    const file = deflate ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    file.mtime = ZIP_MTIME;
    this.zip.add(file);
    this.paths.push(path);
    let size = 0;
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > ZIP_LIMIT) throw new DeidentificationError(`${path} is larger than 4 GiB, more than a ZIP file can hold`);
      // Pushed and handed to the sink at once, so nothing waits for the next chunk.
      file.push(chunk, false);
      await this.flush();
    }
    file.push(new Uint8Array(0), true);
    await this.flush();
  }

  async end(): Promise<void> {
    this.zip.end();
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.pending.length > 0) {
      const chunk = this.pending.shift()!;
      this.bytesWritten += chunk.length;
      if (this.bytesWritten > ZIP_LIMIT)
        throw new DeidentificationError('the package is larger than 4 GiB, more than a ZIP file can hold; export fewer runs');
      await this.sink(chunk);
    }
  }
}
