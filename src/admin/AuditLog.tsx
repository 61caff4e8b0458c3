import { useEffect, useState } from 'react';
import type { AdminApi, AuditEntry } from './adminApi';

/** Who did what, newest first; reloaded after every action (`revision`). */
export function AuditLog({ api, revision }: { api: AdminApi; revision: number }) {
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.audit().then(
      (log) => live && (setEntries(log.entries), setError(undefined)),
      (caught: unknown) => live && setError(caught instanceof Error ? caught.message : String(caught)),
    );
    return () => {
      live = false;
    };
  }, [api, revision]);
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      {error && <p className="error">{error}</p>}
      {entries && entries.length === 0 && <p>No admin actions yet.</p>}
      {entries && entries.length > 0 && (
        <table aria-labelledby="audit-heading">
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Detail</th></tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.seq}>
                <td>{new Date(entry.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td>{entry.actor}</td>
                <td>{entry.action}</td>
                <td><code>{entry.target}</code></td>
                <td><code>{JSON.stringify(entry.detail)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
