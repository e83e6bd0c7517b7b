/**
 * Quiz mode for trainees, from a teaching package's questions (manifest.quiz). While the quiz is
 * on and not revealed, the asked tracks are hidden (viewport, timeline, measurements: everything
 * that reads the document through visibleDocument) and so is the case record's contrast pattern
 * of the asked runs. The trainee places the needle tip and the target on the asked frames and
 * picks the contrast pattern; Reveal shows the tracks again with the error of each answer (mm when
 * the run is calibrated, pixels otherwise, said so) and the score.
 *
 * Answers are not part of the annotation document: they are never saved, exported or undone.
 */
import {
  CONTRAST_PATTERN_NAMES,
  geometryAt,
  lengthMm,
  type AnnotationDocument,
  type ContrastPattern,
  type Point,
} from '../annotations/model';
import { createStore } from './createStore';

/** Within this distance an answer counts as right. */
export const CORRECT_WITHIN_MM = 3;
/** The same for uncalibrated runs, in image pixels. */
export const CORRECT_WITHIN_PX = 10;

export interface QuizQuestionItem {
  readonly runKey: string;
  readonly trackId: string;
  readonly kind: 'needleTip' | 'target';
  readonly label: string;
  readonly frames: readonly number[];
}

export interface QuizState {
  /** A package with questions is open: the Quiz mode switch is usable. */
  readonly available: boolean;
  readonly active: boolean;
  readonly revealed: boolean;
  readonly questions: readonly QuizQuestionItem[];
  /** Runs whose contrast pattern the trainee must pick. */
  readonly contrastRuns: readonly string[];
  /** Placed points by answerKey(runKey, trackId, frame). */
  readonly answers: Readonly<Record<string, Point>>;
  readonly contrastAnswers: Readonly<Record<string, readonly ContrastPattern[]>>;
  /** The answer the next click on the image places, or null. */
  readonly placing: { readonly runKey: string; readonly trackId: string; readonly frame: number } | null;
}

const EMPTY: QuizState = {
  available: false,
  active: false,
  revealed: false,
  questions: [],
  contrastRuns: [],
  answers: {},
  contrastAnswers: {},
  placing: null,
};

export const quiz = createStore<QuizState>(EMPTY);

export const answerKey = (runKey: string, trackId: string, frame: number): string => `${runKey}|${trackId}|${frame}`;

/** A package with questions was opened: the quiz starts at once (trainees open packages to take it). */
export function startQuiz(questions: readonly QuizQuestionItem[], contrastRuns: readonly string[]): void {
  if (questions.length === 0 && contrastRuns.length === 0) return;
  quiz.setState({ ...EMPTY, available: true, active: true, questions, contrastRuns });
}

export function setQuizMode(active: boolean): void {
  quiz.setState((s) => (s.available ? { active, placing: null } : {}));
}

export function placeAnswer(point: Point): void {
  quiz.setState((s) =>
    s.placing ? { answers: { ...s.answers, [answerKey(s.placing.runKey, s.placing.trackId, s.placing.frame)]: point }, placing: null } : {},
  );
}

export function pickContrastPattern(runKey: string, pattern: ContrastPattern, on: boolean): void {
  quiz.setState((s) => {
    const current = s.contrastAnswers[runKey] ?? [];
    const next = on ? [...new Set([...current, pattern])] : current.filter((p) => p !== pattern);
    return { contrastAnswers: { ...s.contrastAnswers, [runKey]: next } };
  });
}

export function reveal(): void {
  quiz.setState({ revealed: true, placing: null });
}

/** Whether a track is hidden now. */
export function isHidden(state: QuizState, runKey: string, trackId: string): boolean {
  return state.active && !state.revealed && state.questions.some((q) => q.runKey === runKey && q.trackId === trackId);
}

const views = new WeakMap<AnnotationDocument, { state: QuizState; runKey: string; view: AnnotationDocument }>();

/** The document as the trainee may see it now (the same object when nothing is hidden). */
export function visibleDocument(runKey: string, doc: AnnotationDocument, state: QuizState = quiz.getState()): AnnotationDocument {
  if (!state.active || state.revealed) return doc;
  const hideTracks = state.questions.some((q) => q.runKey === runKey);
  const hidePattern = state.contrastRuns.includes(runKey);
  if (!hideTracks && !hidePattern) return doc;
  const cached = views.get(doc);
  if (cached && cached.state === state && cached.runKey === runKey) return cached.view;
  const view: AnnotationDocument = {
    ...doc,
    tracks: doc.tracks.filter((t) => !isHidden(state, runKey, t.id)),
    caseRecord: hidePattern ? { ...doc.caseRecord, contrastPatterns: [] } : doc.caseRecord,
  };
  views.set(doc, { state, runKey, view });
  return view;
}

export interface PointResult {
  readonly runKey: string;
  readonly trackId: string;
  readonly label: string;
  readonly frame: number;
  readonly answer: Point | null;
  readonly truth: Point | null;
  /** Error in mm when the run is calibrated, else null. */
  readonly errorMm: number | null;
  readonly errorPx: number | null;
  readonly correct: boolean;
}

export interface PatternResult {
  readonly runKey: string;
  readonly picked: readonly ContrastPattern[];
  readonly expected: readonly ContrastPattern[];
  readonly correct: boolean;
}

