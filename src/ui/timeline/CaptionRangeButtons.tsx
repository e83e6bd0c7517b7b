import { setCaption, type CaptionTrack } from '../../annotations/model';
import { apply } from '../../state/documents';
import { useDraft } from '../caseRecord/useDraft';

/** Text and frame range of the selected caption track; its range is the bar on the caption's lane. */
export function CaptionEditor({ runKey, track, frame }: { runKey: string; track: CaptionTrack; frame: number }) {
  const [draft, setDraft] = useDraft(track.text);
  const { from, to } = track.range;
  const commit = () => draft !== track.text && apply(runKey, setCaption(track.id, { text: draft }));
  return (
    <div className="caption-editor">
      <input
        type="text"
        aria-label="Caption text"
        placeholder="Caption text, e.g. contrast outlines the L5 root"
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <button type="button" disabled={frame === from} onClick={() => apply(runKey, setCaption(track.id, { range: { from: frame, to: Math.max(frame, to) } }))}>
        Caption starts here
      </button>
      <button type="button" disabled={frame === to} onClick={() => apply(runKey, setCaption(track.id, { range: { from: Math.min(from, frame), to: frame } }))}>
        Caption ends here
      </button>
      <span className="caption-range">
        Frames {from}–{to}
      </span>
    </div>
  );
}
