import type { ResilienceEvent } from '../resilience';
import { useResilience } from './hooks';
import type { ResilienceState } from './resilienceStore';

const selectEvents = (state: ResilienceState) => state.events;
const SHOWN = 20;

/** The most recent runtime events, newest first. */
export function EventLog() {
  const events = useResilience(selectEvents);
  const recent = events.slice(-SHOWN).reverse();
  return (
    <section aria-labelledby="dev-events-heading" className="dev-section">
      <h3 id="dev-events-heading">Recent events</h3>
      {recent.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <ol className="dev-events">
          {recent.map((event, i) => (
            <li key={`${event.at}-${events.length - i}`}>
              <code>{event.type}</code> {summarise(event)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The payload in one line, without the fields that are not plain data. */
function summarise(event: ResilienceEvent): string {
  const { type: _type, at: _at, ...payload } = event;
  const fields = Object.entries(payload)
    .filter(([key, value]) => key !== 'error' && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return fields.join(' ');
}
