/**
 * Rules of a video or picture export that need no browser: formats and their names, file names,
 * which WebCodecs codec strings to try for a frame size, the encoded size, bitrate, GIF size and
 * how large marks and text are drawn. Pure.
 */
import type { PlayRange } from '../cine/sequence';

export const CAPTURE_FORMATS = ['mp4', 'webm', 'gif', 'png'] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];
export type VideoFormat = Exclude<CaptureFormat, 'png'>;

/** What the Video format combobox offers, in this order. */
export const CAPTURE_FORMAT_LABELS: Readonly<Record<CaptureFormat, string>> = {
  mp4: 'MP4',
  webm: 'WebM',
  gif: 'GIF',
  png: 'PNG',
};

export const CAPTURE_MIME: Readonly<Record<CaptureFormat, string>> = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  gif: 'image/gif',
  png: 'image/png',
};

export function isCaptureFormat(value: unknown): value is CaptureFormat {
  return typeof value === 'string' && (CAPTURE_FORMATS as readonly string[]).includes(value);
}

/**
 * "l4-tfesi-ap-512.mp4"; with a range "l4-tfesi-ap-512_frames-10-40.webm"; a PNG names its frame:
 * "l4-tfesi-ap-512_frame-12.png". The stem is cleaned to characters every file system takes.
 */
export function captureFileName(stem: string, format: CaptureFormat, frames: PlayRange | { frame: number }, frameCount: number): string {
  const clean = stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|[._]+$/g, '') || 'run';
  if (format === 'png' || 'frame' in frames) {
    const frame = 'frame' in frames ? frames.frame : frames.inFrame;
    return `${clean}_frame-${frame}.${format}`;
  }
  const whole = frames.inFrame === 1 && frames.outFrame === frameCount;
  return whole ? `${clean}.${format}` : `${clean}_frames-${frames.inFrame}-${frames.outFrame}.${format}`;
}

/** Codecs are 4:2:0: both sides of an encoded frame must be even (the extra row or column is black). */
export function encodedSize(width: number, height: number): { width: number; height: number } {
  return { width: width + (width % 2), height: height + (height % 2) };
}

/** H.264 levels by the most macroblocks (16×16) per frame they allow (ITU-T H.264 Table A-1). */
const AVC_LEVELS: ReadonlyArray<{ hex: string; maxMacroblocks: number }> = [
  { hex: '1f', maxMacroblocks: 3_600 }, // 3.1
  { hex: '28', maxMacroblocks: 8_192 }, // 4.0
  { hex: '32', maxMacroblocks: 22_080 }, // 5.0
  { hex: '33', maxMacroblocks: 36_864 }, // 5.1
];

/**
 * WebCodecs codec strings to try, best first, for an encoded frame of this size. MP4: H.264
 * Constrained Baseline for frames up to 512² (plays everywhere), then High profile at the lowest
 * level the frame fits (Chromium's encoder takes avc1.640028 at 1024² but Baseline 3.1 only up
 * to 512²). WebM: VP9 profile 0, 8-bit. The caller asks VideoEncoder.isConfigSupported in order.
 */
export function codecCandidates(format: 'mp4' | 'webm', width: number, height: number): string[] {
  if (format === 'webm') return ['vp09.00.40.08', 'vp09.00.10.08'];
  const macroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  const candidates: string[] = [];
  if (width * height <= 512 * 512) candidates.push('avc1.42001f');
  for (const level of AVC_LEVELS) if (macroblocks <= level.maxMacroblocks) candidates.push(`avc1.6400${level.hex}`);
  return candidates;
}

/** mediabunny's name for the codec family of a codec string. */
export function muxerCodec(format: 'mp4' | 'webm'): 'avc' | 'vp9' {
  return format === 'mp4' ? 'avc' : 'vp9';
}

/**
 * Bits per second for a frame size and rate: 0.2 bit per pixel per frame keeps overlay text and
 * thin dashed marks crisp on fluoroscopy (flat, noisy grey), within 1–16 Mbit/s.
 */
export function bitrateFor(width: number, height: number, fps: number): number {
  const rate = Number.isFinite(fps) && fps > 0 ? fps : 15;
  return Math.round(Math.min(16e6, Math.max(1e6, width * height * rate * 0.2)));
}

/** A key frame every two seconds of video, so a player can seek. */
export function keyFrameInterval(fps: number): number {
  return Math.max(1, Math.round((Number.isFinite(fps) && fps > 0 ? fps : 15) * 2));
}

/** GIFs are for slides: at most this many pixels on the longer side (the whole image, scaled down). */
export const GIF_MAX_SIDE = 512;

/** Output pixels per image pixel: 1, or less for a GIF of a large run. */
export function outputScale(format: CaptureFormat, width: number, height: number): number {
  if (format !== 'gif') return 1;
  return Math.min(1, GIF_MAX_SIDE / Math.max(width, height));
}

/**
 * Output pixels per image pixel along x and y that draw the pixels in their shape (pixelShape:
 * height `row`, width `column`), so the exported picture has the proportions it has on screen;
 * the shorter side of a pixel keeps one output pixel, so no detail is lost. {1, 1} for square ones.
 */
export function pixelStretch(shape: { row: number; column: number }): { x: number; y: number } {
  const shorter = Math.min(shape.row, shape.column);
  return { x: shape.column / shorter, y: shape.row / shorter };
}

/**
 * How many output pixels a CSS pixel of the marks and text becomes. On screen, marks and text
 * keep their size in CSS pixels whatever the zoom; an export is seen at its own size (a slide, a
 * player), so marks are drawn as on screen at one image pixel per CSS pixel, and grown on frames
 * larger than 768 px so they keep the share of the picture they have in a typical pane.
 */
export function markScaleFor(width: number, height: number): number {
  return Math.max(1, Math.min(width, height) / 768);
}
