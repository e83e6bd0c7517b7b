/**
 * Subtracted frames as Cornerstone images of their own (`fluoro-derived:<setting>:<run>:<frame>`,
 * viewer/imageIds.ts). A setting is one run with one mask choice and one user shift; every frame
 * of it is derived once from the raw decoded frame (itself cached under its `fluoro:` id) and then
 * sits in Cornerstone's cache like any decoded frame, so playback of a subtracted run costs what
 * playback of a raw one costs, and the cache can never hand out a raw frame for a subtracted one.
 * Changing the mask or the shift makes a new setting (new ids); the old one's frames are dropped.
 *
 * The pixel work is src/imaging (Subtractor, Registrar): this module only feeds it decoded frames.
 */
import { Enums, cache, imageLoader, utilities, type Types } from '@cornerstonejs/core';
import type { OpenedRun } from '../dicom/run';
import { Registrar, type Roi } from '../imaging/registration';
import { displayShutterOf, rasterizeShutter } from '../imaging/shutter';
import {
  NO_SHIFT,
  Subtractor,
  subtractionModeFor,
  suggestWindow,
  type PixelArray,
  type Shift,
  type SubtractionWindow,
} from '../imaging/subtraction';
import { planFor, referenceFrames, windowWithFloor, type SubtractionChoice } from '../imaging/subtractionPlan';

export { canSubtract, subtractionLabel, voiRangeOf, type SubtractionChoice } from '../imaging/subtractionPlan';
import { derivedImageIdFor, imageIdFor, parseImageId, type RunLookup } from './imageIds';

interface Setting {
  readonly id: number;
  readonly run: OpenedRun;
  readonly choice: SubtractionChoice;
}

/** One per run and mask: the averaged mask and the shutter mask, shared by settings that differ only in shift. */
interface MaskState {
  readonly subtractor: Subtractor;
  readonly shown: Uint8Array | null;
  ready: Promise<void>;
}

/**
 * One per run: the window every setting of the run is shown with, sized on the run's reference
 * frames under the file's mask (imaging/subtractionPlan.ts referenceFrames). Not on the frame on
 * screen: switched on at a mask-phase frame, that gave a window of noise alone, in which the
 * contrast phase saturated; and a chosen mask changes the picture only by what the mask changes.
 */
interface RunWindow {
  window: SubtractionWindow | null;
  readonly ready: Promise<SubtractionWindow | null>;
}

const settings = new Map<number, Setting>();
/** By run key, then by the mask frames ("1,2,3,4"). Run keys hold '|' (the identity's parts): not one string key. */
const masks = new Map<string, Map<string, MaskState>>();
const runWindows = new Map<string, RunWindow>();
let nextSetting = 1;

/** Registers a setting and returns its id, from which frame ids are made. */
export function createSetting(run: OpenedRun, choice: SubtractionChoice): number {
  const id = nextSetting++;
  settings.set(id, { id, run, choice });
  return id;
}

/** The image id of a frame under a setting (a raw id for a run the setting is not about). */
export function settingImageId(setting: number, run: OpenedRun, frame: number): string {
  return settings.get(setting)?.run.key === run.key ? derivedImageIdFor(setting, run.key, frame) : imageIdFor(run.key, frame);
}

/** Drops a setting and its subtracted frames from the cache. */
export function forgetSetting(setting: number): void {
  const entry = settings.get(setting);
  if (!entry) return;
  settings.delete(setting);
  for (let frame = 1; frame <= entry.run.frames.length; frame++) {
    const imageId = derivedImageIdFor(setting, entry.run.key, frame);
    if (cache.getImageLoadObject(imageId)) cache.removeImageLoadObject(imageId);
  }
  const inUse = new Set([...settings.values()].map((s) => s.run.key));
  for (const runKey of masks.keys()) if (!inUse.has(runKey)) masks.delete(runKey);
  for (const key of runWindows.keys()) if (!inUse.has(key)) runWindows.delete(key);
}

/** The window a setting's frames are shown with (known once its first frame is made). */
export function settingWindow(setting: number): SubtractionWindow | null {
  const entry = settings.get(setting);
  return entry ? (runWindows.get(entry.run.key)?.window ?? null) : null;
}

