/**
 * The PACS: which DICOMweb server, its studies and series, opening a series as a run, and saving
 * the active run's annotations back as a DICOM SR (Save to PACS, checked by QIDO afterwards).
 *
 * The Authorization header (Basic or Bearer) lives only inside the DicomWebClient, in memory, for
 * this page: never in this store, never in storage. Failures go to the alert region, named by
 * what failed and why (DicomWebError messages carry no patient data, no UID, no query value);
 * 401/403 ask for credentials and the action is tried again once they are given. Remote runs that
 * no pane shows any more have their frame requests cancelled (RemoteRunFrames.cancel).
 */
import { serializeDocument } from '../annotations/schema';
import type { OpenedRun } from '../dicom/run';
import { readMeasurementReport, readReportReferences, writeMeasurementReport, COMPREHENSIVE_SR } from '../export/sr';
import { runFileStem, runTitle } from '../format/run';
import { seriesCountText, studyCountText } from '../format/pacs';
import {
  DicomWebClient,
  DicomWebError,
  basicAuthorization,
  bearerAuthorization,
  firstImageInstance,
  isCancelled,
  nonImageSeriesKind,
  openRemoteSeries,
  openedRunFromRemote,
  imageInstances,
  remoteRunName,
  retrieveInstance,
  retrieveThumbnail,
  searchInstances,
  searchSeries,
  searchStudies,
  storeInstances,
  thumbnailFrame,
  SeriesPreparations,
  type OpenedSeries,
  type RemoteRunFrames,
  type RunFrameFailure,
  type SeriesRef,
  type SeriesSummary,
  type StudyQuery,
  type StudySummary,
} from '../io/dicomweb';
import { runRefFromRunInfo } from '../annotations/model';
import { DECODED_CACHE_BYTES } from '../viewer/cornerstoneSetup';
import { decodeModeFor, decodedFrameBytes } from '../viewer/playback/decodePolicy';
import { createStore } from './createStore';
import { APP_VERSION, documentOf, ensureDocument, importDocument } from './documents';
import { addOpenedRuns, reportAlert, runByKey, selectedRun, session } from './session';

export const DEFAULT_DICOMWEB_BASE = '/dicom-web';

export interface PacsSeries extends SeriesSummary {
  /** An object URL of the rendered middle frame, or null (no image, or the server has no /rendered). */
  thumbnailUrl: string | null;
  /** What the series holds when it has no image ("Radiation dose report", …); null for a series that opens as a run. */
  nonImage: string | null;
}

export type PacsBusy = 'search' | 'series' | 'open' | 'save' | 'load' | null;

export interface PacsState {
  baseUrl: string;
  /** Which kind of credentials the client holds now (never the secret itself). */
  credentials: 'none' | 'basic' | 'bearer';
  /** Why the server wants (other) credentials, while the panel asks for them; else null. */
  credentialsAsked: string | null;
  busy: PacsBusy;
  /** The last outcome, for people ("12 studies", "Saved to PACS: …"). Failures go to the alert region too. */
  status: string;
  studies: StudySummary[] | null;
  selectedStudy: string | null;
  series: PacsSeries[] | null;
  /** Counts the times Close all forgot the listings: the search form starts empty again each time. */
  listingsForgotten: number;
}

export const pacs = createStore<PacsState>({
  baseUrl: DEFAULT_DICOMWEB_BASE,
  credentials: 'none',
  credentialsAsked: null,
  busy: null,
  status: '',
  studies: null,
  selectedStudy: null,
  series: null,
  listingsForgotten: 0,
});

let client = new DicomWebClient({ baseUrl: DEFAULT_DICOMWEB_BASE });
/** The action that met a 401/403, tried again once credentials are given. */
let retryAfterCredentials: (() => Promise<void>) | null = null;
const remoteFrames = new Map<string, RemoteRunFrames>();
let openingController: AbortController | null = null;
let browseController: AbortController | null = null;
/**
 * Series made ready to open (metadata and frame 1) before the click: the first image series of a
 * listed study that are cheap for the PACS to read, and any series whose Open button the pointer
 * or the focus rests on. At most 3 at a time, none kept over 2 minutes (io/dicomweb/prepare.ts).
 */
