import { useId, useState, type FormEvent } from 'react';
import { CHAOS_SCENARIOS, parseChaosParam } from '../resilience';

/** The part of `window.location` the form reads and changes. */
export interface ChaosLocation {
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  assign(url: string): void;
}

export interface RuntimeChaosControlsProps {
  /** Default: the page's location. */
  location?: ChaosLocation;
}

const OFF = '';
const MAX_SEED = 0xffffffff;

/** What the address asks for, in words: the runtime read the same parameter when it started. */
function describeCurrent(search: string): string {
  const value = new URLSearchParams(search).get('chaos');
  if (value === null) return 'Runtime chaos is off.';
  const parsed = parseChaosParam(value);
  if (!parsed.ok) return `Runtime chaos is off: the address asks for "${value}", which was ignored (${parsed.message})`;
  return `Runtime chaos is on: seed ${parsed.settings.seed}, scenario ${parsed.settings.scenario}.`;
}

/** The address with `chaos` set to `value`, or removed for null; path and hash route are kept. */
export function addressWithChaos(location: Pick<ChaosLocation, 'pathname' | 'search' | 'hash'>, value: string | null): string {
  const params = new URLSearchParams(location.search);
  if (value === null) params.delete('chaos');
  else params.set('chaos', value);
  const query = params.toString().replace(/%3A/gi, ':');
  return `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
}

/**
 * Seed and scenario of the runtime's own chaos (docs/operations.md, "Runtime chaos"). The runtime is built once
 * at start-up, so applying reloads the page with `?chaos=seed:scenario` (the hash route is kept); the status line
 * says what the running runtime was started with.
 */
export function RuntimeChaosControls({ location = window.location }: RuntimeChaosControlsProps) {
  const current = parseChaosParam(new URLSearchParams(location.search).get('chaos') ?? '');
  const [seed, setSeed] = useState(current.ok ? String(current.settings.seed) : '1');
  const [scenario, setScenario] = useState(current.ok ? current.settings.scenario : OFF);
  const [problem, setProblem] = useState('');
  const seedId = useId();
  const scenarioId = useId();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (scenario === OFF) return location.assign(addressWithChaos(location, null));
    const value = seed.trim();
    if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_SEED) {
      setProblem(`The seed must be a whole number from 0 to ${MAX_SEED}; "${seed}" is not. Nothing was changed.`);
      return;
    }
    setProblem('');
    location.assign(addressWithChaos(location, `${Number(value)}:${scenario}`));
  };

  return (
    <form className="dev-runtime-chaos" aria-label="Runtime chaos" onSubmit={apply}>
      <h4>Runtime chaos (this tab)</h4>
      <p role="status">{describeCurrent(location.search)}</p>
      <label htmlFor={seedId}>Seed</label>
      <input id={seedId} inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
      <label htmlFor={scenarioId}>Scenario</label>
      <select id={scenarioId} value={scenario} onChange={(e) => setScenario(e.target.value)}>
        <option value={OFF}>off</option>
        {Object.keys(CHAOS_SCENARIOS).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <button type="submit">Apply and reload</button>
      {problem ? <p role="alert">{problem}</p> : null}
    </form>
  );
}
