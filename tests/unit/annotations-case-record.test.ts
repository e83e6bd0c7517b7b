import { describe, expect, it } from 'vitest';
import {
  APPROACH_NAMES,
  CONTRAST_PATTERN_NAMES,
  PROCEDURE_IDS,
  PROCEDURE_NAMES,
  SIDE_NAMES,
  VERTEBRAL_LEVELS,
  emptyCaseRecord,
  isVertebralLevel,
  normalizeVertebralLevel,
} from '../../src/annotations/model';

describe('case record vocabularies', () => {
  it('names exactly the twelve procedures of DESIGN.md', () => {
    expect(PROCEDURE_IDS).toHaveLength(12);
    expect(Object.values(PROCEDURE_NAMES).map((n) => n.toLowerCase())).toEqual([
      'transforaminal epidural steroid injection',
      'interlaminar epidural steroid injection',
      'caudal epidural steroid injection',
      'medial branch block',
      'facet joint injection',
      'sacroiliac joint injection',
      'lateral branch block',
      'stellate ganglion block',
      'lumbar sympathetic block',
      'radiofrequency ablation',
      'spinal cord stimulator lead placement',
      'drg stimulator lead placement',
    ]);
  });

  it('has display names for sides, approaches and the eight contrast patterns', () => {
    expect(Object.keys(SIDE_NAMES)).toEqual(['left', 'right', 'bilateral', 'midline']);
    expect(Object.keys(APPROACH_NAMES)).toContain('transforaminal');
    expect(Object.keys(CONTRAST_PATTERN_NAMES)).toEqual([
      'epidural',
      'perineural',
      'intraArticular',
      'intravascularVenous',
      'intravascularArterial',
      'intrathecal',
      'softTissue',
      'other',
    ]);
  });

  it('starts empty', () => {
    expect(emptyCaseRecord()).toEqual({
      procedure: null,
      levels: [],
      side: null,
      approach: null,
      contrastPatterns: [],
      contrastFirstSeenFrame: null,
      placementConfirmedBeforeMedication: null,
      notes: '',
      injectates: [],
    });
  });
});

describe('vertebral levels', () => {
  it('knows C1–C7, T1–T12, L1–L5, S1–S5 and Co, cranial to caudal', () => {
    expect(VERTEBRAL_LEVELS).toHaveLength(7 + 12 + 5 + 5 + 1);
    expect(VERTEBRAL_LEVELS.slice(0, 2)).toEqual(['C1', 'C2']);
    expect(VERTEBRAL_LEVELS.slice(-3)).toEqual(['S4', 'S5', 'Co']);
  });

  it('accepts levels and cranial-to-caudal ranges, in canonical form', () => {
    for (const level of ['C7', 'T12', 'L4', 'S1', 'Co', 'L4-L5', 'L5-S1', 'C7-T1', 'T8-T10', 'S5-Co']) {
      expect(isVertebralLevel(level)).toBe(true);
    }
  });

  it('normalises case, dashes and spaces', () => {
    expect(normalizeVertebralLevel(' l5 – s1 ')).toBe('L5-S1');
    expect(normalizeVertebralLevel('co')).toBe('Co');
    expect(isVertebralLevel('l4')).toBe(false);
  });

  it('rejects what is not a level', () => {
    for (const text of ['', 'L6', 'C0', 'T13', 'S6', 'X1', 'L5-L4', 'L4-L4', 'L3-L4-L5', 'Co1', 'L']) {
      expect(normalizeVertebralLevel(text)).toBeNull();
    }
  });
});
