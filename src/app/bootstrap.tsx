/**
 * The app starts here, once per page, in this order: Cornerstone (its engine, decode workers and
 * our image loader, which finds runs in the session), the viewer controllers (state/viewports.ts),
 * annotation editing (tools, the document-to-viewport mirror, autosave on leaving), the cine
 * players and Sync playback, the teaching export's video (the capture engine), the test hooks, React, and finally the PACS (its deep link) or the
 * bundled sample runs.
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
import { runByKey } from '../state/session';
import { setTeachingVideoSource } from '../state/teaching';
import { teachingMediaForRun } from '../state/videoExport';
import { startViewports } from '../state/viewports';
import { startVascularOpening } from '../state/vascularOpening';
import { App } from '../ui/App';
import { initCornerstone } from '../viewer/cornerstoneSetup';
import { installTestHooks } from './testHooks';

export function startFluoroLens(root: HTMLElement): void {
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
  if (deepLink) void deepLink;
  else void openBundledSamples(window.location.search);
}
