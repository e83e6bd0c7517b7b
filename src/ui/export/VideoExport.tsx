import { useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { OpenedRun } from '../../dicom/run';
import { panePlayback, playback } from '../../state/playbackStore';
import { runOfPane } from '../../state/session';
import { cancelVideoExport, exportPaneVideo, resetVideoExport, videoExport, type VideoExportChoice } from '../../state/videoExport';
import { PLAYBACK_SPEEDS } from '../../viewer/cine';
import { CAPTURE_FORMATS, CAPTURE_FORMAT_LABELS, captureFileName, isCaptureFormat, type CaptureResult } from '../../viewer/capture';
import { useSession, useStore } from '../hooks/useStore';
import { runFileStem } from '../../format/run';
import { Icon } from '../icons';

const OVERLAY_CHOICES: Array<[VideoExportChoice['overlay'], string]> = [
  ['teaching', 'Acquisition only (no patient or study text)'],
  ['none', 'None'],
  ['full', 'As on screen (includes patient text)'],
];

const FIRST_CHOICE: VideoExportChoice = { format: 'mp4', frames: 'range', speed: 1, overlay: 'teaching' };

function save(run: OpenedRun, result: CaptureResult): string {
  const frames = result.format === 'png' ? { frame: result.range.inFrame } : result.range;
  const name = captureFileName(runFileStem(run), result.format, frames, run.info.frameCount);
  const url = URL.createObjectURL(new Blob([result.bytes as BlobPart], { type: result.mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return name;
}

/**
 * Export video: a button (beside Export annotations) and its dialog. The pane's run (or its play
 * range) as MP4, WebM or GIF at the run's own timing or a chosen speed, or the current frame as
 * PNG; annotations burned in as drawn, the pane's window/level and orientation, the whole image.
 */
export function VideoExportButton({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const dialog = useRef<HTMLDialogElement>(null);
  // The form is there only while its dialog is open: closed, it was mounted with every run opened
  // and re-rendered on every frame of cine (it reads the pane's frame). The choices outlive it.
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<VideoExportChoice>(FIRST_CHOICE);
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label="Export video"
        disabled={!run}
        title="Export video: save the run with its annotations burned in, as a video (MP4, WebM), a GIF for slides, or the current frame as PNG"
        onClick={() => {
          resetVideoExport();
          // The form first: showModal focuses the dialog's first control.
          flushSync(() => setOpen(true));
          dialog.current?.showModal();
        }}
      >
        <Icon name="film" />
      </button>
      <dialog ref={dialog} className="video-export" aria-label="Export video" onCancel={(e) => onEscape(e)} onClose={() => setOpen(false)}>
        {run && open && (
          <VideoExportForm paneId={paneId} run={run} choice={choice} setChoice={setChoice} close={() => dialog.current?.close()} />
        )}
      </dialog>
    </>
  );
}

/** Escape while exporting cancels the export; the dialog stays to say so. */
function onEscape(event: React.SyntheticEvent<HTMLDialogElement>): void {
  if (videoExport.getState().status !== 'running') return;
  event.preventDefault();
  cancelVideoExport();
}

function VideoExportForm({
  paneId,
  run,
  choice,
  setChoice,
  close,
}: {
  paneId: string;
  run: OpenedRun;
  choice: VideoExportChoice;
  setChoice: React.Dispatch<React.SetStateAction<VideoExportChoice>>;
  close: () => void;
}) {
  const status = useStore(videoExport, (s) => s);
  const range = useStore(playback, (s) => panePlayback(paneId, s).range);
  const frame = useSession((s) => s.panes.find((p) => p.id === paneId)?.frame ?? 1);
  const running = status.status === 'running';
  const still = choice.format === 'png';
  const frameCount = run.info.frameCount;
  const rangeText = range ? `Play range, frames ${range.inFrame}–${range.outFrame}` : `Whole run, ${frameCount} frames`;
  const set = (patch: Partial<VideoExportChoice>) => setChoice((c) => ({ ...c, ...patch }));

  const start = async () => {
    const made = await exportPaneVideo(paneId, choice);
    if (made) {
      const name = save(made.run, made.result);
      videoExport.setState({ message: `Saved ${name}: ${videoExport.getState().message}` });
    }
  };

  return (
    <form
      method="dialog"
      onSubmit={(e) => {
        e.preventDefault();
        if (!running) void start();
      }}
    >
      <h2>Export video</h2>
      <label>
        Video format{' '}
        <select
          aria-label="Video format"
          value={choice.format}
          disabled={running}
          onChange={(e) => isCaptureFormat(e.currentTarget.value) && set({ format: e.currentTarget.value })}
        >
          {CAPTURE_FORMATS.map((format) => (
            <option key={format} value={format}>
              {CAPTURE_FORMAT_LABELS[format]}
            </option>
          ))}
        </select>
      </label>
      {still ? (
        <p className="hint">The frame on screen: frame {frame}.</p>
      ) : (
        <>
          <label>
            Frames{' '}
            <select
              aria-label="Frames"
              value={range ? choice.frames : 'run'}
              disabled={running || !range}
              onChange={(e) => set({ frames: e.currentTarget.value === 'run' ? 'run' : 'range' })}
            >
              {range && <option value="range">{rangeText}</option>}
              <option value="run">Whole run, {frameCount} frames</option>
            </select>
          </label>
          <label>
            Speed{' '}
            <select
              aria-label="Export speed"
              value={choice.speed}
              disabled={running}
              onChange={(e) => set({ speed: Number(e.currentTarget.value) })}
            >
              {PLAYBACK_SPEEDS.map((speed) => (
                <option key={speed} value={speed}>
                  {speed === 1 ? "1× (the run's own timing)" : `${speed}×`}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label>
        Overlay text{' '}
        <select
          aria-label="Overlay text"
          value={choice.overlay}
          disabled={running}
          onChange={(e) => set({ overlay: e.currentTarget.value as VideoExportChoice['overlay'] })}
        >
          {OVERLAY_CHOICES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">
        Annotations are burned in as drawn, with the pane&apos;s window/level, rotation and flips; the whole image, not the zoomed view.
      </p>
      {running && (
        <progress
          aria-label="Export progress"
          max={Math.max(1, status.total)}
          value={status.done}
          aria-valuetext={status.total ? `${status.done} of ${status.total} frames` : 'Starting'}
        />
      )}
      <output role="status" aria-label="Export status" className={status.status === 'failed' ? 'form-problem' : undefined}>
        {running ? (status.total ? `Frame ${status.done} of ${status.total}` : 'Starting…') : status.message}
      </output>
      <div className="dialog-buttons">
        {running ? (
          <button type="button" onClick={cancelVideoExport}>
            Cancel
          </button>
        ) : (
          <>
            <button type="submit">Export</button>
            <button type="button" onClick={close}>
              Close
            </button>
          </>
        )}
      </div>
    </form>
  );
}
