import type { RadiationDoseReport } from '../dicom/radiationDose';
import { orderOpenedRuns } from '../dicom/grouping';
import { newRunKey, type OpenedRun } from '../dicom/run';
import type { InputFile, OpenResult } from '../io/openFiles';
import { directorySeries, isDicomDirPath, readDirectory, type OpenedDirectory } from '../io/dicomDir';
import { openFiles } from '../io/openFiles';
import { UnzipCancelledError } from '../io/unzip';
import { openingText } from '../format/text';
import { isZipPath, splitTeachingPackages, type OpenedTeachingPackage, type PackageSplit } from '../io/teachingPackage';
import { forgetDecodedFrames } from '../viewer/imageIds';
import { WINDOW_LEVEL, setPrimaryTool } from '../viewer/toolGroup';
import type { DecodeProgress } from '../viewer/stackController';
import { createStore } from './createStore';
import { adoptDocument } from './documents';
import { startQuiz, type QuizQuestionItem } from './quiz';

/** A problem shown in the alert region: which file, and why. */
export interface Alert {
  id: number;
  file: string;
  reason: string;
}

/** One viewer pane: which run it shows and where in it. */
export interface PaneState {
  id: string;
  runKey: string | null;
  /** Current frame (1-based). */
  frame: number;
}

/** What the user is doing now: never saved, never undone. */
export interface SessionState {
  runs: OpenedRun[];
  panes: PaneState[];
  /** The pane that the Runs list and the keyboard act on. */
  activePaneId: string;
  /**
   * What is being read, once it has gone on long enough to notice ("Opening…", "Unpacking
   * study.zip…"): the Runs list and an empty pane say it instead of their hints.
   */
  opening: string | null;
  alerts: Alert[];
  skipped: Alert[];
  progress: Record<string, DecodeProgress>;
  /** Frames that failed to decode, by run key then frame number. */
  frameFailures: Record<string, Record<number, string>>;
  /** The tool on the primary mouse button in every pane (a Cornerstone tool name). */
  activeTool: string;
  /**
   * The annotation track the timeline, keyframe keys and drawing tools act on, per run key. Per
   * run because track ids repeat across runs ("needleTip-1"): a lane selected in one pane must not
   * highlight a track of the other pane's run, and each run keeps its selection when switched back.
   */
  selectedTrackByRun: Readonly<Record<string, string>>;
  /** Whether the corner text and scale bar are drawn over the viewports. */
  overlayVisible: boolean;
  /** What each pane's timeline last had to say (why a button or key could not act), by pane id. */
  timelineMessages: Readonly<Record<string, string>>;
  /** DICOMDIRs opened, with the patients, studies and series they list. */
  directories: OpenedDirectory[];
  /** X-Ray Radiation Dose SRs among the opened files: what the Dose and time panel reads. */
  doseReports: RadiationDoseReport[];
  /**
   * The runs the last close took away: the Runs list offers Reopen (closeRuns.ts) until something
   * else is opened or closed.
   */
  closedRuns: OpenedRun[];
  /**
   * The last close was Close all: the Runs list then says only how many runs it closed, never a
   * run's title (which may be a file name naming the patient), since the screen may be shown to a room.
   */
  closedAll: boolean;
}

/** Below about 100 ms a response reads as immediate: a reading that short shows no interim state. */
const OPENING_NOTICEABLE_MS = 100;
/** How often a long reading's count of files read is brought up to date on screen. */
const OPENING_PROGRESS_MS = 200;
/**
 * A reading of at least this many files counts them; fewer are read in well under a second (the
 * bundled samples, 20 files, as the page starts: each count would be a render on the first look's path).
 */
const OPENING_COUNTED_FILES = 50;

export const PRIMARY_PANE = 'main';
export const SECONDARY_PANE = 'second';