const preparations = new SeriesPreparations(3, 120_000);
/** Image series of a listed study prepared at once (the rest when pointed at). */
const SERIES_PREPARED_ON_LISTING = 2;
/**
 * Pixels (rows × columns × frames) up to which a listed series is prepared at once. Orthanc reads
 * the whole instance for its metadata and for frame 1: cheap for a 512² cine, seconds for a
 * 120-frame 1024² one, which is prepared only when pointed at.
 */
const PREPARED_ON_LISTING_MAX_PIXELS = 32 * 1024 * 1024;

/** The words that lead an alert, by failure kind. */
const FAILURE_TITLES: Record<DicomWebError['kind'], string> = {
  unreachable: 'PACS unreachable',
  timeout: 'PACS timed out',
  'credentials-needed': 'PACS credentials needed',
  'credentials-refused': 'PACS credentials refused',
  forbidden: 'PACS access refused',
  'not-found': 'Not found on the PACS',
  'no-images': 'No images on the PACS',
  malformed: 'Unreadable PACS answer',
  refused: 'Refused by the PACS',
  'server-error': 'PACS error',
  cancelled: 'Cancelled',
};

/** Points the app at a DICOMweb server (forgets credentials: they belong to the old server). */
export function setPacsBase(baseUrl: string): void {
  const trimmed = baseUrl.trim() || DEFAULT_DICOMWEB_BASE;
  if (trimmed === client.baseUrl && trimmed === pacs.getState().baseUrl) return;
  browseController?.abort();
  preparations.clear();
  client = new DicomWebClient({ baseUrl: trimmed });
  pacs.setState({ baseUrl: client.baseUrl, credentials: 'none', credentialsAsked: null, studies: null, series: null, selectedStudy: null });
}

export type Credentials = { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };

/** Gives the client credentials for this page only, and tries again what asked for them. */
export async function giveCredentials(credentials: Credentials): Promise<void> {
  if (credentials.kind === 'basic') client.setAuthorization(basicAuthorization(credentials.user, credentials.password));
  else if (credentials.kind === 'bearer') client.setAuthorization(bearerAuthorization(credentials.token));
  else client.setAuthorization(undefined);
  pacs.setState({ credentials: credentials.kind, credentialsAsked: null });
  // What was prepared with the old credentials may have been refused.
  preparations.clear();
  const retry = retryAfterCredentials;
  retryAfterCredentials = null;
  if (retry) await retry();
}

function fail(error: unknown, retry: () => Promise<void>): void {
  if (isCancelled(error)) return;
  if (!(error instanceof DicomWebError)) {
    // Our own checks (a date that is not a date, a report that cannot be written): said as they are.
    const message = error instanceof Error ? error.message : String(error);
    pacs.setState({ status: message });
    reportAlert('PACS', message);
    return;
  }
  const failure = error;
  if (failure.needsCredentials) {
    retryAfterCredentials = retry;
    pacs.setState({ credentialsAsked: failure.reason });
  }
  pacs.setState({ status: `${FAILURE_TITLES[failure.kind]}: ${failure.message}` });
  reportAlert(FAILURE_TITLES[failure.kind], failure.message);
}

async function busy(kind: Exclude<PacsBusy, null>, action: () => Promise<void>): Promise<void> {
  pacs.setState({ busy: kind });
  try {
    await action();
  } catch (error) {
    fail(error, () => busy(kind, action));
  } finally {
    if (pacs.getState().busy === kind) pacs.setState({ busy: null });
  }
}

function newBrowseSignal(): AbortSignal {
  browseController?.abort();
  browseController = new AbortController();
  return browseController.signal;
}

export function searchPacsStudies(query: StudyQuery): Promise<void> {
  return busy('search', async () => {
    const signal = newBrowseSignal();
    pacs.setState({ status: 'Searching…' });
    const studies = await searchStudies(client, query, { signal });
    forgetThumbnails();
    pacs.setState({
      studies,
      selectedStudy: null,
      series: null,
      status: studies.length === 0 ? 'No study matches' : studyCountText(studies.length),
    });
  });
}

