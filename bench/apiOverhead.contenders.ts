/**
 * Contenders for the api.request happy-path overhead benchmark (DESIGN §11). No Node APIs: this module is
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
import { createMemoryBreakerStore, createResilienceRuntime, type FetchLike, type FetchResponse } from '../src/resilience';
import flagsFile from '../feature-flags.json';
import type { Contender } from './harness';

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

export function apiOverheadContenders(fetchImpl: FetchLike = immediateFetch()): { contenders: Contender[]; dispose(): void } {
  const raw = async (signal?: AbortSignal) => (await fetchImpl(URL, { method: 'GET', signal })).json();

  const ours = createResilienceRuntime({ fetch: fetchImpl, flags: flagsFile, storage: null, breakerStore: createMemoryBreakerStore() });
  ours.events.subscribe(() => undefined); // a live subscriber, as the React store and monitor will be
  const oursNative = createResilienceRuntime({
    fetch: fetchImpl,
    flags: flagsFile,
    storage: null,
    breakerStore: createMemoryBreakerStore(),
    timeoutImplementation: 'native',
  });
  oursNative.events.subscribe(() => undefined);
  const noTimeoutFlags = structuredClone(flagsFile);
  noTimeoutFlags.flags.timeout.enabled = false;
  const oursNoTimeout = createResilienceRuntime({ fetch: fetchImpl, flags: noTimeoutFlags, storage: null, breakerStore: createMemoryBreakerStore() });
  oursNoTimeout.events.subscribe(() => undefined);
  const request = { op: 'lessons.list', method: 'GET' as const, path: URL };

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

  return {
    contenders: [
      { name: 'raw fetch + json', call: () => raw() },
      { name: 'ours: api.request (flags, breaker, retry, timeout, events)', call: () => ours.api.request(request) },
      { name: 'ours, timeout flag off (no AbortController)', call: () => oursNoTimeout.api.request(request) },
      { name: 'ours with native AbortSignal.timeout', call: () => oursNative.api.request(request) },
      { name: 'cockatiel retry+breaker', call: () => cockatielRetryBreaker.execute(() => raw()) },
      { name: 'cockatiel retry+breaker+timeout', call: () => cockatielWithTimeout.execute(({ signal }) => raw(signal)) },
      { name: 'opossum (breaker+timeout)', call: () => opossum.fire() },
    ],
    dispose() {
      ours.dispose();
      oursNoTimeout.dispose();
      oursNative.dispose();
      opossum.shutdown();
    },
  };
}
