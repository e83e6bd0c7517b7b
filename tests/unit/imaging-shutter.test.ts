import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/dicom/byteSource';
import { readHeader } from '../../src/dicom/header';
import { buildRunInfo } from '../../src/dicom/runInfo';
import type { Shutter } from '../../src/dicom/types';
import {
  applyShutterToRgba,
  applyShutterToValues,
  dicomLabToSrgb,
  displayShutterOf,
  isShown,
  rasterizeShutter,
  shownBounds,
  shutterOutline,
  type ShutterShape,
} from '../../src/imaging/shutter';
import { SAMPLE_DIR, readFrames, readTruths } from '../support/samples';

const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { Colors: { dicomlab2RGB(lab: number[]): number[] } } };

function shutterOn(rows: number, columns: number, shutter: Shutter) {
  const display = displayShutterOf({ rows, columns, shutter });
  if (!display) throw new Error('no shutter');
  return { display, mask: rasterizeShutter(display) };
}

/** Shown pixels as "row,column" (1-based), for readable comparisons. */
function shownPixels(mask: Uint8Array, columns: number): string[] {
  const out: string[] = [];
  mask.forEach((v, i) => v && out.push(`${Math.floor(i / columns) + 1},${(i % columns) + 1}`));
  return out;
}

describe('shutter geometry', () => {
  it('reads circle centres as ROW, COLUMN', () => {
    const { mask } = shutterOn(40, 60, { shapes: ['CIRCULAR'], circular: { centerRow: 10, centerColumn: 30, radius: 5 } });
    expect(mask[9 * 60 + 29]).toBe(1); // row 10, column 30 (1-based)
    expect(mask[29 * 60 + 9]).toBe(0); // the transposed point
    expect(shownBounds(mask, 40, 60)).toEqual({ x0: 24, y0: 4, x1: 34, y1: 14 });
  });

  it('reads polygon vertices as ROW, COLUMN', () => {
    // A thin horizontal bar: rows 5–6, columns 2–30.
    const { mask } = shutterOn(40, 60, { shapes: ['POLYGONAL'], polygonal: [5, 2, 5, 30, 6, 30, 6, 2] });
    expect(shownBounds(mask, 40, 60)).toEqual({ x0: 1, y0: 4, x1: 29, y1: 5 });
  });

  it('keeps the rectangle edges: columns left…right and rows upper…lower are all shown', () => {
    const { mask } = shutterOn(8, 8, { shapes: ['RECTANGULAR'], rectangular: { left: 3, right: 5, upper: 2, lower: 4 } });
    expect(shownPixels(mask, 8)).toEqual(['2,3', '2,4', '2,5', '3,3', '3,4', '3,5', '4,3', '4,4', '4,5']);
  });

  it('keeps pixels whose centre lies exactly on the circle', () => {
    const { mask } = shutterOn(9, 9, { shapes: ['CIRCULAR'], circular: { centerRow: 5, centerColumn: 5, radius: 2 } });
    // Lattice points with distance ≤ 2: 13, including (5,7), (7,5), (5,3), (3,5) at exactly 2.
    expect(shownPixels(mask, 9)).toEqual(['3,5', '4,4', '4,5', '4,6', '5,3', '5,4', '5,5', '5,6', '5,7', '6,4', '6,5', '6,6', '7,5']);
  });

  it('keeps pixels on polygon edges and vertices, including the bottom vertex and slanted edges', () => {
    // Right triangle (1,1)-(1,9)-(9,1): every pixel with row + column ≤ 10 is inside or on it.
    const { mask } = shutterOn(10, 10, { shapes: ['POLYGONAL'], polygonal: [1, 1, 1, 9, 9, 1] });
    const expected: string[] = [];
    for (let r = 1; r <= 10; r++) for (let c = 1; c <= 10; c++) if (r + c <= 10) expected.push(`${r},${c}`);
    expect(shownPixels(mask, 10)).toEqual(expected);
    expect(mask[8 * 10 + 0]).toBe(1); // the bottom vertex (9,1)
  });

  it('does not depend on the polygon winding', () => {
    const clockwise = [2, 2, 2, 17, 9, 12, 16, 17, 16, 2]; // a rectangle with a notch cut into its right side
    const counter: number[] = [];
    for (let i = clockwise.length - 2; i >= 0; i -= 2) counter.push(clockwise[i], clockwise[i + 1]);
    const a = shutterOn(20, 20, { shapes: ['POLYGONAL'], polygonal: clockwise }).mask;
    const b = shutterOn(20, 20, { shapes: ['POLYGONAL'], polygonal: counter }).mask;
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a[8 * 20 + 14]).toBe(0); // row 9, column 15: in the notch
    expect(a[8 * 20 + 11]).toBe(1); // row 9, column 12: the notch's tip, on the boundary
    expect(a[1 * 20 + 14]).toBe(1); // row 2, column 15: on the top edge
  });

  it('shows only what every shape leaves visible when shapes are combined', () => {
    const rectangular = { left: 1, right: 12, upper: 1, lower: 30 };
    const circular = { centerRow: 15, centerColumn: 15, radius: 10 };
    const polygonal = [1, 1, 30, 30, 30, 1];
    const combined = shutterOn(30, 30, { shapes: ['RECTANGULAR', 'CIRCULAR', 'POLYGONAL'], rectangular, circular, polygonal }).mask;
    const each = [
      shutterOn(30, 30, { shapes: ['RECTANGULAR'], rectangular }).mask,
      shutterOn(30, 30, { shapes: ['CIRCULAR'], circular }).mask,
      shutterOn(30, 30, { shapes: ['POLYGONAL'], polygonal }).mask,
    ];
    expect(Array.from(combined)).toEqual(Array.from(combined, (_, i) => each[0][i] & each[1][i] & each[2][i]));
    expect(combined.reduce((s, v) => s + v, 0)).toBeGreaterThan(50);
    expect(combined.reduce((s, v) => s + v, 0)).toBeLessThan(each[2].reduce((s, v) => s + v, 0));
  });

  it('rasterises exactly what the per-pixel rule says, for many shapes', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 40;
    for (let trial = 0; trial < 40; trial++) {
      const polygonal = Array.from({ length: 2 * (3 + (trial % 5)) }, () => Math.round(rand()));
      const shutter: Shutter = {
        shapes: ['CIRCULAR', 'POLYGONAL'],
        circular: { centerRow: Math.round(rand()), centerColumn: Math.round(rand()), radius: Math.round(rand() / 2) },
        polygonal,
      };
      const { display, mask } = shutterOn(40, 36, shutter);
      const expected = Uint8Array.from({ length: 40 * 36 }, (_, i) =>
        isShown(display.shapes, Math.floor(i / 36) + 1, (i % 36) + 1) ? 1 : 0,
      );
      expect(Array.from(mask), `trial ${trial}`).toEqual(Array.from(expected));
    }
  });

  it('describes the outline in image coordinates (pixel corners at integers, centres at +0.5)', () => {
    const { display, mask } = shutterOn(100, 120, {
      shapes: ['RECTANGULAR', 'CIRCULAR', 'POLYGONAL'],
      rectangular: { left: 11, right: 100, upper: 6, lower: 95 },
      circular: { centerRow: 51, centerColumn: 61, radius: 45 },
      polygonal: [1, 1, 1, 120, 100, 60],
    });
    const [rect, circle, polygon] = shutterOutline(display);
    expect(rect).toEqual({ kind: 'rect', x: 10, y: 5, width: 90, height: 90 });
    expect(circle).toEqual({ kind: 'circle', cx: 60.5, cy: 50.5, r: 45 });
    expect(polygon).toEqual({
      kind: 'polygon',
      points: [
        { x: 0.5, y: 0.5 },
        { x: 119.5, y: 0.5 },
        { x: 59.5, y: 99.5 },
      ],
    });
    // The rectangle's outline is exactly the shown columns/rows of a rectangle-only mask.
    const rectOnly = shutterOn(100, 120, { shapes: ['RECTANGULAR'], rectangular: { left: 11, right: 100, upper: 6, lower: 95 } }).mask;
    expect(shownBounds(rectOnly, 100, 120)).toEqual({ x0: 10, y0: 5, x1: 99, y1: 94 });
    expect(mask.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
  });
});

