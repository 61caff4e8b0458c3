import { answer, answerServer, freshFactory, outboxRuntime, settle, until, useOutboxClock } from './outboxHelpers';

describe('the pending count while the queue is being read', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it('counts every answer saved while replays keep reloading the queue (a load that overlapped a save never hides it)', async () => {
    // The network is down for answers: each save starts a replay, whose reload of the queue overlaps the next save.
    const server = answerServer(() => new TypeError('Failed to fetch'));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory: freshFactory(), userId: 'ada' });
    await runtime.outbox.start();
    const saves = 60;
    for (let i = 0; i < saves; i++) await runtime.outbox.submit(answer(`S${i % 3}`, i));
    // Saved means stored: the snapshot must say so without waiting for some later reload.
    await until(() => !runtime.outbox.snapshot().draining, 'replays over');
    await settle();
    expect(runtime.outbox.snapshot().pending).toBe(saves);
    runtime.dispose();
  });
});
