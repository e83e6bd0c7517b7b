import { useEffect } from 'react';
import { CONTRAST_PATTERNS } from '../../annotations/model';
import { answerKey, patternName, pickContrastPattern, quiz, resultText, reveal, setQuizMode } from '../../state/quiz';
import { placeAnswerAtClick, quizResult, showQuestionFrame, startPlacing } from '../../state/quizActions';
import { runByKey } from '../../state/session';
import { runTitle } from '../../format/run';
import { useStore } from '../hooks/useStore';

/** The "Quiz mode" switch: usable once a teaching package with questions is open. */
export function QuizModeSwitch() {
  const available = useStore(quiz, (s) => s.available);
  const active = useStore(quiz, (s) => s.active);
  return (
    <button type="button" role="switch" aria-checked={active} disabled={!available} onClick={() => setQuizMode(!active)}>
      Quiz mode
    </button>
  );
}

const runName = (runKey: string): string => {
  const run = runByKey(runKey);
  return run ? runTitle(run) : 'a closed run';
};

/**
 * While an answer is armed, a click on the image places it and does not reach the tools (they
 * listen to mouse events, which follow the pointer event of the same press). Mounted with the
 * header's teaching controls, so it works whether or not the panel holding the quiz is open.
 */
export function useQuizAnswerPlacement(): void {
  useEffect(() => {
    let swallow = false;
    const onPointerDown = (event: PointerEvent) => {
      if (!quiz.getState().placing) return;
      if (!(event.target instanceof Element) || !event.target.closest('[data-testid="viewport"]')) return;
      if (placeAnswerAtClick(event.clientX, event.clientY)) {
        swallow = true;
        event.preventDefault();
        event.stopPropagation();
      }
    };
    const onMouse = (event: MouseEvent) => {
      if (!swallow) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.type === 'mouseup') swallow = false;
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('mousedown', onMouse, true);
    document.addEventListener('mouseup', onMouse, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('mousedown', onMouse, true);
      document.removeEventListener('mouseup', onMouse, true);
    };
  }, []);
}

/**
 * The trainee's side: what is asked, where the answers are, the contrast pattern, Reveal and the
 * score. At the top of the right-hand panel (ui/measurements/RunAnalysisPanel.tsx), which opens
 * when a quiz starts: floating over the page, it hid the case record and the chart below it.
 */
export function QuizPanel() {
  const state = useStore(quiz, (s) => s);
  const placing = state.placing;
  if (!state.active) return null;
  const result = state.revealed ? quizResult() : null;
  return (
    <section className="quiz-panel" role="region" aria-label="Quiz">
      <h2>Quiz</h2>
      {!state.revealed && (
        <p className="note">The asked tracks are hidden. Place each answer on its frame, pick the contrast pattern, then Reveal.</p>
      )}
      {state.questions.length > 0 && (
        <ul aria-label="Questions">
          {state.questions.flatMap((q) =>
            q.frames.map((frame) => {
              const answer = state.answers[answerKey(q.runKey, q.trackId, frame)];
              const name = `Place ${q.label} on frame ${frame}`;
              const armed = placing?.runKey === q.runKey && placing.trackId === q.trackId && placing.frame === frame;
              return (
                <li key={`${q.runKey}|${q.trackId}|${frame}`}>
                  {q.label}, frame {frame} ({runName(q.runKey)}): {answer ? 'placed' : armed ? 'click the image' : 'not placed'}{' '}
                  {!state.revealed && (
                    <button type="button" aria-pressed={armed} onClick={() => startPlacing(q.runKey, q.trackId, frame)}>
                      {name}
                    </button>
                  )}
                </li>
              );
            }),
          )}
        </ul>
      )}
      {state.contrastRuns.map((runKey) => (
        <fieldset key={runKey} disabled={state.revealed}>
          <legend>Contrast pattern ({runName(runKey)})</legend>
          {CONTRAST_PATTERNS.map((pattern) => (
            <label key={pattern}>
              <input
                type="checkbox"
                checked={(state.contrastAnswers[runKey] ?? []).includes(pattern)}
                onChange={(e) => pickContrastPattern(runKey, pattern, e.currentTarget.checked)}
              />{' '}
              {patternName(pattern)}
            </label>
          ))}
        </fieldset>
      ))}
      {!state.revealed && (
        <button type="button" onClick={reveal}>
          Reveal
        </button>
      )}
      {result && (
        <div role="status" aria-label="Quiz result">
          <ul>
            {result.points.map((p) => (
              <li key={`${p.runKey}|${p.trackId}|${p.frame}`}>
                {p.label}, frame {p.frame}: {resultText(p)} — {p.correct ? 'right' : 'wrong'}{' '}
                {/* The frame, with the answer and the answer key drawn on it. */}
                <button type="button" onClick={() => showQuestionFrame(p.runKey, p.frame)}>
                  Show frame {p.frame}
                </button>
              </li>
            ))}
            {result.patterns.map((p) => (
              <li key={p.runKey}>
                Contrast pattern: you picked {p.picked.map(patternName).join(', ') || 'nothing'}; the answer is{' '}
                {p.expected.map(patternName).join(', ') || 'not recorded'} — {p.correct ? 'right' : 'wrong'}
              </li>
            ))}
          </ul>
          <p>
            Score: {result.score} of {result.total}
          </p>
        </div>
      )}
    </section>
  );
}
