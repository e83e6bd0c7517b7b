/**
 * How the screen is shared between the picture and the panels: whether the runs list and the
 * right-hand panel are folded to a strip, and presentation mode. Never undone; the fold choices
 * are remembered in localStorage (they hold no patient data), presentation is not.
 *
 * Until the user folds or unfolds a panel, both start folded: the picture gets the screen (a
 * 1920 px window with both panels open leaves the image under 60 % of it, two panes side by side
 * at 1280 px under 30 %). A choice the user made is kept per panel and per arrangement (one pane,
 * or two side by side), so opening the panels to work on one run does not squeeze the comparison.
 */
import { createStore } from './createStore';

export type Panel = 'runs' | 'analysis';
/** One pane, or two side by side. */
export type Arrangement = 'single' | 'sideBySide';
type FoldChoices = Readonly<Partial<Record<Panel, boolean>>>;

export interface LayoutState {
  /** The user's choice per arrangement and panel: true folded, false open, absent: the default (folded). */
  readonly folded: Readonly<Record<Arrangement, FoldChoices>>;
  /** Presentation mode: only the picture, a slim play bar and the annotations. */
  readonly presentation: boolean;
}

const STORAGE_KEY = 'fluorolens:layout';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage refused (e.g. a sandboxed frame): the defaults hold, nothing is remembered.
    return null;
  }
}

/** Keeps only well-formed choices: whatever else is stored (an older or damaged entry) is ignored. */
function choicesOf(value: unknown): FoldChoices {
  const choices: Partial<Record<Panel, boolean>> = {};
  if (!value || typeof value !== 'object') return choices;
  for (const panel of ['runs', 'analysis'] as const) {
    const folded = (value as Record<string, unknown>)[panel];
    if (typeof folded === 'boolean') choices[panel] = folded;
  }
  return choices;
}

function remembered(): LayoutState['folded'] {
  try {
    const parsed = JSON.parse(storage()?.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown> | null;
    return { single: choicesOf(parsed?.single), sideBySide: choicesOf(parsed?.sideBySide) };
  } catch {
    return { single: {}, sideBySide: {} };
  }
}

export const layout = createStore<LayoutState>({ folded: remembered(), presentation: false });

/** Whether a panel shows as a strip now, in this arrangement. */
export function isFolded(panel: Panel, arrangement: Arrangement, state: LayoutState = layout.getState()): boolean {
  return state.folded[arrangement][panel] ?? true;
}

export function setFolded(panel: Panel, arrangement: Arrangement, folded: boolean): void {
  const current = layout.getState().folded;
  const next = { ...current, [arrangement]: { ...current[arrangement], [panel]: folded } };
  layout.setState({ folded: next });
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Full or refused storage: the choice holds for this visit only.
  }
}

export function toggleFolded(panel: Panel, arrangement: Arrangement): void {
  setFolded(panel, arrangement, !isFolded(panel, arrangement));
}

export function setPresentation(on: boolean): void {
  layout.setState({ presentation: on });
}
