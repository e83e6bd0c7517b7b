import { describe, expect, it } from 'vitest';
import { planFor, referenceFrames, subtractionLabel, windowWithFloor } from '../../src/imaging/subtractionPlan';
import { outlineToSvgPath } from '../../src/viewer/shutterPaths';
import { runInfoWith } from './runInfoFixture';

const NO_SHIFT = { dx: 0, dy: 0 };

describe('what the Subtract switch shows', () => {
  const dsa = runInfoWith({
    frameCount: 20,
    pixelIntensityRelationship: 'LIN',
    subtraction: {
      items: [{ operation: 'AVG_SUB', applicableFrameRanges: [{ first: 5, last: 20 }], maskFrames: [1, 2, 3, 4] }],
      recommendedViewingMode: 'SUB',
      framePixelShifts: [],
    } as never,
  });

  it('uses the file’s mask inside its range and the same mask, said so, outside it', () => {
    expect(planFor(dsa, { mask: null, shift: NO_SHIFT }, 12)).toMatchObject({ maskFrames: [1, 2, 3, 4], contrastFrames: [12] });
    const outside = planFor(dsa, { mask: null, shift: NO_SHIFT }, 2);
    expect(outside.maskFrames).toEqual([1, 2, 3, 4]);
    expect(outside.source).toContain('frame 2 is outside its applicable range');
  });

  it('adds the user’s shift and honours a chosen mask range', () => {
    const plan = planFor(dsa, { mask: { first: 6, last: 8 }, shift: { dx: 0.3, dy: -0.1 } }, 12);
    expect(plan.maskFrames).toEqual([6, 7, 8]);
    expect(plan.shift).toEqual({ dx: 0.3, dy: -0.1 });
  });

  it('falls back to frame 1 as the mask, with the reason, for a run without the sequence', () => {
    const plan = planFor(runInfoWith({ frameCount: 5 }), { mask: null, shift: NO_SHIFT }, 3);
    expect(plan.maskFrames).toEqual([1]);
    expect(plan.source).toContain('no Mask Subtraction Sequence');
  });

  it('says log for LIN and linear otherwise', () => {
    expect(subtractionLabel(dsa).short).toBe('log subtraction (LIN)');
    expect(subtractionLabel(runInfoWith({ pixelIntensityRelationship: 'DISP' })).short).toBe('linear subtraction');
  });

  it('says the mask in a few words for the display bar, the whole source kept apart', () => {
    const file = { mask: null, shift: NO_SHIFT };
    expect(planFor(dsa, file, 12).summary).toBe('AVG_SUB, mask frames 1–4');
    expect(planFor(dsa, file, 2).summary).toBe('AVG_SUB, mask frames 1–4');
    const none = planFor(runInfoWith({ frameCount: 5 }), file, 3);
    expect(none.summary).toBe(none.source);
    expect(planFor(dsa, { mask: { first: 6, last: 6 }, shift: NO_SHIFT }, 12).summary).toBe('mask frame 6 (chosen)');
  });

  it('sizes the window on frames spread over the run past the mask, the same wherever the user stands', () => {
    const file = { mask: null, shift: NO_SHIFT };
    // Frames 5–20 are not their own mask: four of them, evenly, ending at the last.
    expect(referenceFrames(dsa, file)).toEqual([8, 12, 16, 20]);
    // Without the sequence frame 1 is the mask: the rest.
    expect(referenceFrames(runInfoWith({ frameCount: 5 }), file)).toEqual([2, 3, 4, 5]);
    expect(referenceFrames(runInfoWith({ frameCount: 3 }), file)).toEqual([2, 3]);
    expect(referenceFrames(runInfoWith({ frameCount: 1 }), file)).toEqual([]);
  });

  it('never shows a window narrower than its floor (noise-free frames)', () => {
    expect(windowWithFloor({ center: 0, width: 1e-6 }, 'log', 12)).toEqual({ center: 0, width: 0.2 });
    expect(windowWithFloor({ center: 3, width: 500 }, 'linear', 12)).toEqual({ center: 3, width: 500 });
  });
});

describe('shutter outline as SVG path data', () => {
  it('puts a far square around the shape when the outside is to be painted', () => {
    expect(outlineToSvgPath({ kind: 'rect', x: 36, y: 26, width: 184, height: 204 }, false)).toBe('M36 26h184v204h-184Z');
    expect(
      outlineToSvgPath(
        {
          kind: 'polygon',
          points: [
            { x: 1, y: 2 },
            { x: 3, y: 4 },
            { x: 5, y: 0 },
          ],
        },
        true,
      ),
    ).toBe('M-100000 -100000H100000V100000H-100000ZM1 2L3 4L5 0Z');
  });
});
