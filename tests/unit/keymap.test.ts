// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The key map decides which action a key press runs (or that it is left to the page). The actions
 * are stand-ins here; what is checked is the choice, against the keys the README lists.
 */
const calls: string[] = [];
const record =
  (name: string) =>
  (...args: unknown[]) =>
    void calls.push([name, ...args.filter((a) => a !== undefined && a !== null)].join(' '));
const activeRun = { current: { key: 'run-1' } as { key: string } | null };
const selectedTrack = { current: 'needleTip-1' as string | null };

vi.mock('../../src/state/playback', () => ({
  togglePlay: record('togglePlay'),
  stepSpeed: record('stepSpeed'),
  setInPoint: record('setInPoint'),
  setOutPoint: record('setOutPoint'),
  goToRangeEnd: record('goToRangeEnd'),
}));
vi.mock('../../src/state/viewports', () => ({ resetView: record('resetView') }));
vi.mock('../../src/viewer/review', () => ({ fitImage: record('fitImage'), toggleInvert: record('toggleInvert') }));
vi.mock('../../src/state/documents', () => ({
  editingDocumentOf: () => ({ tracks: [{ id: 'needleTip-1', kind: 'needleTip', keyframes: [] }] }),
  undo: record('undo'),
  redo: record('redo'),
}));
vi.mock('../../src/ui/timeline/timelineActions', () => ({
  addKeyframeAt: (runKey: string, track: { id: string }, frame: number) => (record('addKeyframeAt')(runKey, track.id, frame), null),
  deleteKeyframeAt: (runKey: string, track: { id: string }, frame: number) => (record('deleteKeyframeAt')(runKey, track.id, frame), null),
  jumpToKeyframe: (paneId: string, track: { id: string }, frame: number, direction: number) => (
    record('jumpToKeyframe')(paneId, track.id, frame, direction),
    null
  ),
}));
vi.mock('../../src/state/layout', () => ({ toggleFolded: record('toggleFolded') }));
vi.mock('../../src/ui/hooks/useFolded', () => ({ arrangementOf: () => 'single' }));
vi.mock('../../src/ui/ScreenControls', () => ({
  toggleFullScreen: record('toggleFullScreen'),
  togglePresentation: record('togglePresentation'),
}));
vi.mock('../../src/state/session', () => ({
  session: { getState: () => ({ activePaneId: 'main', overlayVisible: true }) },
  runOfPane: () => activeRun.current,
  selectedRun: () => activeRun.current,
  paneById: () => ({ id: 'main', frame: 7 }),
  selectedTrackOf: () => selectedTrack.current,
  stepFrame: record('stepFrame'),
  setOverlayVisible: record('setOverlayVisible'),
  reportTimeline: record('reportTimeline'),
}));

const { fieldKind, handleKeyDown, KEYMAP } = await import('../../src/ui/keys/keymap');

function press(key: string, options: KeyboardEventInit & { on?: HTMLElement } = {}): { prevented: boolean; calls: string[] } {
  calls.length = 0;
  const target = options.on ?? document.body;
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options });
  target.addEventListener('keydown', handleKeyDown, { once: true });
  target.dispatchEvent(event);
  return { prevented: event.defaultPrevented, calls: [...calls] };
}

function element(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body.firstElementChild as HTMLElement;
}

beforeEach(() => {
  activeRun.current = { key: 'run-1' };
  selectedTrack.current = 'needleTip-1';
  document.body.innerHTML = '';
});

