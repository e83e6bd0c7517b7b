import { describe, expect, it } from 'vitest';
import {
  DRAW_ORDER,
  captionAnchor,
  defaultCaptionPosition,
  describeTrack,
  drawStyle,
  type Mark,
  type MarkView,
  type MarkedTrack,
} from '../../src/annotations/marks/describe';
import {
  darkenedColour,
  dashArray,
  drawMarksCanvas,
  parseColour,
  textBoxLayout,
  type MarkContext,
} from '../../src/annotations/marks/canvas';
import { TRACK_KINDS, polygonArea } from '../../src/annotations/model';
import { contourAreaLabel } from '../../src/format/measurements';

const view: MarkView = {
  project: (p) => [p.x * 2, p.y * 2],
  width: 400,
  areaLabel: (contour) => contourAreaLabel(polygonArea(contour), null),
};

function track(overrides: Partial<MarkedTrack>): MarkedTrack {
  return {
    kind: 'needleTip',
    geometry: { tip: { x: 50, y: 60 } },
    source: 'keyframe',
    color: '#ffd400',
    text: '',
    selected: false,
    ...overrides,
  };
}

const marksOf = (t: MarkedTrack, highlighted = false) => describeTrack(t, drawStyle(t, highlighted), view);
const byId = (marks: Mark[], id: string) => marks.find((m) => m.id === id);

