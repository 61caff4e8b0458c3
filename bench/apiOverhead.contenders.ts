/**
 * Contenders for the api.request happy-path overhead benchmark. No Node APIs: this module is
 * bundled as-is for the Chromium variant. Every contender wraps the same raw call (fetch + JSON parse)
 * against the same in-process fake fetch.
 */
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import CircuitBreaker from 'opossum';
import { createMemoryBreakerStore, createResilienceRuntime, mergeRuntimeConfig, type BroadcastChannelLike, type FetchLike, type FetchResponse } from '../src/resilience';
import flagsFile from '../feature-flags.json';
import { formatTable, measureAll, type Contender, type MeasureOptions, type Measurement } from './harness';

const URL = '/api/lessons';

/** A fetch that resolves at once with one cached Response-like object (no I/O, no body streams). */
export function immediateFetch(): FetchLike {
  const body = { lessons: [{ id: 'fractions', title: 'Fractions' }] };
  const response: FetchResponse = {
    status: 200,
    ok: true,
    statusText: 'OK',
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    json: () => Promise.resolve(body),
    text: () => Promise.resolve(JSON.stringify(body)),
  };
  return () => Promise.resolve(response);
}

export interface ContenderGroup {
  readonly title: string;
  readonly baseline: string;
  /** Concurrent requests per call (a burst); figures are per request. */
  readonly requestsPerCall: number;
  readonly contenders: Contender[];
}

/** Fires `n` requests at once and waits for all: how shared deadlines behave when requests overlap. */
const burst = (n: number, call: () => Promise<unknown>) => () => Promise.all(Array.from({ length: n }, call));
export const BURST = 10;

/**
 * The outbox's change notices between tabs, as a page has them (BroadcastChannel; Node has one too, unref'd so
 * it never holds the process). Without notices the outbox cannot know what other tabs queued, so every
 * successful request reloads the queue from storage: a path no browser takes, ~5 µs a request in Node.
 */
function pageLikeChannel(name: string): BroadcastChannelLike {
  const channel = new BroadcastChannel(name) as BroadcastChannel & { unref?(): void };
  channel.unref?.();
  return channel as unknown as BroadcastChannelLike;
}

