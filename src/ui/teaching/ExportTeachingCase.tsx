import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { runTitle } from '../../format/run';
import { defaultExportRunKeys, exportTeachingCase, planTeachingExport, type ExportRunPlan, type MaskRect } from '../../state/teaching';
import { useSession } from '../hooks/useStore';
import { MaskStep } from './MaskStep';
import { countText } from '../../format/text';

const TITLE_MISSING = 'Give the case a title.';

type Step =
  { kind: 'choose' } | { kind: 'mask'; index: number } | { kind: 'ready' } | { kind: 'writing' } | { kind: 'done'; message: string };

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What the user typed into the dialog: kept when it closes (Escape, Cancel), until a package is written. */
interface Draft {
  title: string;
  points: string;
}
const EMPTY_DRAFT: Draft = { title: '', points: '' };

/**
 * The "Export teaching case" button and its dialog: runs, title, learning points, quiz, mask step,
 * zip. A native modal dialog: it takes the focus, the panes behind it are inert (the app's keys
 * stand still, keymap.ts), Escape closes it except while the package is written.
 */
export function ExportTeachingCase() {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const writingRef = useRef(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const hasRuns = useSession((s) => s.runs.length > 0);
  return (
    <>
      <button
        type="button"
        disabled={!hasRuns}
        onClick={() => {
          // The form first: showModal focuses the dialog's first control.
          flushSync(() => setOpen(true));
          dialog.current?.showModal();
        }}
      >
        Export teaching case
      </button>
      <dialog
        ref={dialog}
        className="teaching-dialog"
        aria-label="Export teaching case"
        onCancel={(e) => writingRef.current && e.preventDefault()}
        onClose={() => setOpen(false)}
      >
        {open && (
          <ExportDialog
            draft={draft}
            setDraft={setDraft}
            setWriting={(writing) => (writingRef.current = writing)}
            onClose={() => dialog.current?.close()}
          />
        )}
      </dialog>
    </>
  );
}

function ExportDialog({
  draft,
  setDraft,
  setWriting,
  onClose,
}: {
  draft: Draft;
  setDraft: (draft: Draft) => void;
  setWriting: (writing: boolean) => void;
  onClose: () => void;
}) {
  const runs = useSession((s) => s.runs);
  const [chosen, setChosen] = useState<string[]>(() => defaultExportRunKeys());
  const { title, points } = draft;
  const setTitle = (value: string) => setDraft({ ...draft, title: value });
  const setPoints = (value: string) => setDraft({ ...draft, points: value });
  const [plans, setPlans] = useState<ExportRunPlan[]>([]);
  const [questions, setQuestions] = useState<string[]>([]); // "runKey|trackId"
  const [contrastRuns, setContrastRuns] = useState<string[]>([]);
  const [masks, setMasks] = useState<Record<string, MaskRect[]>>({});
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const titleField = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = (list: string[], item: string, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  const masked = plans.filter((p) => p.maskRequired);

  const choose = (keys: string[]) => {
    setChosen(keys);
    setError(null);
  };
  useEffect(() => {
    let live = true;
    planTeachingExport(chosen).then(
      (found) => live && setPlans(found),
      (e: unknown) => live && setError(String(e)),
    );
    return () => {
      live = false;
    };
  }, [chosen]);

  const next = () => {
    const blocked = plans.find((p) => p.problem);
    if (blocked) return setError(`${blocked.title}: ${blocked.problem}`);
    if (title.trim() === '') {
      setError(TITLE_MISSING);
      // The field the message is about, ready to type in.
      titleField.current?.focus();
      return;
    }
    setError(null);
    setStep(masked.length > 0 ? { kind: 'mask', index: 0 } : { kind: 'ready' });
  };

  const write = async () => {
    setStep({ kind: 'writing' });
    setError(null);
    setWriting(true);
    try {
      const result = await exportTeachingCase({
        title,
        learningPoints: points,
        runs: chosen.map((runKey, i) => ({
          runKey,
          label: plans.find((p) => p.runKey === runKey)?.title ?? `Run ${i + 1}`,
          mask: masks[runKey] ?? null,
        })),
        questions: questions.map((q) => {
          // Run keys hold "|" themselves; track ids ("needleTip-1") do not.
          const at = q.lastIndexOf('|');
          return { runKey: q.slice(0, at), trackId: q.slice(at + 1) };
        }),
        contrastPatternRunKeys: contrastRuns,
      });
      download(result.blob, result.fileName);
      setDraft(EMPTY_DRAFT);
      const video = result.withoutVideo > 0 ? ' No annotated video is included: this browser could not encode one.' : '';
      setStep({ kind: 'done', message: `Exported ${result.fileName} (${countText(result.manifest.runs.length, 'run')}).${video}` });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setStep({ kind: 'ready' });
    } finally {
      setWriting(false);
    }
  };

  return (
    <>
      <h2>Export teaching case</h2>
      {error && (
        <p role="alert" className="dialog-error">
          {error}
        </p>
      )}
      {step.kind === 'choose' && (
        <>
          <fieldset>
            <legend>Runs</legend>
            {runs.map((run) => (
              <label key={run.key}>
                <input
                  type="checkbox"
                  checked={chosen.includes(run.key)}
                  onChange={(e) => choose(toggle(chosen, run.key, e.currentTarget.checked))}
                />{' '}
                {runTitle(run)}
                {plans.find((p) => p.runKey === run.key)?.maskRequired ? ' (mask step: burned-in text possible)' : ''}
              </label>
            ))}
          </fieldset>
          <label>
            Title{' '}
            <input
              ref={titleField}
              type="text"
              value={title}
              aria-invalid={error === TITLE_MISSING || undefined}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
          </label>
          <label>
            Learning points (one per line)
            <textarea rows={4} value={points} onChange={(e) => setPoints(e.currentTarget.value)} />
          </label>
          <fieldset>
            <legend>Quiz questions</legend>
            {plans.every((p) => p.questionCandidates.length === 0 && !p.hasContrastPattern) && (
              <p className="note">No needle tip or target track with keyframes, and no contrast pattern recorded.</p>
            )}
            {plans.map((plan) => (
              <div key={plan.runKey}>
                {plan.questionCandidates.map((c) => {
                  const id = `${plan.runKey}|${c.trackId}`;
                  return (
                    <label key={id}>
                      <input
                        type="checkbox"
                        checked={questions.includes(id)}
                        onChange={(e) => setQuestions(toggle(questions, id, e.currentTarget.checked))}
                      />{' '}
                      Question: {c.label} ({plan.title}, {c.keyframes.length === 1 ? 'frame' : 'frames'} {c.keyframes.join(', ')})
                    </label>
                  );
                })}
                {plan.hasContrastPattern && (
                  <label>
                    <input
                      type="checkbox"
                      checked={contrastRuns.includes(plan.runKey)}
                      onChange={(e) => setContrastRuns(toggle(contrastRuns, plan.runKey, e.currentTarget.checked))}
                    />{' '}
                    Question: contrast pattern ({plan.title})
                  </label>
                )}
              </div>
            ))}
          </fieldset>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" disabled={chosen.length === 0 || plans.length !== chosen.length} onClick={next}>
              Next
            </button>
          </div>
        </>
      )}
      {step.kind === 'mask' && (
        <MaskStep
          key={masked[step.index].runKey}
          plan={masked[step.index]}
          onBack={() => setStep(step.index === 0 ? { kind: 'choose' } : { kind: 'mask', index: step.index - 1 })}
          onConfirm={(rects) => {
            setMasks({ ...masks, [masked[step.index].runKey]: rects });
            setStep(step.index + 1 < masked.length ? { kind: 'mask', index: step.index + 1 } : { kind: 'ready' });
          }}
        />
      )}
      {step.kind === 'ready' && (
        <>
          <p>
            {countText(chosen.length, 'run')} will be de-identified (PS3.15 Basic Profile, dates shifted)
            {masked.length > 0 ? `, ${masked.length} with its mask confirmed` : ''}.
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setStep({ kind: 'choose' })}>
              Back
            </button>
            <button type="button" onClick={() => void write()}>
              Export
            </button>
          </div>
        </>
      )}
      {step.kind === 'writing' && <p role="status">Writing the package…</p>}
      {step.kind === 'done' && (
        <>
          <p role="status">{step.message}</p>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </>
  );
}
