/**
 * A pick on the image of one pane, for controls that need image points: the calibration line
 * (drawn over an object of known length) and a stimulator lead's tip. The layer over the viewport
 * (ui/calibration/ImagePickLayer.tsx) turns pointer presses into image coordinates here; the
 * control that asked reads the points and turns them into a document command. Never saved.
 */
import type { Point } from '../annotations/model';
import { createStore } from './createStore';
import { paneById, runOfPane, session } from './session';

export type PickPurpose = 'calibration' | 'leadTip';

export interface ImagePick {
  readonly paneId: string;
  readonly runKey: string;
  readonly purpose: PickPurpose;
  /** A line takes two points (press, drag, release), a point one click. */
  readonly kind: 'line' | 'point';
  /** The 1-based frame the pick was made on. */
  readonly frame: number;
  /** In image coordinates (annotations/model/geometry.ts); complete when a line has 2, a point 1. */
  readonly points: readonly Point[];
  /** True once the pointer was released (the points are final). */
  readonly done: boolean;
}

export const imagePick = createStore<{ pick: ImagePick | null }>({ pick: null });

/** Starts a pick on the run shown in the pane (replacing any other). */
export function startPick(paneId: string, purpose: PickPurpose, kind: ImagePick['kind']): void {
  const state = session.getState();
  const run = runOfPane(state, paneId);
  if (!run) return;
  const frame = paneById(state, paneId)?.frame ?? 1;
  imagePick.setState({ pick: { paneId, runKey: run.key, purpose, kind, frame, points: [], done: false } });
}

export function updatePick(points: readonly Point[], done: boolean): void {
  const pick = imagePick.getState().pick;
  if (!pick) return;
  const frame = paneById(session.getState(), pick.paneId)?.frame ?? pick.frame;
  imagePick.setState({ pick: { ...pick, points, done, frame } });
}

export function cancelPick(): void {
  if (imagePick.getState().pick) imagePick.setState({ pick: null });
}

/** The pick for this purpose on this run, if one is under way or done. */
export function pickFor(purpose: PickPurpose, runKey: string | undefined, state = imagePick.getState()): ImagePick | null {
  const pick = state.pick;
  return pick && pick.purpose === purpose && pick.runKey === runKey ? pick : null;
}
