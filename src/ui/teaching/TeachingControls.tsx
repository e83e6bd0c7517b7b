import './teaching.css';
import { ExportTeachingCase } from './ExportTeachingCase';
import { QuizModeSwitch, QuizPanel } from './QuizPanel';

/** Export teaching case, the Quiz mode switch, and the quiz panel while quiz mode is on. */
export function TeachingControls() {
  return (
    <div className="teaching-controls">
      <ExportTeachingCase />
      <QuizModeSwitch />
      <QuizPanel />
    </div>
  );
}