export function choosePacsStudy(studyInstanceUID: string): Promise<void> {
  return busy('series', () => listSeriesOf(studyInstanceUID, { status: true }));
}

/**
 * Lists a study's series (then their thumbnails, except for the series `open`); `status` says the
 * count in the status line.
 */
async function listSeriesOf(studyInstanceUID: string, { status, open }: { status: boolean; open?: string }): Promise<void> {
  const signal = newBrowseSignal();
  forgetThumbnails();
  pacs.setState({ selectedStudy: studyInstanceUID, series: null, ...(status ? { status: 'Listing series…' } : {}) });
  const found = await searchSeries(client, studyInstanceUID, { signal });
  const series: PacsSeries[] = found.map((s) => ({ ...s, thumbnailUrl: null, nonImage: nonImageSeriesKind(s) }));
  pacs.setState({ series, ...(status ? { status: seriesCountText(series) } : {}) });
  prepareListedSeries(series, open);
  // Thumbnails one after the other, after the list is shown; a missing one is not an error.
  for (const one of series) {
    const frame = thumbnailFrame(one);
    // The series on screen needs none, and its frames are still coming from the same PACS.
    if (!frame || signal.aborted || one.seriesInstanceUID === open) continue;
    try {
      const thumbnail = await retrieveThumbnail(client, frame, { signal, size: 96 });
      const url = URL.createObjectURL(new Blob([thumbnail.bytes as BlobPart], { type: thumbnail.mediaType }));
      if (signal.aborted || pacs.getState().selectedStudy !== studyInstanceUID) {
        URL.revokeObjectURL(url);
        continue;
      }
      pacs.setState((state) => ({
        series: state.series?.map((s) => (s.seriesInstanceUID === one.seriesInstanceUID ? { ...s, thumbnailUrl: url } : s)) ?? null,
      }));
    } catch (error) {
      if (isCancelled(error)) return;
    }
  }
}

/**
 * The study a deep link opened a series of, shown in the panel with its series (as if the user had
 * found it): one study-level query by UID, any modality. The status line keeps saying what opened.
 */
function showLinkedStudy(studyInstanceUID: string, seriesInstanceUID: string): Promise<void> {
  return busy('series', async () => {
    const studies = await searchStudies(client, { studyInstanceUID, modalities: [] }, { signal: newBrowseSignal() });
    if (studies.length === 0) return;
    forgetThumbnails();
    pacs.setState({ studies, selectedStudy: studyInstanceUID, series: null });
    await listSeriesOf(studyInstanceUID, { status: false, open: seriesInstanceUID });
  });
}

/** Prepares the first image series of a study just listed that are cheap to read (not `open`, which is opening). */
function prepareListedSeries(series: readonly PacsSeries[], open: string | undefined): void {
  preparations.clear();
  const cheap = series.filter((s) => {
    if (s.nonImage !== null || s.seriesInstanceUID === open) return false;
    const pixels = imageInstances(s).reduce((sum, i) => sum + (i.rows ?? 0) * (i.columns ?? 0) * (i.numberOfFrames ?? 1), 0);
    return pixels > 0 && pixels <= PREPARED_ON_LISTING_MAX_PIXELS;
  });
  for (const s of cheap.slice(0, SERIES_PREPARED_ON_LISTING)) preparePacsSeries(s);
}

/**
 * Makes a listed series ready to open (its metadata and frame 1), e.g. while the pointer rests on
 * its Open button: the click then finds them here. Bounded and cancelled as `preparations` says.
 */
export function preparePacsSeries(series: SeriesSummary): void {
  const firstInstance = firstImageInstance(series);
  if (!firstInstance) return;
  // Open already: its frames are coming from the PACS, and opening it again finds it in the session.
  if ([...remoteFrames.keys()].some((key) => runByKey(key)?.info.series.instanceUID === series.seriesInstanceUID)) return;
  preparations.prepare(
    client,
    { studyInstanceUID: series.studyInstanceUID, seriesInstanceUID: series.seriesInstanceUID },
    { firstInstance },
  );
}

