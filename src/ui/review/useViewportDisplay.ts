import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { viewportElement } from '../../viewer/engine';
import { displayState, watchDisplay, type DisplayState } from '../../viewer/review';
import { notifyChrome } from '../../state/viewports';

function sameDisplay(a: DisplayState | null, b: DisplayState | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const { axes: axesA, ...restA } = a;
  const { axes: axesB, ...restB } = b;
  const sameAxes = axesA.xx === axesB.xx && axesA.xy === axesB.xy && axesA.yx === axesB.yx && axesA.yy === axesB.yy;
  return sameAxes && (Object.keys(restA) as Array<keyof typeof restA>).every((key) => restA[key] === restB[key]);
}

/**
 * The pane's window/level, inversion, zoom, rotation and flips, kept current from Cornerstone's
 * events. Renders only when something changed (IMAGE_RENDERED fires on every cine frame).
 */
export function useViewportDisplay(paneId: string): DisplayState | null {
  const [state, setState] = useState<DisplayState | null>(null);
  const watchedPane = useRef<string | null>(null);
  // A layout effect: when the toolbar moves to another pane, the same paint shows that pane's
  // state, never the previous pane's (Invert pressed for a pane that is not inverted).
  useLayoutEffect(() => {
    const update = () => {
      const next = displayState(paneId);
      setState((previous) => (sameDisplay(previous, next) ? previous : next));
    };
    // The user's switch of pane is answered at once, not held behind another run's first frame.
    if (watchedPane.current !== null && watchedPane.current !== paneId) update();
    watchedPane.current = paneId;
    // Like the stores: while a run's first frame is on its way, the overlay catches up after it.
    return watchDisplay(paneId, () => notifyChrome(update));
  }, [paneId]);
  return state;
}

/** The pane's viewport element once Cornerstone has enabled it (null before). */
export function useViewportElement(paneId: string): HTMLDivElement | null {
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  useEffect(() => watchDisplay(paneId, () => setElement(viewportElement(paneId))), [paneId]);
  return element;
}
