import { useState, type FormEvent } from 'react';
import {
  TRACK_KINDS,
  TRACK_KIND_NAMES,
  findTrack,
  setArrowText,
  setCaption,
  type ArrowTrack,
  type CaptionTrack,
} from '../../annotations/model';
import { ANNOTATION_TOOL_NAME } from '../../annotations/tools';
import { apply, documents, editingViewOf } from '../../state/documents';
import { runOfPane, selectedTrackOf } from '../../state/session';
import { ToolButton } from '../review/ToolButton';
import { UndoRedo } from './UndoRedo';
import { useSession, useStore } from '../hooks/useStore';
import { WorkFile } from './WorkFile';
import { VideoExportButton } from '../export/VideoExport';

const TOOL_HINTS: Record<(typeof TRACK_KINDS)[number], string> = {
  needleTip: 'Click to place the needle tip on this frame; drag from hub to tip to draw the shaft too',
  target: 'Click to place the target; drag outwards to set its radius; drag its ring later to resize',
  contrastSpread: 'Drag around the contrast to outline it; drag a vertex to adjust',
  arrow: 'Drag from where the text goes to what the arrow points at',
  caption: 'Click where the caption goes; set its text and frames in the caption form',
};

/** The annotation tool buttons, for the review toolbar's slot beside Window/level, Pan and Zoom. */
export function AnnotationToolButtons() {
  return (
    <>
      {TRACK_KINDS.map((kind) => (
        <ToolButton key={kind} toolName={ANNOTATION_TOOL_NAME[kind]} icon={kind} label={TRACK_KIND_NAMES[kind]} title={TOOL_HINTS[kind]} />
      ))}
    </>
  );
}

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

/** The form for the selected track's text (arrow) or text and frames (caption). */
export function TrackTextForm({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const selectedId = useSession((s) => selectedTrackOf(s, runOfPane(s, paneId)?.key));
  const doc = useStore(documents, (s) => editingViewOf(s, run?.key)?.doc);
  const track = doc && selectedId ? findTrack(doc, selectedId) : undefined;
  if (!run || !track) return null;
  // Keyed by the track's text so an undo or import refreshes the form's draft.
  if (track.kind === 'arrow') return <ArrowTextForm key={`${track.id}:${track.text}`} runKey={run.key} track={track} />;
  if (track.kind === 'caption') {
    const key = `${track.id}:${track.text}:${track.range.from}-${track.range.to}`;
    return <CaptionForm key={key} runKey={run.key} track={track} frameCount={run.info.frameCount} />;
  }
  return null;
}

/** Undo/Redo, export/import and autosave status and video export, for the active pane's run. */
export function AnnotationFileTools({ paneId }: { paneId: string }) {
  return (
    <div className="tool-group-set" role="group" aria-label="Annotations">
      <UndoRedo paneId={paneId} />
      <div className="tool-group" role="group" aria-label="Export">
        <WorkFile paneId={paneId} />
        <VideoExportButton paneId={paneId} />
      </div>
    </div>
  );
}
