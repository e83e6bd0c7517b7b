/**
 * Quiz mode's logic (state/quiz.ts): which tracks and case-record answers are hidden while the
 * quiz runs, and how answers are scored (mm when calibrated, pixels said so when not).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyCaseRecord, type AnnotationDocument } from '../../src/annotations/model';
import {
  answerKey,
  answersOnFrame,
  errorText,
  forgetQuizRun,
  pickContrastPattern,
  placeAnswer,
  quiz,
  resultText,
  reveal,
  scoreQuiz,
  setQuizMode,
  startQuiz,
  visibleDocument,
} from '../../src/state/quiz';

const doc: AnnotationDocument = {
  runRef: { studyInstanceUID: '2.25.1', seriesInstanceUID: '2.25.2', sopInstanceUIDs: ['2.25.3'], frameCount: 10 },
  tracks: [
    {
      id: 'needleTip-1',
      kind: 'needleTip',
      label: 'Needle tip',
      color: '#ffd400',
      keyframes: [
        { frame: 1, geometry: { tip: { x: 10, y: 10 } } },
        { frame: 9, geometry: { tip: { x: 50, y: 90 } } },
      ],
    },
    {
      id: 'target-1',
      kind: 'target',
      label: 'Target',
      color: '#00e676',
      keyframes: [{ frame: 1, geometry: { center: { x: 60, y: 100 }, radiusPx: 5 } }],
    },
  ],
  caseRecord: { ...emptyCaseRecord(), contrastPatterns: ['epidural', 'intravascularVenous'] },
  calibration: null,
  vascularFlags: [],
  leadTips: [],
};

const question = { runKey: 'run-a', trackId: 'needleTip-1', kind: 'needleTip' as const, label: 'Needle tip', frames: [1, 5] };

beforeEach(() => startQuiz([question], ['run-a']));

describe('quiz mode hides the answers', () => {
  it('hides the asked tracks and the contrast pattern until Reveal, and only in quiz mode', () => {
    const hidden = visibleDocument('run-a', doc);
    expect(hidden.tracks.map((t) => t.id)).toEqual(['target-1']);
    expect(hidden.caseRecord.contrastPatterns).toEqual([]);
    expect(visibleDocument('run-a', doc), 'the same view while nothing changed (React selectors)').toBe(hidden);
    expect(visibleDocument('run-b', doc), 'other runs untouched').toBe(doc);
    setQuizMode(false);
    expect(visibleDocument('run-a', doc)).toBe(doc);
    setQuizMode(true);
    reveal();
    expect(visibleDocument('run-a', doc)).toBe(doc);
  });

  it('starts only with something to ask', () => {
    quiz.setState({ available: false, active: false });
    startQuiz([], []);
    expect(quiz.getState().active).toBe(false);
  });
});

describe('a closed run leaves the quiz', () => {
  it("drops the run's questions, answers and contrast pattern, keeps the others, and ends the quiz when nothing is left", () => {
    const other = { runKey: 'run-b#12', trackId: 'target-1', kind: 'target' as const, label: 'Target', frames: [2] };
    const closing = { ...question, runKey: 'run-b#1' };
    startQuiz([closing, other], ['run-b#1']);
    for (const q of [closing, other]) {
      quiz.setState({ placing: { runKey: q.runKey, trackId: q.trackId, frame: q.frames[0] } });
      placeAnswer({ x: 1, y: 1 });
    }
    pickContrastPattern('run-b#1', 'epidural', true);
    quiz.setState({ placing: { runKey: 'run-b#1', trackId: 'needleTip-1', frame: 5 } });
    forgetQuizRun('run-b#1');
    const left = quiz.getState();
    expect(left.questions).toEqual([other]);
    expect(left.contrastRuns).toEqual([]);
    expect(Object.keys(left.answers), 'a run key that only starts like the closed one keeps its answers').toEqual([
      answerKey('run-b#12', 'target-1', 2),
    ]);
    expect(left.contrastAnswers).toEqual({});
    expect(left.placing).toBeNull();
    expect(left.active).toBe(true);
    forgetQuizRun('run-c');
    expect(quiz.getState()).toEqual(left);
    forgetQuizRun('run-b#12');
    expect(quiz.getState()).toMatchObject({ available: false, active: false, questions: [], answers: {} });
  });
});

describe('scoring', () => {
  it('gives the error in mm when calibrated and counts answers within 3 mm as right', () => {
    quiz.setState({ placing: { runKey: 'run-a', trackId: 'needleTip-1', frame: 1 } });
    placeAnswer({ x: 13, y: 14 }); // 5 px off
    quiz.setState({ placing: { runKey: 'run-a', trackId: 'needleTip-1', frame: 5 } });
    placeAnswer({ x: 30, y: 50 }); // on the interpolated tip (30, 50)
    pickContrastPattern('run-a', 'intravascularVenous', true);
    pickContrastPattern('run-a', 'epidural', true);
    expect(Object.keys(quiz.getState().answers)).toEqual([answerKey('run-a', 'needleTip-1', 1), answerKey('run-a', 'needleTip-1', 5)]);
    const result = scoreQuiz(
      quiz.getState(),
      () => doc,
      () => ({ rowMm: 0.5, columnMm: 0.5 }),
    );
    expect(result.points.map((p) => [p.frame, p.errorMm, p.correct])).toEqual([
      [1, 2.5, true],
      [5, 0, true],
    ]);
    expect(errorText(result.points[0])).toBe('2.5 mm');
    expect(result.patterns[0]).toMatchObject({ correct: true });
    expect([result.score, result.total]).toEqual([3, 3]);
    const coarse = scoreQuiz(
      quiz.getState(),
      () => doc,
      () => ({ rowMm: 1, columnMm: 1 }),
    );
    expect(coarse.points[0]).toMatchObject({ errorMm: 5, correct: false });
  });

  it('says pixels when the run is uncalibrated, and scores missing answers and wrong patterns as wrong', () => {
    quiz.setState({ placing: { runKey: 'run-a', trackId: 'needleTip-1', frame: 1 } });
    placeAnswer({ x: 16, y: 18 }); // 10 px off
    pickContrastPattern('run-a', 'epidural', true);
    const result = scoreQuiz(
      quiz.getState(),
      () => doc,
      () => null,
    );
    expect(result.points[0]).toMatchObject({ errorMm: null, errorPx: 10, correct: true });
    expect(errorText(result.points[0])).toBe('10.0 px (uncalibrated: pixels)');
    expect(errorText(result.points[1])).toBe('not answered');
    expect(result.points[1].correct).toBe(false);
    expect(result.patterns[0]).toMatchObject({ picked: ['epidural'], expected: ['epidural', 'intravascularVenous'], correct: false });
    expect([result.score, result.total]).toEqual([1, 3]);
  });
});

describe('answers on the picture', () => {
  const calibrated = () => ({ rowMm: 0.5, columnMm: 0.5 });
  it('lists the answers placed on a frame, and after Reveal where the key has them and how far off', () => {
    quiz.setState({ placing: { runKey: 'run-a', trackId: 'needleTip-1', frame: 5 } });
    placeAnswer({ x: 30, y: 58 }); // 8 px below the interpolated tip (30, 50): 4 mm
    expect(answersOnFrame(quiz.getState(), null, 'run-a', 1), 'frame 1 has no answer yet').toEqual([]);
    expect(answersOnFrame(quiz.getState(), null, 'run-b', 5), 'another run').toEqual([]);
    const placed = answersOnFrame(quiz.getState(), null, 'run-a', 5);
    expect(placed).toEqual([
      {
        key: answerKey('run-a', 'needleTip-1', 5),
        label: 'Needle tip',
        answer: { x: 30, y: 58 },
        truth: null,
        verdict: null,
        correct: null,
      },
    ]);
    reveal();
    const result = scoreQuiz(quiz.getState(), () => doc, calibrated);
    expect(answersOnFrame(quiz.getState(), result, 'run-a', 5)).toEqual([
      { ...placed[0], truth: { x: 30, y: 50 }, verdict: '4.0 mm — wrong', correct: false },
    ]);
    setQuizMode(false);
    expect(answersOnFrame(quiz.getState(), result, 'run-a', 5), 'out of quiz mode nothing is drawn').toEqual([]);
  });

  it('words each result as the score list says it', () => {
    quiz.setState({ placing: { runKey: 'run-a', trackId: 'needleTip-1', frame: 1 } });
    placeAnswer({ x: 13, y: 14 });
    const result = scoreQuiz(quiz.getState(), () => doc, calibrated);
    expect(result.points.map(resultText)).toEqual(['error 2.5 mm', 'not answered']);
    // An answer on a frame the key has no point for (its track starts later) is not scored right.
    const noKey = scoreQuiz(quiz.getState(), () => ({ ...doc, tracks: [] }), calibrated);
    expect(resultText(noKey.points[0])).toBe('the answer key has no point on this frame');
    expect(noKey.points[0].correct).toBe(false);
  });
});
