/**
 * Export teaching case: what the dialog needs (which runs, which must go through the mask step,
 * which tracks can be quiz questions), the mask step's previews, and the export itself
 * (src/export/package writes the zip; this file supplies the open runs' files, their annotation
 * documents, a decoder for masked frames, key-frame PNGs and, when plugged in, the video).
 *
 * Nothing is written before every run whose Burned In Annotation is YES or absent has its mask
 * confirmed (checked here and again by the de-identifier, which refuses such files unmasked).
 */
import { calibratedSpacing, geometryAt, type AnnotationDocument, type Point } from '../annotations/model';
import { shownAspect } from '../dicom/pixelShape';
import { opensInverted } from '../dicom/presentationLut';
import type { OpenedRun } from '../dicom/run';
import { clipRect, defaultCornerRects, defaultFillValue, type MaskRect } from '../export/deid';
import { inspectRunFiles, writeTeachingPackage, type Manifest, type TeachingRunInput, type VideoFormat } from '../export/package';
import { imageIdFor } from '../viewer/imageIds';
import { fileStoredPixelsOf } from '../viewer/modalityLutDisplay';
import { APP_VERSION, documentOf, ensureDocument } from './documents';
import { runByKey, session } from './session';

export type { MaskRect };

/**
 * The annotated video of a run for its teaching package, or null when there is none. This is the
 * seam for the video exporter (src/viewer/capture): it gets the run and the confirmed mask
 * rectangles (which it must burn into every frame, like the DICOM), and returns the encoded
 * bytes. Until one is plugged in, packages carry no video and case.html says so.
 */
export type TeachingVideoSource = (
  run: OpenedRun,
  mask: readonly MaskRect[] | null,
) => Promise<{ readonly format: VideoFormat; readonly bytes: Uint8Array } | null>;

let videoSource: TeachingVideoSource | null = null;

/** Plugs the video exporter into Export teaching case (capture → Uint8Array). */
export function setTeachingVideoSource(source: TeachingVideoSource | null): void {
  videoSource = source;
}

export interface QuestionCandidate {
  readonly trackId: string;
  readonly kind: 'needleTip' | 'target';
  readonly label: string;
  readonly keyframes: readonly number[];
}

export interface ExportRunPlan {
  readonly runKey: string;
  readonly title: string;
  readonly frameCount: number;
  readonly columns: number;
  readonly rows: number;
  /** Width ÷ height of the frame as it is shown (pixels in their shape, dicom/pixelShape.ts). */
  readonly shownAspect: number;
  /** Burned In Annotation is YES or absent in one of its files: the mask step must be confirmed. */
  readonly maskRequired: boolean;
  readonly defaultRects: readonly MaskRect[];
  /** Needle tip and target tracks with keyframes: what can be asked in the quiz. */
  readonly questionCandidates: readonly QuestionCandidate[];
  readonly hasContrastPattern: boolean;
  /** Why this run cannot be exported (e.g. it came from a PACS), or null. */
  readonly problem: string | null;
}

/** The runs the dialog offers first: those shown in the panes. */
export function defaultExportRunKeys(): string[] {
  const keys = session
    .getState()
    .panes.map((p) => p.runKey)
    .filter((k): k is string => !!k);
  return [...new Set(keys)];
}

function questionCandidates(doc: AnnotationDocument | undefined): QuestionCandidate[] {
  return (doc?.tracks ?? []).flatMap((track) =>
    (track.kind === 'needleTip' || track.kind === 'target') && track.keyframes.length > 0
      ? [{ trackId: track.id, kind: track.kind, label: track.label, keyframes: track.keyframes.map((k) => k.frame) }]
      : [],
  );
}

