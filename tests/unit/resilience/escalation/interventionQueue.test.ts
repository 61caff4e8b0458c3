import { IDBFactory } from 'fake-indexeddb';
import { createInterventionStore } from '../../../../src/resilience/escalation/interventionStore';
import type { InterventionItem } from '../../../../src/resilience';
import { answer, answerServer, freshFactory, outboxRuntime, seed, settle, until, useOutboxClock } from '../outboxHelpers';
import { flagsWith, json } from '../helpers';

const rejected = () => json({ error: { code: 'UNKNOWN_EXERCISE', message: 'No such exercise ex-9' } }, 422);

/** A student's runtime whose queued answer A1 the server rejects with 422. */
async function rejectedAnswer(factory: IDBFactory, body: Record<string, unknown> = { exerciseId: 'ex-9', answer: 'my secret reasoning', scope: 'A' }) {
  const [entry] = await seed(factory, [{ ...answer('A', 1), request: { method: 'POST', path: '/api/answers', body } }]);
  const server = answerServer(rejected);
  const tab = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
  await tab.runtime.escalations.ready();
  await tab.runtime.outbox.drain();
  await until(() => tab.runtime.escalations.list().length === 1, 'the item');
  return { ...tab, server, entry };
}

describe('intervention queue', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it('turns a 422 dead letter into a persisted item with a redacted preview, read back after a reload', async () => {
    const factory = freshFactory();
    const { runtime, entry } = await rejectedAnswer(factory);
    const [item] = runtime.escalations.needsAttention();
    expect(item).toMatchObject({
      id: `outbox:${entry?.id}`,
      user: 'ada',
      kind: 'outboxRejected',
      reasonCode: 'HTTP_4XX',
      status: 'open',
      attempts: 1,
      idempotencyKey: entry?.idempotencyKey,
      lastError: { code: 'HTTP_4XX', status: 422 },
      links: { outboxEntryId: entry?.id },
    });
    expect(item?.preview).toBe('POST /api/answers {exerciseId: "ex-9", answer: ‹19 chars›, scope: "A"}');
    expect(item?.preview).not.toContain('secret');
    await settle();
    runtime.dispose();

    const again = outboxRuntime({ factory, userId: 'ada' });
    await again.runtime.escalations.ready();
    expect(again.runtime.escalations.list()).toEqual([item]);
    // Another student on this device does not see it.
    const other = outboxRuntime({ factory, userId: 'bob' });
    await other.runtime.escalations.ready();
    expect(other.runtime.escalations.list()).toEqual([]);
    again.runtime.dispose();
    other.runtime.dispose();
  });

  it('edit and retry sends the corrected body under a new key and resolves the item once it is applied', async () => {
    const factory = freshFactory();
    const { runtime, server, entry } = await rejectedAnswer(factory);
    server.answerWith(() => json({ correct: true }));
    const id = runtime.escalations.list()[0]?.id ?? '';
    vi.advanceTimersByTime(1); // a new entry id (ids come from the clock and a fixed random source here)
    await runtime.escalations.editAndRetry(id, { exerciseId: 'ex-3', answer: '42', scope: 'A' });
    await until(() => runtime.escalations.list()[0]?.status === 'resolved', 'resolved');
    const last = server.sent.at(-1);
    expect(last?.body).toEqual({ exerciseId: 'ex-3', answer: '42', scope: 'A' });
    expect(last?.key).not.toBe(entry?.idempotencyKey);
    expect(runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
    expect(runtime.escalations.list()[0]).toMatchObject({ links: { outboxEntryId: entry?.id }, version: 3 });
    runtime.dispose();
  });

  it('retry now re-queues the same key; discard needs a reason and deletes the outbox entry', async () => {
    const factory = freshFactory();
    const { runtime, server, entry } = await rejectedAnswer(factory);
    const id = runtime.escalations.list()[0]?.id ?? '';
    await runtime.escalations.retryNow(id);
    await until(() => server.sent.length === 2 && runtime.outbox.snapshot().interventions.length === 1, 'rejected again');
    expect(server.sent.map((s) => s.key)).toEqual([entry?.idempotencyKey, entry?.idempotencyKey]);
    await until(() => runtime.escalations.list()[0]?.attempts === 2, 'seen twice');
    expect(runtime.escalations.list()[0]).toMatchObject({ status: 'open' });

    await expect(runtime.escalations.discard(id, '  ')).rejects.toThrow(/reason/);
    expect(runtime.outbox.snapshot().interventions).toHaveLength(1);
    await runtime.escalations.discard(id, 'exercise was removed');
    expect(runtime.outbox.snapshot().interventions).toEqual([]);
    expect(runtime.escalations.list()[0]).toMatchObject({ status: 'discarded', discardReason: 'exercise was removed' });
    expect(runtime.escalations.needsAttention()).toEqual([]);
    runtime.dispose();
  });

  it('records failed recoveries, corrupt checkpoints and quarantined records; an operation that works again resolves its item', async () => {
    const { runtime } = outboxRuntime({ factory: freshFactory(), userId: 'ada' });
    await runtime.escalations.ready();
    runtime.events.emit('escalation.raised', { id: 'e1', op: 'lesson_data', code: 'HTTP_5XX', message: 'down' });
    runtime.events.emit('escalation.raised', { id: 'e2', op: 'lesson_data', code: 'HTTP_5XX', message: 'still down' });
    runtime.events.emit('checkpoint.escalated', { workflow: 'lesson:fractions', quarantined: 2, reason: 'noValidCheckpoint' });
    runtime.events.emit('outbox.quarantined', { key: 'entry:x', reason: 'request is not an object' });
    await until(() => runtime.escalations.list().length === 3, 'three items');
    expect(runtime.escalations.list().map((item) => [item.kind, item.reasonCode, item.attempts])).toEqual([
      ['recoveryFailed', 'HTTP_5XX', 2],
      ['checkpointCorrupt', 'noValidCheckpoint', 1],
      ['quarantined', 'invalidRecord', 1],
    ]);
    await expect(runtime.escalations.retryNow('checkpoint:lesson:fractions')).rejects.toThrow(/cannot be retried/);
    runtime.events.emit('request.succeeded', { backend: 'api', op: 'lesson_data', status: 200, durationMs: 1, attempts: 1 });
    await until(() => runtime.escalations.needsAttention().length === 2, 'resolved');
    expect(runtime.escalations.list()[0]).toMatchObject({ status: 'resolved', links: { op: 'lesson_data' } });
    runtime.dispose();
  });

  it('records nothing with the escalation flag off', async () => {
    const { runtime } = outboxRuntime({ flags: { source: flagsWith({ escalation: false }) }, factory: freshFactory(), userId: 'ada' });
    await runtime.escalations.ready();
    runtime.events.emit('checkpoint.escalated', { workflow: 'w', quarantined: 1, reason: 'noValidCheckpoint' });
    await settle();
    expect(runtime.escalations.list()).toEqual([]);
    runtime.dispose();
  });

  it('drops a stored record that fails validation and reports it; log-out purges only that student', async () => {
    const factory = freshFactory();
    const first = outboxRuntime({ factory, userId: 'ada' });
    await first.runtime.escalations.ready();
    first.runtime.events.emit('checkpoint.escalated', { workflow: 'w', quarantined: 1, reason: 'noValidCheckpoint' });
    await until(() => first.runtime.escalations.list().length === 1, 'stored');
    await settle();
    first.runtime.dispose();
    const raw = createInterventionStore(factory, 'resilience', () => undefined);
    await raw.put({ id: 'broken', user: 'ada', kind: 'nonsense' } as unknown as InterventionItem);
    raw.close();
    const bob = outboxRuntime({ factory, userId: 'bob' });
    await bob.runtime.escalations.ready();
    bob.runtime.events.emit('checkpoint.escalated', { workflow: 'w', quarantined: 1, reason: 'noValidCheckpoint' });
    await until(() => bob.runtime.escalations.list().length === 1, 'bob stored');
    await settle();
    bob.runtime.dispose();

    const again = outboxRuntime({ factory, userId: 'ada' });
    await again.runtime.escalations.ready();
    expect(again.runtime.escalations.list().map((item) => item.id)).toEqual(['checkpoint:w']);
    expect(again.ofType('runtime.internalError').map((event) => event.message)).toEqual([expect.stringContaining('Dropped stored intervention "ada|broken": id, user or reasonCode missing')]);
    await again.runtime.escalations.purgeUser('ada');
    expect(again.runtime.escalations.list()).toEqual([]);
    again.runtime.dispose();

    const later = outboxRuntime({ factory, userId: 'ada' });
    await later.runtime.escalations.ready();
    expect(later.runtime.escalations.list()).toEqual([]);
    const bobAgain = outboxRuntime({ factory, userId: 'bob' });
    await bobAgain.runtime.escalations.ready();
    expect(bobAgain.runtime.escalations.list()).toHaveLength(1);
    later.runtime.dispose();
    bobAgain.runtime.dispose();
  });
});