describe('the key map', () => {
  it('runs each documented key on the active pane', () => {
    expect(press(' ').calls).toEqual(['togglePlay main']);
    expect(press('ArrowLeft').calls).toEqual(['stepFrame -1 main']);
    expect(press('ArrowRight', { shiftKey: true }).calls).toEqual(['stepFrame 1 main']);
    expect(press('Home').calls).toEqual(['goToRangeEnd start main']);
    expect(press('End').calls).toEqual(['goToRangeEnd end main']);
    expect(press('+', { shiftKey: true }).calls).toEqual(['stepSpeed 1 main']);
    expect(press('=').calls).toEqual(['stepSpeed 1 main']);
    expect(press('-').calls).toEqual(['stepSpeed -1 main']);
    expect(press('i').calls).toEqual(['setInPoint main']);
    expect(press('o').calls).toEqual(['setOutPoint main']);
    expect(press('r').calls).toEqual(['resetView main']);
    expect(press('F', { shiftKey: true }).calls).toEqual(['fitImage main']);
    expect(press('f').calls).toEqual(['toggleFullScreen main']);
    expect(press('p').calls).toEqual(['togglePresentation']);
    expect(press('[').calls).toEqual(['toggleFolded runs single']);
    expect(press(']').calls).toEqual(['toggleFolded analysis single']);
    expect(press('k').calls).toEqual(['addKeyframeAt run-1 needleTip-1 7', 'reportTimeline main']);
    expect(press('Delete').calls).toEqual(['deleteKeyframeAt run-1 needleTip-1 7', 'reportTimeline main']);
    expect(press('Backspace').calls).toEqual(['deleteKeyframeAt run-1 needleTip-1 7', 'reportTimeline main']);
    expect(press(',').calls).toEqual(['jumpToKeyframe main needleTip-1 7 -1', 'reportTimeline main']);
    expect(press('.').calls).toEqual(['jumpToKeyframe main needleTip-1 7 1', 'reportTimeline main']);
    expect(press('z', { ctrlKey: true }).calls).toEqual(['undo run-1']);
    expect(press('Z', { ctrlKey: true, shiftKey: true }).calls).toEqual(['redo run-1']);
    expect(press('y', { metaKey: true }).calls).toEqual(['redo run-1']);
  });

  it('gives Shift+I and Shift+O to invert and overlay, never to the in and out points', () => {
    expect(press('I', { shiftKey: true }).calls).toEqual(['toggleInvert main']);
    expect(press('O', { shiftKey: true }).calls).toEqual(['setOverlayVisible false']);
    // Held down: nothing more, and the playback keys do not take over.
    expect(press('I', { shiftKey: true, repeat: true })).toEqual({ prevented: false, calls: [] });
    expect(press('R', { shiftKey: true })).toEqual({ prevented: false, calls: [] });
  });

  it('leaves keys to the field being typed in, and the slider its own arrows and Home/End', () => {
    const text = element('<input type="text">');
    for (const key of [' ', 'k', 'i', 'r', 'ArrowLeft', 'Delete'])
      expect(press(key, { on: text })).toEqual({ prevented: false, calls: [] });
    expect(press('z', { ctrlKey: true, on: text })).toEqual({ prevented: false, calls: [] });
    const select = element('<select><option>a</option></select>');
    expect(press('ArrowRight', { on: select }).calls).toEqual([]);
    // A select has no undo of its own: Ctrl+Z still undoes the annotations.
    expect(press('z', { ctrlKey: true, on: select }).calls).toEqual(['undo run-1']);
    const slider = element('<input type="range">');
    expect(press('ArrowLeft', { on: slider }).calls).toEqual([]);
    expect(press('Home', { on: slider }).calls).toEqual([]);
    expect(press(' ', { on: slider }).calls).toEqual(['togglePlay main']);
    expect(press('r', { on: slider }).calls).toEqual(['resetView main']);
    const checkbox = element('<input type="checkbox">');
    expect(press(' ', { on: checkbox }).calls).toEqual([]);
    expect(press('i', { on: checkbox }).calls).toEqual(['setInPoint main']);
    const button = element('<button>Play</button>');
    expect(press(' ', { on: button })).toEqual({ prevented: true, calls: ['togglePlay main'] });
  });

  it('holds Space down as one toggle, and ignores keys with Ctrl, ⌘ or Alt that are not shortcuts', () => {
    expect(press(' ', { repeat: true }).calls).toEqual([]);
    expect(press('ArrowRight', { repeat: true }).calls).toEqual(['stepFrame 1 main']);
    expect(press('k', { ctrlKey: true }).calls).toEqual([]);
    expect(press('ArrowLeft', { altKey: true }).calls).toEqual([]);
    expect(press('z', { ctrlKey: true, altKey: true }).calls).toEqual([]);
  });

  it('asks for a track before keyframe keys act, and leaves keyframe and undo keys alone without a run', () => {
    selectedTrack.current = null;
    expect(press('k')).toEqual({ prevented: true, calls: ['reportTimeline main Select a track first (click its lane)'] });
    activeRun.current = null;
    expect(press('k')).toEqual({ prevented: false, calls: [] });
    expect(press('z', { ctrlKey: true })).toEqual({ prevented: false, calls: [] });
    // Playback and review keys are still taken (and do nothing without a run).
    expect(press(' ').prevented).toBe(true);
  });

  it('classifies fields once, and lists every key it handles with its help', () => {
    expect(fieldKind(element('<textarea></textarea>'))).toBe('text');
    expect(fieldKind(element('<input type="number">'))).toBe('text');
    expect(fieldKind(element('<input type="file">'))).toBeNull();
    for (const binding of KEYMAP) expect(binding.help.length, binding.label).toBeGreaterThan(2);
    expect(KEYMAP.filter((b) => b.label === 'Escape').map((b) => b.section)).toEqual(['Timeline', 'Annotation tools']);
  });
});
