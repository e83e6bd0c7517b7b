/**
 * Window/level presets: those written in the file first, then a few built on the pixel value
 * range (bits stored, signedness, modality LUT). Centre/width follow the DICOM linear VOI function
 * (PS3.3 C.11.2.1.2), under which centre 128 / width 256 maps 0…255 exactly onto black…white.
 */
import type { RunInfo, VoiLut } from '../dicom/types';
import { cleanText } from './text';

export interface WindowLevelPreset {
  name: string;
  center: number;
  width: number;
  /** What the preset is for, for a tooltip. */
  explanation: string;
  source: 'file' | 'built-in';
}

export type WindowPresetInput = Pick<RunInfo, 'voi' | 'bitsStored' | 'pixelRepresentation' | 'modalityLut'>;

export interface ValueRange {
  min: number;
  max: number;
}

export function windowPresets(run: WindowPresetInput): WindowLevelPreset[] {
  return [...filePresets(run), ...builtInPresets(run)];
}

/**
 * Window Center/Width pairs from the file, named by their Window Center & Width Explanation. None
 * for a series whose images store different windows: the first image's would be named the file's
 * window on every image (the toolbar offers each image's own instead).
 */
export function filePresets(run: Pick<RunInfo, 'voi'>): WindowLevelPreset[] {
  if (run.voi.perImage) return [];
  return run.voi.windows
    .filter((window) => Number.isFinite(window.center) && window.width >= 1)
    .map((window, index) => {
      const explanation = cleanText(window.explanation);
      return {
        name: explanation || `File window ${index + 1}`,
        center: window.center,
        width: window.width,
        explanation: `Written in the file${explanation ? ` as "${explanation}"` : ''}`,
        source: 'file' as const,
      };
    });
}

/** A VOI LUT of the file by its LUT Explanation, else by its place in the sequence: "VOI LUT NORMAL", "VOI LUT 2". */
export function voiLutName(lut: VoiLut, index: number): string {
  return `VOI LUT ${cleanText(lut.explanation) || index + 1}`;
}

/** What a VOI LUT of the file is, for a tooltip. */
export function voiLutDescription(lut: VoiLut): string {
  const last = lut.firstValueMapped + lut.data.length - 1;
  return `Display curve written in the file (VOI LUT Sequence): values ${lut.firstValueMapped}–${last} to grey, ${lut.data.length} entries of ${lut.bitsPerEntry} bits`;
}

/** 8-bit runs are display-ready fluoroscopy; deeper runs get windows for the dense end too. */
export function builtInPresets(run: Omit<WindowPresetInput, 'voi'>): WindowLevelPreset[] {
  const range = modalityValueRange(run);
  const specs = run.bitsStored <= 8 ? EIGHT_BIT_PRESETS : DEEP_PRESETS;
  return specs.map(({ name, from, to, explanation }) => ({
    name,
    ...windowSpanning(range, from, to),
    explanation,
    source: 'built-in' as const,
  }));
}

interface PresetSpec {
  name: string;
  /** Fractions of the value range that map to black and to white. */
  from: number;
  to: number;
  explanation: string;
}

const EIGHT_BIT_PRESETS: PresetSpec[] = [
  { name: 'Full range', from: 0, to: 1, explanation: 'Every stored value, darkest to brightest, as acquired' },
  { name: 'Bright', from: 0, to: 0.75, explanation: 'Lifts dark and mid greys; the brightest quarter turns white' },
  { name: 'High contrast', from: 0.25, to: 0.75, explanation: 'Stretches the middle half; the darkest and brightest quarters clip' },
];

const DEEP_PRESETS: PresetSpec[] = [
  { name: 'Full range', from: 0, to: 1, explanation: 'Every possible value, darkest to brightest' },
  { name: 'Soft', from: 0.125, to: 0.875, explanation: 'Wide window on the middle values: gentle contrast for soft tissue' },
  {
    name: 'Bone / contrast',
    from: 0,
    to: 0.5,
    explanation: 'Narrow window on the low values, where bone and iodine lie when values follow detector exposure',
  },
];

/** Values that can reach the VOI stage: stored range passed through the modality LUT. */
export function modalityValueRange(run: Omit<WindowPresetInput, 'voi'>): ValueRange {
  const lut = run.modalityLut;
  if (lut.kind === 'sequence') {
    if (lut.data.length > 0) return rangeOf(lut.data);
    return { min: 0, max: 2 ** lut.bitsPerEntry - 1 };
  }
  const stored = storedValueRange(run.bitsStored, run.pixelRepresentation);
  const ends = [stored.min * lut.slope + lut.intercept, stored.max * lut.slope + lut.intercept];
  return { min: Math.min(...ends), max: Math.max(...ends) };
}

/** A loop, not Math.min(...data): LUTs can hold 65,536 entries, too many for spread arguments. */
function rangeOf(values: readonly number[]): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return { min, max };
}

function storedValueRange(bitsStored: number, pixelRepresentation: number): ValueRange {
  const bits = Math.max(1, bitsStored);
  return pixelRepresentation === 1 ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 } : { min: 0, max: 2 ** bits - 1 };
}

/** Centre/width that put fraction `from` of the range at black and `to` at white. */
function windowSpanning(range: ValueRange, from: number, to: number): { center: number; width: number } {
  const levels = range.max - range.min + 1;
  const width = Math.max(1, Math.round((to - from) * levels));
  const lowest = range.min + Math.round(from * levels);
  return { center: lowest + width / 2, width };
}