describe('what a track draws', () => {
  it('needle tip: four crosshair arms around the tip, the shaft from the hub, filled handles on a keyframe', () => {
    const marks = marksOf(track({ geometry: { tip: { x: 50, y: 60 }, hub: { x: 10, y: 10 } } }));
    expect(marks.map((m) => m.id)).toEqual(['crosshair-left', 'crosshair-right', 'crosshair-up', 'crosshair-down', 'shaft', 'handles']);
    expect(byId(marks, 'crosshair-left')).toMatchObject({ type: 'line', from: [86, 120], to: [97, 120], tagged: true });
    expect(byId(marks, 'shaft')).toMatchObject({ from: [20, 20], to: [100, 120], stroke: { width: 1.75, dash: undefined } });
    expect(byId(marks, 'handles')).toMatchObject({
      points: [
        [100, 120],
        [20, 20],
      ],
      fill: '#ffd400',
      radius: 3.5,
    });
  });

  it('interpolated and held frames are dashed with hollow handles (finer dashes on the short arms)', () => {
    for (const source of ['interpolated', 'held'] as const) {
      const marks = marksOf(track({ source, geometry: { tip: { x: 50, y: 60 }, hub: { x: 10, y: 10 } } }));
      expect((byId(marks, 'shaft') as { stroke: { dash: string } }).stroke.dash).toBe('6,4');
      expect((byId(marks, 'crosshair-up') as { stroke: { dash: string } }).stroke.dash).toBe('3,2');
      expect(byId(marks, 'handles')).toMatchObject({ fill: 'transparent' });
    }
  });

  it('selection or hover thickens the line; a contour shows its vertex handles only under the pointer', () => {
    expect(drawStyle(track({ selected: true }), false).lineWidth).toBe(2.5);
    const contour = track({
      kind: 'contrastSpread',
      geometry: {
        contour: [
          { x: 0, y: 0 },
          { x: 40, y: 0 },
          { x: 40, y: 30 },
        ],
      },
      color: '#40c4ff',
    });
    expect(byId(marksOf(contour), 'handles')).toBeUndefined();
    expect(byId(marksOf(contour, true), 'handles')).toMatchObject({ radius: 2 });
    const area = byId(marksOf(contour), 'area');
    expect(area).toMatchObject({ type: 'text', lines: ['Area 600 px² (uncalibrated)'], at: [86, 0], fontSize: 13 });
    expect(byId(marksOf(contour), 'contour')).toMatchObject({ closed: true, fill: { color: '#40c4ff', opacity: 0.12 }, tagged: true });
  });

  it('puts the area label left of a contour at the right edge', () => {
    const contour = track({
      kind: 'contrastSpread',
      geometry: {
        contour: [
          { x: 150, y: 10 },
          { x: 190, y: 10 },
          { x: 190, y: 40 },
        ],
      },
    });
    const at = (byId(marksOf(contour), 'area') as { at: readonly [number, number] }).at;
    expect(at[0]).toBe(300 - 6 - 'Area 600 px² (uncalibrated)'.length * 7);
  });

  it('target: ring scaled with the view, centre cross and handle', () => {
    const marks = marksOf(track({ kind: 'target', geometry: { center: { x: 20, y: 30 }, radiusPx: 12 }, source: 'held' }));
    expect(byId(marks, 'ring')).toMatchObject({ type: 'circle', centre: [40, 60], radius: 24, stroke: { dash: '6,4' }, tagged: true });
    expect(byId(marks, 'centre-h')).toMatchObject({ from: [35, 60], to: [45, 60], stroke: { width: 1.25 } });
  });

  it('arrow: solid head, handles only when emphasised, text at the tail', () => {
    const arrow = track({
      kind: 'arrow',
      geometry: { from: { x: 10, y: 10 }, to: { x: 50, y: 50 } },
      text: 'L5 root',
      source: 'interpolated',
    });
    const marks = marksOf(arrow);
    expect((byId(marks, 'head-a') as { stroke: { dash?: string } }).stroke.dash).toBeUndefined();
    expect(byId(marks, 'handles')).toBeUndefined();
    expect(byId(marks, 'text')).toMatchObject({ lines: ['L5 root'], at: [14, -4], fontSize: 14 });
    expect(byId(marksOf({ ...arrow, selected: true }), 'handles')).toBeDefined();
  });

  it('caption: at its position, else its default place; "(empty caption)" for no text', () => {
    const placed = track({ kind: 'caption', geometry: { position: { x: 5, y: 6 } }, text: 'contrast outlines L5' });
    expect(byId(marksOf(placed), 'caption')).toMatchObject({ at: [10, 12], fontSize: 16, tagged: true });
    const unplaced = track({ kind: 'caption', geometry: {}, text: '', defaultPosition: defaultCaptionPosition(500, 1) });
    expect(captionAnchor(unplaced)).toEqual({ x: 20, y: 130 });
    expect(byId(marksOf(unplaced), 'caption')).toMatchObject({ lines: ['(empty caption)'], at: [40, 260] });
    expect(byId(marksOf(unplaced), 'handles')).toBeUndefined();
  });

  it('draws every kind, in a fixed order', () => {
    expect([...DRAW_ORDER].sort()).toEqual([...TRACK_KINDS].sort());
  });
});

