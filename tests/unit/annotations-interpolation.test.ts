import { describe, expect, it } from 'vitest';
import {
  createDocument,
  createTrack,
  geometryAt,
  keyframeFromInterpolation,
  nextKeyframe,
  polygonArea,
  previousKeyframe,
  withKeyframe,
  type AnnotationDocument,
  type Point,
} from '../../src/annotations/model';

const doc: AnnotationDocument = createDocument({
  studyInstanceUID: '1.2.3',
  seriesInstanceUID: '1.2.3.4',
  sopInstanceUIDs: ['1.2.3.4.5'],
  frameCount: 30,
});

const p = (x: number, y: number): Point => ({ x, y });

function needle() {
  let track = createTrack(doc, 'needleTip');
  track = withKeyframe(track, 5, { tip: p(100, 200), hub: p(160, 80) });
  track = withKeyframe(track, 15, { tip: p(120, 240), hub: p(180, 120) });
  return withKeyframe(track, 25, { tip: p(130, 250) });
}

function target() {
  let track = createTrack(doc, 'target');
  track = withKeyframe(track, 10, { center: p(140, 260), radiusPx: 10 });
  return withKeyframe(track, 20, { center: p(150, 270), radiusPx: 20 });
}

describe('geometryAt: points', () => {
  it('is exact at keyframes, returning the stored geometry', () => {
    const track = needle();
    const shown = geometryAt(track, 15);
    expect(shown).toEqual({ geometry: { tip: p(120, 240), hub: p(180, 120) }, isKeyframe: true, source: 'keyframe' });
    expect(shown?.geometry).toBe(track.keyframes[1].geometry);
  });

  it('blends tip and hub linearly between keyframes', () => {
    expect(geometryAt(needle(), 10)).toEqual({
      geometry: { tip: p(110, 220), hub: p(170, 100) },
      isKeyframe: false,
      source: 'interpolated',
    });
    const quarter = geometryAt(needle(), 7.5);
    expect(quarter?.geometry.tip).toEqual(p(105, 210));
  });

  it('drops the hub between a keyframe with one and a keyframe without', () => {
    expect(geometryAt(needle(), 20)?.geometry).toEqual({ tip: p(125, 245) });
  });

  it('shows no needle tip before its first or after its last keyframe', () => {
    expect(geometryAt(needle(), 4)).toBeNull();
    expect(geometryAt(needle(), 26)).toBeNull();
    expect(geometryAt(createTrack(doc, 'needleTip'), 1)).toBeNull();
  });

  it('blends target centre and radius, and holds the nearest keyframe outside them', () => {
    const track = target();
    expect(geometryAt(track, 15)?.geometry).toEqual({ center: p(145, 265), radiusPx: 15 });
    expect(geometryAt(track, 1)).toEqual({ geometry: track.keyframes[0].geometry, isKeyframe: false, source: 'held' });
    expect(geometryAt(track, 30)).toEqual({ geometry: track.keyframes[1].geometry, isKeyframe: false, source: 'held' });
  });

  it('blends arrows end by end and shows none outside', () => {
    let track = createTrack(doc, 'arrow', { text: 'L5 root' });
    track = withKeyframe(track, 2, { from: p(0, 0), to: p(10, 10) });
    track = withKeyframe(track, 4, { from: p(10, 0), to: p(20, 30) });
    expect(geometryAt(track, 3)?.geometry).toEqual({ from: p(5, 0), to: p(15, 20) });
    expect(geometryAt(track, 5)).toBeNull();
  });
});

describe('geometryAt: contours and captions', () => {
  it('morphs a contrast spread between keyframes and shows nothing outside', () => {
    let track = createTrack(doc, 'contrastSpread');
    track = withKeyframe(track, 10, { contour: [p(0, 0), p(10, 0), p(10, 10), p(0, 10)] });
    track = withKeyframe(track, 20, { contour: [p(0, 0), p(30, 0), p(30, 30), p(0, 30)] });
    const mid = geometryAt(track, 15);
    expect(mid?.isKeyframe).toBe(false);
    expect(polygonArea(mid?.geometry.contour ?? [])).toBeCloseTo(400, 6);
    expect(geometryAt(track, 9)).toBeNull();
    expect(geometryAt(track, 21)).toBeNull();
  });

  it('shows a caption only within its frame range, with or without a position', () => {
    const bare = createTrack(doc, 'caption', { text: 'contrast outlines the L5 root', range: { from: 8, to: 12 } });
    expect(geometryAt(bare, 7)).toBeNull();
    expect(geometryAt(bare, 8)).toEqual({ geometry: {}, isKeyframe: false, source: 'held' });
    expect(geometryAt(bare, 13)).toBeNull();
    const placed = withKeyframe(bare, 10, { position: p(40, 50) });
    expect(geometryAt(placed, 9)?.geometry).toEqual({ position: p(40, 50) });
    expect(geometryAt(placed, 10)?.isKeyframe).toBe(true);
    expect(geometryAt(placed, 13)).toBeNull();
  });
});

describe('keyframe navigation', () => {
  it('finds the next and previous keyframes strictly after and before a frame', () => {
    const track = needle();
    expect(nextKeyframe(track, 5)?.frame).toBe(15);
    expect(nextKeyframe(track, 1)?.frame).toBe(5);
    expect(nextKeyframe(track, 25)).toBeNull();
    expect(previousKeyframe(track, 15)?.frame).toBe(5);
    expect(previousKeyframe(track, 30)?.frame).toBe(25);
    expect(previousKeyframe(track, 5)).toBeNull();
  });
});

describe('keyframeFromInterpolation', () => {
  it('adds a keyframe holding what the frame shows, in frame order, leaving the neighbours unchanged', () => {
    const track = needle();
    const withNew = keyframeFromInterpolation(track, 10);
    expect(withNew?.keyframes.map((k) => k.frame)).toEqual([5, 10, 15, 25]);
    expect(geometryAt(withNew!, 10)).toEqual({ geometry: { tip: p(110, 220), hub: p(170, 100) }, isKeyframe: true, source: 'keyframe' });
    expect(geometryAt(withNew!, 12)?.geometry).toEqual(geometryAt(track, 12)?.geometry);
    expect(track.keyframes).toHaveLength(3);
  });

  it('returns the same track at a keyframe and null where nothing shows', () => {
    const track = needle();
    expect(keyframeFromInterpolation(track, 5)).toBe(track);
    expect(keyframeFromInterpolation(track, 1)).toBeNull();
  });

  it('can pin a held target position', () => {
    const pinned = keyframeFromInterpolation(target(), 25);
    expect(pinned?.keyframes.map((k) => k.frame)).toEqual([10, 20, 25]);
  });
});