/** Close all was pressed: a series being opened from the PACS stops and shows nothing. */
export function cancelPacsOpening(): void {
  if (!openingController) return;
  openingController.abort();
  openingController = null;
  pacs.setState({ status: '' });
}

/**
 * Every run was closed (Close all): the study list, its series and the search typed leave the
 * screen with them, as the DICOMDIR listings do, since they name patients. The server and its
 * credentials stay.
 */
export function forgetPacsListings(): void {
  browseController?.abort();
  preparations.clear();
  forgetThumbnails();
  pacs.setState((state) => ({
    studies: null,
    selectedStudy: null,
    series: null,
    status: '',
    listingsForgotten: state.listingsForgotten + 1,
  }));
}

function forgetThumbnails(): void {
  for (const s of pacs.getState().series ?? []) if (s.thumbnailUrl) URL.revokeObjectURL(s.thumbnailUrl);
}

/**
 * Opens a series of the PACS as run(s), shown in the active pane like a local file. `listed` (the
 * series as the list has it) names its first image, so frame 1 is asked for beside the metadata.
 */
export function openPacsSeries(ref: SeriesRef, listed?: SeriesSummary): Promise<void> {
  return busy('open', async () => {
    openingController?.abort();
    const controller = new AbortController();
    openingController = controller;
    performance.mark('fluorolens:open-start', { detail: { files: 1, source: 'dicomweb' } });
    pacs.setState({ status: 'Opening the series…' });
    const { runs, skipped } = await openSeries(ref, listed, controller.signal);
    // Close all (or another series' Open) came while the series was read: nothing of it is shown.
    if (controller.signal.aborted) return;
    if (openingController === controller) openingController = null;
    const opened = runs.map((remote) => {
      const name = remoteRunName(remote);
      const wholeRun = decodeModeFor(remote.info.frameCount, decodedFrameBytes(remote.info), DECODED_CACHE_BYTES) === 'all';
      const { run, frames } = openedRunFromRemote(client, remote, {
        prefetch: wholeRun,
        onFailures: (failures) => reportFrameFailures(name, failures),
      });
      remoteFrames.set(run.key, frames);
      return run;
    });
    addOpenedRuns({ runs: opened, problems: [], skipped: skipped.map((s) => ({ file: s.name, reason: s.reason })) });
    pacs.setState({ status: `Opened ${opened.map((r) => runTitle(r)).join(', ')}` });
  });
}

/** The series as prepared before the click when it was (waiting for what is still in flight), else fetched now. */
async function openSeries(ref: SeriesRef, listed: SeriesSummary | undefined, signal: AbortSignal): Promise<OpenedSeries> {
  const prepared = preparations.take(client, ref);
  if (prepared) {
    signal.addEventListener('abort', () => prepared.cancel(), { once: true });
    try {
      return await prepared.result;
    } catch (error) {
      // Cancelled with this open; any other failure is met again (and told) by asking now.
      if (signal.aborted) throw error;
    }
  }
  return openRemoteSeries(client, ref, { signal, firstInstance: (listed && firstImageInstance(listed)) ?? undefined });
}

function reportFrameFailures(runName: string, failures: RunFrameFailure[]): void {
  // One alert per reason, not one per batch: a server that went away fails every batch the same way.
  const byReason = new Map<string, { title: string; frames: number[] }>();
  for (const failure of failures) {
    const entry = byReason.get(failure.error.reason) ?? { title: FAILURE_TITLES[failure.error.kind], frames: [] };
    entry.frames.push(...failure.runFrames);
    byReason.set(failure.error.reason, entry);
  }
  for (const [reason, { title, frames }] of byReason) {
    reportAlert(title, `${runName}: ${frames.length} frame${frames.length === 1 ? '' : 's'} did not arrive: ${reason}`);
  }
}

