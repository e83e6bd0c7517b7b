import { useEffect, useState, type FormEvent } from 'react';
import { formatDicomDate, formatPersonName } from '../../format/dicomValues';
import { studyCountText } from '../../format/pacs';
import { countText } from '../../format/text';
import {
  activeRunReportFile,
  choosePacsStudy,
  loadActiveRunReportFromPacs,
  openPacsSeries,
  preparePacsSeries,
  pacs,
  saveActiveRunToPacs,
  searchPacsStudies,
  setPacsBase,
  giveCredentials,
  type PacsSeries,
} from '../../state/pacs';
import type { StudySummary } from '../../io/dicomweb';
import { selectedRun } from '../../state/session';
import { useSession, useStore } from '../hooks/useStore';
import './pacs.css';

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/dicom' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function ServerForm() {
  const baseUrl = useStore(pacs, (s) => s.baseUrl);
  const [text, setText] = useState(baseUrl);
  useEffect(() => setText(baseUrl), [baseUrl]);
  return (
    <form
      className="pacs-row"
      onSubmit={(e) => {
        e.preventDefault();
        setPacsBase(text);
      }}
    >
      <label>
        DICOMweb URL
        <input value={text} onChange={(e) => setText(e.currentTarget.value)} spellCheck={false} />
      </label>
      <button type="submit">Use server</button>
    </form>
  );
}

/** Credentials stay in this form's state until used, then only in the DICOMweb client (memory, this page). */
function CredentialsForm() {
  const asked = useStore(pacs, (s) => s.credentialsAsked);
  const [kind, setKind] = useState<'basic' | 'bearer'>('basic');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const credentials = kind === 'basic' ? { kind, user, password } : { kind, token };
    setPassword('');
    setToken('');
    void giveCredentials(credentials);
  };
  return (
    <form className="pacs-credentials" aria-label="PACS credentials" onSubmit={submit}>
      {asked && (
        <p className="pacs-asked" role="status">
          {asked}: enter credentials
        </p>
      )}
      <label>
        Credentials
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'basic' | 'bearer')}>
          <option value="basic">User and password</option>
          <option value="bearer">Bearer token</option>
        </select>
      </label>
      {kind === 'basic' ? (
        <>
          <label>
            User
            <input value={user} autoComplete="off" onChange={(e) => setUser(e.currentTarget.value)} />
          </label>
          <label>
            Password
            <input type="password" value={password} autoComplete="off" onChange={(e) => setPassword(e.currentTarget.value)} />
          </label>
        </>
      ) : (
        <label>
          Token
          <input type="password" value={token} autoComplete="off" onChange={(e) => setToken(e.currentTarget.value)} />
        </label>
      )}
      <button type="submit">Use credentials</button>
    </form>
  );
}

