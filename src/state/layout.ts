/**
 * How the screen is shared between the picture and the panels: whether the runs list and the
 * right-hand panel are folded to a strip, the timelines' height, and presentation mode. Never
 * undone; the fold choices and the height are remembered in localStorage (they hold no patient
 * data), presentation is not.
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
  /** Each pane's timeline height in CSS pixels (its lanes scroll inside it); the user drags it. */
  readonly timelineHeight: number;
}

/** The timeline's height until the user changes it: its toolbar, the ruler and about four lanes. */
export const DEFAULT_TIMELINE_HEIGHT = 150;
/** Its toolbar, the ruler and one lane. */
export const MIN_TIMELINE_HEIGHT = 90;
export const MAX_TIMELINE_HEIGHT = 600;

const STORAGE_KEY = 'fluorolens:layout';
const TIMELINE_KEY = 'fluorolens:timeline-height';

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

const clampTimeline = (px: number) => Math.round(Math.min(MAX_TIMELINE_HEIGHT, Math.max(MIN_TIMELINE_HEIGHT, px)));

function rememberedTimelineHeight(): number {
  const stored = Number(storage()?.getItem(TIMELINE_KEY));
  return Number.isFinite(stored) && stored > 0 ? clampTimeline(stored) : DEFAULT_TIMELINE_HEIGHT;
}

export const layout = createStore<LayoutState>({ folded: remembered(), presentation: false, timelineHeight: rememberedTimelineHeight() });

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

/** Sets the timelines' height (kept within MIN and MAX), remembered for the next visit. */
export function setTimelineHeight(px: number): void {
  const timelineHeight = clampTimeline(px);
  if (timelineHeight === layout.getState().timelineHeight) return;
  layout.setState({ timelineHeight });
  try {
    storage()?.setItem(TIMELINE_KEY, String(timelineHeight));
  } catch {
    // Full or refused storage: the height holds for this visit only.
  }
}