export const session = createStore<SessionState>({
  runs: [],
  panes: [{ id: PRIMARY_PANE, runKey: null, frame: 1 }],
  activePaneId: PRIMARY_PANE,
  opening: null,
  alerts: [],
  skipped: [],
  progress: {},
  frameFailures: {},
  activeTool: WINDOW_LEVEL,
  selectedTrackByRun: {},
  overlayVisible: true,
  timelineMessages: {},
  directories: [],
  doseReports: [],
  closedRuns: [],
  closedAll: false,
});

/**
 * Aborted when Close all is pressed (then replaced). An opening takes the signal when it starts
 * (reading a folder or unpacking a zip can take seconds) and shows nothing if it aborted meanwhile:
 * a screen cleared before the next case is shown to a room must stay clear. Its reading and
 * unpacking stop too, rather than taking the cores from whatever is opened next.
 */
let openingsAbort = new AbortController();

/** Call when an opening starts; the function returned says whether Close all has been pressed since. */
export function closedAllSince(): () => boolean {
  const signal = openingsAbort.signal;
  return () => signal.aborted;
}

/** Close all was pressed: the openings under way stop and will show nothing, and their notice goes now. */
export function cancelOpenings(): void {
  openingsAbort.abort();
  openingsAbort = new AbortController();
  session.setState({ opening: null });
}

let nextAlertId = 1;
const toAlert = (p: { file: string; reason: string }): Alert => ({ id: nextAlertId++, ...p });

/** An open run by key: the one lookup the image loader and metadata provider use (app/bootstrap.ts). */
export function runByKey(key: string, state: SessionState = session.getState()): OpenedRun | undefined {
  return state.runs.find((run) => run.key === key);
}

export function paneById(state: SessionState, paneId: string): PaneState | undefined {
  return state.panes.find((p) => p.id === paneId);
}

export function runOfPane(state: SessionState, paneId: string): OpenedRun | null {
  const key = paneById(state, paneId)?.runKey;
  return state.runs.find((run) => run.key === key) ?? null;
}

/** The selected track of a run, or null. */
export function selectedTrackOf(state: SessionState, runKey: string | null | undefined): string | null {
  return (runKey && state.selectedTrackByRun[runKey]) || null;
}

/** The run shown in the active pane. */
export function selectedRun(state: SessionState = session.getState()): OpenedRun | null {
  return runOfPane(state, state.activePaneId);
}

function updatePane(paneId: string, patch: (pane: PaneState, state: SessionState) => Partial<PaneState>): void {
  session.setState((state) => ({
    panes: state.panes.map((pane) => (pane.id === paneId ? { ...pane, ...patch(pane, state) } : pane)),
  }));
}

/**
 * Opens files. With a DICOMDIR among them, its patients, studies and series are listed, the files it
 * names are matched to the chosen ones, and its first series is opened; otherwise every file is read.
 */
export async function openInputs(chosen: InputFile[]): Promise<void> {
  if (chosen.length === 0) return;
  const signal = openingsAbort.signal;
  const cancelled = () => signal.aborted;
  // A zip is unpacked first (in workers, seconds for a large study): the pane says so meanwhile.
  const zips = chosen.filter((input) => isZipPath(input.path));
  const unpackingText = zips.length === 1 ? `Unpacking ${zips[0].path.split('/').pop()}…` : `Unpacking ${zips.length} zips…`;
  const unpacking =
    zips.length > 0 ? setTimeout(() => cancelled() || session.setState({ opening: unpackingText }), OPENING_NOTICEABLE_MS) : undefined;
  try {
    // Teaching packages (a .zip or its unpacked folder) open as runs with their annotations.
    const split = await splitTeachingPackages(chosen, signal);
    clearTimeout(unpacking);
    if (!cancelled()) await openSplitInputs(split, cancelled);
  } catch (error) {
    if (!(error instanceof UnzipCancelledError)) throw error;
  } finally {
    clearTimeout(unpacking);
    if (session.getState().opening === unpackingText) session.setState({ opening: null });
  }
}

