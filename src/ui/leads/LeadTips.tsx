import { useState } from 'react';
import { addLeadTip, newLeadTip, normalizeVertebralLevel, removeLeadTip, type AnnotationDocument } from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import { apply } from '../../state/documents';
import { cancelPick, imagePick, pickFor, startPick } from '../../state/imagePick';
import { paneById, session, setFrame } from '../../state/session';
import { useStore } from '../hooks/useStore';
import '../calibration/calibration.css';

/**
 * Stimulator leads (SCS, DRG): the lead tip labelled at a vertebral level on the frame on screen,
 * optionally with the tip marked on the image. Listed with their frame; saved with the annotations.
 */
export function LeadTips({ run, doc, paneId }: { run: OpenedRun; doc: AnnotationDocument; paneId: string }) {
  const [label, setLabel] = useState('');
  const [level, setLevel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const pick = useStore(imagePick, (s) => pickFor('leadTip', run.key, s));
  const tipPoint = pick?.done ? (pick.points[0] ?? null) : null;

  const add = () => {
    const canonical = normalizeVertebralLevel(level);
    if (!canonical) {
      setProblem(`“${level}” is not a vertebral level (e.g. T8, T8-T9)`);
      return;
    }
    const frame = paneById(session.getState(), paneId)?.frame ?? 1;
    const position = tipPoint && pick?.frame === frame ? tipPoint : null;
    apply(run.key, addLeadTip(newLeadTip(doc, { frame, level: canonical, position, ...(label.trim() ? { label: label.trim() } : {}) })));
    cancelPick();
    setLevel('');
    setLabel('');
    setProblem(null);
  };

  return (
    <section className="procedure-section lead-tips" role="region" aria-label="Lead tips">
      <h2>Lead tips</h2>
      {doc.leadTips.length > 0 ? (
        <ul aria-label="Lead tips list">
          {doc.leadTips.map((lead) => (
            <li key={lead.id}>
              <button type="button" className="link" onClick={() => setFrame(lead.frame, paneId)} title="Go to its frame">
                {lead.label}: {lead.level}, frame {lead.frame}
                {lead.position ? ' (marked on the image)' : ''}
              </button>{' '}
              <button type="button" aria-label={`Delete lead tip ${lead.label}`} onClick={() => apply(run.key, removeLeadTip(lead.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No lead tip labelled. For SCS/DRG leads: the level of the tip on the frame on screen.</p>
      )}
      <form
        aria-label="Label lead tip"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <div className="row">
          <label>
            Lead{' '}
            <input
              type="text"
              placeholder={`Lead ${doc.leadTips.length + 1}`}
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
            />
          </label>
          <label>
            Tip level <input type="text" placeholder="e.g. T8" value={level} onChange={(e) => setLevel(e.currentTarget.value)} />
          </label>
        </div>
        <div className="row">
          <button
            type="button"
            aria-pressed={pick !== null && !pick.done}
            onClick={() => (pick && !pick.done ? cancelPick() : startPick(paneId, 'leadTip', 'point'))}
          >
            Mark tip on image
          </button>
          {tipPoint && <span className="hint">tip marked on frame {pick!.frame}</span>}
          <button type="submit">Label lead tip</button>
        </div>
        {problem && (
          <p role="status" className="hint">
            {problem}
          </p>
        )}
      </form>
    </section>
  );
}
