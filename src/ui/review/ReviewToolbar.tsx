import type { ReactNode } from 'react';
import { paneById, runOfPane, setOverlayVisible } from '../../state/session';
import { resetView, showImageWindows } from '../../state/viewports';
import { voiLutDescription, voiLutName, windowPresets, type WindowLevelPreset } from '../../format/windowPresets';
import type { VoiLut } from '../../dicom/types';
import { lutsOfFrame } from '../../dicom/voiLut';
import { formatWindowLevel, formatZoom } from '../../format/display';
import {
  applyVoiLut,
  applyWindow,
  fitImage,
  flipImage,
  rotateQuarterTurn,
  showActualSize,
  showsVoiLut,
  toggleInvert,
  type DisplayState,
} from '../../viewer/review';
import { PAN, WINDOW_LEVEL, ZOOM } from '../../viewer/toolGroup';
import { PixelProbe } from './PixelProbe';
import { IconButton, ToolButton } from './ToolButton';
import { display as displayLayers, subtractionOf } from '../../state/display';
import { useSession, useStore } from '../hooks/useStore';
import { useViewportDisplay } from './useViewportDisplay';

const CUSTOM_WINDOW = '';
/** A series whose images store different windows, each frame shown in its own image's (short: the select is 122 px wide). */
const IMAGE_WINDOWS = "Image's own";
/** Option values of the file's VOI LUTs: this and the LUT's place in the sequence. */
const VOI_LUT_OPTION = 'voi-lut:';

/** Where the LUT on screen is among the run's (-1: none of them). */
function lutIndexOf(luts: VoiLut[], shown: VoiLut): number {
  return luts.findIndex((lut) => showsVoiLut(shown, lut));
}

/** The preset whose window is on screen, or '' when the user has dragged away from every preset. */
function presetShown(presets: WindowLevelPreset[], luts: VoiLut[], display: DisplayState | null, imageWindows: boolean): string {
  if (!display) return CUSTOM_WINDOW;
  if (display.voiLut) {
    const index = lutIndexOf(luts, display.voiLut);
    return index >= 0 ? `${VOI_LUT_OPTION}${index}` : CUSTOM_WINDOW;
  }
  if (imageWindows && display.windowFromImage) return IMAGE_WINDOWS;
  const match = presets.find((p) => Math.abs(p.width - display.windowWidth) < 0.5 && Math.abs(p.center - display.windowCenter) < 0.5);
  return match?.name ?? CUSTOM_WINDOW;
}

/**
 * Review controls for the active pane, in the app toolbar: mouse tools, window presets, invert,
 * fit, 1:1, rotate, flips, reset and the overlay switch. `children` is the slot where the
 * annotation tool buttons go, beside the mouse tools.
 */
