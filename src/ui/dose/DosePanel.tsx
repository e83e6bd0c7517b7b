import { useMemo } from 'react';
import { caseDose, runDose } from '../../imaging/dose';
import { caseDoseRows, runDoseRows, type DoseRow } from '../../format/dose';
import { runOfPane } from '../../state/session';
import { runTitle } from '../../format/run';
import { useSession } from '../hooks/useStore';
import './dose.css';
import { countText } from '../../format/text';

function DoseTable({ caption, rows, notes }: { caption: string; rows: readonly DoseRow[]; notes: readonly string[] }) {
  return (
    <table className="dose-table" aria-label={caption}>
      <caption>{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            <td>{r.value}</td>
            <td className="dose-source">{r.source ?? ''}</td>
          </tr>
        ))}
      </tbody>
      {notes.length > 0 && (
        <tfoot>
          {notes.map((note) => (
            <tr key={note}>
              <td colSpan={3} className="dose-note">
                {note}
              </td>
            </tr>
          ))}
        </tfoot>
      )}
    </table>
  );
}

/**
 * Dose and time for the active pane's run and for the case (the open runs of its study), from the
 * image headers and any X-Ray Radiation Dose SR of the study among the opened files. Each value
 * says where it came from.
 */
export function DosePanel() {
  const run = useSession((s) => runOfPane(s, s.activePaneId));
  const runs = useSession((s) => s.runs);
  const reports = useSession((s) => s.doseReports);
  const study = run?.info.study.instanceUID;
  const perRun = useMemo(() => (run ? runDose(run.info, reports) : null), [run, reports]);
  const perCase = useMemo(() => {
    const inStudy = runs.filter((r) => r.info.study.instanceUID === study).map((r) => r.info);
    return caseDose(inStudy, reports);
  }, [runs, reports, study]);
  if (!run || !perRun) return null;
  const studyReports = reports.filter((r) => r.studyInstanceUID === study);
  return (
    <section role="region" aria-label="Dose and time" className="dose-panel">
      <h2>Dose and time</h2>
      <p className="dose-sources">
        {studyReports.length > 0
          ? `Radiation Dose SR: ${studyReports.map((r) => r.fileName).join(', ')}${perRun.events.length > 0 ? ` (${countText(perRun.events.length, 'event')} of this run)` : ' (no event matches this run)'}`
          : 'No Radiation Dose SR of this study is open: values from the image headers.'}
      </p>
      <DoseTable caption={`This run: ${runTitle(run)}`} rows={runDoseRows(perRun)} notes={perRun.notes} />
      <DoseTable caption="This case" rows={caseDoseRows(perCase)} notes={perCase.notes} />
    </section>
  );
}
