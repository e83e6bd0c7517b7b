/**
 * The procedure's views: which views the field expects for the case record's procedure
 * (DESIGN.md, "What the field expects"), filled from the open runs' positioner angles; the
 * "two views: needle + contrast" badge payers ask for; and whether the vascular-uptake flags
 * agree with the case record's contrast patterns.
 */
import { nameView, viewKey, type NamedView, type ProcedureSide } from '../../imaging/views';
import { PROCEDURE_NAMES, type CaseRecord, type ContrastPattern, type ProcedureId } from './caseRecord';
import { VASCULAR_UPTAKE_NAMES, type VascularFlag } from './runMarks';
import type { AnnotationDocument } from './types';

type Match = 'yes' | 'no' | 'unknown';

export interface ViewRequirement {
  readonly id: string;
  /** As the checklist shows it, e.g. "ipsilateral oblique". */
  readonly label: string;
  readonly matches: (view: NamedView) => Match;
}

/** What the checklist needs to know about one open run. */
export interface ChecklistRun {
  /** Stable key of the open run (the UI's run key). */
  readonly key: string;
  /** How the UI names the run, e.g. "Series 2: L5 TFESI oblique". */
  readonly label: string;
  readonly positioner: { primaryAngleDeg: number; secondaryAngleDeg: number } | null;
  /** Whether the run's annotations hold a needle tip (a keyframe) and a contrast spread. */
  readonly hasNeedleTip: boolean;
  readonly hasContrastSpread: boolean;
}

export interface ChecklistItem {
  readonly id: string;
  readonly label: string;
  /** satisfied: some run shows this view; unknown: a run might, but its angles or the case's side do not say. */
  readonly status: 'satisfied' | 'missing' | 'unknown';
  /** The runs that show it (satisfied), or might (unknown), each with its view. */
  readonly runs: ReadonlyArray<{ readonly key: string; readonly label: string; readonly view: string }>;
  readonly note?: string;
}

export interface ViewChecklist {
  /** E.g. "Lumbar transforaminal epidural steroid injection: AP, ipsilateral oblique, lateral". */
  readonly title: string;
  readonly items: readonly ChecklistItem[];
  readonly complete: boolean;
  /** Where the list comes from when DESIGN.md gives none for the procedure. */
  readonly note?: string;
}

// ---- requirements ------------------------------------------------------------------------------

const yesNo = (condition: boolean): Match => (condition ? 'yes' : 'no');

const AP: ViewRequirement = { id: 'ap', label: 'AP', matches: (v) => yesNo(v.family === 'frontal') };
const LATERAL: ViewRequirement = { id: 'lateral', label: 'lateral', matches: (v) => yesNo(v.family === 'lateral') };
const OBLIQUE: ViewRequirement = { id: 'oblique', label: 'oblique', matches: (v) => yesNo(v.family === 'oblique') };
const SCOTTY_DOG: ViewRequirement = { ...OBLIQUE, label: 'oblique ("Scotty dog")' };
const IPSILATERAL_OBLIQUE: ViewRequirement = {
  id: 'ipsilateralOblique',
  label: 'ipsilateral oblique',
  matches: (v) =>
    v.family !== 'oblique'
      ? 'no'
      : v.relation === 'ipsilateral' || v.relation === 'either'
        ? 'yes'
        : v.relation === null
          ? 'unknown'
          : 'no',
};
const FORAMINAL_OBLIQUE: ViewRequirement = { ...IPSILATERAL_OBLIQUE, id: 'foraminalOblique', label: 'foraminal (ipsilateral) oblique' };
const CLO: ViewRequirement = {
  id: 'clo',
  label: 'contralateral oblique (~50°, CLO)',
  matches: (v) => (v.family !== 'oblique' ? 'no' : v.clo ? 'yes' : v.relation === null ? 'unknown' : 'no'),
};
const AP_OR_LATERAL: ViewRequirement = {
  id: 'apOrLateral',
  label: 'AP or lateral',
  matches: (v) => yesNo(v.family === 'frontal' || v.family === 'lateral'),
};
const LATERAL_OR_CLO: ViewRequirement = {
  id: 'lateralOrClo',
  label: 'lateral or CLO',
  matches: (v) => (v.family === 'lateral' ? 'yes' : CLO.matches(v)),
};
const OBLIQUE_CRANIAL_TILT: ViewRequirement = {
  id: 'obliqueCranialTilt',
  label: 'oblique with cephalad tilt',
  matches: (v) => yesNo(v.family === 'oblique' && v.tilt?.direction === 'cranial'),
};

interface ProcedureViews {
  readonly requirements: readonly ViewRequirement[];
  readonly note?: string;
}

