import { paneById, runOfPane, setFrame, stepFrame } from '../../state/session';
import { formatElapsed, formatFrameNumbers } from '../../format/rate';
import { PlayRangeBar } from './PlayRangeBar';
import { useSession } from '../hooks/useStore';
import { Icon } from '../icons';

/** Previous / Frame slider / Next, and the "Frame n / N" readout. */
export function FrameControls({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const total = run?.info.frameCount ?? 0;
  const startMs = run?.info.timing.frameStartMs[frame - 1] ?? 0;
  return (
    <div className="frame-controls">
      <button
        type="button"
        className="icon-button"
        aria-label="Previous frame"
        title="Previous frame (←)"
        onClick={() => stepFrame(-1, paneId)}
        disabled={!run || frame <= 1}
      >
        <Icon name="previous" />
      </button>
      <span className="frame-slider">
        <input
          type="range"
          aria-label="Frame"
          min={1}
          max={Math.max(1, total)}
          step={1}
          value={frame}
          aria-valuemin={1}
          aria-valuemax={total}
          aria-valuenow={frame}
          aria-valuetext={`Frame ${frame} of ${total}`}
          disabled={!run}
          onChange={(e) => setFrame(Number(e.currentTarget.value), paneId)}
        />
        <PlayRangeBar paneId={paneId} total={total} />
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label="Next frame"
        title="Next frame (→)"
        onClick={() => stepFrame(1, paneId)}
        disabled={!run || frame >= total}
      >
        <Icon name="next" />
      </button>
      <output className="frame-readout" aria-label="Frame readout">
        {/* "Frame " goes in narrow panes (app.css); the numbers never shrink. */}
        {run ? (
          <>
            <span className="frame-word">Frame </span>
            {formatFrameNumbers(frame, total)}
          </>
        ) : (
          'No run'
        )}
        {run && total > 1 && <span className="frame-time">{` · ${formatElapsed(startMs / 1000)}`}</span>}
      </output>
    </div>
  );
}
