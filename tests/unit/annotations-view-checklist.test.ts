import { describe, expect, it } from 'vitest';
import {
  TWO_VIEWS_BADGE,
  addTrack,
  applyCommand,
  createDocument,
  createTrack,
  expectedViews,
  runEvidence,
  setKeyframe,
  twoViewsBadge,
  vascularAgreement,
  viewChecklist,
  type ChecklistRun,
  type VascularFlag,
} from '../../src/annotations/model';

const run = (key: string, primary: number | null, secondary = 0, evidence: Partial<ChecklistRun> = {}): ChecklistRun => ({
  key,
  label: `Run ${key}`,
  positioner: primary === null ? null : { primaryAngleDeg: primary, secondaryAngleDeg: secondary },
  hasNeedleTip: false,
  hasContrastSpread: false,
  ...evidence,
});
const both = { hasNeedleTip: true, hasContrastSpread: true };
const statuses = (checklist: ReturnType<typeof viewChecklist>) =>
  checklist?.items.map((i) => [i.label, i.status, i.runs.map((r) => r.key)]);

describe('the procedure view checklist', () => {
  it('lumbar TFESI: AP, ipsilateral oblique, lateral, filled from the runs', () => {
    const record = { procedure: 'transforaminalEsi', levels: ['L5-S1'], side: 'right' } as const;
    const partial = viewChecklist(record, [run('a', 0, 8), run('b', -25, -10), run('c', 25)]);
    expect(partial?.title).toBe('Lumbar transforaminal epidural steroid injection: AP, ipsilateral oblique, lateral');
    expect(statuses(partial)).toEqual([
      ['AP', 'satisfied', ['a']],
      ['ipsilateral oblique', 'satisfied', ['b']],
      ['lateral', 'missing', []],
    ]);
    expect(partial?.items[1].runs[0].view).toBe('RAO 25° ipsilateral oblique, caudal tilt 10°');
    expect(partial?.complete).toBe(false);
    const complete = viewChecklist(record, [run('a', 0), run('b', -25), run('d', -90)]);
    expect(complete?.complete).toBe(true);
  });

  it('cervical TFESI: foraminal oblique and AP', () => {
    expect(expectedViews({ procedure: 'transforaminalEsi', levels: ['C5-C6'] })?.title).toBe(
      'Cervical transforaminal epidural steroid injection: foraminal (ipsilateral) oblique, AP',
    );
  });

  it('interlaminar: AP and a contralateral oblique of about 50°', () => {
    const record = { procedure: 'interlaminarEsi', levels: ['C7-T1'], side: 'left' } as const;
    expect(statuses(viewChecklist(record, [run('a', 0), run('b', -50), run('c', -25)]))).toEqual([
      ['AP', 'satisfied', ['a']],
      ['contralateral oblique (~50°, CLO)', 'satisfied', ['b']],
    ]);
    expect(statuses(viewChecklist(record, [run('a', 0), run('c', 50)]))?.[1]).toEqual(['contralateral oblique (~50°, CLO)', 'missing', []]);
    const midline = viewChecklist({ ...record, side: 'midline' }, [run('a', 0), run('b', -50)]);
    expect(midline?.items[1]).toMatchObject({ status: 'unknown', runs: [{ key: 'b' }], note: expect.stringMatching(/no side/) });
  });

  it('a run without positioner angles can only be "unknown"', () => {
    const checklist = viewChecklist({ procedure: 'caudalEsi', levels: [], side: 'midline' }, [run('a', null)]);
    expect(checklist?.items.map((i) => i.status)).toEqual(['unknown', 'unknown']);
    expect(checklist?.items[0].note).toBe('a run has no positioner angles, so its view is unknown');
  });

  it('knows every procedure, and says where DESIGN.md gives no view set', () => {
    const titles = (
      [
        'medialBranchBlock',
        'radiofrequencyAblation',
        'facetJointInjection',
        'sacroiliacJointInjection',
        'spinalCordStimulatorLead',
        'drgStimulatorLead',
        'lateralBranchBlock',
        'stellateGanglionBlock',
        'lumbarSympatheticBlock',
      ] as const
    ).map((procedure) => expectedViews({ procedure, levels: [] })?.title.split(': ')[1]);
    expect(titles).toEqual([
      'AP, oblique ("Scotty dog"), lateral',
      'AP, oblique ("Scotty dog"), lateral',
      'oblique, AP or lateral',
      'oblique with cephalad tilt, AP or lateral',
      'AP, lateral or CLO',
      'AP, lateral or CLO',
      'AP',
      'AP, ipsilateral oblique',
      'AP, ipsilateral oblique, lateral',
    ]);
    expect(viewChecklist({ procedure: 'lateralBranchBlock', levels: [], side: null }, [])?.note).toMatch(/DESIGN.md names no view set/);
    expect(viewChecklist({ procedure: null, levels: [], side: null }, [run('a', 0)])).toBeNull();
  });

  it('SI joint needs the cephalad tilt; SCS leads take a lateral or a CLO', () => {
    const si = { procedure: 'sacroiliacJointInjection', levels: [], side: 'left' } as const;
    expect(viewChecklist(si, [run('a', -20, 0)])?.items[0].status).toBe('missing');
    expect(viewChecklist(si, [run('a', -20, 15)])?.items[0].status).toBe('satisfied');
    const scs = { procedure: 'spinalCordStimulatorLead', levels: ['T8-T10'], side: 'left' } as const;
    expect(viewChecklist(scs, [run('a', 0), run('b', -45)])?.complete).toBe(true);
    expect(viewChecklist(scs, [run('a', 0), run('b', 90)])?.complete).toBe(true);
    expect(viewChecklist(scs, [run('a', 0), run('b', 45)])?.complete).toBe(false);
  });
});