/** Frames of remote runs already told in the alert region, by run key. */
const toldFailures = new Map<string, Set<number>>();

/**
 * A PACS frame that arrived but could not be decoded is told in the alert region (a local file's
 * is told on the viewport): the user did not choose these bytes and should know which run broke.
 */
function tellFrameFailures(): void {
  const { frameFailures } = session.getState();
  for (const key of remoteFrames.keys()) {
    const failures = frameFailures[key];
    if (!failures) continue;
    const told = toldFailures.get(key) ?? new Set<number>();
    toldFailures.set(key, told);
    const fresh = Object.keys(failures)
      .map(Number)
      .filter((frame) => !told.has(frame));
    if (fresh.length === 0) continue;
    for (const frame of fresh) told.add(frame);
    const run = runByKey(key);
    const reason = failures[fresh[0]];
    // Fetch failures are told by reportFrameFailures already.
    if (/did not arrive|PACS|HTTP \d{3}|cancelled/.test(reason)) continue;
    const frames =
      fresh.length === 1 ? `frame ${fresh[0]}` : `${fresh.length} frames (${fresh.slice(0, 5).join(', ')}${fresh.length > 5 ? ', …' : ''})`;
    reportAlert(run?.fileNames[0] ?? 'PACS series', `${frames} could not be decoded: ${reason}`);
  }
}

/** Cancels the frame requests of remote runs that no pane shows any more. */
function cancelHiddenRuns(): void {
  const state = session.getState();
  const shown = new Set(state.panes.map((p) => p.runKey));
  for (const [key, frames] of remoteFrames) {
    if (!runByKey(key, state)) {
      frames.cancel();
      remoteFrames.delete(key);
      toldFailures.delete(key);
    } else if (!shown.has(key) && frames.active) frames.cancel();
  }
}

/** Whether a run's frames are being fetched from the PACS now (for tests and the bench). */
export function remoteRunActive(runKey: string): { remote: boolean; active: boolean; requests: number } {
  const frames = remoteFrames.get(runKey);
  return { remote: Boolean(frames), active: frames?.active ?? false, requests: frames?.requestCount ?? 0 };
}

async function reportOf(run: OpenedRun): Promise<Awaited<ReturnType<typeof writeMeasurementReport>>> {
  await ensureDocument(run);
  const document = documentOf(run.key);
  if (!document) throw new DicomWebError('refused', 'Writing the report', 'the run has no annotation document yet');
  return writeMeasurementReport({ document, run: run.info, appVersion: APP_VERSION });
}

/** Save to PACS: the active run's annotations as an SR, stored by STOW-RS and found again by QIDO. */
export function saveActiveRunToPacs(): Promise<void> {
  return busy('save', async () => {
    const run = selectedRun();
    if (!run) {
      pacs.setState({ status: 'Open a run first' });
      return;
    }
    pacs.setState({ status: 'Saving to the PACS…' });
    const report = await reportOf(run);
    const stored = await storeInstances(client, [report.bytes], { studyInstanceUID: report.studyInstanceUID });
    if (!stored.stored.some((s) => s.sopInstanceUID === report.sopInstanceUID)) {
      throw new DicomWebError('refused', 'Save to PACS', 'the PACS did not list the report among what it stored');
    }
    const found = await searchInstances(client, {
      studyInstanceUID: report.studyInstanceUID,
      seriesInstanceUID: report.seriesInstanceUID,
      sopInstanceUID: report.sopInstanceUID,
    });
    if (!found.some((i) => i.sopInstanceUID === report.sopInstanceUID)) {
      throw new DicomWebError('not-found', 'Save to PACS', 'the PACS accepted the report but a search does not find it');
    }
    pacs.setState({ status: `Saved to PACS: ${reportContents(run)} of ${runTitle(run)} as a DICOM SR, found on the PACS by search` });
  });
}

/** What a report of the run holds, in words: its tracks, or that it holds the case record alone. */
function reportContents(run: OpenedRun): string {
  const tracks = documentOf(run.key)?.tracks.length ?? 0;
  return tracks === 0 ? 'the case record only (no tracks yet)' : `${tracks} track${tracks === 1 ? '' : 's'}`;
}

