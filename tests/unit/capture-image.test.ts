import { describe, expect, it } from 'vitest';
import {
  UPRIGHT,
  describeOrientation,
  orientPoint,
  orientationFromAxes,
  orientationTransform,
  orientedSize,
  rotationOrientation,
} from '../../src/viewer/capture/orientation';
import { pixelStretch } from '../../src/viewer/capture/format';
import { withOverlayPlanes } from '../../src/viewer/capture/overlayPlanes';
import { GrayMapper, grayLevel, maskRgba, sameDisplay, type FramePixels } from '../../src/viewer/capture/pixels';
import { exportOverlayCorners } from '../../src/viewer/capture/overlayText';
import type { RunInfo } from '../../src/dicom/types';

describe('orientation read off the pane', () => {
  it('snaps the canvas directions of the image axes to a right-angle orientation', () => {
    expect(orientationFromAxes([300, 0.2], [-0.1, 300])).toEqual(UPRIGHT);
    // Turned 90° clockwise: image x points down the screen, image y points left.
    expect(orientationFromAxes([0, 250], [-250, 0])).toEqual(rotationOrientation(90));
    // Mirrored left–right.
    expect(orientationFromAxes([-2, 0], [0, 2])).toEqual({ xx: -1, xy: 0, yx: 0, yy: 1 });
    // Degenerate (no image): upright.
    expect(orientationFromAxes([0, 0], [0, 0])).toEqual(UPRIGHT);
  });

  it('maps the image corners onto the oriented frame, its top left at 0,0', () => {
    const turned = rotationOrientation(90);
    expect(orientedSize(400, 300, turned)).toEqual({ width: 300, height: 400 });
    const t = orientationTransform(400, 300, turned);
    // The image's top left goes to the top right, its bottom left to the top left.
    expect(orientPoint({ x: 0, y: 0 }, t)).toEqual([300, 0]);
    expect(orientPoint({ x: 0, y: 300 }, t)).toEqual([0, 0]);
    expect(orientPoint({ x: 400, y: 300 }, t)).toEqual([0, 400]);
    const mirrored = orientationTransform(400, 300, { xx: -1, xy: 0, yx: 0, yy: 1 }, 0.5);
    expect(orientPoint({ x: 0, y: 0 }, mirrored)).toEqual([200, 0]);
    expect(orientPoint({ x: 400, y: 300 }, mirrored)).toEqual([0, 150]);
  });

  it('stretches pixels that are not square along their own axis, turned or not', () => {
    // Pixels twice as tall as wide (Pixel Aspect Ratio 2:1): image y doubles, the shorter side keeps one output pixel.
    const stretch = pixelStretch({ row: 2, column: 1 });
    expect(stretch).toEqual({ x: 1, y: 2 });
    expect(pixelStretch({ row: 0.3, column: 0.36 })).toEqual({ x: 1.2, y: 1 });
    expect(pixelStretch({ row: 1, column: 1 })).toEqual({ x: 1, y: 1 });
    const upright = orientationTransform(256, 128, UPRIGHT, stretch.x, stretch.y);
    expect(orientPoint({ x: 256, y: 128 }, upright)).toEqual([256, 256]);
    // Turned 90° clockwise: the stretched image y now runs right to left across the output.
    expect(orientedSize(256 * stretch.x, 128 * stretch.y, rotationOrientation(90))).toEqual({ width: 256, height: 256 });
    const turned = orientationTransform(256, 128, rotationOrientation(90), stretch.x, stretch.y);
    expect(orientPoint({ x: 0, y: 0 }, turned)).toEqual([256, 0]);
    expect(orientPoint({ x: 0, y: 128 }, turned)).toEqual([0, 0]);
    expect(orientPoint({ x: 256, y: 128 }, turned)).toEqual([0, 256]);
  });

  it('words an orientation as the overlay does', () => {
    expect(describeOrientation(UPRIGHT)).toBeNull();
    expect(describeOrientation(rotationOrientation(90))).toBe('Rotated 90°');
    expect(describeOrientation({ xx: -1, xy: 0, yx: 0, yy: 1 })).toBe('Flipped left–right');
    expect(describeOrientation({ xx: 0, xy: 1, yx: 1, yy: 0 })).toBe('Rotated 90° · flipped left–right');
  });
});

function frame(pixels: FramePixels['pixels'], extra: Partial<FramePixels> = {}): FramePixels {
  return { pixels, columns: pixels.length, rows: 1, samplesPerPixel: 1, slope: 1, intercept: 0, prescaled: false, ...extra };
}

function greys(mapper: GrayMapper, f: FramePixels): number[] {
  const out = new Uint8ClampedArray(f.columns * f.rows * 4);
  mapper.toRgba(f, out);
  const levels: number[] = [];
  for (let i = 0; i < out.length; i += 4) {
    expect(out[i]).toBe(out[i + 1]);
    expect(out[i + 2]).toBe(out[i]);
    expect(out[i + 3]).toBe(255);
    levels.push(out[i]);
  }
  return levels;
}

