import { useState } from 'react';
import { overlayPlanesOfRun } from '../../dicom/runInfo';
import type { RunInfo } from '../../dicom/types';
import { displayShutterOf } from '../../imaging/shutter';
import {
  autoShift,
  display,
  formatShift,
  resetShift,
  setMaskRange,
  setOverlayPlanes,
  setShutters,
  setSubtract,
  subtractionOf,
} from '../../state/display';
import { paneById, runOfPane } from '../../state/session';
import { canSubtract, describeSetting, subtractionLabel } from '../../viewer/subtractionImages';
import { keysOf } from '../keys/keymap';
import { useSession, useStore } from '../hooks/useStore';
import { Icon, type IconName } from '../icons';

/** A switch button (role=switch): its name stays, aria-checked says on or off. */
function Switch(props: { name: string; icon: IconName; on: boolean; disabled?: boolean; title: string; onChange(on: boolean): void }) {
  return (
    <button
      type="button"
      role="switch"
      className="display-switch icon-button"
      aria-checked={props.on}
      aria-label={props.name}
      disabled={props.disabled}
      title={`${props.name}: ${props.title}`}
      onClick={() => props.onChange(!props.on)}
    >
      <Icon name={props.icon} />
    </button>
  );
}

/** The display switches, for the active pane: Shutters and DICOM overlays (all panes), Subtract (this pane). */
export function DisplaySwitches({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const shutters = useStore(display, (s) => s.shutters);
  const overlayPlanes = useStore(display, (s) => s.overlayPlanes);
  const subtraction = useStore(display, (s) => subtractionOf(paneId, s));
  const shutter = run ? displayShutterOf(run.info) : null;
  const subtractable = run ? canSubtract(run.info) : false;
  return (
    <div className="tool-group display-bar" role="group" aria-label="Display">
      <Switch
        name="Shutters"
        icon="shutters"
        on={shutters}
        title={
          shutter
            ? `The file's ${shutter.description} (${shutter.fill.source})`
            : (run?.info.shutter?.notes?.[0] ?? 'This run has no display shutter')
        }
        onChange={setShutters}
      />
      {/* Only for runs that have planes: most have none, and the toolbar's room is the probe's. */}
      {run && overlayPlanesOfRun(run.info).length > 0 && (
        <Switch
          name="DICOM overlays"
          icon="overlayPlanes"
          on={overlayPlanes}
          title={overlayPlanesTitle(run.info)}
          onChange={setOverlayPlanes}
        />
      )}
      <Switch
        name="Subtract"
        icon="subtract"
        on={subtraction !== null}
        disabled={!subtractable}
        title={subtractable ? 'Each frame minus the mask (DSA)' : 'Subtraction applies to XA and RF runs'}
        onChange={(on) => setSubtract(paneId, on)}
      />
    </div>
  );
}

/** While Subtract is on in the active pane: its mode, mask and shift, and the controls that change them. */
export function SubtractionControls({ paneId }: { paneId: string }) {
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  const subtraction = useStore(display, (s) => subtractionOf(paneId, s));
  const shiftKeys = keysOf('Subtraction')[0]?.label ?? '';
  const described = subtraction ? describeSetting(subtraction.setting, frame) : null;
  // The mask's frames as they are (the file's, or the last chosen): the user edits from there.
  const [first, setFirst] = useState(() => String(described?.maskRange.first ?? 1));
  const [last, setLast] = useState(() => String(described?.maskRange.last ?? 1));
  if (!run || !subtraction) return null;
  const label = subtractionLabel(run.info);
  return (
    <div className="subtraction-controls" role="group" aria-label="Subtraction">
      <span className="subtraction-mode" title={label.long}>
        {label.short}
      </span>
      <span className="subtraction-mask" aria-label="Subtraction mask" title={described?.maskSource}>
        {described?.mask}
      </span>
      <span className="subtraction-shift" aria-label="Mask shift" title={`${shiftKeys}: 0.1 px steps`}>
        shift {described ? formatShift(described.shift) : ''}
      </span>
      <label className="mask-frames">
        Mask frames
        <input
          aria-label="Mask first frame"
          type="number"
          min={1}
          max={run.info.frameCount}
          value={first}
          onChange={(e) => setFirst(e.target.value)}
        />
        –
        <input
          aria-label="Mask last frame"
          type="number"
          min={1}
          max={run.info.frameCount}
          value={last}
          onChange={(e) => setLast(e.target.value)}
        />
      </label>
      <button type="button" onClick={() => setMaskRange(paneId, { first: Number(first), last: Number(last) })}>
        Use mask
      </button>
      <button
        type="button"
        onClick={() => {
          setMaskRange(paneId, null);
          const back = subtractionOf(paneId, display.getState());
          const range = back ? describeSetting(back.setting, frame)?.maskRange : undefined;
          if (range) {
            setFirst(String(range.first));
            setLast(String(range.last));
          }
        }}
        disabled={run.info.subtraction.items.length === 0}
      >
        File’s mask
      </button>
      <button
        type="button"
        title="Register the mask to this frame on the region at the centre of the view (pan to move it)"
        onClick={() => void autoShift(paneId)}
      >
        Auto shift
      </button>
      <button type="button" onClick={() => resetShift(paneId)}>
        Reset shift
      </button>
      {subtraction.autoShift && (
        <span role="status" aria-label="Automatic shift" className="subtraction-auto" title={subtraction.autoShift}>
          {subtraction.autoShift}
        </span>
      )}
    </div>
  );
}

/** What the switch shows: the planes by their description, else their group; why any were left out. */
function overlayPlanesTitle(info: RunInfo): string {
  const planes = overlayPlanesOfRun(info);
  const notes = info.overlays?.notes ?? [];
  const names = [...new Set(planes.map((p) => p.description || p.label || `group ${p.group.toString(16).toUpperCase()}`))];
  return [`The file's overlay planes, drawn white: ${names.join(', ')}`, ...notes].join('. ');
}
