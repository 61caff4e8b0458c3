import { useEffect, useState } from 'react';
import type { AdminApi, RecoveryDashboard } from './adminApi';

const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

/** The recovery dashboard and incidents, as the server computed them from the reported items. */
export function RecoveryDashboardView({ api, revision }: { api: AdminApi; revision: number }) {
  const [data, setData] = useState<RecoveryDashboard>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.dashboard().then(
      (next) => live && (setData(next), setError(undefined)),
      (caught: unknown) => live && setError(caught instanceof Error ? caught.message : String(caught)),
    );
    return () => {
      live = false;
    };
  }, [api, revision]);
  return (
    <section aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">Recovery dashboard</h2>
      {error && <p className="error">{error}</p>}
      {data && (
        <>
          <p className="muted">{data.coverage}</p>
          <dl aria-label="Outcomes">
            <dt>Reported items</dt><dd>{data.items} from {data.clients} client{data.clients === 1 ? '' : 's'}</dd>
            <dt>Succeeded first try</dt><dd>not reported</dd>
            <dt>Needed recovery, then succeeded</dt><dd>{data.outcomes.recoveredAfterIntervention}</dd>
            <dt>Failed after recovery</dt><dd>{data.outcomes.failedAfterRecovery}</dd>
            <dt>Mean recovery time</dt><dd>{data.meanRecoveryTimeMs === null ? 'none resolved yet' : `${minutes(data.meanRecoveryTimeMs)} over ${data.resolvedMeasured} resolved`}</dd>
          </dl>
          <h3>Recovery reasons</h3>
          <table>
            <thead><tr><th scope="col">Kind</th><th scope="col">Reason</th><th scope="col">Count</th><th scope="col">Share</th></tr></thead>
            <tbody>
              {data.reasons.map((reason) => (
                <tr key={`${reason.kind}/${reason.reasonCode}`}><td>{reason.kind}</td><td>{reason.reasonCode}</td><td>{reason.count}</td><td>{reason.percent} %</td></tr>
              ))}
            </tbody>
          </table>
          <h3>Incidents</h3>
          {data.incidents.length === 0 ? <p>No incidents.</p> : (
            <ul aria-label="Incidents">
              {data.incidents.map((incident) => (
                <li key={`${incident.failure}/${incident.backend}/${incident.from}`}>
                  <strong>{incident.likelyCause}</strong>
                  <br />
                  <span>Evidence: {incident.evidence}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
