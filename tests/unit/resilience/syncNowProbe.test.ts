import { json } from './helpers';
import { answer, answerServer, freshFactory, outboxRuntime, useOutboxClock } from './outboxHelpers';

describe('"Sync now" while the breaker is open', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it('sends at once as the breaker\'s probe (no wait for the open period), and the success closes the breaker', async () => {
    let up = false;
    const server = answerServer(() => (up ? json({ correct: true, feedback: 'Correct!', attemptId: 'a' }) : json({ error: { code: 'UNAVAILABLE', message: 'busy' } }, 503)));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory: freshFactory(), userId: 'ada' });
    await runtime.outbox.submit(answer('S', 1));
    // Five failed replays trip the breaker (5 consecutive failures).
    for (let i = 0; i < 6 && runtime.breakers.snapshot().api?.state !== 'open'; i++) await runtime.outbox.syncNow();
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    // An answer saved now is tried at once and refused by the breaker itself (CIRCUIT_OPEN, with its open time left).
    await runtime.outbox.submit(answer('T', 1));
    await runtime.outbox.drain();
    expect(runtime.outbox.snapshot().lastError?.code).toBe('CIRCUIT_OPEN');
    const sentBefore = server.sent.length;

    up = true;
    const report = await runtime.outbox.syncNow();
    expect(report.sent).toBe(2); // the breaker's wait is ours, not the server's: Sync now does not honour it
    expect(server.sent.length).toBe(sentBefore + 2); // the probe carried an answer, then the other went
    expect(runtime.outbox.snapshot().pending).toBe(0);
    expect(runtime.breakers.snapshot().api?.state).toBe('closed');
    runtime.dispose();
  });

  it('a plain drain (no one asked) still waits for the open period', async () => {
    const server = answerServer(() => json({ error: { code: 'UNAVAILABLE', message: 'busy' } }, 503));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory: freshFactory(), userId: 'ada' });
    await runtime.outbox.submit(answer('S', 1));
    for (let i = 0; i < 6 && runtime.breakers.snapshot().api?.state !== 'open'; i++) await runtime.outbox.syncNow();
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    const sentBefore = server.sent.length;
    await runtime.outbox.drain();
    expect(server.sent.length).toBe(sentBefore);
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    runtime.dispose();
  });
});
