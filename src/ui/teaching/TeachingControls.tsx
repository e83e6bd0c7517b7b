import './teaching.css';
import { ExportTeachingCase } from './ExportTeachingCase';
import { QuizModeSwitch, useQuizAnswerPlacement } from './QuizPanel';

/** Export teaching case and the Quiz mode switch (the quiz itself is in the right-hand panel). */
export function TeachingControls() {
  useQuizAnswerPlacement();
  return (
    <div className="teaching-controls">
      <ExportTeachingCase />
      <QuizModeSwitch />
    </div>
  );
}
