import { useState } from 'react';
import { injectateProblem, updateCaseRecord, type AnnotationDocument, type Injectate } from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import { apply } from '../../state/documents';
import { paneById, session } from '../../state/session';
import '../calibration/calibration.css';

interface Draft {
  agent: string;
  volume: string;
  frame: string;
  time: string;
  note: string;
}
const EMPTY: Draft = { agent: '', volume: '', frame: '', time: '', note: '' };

function entryText(entry: Injectate): string {
  const parts = [entry.agent];
  if (entry.volumeMl !== null) parts.push(`${entry.volumeMl} mL`);
  if (entry.frame !== null) parts.push(`frame ${entry.frame}`);
  if (entry.time) parts.push(entry.time);
  if (entry.note.trim()) parts.push(entry.note.trim());
  return parts.join(' · ');
}

/** The case record's injectate log: agent, volume, frame or clock time, note; each change one "Edit injectate log" undo step. */
export function InjectateLog({ run, doc, paneId }: { run: OpenedRun; doc: AnnotationDocument; paneId: string }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const entries = doc.caseRecord.injectates;
  const set = (injectates: readonly Injectate[]) => apply(run.key, updateCaseRecord({ injectates }));

  const add = () => {
    const entry: Injectate = {
      agent: draft.agent.trim(),
      volumeMl: draft.volume.trim() === '' ? null : Number(draft.volume),
      frame: draft.frame.trim() === '' ? null : Number(draft.frame),
      time: draft.time.trim() === '' ? null : draft.time.trim(),
      note: draft.note.trim(),
    };
    const why = injectateProblem(entry, run.info.frameCount);
    setProblem(why);
    if (why) return;
    set([...entries, entry]);
    setDraft(EMPTY);
  };

  return (
    <section className="procedure-section injectate-log" role="region" aria-label="Injectate log">
      <h2>Injectate log</h2>
      {entries.length > 0 ? (
        <ol aria-label="Injectates">
          {entries.map((entry, i) => (
            <li key={i}>
              {entryText(entry)}{' '}
              <button type="button" aria-label={`Delete injectate ${i + 1}`} onClick={() => set(entries.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">Nothing logged yet.</p>
      )}
      <form
        aria-label="Add injectate"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <div className="row">
          <label>
            Agent{' '}
            <input
              type="text"
              placeholder="e.g. Iohexol 240"
              value={draft.agent}
              onChange={(e) => setDraft({ ...draft, agent: e.currentTarget.value })}
            />
          </label>
          <label>
            Volume (mL){' '}
            <input
              type="number"
              min={0}
              step="any"
              value={draft.volume}
              onChange={(e) => setDraft({ ...draft, volume: e.currentTarget.value })}
            />
          </label>
        </div>
        <div className="row">
          <label>
            Frame{' '}
            <input
              type="number"
              min={1}
              max={run.info.frameCount}
              value={draft.frame}
              onChange={(e) => setDraft({ ...draft, frame: e.currentTarget.value })}
            />
          </label>
          <button type="button" onClick={() => setDraft({ ...draft, frame: String(paneById(session.getState(), paneId)?.frame ?? 1) })}>
            Use current frame
          </button>
          <label>
            Time{' '}
            <input
              type="text"
              placeholder="HH:MM"
              value={draft.time}
              onChange={(e) => setDraft({ ...draft, time: e.currentTarget.value })}
            />
          </label>
        </div>
        <div className="row">
          <label>
            Note <input type="text" value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.currentTarget.value })} />
          </label>
          <button type="submit">Add injectate</button>
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
