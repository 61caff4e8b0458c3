import { createResilienceRuntime, mergeRuntimeConfig, type ResilienceRuntimeConfig, type ResilienceEvent, type FetchLike } from '../../../src/resilience';
import flagsFile from '../../../feature-flags.json';

export type Reply = Response | Error | ((url: string, init: RequestInit) => Response | Error | Promise<Response>);

/** A fetch double: serves queued replies in order (the last one repeats) and records every call. */
export function scriptedFetch(...replies: Reply[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    if (reply === undefined) throw new Error('scriptedFetch: no reply scripted');
    const value = typeof reply === 'function' ? await reply(url, init) : reply;
    if (value instanceof Error) throw value;
    return value.clone();
  };
  return { fetch, calls };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const networkError = () => new TypeError('Failed to fetch');

/** A fetch that never settles until its signal aborts (like a black-holed request). */
export const hangingFetch = (_url: string, init: RequestInit): Promise<Response> =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
  });

/** Flags file content with some flags switched. */
export function flagsWith(overrides: Partial<Record<string, boolean>>): unknown {
  const copy = structuredClone(flagsFile) as { flags: Record<string, { enabled: boolean }> };
  for (const [name, enabled] of Object.entries(overrides)) {
    const entry = copy.flags[name];
    if (entry && enabled !== undefined) entry.enabled = enabled;
  }
  return copy;
}

/** A runtime on fake timers with a fixed random source and every event recorded. */
export function testRuntime(config: ResilienceRuntimeConfig = {}) {
  const runtime = createResilienceRuntime(mergeRuntimeConfig({ storage: { local: null }, flags: { source: flagsFile }, random: () => 0.5 }, config));
  const events: ResilienceEvent[] = [];
  runtime.events.subscribe((event) => events.push(event));
  const ofType = <K extends ResilienceEvent['type']>(type: K) =>
    events.filter((e): e is Extract<ResilienceEvent, { type: K }> => e.type === type);
  return { runtime, events, ofType };
}

/**
 * Fake timers for the runtime's clock seam (setTimeout/clearTimeout/Date) only: real Response bodies are read
 * by undici through setImmediate, which must keep running.
 */
export function useFakeClock(now = Date.parse('2030-01-01T00:00:00Z')): void {
  vi.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}
