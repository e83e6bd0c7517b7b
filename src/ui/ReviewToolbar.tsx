import { useEffect, type ReactNode } from 'react';
import { runOfPane, session, setActiveTool, setOverlayVisible } from '../state/session';
import { resetView } from '../state/viewports';
import { windowPresets, type WindowLevelPreset } from '../viewer/overlay';
import { formatWindowLevel, formatZoom } from '../viewer/probe';
import { applyWindow, fitImage, flipImage, rotateQuarterTurn, showActualSize, toggleInvert, type DisplayState } from '../viewer/review';
import { PAN, WINDOW_LEVEL, ZOOM } from '../viewer/toolGroup';
import { PixelProbe } from './PixelProbe';
import { useSession } from './useStore';
import { useViewportDisplay } from './useViewportDisplay';

/**
 * A button that puts a Cornerstone tool on the primary mouse button of every pane; pressed while
 * it is the active tool. Annotation tools (Needle tip, Target, Contrast spread) reuse it.
 */
export function ToolButton({ toolName, label, title }: { toolName: string; label: string; title?: string }) {
  const active = useSession((s) => s.activeTool === toolName);
  return (
    <button type="button" className="tool-button" aria-pressed={active} title={title} onClick={() => setActiveTool(toolName)}>
      {label}
    </button>
  );
}

const CUSTOM_WINDOW = '';

/** The preset whose window is on screen, or '' when the user has dragged away from every preset. */
function presetShown(presets: WindowLevelPreset[], display: DisplayState | null): string {
  if (!display) return CUSTOM_WINDOW;
  const match = presets.find((p) => Math.abs(p.width - display.windowWidth) < 0.5 && Math.abs(p.center - display.windowCenter) < 0.5);
  return match?.name ?? CUSTOM_WINDOW;
}

/**
 * Per-pane review controls: mouse tools, window presets, invert, fit, 1:1, rotate, flips, reset,
 * the overlay switch, and the W/L, zoom and pixel readouts. `children` is the slot where the
 * annotation tool buttons go.
 */
export function ReviewToolbar({ paneId, children }: { paneId: string; children?: ReactNode }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const overlayVisible = useSession((s) => s.overlayVisible);
  const display = useViewportDisplay(paneId);
  const presets = run ? windowPresets(run.info) : [];
  const shown = presetShown(presets, display);
  const disabled = !run || !display;

  return (
    <div className="review-toolbar" role="toolbar" aria-label="Review tools">
      <div className="tool-group" role="group" aria-label="Mouse tools">
        <ToolButton toolName={WINDOW_LEVEL} label="Window/level" title="Drag to change window and level" />
        <ToolButton toolName={PAN} label="Pan" title="Drag to move the image (the middle button always pans)" />
        <ToolButton toolName={ZOOM} label="Zoom" title="Drag to zoom (the right button and the wheel always zoom)" />
      </div>
      {children && <div className="tool-group annotation-tools">{children}</div>}
      <div className="tool-group" role="group" aria-label="Display">
        <select
          aria-label="Window preset"
          value={shown}
          disabled={disabled}
          title={presets.find((p) => p.name === shown)?.explanation ?? 'Window presets from the file, then built-in ones'}
          onChange={(e) => {
            const preset = presets.find((p) => p.name === e.currentTarget.value);
            if (preset) applyWindow(paneId, preset.center, preset.width);
          }}
        >
          <option value={CUSTOM_WINDOW} disabled>
            {shown === CUSTOM_WINDOW ? 'Custom window' : 'Window preset'}
          </option>
          {presets.map((preset) => (
            <option key={preset.name} value={preset.name} title={preset.explanation}>
              {preset.source === 'file' ? `${preset.name} (file)` : preset.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-pressed={display?.inverted ?? false}
          disabled={disabled}
          aria-keyshortcuts="Shift+I"
          title="Invert grey levels (Shift+I)"
          onClick={() => toggleInvert(paneId)}
        >
          Invert
        </button>
        <button
          type="button"
          disabled={disabled}
          aria-keyshortcuts="F"
          title="Fit the image to the pane (F)"
          onClick={() => fitImage(paneId)}
        >
          Fit
        </button>
        <button type="button" disabled={disabled} title="One image pixel per screen pixel" onClick={() => showActualSize(paneId)}>
          1:1
        </button>
        <button type="button" disabled={disabled} title="Rotate a quarter turn clockwise" onClick={() => rotateQuarterTurn(paneId)}>
          Rotate 90°
        </button>
        <button
          type="button"
          aria-pressed={display?.flipHorizontal ?? false}
          disabled={disabled}
          onClick={() => flipImage(paneId, 'horizontal')}
        >
          Flip horizontal
        </button>
        <button
          type="button"
          aria-pressed={display?.flipVertical ?? false}
          disabled={disabled}
          onClick={() => flipImage(paneId, 'vertical')}
        >
          Flip vertical
        </button>
        <button
          type="button"
          disabled={disabled}
          aria-keyshortcuts="R"
          title="Camera and window back to the file's defaults (R)"
          onClick={() => resetView(paneId)}
        >
          Reset
        </button>
      </div>
      <div className="readouts">
        <output className="readout" aria-label="Window/level readout">
          {display ? formatWindowLevel(display.windowWidth, display.windowCenter) : ''}
        </output>
        <output className="readout" aria-label="Zoom readout" title="Screen pixels per image pixel">
          {display ? formatZoom(display.pixelScale * (globalThis.devicePixelRatio || 1)) : ''}
        </output>
        <PixelProbe paneId={paneId} info={run?.info ?? null} />
        <button
          type="button"
          aria-pressed={overlayVisible}
          aria-keyshortcuts="Shift+O"
          title="Patient, study and acquisition text and the scale bar (Shift+O)"
          onClick={() => setOverlayVisible(!overlayVisible)}
        >
          Overlay
        </button>
      </div>
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !['range', 'button', 'checkbox', 'radio', 'file'].includes((target as HTMLInputElement).type);
}

/**
 * Review keys on the active pane: R reset, F fit, Shift+I invert, Shift+O overlay. Plain I and O
 * are the playback in/out points, hence the Shift.
 */
export function useReviewKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const paneId = session.getState().activePaneId;
      const key = event.key.toLowerCase();
      if (key === 'r' && !event.shiftKey) resetView(paneId);
      else if (key === 'f' && !event.shiftKey) fitImage(paneId);
      else if ((key === 'i' || key === 'o') && event.shiftKey) {
        if (key === 'i') toggleInvert(paneId);
        else setOverlayVisible(!session.getState().overlayVisible);
        // Shifted I/O are ours: the playback keys must not also set an in/out point.
        event.stopImmediatePropagation();
      } else return;
      event.preventDefault();
    };
    // Capture phase, so this runs before the bubbling key handlers on window.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

/** The review keys, for the header's Keys help. */
export const REVIEW_KEYS: Array<[string, string]> = [
  ['R', 'Reset camera and window'],
  ['F', 'Fit image to pane'],
  ['Shift+I', 'Invert (plain I / O set the playback in and out points)'],
  ['Shift+O', 'Overlay on / off'],
  ['Wheel, right drag', 'Zoom'],
  ['Middle drag', 'Pan'],
];

export function ReviewKeysHelp() {
  return (
    <details className="keys-help">
      <summary>Keys</summary>
      <dl>
        {REVIEW_KEYS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