/** Opens what was chosen once zips are unpacked: the packages' runs, then a DICOMDIR's first series or every other file. */
async function openSplitInputs(split: PackageSplit, cancelled: () => boolean): Promise<void> {
  for (const problem of split.problems) reportAlert(problem.file, problem.reason);
  for (const pkg of split.packages) await openTeachingPackage(pkg, cancelled);
  const inputs = split.rest;
  if (inputs.length === 0 || cancelled()) return;
  const dicomDirs = inputs.filter((input) => isDicomDirPath(input.path));
  if (dicomDirs.length === 0) {
    await openFileSet(inputs, cancelled);
    return;
  }
  const opened: OpenedDirectory[] = [];
  for (const dicomDir of dicomDirs) {
    try {
      opened.push(await readDirectory(dicomDir, inputs));
    } catch (error) {
      reportAlert(dicomDir.path, error instanceof Error ? error.message.replace(`${dicomDir.path}: `, '') : String(error));
    }
  }
  if (cancelled()) return;
  // No readable directory: fall back to reading every file, as for any folder.
  if (opened.length === 0) {
    await openFileSet(
      inputs.filter((input) => !dicomDirs.includes(input)),
      cancelled,
    );
    return;
  }
  session.setState((state) => ({
    directories: [...state.directories.filter((d) => !opened.some((o) => o.path === d.path)), ...opened],
    alerts: [
      ...state.alerts,
      ...opened.flatMap((d) =>
        directorySeries(d).flatMap((series) =>
          series.missing.map((fileId) => toAlert({ file: d.path, reason: `lists ${fileId}, which is not among the chosen files` })),
        ),
      ),
    ],
    skipped: [
      ...state.skipped,
      ...opened
        .filter((d) => d.unlisted > 0)
        .map((d) => toAlert({ file: d.path, reason: `does not list ${d.unlisted} of the chosen files; they were not opened` })),
    ],
  }));
  const first = opened.flatMap(directorySeries).find((series) => series.files.length > 0);
  if (first) await openDirectorySeries(first.key, cancelled);
}

/** Opens the files a DICOMDIR names for one series (shown in the active pane). */
export async function openDirectorySeries(seriesKey: string, cancelled = closedAllSince()): Promise<void> {
  const series = session
    .getState()
    .directories.flatMap(directorySeries)
    .find((s) => s.key === seriesKey);
  if (series && series.files.length > 0) await openFileSet(series.files, cancelled);
}

/**
 * Opens a teaching package's runs, puts each run's annotations in the document store (keyed by the
 * new, de-identified identity) and, when the package has questions, starts the quiz.
 */
async function openTeachingPackage(pkg: OpenedTeachingPackage, cancelled: () => boolean): Promise<void> {
  if (cancelled()) return;
  // Each run is titled with the package's label for it (de-identification removed its Series Description).
  const labelByFirstFile = new Map(pkg.runInputs.map((inputs, index) => [inputs[0]?.path, pkg.read.runs[index]?.label]));
  const runs = await openFileSet(pkg.runInputs.flat(), cancelled, (run) => labelByFirstFile.get(run.fileNames[0]) || undefined);
  if (cancelled()) return;
  const runKeyById = new Map<string, string>();
  const questions: QuizQuestionItem[] = [];
  for (const [index, read] of pkg.read.runs.entries()) {
    const first = pkg.runInputs[index][0]?.path;
    const run = runs.find((r) => r.fileNames[0] === first);
    if (!run) continue;
    runKeyById.set(read.id, run.key);
    if (read.annotations) await adoptDocument(run, read.annotations);
  }
  for (const warning of pkg.read.warnings) reportAlert(pkg.name, warning);
  const quiz = pkg.read.quiz;
  if (!quiz) return;
  for (const q of quiz.questions) {
    const runKey = runKeyById.get(q.run);
    const track = pkg.read.runs.find((r) => r.id === q.run)?.annotations?.tracks.find((t) => t.id === q.trackId);
    if (runKey && track && (track.kind === 'needleTip' || track.kind === 'target')) {
      questions.push({ runKey, trackId: track.id, kind: track.kind, label: track.label, frames: q.frames });
    }
  }
  const contrastRuns = quiz.contrastPatternRuns.flatMap((id) => runKeyById.get(id) ?? []);
  startQuiz(questions, contrastRuns);
}