export interface QuizResult {
  readonly points: readonly PointResult[];
  readonly patterns: readonly PatternResult[];
  readonly score: number;
  readonly total: number;
}

export type CalibrationOf = (runKey: string) => { rowMm: number; columnMm: number } | null;

/** Where the asked track is on a frame: its keyframe, or interpolated between keyframes. */
function truthAt(doc: AnnotationDocument | undefined, trackId: string, frame: number): Point | null {
  const track = doc?.tracks.find((t) => t.id === trackId);
  const at = track ? geometryAt(track, frame) : null;
  if (!track || !at) return null;
  if (track.kind === 'needleTip') return (at.geometry as { tip: Point }).tip;
  if (track.kind === 'target') return (at.geometry as { center: Point }).center;
  return null;
}

/** Scores the answers against the (full) documents. */
export function scoreQuiz(
  state: QuizState,
  documentOf: (runKey: string) => AnnotationDocument | undefined,
  calibrationOf: CalibrationOf,
): QuizResult {
  const points: PointResult[] = [];
  for (const q of state.questions) {
    const calibration = calibrationOf(q.runKey);
    for (const frame of q.frames) {
      const answer = state.answers[answerKey(q.runKey, q.trackId, frame)] ?? null;
      const truth = truthAt(documentOf(q.runKey), q.trackId, frame);
      const errorPx = answer && truth ? Math.hypot(answer.x - truth.x, answer.y - truth.y) : null;
      const errorMm = answer && truth && calibration ? lengthMm(answer, truth, calibration) : null;
      const correct = errorMm !== null ? errorMm <= CORRECT_WITHIN_MM : errorPx !== null && errorPx <= CORRECT_WITHIN_PX;
      points.push({ runKey: q.runKey, trackId: q.trackId, label: q.label, frame, answer, truth, errorMm, errorPx, correct });
    }
  }
  const patterns = state.contrastRuns.map((runKey) => {
    const expected = [...(documentOf(runKey)?.caseRecord.contrastPatterns ?? [])].sort();
    const picked = [...(state.contrastAnswers[runKey] ?? [])].sort();
    return { runKey, picked, expected, correct: picked.length > 0 && picked.join() === expected.join() };
  });
  const score = points.filter((p) => p.correct).length + patterns.filter((p) => p.correct).length;
  return { points, patterns, score, total: points.length + patterns.length };
}

/** "2.4 mm", "12.0 px (uncalibrated: pixels)", "not answered", or that the key has no point there. */
export function errorText(result: PointResult): string {
  if (result.errorMm !== null) return `${result.errorMm.toFixed(1)} mm`;
  if (result.errorPx !== null) return `${result.errorPx.toFixed(1)} px (uncalibrated: pixels)`;
  return result.answer ? 'the answer key has no point on this frame' : 'not answered';
}

/** A point result as the score list says it: "error 2.4 mm", "not answered". */
export function resultText(result: PointResult): string {
  return result.errorMm !== null || result.errorPx !== null ? `error ${errorText(result)}` : errorText(result);
}

/** A placed answer as the picture shows it; after Reveal, with where the answer key has it. */
export interface ShownAnswer {
  readonly key: string;
  readonly label: string;
  readonly answer: Point;
  /** After Reveal: the answer key's point (null when it has none on this frame). */
  readonly truth: Point | null;
  /** After Reveal: "5.9 mm — wrong". */
  readonly verdict: string | null;
  readonly correct: boolean | null;
}

/** The answers placed on one frame of one run, scored when `result` is given (after Reveal). */
export function answersOnFrame(state: QuizState, result: QuizResult | null, runKey: string, frame: number): ShownAnswer[] {
  if (!state.active) return [];
  const shown: ShownAnswer[] = [];
  for (const q of state.questions) {
    if (q.runKey !== runKey || !q.frames.includes(frame)) continue;
    const key = answerKey(runKey, q.trackId, frame);
    const answer = state.answers[key];
    if (!answer) continue;
    const scored = result?.points.find((p) => p.runKey === runKey && p.trackId === q.trackId && p.frame === frame) ?? null;
    shown.push({
      key,
      label: q.label,
      answer,
      truth: scored?.truth ?? null,
      verdict: scored ? `${errorText(scored)} — ${scored.correct ? 'right' : 'wrong'}` : null,
      correct: scored ? scored.correct : null,
    });
  }
  return shown;
}

export const patternName = (p: ContrastPattern): string => CONTRAST_PATTERN_NAMES[p];

/**
 * A run was closed: its questions, answers and contrast pattern leave the quiz (they cannot be
 * answered or shown without it); with nothing left to ask, the quiz ends.
 */
export function forgetQuizRun(runKey: string): void {
  quiz.setState((s) => {
    const questions = s.questions.filter((q) => q.runKey !== runKey);
    const contrastRuns = s.contrastRuns.filter((key) => key !== runKey);
    if (questions.length === s.questions.length && contrastRuns.length === s.contrastRuns.length) return {};
    if (questions.length === 0 && contrastRuns.length === 0) return EMPTY;
    const answers = Object.fromEntries(Object.entries(s.answers).filter(([key]) => !key.startsWith(`${runKey}|`)));
    const contrastAnswers = { ...s.contrastAnswers };
    delete contrastAnswers[runKey];
    const placing = s.placing?.runKey === runKey ? null : s.placing;
    return { questions, contrastRuns, answers, contrastAnswers, placing };
  });
}
