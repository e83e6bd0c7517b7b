/**
 * Reading what Export video wrote, with tools nobody here wrote: the dialog driven through the UI,
 * ffprobe for the stream, ffmpeg for a frame's RGB pixels, and the needle tip's crosshair found in
 * them. Shared by the video export and teaching (quiz) tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SCREENSHOT_DIR, scratchDir, type App, type Point } from './driver';

/** src/annotations/model/types.ts DEFAULT_TRACK_COLORS.needleTip (#ffd400). */
export const NEEDLE_TIP_RGB: [number, number, number] = [0xff, 0xd4, 0x00];
/** describe.ts needleTipMarks: each crosshair arm runs 3 to 14 px from the tip (mark scale 1 at 512²). */
const ARM_FROM = 3;
const ARM_TO = 14;

export interface Probe {
  codec: string;
  width: number;
  height: number;
  frames: number;
  durationS: number;
  ptsS: number[];
}

/** ffprobe's view of the file: every decoded frame counted, its presentation times listed. */
export function probe(file: string): Probe {
  const out = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_frames',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=codec_name,width,height,nb_read_frames:format=duration:frame=pts_time',
        '-of',
        'json',
        file,
      ],
      { encoding: 'utf8' },
    ),
  ) as {
    streams: Array<{ codec_name: string; width: number; height: number; nb_read_frames: string }>;
    format: { duration: string };
    frames: Array<{ pts_time: string }>;
  };
  const stream = out.streams[0];
  return {
    codec: stream.codec_name,
    width: stream.width,
    height: stream.height,
    frames: Number(stream.nb_read_frames),
    durationS: Number(out.format.duration),
    ptsS: out.frames.map((f) => Number(f.pts_time)),
  };
}

/** Frame `index` (0-based, in decode output order) as RGB by ffmpeg, and saved as a PNG to look at. */
export function extractFrame(file: string, index: number, width: number, height: number, png: string): Uint8Array {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const select = `select=eq(n\\,${index})`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', file, '-vf', select, '-frames:v', '1', png]);
  const rgb = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', select, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  expect(rgb.length, 'one RGB frame').toBe(width * height * 3);
  return new Uint8Array(rgb);
}

export function rgbAt(rgb: Uint8Array, width: number, x: number, y: number): [number, number, number] {
  const o = (Math.floor(y) * width + Math.floor(x)) * 3;
  return [rgb[o], rgb[o + 1], rgb[o + 2]];
}

export const colourDistance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * Along each arm of the crosshair, the pixel closest in colour to the mark's. Lossy 4:2:0 video
 * averages colour over 2×2 pixels, so a 1.75 px yellow line keeps its hue but not its exact value.
 */
export function crosshairColours(rgb: Uint8Array, width: number, tip: Point): Array<[number, number, number]> {
  const arms: Array<[number, number]> = [
    [-1, 0],
    [1, 0],
    [0, -1],
    [0, 1],
  ];
  return arms.map(([dx, dy]) => {
    let best: [number, number, number] = [0, 0, 0];
    for (let d = ARM_FROM + 1; d <= ARM_TO - 1; d++) {
      for (let across = -1; across <= 1; across++) {
        const x = tip.x + dx * d + (dy !== 0 ? across : 0);
        const y = tip.y + dy * d + (dx !== 0 ? across : 0);
        const c = rgbAt(rgb, width, x, y);
        if (colourDistance(c, NEEDLE_TIP_RGB) < colourDistance(best, NEEDLE_TIP_RGB)) best = c;
      }
    }
    return best;
  });
}

/** Opens the Export video dialog, chooses the format and frames, clicks Export and saves the download. */
export async function exportVideo(
  app: App,
  format: 'MP4' | 'WebM' | 'GIF' | 'PNG',
  frames: 'range' | 'run' | null,
): Promise<{ name: string; path: string; status: string }> {
  const { page } = app;
  await app.toolbar().getByRole('button', { name: 'Export video' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await dialog.getByRole('combobox', { name: 'Video format' }).selectOption({ label: format });
  // A PNG is the frame on screen: the dialog asks for no frames.
  if (frames) await dialog.getByRole('combobox', { name: 'Frames' }).selectOption(frames);
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  const path = join(scratchDir('video'), file.suggestedFilename());
  await file.saveAs(path);
  const status = dialog.getByRole('status', { name: 'Export status' });
  await expect.poll(() => status.textContent()).toMatch(/^Saved /);
  const text = (await status.textContent()) ?? '';
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => dialog.isVisible()).toBe(false);
  return { name: file.suggestedFilename(), path, status: text };
}
