import { describe, expect, it } from 'vitest';
import { VIEW_THRESHOLDS, nameView, viewKey } from '../../src/imaging/views';
import { readTruths } from '../support/samples';

const at = (primaryAngleDeg: number, secondaryAngleDeg = 0) => ({ primaryAngleDeg, secondaryAngleDeg });

describe('naming a view from positioner angles', () => {
  it.each([
    [0, 0, 'AP'],
    [0, 8, 'AP'],
    [0, -15, 'AP, caudal tilt 15°'],
    [-12, 20, 'AP, cranial tilt 20°'],
    [15, 0, 'AP'],
    [180, 0, 'PA'],
    [-170, 0, 'PA'],
    [90, 0, 'left lateral'],
    [-90, 0, 'right lateral'],
    [75, 0, 'left lateral'],
    [-105, 12, 'right lateral, cranial tilt 12°'],
    [370, 0, 'AP'],
  ])('primary %s°, secondary %s° → %s', (primary, secondary, name) => {
    expect(nameView(at(primary, secondary), 'right').name).toBe(name);
  });

  it('uses the documented thresholds', () => {
    expect(VIEW_THRESHOLDS).toEqual({
      frontalMaxDeg: 15,
      lateralMinDeg: 75,
      lateralMaxDeg: 105,
      posteriorFrontalMinDeg: 165,
      tiltMinDeg: 10,
      cloMinDeg: 35,
      cloMaxDeg: 65,
    });
    expect(nameView(at(15.1), 'left').family).toBe('oblique');
    expect(nameView(at(74.9), 'left').family).toBe('oblique');
    expect(nameView(at(0, 9.9), 'left').tilt).toBeNull();
  });

  it('names an oblique by the side the detector turned to, relative to the case side', () => {
    expect(nameView(at(25, -10), 'left')).toMatchObject({
      family: 'oblique',
      name: 'LAO 25° ipsilateral oblique, caudal tilt 10°',
      short: 'ipsilateral oblique',
      detectorSide: 'left',
      relation: 'ipsilateral',
      obliquityDeg: 25,
      clo: false,
    });
    expect(nameView(at(25), 'right')).toMatchObject({ short: 'contralateral oblique', relation: 'contralateral' });
    expect(nameView(at(-20), 'right').name).toBe('RAO 20° ipsilateral oblique');
  });

  it('calls a contralateral oblique of about 50° CLO', () => {
    expect(nameView(at(-50), 'left')).toMatchObject({ name: 'RAO 50° CLO', short: 'CLO', clo: true });
    expect(nameView(at(-30), 'left')).toMatchObject({ short: 'contralateral oblique', clo: false });
    expect(nameView(at(50), 'left')).toMatchObject({ short: 'ipsilateral oblique', clo: false });
    expect(nameView(at(-65), 'left').clo).toBe(true);
    expect(nameView(at(-66), 'left').clo).toBe(false);
  });

  it('cannot say ipsilateral or contralateral without a side; a bilateral case has both', () => {
    expect(nameView(at(40), 'midline')).toMatchObject({ short: 'oblique', relation: null, clo: false });
    expect(nameView(at(40), null)).toMatchObject({ short: 'oblique', relation: null });
    expect(nameView(at(-50), 'bilateral')).toMatchObject({ short: 'oblique', relation: 'either', clo: true });
  });

  it('names posterior obliques and says when the file has no angles', () => {
    expect(nameView(at(135), 'left')).toMatchObject({
      family: 'oblique',
      obliquityDeg: 45,
      name: 'LAO 135° ipsilateral oblique (posterior oblique)',
    });
    expect(nameView(null, 'left')).toMatchObject({ family: 'unknown', name: 'view unknown (no positioner angles)' });
  });

  it('tells views apart for the two-views rule', () => {
    expect(viewKey(nameView(at(0, -15), 'left'))).toBe(viewKey(nameView(at(180), 'left')));
    expect(viewKey(nameView(at(25), 'left'))).not.toBe(viewKey(nameView(at(-25), 'left')));
    expect(viewKey(nameView(at(90), 'left'))).toBe('lateral');
  });

  it('names the sample runs as their descriptions do', () => {
    const side = { 'l4-tfesi-ap-512': 'right', 'l5-tfesi-1024-rle': 'left', 'l3-mbb-ftv': 'right', 's1-caudal-series': 'right' } as const;
    const names = Object.fromEntries(
      readTruths()
        .filter((t) => t.run in side)
        .map((t) => [t.run, nameView(t.positioner, side[t.run as keyof typeof side]).name]),
    );
    expect(names).toEqual({
      'l4-tfesi-ap-512': 'AP',
      'l5-tfesi-1024-rle': 'LAO 25° ipsilateral oblique, caudal tilt 10°',
      'l3-mbb-ftv': 'RAO 20° ipsilateral oblique',
      's1-caudal-series': 'AP, caudal tilt 15°',
    });
  });
});