describe('grey levels as the pane shows them', () => {
  it('maps the VOI range linearly, lower to black and upper to white, clipping outside', () => {
    const display = { lower: 100, upper: 200, invert: false };
    expect([50, 100, 150, 200, 250].map((v) => grayLevel(v, display))).toEqual([0, 0, 128, 255, 255]);
    expect(grayLevel(150, { ...display, invert: true })).toBe(127);
  });

  it('bends the levels along the sigmoid VOI LUT Function about the window the range stands for', () => {
    // Window 140/230 (range 25…254 as Cornerstone holds it): PS3.3 C.11.2.1.3.1,
    // y = 255 / (1 + exp(−4 (x − c) / w)), rounded. DCMTK's dcm2pnm gives 20, 42 and 208 for the
    // stored values 0, 47 and 226 of a file with this window (it truncates where this rounds).
    const display = { lower: 25, upper: 254, invert: false, sigmoid: true };
    expect([0, 47, 140, 226, 255].map((v) => grayLevel(v, display))).toEqual([21, 42, 128, 208, 225]);
    expect(grayLevel(140, { ...display, invert: true })).toBe(127);
    // Far outside the window the curve reaches black and white.
    expect([grayLevel(-5000, display), grayLevel(5000, display)]).toEqual([0, 255]);
    // Through the lookup table as value by value.
    const values = [0, 47, 140, 226, 255];
    expect(greys(new GrayMapper(display), frame(Uint8Array.from(values)))).toEqual(values.map((v) => grayLevel(v, display)));
  });

  it('looks each value up in a VOI LUT the pane shows, then inverts, integer frames through the table too', () => {
    // 12-bit entries from value 10: below takes the first entry, past the table the last.
    const lut = { firstValueMapped: 10, numberOfEntries: 3, bitsPerEntry: 12, data: [0, 2048, 4095] };
    const display = { lower: 10, upper: 12, invert: false, lut };
    expect([0, 10, 11, 12, 300].map((v) => grayLevel(v, display))).toEqual([0, 0, 128, 255, 255]);
    expect(grayLevel(11, { ...display, invert: true })).toBe(127);
    const values = [0, 10, 11, 12, 300];
    expect(greys(new GrayMapper(display), frame(Uint16Array.from(values)))).toEqual([0, 0, 128, 255, 255]);
    // Another LUT over the same range is another display: the table is made again.
    const other = { ...display, lut: { ...lut, data: [4095, 0, 0] } };
    expect(sameDisplay(display, other)).toBe(false);
    const mapper = new GrayMapper(display);
    greys(mapper, frame(Uint16Array.from(values)));
    mapper.setDisplay(other);
    expect(greys(mapper, frame(Uint16Array.from(values)))).toEqual([255, 255, 0, 0, 0]);
  });

  it('burns overlay planes in white, inverted display or not, and leaves frames without a plane as they are', () => {
    // One 4×2 plane over a 4×2 frame: bits 0 and 5 set (pixels 0,0 and 1,1).
    const plane = {
      group: 0x6000,
      rows: 2,
      columns: 4,
      type: 'G' as const,
      origin: { row: 1, column: 1 },
      frames: 1,
      firstFrame: 1,
      bits: Uint8Array.from([0b10_0001]),
    };
    const info = { overlays: { perInstance: [[plane]], notes: [] }, frameCount: 1, columns: 4, rows: 2 };
    const loaded = { ok: true as const, pixels: { ...frame(Uint16Array.from([10, 20, 30, 40, 50, 60, 70, 80])), columns: 4, rows: 2 } };
    for (const invert of [false, true]) {
      const burned = withOverlayPlanes(loaded, info, 1, invert);
      const display = { lower: 0, upper: 1000, invert };
      const levels = greys(new GrayMapper(display), burned.ok ? burned.pixels : loaded.pixels);
      expect(levels[0]).toBe(255);
      expect(levels[5]).toBe(255);
      expect(levels.filter((l) => l === 255)).toHaveLength(2);
    }
    expect(withOverlayPlanes(loaded, { ...info, overlays: undefined }, 1, false)).toBe(loaded);
  });

  it('gives the same levels through the lookup table as value by value, for every integer type', () => {
    const display = { lower: -50.5, upper: 900.5, invert: false };
    const values = [-32768, -51, -50, 0, 1, 255, 300, 899, 900, 901, 32767];
    const direct = (slope: number, intercept: number) => values.map((v) => grayLevel(v * slope + intercept, display));
    const mapper = new GrayMapper(display);
    expect(greys(mapper, frame(Int16Array.from(values)))).toEqual(direct(1, 0));
    expect(greys(mapper, frame(Float32Array.from(values)))).toEqual(direct(1, 0));
    const unsigned = values.filter((v) => v >= 0);
    expect(greys(mapper, frame(Uint16Array.from(unsigned), { slope: 2, intercept: -100 }))).toEqual(
      unsigned.map((v) => grayLevel(v * 2 - 100, display)),
    );
    // Pre-scaled arrays already hold modality values.
    expect(greys(mapper, frame(Uint16Array.from(unsigned), { slope: 2, intercept: -100, prescaled: true }))).toEqual(
      unsigned.map((v) => grayLevel(v, display)),
    );
    expect(greys(new GrayMapper({ lower: 0, upper: 255, invert: true }), frame(Uint8Array.from([0, 255])))).toEqual([255, 0]);
  });

  it('passes colour through and blacks out masked rectangles', () => {
    const mapper = new GrayMapper({ lower: 0, upper: 1, invert: false });
    const out = new Uint8ClampedArray(2 * 4);
    mapper.toRgba(frame(Uint8Array.from([10, 20, 30, 40, 50, 60]), { columns: 2, samplesPerPixel: 3 }), out);
    expect([...out]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);

    const rgba = new Uint8ClampedArray(4 * 3 * 4).fill(200);
    maskRgba(rgba, 4, 3, [{ x: 0.5, y: 1, width: 1, height: 5 }]);
    const masked = Array.from({ length: 12 }, (_, i) => rgba[i * 4]);
    expect(masked).toEqual([200, 200, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200]);
    expect(rgba[4 * 4 + 3]).toBe(255);
  });

  it('refuses a buffer too small for the frame', () => {
    expect(() =>
      new GrayMapper({ lower: 0, upper: 1, invert: false }).toRgba(frame(Uint8Array.from([1, 2])), new Uint8ClampedArray(4)),
    ).toThrow(/too small/);
  });

  it('maps each frame in its own window when the window changes between frames (a series windowed image by image)', () => {
    const values = Uint8Array.from([100, 140, 180, 220]);
    const first = { lower: 25.5, upper: 254.5, invert: false };
    const second = { lower: 40, upper: 200, invert: true };
    const mapper = new GrayMapper(first);
    const levels = (display: typeof first) => [...values].map((v) => grayLevel(v, display));
    expect(greys(mapper, frame(values))).toEqual(levels(first));
    mapper.setDisplay(second);
    expect(greys(mapper, frame(values))).toEqual(levels(second));
    mapper.setDisplay({ ...first });
    expect(greys(mapper, frame(values))).toEqual(levels(first));
  });
});

