/** How a run is named and summed up in the Runs list, and the stem of files exported from it. */
import type { OpenedRun } from '../dicom/run';
import { lossyMethodNames } from './dicomValues';
import { formatFps, isIrregularTiming } from './rate';

/**
 * A run's name in lists and messages: a teaching package's label for it, else its Series
 * Description (de-identification removes it), else its file (a series: its folder).
 */
export function runTitle(run: OpenedRun): string {
  const { series } = run.info;
  const name = run.fileNames.length > 1 ? run.fileNames[0].replace(/\/[^/]*$/, '/') : run.fileNames[0];
  return run.title || series.description || name;
}

/** "60 frames · 4.0 s · 15 fps"; "FTV ~13 fps" when the frame times vary; "1 frame" for a still. */
export function runTiming(run: OpenedRun): string {
  const { frameCount, timing } = run.info;
  const frames = `${frameCount} frame${frameCount === 1 ? '' : 's'}`;
  if (frameCount <= 1 || !(timing.nominalFps > 0)) return frames;
  const seconds = `${(timing.durationMs / 1000).toFixed(1)} s`;
  const fps = formatFps(timing.nominalFps);
  let rate = `${fps} fps`;
  if (timing.source === 'default') rate = `${fps} fps assumed`;
  // Whole numbers from 10 fps up ("~13"); slower runs keep a decimal (spot images 2.5 s apart read "~0.4", not "~0").
  else if (isIrregularTiming(timing))
    rate = `${timing.source === 'Frame Time Vector' ? 'FTV' : 'irregular'} ~${timing.nominalFps >= 10 ? Math.round(timing.nominalFps) : timing.nominalFps.toFixed(1)} fps`;
  return [frames, seconds, rate].join(' · ');
}

/** Modality and matrix: "XA 512×512". */
export function runMatrix(run: OpenedRun): string {
  const { info } = run;
  return `${info.series.modality || '?'} ${info.columns}×${info.rows}`;
}

/** "lossy JPEG" when the run's pixels went through lossy compression (the overlay adds the ratio); else null. */
export function runLossyNote(run: OpenedRun): string | null {
  const { lossy } = run.info;
  if (!lossy) return null;
  const methods = lossyMethodNames(lossy);
  return methods.length ? `lossy ${methods.join(', ')}` : 'lossy compressed';
}

/** Everything the list item says, for its accessible name. */
export function runSummary(run: OpenedRun): string {
  const lossy = runLossyNote(run);
  return `${runMatrix(run)}, ${runTiming(run).replaceAll(' · ', ', ')}${lossy ? `, ${lossy}` : ''}`;
}

/** Frames first to last in playback order: "37–156", or "1990–2000, 1–109" when they wrap past the end. */
export function frameSpanText(first: number, last: number, total: number): string {
  return first <= last ? `${first}–${last}` : `${first}–${total}, 1–${last}`;
}

/** "l4-tfesi-ap-512" for a multi-frame file, the folder name for a series of single frames. */
export function runFileStem(run: OpenedRun): string {
  const first = run.fileNames[0] ?? 'run';
  const parts = first.split('/');
  const base = run.fileNames.length > 1 && parts.length > 1 ? parts[parts.length - 2] : parts[parts.length - 1];
  return base.replace(/\.(dcm|dicom)$/i, '') || 'run';
}

/**
 * The alert for work carried from an opening of part of the series (state/documents.ts
 * CarriedWork): "work saved when 3 of its 10 images were opened is shown here: 2 tracks, keyframes
 * on frames 4–6 of this run (the same images)".
 */
export function carriedWorkText(
  carried: { fromFrames: number; tracks: number; keyframes: { first: number; last: number } | null },
  frameCount: number,
): string {
  const { fromFrames, tracks, keyframes } = carried;
  const what = tracks === 0 ? 'its case record and run marks' : tracks === 1 ? '1 track' : `${tracks} tracks`;
  const where = !keyframes
    ? ''
    : keyframes.first === keyframes.last
      ? `, keyframes on frame ${keyframes.first} of this run (the same image)`
      : `, keyframes on frames ${keyframes.first}–${keyframes.last} of this run (the same images)`;
  const opened =
    fromFrames >= frameCount
      ? `${fromFrames} images of this series were opened`
      : fromFrames === 1
        ? `one of its ${frameCount} images was opened`
        : `${fromFrames} of its ${frameCount} images were opened`;
  return `work saved when ${opened} is shown here: ${what}${where}`;
}

/**
 * The alert for work saved on another opening of the series that could not come (state/documents.ts
 * WorkElsewhere): "work saved when all 10 images of this series were opened (2 tracks) is not shown
 * here: some of its marks are on images not opened now. It stays saved; open those images with
 * these to see it".
 */
export function workElsewhereText(elsewhere: { fromFrames: number; tracks: number }, frameCount: number): string {
  const { fromFrames, tracks } = elsewhere;
  const what = tracks === 0 ? 'its case record and run marks' : tracks === 1 ? '1 track' : `${tracks} tracks`;
  const opened = fromFrames === 1 ? 'one image of this series was opened' : `${fromFrames} images of this series were opened`;
  const here = frameCount === 1 ? 'the one opened now' : `the ${frameCount} opened now`;
  return `work saved when ${opened} (${what}) is not shown here: some of its marks are on images other than ${here}. It stays saved; open those images with these to see it`;
}