export function apiOverheadContenders(fetchImpl: FetchLike = immediateFetch()): { groups: ContenderGroup[]; dispose(): void } {
  const raw = async (signal?: AbortSignal) => (await fetchImpl(URL, { method: 'GET', signal })).json();

  const runtime = (config: Partial<Parameters<typeof createResilienceRuntime>[0]> = {}) => {
    const built = createResilienceRuntime(mergeRuntimeConfig({ api: { fetch: fetchImpl }, flags: { source: flagsFile }, storage: { local: null }, outbox: { openChannel: pageLikeChannel }, breakers: { store: createMemoryBreakerStore() } }, config));
    built.events.subscribe(() => undefined); // a live subscriber, as the React store and monitor will be
    return built;
  };
  const ours = runtime();
  const noTimeoutFlags = structuredClone(flagsFile);
  noTimeoutFlags.flags.timeout.enabled = false;
  const oursNoTimeout = runtime({ flags: { source: noTimeoutFlags } });
  const oursExact = runtime({ api: { timeoutImplementation: 'exact' } });
  const oursNative = runtime({ api: { timeoutImplementation: 'native' } });
  const request = { op: 'lessons.list', method: 'GET' as const, path: URL };
  // The app's real path: a signed-in student (extra header), the response cache option (write-behind into the
  // runtime's storage: the page's IndexedDB in Chromium, the memory fallback in Node, which has none), and a
  // caller AbortSignal (a request with its own signal gets its own linked controller). The write-behind keeps
  // one put in flight, so the writes' main-thread share is in the figure without a growing backlog.
  const oursApp = runtime({ storage: { databaseName: 'bench-overhead' }, api: { extraHeaders: () => ({ 'X-Student-Id': 'bench' }) }, userId: 'bench' });
  const page = new AbortController();
  const appRequest = { ...request, signal: page.signal, cache: { key: 'lessons', mode: 'fallback' as const } };
  const signalOnly = { ...request, signal: page.signal };
  const cacheOnly = { ...request, cache: appRequest.cache };

  const cockatielRetryBreaker = wrap(
    retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
  );
  const cockatielWithTimeout = wrap(
    retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
    timeout(10_000, TimeoutStrategy.Cooperative),
  );
  const opossum = new CircuitBreaker(raw, { timeout: 10_000, errorThresholdPercentage: 50, resetTimeout: 30_000 });

  const calls = {
    raw: () => raw(),
    ours: () => ours.api.request(request),
    oursApp: () => oursApp.api.request(appRequest),
    oursSignal: () => ours.api.request(signalOnly),
    oursCache: () => oursApp.api.request(cacheOnly),
    oursNoTimeout: () => oursNoTimeout.api.request(request),
    oursExact: () => oursExact.api.request(request),
    oursNative: () => oursNative.api.request(request),
    cockatielRetryBreaker: () => cockatielRetryBreaker.execute(() => raw()),
    cockatielWithTimeout: () => cockatielWithTimeout.execute(({ signal }) => raw(signal)),
    opossum: () => opossum.fire(),
  };

  return {
    groups: [
      {
        title: 'one request at a time',
        baseline: 'raw fetch + json',
        requestsPerCall: 1,
        contenders: [
          { name: 'raw fetch + json', call: calls.raw },
          { name: 'ours: api.request (flags, breaker, retry, shared timeout, events)', call: calls.ours },
          { name: 'ours, app path: cache option (write-behind) + caller signal', call: calls.oursApp },
          { name: 'ours, caller signal only', call: calls.oursSignal },
          { name: 'ours, cache option only', call: calls.oursCache },
          { name: 'ours, timeout flag off (no deadline)', call: calls.oursNoTimeout },
          { name: "ours, 'exact' per-call deadline (own AbortController + timer)", call: calls.oursExact },
          { name: 'cockatiel retry+breaker', call: calls.cockatielRetryBreaker },
          { name: 'cockatiel retry+breaker+timeout', call: calls.cockatielWithTimeout },
          { name: 'opossum (breaker+timeout)', call: calls.opossum },
        ],
      },
      {
        title: `bursts of ${BURST} concurrent requests (figures per request)`,
        baseline: 'raw fetch + json',
        requestsPerCall: BURST,
        contenders: [
          { name: 'raw fetch + json', call: burst(BURST, calls.raw) },
          { name: 'ours: api.request (flags, breaker, retry, shared timeout, events)', call: burst(BURST, calls.ours) },
          { name: 'ours, app path: cache option (write-behind) + caller signal', call: burst(BURST, calls.oursApp) },
          { name: 'ours, timeout flag off (no deadline)', call: burst(BURST, calls.oursNoTimeout) },
          { name: "ours, 'exact' per-call deadline (own AbortController + timer)", call: burst(BURST, calls.oursExact) },
          { name: 'cockatiel retry+breaker', call: burst(BURST, calls.cockatielRetryBreaker) },
          { name: 'cockatiel retry+breaker+timeout', call: burst(BURST, calls.cockatielWithTimeout) },
          { name: 'opossum (breaker+timeout)', call: burst(BURST, calls.opossum) },
        ],
      },
      {
        // Last and apart: every AbortSignal.timeout keeps a 10 s timer pending, which slows every timer
        // operation that follows (it roughly doubled the cockatiel+timeout figure in Chromium when interleaved).
        title: 'native AbortSignal.timeout (measured last: each call leaves a 10 s timer pending)',
        baseline: 'raw fetch + json',
        requestsPerCall: 1,
        contenders: [
          { name: 'raw fetch + json', call: calls.raw },
          { name: "ours, 'native' AbortSignal.timeout", call: calls.oursNative },
        ],
      },
    ],
    dispose() {
      for (const built of [ours, oursApp, oursNoTimeout, oursExact, oursNative]) built.dispose();
      opossum.shutdown();
    },
  };
}

/**
 * Measures every group in order and renders one table per group (same code in Node and in Chromium); `headline`
 * is the first group's measurements (one request at a time), for the summary table.
 */
export async function runApiOverhead(options: MeasureOptions, fetchImpl?: FetchLike): Promise<{ tables: string[]; headline: Measurement[] }> {
  const { groups, dispose } = apiOverheadContenders(fetchImpl);
  try {
    const tables: string[] = [];
    let headline: Measurement[] = [];
    for (const group of groups) {
      const perGroup: MeasureOptions = {
        ...options,
        iterations: Math.max(1, Math.round(options.iterations / group.requestsPerCall)),
        warmupIterations: Math.max(1, Math.round(options.warmupIterations / group.requestsPerCall)),
        requestsPerCall: group.requestsPerCall,
      };
      const measurements = await measureAll(group.contenders, perGroup);
      if (headline.length === 0) headline = measurements;
      tables.push(`${group.title}\n${formatTable(measurements, group.baseline)}`);
    }
    return { tables, headline };
  } finally {
    dispose();
  }
}