describe('overlay text burned into an export', () => {
  const info = {
    patient: { name: 'MARKERDOE^Jane', id: 'MRN-MARKER', birthDate: '19610305', sex: 'F' },
    study: {
      instanceUID: '1.2',
      date: '20240315',
      time: '140327',
      description: 'Dr Marker TFESI',
      accessionNumber: 'ACC',
      institution: 'Marker Clinic',
    },
    series: { instanceUID: '1.2.3', number: 7, description: 'Marker series', modality: 'XA' },
    instanceNumber: 3,
    instances: [],
    frameCount: 30,
    timing: {
      frameStartMs: Array.from({ length: 30 }, (_, i) => (i * 1000) / 15),
      durationMs: 2000,
      nominalFps: 15,
      source: 'Frame Time',
      notes: [],
    },
    positioner: { primaryAngleDeg: -20, secondaryAngleDeg: 0 },
    exposure: { kvp: 80 },
    dose: { fluoroscopyTimeS: 30 },
  } as unknown as RunInfo;
  const at = { frame: 12, elapsedSeconds: 11 / 15, speed: 1, transform: 'Rotated 90°' };

  it('full: what the pane shows, the orientation included', () => {
    const corners = exportOverlayCorners(info, 'full', at);
    expect(corners.topLeft.join(' ')).toContain('MARKERDOE');
    expect(corners.bottomRight).toContain('Rotated 90°');
  });

  it('teaching: frame, time, rate, technique and projection, and nothing about patient, study or people', () => {
    const corners = exportOverlayCorners(info, 'teaching', at);
    const all = Object.values(corners).flat().join('\n');
    expect(all).toContain('Frame 12 / 30');
    expect(all).toContain('15 fps');
    expect(all).toContain('80 kVp');
    expect(all).toContain('RAO 20°');
    for (const identifying of ['MARKER', 'Marker', 'MRN', '1961', '2024', 'Series 7', 'Instance 3']) expect(all).not.toContain(identifying);
  });

  it('none: no text at all', () => {
    expect(Object.values(exportOverlayCorners(info, 'none', at)).flat()).toEqual([]);
  });
});