/**
 * Reads the files and groups them into runs; runs already open (same identity) are replaced by the
 * new reading, not doubled. `titleOf` names runs before they reach the session (a run object is
 * never replaced once shown: the viewer and its frame loads hold it). Returns the runs read, none
 * when Close all was pressed meanwhile (`cancelled`).
 */
async function openFileSet(
  inputs: InputFile[],
  cancelled: () => boolean,
  titleOf?: (run: OpenedRun) => string | undefined,
): Promise<OpenedRun[]> {
  if (inputs.length === 0) return [];
  performance.mark('fluorolens:open-start', { detail: { files: inputs.length } });
  // Only a reading long enough to notice says so: set at once, the flag cost a whole render while
  // the header was being read, 4–6 ms of the 30–40 ms to frame 1 of a short run. A long one (a
  // folder of a few thousand single frames takes seconds) says how far it has got, a few times a
  // second rather than on every file.
  let filesRead = 0;
  const counted = inputs.length >= OPENING_COUNTED_FILES;
  const say = () => {
    const text = counted ? openingText(filesRead, inputs.length) : 'Opening…';
    if (!cancelled() && session.getState().opening !== text) session.setState({ opening: text });
  };
  let progress: ReturnType<typeof setInterval> | undefined;
  const noticeable = setTimeout(() => {
    say();
    if (counted) progress = setInterval(say, OPENING_PROGRESS_MS);
  }, OPENING_NOTICEABLE_MS);
  // Already saying something (a zip was unpacked): say this at once instead of the empty hint.
  if (session.getState().opening) say();
  try {
    const result = await openFiles(inputs, { cancelled, onFileRead: (read) => (filesRead = read) });
    if (cancelled()) {
      // Nothing of it was shown; what its reading holds goes with it.
      for (const run of result.runs) forgetDecodedFrames(run);
      return [];
    }
    if (titleOf) for (const run of result.runs) run.title = titleOf(run);
    addOpenedRuns(result);
    return result.runs;
  } catch (error) {
    if (cancelled()) return [];
    session.setState((state) => ({
      opening: null,
      alerts: [...state.alerts, toAlert({ file: inputs.map((i) => i.path).join(', '), reason: String(error) })],
    }));
    return [];
  } finally {
    clearTimeout(noticeable);
    clearInterval(progress);
  }
}

/**
 * Takes newly opened runs into the session (local files, a DICOMDIR series or a PACS series) and
 * shows the first in the active pane; runs already open (same identity) are replaced by the new
 * reading, not doubled.
 */
export function addOpenedRuns(result: Pick<OpenResult, 'runs' | 'problems' | 'skipped'> & Partial<Pick<OpenResult, 'doseReports'>>): void {
  const replaced: OpenedRun[] = [];
  session.setState((state) => {
    // The same data opened again replaces its earlier reading (panes follow it to the new key).
    const reopened = new Map<string, string>();
    for (const run of result.runs) {
      const earlier = state.runs.find((r) => r.identity === run.identity);
      if (earlier) {
        reopened.set(earlier.key, run.key);
        replaced.push(earlier);
      }
    }
    const runs = orderOpenedRuns([...state.runs.filter((run) => !reopened.has(run.key)), ...result.runs]);
    const runProblems = result.runs.flatMap((run) => run.problems.map((reason) => toAlert({ file: run.fileNames[0], reason })));
    const selectedTrackByRun = { ...state.selectedTrackByRun };
    for (const [oldKey, newKey] of reopened) {
      if (selectedTrackByRun[oldKey]) selectedTrackByRun[newKey] = selectedTrackByRun[oldKey];
      delete selectedTrackByRun[oldKey];
    }
    const firstNew = result.runs[0]?.key;
    const panes = state.panes.map((pane) => {
      if (firstNew && pane.id === state.activePaneId) return { ...pane, runKey: firstNew, frame: 1 };
      const moved = pane.runKey ? reopened.get(pane.runKey) : undefined;
      return moved ? { ...pane, runKey: moved } : pane;
    });
    return {
      runs,
      panes,
      selectedTrackByRun,
      closedRuns: [],
      opening: null,
      alerts: [...state.alerts, ...result.problems.map(toAlert), ...runProblems],
      skipped: [...state.skipped, ...result.skipped.map(toAlert)],
      // The same report opened again replaces its earlier reading.
      doseReports: [
        ...state.doseReports.filter((r) => !(result.doseReports ?? []).some((n) => n.sopInstanceUID === r.sopInstanceUID)),
        ...(result.doseReports ?? []),
      ],
    };
  });
  for (const run of replaced) forgetDecodedFrames(run);
  for (const run of result.runs) if (run.laterProblems) reportLaterProblems(run, run.laterProblems);
}