function SearchForm() {
  const busy = useStore(pacs, (s) => s.busy);
  const [patientName, setPatientName] = useState('');
  const [patientId, setPatientId] = useState('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [modalities, setModalities] = useState('XA RF');
  return (
    <form
      className="pacs-search"
      aria-label="Study search"
      onSubmit={(e) => {
        e.preventDefault();
        void searchPacsStudies({
          patientName,
          patientId,
          dateFrom,
          dateTo,
          modalities: modalities.split(/[\s,]+/).filter(Boolean),
        });
      }}
    >
      <label>
        Patient name
        <input value={patientName} onChange={(e) => setPatientName(e.currentTarget.value)} />
      </label>
      <label>
        Patient ID
        <input value={patientId} onChange={(e) => setPatientId(e.currentTarget.value)} />
      </label>
      <label>
        From
        <input type="date" value={dateFrom} onChange={(e) => setDateFrom(e.currentTarget.value)} />
      </label>
      <label>
        To
        <input type="date" value={dateTo} onChange={(e) => setDateTo(e.currentTarget.value)} />
      </label>
      <label>
        Modalities
        <input
          value={modalities}
          title="Any of these (space-separated); empty for any"
          onChange={(e) => setModalities(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={busy === 'search'}>
        Search
      </button>
    </form>
  );
}

function studyLabel(study: StudySummary): string {
  return [formatPersonName(study.patientName) || 'No name', study.patientId && `ID ${study.patientId}`].filter(Boolean).join(' · ');
}

function seriesLabel(series: PacsSeries): string {
  const count = series.frameCount;
  // A series without images says what it holds instead ("Radiation dose report").
  const content = series.nonImage ?? (count === null ? 'frames unknown' : countText(count, 'frame'));
  return [`Series ${series.seriesNumber ?? '?'}`, series.description, series.modality, content].filter(Boolean).join(' · ');
}

function SeriesList({ series }: { series: PacsSeries[] }) {
  if (series.length === 0) return <p className="hint">No series</p>;
  return (
    <ul className="pacs-series" aria-label="Series">
      {series.map((s) => (
        <li key={s.seriesInstanceUID}>
          {s.nonImage === null ? (
            <button
              type="button"
              className="pacs-series-item"
              aria-label={`Open ${seriesLabel(s)}`}
              onClick={() => void openPacsSeries({ studyInstanceUID: s.studyInstanceUID, seriesInstanceUID: s.seriesInstanceUID }, s)}
              // Metadata and frame 1 fetched while the user is about to click (state/pacs.ts).
              onPointerEnter={() => preparePacsSeries(s)}
              onFocus={() => preparePacsSeries(s)}
            >
              {s.thumbnailUrl ? <img src={s.thumbnailUrl} alt="" className="pacs-thumbnail" /> : <span className="pacs-thumbnail" />}
              <span className="run-meta">{seriesLabel(s)}</span>
            </button>
          ) : (
            // Not a run: nothing to open here (the dose panel reads dose reports).
            <span className="pacs-series-item pacs-non-image">
              <span className="pacs-thumbnail" />
              <span className="run-meta">{seriesLabel(s)}</span>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function StudyList() {
  const studies = useStore(pacs, (s) => s.studies);
  const selected = useStore(pacs, (s) => s.selectedStudy);
  const series = useStore(pacs, (s) => s.series);
  if (!studies) return null;
  return (
    <>
      <h3 className="pacs-list-heading">{studyCountText(studies.length)}</h3>
      <ul className="pacs-studies" aria-label="Studies">
        {studies.map((study) => (
          <li key={study.studyInstanceUID}>
            <button
              type="button"
              className="pacs-study"
              aria-pressed={study.studyInstanceUID === selected}
              onClick={() => void choosePacsStudy(study.studyInstanceUID)}
            >
              <span className="run-title">{studyLabel(study)}</span>
              <span className="run-meta">
                {[formatDicomDate(study.studyDate), study.description, study.modalities.join(' ')].filter(Boolean).join(' · ')}
              </span>
            </button>
            {study.studyInstanceUID === selected && series && <SeriesList series={series} />}
          </li>
        ))}
      </ul>
    </>
  );
}

function ReportButtons() {
  const busy = useStore(pacs, (s) => s.busy);
  const hasRun = useSession((s) => selectedRun(s) !== null);
  return (
    <div className="pacs-row" role="group" aria-label="Annotations and the PACS">
      <button type="button" disabled={!hasRun || busy === 'save'} onClick={() => void saveActiveRunToPacs()}>
        Save to PACS
      </button>
      <button
        type="button"
        disabled={!hasRun || busy === 'load'}
        title="Load the newest FluoroLens report on the PACS about this run"
        onClick={() =>
          void loadActiveRunReportFromPacs(() => window.confirm('Replace the annotations of this run with the report from the PACS?'))
        }
      >
        Load from PACS
      </button>
      <button
        type="button"
        disabled={!hasRun}
        title="Download the annotations of this run as a DICOM SR (TID 1500)"
        onClick={() => void activeRunReportFile().then((file) => file && download(file.name, file.bytes))}
      >
        Export DICOM SR
      </button>
    </div>
  );
}

/** The PACS region: server, credentials, study search, a study's series, and the report buttons. */
export function PacsPanel() {
  const baseUrl = useStore(pacs, (s) => s.baseUrl);
  const asked = useStore(pacs, (s) => s.credentialsAsked);
  const credentials = useStore(pacs, (s) => s.credentials);
  const status = useStore(pacs, (s) => s.status);
  const busy = useStore(pacs, (s) => s.busy);
  const listingsForgotten = useStore(pacs, (s) => s.listingsForgotten);
  const [serverOpen, setServerOpen] = useState(false);
  useEffect(() => {
    if (asked) setServerOpen(true);
  }, [asked]);
  return (
    <section className="pacs-panel" aria-label="PACS">
      <h2>PACS</h2>
      <details open={serverOpen} onToggle={(e) => setServerOpen(e.currentTarget.open)}>
        <summary>
          {baseUrl}
          {credentials !== 'none' && ' · credentials set'}
        </summary>
        <ServerForm />
        <CredentialsForm />
      </details>
      {/* Made anew when Close all forgets the listings: the names typed go with them. */}
      <SearchForm key={listingsForgotten} />
      <output className="pacs-status" aria-label="PACS status" aria-live="polite" aria-busy={busy !== null}>
        {status}
      </output>
      <StudyList />
      <ReportButtons />
    </section>
  );
}
