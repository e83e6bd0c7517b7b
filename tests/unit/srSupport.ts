/**
 * Helpers for the SR tests: the runs (local files opened as the app opens them) and a document
 * that uses every kind of track and every case-record field, scaled to the run's image size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDocument,
  createTrack,
  emptyCaseRecord,
  runRefFromRunInfo,
  withKeyframe,
  type AnnotationDocument,
  type Point,
  type Track,
} from '../../src/annotations/model';
import { bufferSource } from '../../src/dicom/byteSource';
import type { RunInfo } from '../../src/dicom/types';
import { openFiles } from '../../src/io/openFiles';
import type { OpenedRun } from '../../src/dicom/run';

export const SAMPLE_DIR = fileURLToPath(new URL('../../sample-dicom', import.meta.url));

export function dicomFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? dicomFilesUnder(join(dir, entry.name)) : entry.name.endsWith('.dcm') ? [join(dir, entry.name)] : [],
    )
    .sort();
}

export async function openLocalRuns(paths: string[]): Promise<OpenedRun[]> {
  const opened = await openFiles(paths.map((path) => ({ source: bufferSource(path, new Uint8Array(readFileSync(path))), path })));
  if (opened.problems.length) throw new Error(JSON.stringify(opened.problems));
  return opened.runs;
}

/** Awkward but valid coordinates: fractions that float32 cannot hold exactly, and values near the edges. */
function at(run: RunInfo, fx: number, fy: number): Point {
  return { x: run.columns * fx + 0.123456789, y: run.rows * fy + 0.987654321 };
}

export function richDocument(run: RunInfo): AnnotationDocument {
  let doc = createDocument(runRefFromRunInfo(run));
  const n = run.frameCount;
  const mid = Math.max(1, Math.ceil(n / 2));
  const add = (track: Track) => (doc = { ...doc, tracks: [...doc.tracks, track] });

  let needle = createTrack(doc, 'needleTip', { label: 'Needle, right L4' });
  needle = withKeyframe(needle, 1, { tip: at(run, 0.2, 0.2), hub: at(run, 0.05, 0.1) });
  if (n > 1) needle = withKeyframe(needle, mid, { tip: at(run, 0.4, 0.45) });
  if (n > 2) needle = withKeyframe(needle, n, { tip: at(run, 0.48, 0.5), hub: { x: 0, y: run.rows } });
  add(needle);

  let target = createTrack(doc, 'target');
  target = withKeyframe(target, 1, { center: at(run, 0.5, 0.5), radiusPx: 12.345678 });
  if (n > 2) target = withKeyframe(target, n, { center: at(run, 0.51, 0.52), radiusPx: 9.5 });
  add(target);

  let contrast = createTrack(doc, 'contrastSpread', { label: 'Contrast — along the L4 root', color: '#40c4ff' });
  const blob = (s: number) => [at(run, 0.5, 0.5), at(run, 0.5 + s, 0.52), at(run, 0.53, 0.5 + s), at(run, 0.47, 0.55)];
  contrast = withKeyframe(contrast, mid, { contour: blob(0.05) });
  if (n > 1) contrast = withKeyframe(contrast, n, { contour: [...blob(0.1), at(run, 0.45, 0.51)] });
  add(contrast);

  let second = createTrack(doc, 'needleTip', { label: 'Second needle' });
  second = withKeyframe(second, n, { tip: at(run, 0.7, 0.3) });
  add(second);

  let arrow = createTrack(doc, 'arrow', { text: 'Pedicle, 6 o’clock' });
  arrow = withKeyframe(arrow, mid, { from: at(run, 0.1, 0.9), to: at(run, 0.3, 0.6) });
  add(arrow);

  let caption = createTrack(doc, 'caption', { text: 'Contrast outlines the L4 root', range: { from: mid, to: n } });
  caption = withKeyframe(caption, mid, { position: at(run, 0.1, 0.1) });
  if (n > 1) caption = withKeyframe(caption, n, {});
  add(caption);

  return {
    ...doc,
    caseRecord: {
      ...emptyCaseRecord(),
      procedure: 'transforaminalEsi',
      levels: ['L4', 'L5-S1'],
      side: 'right',
      approach: 'transforaminal',
      contrastPatterns: ['perineural', 'epidural'],
      contrastFirstSeenFrame: mid,
      placementConfirmedBeforeMedication: true,
      notes: 'No vascular uptake on live fluoroscopy. Größe ✓',
    },
  };
}