describe('shutter fill and application', () => {
  it('uses the Shutter Presentation Value as a grey P-value', () => {
    const { display } = shutterOn(4, 4, {
      shapes: ['CIRCULAR'],
      circular: { centerRow: 2, centerColumn: 2, radius: 1 },
      presentationValue: 0xffff,
    });
    expect(display.fill).toEqual({ grey: 1, rgb: [255, 255, 255], source: 'Shutter Presentation Value' });
    const black = shutterOn(4, 4, { shapes: ['CIRCULAR'], circular: { centerRow: 2, centerColumn: 2, radius: 1 } }).display.fill;
    expect(black).toEqual({ grey: 0, rgb: [0, 0, 0], source: 'not specified in the file (black)' });
  });

  it.each([[[65535, 32896, 32896]], [[32768, 45000, 20000]], [[20000, 20000, 50000]], [[0, 32896, 32896]]])(
    'converts the CIELab colour %j like dcmjs does',
    (lab) => {
      const expected = dcmjs.data.Colors.dicomlab2RGB(lab).map((c) => Math.max(0, Math.min(255, Math.round(c * 255))));
      const got = dicomLabToSrgb(lab as [number, number, number]);
      got.forEach((c, i) => expect(Math.abs(c - expected[i]), `${got} vs ${expected}`).toBeLessThanOrEqual(1));
    },
  );

  it('prefers the CIELab colour for the RGB fill and keeps the grey for monochrome use', () => {
    const { display } = shutterOn(4, 4, {
      shapes: ['RECTANGULAR'],
      rectangular: { left: 1, right: 2, upper: 1, lower: 2 },
      presentationValue: 0x8000,
      presentationColorCIELab: [65535, 32896, 32896],
    });
    expect(display.fill.source).toBe('Shutter Presentation Color CIELab Value');
    expect(display.fill.grey).toBeCloseTo(0.5, 3);
    expect(display.fill.rgb).toEqual([255, 255, 255]);
  });

  it('paints covered pixels of an RGBA raster and of a value raster', () => {
    const { display, mask } = shutterOn(2, 2, {
      shapes: ['RECTANGULAR'],
      rectangular: { left: 1, right: 1, upper: 1, lower: 2 },
      presentationValue: 0,
    });
    const rgba = new Uint8ClampedArray(16).fill(200);
    applyShutterToRgba(rgba, mask, display.fill);
    expect(Array.from(rgba)).toEqual([200, 200, 200, 200, 0, 0, 0, 255, 200, 200, 200, 200, 0, 0, 0, 255]);
    const values = Float32Array.from([1, 2, 3, 4]);
    applyShutterToValues(values, mask, -7);
    expect(Array.from(values)).toEqual([1, -7, 3, -7]);
    expect(() => applyShutterToValues(new Float32Array(3), mask, 0)).toThrow(/3 values, mask has 4/);
  });

  it('names what it does not apply: a bitmap shutter and unusable shapes', () => {
    expect(displayShutterOf({ rows: 4, columns: 4, shutter: { shapes: ['BITMAP'], overlayGroup: 0x6000 } })).toBeNull();
    const display = displayShutterOf({
      rows: 4,
      columns: 4,
      shutter: {
        shapes: ['CIRCULAR', 'RECTANGULAR', 'BITMAP'],
        circular: { centerRow: 2, centerColumn: 2, radius: 2 },
        overlayGroup: 0x6002,
        notes: ['RECTANGULAR shutter without all four edges (0018,1602–1608); not applied'],
      },
    });
    expect(display?.description).toBe('circular shutter');
    expect(display?.notes).toEqual([
      'RECTANGULAR shutter without all four edges (0018,1602–1608); not applied',
      'BITMAP shutter in overlay group 6002 is defined for presentation states only; not applied',
    ]);
  });
});

describe('shutters of the sample runs', () => {
  // The generator writes 0 outside the exposed field and at least 1 inside: the mask must match.
  for (const truth of readTruths().filter((t) => t.layout === 'multiframe')) {
    it(`${truth.run}: the mask shows exactly the exposed pixels`, async () => {
      const bytes = new Uint8Array(readFileSync(join(SAMPLE_DIR, truth.files[0])));
      const info = buildRunInfo([await readHeader(bufferSource(truth.files[0], bytes))]);
      const display = displayShutterOf(info);
      expect(display, 'the run has a shutter').not.toBeNull();
      const mask = rasterizeShutter(display!);
      const frame = readFrames(bytes, 1).frames[0];
      let mismatches = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i] !== (frame[i] > 0 ? 1 : 0)) mismatches++;
      expect(mismatches).toBe(0);
    });
  }
});

describe('shapes as given', () => {
  it('keeps the shape list typed', () => {
    const shapes: ShutterShape[] = [{ kind: 'rectangular', left: 1, right: 1, upper: 1, lower: 1 }];
    expect(isShown(shapes, 1, 1)).toBe(true);
    expect(isShown(shapes, 1, 2)).toBe(false);
  });
});
