/**
 * Every keyboard shortcut of the app, declared once: which keys, where they apply, what they do,
 * and the help text. One window listener (useKeymap) runs the first binding that matches a key
 * press; the Keys help, the Play button's title and the timeline's key list are generated from
 * this table. Keys act on the active pane (the one outlined in side by side).
 *
 * Keys handled elsewhere are listed here for the help only (no `run`): Escape while dragging with
 * an annotation tool (annotations/tools/ModelTool.ts), Escape in the Add track menu, and the mouse.
 */
import { findTrack, type Track } from '../../annotations/model';
import { editingDocumentOf, redo, undo } from '../../state/documents';
import { goToRangeEnd, setInPoint, setOutPoint, stepSpeed, togglePlay } from '../../state/playback';
import {
  paneById,
  reportTimeline,
  runOfPane,
  selectedRun,
  selectedTrackOf,
  session,
  setOverlayVisible,
  stepFrame,
} from '../../state/session';
import { resetView } from '../../state/viewports';
import { nudgeShift, subtractionOf } from '../../state/display';
import { fitImage, toggleInvert } from '../../viewer/review';
import { addKeyframeAt, deleteKeyframeAt, jumpToKeyframe } from '../timeline/timelineActions';
import { toggleFolded } from '../../state/layout';
import { arrangementOf } from '../hooks/useFolded';
import { toggleFullScreen, togglePresentation } from '../ScreenControls';

/**
 * The one "is the user typing?" check: what kind of field a key press comes from. Text fields
 * keep every plain key and their own Ctrl+Z; a select keeps plain keys (type-ahead, arrows); the
 * Frame slider keeps its arrows and Home/End; checkboxes keep Space.
 */
export type FieldKind = 'text' | 'choice' | 'slider' | 'toggle' | null;

export function fieldKind(target: EventTarget | null): FieldKind {
  if (!(target instanceof HTMLElement)) return null;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return 'text';
  if (target.tagName === 'SELECT') return 'choice';
  if (target.tagName !== 'INPUT') return null;
  const type = (target as HTMLInputElement).type;
  if (type === 'range') return 'slider';
  if (type === 'checkbox' || type === 'radio') return 'toggle';
  return type === 'button' || type === 'file' ? null : 'text';
}

export type KeySection =
  'Frames' | 'Playback' | 'Review' | 'Screen' | 'Subtraction' | 'Timeline' | 'History' | 'Annotation tools' | 'Mouse' | 'Touch and pen';

/** A key (KeyboardEvent.key; letters in lower case) with Shift required (true), refused (false) or either (omitted). */
interface KeyPress {
  readonly key: string;
  readonly shift?: boolean;
}

export interface KeyContext {
  /** The key pressed (letters in lower case). */
  readonly key: string;
  readonly paneId: string;
}

export interface KeyBinding {
  readonly section: KeySection;
  /** As the help shows it, e.g. "Shift+I" or "← / →". */
  readonly label: string;
  readonly help: string;
  readonly keys: readonly KeyPress[];
  /** 'ctrl': Ctrl or ⌘ must be held (Alt must not). Otherwise none of Ctrl, ⌘ and Alt may be. */
  readonly modifier?: 'ctrl';
  /** False: holding the key down does not repeat the action. */
  readonly repeat?: boolean;
  /** Fields that keep this key for themselves (default: text fields and selects). */
  readonly leaveTo?: readonly FieldKind[];
  /** Whether the binding applies now; when not, the key is left alone. */
  readonly when?: (context: KeyContext) => boolean;
  /** Absent for keys handled elsewhere, listed for the help only. */
  readonly run?: (context: KeyContext) => void;
}

const TYPING: readonly FieldKind[] = ['text', 'choice'];

/** Keyframe keys act on the selected track of the active pane's run and answer in its timeline. */
function onSelectedTrack(act: (runKey: string, track: Track, frame: number, paneId: string) => string | null) {
  return ({ paneId }: KeyContext) => {
    const state = session.getState();
    const run = runOfPane(state, paneId);
    if (!run) return;
    const doc = editingDocumentOf(run.key);
    const selected = selectedTrackOf(state, run.key);
    const track = doc && selected ? findTrack(doc, selected) : undefined;
    const frame = paneById(state, paneId)?.frame ?? 1;
    reportTimeline(paneId, track ? act(run.key, track, frame, paneId) : 'Select a track first (click its lane)');
  };
}

const activePaneHasRun = ({ paneId }: KeyContext) => runOfPane(session.getState(), paneId) !== null;