/** DESIGN.md's view sets; where it gives none, common practice, and the note says so. */
function viewsFor(procedure: ProcedureId, cervical: boolean): ProcedureViews {
  switch (procedure) {
    case 'transforaminalEsi':
      return { requirements: cervical ? [FORAMINAL_OBLIQUE, AP] : [AP, IPSILATERAL_OBLIQUE, LATERAL] };
    case 'interlaminarEsi':
      return { requirements: [AP, CLO] };
    case 'caudalEsi':
      return { requirements: [AP, LATERAL] };
    case 'medialBranchBlock':
    case 'radiofrequencyAblation':
      return { requirements: [AP, SCOTTY_DOG, LATERAL] };
    case 'facetJointInjection':
      return { requirements: [OBLIQUE, AP_OR_LATERAL] };
    case 'sacroiliacJointInjection':
      return { requirements: [OBLIQUE_CRANIAL_TILT, AP_OR_LATERAL] };
    case 'spinalCordStimulatorLead':
    case 'drgStimulatorLead':
      return { requirements: [AP, LATERAL_OR_CLO] };
    case 'lateralBranchBlock':
      return { requirements: [AP], note: 'DESIGN.md names no view set for lateral branch blocks; AP is the usual one' };
    case 'stellateGanglionBlock':
      return {
        requirements: [AP, IPSILATERAL_OBLIQUE],
        note: 'DESIGN.md names no view set for stellate ganglion blocks; AP and an ipsilateral oblique are usual',
      };
    case 'lumbarSympatheticBlock':
      return {
        requirements: [AP, IPSILATERAL_OBLIQUE, LATERAL],
        note: 'DESIGN.md names no view set for lumbar sympathetic blocks; AP, an ipsilateral oblique and a lateral (depth at the anterior vertebral margin) are usual',
      };
  }
}

function isCervical(levels: readonly string[]): boolean {
  return levels.some((level) => level.startsWith('C') && !level.startsWith('Co'));
}

/** The views the case's procedure expects, or null when the case record names no procedure. */
export function expectedViews(
  record: Pick<CaseRecord, 'procedure' | 'levels'>,
): { title: string; requirements: readonly ViewRequirement[]; note?: string } | null {
  if (!record.procedure) return null;
  const cervical = isCervical(record.levels);
  const { requirements, note } = viewsFor(record.procedure, cervical);
  const name = PROCEDURE_NAMES[record.procedure];
  const region = record.procedure === 'transforaminalEsi' ? (cervical ? 'Cervical ' : 'Lumbar ') : '';
  const title = `${region}${region ? name[0].toLowerCase() + name.slice(1) : name}: ${requirements.map((r) => r.label).join(', ')}`;
  return note ? { title, requirements, note } : { title, requirements };
}

/** The checklist for the case record's procedure, filled from the open runs; null without a procedure. */
export function viewChecklist(
  record: Pick<CaseRecord, 'procedure' | 'levels' | 'side'>,
  runs: readonly ChecklistRun[],
): ViewChecklist | null {
  const expected = expectedViews(record);
  if (!expected) return null;
  const views = runs.map((run) => ({ run, view: nameView(run.positioner, record.side as ProcedureSide) }));
  const items = expected.requirements.map((requirement): ChecklistItem => {
    // A run without angles might show any view.
    const match = (view: NamedView): Match => (view.family === 'unknown' ? 'unknown' : requirement.matches(view));
    const yes = views.filter(({ view }) => match(view) === 'yes');
    const maybe = views.filter(({ view }) => match(view) === 'unknown');
    const listed = (list: typeof views) => list.map(({ run, view }) => ({ key: run.key, label: run.label, view: view.name }));
    if (yes.length > 0) return { id: requirement.id, label: requirement.label, status: 'satisfied', runs: listed(yes) };
    if (maybe.length > 0) {
      const why = maybe.some(({ view }) => view.family === 'unknown')
        ? 'a run has no positioner angles, so its view is unknown'
        : 'the case record gives no side, so ipsilateral and contralateral cannot be told apart';
      return { id: requirement.id, label: requirement.label, status: 'unknown', runs: listed(maybe), note: why };
    }
    return { id: requirement.id, label: requirement.label, status: 'missing', runs: [] };
  });
  const checklist: ViewChecklist = { title: expected.title, items, complete: items.every((item) => item.status === 'satisfied') };
  return expected.note ? { ...checklist, note: expected.note } : checklist;
}

// ---- two views: needle + contrast --------------------------------------------------------------

export const TWO_VIEWS_BADGE = 'two views: needle + contrast';

export type TwoViewsBadge =
  | { readonly earned: true; readonly text: typeof TWO_VIEWS_BADGE; readonly runs: readonly [string, string] }
  | { readonly earned: false; readonly text: string; readonly missing: readonly string[] };

/** Whether the run's annotations hold a needle tip and a contrast spread (at least one keyframe each). */
export function runEvidence(
  doc: AnnotationDocument,
  onFrames?: ReadonlySet<number>,
): Pick<ChecklistRun, 'hasNeedleTip' | 'hasContrastSpread'> {
  // onFrames: only keyframes on these frames count (the images of one view in a series).
  const has = (kind: 'needleTip' | 'contrastSpread') =>
    doc.tracks.some((t) => t.kind === kind && t.keyframes.some((k) => !onFrames || onFrames.has(k.frame)));
  return { hasNeedleTip: has('needleTip'), hasContrastSpread: has('contrastSpread') };
}

/**
 * Earned when two runs in different views (viewKey) each hold a needle tip and a contrast
 * spread; else says what is missing, in the order a physician would fix it.
 */
