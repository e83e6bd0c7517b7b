import { describe, expect, it } from 'vitest';
import type { Spacing, SpacingInfo } from '../../src/dicom/types';
import { scaleBar } from '../../src/format/scaleBar';
import { windowPresets, type WindowPresetInput } from '../../src/format/windowPresets';

function calibrated(columnMm: number, source: Spacing['source'] = 'Imager Pixel Spacing corrected by ERMF'): SpacingInfo {
  const preferred = { rowMm: columnMm, columnMm, source };
  return { preferred, candidates: [preferred] };
}

describe('scale bar', () => {
  it('picks the longest round length that fits and names the spacing source', () => {
    // 0.2 mm per image pixel at 1:1 → 5 screen px per mm; 120 px fits 20 mm (100 px), not 50.
    expect(scaleBar(calibrated(0.2), 1, 120)).toEqual({
      lengthMm: 20,
      widthPx: 100,
      label: '20 mm (Imager Pixel Spacing ÷ ERMF)',
      basis: 'Imager Pixel Spacing ÷ ERMF',
    });
  });

  it('uses only round lengths as the zoom changes', () => {
    const lengths = [0.25, 0.5, 1, 2, 4, 8, 16].map((zoom) => scaleBar(calibrated(0.15), zoom, 150)?.lengthMm);
    expect(lengths).toEqual([50, 20, 20, 10, 5, 2, 1]);
    for (const zoom of [0.37, 1.3, 2.9, 7.7]) {
      const bar = scaleBar(calibrated(0.15), zoom, 150);
      expect([1, 2, 5, 10, 20, 50]).toContain(bar?.lengthMm);
      expect(bar?.widthPx).toBeLessThanOrEqual(150);
      expect(bar?.widthPx).toBeCloseTo(((bar?.lengthMm ?? 0) / 0.15) * zoom, 9);
    }
  });

  it('names each spacing source', () => {
    expect(scaleBar(calibrated(0.1, 'Pixel Spacing'), 1, 150)?.label).toBe('10 mm (Pixel Spacing)');
    expect(scaleBar(calibrated(0.1, 'Imager Pixel Spacing'), 1, 150)?.label).toBe('10 mm (Imager Pixel Spacing at detector)');
  });

  it('uses the horizontal (column) spacing for a horizontal bar', () => {
    const spacing: SpacingInfo = { preferred: { rowMm: 0.4, columnMm: 0.2, source: 'Pixel Spacing' }, candidates: [] };
    expect(scaleBar(spacing, 1, 60)?.widthPx).toBe(50);
  });

  it('is null when the run is uncalibrated or nothing fits', () => {
    expect(scaleBar({ preferred: null }, 1, 200)).toBeNull();
    expect(scaleBar(calibrated(0.01), 1, 50)).toBeNull(); // 1 mm = 100 px
    expect(scaleBar(calibrated(0.2), 0, 200)).toBeNull();
  });
});

function presetInput(overrides: Partial<WindowPresetInput> = {}): WindowPresetInput {
  return {
    voi: { windows: [] },
    bitsStored: 8,
    pixelRepresentation: 0,
    modalityLut: { kind: 'rescale', slope: 1, intercept: 0 },
    ...overrides,
  };
}

const centreWidth = (presets: ReturnType<typeof windowPresets>) => presets.map(({ name, center, width }) => [name, center, width]);

describe('window/level presets', () => {
  it('offers full range 128/256, bright and high contrast for 8-bit fluoroscopy', () => {
    expect(centreWidth(windowPresets(presetInput()))).toEqual([
      ['Full range', 128, 256],
      ['Bright', 96, 192],
      ['High contrast', 128, 128],
    ]);
  });

  it('bases 10/12-bit presets on bits stored', () => {
    expect(centreWidth(windowPresets(presetInput({ bitsStored: 12 })))).toEqual([
      ['Full range', 2048, 4096],
      ['Soft', 2048, 3072],
      ['Bone / contrast', 1024, 2048],
    ]);
    expect(windowPresets(presetInput({ bitsStored: 10 }))[0]).toMatchObject({ center: 512, width: 1024 });
  });

  it('follows signed pixels and the modality LUT', () => {
    expect(windowPresets(presetInput({ bitsStored: 12, pixelRepresentation: 1 }))[0]).toMatchObject({ center: 0, width: 4096 });
    const rescaled = presetInput({ bitsStored: 10, modalityLut: { kind: 'rescale', slope: 2, intercept: -100 } });
    expect(windowPresets(rescaled)[0]).toMatchObject({ center: 923.5, width: 2047 }); // values −100…1946;
  });

  it('lists the file windows first, named by their explanations', () => {
    const run = presetInput({
      voi: {
        windows: [
          { center: 120, width: 200, explanation: 'NORMAL' },
          { center: 90, width: 150 },
          { center: 1, width: 0 },
        ],
      },
    });
    const presets = windowPresets(run);
    expect(presets.slice(0, 2)).toEqual([
      { name: 'NORMAL', center: 120, width: 200, explanation: 'Written in the file as "NORMAL"', source: 'file' },
      { name: 'File window 2', center: 90, width: 150, explanation: 'Written in the file', source: 'file' },
    ]);
    expect(presets.slice(2).every((preset) => preset.source === 'built-in')).toBe(true);
    expect(presets.every((preset) => preset.explanation.length > 0)).toBe(true);
  });
});
