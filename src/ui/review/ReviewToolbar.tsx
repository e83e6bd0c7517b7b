import type { ReactNode } from 'react';
import { runOfPane, setOverlayVisible } from '../../state/session';
import { resetView } from '../../state/viewports';
import { windowPresets, type WindowLevelPreset } from '../../format/windowPresets';
import { formatWindowLevel, formatZoom } from '../../format/display';
import { applyWindow, fitImage, flipImage, rotateQuarterTurn, showActualSize, toggleInvert, type DisplayState } from '../../viewer/review';
import { PAN, WINDOW_LEVEL, ZOOM } from '../../viewer/toolGroup';
import { PixelProbe } from './PixelProbe';
import { ToolButton } from './ToolButton';
import { useSession } from '../hooks/useStore';
import { useViewportDisplay } from './useViewportDisplay';

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
