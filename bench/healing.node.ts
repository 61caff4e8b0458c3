/**
 * The seeds' self-healing figures, in Node with the real runtime and a fetch that injects common errors at a
 * seeded schedule (no network: the figures are the runtime's own behaviour, not a server's):
 * - share of requests with injected errors that still end ok (the student sees nothing), per error kind, with
 *   20 % of attempts failing independently; the runtime's retry policy and breaker are the strategy that heals them;
 * - self-healing overhead per error: `healing.handleError` for NETWORK and TIMEOUT (the apiRetry strategy
 *   re-probes /api/health, answered at once), median of interleaved rounds, µs per call.
 */
import { createMemoryBreakerStore, createResilienceRuntime, ResilienceError, type FetchLike, type FetchResponse } from '../src/resilience';
import flagsFile from '../feature-flags.json';
import { measureAll } from './harness';
import type { PartResult, SummaryRow } from './summary';
import { mulberry32 } from '../src/resilience/chaos/mulberry32';

const REQUESTS = 300;
const FAULT_RATE = 0.2;
const KINDS = ['503', '502', 'network', '429'] as const;
type Kind = (typeof KINDS)[number];

function response(status: number, body: unknown, headers: Record<string, string> = {}): FetchResponse {
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
  return { status, ok: status >= 200 && status < 300, statusText: String(status), headers: { get: (name) => all[name.toLowerCase()] ?? null }, json: () => Promise.resolve(body), text: () => Promise.resolve(JSON.stringify(body)) };
}


function faultyFetch(kind: Kind, random: () => number, counts: { injected: number }): FetchLike {
  return (url) => {
    if (String(url).includes('/api/health')) return Promise.resolve(response(200, { ok: true }));
    if (random() >= FAULT_RATE) return Promise.resolve(response(200, { lessons: [] }));
    counts.injected += 1;
    if (kind === 'network') return Promise.reject(new TypeError('Failed to fetch'));
    if (kind === '429') return Promise.resolve(response(429, { error: { code: 'RATE_LIMITED' } }, { 'retry-after': '0' }));
    return Promise.resolve(response(Number(kind), { error: { code: 'UNAVAILABLE' } }));
  };
}

async function healedShare(kind: Kind): Promise<{ ok: number; injected: number }> {
  const counts = { injected: 0 };
  const runtime = createResilienceRuntime({ api: { fetch: faultyFetch(kind, mulberry32(18), counts) }, flags: { source: flagsFile }, storage: { local: null }, breakers: { store: createMemoryBreakerStore() } });
  try {
    let ok = 0;
    // Sequential: one student's requests; a breaker opened by a run of faults is part of what is measured.
    for (let i = 0; i < REQUESTS; i++) if ((await runtime.api.request({ op: 'lessons.list', method: 'GET', path: '/api/lessons' })).ok) ok += 1;
    return { ok, injected: counts.injected };
  } finally {
    runtime.dispose();
  }
}

export async function runHealingNode(): Promise<PartResult> {
  const rows: SummaryRow[] = [];
  const lines = [`injected errors at ${FAULT_RATE * 100} % of attempts, ${REQUESTS} sequential requests per kind (seeded), runtime defaults`, ''];
  for (const kind of KINDS) {
    const { ok, injected } = await healedShare(kind);
    const share = ok / REQUESTS;
    // Requests that met at least one fault: those the student would have seen without the runtime.
    lines.push(`${kind.padEnd(8)} ${injected} faults injected, ${ok}/${REQUESTS} requests ok (${(share * 100).toFixed(1)} %)`);
    rows.push({ figure: `healed unnoticed: ${kind} at ${FAULT_RATE * 100} %/attempt`, ours: `${(share * 100).toFixed(1)} %`, peer: `no runtime ${((1 - FAULT_RATE) * 100).toFixed(0)} %`, ratio: '—', goal: '≥ 85 %', method: `${REQUESTS} seq. api.request, seeded faults` });
  }
  const runtime = createResilienceRuntime({ api: { fetch: faultyFetch('503', () => 1, { injected: 0 }) }, flags: { source: flagsFile }, storage: { local: null }, breakers: { store: createMemoryBreakerStore() } });
  try {
    const network = new ResilienceError('NETWORK', 'Failed to fetch', { backend: 'api' });
    const timeout = new ResilienceError('TIMEOUT', 'timed out', { backend: 'api' });
    const measurements = await measureAll(
      [
        { name: 'NETWORK', call: () => runtime.healing.handleError(network, { op: 'lessons.list', backend: 'api' }) },
        { name: 'TIMEOUT', call: () => runtime.healing.handleError(timeout, { op: 'lessons.list', backend: 'api' }) },
      ],
      { iterations: 200, warmupIterations: 200, rounds: 5 },
    );
    lines.push('');
    for (const m of measurements) {
      lines.push(`healing.handleError(${m.name}) ${m.usPerCall.toFixed(1)} µs per error (apiRetry: re-probe /api/health)`);
      rows.push({ figure: `self-healing overhead per ${m.name} error`, ours: `${(m.usPerCall / 1000).toFixed(3)} ms`, peer: '—', ratio: '—', goal: '< 10 ms', method: 'handleError, health answered at once, 5 rounds' });
    }
  } finally {
    runtime.dispose();
  }
  return { text: lines.join('\n'), rows };
}
