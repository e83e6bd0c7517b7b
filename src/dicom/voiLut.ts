import type { RunInfo, SampledLut, VoiLut } from './types';

/**
 * A VOI LUT Sequence item on the way to the screen (PS3.3 C.11.2.1.1): a modality value looks up
 * its entry; values below the first value mapped take the first entry, values past the table the
 * last. Entries are grey on the scale the LUT Descriptor's bits give (0 … 2^bits − 1), as DCMTK
 * reads them, even when a table uses less of it.
 */

/** The LUT's grey for a modality value, 0 (black) … 1 (white). Between entries (a float value), the straight line between them, as the GPU's sampled curve draws it. */
export function voiLutLevel(value: number, lut: SampledLut): number {
  const top = 2 ** lut.bitsPerEntry - 1;
  const last = lut.data.length - 1;
  const at = value - lut.firstValueMapped;
  if (!(at > 0)) return lut.data[0] / top;
  if (at >= last) return lut.data[last] / top;
  const below = Math.floor(at);
  const fraction = at - below;
  const low = lut.data[below];
  return (fraction ? low + (lut.data[below + 1] - low) * fraction : low) / top;
}

/** The modality values the table covers, first to last entry: the VOI range the viewport shows it over. */
export function voiLutInputRange(lut: SampledLut): { lower: number; upper: number } {
  return { lower: lut.firstValueMapped, upper: lut.firstValueMapped + Math.max(1, lut.data.length - 1) };
}

/**
 * The VOI LUT a run opens with: the first, when the file stores no window (a window, when there is
 * one, comes first, as the reference rendering the display is held to uses the file's first window).
 */
export function openingVoiLut(voi: RunInfo['voi'], frame = 1): VoiLut | null {
  return voi.windows.length ? null : (lutsOfFrame(voi, frame)[0] ?? null);
}

/** The VOI LUTs stored for a frame's image: its own in a series whose images each store theirs, else the run's. */
export function lutsOfFrame(voi: RunInfo['voi'], frame: number): VoiLut[] {
  return voi.perImageLuts?.[frame - 1] ?? voi.luts ?? [];
}

/**
 * The table of frame `to`'s image that takes the place of `shown` (a table of another image of the
 * run, shown now) when the frame changes: the one at the same place in its image's list, else its
 * first; null when `shown` is none of the run's tables or the frame's image has none.
 */
export function lutFollowing(voi: RunInfo['voi'], shown: SampledLut, to: number): VoiLut | null {
  const lists = voi.perImageLuts ?? (voi.luts ? [voi.luts] : []);
  const index = lists.map((list) => list.findIndex((lut) => sameTable(lut, shown))).find((i) => i >= 0);
  if (index === undefined) return null;
  const next = lutsOfFrame(voi, to);
  return next[index] ?? next[0] ?? null;
}

/** Whether two tables map every value alike (their explanations aside). */
export function sameTable(a: SampledLut, b: SampledLut): boolean {
  return (
    a === b ||
    (a.firstValueMapped === b.firstValueMapped &&
      a.bitsPerEntry === b.bitsPerEntry &&
      a.data.length === b.data.length &&
      a.data.every((v, i) => v === b.data[i]))
  );
}
