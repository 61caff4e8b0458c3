/**
 * A real resilience runtime for component tests, faked only at the fetch edge: tests decide how the "server"
 * answers each request and read back what was sent. Time is a manual wall clock (timers stay real) so a
 * breaker's open period can be skipped without sleeping.
 */
import {
  mergeRuntimeConfig,
  createMemoryBreakerStore,
  createResilienceRuntime,
  memoryStorage,
  type Clock,
  type FetchLike,
  type FetchResponse,
  type ResilienceRuntime,
  type ResilienceRuntimeConfig,
} from '../../../src/resilience';
import axe from 'axe-core';
import featureFlags from '../../../feature-flags.json';

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Responder = (request: SentRequest) => FetchResponse | Promise<FetchResponse>;

export function json(status: number, body: unknown): FetchResponse {
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: String(status),
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    json: async () => body,
    text: async () => JSON.stringify(body),
  };
}

export function networkDown(): never {
  throw new TypeError('Failed to fetch');
}

export function createTestFetch(initial: Responder) {
  const sent: SentRequest[] = [];
  let respond = initial;
  const fetch: FetchLike = async (url, init) => {
    const request: SentRequest = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    sent.push(request);
    return respond(request);
  };
  return { fetch, sent, answerWith: (next: Responder) => void (respond = next) };
}

export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    advance: (ms) => void (now += ms),
  };
}

export function createTestRuntime(fetch: FetchLike, config: Partial<ResilienceRuntimeConfig> = {}): ResilienceRuntime {
  return createResilienceRuntime(
    mergeRuntimeConfig({ api: { fetch }, flags: { source: featureFlags }, storage: { local: memoryStorage() }, breakers: { store: createMemoryBreakerStore() }, userId: 'ada' }, config),
  );
}

/** Sends `count` GETs that the breaker counts as failures (no retries, so one outcome each). */
export async function failRequests(runtime: ResilienceRuntime, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await runtime.api.request({ op: 'lesson_list', method: 'GET', path: '/api/lessons', retry: false });
  }
}

/** axe-core on a container. Colour contrast is left to the browser: jsdom has no layout or canvas to judge it. */
export async function axeViolations(container: Element): Promise<{ id: string; help: string }[]> {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations.map(({ id, help }) => ({ id, help }));
}
