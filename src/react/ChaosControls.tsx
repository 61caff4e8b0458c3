import { useState } from 'react';
import { CHAOS_ACTIONS, sendChaos, type ChaosFetch } from './chaosClient';
import { RuntimeChaosControls, type ChaosLocation } from './RuntimeChaosControls';

export interface ChaosControlsProps {
  /** Default: the page's fetch (the dev endpoints are on the app's origin). */
  fetch?: ChaosFetch;
  baseUrl?: string;
  /** The page location the runtime chaos form reads and reloads (default window.location). */
  location?: ChaosLocation;
}

const pageFetch: ChaosFetch = (url, init) => globalThis.fetch(url, init);

/**
 * Both kinds of chaos: buttons that inject server faults through POST /__chaos (applied live, the outcome in a
 * status region), and beside them the runtime's own seeded chaos (applied by reloading with `?chaos=`).
 */
export function ChaosControls({ fetch: fetchFn = pageFetch, baseUrl = '', location }: ChaosControlsProps) {
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="dev-chaos-heading" className="dev-section">
      <h3 id="dev-chaos-heading">Chaos</h3>
      <h4>Server chaos (every client)</h4>
      <div className="dev-actions">
        {CHAOS_ACTIONS.map((action) => (
          <button
            key={action.label}
            type="button"
            className="button-quiet"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void sendChaos(fetchFn, baseUrl, action).then((line) => {
                setResult(line);
                setBusy(false);
              });
            }}
          >
            {action.label}
          </button>
        ))}
      </div>
      <p role="status" className="dev-chaos-result">
        {result}
      </p>
      <RuntimeChaosControls {...(location ? { location } : {})} />
    </section>
  );
}
