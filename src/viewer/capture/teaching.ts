/**
 * The media of a teaching package (issue 9, item 3): the annotated video of a run and PNG key
 * frames, with the patient's text never drawn (the overlay keeps only acquisition facts, see
 * overlayText.ts 'teaching'), and the package's masks of burned-in text applied to every frame.
 * The caller (the package export) gets bytes and writes them into the zip.
 */
import type { AnnotationDocument } from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import type { PlayRange } from '../cine/sequence';
import { captureRun, type CaptureOptions, type CaptureRequest } from './capture';
import { OPENING_DISPLAY, type CaptureDisplay } from './display';
import { UnsupportedCaptureError } from './encoders';
import type { VideoFormat } from './format';
import { keyFrameCaption, teachingKeyFrames } from './keyFrames';
import type { PixelRect } from './pixels';
import { exportRange } from './schedule';

export interface TeachingMediaOptions {
  /** Default MP4; when the browser cannot encode H.264 at this size, WebM (said in `notes`). */
  readonly format?: VideoFormat;
  /** Default: the whole run. */
  readonly range?: PlayRange | null;
  /** Default: the frames holding keyframes (keyFrames.ts). An empty list makes no key frame. */
  readonly keyFrames?: readonly number[];
  /** Default: the run's opening window, upright. */
  readonly display?: CaptureDisplay;
  /** Burned-in text to black out on every frame (image pixels, as the package's MaskRect). */
  readonly masks?: readonly PixelRect[];
  readonly speed?: number;
}

export interface TeachingMedia {
  readonly video: { readonly format: VideoFormat; readonly bytes: Uint8Array };
  readonly keyFrames: ReadonlyArray<{ readonly frame: number; readonly png: Uint8Array; readonly caption: string }>;
  /** e.g. "MP4 (H.264) cannot be encoded here at 2048×2048: the video is WebM". */
  readonly notes: readonly string[];
}

export async function captureTeachingMedia(
  run: OpenedRun,
  document: AnnotationDocument | null,
  options: TeachingMediaOptions & CaptureOptions = {},
): Promise<TeachingMedia> {
  const range = exportRange(run.info.frameCount, options.range ?? null);
  const keyFrames = options.keyFrames ? [...options.keyFrames] : teachingKeyFrames(document, range);
  const base: Omit<CaptureRequest, 'format'> = {
    run,
    document,
    range,
    frame: range.inFrame,
    speed: options.speed ?? 1,
    display: options.display ?? OPENING_DISPLAY,
    overlay: 'teaching',
    masks: options.masks,
  };
  const notes: string[] = [];
  const total = keyFrames.length + 1;
  const progress = (done: number) => options.onProgress?.({ done, total });
  const pass: CaptureOptions = { signal: options.signal };

  let format: VideoFormat = options.format ?? 'mp4';
  let video;
  try {
    video = await captureRun({ ...base, format }, pass);
  } catch (error) {
    if (!(error instanceof UnsupportedCaptureError) || format !== 'mp4') throw error;
    notes.push(`${error.message.replace(/: choose.*$/, '')}: the video is WebM.`);
    format = 'webm';
    video = await captureRun({ ...base, format }, pass);
  }
  progress(1);
  const pictures: Array<{ frame: number; png: Uint8Array; caption: string }> = [];
  for (const frame of keyFrames) {
    const png = await captureRun({ ...base, format: 'png', frame }, pass);
    pictures.push({ frame, png: png.bytes, caption: keyFrameCaption(frame, run.info.timing.frameStartMs) });
    progress(pictures.length + 1);
  }
  return { video: { format, bytes: video.bytes }, keyFrames: pictures, notes };
}
