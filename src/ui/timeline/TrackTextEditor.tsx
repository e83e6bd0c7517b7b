import { useState, type FormEvent } from 'react';
import { setArrowText, setCaption, type ArrowTrack, type CaptionTrack, type Track } from '../../annotations/model';
import { apply } from '../../state/documents';
import { CaptionRangeButtons } from './CaptionRangeButtons';

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

function CaptionForm({ runKey, track, frameCount }: { runKey: string; track: CaptionTrack; frameCount: number }) {
  const [text, setText] = useState(track.text);
  const [from, setFrom] = useState(track.range.from);
  const [to, setTo] = useState(track.range.to);
  const valid = from >= 1 && to <= frameCount && from <= to && Number.isInteger(from) && Number.isInteger(to);
  const unchanged = text === track.text && from === track.range.from && to === track.range.to;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) apply(runKey, setCaption(track.id, { text, range: { from, to } }));
  };
  return (
    <form className="track-form" aria-label="Caption" onSubmit={submit}>
      <label>
        Caption text <input value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </label>
      <label>
        From frame <input type="number" min={1} max={frameCount} value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))} />
      </label>
      <label>
        To frame <input type="number" min={1} max={frameCount} value={to} onChange={(e) => setTo(Number(e.currentTarget.value))} />
      </label>
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
    const key = `${track.id}:${track.text}:${track.range.from}-${track.range.to}`;
    return (
      <div className="track-text-editor">
        <CaptionForm key={key} runKey={runKey} track={track} frameCount={frameCount} />
        <CaptionRangeButtons runKey={runKey} track={track} frame={frame} />
      </div>
    );
  }
  return null;
}
