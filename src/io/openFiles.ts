import { readWholeOnce } from '../dicom/byteSource';
import { classifyInstance, readDicomDir } from '../dicom/classify';
import { indexFramesFrameOneFirst, type FrameFound } from '../dicom/frameIndex';
import { groupInstancesIntoRuns, summarizeInstance } from '../dicom/grouping';
import { readHeader } from '../dicom/header';
import { readRadiationDoseReport, type RadiationDoseReport } from '../dicom/radiationDose';
import { fileSpanFrame, framesIndexedLater, newRunKey, runIdentity, type FrameRef, type OpenedRun } from '../dicom/run';
import { buildRunInfo } from '../dicom/runInfo';
import type { ByteSource, FrameIndex, FrameSlot } from '../dicom/types';
import { DicomInputError, NotDicomError } from '../dicom/types';
import { validatePixelGeometry } from '../dicom/validate';
import type { ParsedHeader } from '../dicom/header';
import { countText } from '../format/text';

/** One file the user gave us, with its path inside a dropped or chosen folder (or just its name). */
export interface InputFile {
  source: ByteSource;
  path: string;
}

export interface FileProblem {
  file: string;
  reason: string;
}

export interface OpenResult {
  runs: OpenedRun[];
  /** Files that could not be opened at all. */
  problems: FileProblem[];
  /** Files that are valid DICOM but not something we display (SR, presentation state, …). */
  skipped: FileProblem[];
  /** X-Ray Radiation Dose SRs among the files that could be read (not in `skipped`): what the dose panel reads. */
  doseReports: RadiationDoseReport[];
}

const HEADER_READ_CONCURRENCY = 8;
/**
 * An open of files this small in all is read whole, each file by its header's read (readWholeOnce):
 * frame 1 is then on screen without a read of its own.
 */
const WHOLE_READ_MAX_BYTES = 4 * 1024 * 1024;
/** How long those whole copies are kept: frame 1 and the run's first decode read from them, later reads go to the file. */
const WHOLE_READ_KEEP_MS = 5000;

/** Maps with at most `limit` calls at once; once `stop()` says so no further call starts (the results then have holes). */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>, stop: () => boolean): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length && !stop()) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function describeError(error: unknown): string {
  if (error instanceof DicomInputError) return error.reason;
  if (error instanceof Error) return error.message;
  return String(error);
}

type HeaderOutcome =
  | { kind: 'image'; input: InputFile; header: ParsedHeader }
  | { kind: 'dicomdir'; input: InputFile; header: ParsedHeader }
  | { kind: 'skipped'; input: InputFile; reason: string; doseReport?: RadiationDoseReport }
  | { kind: 'failed'; input: InputFile; reason: string }
  | { kind: 'not-dicom'; input: InputFile; reason: string };

async function readOne(input: InputFile): Promise<HeaderOutcome> {
  try {
    const header = await readHeader(input.source);
    const classification = classifyInstance(header);
    if (classification.kind === 'non-image' && classification.doseReport) {
      try {
        return { kind: 'skipped', input, reason: classification.reason, doseReport: readRadiationDoseReport(header) };
      } catch (error) {
        return { kind: 'skipped', input, reason: `${classification.reason}; its dose could not be read (${describeError(error)})` };
      }
    }
    if (classification.kind === 'non-image') return { kind: 'skipped', input, reason: classification.reason };
    if (classification.kind === 'dicomdir') return { kind: 'dicomdir', input, header };
    validatePixelGeometry(header);
    return { kind: 'image', input, header };
  } catch (error) {
    return { kind: error instanceof NotDicomError ? 'not-dicom' : 'failed', input, reason: describeError(error) };
  }
}

/** Names that say a file is DICOM: such a file that is not DICOM is told even inside a folder. */
const DICOM_FILE_NAME = /\.(dcm|dicom|dic)$/i;

/**
 * A file that is not DICOM and was found by walking a folder (its path has a folder part), not
 * chosen by name: a CD's or a USB stick's viewer, autorun, HTML index, read-me, .DS_Store. Listed
 * as skipped, as DICOM viewers pass over them; a red line each hid the real problems among them
 * and pushed the picture down.
 */
