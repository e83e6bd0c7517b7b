/**
 * Decoded frames for an export, through Cornerstone's image loader and cache exactly as the
 * viewer gets them (imageLoader.loadAndCacheImage on the run's image ids): frames the pane has
 * decoded cost nothing, others are decoded by the same workers. A few frames are requested ahead
 * so the workers stay busy while the current one is drawn and encoded; nothing is copied.
 */
import { imageLoader, type Types } from '@cornerstonejs/core';
import type { FramePixels } from './pixels';

export type LoadedFrame = { ok: true; pixels: FramePixels } | { ok: false; reason: string };

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const nested = (error as { error?: unknown } | null)?.error;
  return nested ? reasonOf(nested) : String(error);
}

export function framePixelsOf(image: Types.IImage): FramePixels {
  const pixels = image.getPixelData() as FramePixels['pixels'];
  const count = image.columns * image.rows;
  return {
    pixels,
    columns: image.columns,
    rows: image.rows,
    samplesPerPixel: image.color ? Math.max(3, Math.round(pixels.length / count)) : 1,
    slope: image.slope ?? 1,
    intercept: image.intercept ?? 0,
    prescaled: Boolean(image.preScale?.scaled),
  };
}

export async function loadFrame(imageId: string): Promise<LoadedFrame> {
  try {
    const image = await imageLoader.loadAndCacheImage(imageId);
    return { ok: true, pixels: framePixelsOf(image) };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

/** Frames in export order, `ahead` of them requested before they are needed. */
export class FrameQueue {
  private readonly pending: Promise<LoadedFrame>[] = [];
  private requested = 0;

  constructor(
    private readonly imageIds: readonly string[],
    private readonly ahead = 4,
  ) {}

  next(): Promise<LoadedFrame> {
    while (this.requested < this.imageIds.length && this.pending.length <= this.ahead) {
      this.pending.push(loadFrame(this.imageIds[this.requested++]));
    }
    const next = this.pending.shift();
    if (!next) throw new RangeError('No frame is left to export');
    return next;
  }
}
