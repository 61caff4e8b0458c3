import { answer, answerServer, freshFactory, outboxRuntime, seed, settle, until, useOutboxClock } from '../outboxHelpers';
import { json } from '../helpers';

describe('intervention actions that meet', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it("an admin's retry arriving while the student edits and retries does not send the rejected answer as well", async () => {
    const factory = freshFactory();
    const [entry] = await seed(factory, [{ ...answer('A', 1), request: { method: 'POST', path: '/api/answers', body: { exerciseId: 'ex-9', answer: '41', scope: 'A' } } }]);
    let fixed = false;
    const server = answerServer(() => (fixed ? json({ correct: true }) : json({ error: { code: 'UNKNOWN_EXERCISE', message: 'no' } }, 422)));
    const { runtime } = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
    await runtime.escalations.ready();
    await runtime.outbox.drain();
    await until(() => runtime.escalations.list().length === 1, 'the item');
    const id = runtime.escalations.list()[0]?.id ?? '';
    fixed = true;
    vi.advanceTimersByTime(1); // a new entry id for the corrected answer

    const [edited, retried] = await Promise.allSettled([
      runtime.escalations.editAndRetry(id, { exerciseId: 'ex-3', answer: '42', scope: 'A' }),
      runtime.escalations.retryNow(id), // the admin's command, applied by the poll
    ]);
    await until(() => runtime.escalations.list()[0]?.status === 'resolved', 'resolved');
    await runtime.outbox.drain();
    await settle();

    expect(edited.status).toBe('fulfilled');
    expect(retried).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/edited and retried/) } });
    const accepted = server.sent.slice(1);
    expect(accepted.map((sent) => sent.body)).toEqual([{ exerciseId: 'ex-3', answer: '42', scope: 'A' }]);
    expect(accepted[0]?.key).not.toBe(entry?.idempotencyKey);
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
    runtime.dispose();
  });
});
