import type { Clock } from '../core/clock';
import type { FetchLike, FetchResponse } from '../transport/apiTypes';
import type { ChaosEngine } from './chaosEngine';

/**
 * The innermost wrapper of the API client's fetch: injected faults look exactly like real ones to the policies
 * above (a thrown TypeError like a lost connection, a slow answer that the timeout may abort, a 5xx response).
 */
export function chaosFetch(fetch: FetchLike, engine: ChaosEngine, clock: Clock): FetchLike {
  return async (url, init) => {
    const rule = engine.decide('backend', `${init.method ?? 'GET'} ${pathOf(url)}`);
    if (!rule) return fetch(url, init);
    if (rule.kind === 'fault') throw new TypeError('Failed to fetch (injected by runtime chaos)');
    if (rule.kind === 'outcome') return injectedResponse(rule.status);
    await delay(clock, rule.latencyMs, init.signal ?? undefined);
    return fetch(url, init);
  };
}

function injectedResponse(status: number): FetchResponse {
  const body = { error: { code: 'CHAOS_INJECTED', message: `Injected by runtime chaos (HTTP ${status}).` } };
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: 'Injected',
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    json: () => Promise.resolve(body),
    text: () => Promise.resolve(JSON.stringify(body)),
  };
}

function delay(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://relative').pathname;
  } catch {
    return url;
  }
}
