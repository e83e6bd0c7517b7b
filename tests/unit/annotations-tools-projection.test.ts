import { describe, expect, it } from 'vitest';
import {
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  setKeyframe,
  type AnnotationDocument,
  type Command,
} from '../../src/annotations/model';
import { distanceToPolygon, distanceToSegment, translateGeometry } from '../../src/annotations/tools/geometryEdit';
import { handlePointsOf } from '../../src/annotations/marks/handles';
import { projectFrame } from '../../src/annotations/tools/projection';

const RUN = { studyInstanceUID: '1', seriesInstanceUID: '1.2', sopInstanceUIDs: ['1.2.1'], frameCount: 30 };

function doc(): AnnotationDocument {
  const empty = createDocument(RUN);
  const commands: Command[] = [
    addTrack(createTrack(empty, 'needleTip')),
    addTrack(createTrack(empty, 'target')),
    addTrack(createTrack(empty, 'caption', { text: 'root outlined', range: { from: 5, to: 9 } })),
    setKeyframe('needleTip-1', 10, { tip: { x: 10, y: 10 }, hub: { x: 0, y: 0 } }),
    setKeyframe('needleTip-1', 20, { tip: { x: 30, y: 10 }, hub: { x: 0, y: 0 } }),
    setKeyframe('target-1', 15, { center: { x: 50, y: 50 }, radiusPx: 8 }),
  ];
  return commands.reduce((d, c) => applyCommand(d, c).doc, empty);
}

describe('projectFrame: what the adapter mirrors into a viewport', () => {
  it('shows keyframes, interpolated frames and held targets, saying which', () => {
    const at = (frame: number) => projectFrame(doc(), frame).map((s) => `${s.kind}:${s.source}`);
    expect(at(10)).toEqual(['needleTip:keyframe', 'target:held']);
    expect(at(15)).toEqual(['needleTip:interpolated', 'target:keyframe']);
    expect(at(25)).toEqual(['target:held']);
    expect(at(7)).toEqual(['target:held', 'caption:held']);
    const mid = projectFrame(doc(), 15).find((s) => s.kind === 'needleTip');
    expect(mid?.geometry).toEqual({ tip: { x: 20, y: 10 }, hub: { x: 0, y: 0 } });
  });

  it('carries the caption text and numbers tracks within their kind', () => {
    const caption = projectFrame(doc(), 5).find((s) => s.kind === 'caption');
    expect(caption).toMatchObject({ text: 'root outlined', indexOfKind: 0, label: 'Caption' });
  });
});

describe('handles and drag geometry', () => {
  it('numbers handles the way the tools move them', () => {
    expect(handlePointsOf('needleTip', { tip: { x: 1, y: 2 }, hub: { x: 3, y: 4 } })).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
    expect(handlePointsOf('needleTip', { tip: { x: 1, y: 2 } })).toEqual([{ x: 1, y: 2 }]);
    expect(handlePointsOf('target', { center: { x: 5, y: 6 }, radiusPx: 3 })).toEqual([{ x: 5, y: 6 }]);
    expect(handlePointsOf('arrow', { from: { x: 0, y: 0 }, to: { x: 1, y: 1 } })).toHaveLength(2);
    expect(handlePointsOf('caption', {})).toEqual([]);
  });

  it('translates every point and keeps sizes', () => {
    expect(translateGeometry({ center: { x: 5, y: 6 }, radiusPx: 3 }, 1, -1)).toEqual({ center: { x: 6, y: 5 }, radiusPx: 3 });
    expect(
      translateGeometry(
        {
          contour: [
            { x: 0, y: 0 },
            { x: 2, y: 0 },
            { x: 0, y: 2 },
          ],
        },
        1,
        1,
      ),
    ).toEqual({
      contour: [
        { x: 1, y: 1 },
        { x: 3, y: 1 },
        { x: 1, y: 3 },
      ],
    });
  });

  it('measures distance to a segment and to a closed outline', () => {
    expect(distanceToSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    expect(distanceToSegment({ x: -4, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    const square = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(distanceToPolygon({ x: 5, y: 8 }, square)).toBe(2);
    expect(distanceToPolygon({ x: -1, y: 5 }, square)).toBe(1);
  });
});
