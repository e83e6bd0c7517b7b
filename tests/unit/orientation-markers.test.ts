import { describe, expect, it } from 'vitest';
import { directionWords, edgeMarkers, oppositeDirection } from '../../src/format/orientationMarkers';

const AP = { row: 'L', column: 'F' }; // Patient Orientation L\F: an AP image, patient's right on the image's left.
const UPRIGHT = { xx: 1, xy: 0, yx: 0, yy: 1 };
/** A clockwise quarter turn (screen y points down): image +x now points down, image +y points left. */
const TURN_90 = { xx: 0, xy: -1, yx: 1, yy: 0 };
const MIRROR = { xx: -1, xy: 0, yx: 0, yy: 1 };

describe("the patient's directions at the picture's edges", () => {
  it('reads Patient Orientation as it is shown upright', () => {
    expect(edgeMarkers(AP, UPRIGHT)).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
  });

  it('swaps R and L when the picture is mirrored left to right', () => {
    expect(edgeMarkers(AP, MIRROR)).toEqual({ left: 'L', right: 'R', top: 'H', bottom: 'F' });
  });

  it('turns with the picture: a clockwise quarter turn puts the head on the right', () => {
    expect(edgeMarkers(AP, TURN_90)).toEqual({ left: 'F', right: 'H', top: 'R', bottom: 'L' });
    expect(edgeMarkers(AP, { xx: -1, xy: 0, yx: 0, yy: -1 })).toEqual({ left: 'L', right: 'R', top: 'F', bottom: 'H' });
  });

  it('keeps oblique directions of more than one letter, each letter opposed', () => {
    expect(oppositeDirection('LP')).toBe('RA');
    expect(edgeMarkers({ row: 'LP', column: 'F' }, UPRIGHT)).toEqual({ left: 'RA', right: 'LP', top: 'H', bottom: 'F' });
    expect(directionWords('LP')).toBe('patient left posterior');
  });

  it('gives nothing for axes that are not a quarter-turn orientation', () => {
    expect(edgeMarkers(AP, { xx: 0, xy: 0, yx: 0, yy: 0 })).toBeNull();
  });
});
