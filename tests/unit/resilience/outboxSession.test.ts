import { flagsWith, json } from './helpers';
import { answer, answerServer, freshFactory, outboxRuntime, seed, settle, useOutboxClock } from './outboxHelpers';

beforeEach(() => useOutboxClock());
afterEach(() => vi.useRealTimers());

const unauthenticated = (code = 'SESSION_EXPIRED') => json({ error: { code, message: 'Sign in again.' } }, 401);
const ok = () => json({ correct: true, feedback: 'Correct!', attemptId: 'a' });

describe('outbox replay and the sign-in session', () => {
  it('a replay that meets 401 refreshes the session once and goes on: every entry applied', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2), answer('B', 1)]);
    let sessionLive = false;
    const server = answerServer(ok, { batch: true });
    // Like our server: the whole request is refused (401) while the session token is stale.
    const fetch: typeof server.fetch = (url, init) => (sessionLive ? server.fetch(url, init) : Promise.resolve(unauthenticated()));
    const refreshSession = vi.fn(() => {
      sessionLive = true;
      return Promise.resolve(true);
    });
    const { runtime } = outboxRuntime({ api: { fetch }, factory, userId: 'ada', healing: { refreshSession } });
    const report = await runtime.outbox.drain();
    expect(report).toMatchObject({ sent: 3, deadLettered: 0, remaining: 0 });
    expect(refreshSession).toHaveBeenCalledTimes(1);
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, needsSignIn: false, interventions: [] });
  });

  it('when refreshing needs the student, the replay pauses: nothing dead-lettered, no attempt burnt, no retry timer', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2), answer('B', 1)]);
    let sessionLive = false;
    const server = answerServer(ok, { batch: true });
    const fetch: typeof server.fetch = (url, init) => (sessionLive ? server.fetch(url, init) : Promise.resolve(unauthenticated()));
    const refused = vi.fn();
    const refreshSession = vi.fn(() => Promise.resolve(false));
    const { runtime } = outboxRuntime({ api: { fetch: (url, init) => (refused(), fetch(url, init)) }, factory, userId: 'ada', healing: { refreshSession } });
    await runtime.outbox.drain();
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 3, needsSignIn: true, interventions: [] });
    expect(refreshSession).toHaveBeenCalledTimes(1);
    const requestsBefore = refused.mock.calls.length;
    // Triggers and timers do not hammer the server while paused.
    expect(await runtime.outbox.drain()).toMatchObject({ skipped: 'needsSignIn', remaining: 3 });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await settle();
    expect(refused.mock.calls.length).toBe(requestsBefore);
    expect(server.sent).toEqual([]);

    // Signed in again: "Sync now" resumes and each entry is applied exactly once.
    sessionLive = true;
    const report = await runtime.outbox.syncNow();
    expect(report).toMatchObject({ sent: 3, deadLettered: 0, remaining: 0 });
    expect(runtime.outbox.snapshot()).toMatchObject({ needsSignIn: false, pending: 0 });
    expect(server.sent.map((s) => `${s.body.scope}${s.body.n}`).sort()).toEqual(['A1', 'A2', 'B1']);
  });

  it('one request at a time (no batch endpoint): a 403 for another student pauses too, keeping attempts at 0', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2)]);
    const server = answerServer(() => json({ error: { code: 'STUDENT_MISMATCH', message: 'another student' } }, 403));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', healing: { refreshSession: () => Promise.resolve(false) } });
    await runtime.outbox.drain();
    expect(server.sent).toHaveLength(1); // the first 403 stops the pass
    runtime.dispose();
    // Another tab later finds them untouched.
    const later = answerServer();
    const next = outboxRuntime({ api: { fetch: later.fetch }, factory, userId: 'ada' });
    await next.runtime.outbox.drain();
    expect(later.sent.map((s) => s.body.n)).toEqual([1, 2]);
    expect(next.runtime.outbox.snapshot().interventions).toEqual([]);
  });

  it('with selfHealing off a 401 is not refreshed, and still never dead-letters', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1)]);
    const server = answerServer(() => unauthenticated('UNAUTHENTICATED'));
    const refreshSession = vi.fn(() => Promise.resolve(true));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, flags: { source: flagsWith({ selfHealing: false }) }, factory, userId: 'ada', healing: { refreshSession } });
    await runtime.outbox.drain();
    expect(refreshSession).not.toHaveBeenCalled();
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 1, needsSignIn: true, interventions: [] });
  });
});
