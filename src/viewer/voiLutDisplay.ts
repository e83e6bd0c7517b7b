/**
 * A VOI LUT Sequence item on screen. Cornerstone's GPU path draws a window (linear or sigmoid) but
 * no sampled VOI LUT, so the LUT is given to it as a colormap: one grey node per entry, spread by
 * Cornerstone over the viewport's VOI range, which is set to the LUT's input range (first value
 * mapped … last entry's value); values outside take the end entries, as PS3.3 C.11.2.1.1 says.
 *
 * Cornerstone keeps a colormap in its private `colormap` property and applies it again on every new
 * frame, then its inversion on top (MONOCHROME1). A window set any other way (a drag, a preset,
 * Reset, subtraction) leaves the LUT: dropVoiLutIfWindowed is called on every VOI change and puts
 * the plain window's transfer function back. The browser test of a chosen VOI LUT
 * (reference-render.test.ts) fails if a Cornerstone upgrade changes these private parts.
 *
 * Cornerstone keeps registered colormaps for good, so one is registered per distinct table (named
 * by its content), however often runs holding it are opened.
 */
import { utilities, type StackViewport } from '@cornerstonejs/core';
import type { VoiLut } from '../dicom/types';
import { voiLutInputRange } from '../dicom/voiLut';
import { transferFunctionOf } from './transferFunctionGuard';

const COLORMAP_PREFIX = 'fluorolens-voi-lut-';
const colormapNames = new WeakMap<VoiLut, string>();
/** Each registered colormap's table (the first of that content to be shown). */
const lutsByColormap = new Map<string, VoiLut>();

/** The colormap name of a table's content (first value, bits, entries and an FNV-1a hash of them), worked out once per table. */
function contentName(lut: VoiLut): string {
  const known = colormapNames.get(lut);
  if (known) return known;
  let hash = 0x811c9dc5;
  for (const entry of lut.data) {
    hash ^= entry & 0xffff;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const name = `${COLORMAP_PREFIX}${lut.firstValueMapped}-${lut.bitsPerEntry}-${lut.data.length}-${hash.toString(16)}`;
  colormapNames.set(lut, name);
  return name;
}

interface CornerstonePrivateVoi {
  colormap?: { name?: string };
  setVOI(range: { lower: number; upper: number }, options: { forceRecreateLUTFunction: boolean }): void;
}

/** The table's colormap, registered with Cornerstone the first time a table of its content is shown. */
function colormapFor(lut: VoiLut): string {
  const name = contentName(lut);
  if (lutsByColormap.has(name)) return name;
  const top = 2 ** lut.bitsPerEntry - 1;
  const last = Math.max(1, lut.data.length - 1);
  const points: number[] = [];
  lut.data.forEach((entry, i) => {
    const grey = Math.min(1, Math.max(0, entry / top));
    points.push(i / last, grey, grey, grey);
  });
  // A one-entry table is a constant grey over its (one value wide) range.
  if (lut.data.length === 1) points.push(1, points[1], points[2], points[3]);
  utilities.colormap.registerColormap({ Name: name, ColorSpace: 'RGB', RGBPoints: points });
  lutsByColormap.set(name, lut);
  return name;
}

/** Shows the frames through `lut`, keeping the viewport's inversion. */
export function showVoiLut(viewport: StackViewport, lut: VoiLut): void {
  const { invert } = viewport.getProperties();
  viewport.setProperties({ colormap: { name: colormapFor(lut) }, voiRange: voiLutInputRange(lut) });
  // setColormap lays the LUT's nodes down as they are, under an invert flag that was already set.
  const tf = invert ? transferFunctionOf(viewport) : null;
  if (tf) utilities.invertRgbTransferFunction(tf as never);
}

/** Whether the viewport shows `lut` (a table of the same content). */
export function showsVoiLut(shown: VoiLut | null, lut: VoiLut): boolean {
  // Compared by name only: a table the viewport never showed is not registered for the asking.
  return shown !== null && contentName(shown) === contentName(lut);
}

/** The VOI LUT the viewport shows (a table of that content), or null (a window). */
export function voiLutShown(viewport: StackViewport): VoiLut | null {
  const name = (viewport as unknown as CornerstonePrivateVoi).colormap?.name;
  const lut = name?.startsWith(COLORMAP_PREFIX) ? lutsByColormap.get(name) : undefined;
  if (!lut) return null;
  const range = viewport.getProperties().voiRange;
  const own = voiLutInputRange(lut);
  return range && range.lower === own.lower && range.upper === own.upper ? lut : null;
}

/**
 * After a VOI change: when the viewport holds a LUT but its range is no longer the LUT's (a window
 * was set), the LUT goes and the window is drawn as a window, with the viewport's VOI LUT Function
 * and inversion.
 */
export function dropVoiLutIfWindowed(viewport: StackViewport): void {
  if (!voiLutShown(viewport)) leaveVoiLut(viewport);
}

/**
 * No LUT from now on, on this frame or the next (a window was set, another run or other frames are
 * shown): setStack may keep the last actor's transfer function, which must then be a plain one.
 */
export function leaveVoiLut(viewport: StackViewport): void {
  const held = viewport as unknown as CornerstonePrivateVoi;
  if (!held.colormap?.name?.startsWith(COLORMAP_PREFIX)) return;
  held.colormap = undefined;
  const range = viewport.getProperties().voiRange;
  if (range) held.setVOI(range, { forceRecreateLUTFunction: true });
}