function runWindowOf(run: OpenedRun): RunWindow {
  let known = runWindows.get(run.key);
  if (!known) {
    const created: RunWindow = {
      window: null,
      ready: sizeWindow(run).then((window) => (created.window ??= window)),
    };
    runWindows.set(run.key, created);
    known = created;
  }
  return known;
}

/** The run's window from its reference frames; null when none of them could be read. */
async function sizeWindow(run: OpenedRun): Promise<SubtractionWindow | null> {
  const choice: SubtractionChoice = { mask: null, shift: NO_SHIFT };
  const differences: Float32Array[] = [];
  let shown: Uint8Array | null = null;
  for (const frame of referenceFrames(run.info, choice)) {
    try {
      const made = await subtracted(run, choice, frame);
      differences.push(made.values);
      shown = made.shown;
    } catch {
      // A frame that cannot be decoded is marked failed where it is shown; the window does without it.
    }
  }
  if (differences.length === 0) return null;
  return windowWithFloor(suggestWindow(differences, shown ?? undefined), subtractionModeFor(run.info).domain, run.info.bitsStored);
}

function maskStateOf(run: OpenedRun, choice: SubtractionChoice, frame: number): MaskState {
  const plan = planFor(run.info, choice, frame);
  const key = plan.maskFrames.join(',');
  let runMasks = masks.get(run.key);
  if (!runMasks) masks.set(run.key, (runMasks = new Map()));
  let state = runMasks.get(key);
  if (!state) {
    const { info } = run;
    const subtractor = new Subtractor({ rows: info.rows, columns: info.columns }, subtractionModeFor(info));
    const shutter = displayShutterOf(info);
    const shown = shutter ? rasterizeShutter(shutter) : null;
    subtractor.setShown(shown);
    const created: MaskState = { subtractor, shown, ready: Promise.resolve() };
    created.ready = Promise.all(plan.maskFrames.map((f) => rawPixels(run, f))).then((frames) => subtractor.setMask(frames));
    runMasks.set(key, created);
    state = created;
  }
  return state;
}

