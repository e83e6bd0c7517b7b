import { setCaption, type CaptionTrack } from '../../annotations/model';
import { apply } from '../../state/documents';

/**
 * Sets the selected caption's frame range from the current frame (the bar on its lane), beside the
 * form for its text and exact frame numbers (TrackTextEditor).
 */
export function CaptionRangeButtons({ runKey, track, frame }: { runKey: string; track: CaptionTrack; frame: number }) {
  const { from, to } = track.range;
  return (
    <div className="caption-editor">
      <button
        type="button"
        disabled={frame === from}
        onClick={() => apply(runKey, setCaption(track.id, { range: { from: frame, to: Math.max(frame, to) } }))}
      >
        Caption starts here
      </button>
      <button
        type="button"
        disabled={frame === to}
        onClick={() => apply(runKey, setCaption(track.id, { range: { from: Math.min(from, frame), to: frame } }))}
      >
        Caption ends here
      </button>
    </div>
  );
}
