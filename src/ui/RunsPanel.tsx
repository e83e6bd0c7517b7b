import { useEffect, useId, useRef } from 'react';
import type { OpenedRun } from '../dicom/run';
import { countText } from '../format/text';
import { paneById, selectRun } from '../state/session';
import { closeAllRuns, closeRun, closeStudy, reopenClosedRuns } from '../state/closeRuns';
import type { DecodeProgress } from '../viewer/stackController';
import { renderThumbnail } from '../viewer/thumbnails';
import { DicomDirList } from './DicomDirList';
import { SkippedFiles } from './AlertRegion';
import { PacsPanel } from './pacs/PacsPanel';
import { useSession, useStore } from './hooks/useStore';
import { useFolded } from './hooks/useFolded';
import { display } from '../state/display';
import { frameSpanText, runLossyNote, runMatrix, runSummary, runTiming, runTitle } from '../format/run';

function Thumbnail({ run }: { run: OpenedRun }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const shutters = useStore(display, (s) => s.shutters);
  useEffect(() => {
    if (canvas.current) void renderThumbnail(canvas.current, run, shutters).catch(() => undefined);
  }, [run, shutters]);
  return <canvas ref={canvas} className="thumbnail" width={96} height={96} aria-hidden="true" />;
}

/** Shown only while frames are still decoding; the count says how far it is. */
function DecodeProgressBar({ run, done, total }: { run: OpenedRun; done: number; total: number }) {
  return (
    <span className="run-progress">
      <progress max={total} value={done} aria-label={`Decoding ${runTitle(run)}`} />
      <span className="run-progress-count">
        {done}/{total}
      </span>
    </span>
  );
}

/**
 * A long run is decoded only in a window ahead of the play head: say which frames that is and how
 * far it got, not how much of the whole run (which it never decodes at once).
 */
function DecodeWindowBar({ run, window, total }: { run: OpenedRun; window: NonNullable<DecodeProgress['window']>; total: number }) {
  const frames = frameSpanText(window.first, window.last, total);
  if (window.ready >= window.size) return <span className="run-progress">Frames {frames} decoded</span>;
  return (
    <span className="run-progress">
      <progress max={window.size} value={window.ready} aria-label={`Decoding frames ${frames} of ${runTitle(run)}`} />
      <span className="run-progress-count">
        {frames}: {window.ready}/{window.size}
      </span>
    </span>
  );
}

/**
 * Scrolls the Runs panel, and only it (scrollIntoView would scroll the page too where the layout
 * stacks), so that `entry` lies within what the panel shows.
 */
function revealInPanel(entry: HTMLElement): void {
  const panel = entry.closest('nav');
  if (!panel) return;
  const box = entry.getBoundingClientRect();
  const shown = panel.getBoundingClientRect();
  if (box.top < shown.top) panel.scrollTop -= shown.top - box.top;
  else if (box.bottom > shown.bottom) panel.scrollTop += Math.min(box.bottom - shown.bottom, box.top - shown.top);
}

/** About a second: longer than the chrome is ever held back for a first frame. */
const FOCUS_WAIT_FRAMES = 60;

/**
 * Closes, then puts the focus where a keyboard user can go on from: the run shown now in the active
 * pane, else the Runs heading (the button pressed has left the page with its run).
 */