export function ReviewTools({ paneId, children }: { paneId: string; children?: ReactNode }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const overlayVisible = useSession((s) => s.overlayVisible);
  const display = useViewportDisplay(paneId);
  // The presets are windows on the file's values; a subtracted frame holds differences of them.
  const subtracting = useStore(displayLayers, (s) => subtractionOf(paneId, s) !== null);
  const presets = run && !subtracting ? windowPresets(run.info) : [];
  // A series whose images each store theirs: the tables of the image on screen.
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const luts = run && !subtracting ? lutsOfFrame(run.info.voi, frame) : [];
  const imageWindows = !subtracting && run?.info.voi.perImage !== undefined;
  const shown = presetShown(presets, luts, display, imageWindows);
  const lutShown = shown.startsWith(VOI_LUT_OPTION) ? luts[Number(shown.slice(VOI_LUT_OPTION.length))] : undefined;
  const disabled = !run || !display;

  return (
    <>
      <div className="tool-group" role="group" aria-label="Mouse tools">
        <ToolButton toolName={WINDOW_LEVEL} icon="windowLevel" label="Window/level" title="Drag to change window and level" />
        <ToolButton toolName={PAN} icon="pan" label="Pan" title="Drag to move the image (the middle button always pans)" />
        <ToolButton toolName={ZOOM} icon="zoom" label="Zoom" title="Drag to zoom (the right button, the wheel and a pinch always zoom)" />
      </div>
      {children && <div className="tool-group annotation-tools">{children}</div>}
      <div className="tool-group" role="group" aria-label="View">
        <select
          aria-label="Window preset"
          value={shown}
          disabled={disabled || subtracting}
          title={
            subtracting
              ? 'Window presets apply to the frames as acquired; Subtract is on (drag with Window/level, or Reset)'
              : shown === IMAGE_WINDOWS
                ? 'Each image in the window written in it: the images of this series store different windows'
                : lutShown
                  ? voiLutDescription(lutShown)
                  : (presets.find((p) => p.name === shown)?.explanation ?? 'Window presets from the file, then built-in ones')
          }
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value === IMAGE_WINDOWS) return showImageWindows(paneId);
            const lut = value.startsWith(VOI_LUT_OPTION) ? luts[Number(value.slice(VOI_LUT_OPTION.length))] : undefined;
            if (lut) return applyVoiLut(paneId, lut);
            const preset = presets.find((p) => p.name === value);
            if (preset) applyWindow(paneId, preset.center, preset.width);
          }}
        >
          <option value={CUSTOM_WINDOW} disabled>
            {subtracting ? 'DSA window' : shown === CUSTOM_WINDOW && !disabled ? 'Custom window' : 'Window preset'}
          </option>
          {imageWindows && (
            <option value={IMAGE_WINDOWS} title="Each image of the series in the window written in it">
              {IMAGE_WINDOWS}
            </option>
          )}
          {luts.map((lut, index) => (
            <option key={`${VOI_LUT_OPTION}${index}`} value={`${VOI_LUT_OPTION}${index}`} title={voiLutDescription(lut)}>
              {`${voiLutName(lut, index)} (file)`}
            </option>
          ))}
          {presets.map((preset) => (
            <option key={preset.name} value={preset.name} title={preset.explanation}>
              {preset.source === 'file' ? `${preset.name} (file)` : preset.name}
            </option>
          ))}
        </select>
        <IconButton
          label="Invert"
          icon="invert"
          pressed={display?.inverted ?? false}
          disabled={disabled}
          keys="Shift+I"
          title="Invert grey levels (Shift+I)"
          onClick={() => toggleInvert(paneId)}
        />
        <IconButton
          label="Fit"
          icon="fit"
          disabled={disabled}
          keys="Shift+F"
          title="Fit the image to the pane (Shift+F)"
          onClick={() => fitImage(paneId)}
        />
        <IconButton
          label="1:1"
          icon="actualSize"
          disabled={disabled}
          title="1:1: one image pixel per screen pixel"
          onClick={() => showActualSize(paneId)}
        />
        <IconButton
          label="Rotate 90°"
          icon="rotate"
          disabled={disabled}
          title="Rotate 90°: a quarter turn clockwise"
          onClick={() => rotateQuarterTurn(paneId)}
        />
        <IconButton
          label="Flip horizontal"
          icon="flipHorizontal"
          pressed={display?.flipHorizontal ?? false}
          disabled={disabled}
          onClick={() => flipImage(paneId, 'horizontal')}
        />
        <IconButton
          label="Flip vertical"
          icon="flipVertical"
          pressed={display?.flipVertical ?? false}
          disabled={disabled}
          onClick={() => flipImage(paneId, 'vertical')}
        />
        <IconButton
          label="Reset"
          icon="reset"
          disabled={disabled}
          keys="R"
          title="Reset: camera and window back to the file's defaults (R)"
          onClick={() => resetView(paneId)}
        />
        <IconButton
          label="Overlay"
          icon="overlay"
          pressed={overlayVisible}
          keys="Shift+O"
          title="Overlay: patient, study and acquisition text and the scale bar (Shift+O)"
          onClick={() => setOverlayVisible(!overlayVisible)}
        />
      </div>
    </>
  );
}

/**
 * The active pane's W/L, zoom and pixel readouts, on a line of fixed size: text changing under the
 * moving mouse must never re-wrap the toolbar, or the viewport below would jump.
 */
export function ReviewReadouts({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const display = useViewportDisplay(paneId);
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const luts = run ? lutsOfFrame(run.info.voi, frame) : [];
  const lutIndex = display?.voiLut ? lutIndexOf(luts, display.voiLut) : -1;
  const lutName = lutIndex >= 0 ? voiLutName(luts[lutIndex], lutIndex) : null;
  return (
    <div className="readouts">
      <output className="readout" aria-label="Window/level readout" title={lutName ? `Shown through the file's ${lutName}` : undefined}>
        {display ? (lutName ?? formatWindowLevel(display.windowWidth, display.windowCenter)) : ''}
      </output>
      <output className="readout" aria-label="Zoom readout" title="Screen pixels per image pixel">
        {display ? formatZoom(display.pixelScale * (globalThis.devicePixelRatio || 1)) : ''}
      </output>
      <PixelProbe paneId={paneId} info={run?.info ?? null} />
    </div>
  );
}