/** Shift+arrow: 0.1 px of mask shift per press, in the direction of the arrow. */
const SHIFT_STEPS: Readonly<Record<string, [number, number]>> = {
  ArrowLeft: [-0.1, 0],
  ArrowRight: [0.1, 0],
  ArrowUp: [0, -0.1],
  ArrowDown: [0, 0.1],
};

export const KEYMAP: readonly KeyBinding[] = [
  {
    section: 'Subtraction',
    label: 'Shift+← → ↑ ↓',
    help: 'Move the subtraction mask by 0.1 px (while Subtract is on)',
    keys: Object.keys(SHIFT_STEPS).map((key) => ({ key, shift: true })),
    leaveTo: ['text', 'choice', 'slider'],
    when: ({ paneId }) => subtractionOf(paneId) !== null,
    run: ({ key, paneId }) => nudgeShift(paneId, ...SHIFT_STEPS[key]),
  },
  {
    section: 'Frames',
    label: '← / →',
    help: 'Previous / next frame',
    keys: [{ key: 'ArrowLeft' }, { key: 'ArrowRight' }],
    leaveTo: ['text', 'choice', 'slider'],
    run: ({ key, paneId }) => stepFrame(key === 'ArrowLeft' ? -1 : 1, paneId),
  },
  {
    section: 'Playback',
    label: 'Space',
    help: 'Play / pause',
    keys: [{ key: ' ' }],
    repeat: false,
    leaveTo: ['text', 'choice', 'toggle'],
    run: ({ paneId }) => togglePlay(paneId),
  },
  {
    section: 'Playback',
    label: 'Home / End',
    help: 'First / last frame of the play range',
    keys: [{ key: 'Home' }, { key: 'End' }],
    leaveTo: ['text', 'choice', 'slider'],
    run: ({ key, paneId }) => goToRangeEnd(key === 'Home' ? 'start' : 'end', paneId),
  },
  {
    section: 'Playback',
    label: '+ / −',
    help: 'Faster / slower',
    keys: [{ key: '+' }, { key: '=' }, { key: '-' }, { key: '_' }],
    run: ({ key, paneId }) => stepSpeed(key === '+' || key === '=' ? 1 : -1, paneId),
  },
  {
    section: 'Playback',
    label: 'I / O',
    help: 'In / out point at this frame',
    keys: [
      { key: 'i', shift: false },
      { key: 'o', shift: false },
    ],
    run: ({ key, paneId }) => (key === 'i' ? setInPoint(paneId) : setOutPoint(paneId)),
  },
  {
    section: 'Review',
    label: 'R',
    help: 'Reset camera and window',
    keys: [{ key: 'r', shift: false }],
    repeat: false,
    run: ({ paneId }) => resetView(paneId),
  },
  {
    section: 'Review',
    label: 'Shift+F',
    help: 'Fit image to pane',
    keys: [{ key: 'f', shift: true }],
    repeat: false,
    run: ({ paneId }) => fitImage(paneId),
  },
  {
    section: 'Review',
    label: 'Shift+I',
    help: 'Invert (plain I / O set the playback in and out points)',
    keys: [{ key: 'i', shift: true }],
    repeat: false,
    run: ({ paneId }) => toggleInvert(paneId),
  },
  {
    section: 'Review',
    label: 'Shift+O',
    help: 'Overlay on / off',
    keys: [{ key: 'o', shift: true }],
    repeat: false,
    run: () => setOverlayVisible(!session.getState().overlayVisible),
  },
  {
    section: 'Timeline',
    label: 'K',
    help: 'Add a keyframe on the selected track at the current frame',
    keys: [{ key: 'k' }],
    when: activePaneHasRun,
    run: onSelectedTrack((runKey, track, frame) => addKeyframeAt(runKey, track, frame)),
  },
  {
    section: 'Timeline',
    label: 'Delete / Backspace',
    help: 'Delete the selected track’s keyframe at the current frame',
    keys: [{ key: 'Delete' }, { key: 'Backspace' }],
    when: activePaneHasRun,
    run: onSelectedTrack((runKey, track, frame) => deleteKeyframeAt(runKey, track, frame)),
  },
  {
    section: 'Timeline',
    label: ', (comma)',
    help: 'Go to the previous keyframe of the selected track',
    keys: [{ key: ',' }],
    when: activePaneHasRun,
    run: onSelectedTrack((_runKey, track, frame, paneId) => jumpToKeyframe(paneId, track, frame, -1)),
  },
  {
    section: 'Timeline',
    label: '. (full stop)',
    help: 'Go to the next keyframe of the selected track',
    keys: [{ key: '.' }],
    when: activePaneHasRun,
    run: onSelectedTrack((_runKey, track, frame, paneId) => jumpToKeyframe(paneId, track, frame, 1)),
  },
  { section: 'Timeline', label: 'Escape', help: 'Close the Add track menu', keys: [] },
  {
    section: 'History',
    label: 'Ctrl+Z',
    help: 'Undo (the active pane’s run; text fields keep their own undo)',
    keys: [{ key: 'z', shift: false }],
    modifier: 'ctrl',
    leaveTo: ['text'],
    when: () => selectedRun() !== null,
    run: () => undo(selectedRun()!.key),
  },
  {
    section: 'History',
    label: 'Ctrl+Shift+Z, Ctrl+Y',
    help: 'Redo',
    keys: [
      { key: 'z', shift: true },
      { key: 'y', shift: false },
    ],
    modifier: 'ctrl',
    leaveTo: ['text'],
    when: () => selectedRun() !== null,
    run: () => redo(selectedRun()!.key),
  },
  {
    section: 'Screen',
    label: 'F',
    help: 'Full screen for the active pane, or back (Escape also leaves)',
    keys: [{ key: 'f', shift: false }],
    repeat: false,
    run: ({ paneId }) => toggleFullScreen(paneId),
  },
  {
    section: 'Screen',
    label: 'P',
    help: 'Presentation: only the picture, a slim play bar and the annotations; large text, no patient text',
    keys: [{ key: 'p', shift: false }],
    repeat: false,
    run: () => togglePresentation(),
  },
  {
    section: 'Screen',
    label: '[',
    help: 'Fold or unfold the runs list',
    keys: [{ key: '[' }],
    repeat: false,
    run: () => toggleFolded('runs', arrangementOf()),
  },
  {
    section: 'Screen',
    label: ']',
    help: 'Fold or unfold the measurements and case record panel',
    keys: [{ key: ']' }],
    repeat: false,
    run: () => toggleFolded('analysis', arrangementOf()),
  },
  { section: 'Annotation tools', label: 'Escape', help: 'Cancel the drag in progress (nothing of it is kept)', keys: [] },
  { section: 'Mouse', label: 'Wheel, right drag', help: 'Zoom', keys: [] },
  { section: 'Mouse', label: 'Middle drag', help: 'Pan', keys: [] },
  { section: 'Touch and pen', label: 'Tap, drag', help: 'As the left mouse button: the chosen tool places or draws', keys: [] },
  { section: 'Touch and pen', label: 'Two fingers', help: 'Pinch to zoom, move to pan', keys: [] },
];

