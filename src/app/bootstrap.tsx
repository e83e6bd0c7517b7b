/**
 * The app starts here, once per page, in this order: Cornerstone (its engine, decode workers and
 * our image loader, which finds runs in the session), the viewer controllers (state/viewports.ts),
 * annotation editing (tools, the document-to-viewport mirror, autosave on leaving), the cine
 * players and Sync playback, the teaching export's video (the capture engine), the test hooks, React, and finally the PACS (its deep link) or the
 * bundled sample runs. The warm-ups for files opened later wait until those runs are on screen.
 * No module does any of this as a side effect of being imported.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startAnnotationEditing } from '../state/annotationEditing';
import { startDisplay } from '../state/display';
import { openBundledSamples } from '../state/bundledSamples';
import { startCineDisplay } from '../state/cineDisplay';
import { startOtherTabsWatch } from '../state/otherTabs';
import { startPacs } from '../state/pacs';
import { startPanePlayers } from '../state/panePlayers';
import { startPlaybackSync } from '../state/playbackSync';
import { runByKey, session } from '../state/session';
import { setTeachingVideoSource } from '../state/teaching';
import { teachingMediaForRun } from '../state/videoExport';
import { startViewports } from '../state/viewports';
import { startVascularOpening } from '../state/vascularOpening';
import { App } from '../ui/App';
import { initCornerstone } from '../viewer/cornerstoneSetup';
import { firstFrameEverSettled } from '../viewer/stackController';
import { holdWarmUpsUntil } from '../viewer/warmUpGate';
import { installTestHooks } from './testHooks';

/** The longest the warm-ups wait for the first run the page opens by itself (a hidden tab draws nothing). */
const FIRST_LOOK_WAIT_MAX_MS = 5000;

export function startFluoroLens(root: HTMLElement): void {
  let firstLookDone: () => void = () => undefined;
  holdWarmUpsUntil(new Promise<void>((resolve) => (firstLookDone = resolve)));
  const cornerstoneReady = initCornerstone((key) => runByKey(key));
  startViewports(cornerstoneReady);
  startDisplay();
  startVascularOpening();
  startAnnotationEditing();
  startOtherTabsWatch();
  startPanePlayers();
  // After the players: a new run's player reset comes first, then the file's trim and sequencing.
  startCineDisplay();
  startPlaybackSync();
  // The teaching package carries each run's annotated video, made with the confirmed masks applied.
  // A browser that cannot encode gets a package without video, and the dialog says so.
  setTeachingVideoSource((run, mask) =>
    teachingMediaForRun(run.key, { masks: mask ?? undefined }).then(
      (media) => media.video,
      () => null,
    ),
  );
  installTestHooks();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // A deep link (?dicomweb=…&study=…&series=…) opens that series instead of the samples.
  const { deepLink } = startPacs(window.location.search);
  void firstLookOf(deepLink ?? openBundledSamples(window.location.search)).then(firstLookDone);
}

/**
 * Resolves once the runs the page opened by itself have their first frame on screen, at once when
 * it opened none (?samples=0, or nothing could be read): the warm-ups wait for it (warmUpGate.ts).
 */
async function firstLookOf(initialOpen: Promise<void>): Promise<void> {
  const shown = (async () => {
    await initialOpen.catch(() => undefined);
    if (session.getState().runs.length > 0) await firstFrameEverSettled();
  })();
  await Promise.race([shown, new Promise((resolve) => setTimeout(resolve, FIRST_LOOK_WAIT_MAX_MS))]);
}
