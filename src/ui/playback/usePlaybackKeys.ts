import { useEffect } from 'react';
import { goToRangeEnd, setInPoint, setOutPoint, stepSpeed, togglePlay } from '../../state/playback';

/** Fields where keys type text (or pick an option) rather than drive playback. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !['range', 'button', 'checkbox', 'radio', 'file'].includes((target as HTMLInputElement).type);
}

/** The playback keys, for help text. */
export const PLAYBACK_KEYS: ReadonlyArray<readonly [key: string, what: string]> = [
  ['Space', 'Play / pause'],
  ['← / →', 'Previous / next frame'],
  ['Home / End', 'First / last frame of the play range'],
  ['+ / −', 'Faster / slower'],
  ['I / O', 'In / out point at this frame'],
];

const ACTIONS: Record<string, () => void> = {
  ' ': () => togglePlay(),
  '+': () => stepSpeed(1),
  '=': () => stepSpeed(1),
  '-': () => stepSpeed(-1),
  _: () => stepSpeed(-1),
  i: () => setInPoint(),
  o: () => setOutPoint(),
  Home: () => goToRangeEnd('start'),
  End: () => goToRangeEnd('end'),
};

/** Playback keys on the active pane: Space play/pause, Home/End range ends, +/− speed, I/O in and out points. */
export function usePlaybackKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTextEntry(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const isSlider = event.target instanceof HTMLInputElement && event.target.type === 'range';
      const isToggle = event.target instanceof HTMLInputElement && (event.target.type === 'checkbox' || event.target.type === 'radio');
      if (isToggle && event.key === ' ') return;
      // The Frame slider keeps its own Home/End; Space on a focused button would also click it.
      if (isSlider && (event.key === 'Home' || event.key === 'End')) return;
      // Shift+I / Shift+O belong to the review keys (invert, overlay).
      if (event.shiftKey && (event.key === 'I' || event.key === 'O')) return;
      const action = ACTIONS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
      if (!action || (event.repeat && event.key === ' ')) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
