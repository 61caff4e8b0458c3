import { createResilienceRuntime, mergeRuntimeConfig, type ResilienceRuntimeConfig } from '../../../src/resilience';
import { json, scriptedFetch, testRuntime } from './helpers';

describe('the runtime configuration, grouped by subsystem', () => {
  it('refuses a flat option of the earlier shape and says where it lives now', () => {
    const flat = { fetch: async () => new Response('{}') } as unknown as ResilienceRuntimeConfig;
    expect(() => createResilienceRuntime(flat)).toThrow(new TypeError('createResilienceRuntime: unknown option "fetch" (it is api.fetch now)'));
  });

  it('refuses a misspelt option by name', () => {
    expect(() => createResilienceRuntime({ outbx: {} } as unknown as ResilienceRuntimeConfig)).toThrow('unknown option "outbx"');
  });

  it('merges an override one level deep: a group keeps the fields the override does not name', () => {
    const fetch = async () => new Response('{}');
    const merged = mergeRuntimeConfig({ api: { fetch, baseUrl: 'http://a' }, storage: { local: null }, userId: 'ada' }, { api: { timeoutImplementation: 'exact' }, userId: 'bo' });
    expect(merged).toEqual({ api: { fetch, baseUrl: 'http://a', timeoutImplementation: 'exact' }, storage: { local: null }, userId: 'bo' });
  });

  it('replaces a seam whole: an override clock is the clock, not a blend of two', () => {
    const clock = (start: number) => ({ now: () => start, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout });
    const mine = clock(2);
    expect(mergeRuntimeConfig({ clock: clock(1) }, { clock: mine }).clock).toBe(mine);
  });

  it('sends requests through the grouped api options (base URL, headers, fetch)', async () => {
    const server = scriptedFetch(json({ ok: true }));
    const { runtime } = testRuntime({ api: { fetch: server.fetch, baseUrl: 'http://api.test', extraHeaders: () => ({ 'X-Trace': 't1' }) } });
    const result = await runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false });
    expect(result.ok).toBe(true);
    expect(server.calls[0]?.url).toBe('http://api.test/api/lessons');
    expect(new Headers(server.calls[0]?.init.headers).get('X-Trace')).toBe('t1');
    runtime.dispose();
  });
});
