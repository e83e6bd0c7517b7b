import type { DirectorySeries, OpenedDirectory } from '../io/dicomDir';
import { openDirectorySeries } from '../state/session';
import { formatDicomDate, formatPersonName } from '../format/dicomValues';
import { useSession } from './hooks/useStore';

/** "FLUOROLENS, SYNTHETIC · ID FL-SAMPLE-001" */
function patientLabel(patient: OpenedDirectory['patients'][number]): string {
  return [formatPersonName(patient.name) || 'Unnamed patient', patient.id ? `ID ${patient.id}` : ''].filter(Boolean).join(' · ');
}

/** "Lumbar transforaminal ESI (synthetic) · 2024-03-12" */
function studyLabel(study: OpenedDirectory['patients'][number]['studies'][number]): string {
  return [study.description || 'Study without description', formatDicomDate(study.date)].filter(Boolean).join(' · ');
}

/** "XA series 3 · 10 files", with the series description first when the record has one. */
export function seriesLabel(series: DirectorySeries): string {
  const count = series.fileIds.length;
  const name = `${series.modality || 'Series'}${series.number ? ` series ${series.number}` : ''}`;
  return [series.description, name, `${count} file${count === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
}

/**
 * The patients, studies and series a chosen DICOMDIR lists, from its directory records. Each
 * series is a button that opens the files it names; names the DICOMDIR lists but that were not
 * chosen are counted here and named in the alert region.
 */
export function DicomDirList() {
  const directories = useSession((s) => s.directories);
  if (directories.length === 0) return null;
  return (
    <section className="dicomdir" aria-label="DICOMDIR">
      {directories.map((directory) => (
        <div key={directory.path}>
          <h3 className="dicomdir-title" title={directory.path}>
            {directory.path}
          </h3>
          <ul className="dicomdir-patients" aria-label={`Patients in ${directory.path}`}>
            {directory.patients.map((patient) => (
              <li key={`${patient.id}|${patient.name}`}>
                <div className="dicomdir-patient">{patientLabel(patient)}</div>
                <ul aria-label={`Studies of ${patientLabel(patient)}`}>
                  {patient.studies.map((study) => (
                    <li key={study.instanceUID}>
                      <div className="dicomdir-study">{studyLabel(study)}</div>
                      <ul aria-label={`Series of ${studyLabel(study)}`}>
                        {study.series.map((series) => (
                          <li key={series.key}>
                            <button
                              type="button"
                              className="dicomdir-series"
                              disabled={series.files.length === 0}
                              aria-label={`Open ${seriesLabel(series)}${series.missing.length ? `, ${series.missing.length} missing` : ''}`}
                              onClick={() => void openDirectorySeries(series.key)}
                            >
                              {seriesLabel(series)}
                              {series.missing.length > 0 && <span className="run-warning"> · {series.missing.length} missing</span>}
                            </button>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
