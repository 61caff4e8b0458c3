import { useState } from 'react';
import { CHAOS_ACTIONS, sendChaos, type ChaosFetch } from './chaosClient';

export interface ChaosControlsProps {
  /** Default: the page's fetch (the dev endpoints are on the app's origin). */
  fetch?: ChaosFetch;
  baseUrl?: string;
}

const pageFetch: ChaosFetch = (url, init) => globalThis.fetch(url, init);

/** Buttons that inject server faults through POST /__chaos, with the outcome in a status region. */
export function ChaosControls({ fetch: fetchFn = pageFetch, baseUrl = '' }: ChaosControlsProps) {
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="dev-chaos-heading" className="dev-section">
      <h3 id="dev-chaos-heading">Chaos</h3>
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
    </section>
  );
}