/** Reads the chosen runs' headers: which need the mask step, and what the quiz can ask. */
export async function planTeachingExport(runKeys: readonly string[]): Promise<ExportRunPlan[]> {
  const plans: ExportRunPlan[] = [];
  for (const runKey of runKeys) {
    const run = runByKey(runKey);
    if (!run) continue;
    await ensureDocument(run);
    const doc = documentOf(runKey);
    const base = {
      runKey,
      title: `Series ${run.info.series.number ?? '?'}`,
      frameCount: run.info.frameCount,
      columns: run.info.columns,
      rows: run.info.rows,
      shownAspect: shownAspect(run.info),
      defaultRects: defaultCornerRects(run.info.columns, run.info.rows),
      questionCandidates: questionCandidates(doc),
      hasContrastPattern: (doc?.caseRecord.contrastPatterns.length ?? 0) > 0,
    };
    if (!run.files || run.files.length === 0) {
      plans.push({ ...base, maskRequired: false, problem: 'its files are not here (opened from a PACS); open the files to export it' });
      continue;
    }
    try {
      const inspections = await inspectRunFiles(run.files);
      plans.push({ ...base, maskRequired: inspections.some((i) => i.pixelCleaningRequired), problem: null });
    } catch (error) {
      plans.push({ ...base, maskRequired: false, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return plans;
}

/** The value masked pixels get in the file: black as displayed. */
function fillValueOf(run: OpenedRun): number {
  return defaultFillValue(run.info);
}

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/**
 * A frame as the masked file will show it (masked areas at the fill value, black as displayed),
 * windowed over the frame's own range: for the mask step and the key-frame pictures.
 */
export async function maskedFrameImage(runKey: string, frame: number, rects: readonly MaskRect[]): Promise<GrayImage> {
  const run = runByKey(runKey);
  if (!run) throw new Error('the run is no longer open');
  const { columns, rows } = run.info;
  const values = Float64Array.from(await fileStoredPixelsOf(imageIdFor(runKey, frame)));
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const fill = fillValueOf(run);
  for (const rect of rects) {
    const r = clipRect(rect, columns, rows);
    if (!r) continue;
    for (let y = r.y; y < r.y + r.height; y++) values.fill(fill, y * columns + r.x, y * columns + r.x + r.width);
  }
  const inverted = opensInverted(run.info);
  const span = high > low ? high - low : 1;
  const rgba = new Uint8ClampedArray(columns * rows * 4);
  for (let i = 0; i < values.length; i++) {
    const level = Math.round(((values[i] - low) / span) * 255);
    const gray = inverted ? 255 - level : level;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = gray;
    rgba[i * 4 + 3] = 255;
  }
  return { width: columns, height: rows, rgba };
}

/** Frames shown as key frames: the keyframes of the needle tip and target tracks, at most four. */
export function keyFrameChoice(doc: AnnotationDocument | undefined, frameCount: number): number[] {
  const frames = new Set<number>();
  for (const track of doc?.tracks ?? []) {
    if (track.kind === 'needleTip' || track.kind === 'target') for (const k of track.keyframes) frames.add(k.frame);
  }
  const sorted = [...frames].filter((f) => f >= 1 && f <= frameCount).sort((a, b) => a - b);
  if (sorted.length <= 4) return sorted.length > 0 ? sorted : [1];
  // Spread over the run: first, last and two between.
  return [0, 1 / 3, 2 / 3, 1].map((t) => sorted[Math.round(t * (sorted.length - 1))]);
}

/** The masked frame with the needle tip and target drawn as on screen (plain marks), as PNG. */
async function keyFramePng(
  run: OpenedRun,
  doc: AnnotationDocument | undefined,
  frame: number,
  rects: readonly MaskRect[],
): Promise<Uint8Array> {
  const image = await maskedFrameImage(run.key, frame, rects);
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  const scale = Math.max(1, image.width / 256);
  ctx.lineWidth = 1.5 * scale;
  for (const track of doc?.tracks ?? []) {
    const at = geometryAt(track, frame);
    if (!at) continue;
    ctx.strokeStyle = track.color;
    ctx.setLineDash(at.source === 'keyframe' ? [] : [4 * scale, 3 * scale]);
    if (track.kind === 'needleTip') {
      const { tip, hub } = at.geometry as { tip: Point; hub?: Point };
      if (hub) {
        ctx.beginPath();
        ctx.moveTo(hub.x, hub.y);
        ctx.lineTo(tip.x, tip.y);
        ctx.stroke();
      }
      cross(ctx, tip, 6 * scale);
    } else if (track.kind === 'target') {
      const { center, radiusPx } = at.geometry as { center: Point; radiusPx: number };
      ctx.beginPath();
      ctx.arc(center.x, center.y, Math.max(2, radiusPx), 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

function cross(ctx: OffscreenCanvasRenderingContext2D, p: Point, size: number): void {
  ctx.beginPath();
  ctx.moveTo(p.x - size, p.y);
  ctx.lineTo(p.x + size, p.y);
  ctx.moveTo(p.x, p.y - size);
  ctx.lineTo(p.x, p.y + size);
  ctx.stroke();
}

export interface TeachingExportRun {
  readonly runKey: string;
  readonly label: string;
  /** The confirmed mask (mask step), or null for a run that needs none. */
  readonly mask: readonly MaskRect[] | null;
}

export interface TeachingExportRequest {
  readonly title: string;
  /** As typed: one learning point per line. */
  readonly learningPoints: string;
  readonly runs: readonly TeachingExportRun[];
  readonly questions: readonly { readonly runKey: string; readonly trackId: string }[];
  readonly contrastPatternRunKeys: readonly string[];
}

export interface TeachingExportResult {
  readonly fileName: string;
  readonly blob: Blob;
  readonly manifest: Manifest;
  /** Runs exported without video (no video exporter plugged in, or it gave none). */
  readonly withoutVideo: number;
}

/** File name from the title (already checked to hold no identifying text), never from the patient. */
export function teachingFileName(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60)
    .toLowerCase();
  return `${stem || 'teaching-case'}.zip`;
}

/** Writes the package; throws with a message for the dialog when something refuses. */
export async function exportTeachingCase(request: TeachingExportRequest): Promise<TeachingExportResult> {
  const plans = await planTeachingExport(request.runs.map((r) => r.runKey));
  const runs: TeachingRunInput[] = [];
  let withoutVideo = 0;
  for (const [index, chosen] of request.runs.entries()) {
    const run = runByKey(chosen.runKey);
    const plan = plans.find((p) => p.runKey === chosen.runKey);
    if (!run || !plan || !run.files) throw new Error(`run ${index + 1} is no longer open`);
    if (plan.problem) throw new Error(`run ${index + 1} (${plan.title}): ${plan.problem}`);
    if (plan.maskRequired && !chosen.mask) {
      throw new Error(`run ${index + 1} (${plan.title}) may carry names in its pixels: confirm its mask first`);
    }
    const files = run.files;
    const doc = documentOf(run.key) ?? null;
    const mask = plan.maskRequired ? chosen.mask : null;
    const video = videoSource ? await videoSource(run, mask) : null;
    if (!video) withoutVideo++;
    const keyFrames = [];
    for (const frame of keyFrameChoice(doc ?? undefined, run.info.frameCount)) {
      keyFrames.push({ frame, png: await keyFramePng(run, doc ?? undefined, frame, mask ?? []) });
    }
    runs.push({
      label: chosen.label,
      files,
      document: doc,
      derived: { spacing: calibratedSpacing(run.info.spacing, doc?.calibration), frameStartMs: run.info.timing.frameStartMs },
      pixelCleaning: mask
        ? {
            rectangles: mask,
            fillValue: fillValueOf(run),
            decodeFrame: async (file, frame) => {
              // A multi-frame file holds the run's frames; a single-frame series has one file per frame.
              const runFrame = files.length === 1 ? frame : files.indexOf(file) + 1;
              const values = await fileStoredPixelsOf(imageIdFor(run.key, runFrame));
              return run.info.pixelRepresentation === 1
                ? Int16Array.from(values)
                : run.info.bitsAllocated > 8
                  ? Uint16Array.from(values)
                  : Uint8Array.from(values);
            },
          }
        : undefined,
      video: video ?? undefined,
      keyFrames,
    });
  }
  const runIndex = (runKey: string) => request.runs.findIndex((r) => r.runKey === runKey);
  const parts: Uint8Array[] = [];
  const result = await writeTeachingPackage(
    {
      title: request.title,
      learningPoints: request.learningPoints.split('\n'),
      runs,
      quiz: {
        questions: request.questions
          .filter((q) => runIndex(q.runKey) >= 0)
          .map((q) => ({ runIndex: runIndex(q.runKey), trackId: q.trackId })),
        contrastPatternRuns: request.contrastPatternRunKeys.map(runIndex).filter((i) => i >= 0),
      },
      appVersion: APP_VERSION,
    },
    (chunk) => void parts.push(chunk.slice()),
  );
  return {
    fileName: teachingFileName(result.manifest.title),
    blob: new Blob(parts as BlobPart[], { type: 'application/zip' }),
    manifest: result.manifest,
    withoutVideo,
  };
}
