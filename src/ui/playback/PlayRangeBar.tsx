import { panePlayback, playback } from '../../state/playbackStore';
import { useStore } from '../hooks/useStore';

/** The play range drawn under the Frame slider: a bar from the in point to the out point. */
export function PlayRangeBar({ paneId, total }: { paneId: string; total: number }) {
  const range = useStore(playback, (s) => panePlayback(paneId, s).range);
  if (!range || total < 2) return null;
  // Positions match the slider thumb's centre at each frame (min 1, max total).
  const at = (frame: number) => `${((frame - 1) / (total - 1)) * 100}%`;
  return (
    <div className="play-range-track" aria-hidden="true">
      <div
        className="play-range"
        data-testid="play-range"
        style={{ left: at(range.inFrame), width: `calc(${at(range.outFrame)} - ${at(range.inFrame)})` }}
      />
    </div>
  );
}
