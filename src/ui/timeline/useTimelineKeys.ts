import { useEffect, useRef } from 'react';
import type { Track } from '../../annotations/model';
import { addKeyframeAt, deleteKeyframeAt, jumpToKeyframe } from './timelineActions';

/** The keys, for the help text. Plain ←/→ step frames and I/O set in/out points elsewhere. */
export const TIMELINE_KEYS: ReadonlyArray<readonly [key: string, what: string]> = [
  ['K', 'add a keyframe on the selected track at the current frame'],
  ['Delete / Backspace', 'delete the selected track’s keyframe at the current frame'],
  [', (comma)', 'go to the previous keyframe of the selected track'],
  ['. (full stop)', 'go to the next keyframe of the selected track'],
];

interface KeyContext {
  paneId: string;
  runKey: string;
  track: Track | null;
  frame: number;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !['range', 'button', 'checkbox', 'radio', 'file'].includes((target as HTMLInputElement).type);
}

/** Keyframe keys for the active pane's timeline; `context` is null when this pane should not listen. */
export function useTimelineKeys(context: KeyContext | null, report: (message: string | null) => void): void {
  const latest = useRef({ context, report });
  useEffect(() => {
    latest.current = { context, report };
  });
  const listening = context !== null;

  useEffect(() => {
    if (!listening) return;
    const onKey = (event: KeyboardEvent) => {
      const { context: ctx, report: say } = latest.current;
      if (!ctx || isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (!['k', 'delete', 'backspace', ',', '.'].includes(key)) return;
      event.preventDefault();
      if (!ctx.track) {
        say('Select a track first (click its lane)');
        return;
      }
      if (key === 'k') say(addKeyframeAt(ctx.runKey, ctx.track, ctx.frame));
      else if (key === 'delete' || key === 'backspace') say(deleteKeyframeAt(ctx.runKey, ctx.track, ctx.frame));
      else say(jumpToKeyframe(ctx.paneId, ctx.track, ctx.frame, key === '.' ? 1 : -1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [listening]);
}
