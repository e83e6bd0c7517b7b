import { useState, type FormEvent } from 'react';
import { setArrowText, setCaption, type ArrowTrack, type CaptionTrack, type Track } from '../../annotations/model';
import { apply } from '../../state/documents';

function ArrowTextForm({ runKey, track }: { runKey: string; track: ArrowTrack }) {
  const [text, setText] = useState(track.text);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(runKey, setArrowText(track.id, text));
  };
  return (
    <form className="track-form" aria-label="Arrow text" onSubmit={submit}>
      <label>
        Arrow text <input value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={text === track.text}>
        Set text
      </button>
    </form>
  );
}

/**
 * The caption's text and frames. Its frame numbers are drafts until Set caption, like the text;
 * Here beside each sets that end at once to the frame on screen (the bar on its lane moves)
 * and leaves a text being typed as it is.
 */
function CaptionForm({ runKey, track, frame, frameCount }: { runKey: string; track: CaptionTrack; frame: number; frameCount: number }) {
  const [text, setText] = useState(track.text);
  // null: the caption's own frame, so a change made by Here or an undo shows at once.
  const [fromDraft, setFrom] = useState<number | null>(null);
  const [toDraft, setTo] = useState<number | null>(null);
  const from = fromDraft ?? track.range.from;
  const to = toDraft ?? track.range.to;
  const valid = from >= 1 && to <= frameCount && from <= to && Number.isInteger(from) && Number.isInteger(to);
  const unchanged = text === track.text && from === track.range.from && to === track.range.to;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    apply(runKey, setCaption(track.id, { text, range: { from, to } }));
    setFrom(null);
    setTo(null);
  };
  const setRange = (range: { from: number; to: number }) => {
    apply(runKey, setCaption(track.id, { range }));
    setFrom(null);
    setTo(null);
  };
  const { from: savedFrom, to: savedTo } = track.range;
  return (
    <form className="track-form" aria-label="Caption" onSubmit={submit}>
      <label className="caption-text">
        Caption text <input value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </label>
      <label>
        From <input type="number" min={1} max={frameCount} value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))} />
      </label>
      <button
        type="button"
        aria-label="Caption starts here"
        title={`The caption starts at the frame on screen (${frame})`}
        disabled={frame === savedFrom}
        onClick={() => setRange({ from: frame, to: Math.max(frame, savedTo) })}
      >
        Here
      </button>
      <label>
        To <input type="number" min={1} max={frameCount} value={to} onChange={(e) => setTo(Number(e.currentTarget.value))} />
      </label>
      <button
        type="button"
        aria-label="Caption ends here"
        title={`The caption ends at the frame on screen (${frame})`}
        disabled={frame === savedTo}
        onClick={() => setRange({ from: Math.min(savedFrom, frame), to: frame })}
      >
        Here
      </button>
      <button type="submit" disabled={!valid || unchanged}>
        Set caption
      </button>
      {!valid && <span className="form-problem">Frames must run forwards within 1–{frameCount}</span>}
    </form>
  );
}

/**
 * The selected arrow's text, or the selected caption's text and frames, on a row of the pane's
 * timeline. Not on a toolbar row: selecting an arrow or a caption added one, and the picture shrank
 * by its height (501 → 466 px at 1366×768) and changed zoom; the timeline's height is fixed.
 */
export function TrackTextEditor({
  runKey,
  track,
  frame,
  frameCount,
}: {
  runKey: string;
  track: Track | null;
  frame: number;
  frameCount: number;
}) {
  if (track?.kind === 'arrow') {
    return (
      <div className="track-text-editor">
        {/* Keyed by the text so an undo or import refreshes the form's draft. */}
        <ArrowTextForm key={`${track.id}:${track.text}`} runKey={runKey} track={track} />
      </div>
    );
  }
  if (track?.kind === 'caption') {
    return (
      <div className="track-text-editor">
        {/* Keyed by the text so an undo or import refreshes the text's draft; the frames follow the caption's own. */}
        <CaptionForm key={`${track.id}:${track.text}`} runKey={runKey} track={track} frame={frame} frameCount={frameCount} />
      </div>
    );
  }
  return null;
}