/** Export DICOM SR: the active run's annotations as a Part 10 file to download (the PACS status says what it holds). */
export async function activeRunReportFile(): Promise<{ name: string; bytes: Uint8Array } | null> {
  const run = selectedRun();
  if (!run) return null;
  try {
    const report = await reportOf(run);
    const name = `${runFileStem(run)}.sr.dcm`;
    pacs.setState({ status: `Exported ${name}: ${reportContents(run)} of ${runTitle(run)} as a DICOM SR` });
    return { name, bytes: report.bytes };
  } catch (error) {
    reportAlert(runTitle(run), `the DICOM SR could not be written: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/**
 * Load from PACS: the newest FluoroLens report on the PACS about the active run, into its
 * annotation document (only asked to replace work that has tracks; `confirmReplace` decides).
 */
export function loadActiveRunReportFromPacs(confirmReplace: () => boolean): Promise<void> {
  return busy('load', async () => {
    const run = selectedRun();
    if (!run) {
      pacs.setState({ status: 'Open a run first' });
      return;
    }
    pacs.setState({ status: 'Looking for reports on the PACS…' });
    const series = await searchSeries(client, run.info.study.instanceUID);
    const candidates = series.flatMap((s) => (s.modality === 'SR' ? s.instances.filter((i) => i.sopClassUID === COMPREHENSIVE_SR) : []));
    let newest: { bytes: Uint8Array; when: string } | null = null;
    for (const instance of candidates) {
      const bytes = await retrieveInstance(client, instance);
      let references;
      try {
        references = readReportReferences(bytes);
      } catch {
        continue; // Not one of ours, or not readable: other reports in the study are not our business.
      }
      const aboutRun =
        references.isMeasurementReport &&
        references.seriesInstanceUIDs.includes(run.info.series.instanceUID) &&
        references.sopInstanceUIDs.some((sop) => run.info.sopInstanceUIDs.includes(sop));
      if (aboutRun && (!newest || references.contentDateTime > newest.when)) newest = { bytes, when: references.contentDateTime };
    }
    if (!newest) {
      pacs.setState({ status: `No FluoroLens report on the PACS for ${runTitle(run)}` });
      return;
    }
    await ensureDocument(run);
    const current = documentOf(run.key);
    if (current && current.tracks.length > 0 && !confirmReplace()) {
      pacs.setState({ status: 'Report not loaded; your annotations are unchanged' });
      return;
    }
    const imported = readMeasurementReport(newest.bytes, runRefFromRunInfo(run.info));
    const result = importDocument(run.key, serializeDocument(imported.document, { appVersion: APP_VERSION }));
    if (!result.ok) throw new DicomWebError('malformed', 'Loading the report', result.error);
    for (const problem of imported.problems) reportAlert(runTitle(run), `report loaded with a change: ${problem}`);
    const tracks = imported.document.tracks.length;
    pacs.setState({ status: `Loaded from PACS: ${tracks} track${tracks === 1 ? '' : 's'} for ${runTitle(run)}` });
  });
}

/**
 * Starts the PACS side: the base URL from `?dicomweb=` (else the same-origin proxy), cancelling of
 * hidden remote runs, and the deep link `&study=…&series=…`. Returns whether a deep link is being
 * opened (then the bundled samples are not).
 */
export function startPacs(search: string): { deepLink: Promise<void> | null } {
  const params = new URLSearchParams(search);
  setPacsBase(params.get('dicomweb') ?? DEFAULT_DICOMWEB_BASE);
  session.subscribe(cancelHiddenRuns);
  session.subscribe(tellFrameFailures);
  const study = params.get('study');
  const seriesUid = params.get('series');
  if (!study || !seriesUid) return { deepLink: null };
  // The run first (the user waits for it), then its study in the panel.
  const deepLink = openPacsSeries({ studyInstanceUID: study, seriesInstanceUID: seriesUid }).then(() => showLinkedStudy(study, seriesUid));
  return { deepLink };
}
