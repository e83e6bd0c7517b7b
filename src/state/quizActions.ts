/**
 * Quiz actions that need the open runs and the viewer: putting an answer where the trainee
 * clicked (the pane that shows the asked run on the asked frame, the click turned into an image
 * point), and scoring against the full documents with each run's calibration. quiz.ts stays pure.
 */
import { resolveCalibration } from '../annotations/model';
import { clientToImagePoint } from '../viewer/review';
import { documentOf } from './documents';
import { placeAnswer, quiz, scoreQuiz, type QuizResult } from './quiz';
import { runByKey, selectRun, session, setFrame } from './session';

/** Shows the asked run and frame: in a pane already showing the run, else in the active pane. */
export function showQuestionFrame(runKey: string, frame: number): void {
  const state = session.getState();
  let pane = state.panes.find((p) => p.runKey === runKey);
  if (!pane) {
    selectRun(runKey);
    pane = session.getState().panes.find((p) => p.id === state.activePaneId)!;
  }
  setFrame(frame, pane.id);
}

/** Shows the asked run and frame and arms the answer. */
export function startPlacing(runKey: string, trackId: string, frame: number): void {
  showQuestionFrame(runKey, frame);
  quiz.setState({ placing: { runKey, trackId, frame } });
}

/** Places the armed answer at a click, when it fell on the asked frame's image; returns whether it did. */
export function placeAnswerAtClick(clientX: number, clientY: number): boolean {
  const placing = quiz.getState().placing;
  const run = placing && runByKey(placing.runKey);
  if (!placing || !run) return false;
  for (const pane of session.getState().panes) {
    if (pane.runKey !== placing.runKey || pane.frame !== placing.frame) continue;
    const point = clientToImagePoint(pane.id, clientX, clientY);
    if (point && point.x >= 0 && point.y >= 0 && point.x <= run.info.columns && point.y <= run.info.rows) {
      placeAnswer(point);
      return true;
    }
  }
  return false;
}

/** The score of the answers so far, against the full documents (mm where the run is calibrated). */
export function quizResult(): QuizResult {
  return scoreQuiz(quiz.getState(), documentOf, (runKey) => {
    const run = runByKey(runKey);
    return run ? resolveCalibration(run.info.spacing, documentOf(runKey)?.calibration) : null;
  });
}