function matches(binding: KeyBinding, event: KeyboardEvent, key: string, field: FieldKind): boolean {
  if (!binding.run) return false;
  if (!binding.keys.some((press) => press.key === key && (press.shift === undefined || press.shift === event.shiftKey))) return false;
  const ctrl = event.ctrlKey || event.metaKey;
  if (binding.modifier === 'ctrl' ? !ctrl || event.altKey : ctrl || event.altKey) return false;
  if (binding.repeat === false && event.repeat) return false;
  return !(binding.leaveTo ?? TYPING).includes(field);
}

/**
 * A modal dialog (Export video, Export teaching case) holds the keyboard: keys pressed while one is
 * open, on its controls or after focus left its last one, never step, play or change what is behind it.
 */
function modalDialogOpen(): boolean {
  return [...document.querySelectorAll('dialog[open]')].some((dialog) => dialog.matches(':modal'));
}

/** The window's keydown listener: the first binding that matches runs, and the browser's default is prevented. */
export function handleKeyDown(event: KeyboardEvent): void {
  if (modalDialogOpen()) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const field = fieldKind(event.target);
  const context: KeyContext = { key, paneId: session.getState().activePaneId };
  for (const binding of KEYMAP) {
    if (!matches(binding, event, key, field) || (binding.when && !binding.when(context))) continue;
    event.preventDefault();
    binding.run!(context);
    return;
  }
}

/** The bindings of some sections, for help text. */
export function keysOf(...sections: KeySection[]): KeyBinding[] {
  return KEYMAP.filter((binding) => sections.includes(binding.section));
}

/** "Space: Play / pause" lines, for a title attribute. */
export function keysHelpText(...sections: KeySection[]): string {
  return keysOf(...sections)
    .map((binding) => `${binding.label}: ${binding.help}`)
    .join('\n');
}
