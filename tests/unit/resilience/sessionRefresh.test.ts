import type { FetchLike } from '../../../src/resilience';
import { flagsWith, json, testRuntime, useFakeClock } from './helpers';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const expired = () => json({ error: { code: 'SESSION_EXPIRED', message: 'Sign in again.' } }, 401);

/** A fetch edge whose session the test renews: 401 until `live`, then 200. */
function sessionEdge() {
  const state = { live: false, calls: 0 };
  const fetch: FetchLike = () => {
    state.calls++;
    return Promise.resolve(state.live ? json({ ok: true }) : expired());
  };
  return { fetch, state };
}

describe('the API client and an ended session', () => {
  it('a 401 refreshes the session once and sends the request once more', async () => {
    const edge = sessionEdge();
    const refreshSession = vi.fn(() => {
      edge.state.live = true;
      return Promise.resolve(true);
    });
    const { runtime, ofType } = testRuntime({ api: { fetch: edge.fetch }, healing: { refreshSession } });
    const result = await runtime.api.request({ op: 'progress', method: 'GET', path: '/api/progress' });
    expect(result).toMatchObject({ ok: true, value: { ok: true }, attempts: 2 });
    expect(refreshSession).toHaveBeenCalledTimes(1);
    expect(ofType('request.attempted').map((event) => [event.attempt, event.status])).toEqual([[1, 401], [2, 200]]);
  });

  it('requests that meet a 401 together share one refresh', async () => {
    const edge = sessionEdge();
    let renew: (renewed: boolean) => void = () => {};
    const refreshSession = vi.fn(() => new Promise<boolean>((resolve) => (renew = resolve)));
    const { runtime } = testRuntime({ api: { fetch: edge.fetch }, healing: { refreshSession } });
    const requests = [1, 2, 3].map((n) => runtime.api.request({ op: `op${n}`, method: 'GET', path: '/api/progress' }));
    await vi.advanceTimersByTimeAsync(0);
    edge.state.live = true;
    renew(true);
    const results = await Promise.all(requests);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(refreshSession).toHaveBeenCalledTimes(1);
  });

  it('when the refresh cannot renew the session, the 401 is the answer (AUTH), sent once', async () => {
    const edge = sessionEdge();
    const { runtime } = testRuntime({ api: { fetch: edge.fetch }, healing: { refreshSession: () => Promise.resolve(false) } });
    const result = await runtime.api.request({ op: 'progress', method: 'GET', path: '/api/progress' });
    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH', status: 401 } });
    expect(edge.state.calls).toBe(1);
  });

  it('with the selfHealing flag off a 401 is not refreshed (plain fetch behaviour)', async () => {
    const edge = sessionEdge();
    const refreshSession = vi.fn(() => Promise.resolve(true));
    const { runtime } = testRuntime({ api: { fetch: edge.fetch }, flags: { source: flagsWith({ selfHealing: false }) }, healing: { refreshSession } });
    const result = await runtime.api.request({ op: 'progress', method: 'GET', path: '/api/progress' });
    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    expect(refreshSession).not.toHaveBeenCalled();
  });
});