export function twoViewsBadge(runs: readonly ChecklistRun[], side: ProcedureSide = null): TwoViewsBadge {
  const complete = runs.filter((r) => r.hasNeedleTip && r.hasContrastSpread).map((run) => ({ run, view: nameView(run.positioner, side) }));
  const known = complete.filter(({ view }) => view.family !== 'unknown');
  for (let i = 0; i < known.length; i++) {
    for (let j = i + 1; j < known.length; j++) {
      if (viewKey(known[i].view) !== viewKey(known[j].view))
        return { earned: true, text: TWO_VIEWS_BADGE, runs: [known[i].run.key, known[j].run.key] };
    }
  }
  const missing: string[] = [];
  if (complete.length === 0) {
    missing.push('no run shows both a needle tip and a contrast spread');
    for (const run of runs) {
      if (run.hasNeedleTip && !run.hasContrastSpread) missing.push(`${run.label} has a needle tip but no contrast spread`);
      if (!run.hasNeedleTip && run.hasContrastSpread) missing.push(`${run.label} has a contrast spread but no needle tip`);
    }
  } else {
    const unknown = complete.filter(({ view }) => view.family === 'unknown');
    for (const { run } of unknown) missing.push(`${run.label} has no positioner angles, so its view is unknown`);
    if (known.length > 0) {
      const shown = [...new Set(known.map(({ view }) => view.short))].join(', ');
      missing.push(`needle tip and contrast spread are shown in one view only (${shown}); a second view is needed`);
    }
    for (const run of runs) {
      if (complete.some((c) => c.run === run)) continue;
      if (run.hasNeedleTip && !run.hasContrastSpread) missing.push(`${run.label} has a needle tip but no contrast spread`);
      if (!run.hasNeedleTip && run.hasContrastSpread) missing.push(`${run.label} has a contrast spread but no needle tip`);
    }
  }
  return { earned: false, text: `${TWO_VIEWS_BADGE}: not yet`, missing };
}

// ---- vascular flags vs the case record ----------------------------------------------------------

export interface FlagOnRun {
  readonly runLabel: string;
  readonly flag: VascularFlag;
}

export interface VascularAgreement {
  /** agree: flags and record say the same; mismatch: they contradict; review: an uncertain flag awaits a decision. */
  readonly status: 'agree' | 'mismatch' | 'review';
  readonly messages: readonly string[];
}

const PATTERN_OF = { arterial: 'intravascularArterial', venous: 'intravascularVenous' } as const satisfies Record<string, ContrastPattern>;

/**
 * Compares the flags on the case's runs with the case record's intravascular patterns: every
 * arterial/venous flag needs the matching pattern, every intravascular pattern at least one
 * flag of that kind (or an uncertain one, which then asks for review).
 */
export function vascularAgreement(record: Pick<CaseRecord, 'contrastPatterns'>, flags: readonly FlagOnRun[]): VascularAgreement {
  const mismatches: string[] = [];
  const reviews: string[] = [];
  const frames = (f: VascularFlag) => (f.from === f.to ? `frame ${f.from}` : `frames ${f.from}–${f.to}`);
  for (const uptake of ['arterial', 'venous'] as const) {
    const pattern = PATTERN_OF[uptake];
    const flagged = flags.filter((f) => f.flag.uptake === uptake);
    const recorded = record.contrastPatterns.includes(pattern);
    if (flagged.length > 0 && !recorded) {
      for (const { runLabel, flag } of flagged)
        mismatches.push(
          `${runLabel}, ${frames(flag)}: flagged ${VASCULAR_UPTAKE_NAMES[uptake]} uptake, but the case record does not list intravascular, ${uptake}`,
        );
    }
    if (recorded && flagged.length === 0) {
      const uncertain = flags.filter((f) => f.flag.uptake === 'uncertain');
      if (uncertain.length > 0)
        reviews.push(
          `the case record lists intravascular, ${uptake}; the only flags are uncertain (${uncertain.map((u) => `${u.runLabel}, ${frames(u.flag)}`).join('; ')})`,
        );
      else mismatches.push(`the case record lists intravascular, ${uptake}, but no frames are flagged ${uptake} uptake`);
    }
  }
  const uncertainOnly = flags.filter((f) => f.flag.uptake === 'uncertain');
  const anyIntravascular = record.contrastPatterns.some((p) => p === 'intravascularArterial' || p === 'intravascularVenous');
  if (uncertainOnly.length > 0 && !anyIntravascular) {
    for (const { runLabel, flag } of uncertainOnly)
      reviews.push(`${runLabel}, ${frames(flag)}: flagged uncertain vascular uptake; the case record lists no intravascular pattern`);
  }
  if (mismatches.length > 0) return { status: 'mismatch', messages: [...mismatches, ...reviews] };
  if (reviews.length > 0) return { status: 'review', messages: reviews };
  if (flags.length === 0) return { status: 'agree', messages: ['no vascular uptake flagged, and none recorded'] };
  return { status: 'agree', messages: ['the vascular-uptake flags and the case record agree'] };
}