async function rawPixels(run: OpenedRun, frame: number): Promise<PixelArray> {
  const image = await imageLoader.loadAndCacheImage(imageIdFor(run.key, frame), {
    priority: 0,
    requestType: Enums.RequestType.Interaction,
  });
  const data = image.getPixelData();
  if (data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Int16Array || data instanceof Uint8ClampedArray)
    return data;
  // Rescaled on decode into floats (rare for XA/RF): the nearest integers, clamped to 16 bits.
  return Int16Array.from(data as ArrayLike<number>, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
}

/** The automatic shift for the frame: the mask registered to it on the region. Absolute (file's shift included). */
export async function registerFrame(setting: number, frame: number, roi: Roi): Promise<{ shift: Shift; correlation: number; roi: Roi }> {
  const entry = settings.get(setting);
  if (!entry) throw new Error('subtraction is not on in this pane');
  const state = maskStateOf(entry.run, entry.choice, frame);
  await state.ready;
  const { subtractor } = state;
  const domain = new Float32Array(subtractor.rows * subtractor.columns);
  subtractor.toDomain(await rawPixels(entry.run, frame), domain);
  const plan = planFor(entry.run.info, entry.choice, frame);
  const result = new Registrar().register(subtractor.maskValues, domain, subtractor.rows, subtractor.columns, roi, {
    shown: state.shown ?? undefined,
    initial: plan.shift,
  });
  return { shift: result.shift, correlation: result.correlation, roi: result.roi };
}

/** The file's own shift for a frame under a setting's mask (what the user shift adds to). */
export function fileShiftOf(setting: number, frame: number): Shift {
  const entry = settings.get(setting);
  if (!entry) return NO_SHIFT;
  const plan = planFor(entry.run.info, { ...entry.choice, shift: NO_SHIFT }, frame);
  return plan.shift;
}

/** Cornerstone image loader for `fluoro-derived:` ids. */
export function createDerivedImageLoader(runByKey: RunLookup) {
  return (imageId: string): Types.IImageLoadObject => ({ promise: loadDerived(runByKey, imageId) });
}

async function loadDerived(runByKey: RunLookup, imageId: string): Promise<Types.IImage> {
  const parsed = parseImageId(imageId);
  const entry = parsed?.setting !== undefined ? settings.get(parsed.setting) : undefined;
  if (!parsed || !entry || runByKey(parsed.runKey) !== entry.run) throw new Error(`the subtraction of ${imageId} is no longer shown`);
  const { run } = entry;
  const runWindow = runWindowOf(run);
  const [made, raw, sized] = await Promise.all([
    subtracted(run, entry.choice, parsed.frame),
    imageLoader.loadAndCacheImage(imageIdFor(run.key, parsed.frame), { priority: 0, requestType: Enums.RequestType.Interaction }),
    runWindow.ready,
  ]);
  // No reference frame could be read: this frame sizes the window, once for the run.
  runWindow.window ??=
    sized ?? windowWithFloor(suggestWindow(made.values, made.shown ?? undefined), subtractionModeFor(run.info).domain, run.info.bitsStored);
  return derivedImage(imageId, raw, made.values, runWindow.window);
}

/** A frame minus its mask under a choice, and the shutter mask its window is sized within. */
async function subtracted(
  run: OpenedRun,
  choice: SubtractionChoice,
  frame: number,
): Promise<{ values: Float32Array; shown: Uint8Array | null }> {
  const plan = planFor(run.info, choice, frame);
  const state = maskStateOf(run, choice, frame);
  const [contrast] = await Promise.all([Promise.all(plan.contrastFrames.map((f) => rawPixels(run, f))), state.ready]);
  const { subtractor } = state;
  // Settings share the mask: the shift is set for this frame right before its (synchronous) subtraction.
  subtractor.setShift(plan.shift);
  const values = new Float32Array(subtractor.rows * subtractor.columns);
  subtractor.subtractAveraged(contrast, values);
  return { values, shown: state.shown };
}

function derivedImage(imageId: string, raw: Types.IImage, values: Float32Array, window: SubtractionWindow): Types.IImage {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const frame = raw.imageFrame as Record<string, unknown> | undefined;
  return {
    ...raw,
    imageId,
    imageFrame: frame
      ? ({
          ...frame,
          pixelData: values,
          smallestPixelValue: min,
          largestPixelValue: max,
          photometricInterpretation: 'MONOCHROME2',
        } as never)
      : undefined,
    getPixelData: () => values as unknown as Types.PixelDataTypedArray,
    voxelManager: utilities.VoxelManager.createImageVoxelManager({
      scalarData: values,
      width: raw.columns,
      height: raw.rows,
      numberOfComponents: 1,
    }) as unknown as Types.IImage['voxelManager'],
    dataType: 'Float32Array',
    sizeInBytes: values.byteLength,
    minPixelValue: min,
    maxPixelValue: max,
    slope: 1,
    intercept: 0,
    windowCenter: window.center,
    windowWidth: window.width,
    voiLUTFunction: undefined,
    voiLUT: undefined,
    modalityLUT: undefined,
    preScale: undefined,
    color: false,
    rgba: false,
    numberOfComponents: 1,
    invert: false,
    photometricInterpretation: 'MONOCHROME2',
  } as unknown as Types.IImage;
}

/** For the metadata provider: the window and pixel description of a derived id, else undefined. */
export function derivedModule(type: string, setting: number): unknown {
  if (type === 'voiLutModule') {
    const window = settingWindow(setting);
    return window ? { windowCenter: [window.center], windowWidth: [window.width] } : { windowCenter: [], windowWidth: [] };
  }
  if (type === 'modalityLutModule') return { rescaleSlope: 1, rescaleIntercept: 0, rescaleType: 'US' };
  return undefined;
}

/** Mask and shift in words, for the pane's display bar. */
export function describeSetting(
  setting: number,
  frame: number,
): { mask: string; maskSource: string; maskRange: { first: number; last: number }; shift: Shift } | null {
  const entry = settings.get(setting);
  if (!entry) return null;
  const plan = planFor(entry.run.info, entry.choice, frame);
  return {
    mask: plan.summary,
    maskSource: plan.source,
    maskRange:
      plan.maskFrames.length > 0 ? { first: Math.min(...plan.maskFrames), last: Math.max(...plan.maskFrames) } : { first: 1, last: 1 },
    shift: plan.shift,
  };
}