/** A Canvas2D stand-in that records what is drawn. */
function recordingContext() {
  const calls: Array<{ op: string; args: unknown[]; state: Record<string, unknown> }> = [];
  const state: Record<string, unknown> = { lineDash: [] };
  const stack: Record<string, unknown>[] = [];
  const record =
    (op: string) =>
    (...args: unknown[]) => {
      calls.push({ op, args, state: { ...state } });
    };
  const ctx = new Proxy(state, {
    get(target, key: string) {
      if (key === 'save') return () => stack.push({ ...target });
      if (key === 'restore') return () => Object.assign(target, stack.pop());
      if (key === 'setLineDash') return (dash: number[]) => (target.lineDash = dash);
      if (key === 'measureText')
        return (text: string) => ({ width: text.length * 8, fontBoundingBoxAscent: 12, fontBoundingBoxDescent: 3 });
      if (['beginPath', 'moveTo', 'lineTo', 'arc', 'stroke', 'fill', 'fillRect', 'fillText'].includes(key)) return record(key);
      return target[key];
    },
    set(target, key: string, value) {
      target[key] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as MarkContext, calls };
}

describe('marks on a canvas, as the SVG draws them', () => {
  it('strokes lines with the same width and dash pattern', () => {
    const { ctx, calls } = recordingContext();
    drawMarksCanvas(ctx, marksOf(track({ source: 'interpolated', geometry: { tip: { x: 50, y: 60 }, hub: { x: 10, y: 10 } } })));
    const strokes = calls.filter((c) => c.op === 'stroke');
    // 4 arms, the shaft, and 2 hollow handles.
    expect(strokes).toHaveLength(7);
    expect(strokes.slice(0, 4).every((s) => JSON.stringify(s.state.lineDash) === '[3,2]')).toBe(true);
    expect(strokes[4].state).toMatchObject({ lineDash: [6, 4], lineWidth: 1.75, strokeStyle: '#ffd400', miterLimit: 4, lineCap: 'butt' });
    expect(strokes[5].state).toMatchObject({ lineDash: [], lineWidth: 2 });
    expect(calls.filter((c) => c.op === 'fill')).toHaveLength(0);
  });

  it('fills keyframe handles and the contour at 12 %', () => {
    const { ctx, calls } = recordingContext();
    drawMarksCanvas(
      ctx,
      marksOf(
        track({
          kind: 'contrastSpread',
          geometry: {
            contour: [
              { x: 0, y: 0 },
              { x: 40.04, y: 0 },
              { x: 40, y: 30 },
            ],
          },
        }),
        true,
      ),
    );
    const fills = calls.filter((c) => c.op === 'fill');
    expect(fills[0].state).toMatchObject({ globalAlpha: 0.12 });
    expect(fills.length).toBe(4);
    // Points rounded to 0.1 px as in the SVG points attribute; the closing point as given.
    expect(
      calls
        .filter((c) => c.op === 'lineTo')
        .slice(0, 3)
        .map((c) => c.args),
    ).toEqual([
      [80.1, 0],
      [80, 60],
      [0, 0],
    ]);
  });

  it('lays text out like drawTextBox: 1.2 em per line, the box from ascent to descent, a dark shadow under it', () => {
    const layout = textBoxLayout({ lines: ['ab', 'abcd'], at: [10, 20], fontSize: 10 }, (line) => ({
      width: line.length * 5,
      ascent: 9,
      descent: 2,
    }));
    expect(layout.baselines).toEqual([32, 44]);
    expect(layout.box).toEqual({ x: 10, y: 23, width: 20, height: 23 });
    const { ctx, calls } = recordingContext();
    const boxes = drawMarksCanvas(ctx, marksOf(track({ kind: 'caption', geometry: { position: { x: 5, y: 6 } }, text: 'hi' })));
    const round = (v: unknown) => Number((v as number).toFixed(6));
    const box = boxes.get('caption')!;
    expect([box.x, box.y, box.width, box.height].map(round)).toEqual([10, 19.2, 16, 15]);
    const texts = calls.filter((c) => c.op === 'fillText');
    expect(texts.map((c) => [round(c.args[1]), round(c.args[2]), c.state.fillStyle])).toEqual([
      [10.5, 31.7, darkenedColour('#ffd400', 0.2)],
      [10, 31.2, '#ffd400'],
    ]);
    expect(calls.find((c) => c.op === 'fillRect')?.state.fillStyle).toBe('rgba(0, 0, 0, 0.55)');
  });

  it('reads colours and dash patterns as SVG does', () => {
    expect(parseColour('#fd0')).toEqual([255, 221, 0, 1]);
    expect(parseColour('rgba(0, 0, 0, 0.55)')).toEqual([0, 0, 0, 0.55]);
    expect(parseColour('orange')).toBeNull();
    // 20 % in linear light is much lighter than 20 % of the sRGB value.
    expect(darkenedColour('#ffffff', 0.2)).toBe('rgba(124, 124, 124, 1)');
    expect(dashArray('6,4')).toEqual([6, 4]);
    expect(dashArray('3 2')).toEqual([3, 2]);
    expect(dashArray(undefined)).toEqual([]);
  });
});
