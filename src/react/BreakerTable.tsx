import type { BreakerState } from '../resilience';
import { useBreakers, useResilience } from './hooks';
import type { ResilienceState } from './resilienceStore';

const selectFailures = (state: ResilienceState) => state.breakerFailures;

/** Live state of each backend's circuit breaker. */
export function BreakerTable() {
  const breakers = useBreakers();
  const failures = useResilience(selectFailures);
  const rows = Object.entries(breakers).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="dev-breakers-heading" className="dev-section">
      <h3 id="dev-breakers-heading">Circuit breakers</h3>
      {rows.length === 0 ? (
        <p>No backend has been called yet.</p>
      ) : (
        <table className="dev-table">
          <thead>
            <tr>
              <th scope="col">Backend</th>
              <th scope="col">State</th>
              <th scope="col">Failures</th>
              <th scope="col">Since</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([backend, state]) => (
              <tr key={backend} data-backend={backend}>
                <th scope="row">{backend}</th>
                <td>{stateLabel(state)}</td>
                <td>{failures[backend] ?? 0}</td>
                <td>{clockTime(state.state === 'open' ? state.openedAt : state.since)}</td>
                <td>{detail(state)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function stateLabel(state: BreakerState): string {
  return state.state === 'halfOpen' ? 'half-open' : state.state;
}

function detail(state: BreakerState): string {
  if (state.state === 'open') return `${state.reason}; probes again at ${clockTime(state.reopenAt)}`;
  if (state.state === 'halfOpen') return state.reason;
  return '';
}

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}