function isFolderCompanion(input: InputFile): boolean {
  return input.path.includes('/') && (!DICOM_FILE_NAME.test(input.path) || MAC_METADATA.test(input.path));
}

/** What macOS adds to a zip or a stick: __MACOSX/ and "._" files, named as the files they describe ("._IM1.dcm"). */
const MAC_METADATA = /(^|\/)(__MACOSX\/|\._[^/]*$)/;

/** The folder the files were found in ("CD" for CD/DICOM/IM1 and CD/README.TXT), for a message about all of them. */
function topFolderOf(inputs: InputFile[]): string {
  const first = inputs[0]?.path.split('/')[0] ?? '';
  return inputs.every((input) => input.path.split('/')[0] === first) ? first : 'the chosen files';
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** DICOMDIR references files by relative ID; check each one is among the files we were given. */
async function checkDicomDir(dir: { input: InputFile; header: ParsedHeader }, allPaths: Set<string>): Promise<FileProblem[]> {
  const referenced = await readDicomDir(dir.header);
  const base = folderOf(dir.input.path).toLowerCase();
  return referenced
    .filter((ref) => !allPaths.has((base + ref.fileId).toLowerCase()))
    .map((ref) => ({ file: dir.input.path, reason: `lists ${ref.fileId}, which is not among the chosen files` }));
}

/** A file's frames; where finding them needs reads beyond the header, frame 1 at once and the others' places as `later` (indexFramesFrameOneFirst). */
async function frameRefsOf(
  header: ParsedHeader,
  frameCount: number,
): Promise<{ refs: FrameRef[]; problems: string[]; later?: Promise<string[]> }> {
  const transferSyntaxUID = header.transferSyntaxUID;
  const refOf = (slot: FrameSlot): FrameRef =>
    slot.ok ? { ok: true, source: fileSpanFrame(header.source, slot.span), transferSyntaxUID } : { ok: false, reason: slot.reason };
  const indexed = await indexFramesFrameOneFirst(header, frameCount);
  if ('index' in indexed) return { refs: indexed.index.frames.map(refOf), problems: indexed.index.problems };
  // What the index finds is told when it is found (the first read of a later frame starts it), not before.
  let tell: (index: Promise<FrameIndex>) => void = () => undefined;
  const later = new Promise<FrameIndex>((resolve) => (tell = resolve)).then(
    (index) => index.problems,
    // A file that could not be read on is told like one found at opening.
    (error: unknown) => [describeError(error)],
  );
  const indexAll = (onFrameFound: FrameFound) => {
    const all = indexed.indexAll(onFrameFound); // memoised: the walk runs once, and `later` settles with it
    tell(all);
    return all;
  };
  const others = framesIndexedLater(header.source, indexAll, 2, frameCount);
  return {
    refs: [refOf(indexed.first), ...others.map<FrameRef>((source) => ({ ok: true, source, transferSyntaxUID }))],
    problems: [],
    later,
  };
}

async function buildRun(headers: ParsedHeader[]): Promise<OpenedRun> {
  const info = buildRunInfo(headers);
  const frames: FrameRef[] = [];
  const problems: string[] = [];
  let laterProblems: Promise<string[]> | undefined;
  if (headers.length === 1) {
    const { refs, problems: found, later } = await frameRefsOf(headers[0], info.frameCount);
    frames.push(...refs);
    problems.push(...found);
    laterProblems = later;
  } else {
    for (const header of headers) {
      const { refs, problems: found } = await frameRefsOf(header, 1);
      frames.push(refs[0] ?? { ok: false, reason: `${header.source.name}: no pixel data` });
      problems.push(...found.map((p) => `${header.source.name}: ${p}`));
    }
  }
  const identity = runIdentity(info, headers[0].source.name);
  return {
    key: newRunKey(identity),
    identity,
    info,
    frames,
    fileNames: headers.map((h) => h.source.name),
    files: headers.map((h) => h.source),
    problems,
    ...(laterProblems ? { laterProblems } : {}),
  };
}

export interface OpenOptions {
  /**
   * True once the reading is no longer wanted (Close all was pressed): no further file is read, and
   * no further run is indexed. A folder of 2,000 single frames would otherwise go on being read for
   * seconds after the screen was cleared, taking the cores from whatever is opened next.
   */
  cancelled?: () => boolean;
  /** An open of at most this many bytes in all is read whole, file by file (readWholeOnce); 0: never. */
  wholeReadMaxBytes?: number;
  /** Told after each file's header is read (or found unreadable): how many of how many. */
  onFileRead?: (read: number, total: number) => void;
}

/** Sniffs every file, groups the images into runs, and indexes where each frame lies. */
export async function openFiles(
  inputs: InputFile[],
  { cancelled = () => false, wholeReadMaxBytes = WHOLE_READ_MAX_BYTES, onFileRead }: OpenOptions = {},
): Promise<OpenResult> {
  const small = inputs.reduce((sum, input) => sum + input.source.size, 0) <= wholeReadMaxBytes;
  const read = small ? inputs.map((input) => ({ ...input, source: readWholeOnce(input.source, WHOLE_READ_KEEP_MS) })) : inputs;
  let filesRead = 0;
  const readAndTell = async (input: InputFile) => {
    const outcome = await readOne(input);
    onFileRead?.(++filesRead, inputs.length);
    return outcome;
  };
  const outcomes = await mapLimited(read, HEADER_READ_CONCURRENCY, readAndTell, cancelled);
  if (cancelled()) return { runs: [], problems: [], skipped: [], doseReports: [] };
  const problems: FileProblem[] = [];
  const skipped: FileProblem[] = [];
  /** Files of a folder that are not DICOM (isFolderCompanion). */
  const companions: FileProblem[] = [];
  const doseReports: RadiationDoseReport[] = [];
  const images: Array<{ input: InputFile; header: ParsedHeader }> = [];
  const allPaths = new Set(inputs.map((i) => i.path.toLowerCase()));
  for (const outcome of outcomes) {
    if (outcome.kind === 'failed') problems.push({ file: outcome.input.path, reason: outcome.reason });
    else if (outcome.kind === 'not-dicom') {
      const problem = { file: outcome.input.path, reason: outcome.reason };
      if (isFolderCompanion(outcome.input)) companions.push(problem);
      else problems.push(problem);
    } else if (outcome.kind === 'skipped') {
      // A dose report that could be read is not skipped: it feeds the Dose and time panel.
      if (outcome.doseReport) doseReports.push(outcome.doseReport);
      else skipped.push({ file: outcome.input.path, reason: outcome.reason });
    } else if (outcome.kind === 'image') images.push(outcome);
    else {
      try {
        problems.push(...(await checkDicomDir(outcome, allPaths)));
      } catch (error) {
        problems.push({ file: outcome.input.path, reason: describeError(error) });
      }
    }
  }
  const summaries = images.map(({ header }) => ({ ...summarizeInstance(header), item: header }));
  const studies = groupInstancesIntoRuns(summaries);
  const runs: OpenedRun[] = [];
  for (const study of studies) {
    for (const group of study.runs) {
      const headers = group.instances.map((instance) => instance.item);
      for (const duplicate of group.duplicates) {
        const original = group.instances.find((i) => i.sopInstanceUID === duplicate.sopInstanceUID)?.item.source.name;
        skipped.push({ file: duplicate.item.source.name, reason: `same SOP Instance UID as ${original ?? 'another file'}; shown once` });
      }
      // The runs built so far are returned, for the caller to forget what their reading holds.
      if (cancelled()) break;
      try {
        runs.push(await buildRun(headers));
      } catch (error) {
        problems.push({ file: headers[0].source.name, reason: describeError(error) });
      }
    }
  }
  skipped.push(...companions);
  // A folder with nothing to show says so once, rather than nothing at all (its skipped files are in the Runs list).
  if (companions.length > 0 && runs.length === 0 && problems.length === 0 && doseReports.length === 0) {
    const notDicom = companions.length === inputs.length ? 'none is DICOM' : `${countText(companions.length, 'file')} not DICOM`;
    problems.push({
      file: topFolderOf(inputs),
      reason: `no image to show among its ${countText(inputs.length, 'file')} (${notDicom}; listed under Runs as skipped)`,
    });
  }
  return { runs, problems, skipped, doseReports };
}
