import { useMemo } from 'react';
import { caseViews } from '../../state/caseViews';
import { documents } from '../../state/documents';
import { paneById } from '../../state/session';
import { useSession, useStore } from '../hooks/useStore';

const STATUS_WORDS = { satisfied: 'done', missing: 'missing', unknown: 'not sure' } as const;

/** The Views region: the procedure's view checklist and the two-views badge, for every open run. */
export function ViewsPanel() {
  const runs = useSession((s) => s.runs);
  const activeRunKey = useSession((s) => paneById(s, s.activePaneId)?.runKey ?? null);
  const byRun = useStore(documents, (s) => s.byRun);
  const views = useMemo(() => caseViews(runs, activeRunKey, (key) => byRun[key]?.doc), [runs, activeRunKey, byRun]);
  const { checklist, badge } = views;
  return (
    <section className="views-panel" aria-label="Views">
      <h2>Views</h2>
      {checklist ? (
        <>
          <p className="views-title">{checklist.title}</p>
          <ul aria-label="View checklist" className="view-checklist">
            {checklist.items.map((item) => (
              <li key={item.id} data-status={item.status} aria-label={`${item.label}: ${STATUS_WORDS[item.status]}`}>
                <span className="view-status" aria-hidden="true">
                  {item.status === 'satisfied' ? '✓' : item.status === 'unknown' ? '?' : '✗'}
                </span>{' '}
                <strong>{item.label}</strong>
                {item.runs.length > 0 && <span className="view-runs"> — {item.runs.map((r) => `${r.label} (${r.view})`).join('; ')}</span>}
                {item.note && <span className="view-note"> ({item.note})</span>}
              </li>
            ))}
          </ul>
          {checklist.note && <p className="hint">{checklist.note}</p>}
        </>
      ) : (
        <p className="hint">Choose the procedure in the case record to see the views it expects.</p>
      )}
      <p role="status" aria-label="Two views badge" className={badge.earned ? 'views-badge earned' : 'views-badge'}>
        {badge.text}
      </p>
      {!badge.earned && badge.missing.length > 0 && (
        <ul aria-label="Missing for two views" className="views-missing">
          {badge.missing.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
