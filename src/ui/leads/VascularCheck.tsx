import { vascularAgreement, type AnnotationDocument } from '../../annotations/model';
import type { OpenedRun } from '../../dicom/run';
import { checklistLabel } from '../../state/caseViews';
import '../calibration/calibration.css';

/** Whether this run's vascular uptake flags and its case record's intravascular patterns agree, or what does not. */
export function VascularCheck({ run, doc }: { run: OpenedRun; doc: AnnotationDocument }) {
  const label = checklistLabel(run);
  const result = vascularAgreement(
    doc.caseRecord,
    doc.vascularFlags.map((flag) => ({ runLabel: label, flag })),
  );
  const heading = result.status === 'agree' ? 'Agree' : result.status === 'mismatch' ? 'Mismatch' : 'Review';
  // The messages are clauses ("no vascular uptake flagged, …"): one sentence after the heading.
  const clauses = result.messages.join('; ');
  return (
    <div role="status" aria-label="Vascular uptake check" className={`vascular-check ${result.status}`}>
      <strong>Vascular uptake: {heading}.</strong> {clauses.charAt(0).toUpperCase() + clauses.slice(1)}.
    </div>
  );
}