/** What the badge says is missing (empty when earned). */
const missingOf = (...args: Parameters<typeof twoViewsBadge>) => {
  const badge = twoViewsBadge(...args);
  return badge.earned ? [] : badge.missing;
};

describe('the two-views badge', () => {
  it('is earned by two runs in different views, each with a needle tip and a contrast spread', () => {
    expect(twoViewsBadge([run('a', 0, 0, both), run('b', 90, 0, both)])).toEqual({ earned: true, text: TWO_VIEWS_BADGE, runs: ['a', 'b'] });
    expect(twoViewsBadge([run('a', 25, 0, both), run('b', -25, 0, both)], 'left').earned).toBe(true);
  });

  it('says what is missing', () => {
    expect(twoViewsBadge([run('a', 0, 0, both), run('b', 5, -15, both)])).toEqual({
      earned: false,
      text: 'two views: needle + contrast: not yet',
      missing: ['needle tip and contrast spread are shown in one view only (AP); a second view is needed'],
    });
    expect(missingOf([run('a', 0, 0, both), run('b', 90, 0, { hasNeedleTip: true })])).toEqual([
      'needle tip and contrast spread are shown in one view only (AP); a second view is needed',
      'Run b has a needle tip but no contrast spread',
    ]);
    expect(missingOf([run('a', 0, 0, { hasContrastSpread: true }), run('b', 90)])).toEqual([
      'no run shows both a needle tip and a contrast spread',
      'Run a has a contrast spread but no needle tip',
    ]);
    expect(missingOf([run('a', 0, 0, both), run('b', null, 0, both)])).toEqual([
      'Run b has no positioner angles, so its view is unknown',
      'needle tip and contrast spread are shown in one view only (AP); a second view is needed',
    ]);
    expect(missingOf([])).toEqual(['no run shows both a needle tip and a contrast spread']);
  });

  it('reads the evidence from a document: a keyframe of each', () => {
    const empty = createDocument({ studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUIDs: [], frameCount: 10 });
    let doc = applyCommand(empty, addTrack(createTrack(empty, 'needleTip'))).doc;
    doc = applyCommand(doc, addTrack(createTrack(doc, 'contrastSpread'))).doc;
    expect(runEvidence(doc)).toEqual({ hasNeedleTip: false, hasContrastSpread: false });
    doc = applyCommand(doc, setKeyframe('needleTip-1', 3, { tip: { x: 1, y: 1 } })).doc;
    doc = applyCommand(
      doc,
      setKeyframe('contrastSpread-1', 5, {
        contour: [
          { x: 0, y: 0 },
          { x: 4, y: 0 },
          { x: 0, y: 4 },
        ],
      }),
    ).doc;
    expect(runEvidence(doc)).toEqual({ hasNeedleTip: true, hasContrastSpread: true });
  });
});

describe('vascular flags against the case record', () => {
  const flag = (uptake: VascularFlag['uptake'], from: number, to = from): { runLabel: string; flag: VascularFlag } => ({
    runLabel: 'Series 5',
    flag: { id: `v${from}`, uptake, from, to, note: '' },
  });

  it('agree when both say nothing, or both say the same', () => {
    expect(vascularAgreement({ contrastPatterns: ['epidural'] }, [])).toEqual({
      status: 'agree',
      messages: ['no vascular uptake flagged, and none recorded'],
    });
    expect(vascularAgreement({ contrastPatterns: ['epidural', 'intravascularArterial'] }, [flag('arterial', 35, 37)]).status).toBe('agree');
  });

  it('show a mismatch either way', () => {
    expect(vascularAgreement({ contrastPatterns: ['epidural'] }, [flag('arterial', 35, 37)])).toEqual({
      status: 'mismatch',
      messages: ['Series 5, frames 35–37: flagged arterial uptake, but the case record does not list intravascular, arterial'],
    });
    expect(vascularAgreement({ contrastPatterns: ['intravascularVenous'] }, [])).toEqual({
      status: 'mismatch',
      messages: ['the case record lists intravascular, venous, but no frames are flagged venous uptake'],
    });
  });

  it('ask for review when only uncertain flags are there', () => {
    expect(vascularAgreement({ contrastPatterns: [] }, [flag('uncertain', 12)])).toEqual({
      status: 'review',
      messages: ['Series 5, frame 12: flagged uncertain vascular uptake; the case record lists no intravascular pattern'],
    });
    expect(vascularAgreement({ contrastPatterns: ['intravascularVenous'] }, [flag('uncertain', 12)]).status).toBe('review');
  });
});
