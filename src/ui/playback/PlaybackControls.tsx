import { memo } from 'react';
import { runOfPane } from '../../state/session';
import { clearRange, setInPoint, setMode, setOutPoint, setSpeed, setSync, togglePlay } from '../../state/playback';
import { Icon } from '../icons';
import { isPanePlaying, panePlayback, playback } from '../../state/playbackStore';
import { PLAYBACK_SPEEDS, type PlaybackMode, type PlayRange } from '../../viewer/cine';
import type { OpenedRun } from '../../dicom/run';
import { formatFrameRate } from '../../format/rate';
import { keysHelpText } from '../keys/keymap';
import { useSession, useStore } from '../hooks/useStore';

const KEYS_HELP = keysHelpText('Playback', 'Frames');

const MODES: Array<{ value: PlaybackMode; label: string }> = [
  { value: 'loop', label: 'Loop' },
  { value: 'bounce', label: 'Bounce' },
  { value: 'once', label: 'Play once' },
];

/**
 * Play/Pause, speed, mode, in/out points, the run's own rate and the dropped-frame count for one
 * pane: items of the pane's one control row (PaneControls), in which the Play button comes first.
 */
export const PlaybackControls = memo(function PlaybackControls({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const view = useStore(playback, (s) => panePlayback(paneId, s));
  const playing = isPanePlaying(view);
  const timing = run?.info.timing;
  const rate = timing && run.info.frameCount > 1 ? formatFrameRate(timing) : null;
  const following = view.following !== null;
  return (
    <div className="playback-controls">
      <button
        type="button"
        className="play-button icon-button"
        aria-label={playing ? 'Pause' : 'Play'}
        title={`${playing ? 'Pause' : 'Play'}\n${KEYS_HELP}`}
        onClick={() => togglePlay(paneId)}
        disabled={!run || run.info.frameCount < 2}
      >
        <Icon name={playing ? 'pause' : 'play'} />
      </button>
      <select
        aria-label="Playback speed"
        value={String(view.speed)}
        disabled={!run || following}
        onChange={(e) => setSpeed(Number(e.currentTarget.value), paneId)}
      >
        {PLAYBACK_SPEEDS.map((speed) => (
          <option key={speed} value={String(speed)}>{`${speed}×`}</option>
        ))}
      </select>
      <select
        aria-label="Playback mode"
        value={view.mode}
        disabled={!run}
        onChange={(e) => setMode(e.currentTarget.value as PlaybackMode, paneId)}
      >
        {MODES.map((mode) => (
          <option key={mode.value} value={mode.value}>
            {mode.label}
          </option>
        ))}
      </select>
      <span className="range-buttons">
        {/* Short labels keep the row narrow in side-by-side panes; the names say it in full. */}
        <button
          type="button"
          aria-label="Set in point"
          title="Set in point at this frame (I)"
          onClick={() => setInPoint(paneId)}
          disabled={!run}
        >
          [ In
        </button>
        <button
          type="button"
          aria-label="Set out point"
          title="Set out point at this frame (O)"
          onClick={() => setOutPoint(paneId)}
          disabled={!run}
        >
          Out ]
        </button>
        <button
          type="button"
          aria-label="Clear range"
          title="Clear the play range"
          onClick={() => clearRange(paneId)}
          disabled={!run || !view.range}
        >
          Clear
        </button>
      </span>
      {view.range && (
        <span
          className="range-readout"
          aria-label="Play range"
          title={isFileTrim(view.range, run) ? "The file's Start Trim and Stop Trim (Cine module); Clear plays the whole run" : undefined}
        >
          {`In ${view.range.inFrame} · Out ${view.range.outFrame}`}
        </span>
      )}
      {rate && timing && (
        <span
          className="rate-readout"
          aria-label="Frame rate"
          title={timing.notes.length > 0 ? timing.notes.join('; ') : `Timing from ${timing.source}`}
        >
          {rate}
        </span>
      )}
      {run && run.info.frameCount > 1 && (
        <span
          className="dropped-readout"
          aria-label="Dropped frames"
          title={`Since Play: shown ${view.stats.shown}, waited for decoding ${view.stats.stalls}`}
        >
          {`dropped: ${view.stats.dropped}`}
        </span>
      )}
    </div>
  );
});

/** "Sync playback", in the header while two panes are side by side: Play in either pane plays both. */
export function SyncToggle() {
  const sideBySide = useSession((s) => s.panes.length > 1);
  const sync = useStore(playback, (s) => s.sync);
  if (!sideBySide) return null;
  return (
    <label className="sync-toggle">
      <input type="checkbox" checked={sync} onChange={(e) => setSync(e.currentTarget.checked)} />
      Sync playback
    </label>
  );
}

/** Whether the play range is the run's own Start Trim / Stop Trim (state/cineDisplay.ts puts it there). */
function isFileTrim(range: PlayRange, run: OpenedRun | null): boolean {
  const trim = run?.info.cineDisplay.trim;
  return !!trim && trim.firstFrame === range.inFrame && trim.lastFrame === range.outFrame;
}
