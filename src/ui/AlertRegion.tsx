import { dismissAlert, dismissAllAlerts } from '../state/session';
import { useSession } from './hooks/useStore';
import { countText } from '../format/text';

/**
 * Load errors, one entry per file with the reason, announced to assistive technology. Above the
 * panes at most four lines tall (more scroll), so a folder of broken files cannot push the picture
 * off the screen; several can be dismissed at once.
 */
export function AlertRegion() {
  const alerts = useSession((s) => s.alerts);
  return (
    <section className={alerts.length > 1 ? 'messages many' : 'messages'}>
      {alerts.length > 1 && (
        <button type="button" className="dismiss-all" onClick={dismissAllAlerts}>
          Dismiss all {alerts.length} messages
        </button>
      )}
      <div role="alert" aria-label="Load errors" className="alerts">
        {alerts.length > 0 && (
          <ul>
            {alerts.map((alert) => (
              <li key={alert.id}>
                <strong>{alert.file}</strong>: {alert.reason}
                <button
                  type="button"
                  className="dismiss"
                  aria-label={`Dismiss message about ${alert.file}`}
                  onClick={() => dismissAlert(alert.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/**
 * Files that were not runs (reports, dose objects, other files of a folder), each with the reason:
 * in the runs list, where they were opened, so the panes do not move when they arrive.
 */
export function SkippedFiles() {
  const skipped = useSession((s) => s.skipped);
  if (skipped.length === 0) return null;
  return (
    <details className="skipped">
      <summary>{countText(skipped.length, 'file')} skipped</summary>
      <ul aria-label="Skipped files">
        {skipped.map((s) => (
          <li key={s.id}>
            <strong>{s.file}</strong>: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