async function closeAndKeepFocus(button: HTMLElement, close: () => Promise<unknown>): Promise<void> {
  const panel = button.closest('nav');
  await close();
  // The list is drawn again a few frames later (the chrome waits for the next run's first frame).
  for (let waited = 0; button.isConnected && waited < FOCUS_WAIT_FRAMES; waited++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  // Still there: nothing was closed (the alert says why), and the focus stays on it.
  if (button.isConnected || !panel) return;
  // The user has gone on elsewhere meanwhile: leave the focus there.
  if (document.activeElement && document.activeElement !== document.body) return;
  const next = panel.querySelector<HTMLElement>('.run-item[aria-pressed="true"]') ?? panel.querySelector<HTMLElement>('h2');
  next?.focus();
}

function groupByStudy(runs: OpenedRun[]): Array<{ studyUID: string; title: string; runs: OpenedRun[] }> {
  const studies = new Map<string, { studyUID: string; title: string; runs: OpenedRun[] }>();
  for (const run of runs) {
    const uid = run.info.study.instanceUID;
    const title = [run.info.study.description || 'Study', run.info.study.date].filter(Boolean).join(' · ');
    if (!studies.has(uid)) studies.set(uid, { studyUID: uid, title, runs: [] });
    studies.get(uid)!.runs.push(run);
  }
  return [...studies.values()];
}

/** The runs list (with DICOMDIR contents and the PACS region); it folds to a strip with "Runs" on it. */
export function RunsPanel() {
  const runs = useSession((s) => s.runs);
  const selected = useSession((s) => paneById(s, s.activePaneId)?.runKey ?? null);
  const progress = useSession((s) => s.progress);
  const opening = useSession((s) => s.opening);
  const { folded, fold } = useFolded('runs');
  const studies = groupByStudy(runs);
  const studyIdPrefix = `study-${useId()}`;
  return (
    <nav className={folded ? 'runs-panel folded' : 'runs-panel'} aria-label="Run browser">
      {folded && (
        <button
          type="button"
          className="panel-strip"
          aria-expanded={false}
          aria-keyshortcuts="["
          title={`Show the runs list ([)${runs.length ? `: ${runs.length} open` : ''}`}
          onClick={() => fold(false)}
        >
          Runs
        </button>
      )}
      <div className="panel-body" hidden={folded}>
        <div className="panel-heading">
          {/* Focusable from script only: where the focus goes when the runs it was on are closed. */}
          <h2 tabIndex={-1}>Runs</h2>
          {runs.length > 0 && (
            <button
              type="button"
              className="close-all"
              aria-label="Close all runs"
              title="Close all runs: their frames and the study's listings leave this tab; their annotations stay saved and come back when the runs are opened again"
              onClick={(event) => void closeAndKeepFocus(event.currentTarget, closeAllRuns)}
            >
              Close all
            </button>
          )}
          <button
            type="button"
            aria-expanded={true}
            aria-label="Hide runs"
            aria-keyshortcuts="["
            title="Hide runs: fold the list to a strip ([)"
            onClick={() => fold(true)}
          >
            ‹
          </button>
        </div>
        {opening && <p className="hint">{opening}</p>}
        <ClosedRuns />
        {runs.length === 0 && !opening && <p className="hint">Drop DICOM files or a folder anywhere on the page.</p>}
        <DicomDirList />
        <ul aria-label="Runs" className="study-list">
          {studies.map((study, index) => (
            <li key={study.studyUID} className="study">
              <div className="study-heading">
                <div className="study-title" id={`${studyIdPrefix}-${index}`}>
                  {study.title}
                </div>
                {/* With one study open, Close all does the same. */}
                {studies.length > 1 && (
                  <button
                    type="button"
                    className="study-close"
                    aria-label="Close study"
                    aria-describedby={`${studyIdPrefix}-${index}`}
                    title="Close this study's runs: their frames leave this tab; their annotations stay saved"
                    onClick={(event) => void closeAndKeepFocus(event.currentTarget, () => closeStudy(study.studyUID))}
                  >
                    Close study
                  </button>
                )}
              </div>
              <ul aria-label={`Runs of ${study.title}`}>
                {study.runs.map((run) => (
                  <RunItem key={run.key} run={run} selected={run.key === selected} progress={progress[run.key]} />
                ))}
              </ul>
            </li>
          ))}
        </ul>
        <SkippedFiles />
        <PacsPanel />
      </div>
    </nav>
  );
}

/**
 * What the last close took away, with Reopen (from the same files, not chosen again, or from the
 * PACS it came from): a run closed by mistake is one click away. Only a count after Close all or a
 * close of several runs, so that a room shown the screen after Close all reads no run's name.
 */
function ClosedRuns() {
  const closed = useSession((s) => s.closedRuns);
  const closedAll = useSession((s) => s.closedAll);
  if (closed.length === 0) return null;
  const what = closed.length === 1 && !closedAll ? runTitle(closed[0]) : countText(closed.length, 'run');
  return (
    <p className="closed-runs" role="status" aria-label="Closed runs">
      <span>Closed {what}.</span>{' '}
      <button
        type="button"
        onClick={() => void reopenClosedRuns()}
        title="Open the closed runs again from the same files (or the PACS), with their annotations"
      >
        Reopen
      </button>
    </p>
  );
}

/**
 * One run: a button whose visible text is its accessible name (title, matrix, timing), with the
 * decoding progress and failures beside it, outside the button, so the name stays what it shows.
 */
function RunItem({ run, selected, progress: p }: { run: OpenedRun; selected: boolean; progress: DecodeProgress | undefined }) {
  // The close button is named "Close run" and described by the title: a name with the title in it
  // would make every search for a run by its title find two buttons.
  const titleId = `run-title-${useId()}`;
  const lossy = runLossyNote(run);
  const entry = useRef<HTMLLIElement>(null);
  // The run shown comes into view in the list: one just opened is added at the end of a long list,
  // below what the list shows.
  useEffect(() => {
    if (selected && entry.current) revealInPanel(entry.current);
  }, [selected]);
  return (
    <li className="run-entry" ref={entry}>
      <button
        type="button"
        className="run-item"
        aria-pressed={selected}
        aria-label={`${runTitle(run)}, ${runSummary(run)}`}
        onClick={() => selectRun(run.key)}
      >
        <Thumbnail run={run} />
        {/* The spaces keep the lines apart as words in the text a screen reader (and axe) reads. */}
        <span className="run-text">
          <span className="run-title" id={titleId} title={runTitle(run)}>
            {runTitle(run)}
          </span>{' '}
          <span className="run-meta">{runMatrix(run)}</span> <span className="run-meta">{runTiming(run)}</span>
          {lossy && (
            <>
              {' '}
              <span className="run-meta run-lossy" title="The pixels went through lossy compression: they are not the acquired ones">
                {lossy}
              </span>
            </>
          )}
        </span>
      </button>
      <button
        type="button"
        className="run-close"
        aria-label="Close run"
        aria-describedby={titleId}
        title="Close this run: its frames leave this tab; its annotations stay saved and come back when it is opened again"
        onClick={(event) => void closeAndKeepFocus(event.currentTarget, () => closeRun(run.key))}
      >
        <span aria-hidden="true">×</span>
      </button>
      {(p?.window || (p && p.decoded + p.failed < p.total) || (p && p.failed > 0)) && (
        <div className="run-status">
          {p?.window ? (
            <DecodeWindowBar run={run} window={p.window} total={p.total} />
          ) : (
            p && p.decoded + p.failed < p.total && <DecodeProgressBar run={run} done={p.decoded + p.failed} total={p.total} />
          )}
          {p && p.failed > 0 && (
            <span className="run-warning">
              {p.failed} frame{p.failed === 1 ? '' : 's'} failed
            </span>
          )}
        </div>
      )}
    </li>
  );
}
