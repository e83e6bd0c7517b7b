import { answersOnFrame, quiz } from '../../state/quiz';
import { quizResult } from '../../state/quizActions';
import { paneById, runOfPane } from '../../state/session';
import { useSession, useStore } from '../hooks/useStore';
import { imagePointInLayer } from '../review/imagePoints';
import { useViewportDisplay, useViewportElement } from '../review/useViewportDisplay';

/**
 * The trainee's placed answers on the picture, on their frames: a ring where each was placed, so
 * the trainee sees what was clicked (the panel only said "placed"); after Reveal, a line from the
 * answer to where the answer key has it and the error, so the trainee sees how far off and which way.
 */
export function QuizAnswerLayer({ paneId }: { paneId: string }) {
  // Outside a quiz nothing here follows the frame (it changes on every published frame of a playing run).
  const active = useStore(quiz, (s) => s.active);
  return active ? <QuizAnswers paneId={paneId} /> : null;
}

function QuizAnswers({ paneId }: { paneId: string }) {
  const state = useStore(quiz, (s) => s);
  const run = useSession((s) => runOfPane(s, paneId));
  const frame = useSession((s) => paneById(s, paneId)?.frame ?? 1);
  // Re-render when zoom, pan or rotation move the image under the marks.
  useViewportDisplay(paneId);
  const layer = useViewportElement(paneId);
  if (!run) return null;
  const answers = answersOnFrame(state, state.revealed ? quizResult() : null, run.key, frame);
  if (answers.length === 0) return null;
  return (
    <div className="quiz-answer-layer" data-testid="quiz-answers" aria-hidden="true">
      <svg className="quiz-answer-marks">
        {answers.map((a) => {
          const at = imagePointInLayer(paneId, layer, a.answer);
          if (!at) return null;
          const truth = a.truth && imagePointInLayer(paneId, layer, a.truth);
          const tone = a.correct === null ? 'placed' : a.correct ? 'right' : 'wrong';
          return (
            <g key={a.key} className={`quiz-answer ${tone}`} data-answer={a.key}>
              {truth && <line className="quiz-answer-offset" x1={at.x} y1={at.y} x2={truth.x} y2={truth.y} />}
              <circle cx={at.x} cy={at.y} r={8} />
              <line x1={at.x - 3} y1={at.y} x2={at.x + 3} y2={at.y} />
              <line x1={at.x} y1={at.y - 3} x2={at.x} y2={at.y + 3} />
              <text x={at.x + 12} y={at.y + 4}>
                {a.verdict ? `${a.label}: ${a.verdict}` : `Your answer (${a.label})`}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
