/**
 * A run newly shown in a pane plays the way its file asks (the Cine module): only the frames from
 * Start Trim to Stop Trim, as the pane's play range (shown, and cleared like any other), starting
 * at the first of them; sweeping (Bounce) or looping as Preferred Playback Sequencing says. Runs
 * that ask nothing leave the pane's choices as they were.
 */
import { setMode, setPlayRange } from './playback';
import { runByKey, session, setFrame } from './session';

export function startCineDisplay(): () => void {
  const shown = new Map<string, string | null>();
  const follow = () => {
    const state = session.getState();
    for (const pane of state.panes) {
      if (shown.get(pane.id) === pane.runKey) continue;
      shown.set(pane.id, pane.runKey);
      const run = pane.runKey ? runByKey(pane.runKey, state) : undefined;
      if (!run) continue;
      const { trim, sequencing } = run.info.cineDisplay;
      if (sequencing) setMode(sequencing === 'sweeping' ? 'bounce' : 'loop', pane.id);
      if (!trim) continue;
      setPlayRange(pane.id, { inFrame: trim.firstFrame, outFrame: trim.lastFrame });
      // Shown from frame 1 by default; a frame asked for on purpose (a quiz question, a flag) stays.
      if (pane.frame === 1) setFrame(trim.firstFrame, pane.id);
    }
  };
  follow();
  return session.subscribe(follow);
}
