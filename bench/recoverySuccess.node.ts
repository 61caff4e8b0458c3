/**
 * The seed's "recovery success rate after recovery" (goal > 90 %), in Node with the real runtime: one student's
 * operations run through `runtime.orchestrator.run` (the path the app's lessons take) against a fetch that fails
 * a seeded share of attempts with 503. Only operations whose primary path failed as a whole (its own retries
 * included) reach the orchestrator; the rate is the share of those recoveries that still served the caller
 * (healed, the final retry, or a fallback), from the `recovery.finished` events. With and without a fallback chain.
 */
import { createMemoryBreakerStore, createResilienceRuntime, type FetchLike, type FetchResponse, type RecoveryFinished } from '../src/resilience';
import flagsFile from '../feature-flags.json';
import { mulberry32 } from '../src/resilience/chaos/mulberry32';
import type { PartResult, SummaryRow } from './summary';

const OPERATIONS = 100;
const FAULT_RATES = [0.3, 0.6] as const;

function response(status: number, body: unknown): FetchResponse {
  return { status, ok: status >= 200 && status < 300, statusText: String(status), headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) }, json: () => Promise.resolve(body), text: () => Promise.resolve(JSON.stringify(body)) };
}

function faultyFetch(random: () => number, faultRate: number): FetchLike {
  return (url) => {
    if (String(url).includes('/api/health')) return Promise.resolve(response(200, { ok: true }));
    return Promise.resolve(random() < faultRate ? response(503, { error: { code: 'UNAVAILABLE', message: 'down' } }) : response(200, { item: String(url) }));
  };
}

interface Tally {
  /** Operations whose primary failed as a whole and went to the orchestrator. */
  readonly recoveries: number;
  /** Of those, the ones whose caller still got a value (orchestrator.run resolved). */
  readonly served: number;
  readonly byOutcome: Readonly<Record<string, number>>;
}

async function recoveryRate(withFallback: boolean, faultRate: number): Promise<Tally> {
  const runtime = createResilienceRuntime({ api: { fetch: faultyFetch(mulberry32(18), faultRate) }, flags: { source: flagsFile }, storage: { local: null }, breakers: { store: createMemoryBreakerStore() } });
  const finished: RecoveryFinished[] = [];
  runtime.events.subscribe((event) => {
    if (event.type === 'recovery.finished') finished.push(event.result);
  });
  const saved = new Map<string, unknown>();
  let recoveries = 0;
  let served = 0;
  if (withFallback) {
    runtime.fallback.registerStrategy<unknown, { id: string }>('item_data', {
      name: 'savedCopy',
      canHandle: ({ data }) => data !== undefined && saved.has(data.id),
      execute: async ({ data }) => ({ ok: true, value: saved.get(data?.id ?? '') }),
    });
  }
  try {
    for (let i = 0; i < OPERATIONS; i++) {
      const id = `item-${i % 5}`;
      const primary = async () => {
        const result = await runtime.api.request<unknown>({ op: 'item_data', method: 'GET', path: `/api/items/${id}` });
        if (!result.ok) throw result.error;
        saved.set(id, result.value);
        return result.value;
      };
      const before = finished.length;
      const ok = await runtime.orchestrator
        .run<unknown, unknown, { id: string }>({ op: 'item_data', requestKey: id, primary, ...(withFallback ? { fallback: { opType: 'item_data', data: { id } } } : {}) })
        .then(() => true, () => false);
      if (finished.length > before) {
        recoveries += 1;
        if (ok) served += 1;
      }
    }
  } finally {
    runtime.dispose();
  }
  const byOutcome: Record<string, number> = {};
  for (const result of finished) {
    const key = result.method ? `${result.status}/${result.method}` : result.status;
    byOutcome[key] = (byOutcome[key] ?? 0) + 1;
  }
  return { recoveries, served, byOutcome };
}

export async function runRecoverySuccessNode(): Promise<PartResult> {
  const lines = [`${OPERATIONS} sequential orchestrator.run over api.request per case, a seeded share of attempts answer 503, runtime defaults`, ''];
  const rows: SummaryRow[] = [];
  for (const faultRate of FAULT_RATES) for (const withFallback of [true, false]) {
    const tally = await recoveryRate(withFallback, faultRate);
    const rate = tally.recoveries === 0 ? Number.NaN : tally.served / tally.recoveries;
    const label = `503 at ${faultRate * 100} %, ${withFallback ? 'saved-copy fallback' : 'no fallback chain'}`;
    lines.push(`${label.padEnd(36)} ${tally.recoveries} recoveries, ${tally.served} served (${(rate * 100).toFixed(1)} %): ${JSON.stringify(tally.byOutcome)}`);
    rows.push({ figure: `recovery success rate, ${label}`, ours: `${(rate * 100).toFixed(1)} %`, peer: '—', ratio: '—', goal: '> 90 %', method: `${tally.recoveries} recoveries of ${OPERATIONS} ops; served = run() resolved` });
  }
  return { text: lines.join('\n'), rows };
}
