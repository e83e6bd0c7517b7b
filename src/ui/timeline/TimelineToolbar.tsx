import { useRef, useState } from 'react';
import { useDetailsPopover, useDismiss } from '../hooks/usePopover';
import { TRACK_KINDS, TRACK_KIND_NAMES, keyframeAt, type Track, type TrackKind } from '../../annotations/model';
import { addKeyframeAt, addTrackOfKind, deleteKeyframeAt, deleteTrack, jumpToKeyframe } from './timelineActions';
import { keysHelpText, keysOf } from '../keys/keymap';

const TIMELINE_KEYS = keysOf('Timeline', 'Frames');

interface ToolbarProps {
  paneId: string;
  runKey: string;
  track: Track | null;
  frame: number;
  message: string | null;
  report: (message: string | null) => void;
}

function AddTrackMenu({ onPick }: { onPick: (kind: TrackKind) => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useDismiss(
    root,
    () => open,
    () => setOpen(false),
  );
  return (
    <div className="add-track" ref={root}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        Add track
      </button>
      {open && (
        <ul role="menu" aria-label="Add track" className="add-track-menu">
          {TRACK_KINDS.map((kind) => (
            <li role="none" key={kind}>
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setOpen(false);
                  onPick(kind);
                }}
              >
                {TRACK_KIND_NAMES[kind]}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Track and keyframe buttons for the timeline, with the keys in a help popover. */
export function TimelineToolbar({ paneId, runKey, track, frame, message, report }: ToolbarProps) {
  const isKeyframe = track ? Boolean(keyframeAt(track, frame)) : false;
  const helpPopover = useDetailsPopover();
  // In its title too: a narrow pane cuts it short.
  const shownMessage = message ?? (track ? '' : 'Click a lane to select its track');
  return (
    <div className="timeline-toolbar">
      <AddTrackMenu onPick={(kind) => report(addTrackOfKind(runKey, kind))} />
      <button
        type="button"
        disabled={!track || isKeyframe}
        title="Keyframe on the selected track at this frame (K)"
        onClick={() => track && report(addKeyframeAt(runKey, track, frame))}
      >
        Add keyframe
      </button>
      <button
        type="button"
        disabled={!isKeyframe}
        title="Delete the selected track’s keyframe at this frame (Delete)"
        onClick={() => track && report(deleteKeyframeAt(runKey, track, frame))}
      >
        Delete keyframe
      </button>
      <button
        type="button"
        disabled={!track}
        title="Previous keyframe (,)"
        onClick={() => track && report(jumpToKeyframe(paneId, track, frame, -1))}
      >
        Previous keyframe
      </button>
      <button
        type="button"
        disabled={!track}
        title="Next keyframe (.)"
        onClick={() => track && report(jumpToKeyframe(paneId, track, frame, 1))}
      >
        Next keyframe
      </button>
      <button type="button" disabled={!track} onClick={() => track && report(deleteTrack(runKey, track))}>
        Delete track
      </button>
      <details className="timeline-help" ref={helpPopover}>
        <summary aria-label="Timeline keys" title={keysHelpText('Timeline', 'Frames')}>
          ?
        </summary>
        <dl>
          {TIMELINE_KEYS.map((binding) => (
            <div key={binding.label}>
              <dt>{binding.label}</dt>
              <dd>{binding.help}</dd>
            </div>
          ))}
        </dl>
      </details>
      <span className={message ? 'timeline-message' : 'timeline-message idle'} aria-live="polite" title={shownMessage || undefined}>
        {shownMessage}
      </span>
    </div>
  );
}