/** Problems found once a run's frames after frame 1 are indexed, told like those found at opening, while the run is open. */
function reportLaterProblems(run: OpenedRun, laterProblems: Promise<string[]>): void {
  void laterProblems.then((problems) => {
    if (runByKey(run.key)) for (const reason of problems) reportAlert(run.fileNames[0], reason);
  });
}

/**
 * Takes closed runs out of the session and lets their decoded frames go. A pane that showed one
 * shows the run next to it in the list (one no other pane shows, when there is one), or nothing.
 * A dose report goes with the last open run of its study. `everything` also forgets what the
 * closed studies brought besides runs (the DICOMDIR listings, dose reports and skipped files,
 * which name patients and files). `closedAll`: the close was Close all (SessionState.closedAll).
 */
export function removeRuns(keys: readonly string[], everything = false, closedAll = everything): void {
  const closing = new Set(keys);
  const closed = session.getState().runs.filter((run) => closing.has(run.key));
  if (closed.length === 0 && !everything) return;
  session.setState((state) => {
    const runs = state.runs.filter((run) => !closing.has(run.key));
    const shown = new Set(state.panes.flatMap((pane) => (pane.runKey && !closing.has(pane.runKey) ? [pane.runKey] : [])));
    const panes = state.panes.map((pane) => {
      if (!pane.runKey || !closing.has(pane.runKey)) return pane;
      const next = runAfterClosing(state.runs, pane.runKey, closing, shown);
      if (next) shown.add(next);
      return { ...pane, runKey: next, frame: 1 };
    });
    const without = <T>(byRun: Readonly<Record<string, T>>) =>
      Object.fromEntries(Object.entries(byRun).filter(([key]) => !closing.has(key)));
    // A dose report goes with the last open run of its study.
    const studiesLeft = new Set(runs.map((run) => run.info.study.instanceUID));
    const studiesClosed = new Set(closed.map((run) => run.info.study.instanceUID).filter((uid) => !studiesLeft.has(uid)));
    return {
      runs,
      panes,
      progress: without(state.progress),
      frameFailures: without(state.frameFailures),
      selectedTrackByRun: without(state.selectedTrackByRun),
      closedRuns: closed,
      closedAll,
      doseReports: everything ? [] : state.doseReports.filter((report) => !studiesClosed.has(report.studyInstanceUID)),
      ...(everything ? { directories: [], skipped: [] } : {}),
    };
  });
  for (const run of closed) forgetDecodedFrames(run);
}

/**
 * Opens closed runs of local files again, from the same files: as a new opening (new keys,
 * nothing decoded kept), the first in the active pane; their annotations come back from autosave.
 * Problems they had were told when they were first opened.
 */
export function reopenLocalRuns(closed: readonly OpenedRun[]): void {
  if (closed.length === 0) return;
  const runs = closed.map((run) => ({ ...run, key: newRunKey(run.identity), problems: [], laterProblems: undefined }));
  addOpenedRuns({ runs, problems: [], skipped: [] });
}

