import { useState } from 'react';
import {
  VASCULAR_UPTAKES,
  VASCULAR_UPTAKE_NAMES,
  addVascularFlag,
  newVascularFlag,
  removeVascularFlag,
  updateVascularFlag,
  vascularFlagText,
  type AnnotationDocument,
  type VascularFlag,
  type VascularUptake,
} from '../../annotations/model';
import { apply } from '../../state/documents';
import { setFrame } from '../../state/session';
import { frameX } from './laneLayout';
import './vascularFlags.css';

const pct = (x: number) => `${(x * 100).toFixed(4)}%`;

interface Draft {
  /** The flag edited, or null for a new one. */
  readonly id: string | null;
  readonly from: string;
  readonly to: string;
  readonly uptake: VascularUptake;
  readonly note: string;
}

interface Props {
  paneId: string;
  runKey: string;
  doc: AnnotationDocument;
  frame: number;
  frameCount: number;
}

/**
 * The timeline's vascular uptake lane: each flag a band over its frames (a button: it seeks to the
 * flag and opens it for editing), and "Flag vascular uptake" to mark frames as arterial, venous
 * or uncertain uptake. Every change is one undo step and is autosaved with the annotations.
 */
export function VascularFlags({ paneId, runKey, doc, frame, frameCount }: Props) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const flags = doc.vascularFlags;

  const edit = (flag: VascularFlag) => {
    setFrame(flag.from, paneId);
    setProblem(null);
    setDraft({ id: flag.id, from: String(flag.from), to: String(flag.to), uptake: flag.uptake, note: flag.note });
  };
  const save = () => {
    if (!draft) return;
    const from = Number(draft.from);
    const to = Number(draft.to);
    const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= frameCount;
    if (!ok(from) || !ok(to) || from > to) {
      setProblem(`Frames must run from 1 to ${frameCount}, first ≤ last.`);
      return;
    }
    const fields = { from, to, uptake: draft.uptake, note: draft.note.trim() };
    if (draft.id) apply(runKey, updateVascularFlag(draft.id, fields));
    else apply(runKey, addVascularFlag(newVascularFlag(doc, fields)));
    setDraft(null);
    setProblem(null);
  };

  return (
    <div className="vascular-flags" role="group" aria-label="Vascular uptake flags">
      <div className="timeline-lane vascular-lane">
        <span className="lane-label">Vascular uptake</span>
        <ul className="lane-area vascular-bands" aria-label="Vascular uptake">
          {flags.map((flag) => {
            const x0 = frameX(flag.from, frameCount) - 0.5 / frameCount;
            const x1 = frameX(flag.to, frameCount) + 0.5 / frameCount;
            return (
              <li key={flag.id} style={{ left: pct(x0), width: pct(x1 - x0) }} className={`vascular-band ${flag.uptake}`}>
                <button
                  type="button"
                  aria-label={`${vascularFlagText(flag)}${flag.note ? ` (${flag.note})` : ''}`}
                  title={vascularFlagText(flag)}
                  aria-pressed={draft?.id === flag.id}
                  data-from={flag.from}
                  data-to={flag.to}
                  onClick={() => edit(flag)}
                >
                  {flag.uptake[0].toUpperCase()}
                </button>
              </li>
            );
          })}
        </ul>
        <button
          type="button"
          className="flag-vascular"
          onClick={() => {
            setProblem(null);
            setDraft({ id: null, from: String(frame), to: String(frame), uptake: 'arterial', note: '' });
          }}
        >
          Flag vascular uptake
        </button>
      </div>
      {draft && (
        <form
          className="vascular-flag-editor"
          aria-label={draft.id ? 'Edit vascular flag' : 'New vascular flag'}
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setDraft(null);
            // The timeline's keys (←/→, Space) must not act while typing here.
            e.stopPropagation();
          }}
        >
          <label>
            From frame{' '}
            <input
              type="number"
              min={1}
              max={frameCount}
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            />
          </label>
          <label>
            To frame{' '}
            <input
              type="number"
              min={1}
              max={frameCount}
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            />
          </label>
          <button type="button" onClick={() => setDraft({ ...draft, to: String(frame) })} title="The last frame is the one on screen">
            To current frame
          </button>
          <label>
            Uptake{' '}
            <select value={draft.uptake} onChange={(e) => setDraft({ ...draft, uptake: e.currentTarget.value as VascularUptake })}>
              {VASCULAR_UPTAKES.map((u) => (
                <option key={u} value={u}>
                  {VASCULAR_UPTAKE_NAMES[u]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Note <input type="text" value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.currentTarget.value })} />
          </label>
          <button type="submit">Save flag</button>
          {draft.id && (
            <button
              type="button"
              onClick={() => {
                apply(runKey, removeVascularFlag(draft.id!));
                setDraft(null);
              }}
            >
              Delete flag
            </button>
          )}
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
          {problem && (
            <span role="status" className="flag-problem">
              {problem}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
