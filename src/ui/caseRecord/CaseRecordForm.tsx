import { memo } from 'react';
import {
  APPROACH_NAMES,
  CONTRAST_PATTERNS,
  CONTRAST_PATTERN_NAMES,
  PROCEDURE_NAMES,
  SIDE_NAMES,
  updateCaseRecord,
  type CaseRecord,
  type CaseRecordPatch,
} from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import { apply } from '../../state/documents';
import { paneById, session } from '../../state/session';
import { ChoiceSelect, NotesField, ParsedField } from './CaseRecordFields';
import { levelsText, parseFrame, parseLevels } from '../../format/caseRecord';

const CONFIRMATION: ReadonlyArray<readonly [value: boolean | null, label: string]> = [
  [true, 'Yes'],
  [false, 'No'],
  [null, 'Unknown'],
];

interface FormProps {
  run: OpenedRun;
  record: CaseRecord;
  /** The pane whose current frame "Use current frame" takes (read on click, so playback does not re-render the form). */
  paneId: string;
}

/** The case record of the run's document; every change is one "Edit case record" undo step. */
export const CaseRecordForm = memo(function CaseRecordForm({ run, record, paneId }: FormProps) {
  const update = (patch: CaseRecordPatch) => apply(run.key, updateCaseRecord(patch));
  const frameCount = run.info.frameCount;
  const togglePattern = (pattern: (typeof CONTRAST_PATTERNS)[number], on: boolean) => {
    const next = CONTRAST_PATTERNS.filter((p) => (p === pattern ? on : record.contrastPatterns.includes(p)));
    update({ contrastPatterns: next });
  };
  return (
    <form aria-label="Case record" className="case-record" onSubmit={(e) => e.preventDefault()}>
      <ChoiceSelect label="Procedure" value={record.procedure} names={PROCEDURE_NAMES} onChange={(procedure) => update({ procedure })} />
      <ParsedField
        label="Vertebral levels"
        placeholder="e.g. L4, L5-S1"
        committed={levelsText(record.levels)}
        parse={parseLevels}
        format={levelsText}
        onCommit={(levels) => update({ levels })}
      />
      <ChoiceSelect label="Side" value={record.side} names={SIDE_NAMES} onChange={(side) => update({ side })} />
      <ChoiceSelect label="Approach" value={record.approach} names={APPROACH_NAMES} onChange={(approach) => update({ approach })} />
      <fieldset className="field patterns">
        <legend>Contrast pattern</legend>
        {CONTRAST_PATTERNS.map((pattern) => (
          <label key={pattern} className="check">
            <input
              type="checkbox"
              checked={record.contrastPatterns.includes(pattern)}
              onChange={(e) => togglePattern(pattern, e.currentTarget.checked)}
            />
            {CONTRAST_PATTERN_NAMES[pattern]}
          </label>
        ))}
      </fieldset>
      <ParsedField
        label="Contrast first seen at frame"
        inputMode="numeric"
        placeholder={`1–${frameCount}`}
        committed={record.contrastFirstSeenFrame === null ? '' : String(record.contrastFirstSeenFrame)}
        parse={(text) => parseFrame(text, frameCount)}
        format={(value) => (value === null ? '' : String(value))}
        onCommit={(contrastFirstSeenFrame) => update({ contrastFirstSeenFrame })}
      >
        <button
          type="button"
          onClick={() => {
            const frame = paneById(session.getState(), paneId)?.frame ?? 1;
            if (record.contrastFirstSeenFrame !== frame) update({ contrastFirstSeenFrame: frame });
          }}
        >
          Use current frame
        </button>
      </ParsedField>
      <fieldset className="field confirmation">
        <legend>Placement confirmed before medication</legend>
        {CONFIRMATION.map(([value, label]) => (
          <label key={label} className="check">
            <input
              type="radio"
              name={`confirmed-${run.key}`}
              checked={record.placementConfirmedBeforeMedication === value}
              onChange={() => update({ placementConfirmedBeforeMedication: value })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <NotesField key={run.key} committed={record.notes} onCommit={(notes) => notes !== record.notes && update({ notes })} />
    </form>
  );
});