/** The open run nearest after (else before) a closing one in the list, preferring one no pane shows. */
function runAfterClosing(
  ordered: readonly OpenedRun[],
  key: string,
  closing: ReadonlySet<string>,
  shown: ReadonlySet<string>,
): string | null {
  const at = ordered.findIndex((run) => run.key === key);
  const byDistance = [...ordered.slice(at + 1), ...ordered.slice(0, at).reverse()].filter((run) => !closing.has(run.key));
  return (byDistance.find((run) => !shown.has(run.key)) ?? byDistance[0])?.key ?? null;
}

/** Shows a run in the active pane (or the given one), from frame 1. */
export function selectRun(key: string, paneId = session.getState().activePaneId): void {
  updatePane(paneId, () => ({ runKey: key, frame: 1 }));
}

export function setActivePane(paneId: string): void {
  if (session.getState().activePaneId !== paneId) session.setState({ activePaneId: paneId });
}

export function setFrame(frame: number, paneId = session.getState().activePaneId): void {
  updatePane(paneId, (pane, state) => {
    const run = state.runs.find((r) => r.key === pane.runKey);
    if (!run) return {};
    return { frame: Math.min(Math.max(1, Math.round(frame)), run.info.frameCount) };
  });
}

export function stepFrame(delta: number, paneId = session.getState().activePaneId): void {
  const pane = paneById(session.getState(), paneId);
  if (pane) setFrame(pane.frame + delta, paneId);
}

/** Two panes side by side (AP and lateral), or back to one. */
export function setSideBySide(on: boolean): void {
  session.setState((state) => {
    if (on && state.panes.length === 1) {
      const other = state.runs.find((r) => r.key !== state.panes[0].runKey) ?? state.runs[0];
      return { panes: [...state.panes, { id: SECONDARY_PANE, runKey: other?.key ?? null, frame: 1 }] };
    }
    if (!on && state.panes.length > 1) {
      const timelineMessages = { ...state.timelineMessages };
      for (const pane of state.panes.slice(1)) delete timelineMessages[pane.id];
      return { panes: [state.panes[0]], activePaneId: PRIMARY_PANE, timelineMessages };
    }
    return {};
  });
}

/** Shows a problem in the alert region, e.g. an annotations file that could not be imported. */
export function reportAlert(file: string, reason: string): void {
  session.setState((state) => ({ alerts: [...state.alerts, toAlert({ file, reason })] }));
}

export function dismissAlert(id: number): void {
  session.setState((state) => ({ alerts: state.alerts.filter((a) => a.id !== id) }));
}

export function dismissAllAlerts(): void {
  session.setState({ alerts: [] });
}

export function recordProgress(progress: DecodeProgress): void {
  session.setState((state) => ({ progress: { ...state.progress, [progress.runKey]: progress } }));
}

export function recordFrameFailure(runKey: string, frame: number, reason: string): void {
  session.setState((state) => ({
    frameFailures: { ...state.frameFailures, [runKey]: { ...state.frameFailures[runKey], [frame]: reason } },
  }));
}

/** Puts a tool on the primary button of every pane. */
export function setActiveTool(toolName: string): void {
  for (const pane of session.getState().panes) setPrimaryTool(pane.id, toolName);
  session.setState({ activeTool: toolName });
}

export function selectTrack(runKey: string, trackId: string | null): void {
  session.setState((state) => {
    const selectedTrackByRun = { ...state.selectedTrackByRun };
    if (trackId) selectedTrackByRun[runKey] = trackId;
    else delete selectedTrackByRun[runKey];
    return { selectedTrackByRun };
  });
}

/** Shows (or, with null, clears) a message in the pane's timeline. */
export function reportTimeline(paneId: string, message: string | null): void {
  session.setState((state) => {
    const timelineMessages = { ...state.timelineMessages };
    if (message) timelineMessages[paneId] = message;
    else delete timelineMessages[paneId];
    return { timelineMessages };
  });
}

export function setOverlayVisible(visible: boolean): void {
  session.setState({ overlayVisible: visible });
}
