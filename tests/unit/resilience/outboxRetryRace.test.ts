import type { IDBFactory } from 'fake-indexeddb';
import { createResilienceStorage } from '../../../src/resilience/core/storage';
import { restoresOf } from '../../../src/resilience/outbox/outboxEntry';
import { createOutboxStore, OUTBOX_STORES } from '../../../src/resilience/outbox/outboxStore';
import { buildEntry } from '../../../src/resilience/outbox/outboxSubmit';
import { RESTORE_TICKET_PREFIX, RESTORE_TICKET_TTL_MS } from '../../../src/resilience/outbox/storeMoves';
import { answer, answerServer, freshFactory, outboxRuntime, seed, settle, useOutboxClock } from './outboxHelpers';
import { json } from './helpers';

const rejected = () => json({ error: { code: 'UNKNOWN_EXERCISE', message: 'No such exercise' } }, 422);

/** A server that rejects until `fix()`, then applies each Idempotency-Key once (a replay gets the stored answer). */
function fixableServer() {
  let fixed = false;
  const applied = new Map<string, number>();
  const server = answerServer((sent) => {
    if (!fixed) return rejected();
    applied.set(sent.key, (applied.get(sent.key) ?? 0) + 1);
    return json({ correct: true, feedback: 'Correct!', attemptId: 'a' });
  });
  return { ...server, applied, fix: () => void (fixed = true) };
}

/** Ada's answer A1, dead-lettered with a 422 by `server` in a first tab. */
async function deadLettered(factory: IDBFactory, server: ReturnType<typeof fixableServer>) {
  const [entry] = await seed(factory, [answer('A', 1)]);
  const tab = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada' });
  await tab.runtime.outbox.drain();
  expect(tab.runtime.outbox.snapshot().interventions.map((record) => record.entry.id)).toEqual([entry?.id]);
  return { tab, id: entry?.id ?? '', key: entry?.idempotencyKey ?? '' };
}

/** Another tab of Ada's (its own tab id: the drain lease tells tabs apart by it). */
const secondTab = (factory: IDBFactory, server: ReturnType<typeof fixableServer>) => outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.9 });

/** What a fresh tab finds in storage for Ada: queued ids and intervention ids. */
async function stored(factory: IDBFactory) {
  const { runtime } = outboxRuntime({ factory, userId: 'ada', random: () => 0.2 });
  await runtime.outbox.start();
  await settle();
  const snapshot = runtime.outbox.snapshot();
  runtime.dispose();
  return { pending: snapshot.pending, interventions: snapshot.interventions.length };
}

describe('retrying a dead-lettered answer while the outbox is busy', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it('an admin retry that lands while another tab reads the queue and this tab drains is applied once, never lost', async () => {
    const factory = freshFactory();
    const server = fixableServer();
    const { tab, id, key } = await deadLettered(factory, server);
    server.fix();
    const other = secondTab(factory, server);
    // The retry's move back into the queue overlaps a second tab's read of both stores and this tab's drain.
    await Promise.all([tab.runtime.outbox.retry(id), other.runtime.outbox.drain(), tab.runtime.outbox.drain()]);
    await settle();
    await tab.runtime.outbox.drain();
    await other.runtime.outbox.drain();

    expect(server.applied.get(key)).toBe(1);
    expect(server.sent.filter((sent) => sent.key === key)).toHaveLength(2); // the 422, then the one replay
    expect(tab.runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
    tab.runtime.dispose();
    other.runtime.dispose();
    expect(await stored(factory)).toEqual({ pending: 0, interventions: 0 });
  });

  it('two retries of the same answer at once (two tabs apply the admin command) queue it once and apply it once', async () => {
    const factory = freshFactory();
    const server = fixableServer();
    const { tab, id, key } = await deadLettered(factory, server);
    const other = secondTab(factory, server);
    await other.runtime.outbox.start();
    await settle();
    expect(other.runtime.outbox.snapshot().interventions).toHaveLength(1);
    server.fix();

    const outcomes = await Promise.allSettled([tab.runtime.outbox.retry(id), other.runtime.outbox.retry(id)]);
    await settle();
    await tab.runtime.outbox.drain();
    await other.runtime.outbox.drain();
    // A retry arriving after the answer was replayed and acknowledged must not queue it again either.
    await expect(other.runtime.outbox.retry(id)).rejects.toMatchObject({ code: 'HTTP_4XX' });
    await tab.runtime.outbox.drain();
    await other.runtime.outbox.drain();

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    for (const outcome of refused) expect(outcome.reason).toMatchObject({ code: 'HTTP_4XX', detail: { reason: 'notInIntervention' } });
    expect(server.applied.get(key)).toBe(1);
    expect(server.sent.filter((sent) => sent.key === key)).toHaveLength(2);
    tab.runtime.dispose();
    other.runtime.dispose();
    expect(await stored(factory)).toEqual({ pending: 0, interventions: 0 });
  });

  it('a retry the server rejects again goes back to the list with its restore counted, not lost between the stores', async () => {
    const factory = freshFactory();
    const server = fixableServer();
    const { tab, id } = await deadLettered(factory, server);
    const other = secondTab(factory, server);
    await Promise.all([tab.runtime.outbox.retry(id), other.runtime.outbox.drain(), tab.runtime.outbox.drain()]);
    await settle();
    await tab.runtime.outbox.drain();
    expect(tab.runtime.outbox.snapshot().interventions).toMatchObject([{ entry: { id, restores: 1 } }]);
    tab.runtime.dispose();
    other.runtime.dispose();
    expect(await stored(factory)).toEqual({ pending: 0, interventions: 1 });
  });
});

describe('the restore ticket (store layer)', () => {
  it('a retry whose check ran before another retry was replayed and acknowledged does not queue the entry again', async () => {
    const storage = createResilienceStorage({ factory: freshFactory(), databaseName: 'race', version: 1, stores: Object.values(OUTBOX_STORES), onDegraded: () => undefined });
    // The second retry's read of the intervention record is held until the first retry's answer is acknowledged.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holdNextRead = false;
    const gated = {
      ...storage,
      store(name: string) {
        const inner = storage.store(name);
        if (name !== OUTBOX_STORES.interventions) return inner;
        return {
          ...inner,
          async get(key: string) {
            const value = await inner.get(key);
            if (holdNextRead) {
              holdNextRead = false;
              await held;
            }
            return value;
          },
        };
      },
    };
    const store = createOutboxStore(gated, () => undefined, () => Date.now());
    const built = buildEntry(answer('A', 1), { id: '01J0000000000000000000000A', uuid: () => 'key-1', now: 0, mono: 0 });
    const inserted = await store.insert(built);
    if (!inserted.ok) throw inserted.error;
    const entry = { ...inserted.value, attempts: 1 };
    await store.moveToIntervention({ entry, reason: 'rejected', at: 1 });
    const retried = { ...entry, attempts: 0, restores: restoresOf(entry) + 1 };

    holdNextRead = true;
    const late = store.restore(retried); // an admin's retry, read the record, then held
    expect(await store.restore(retried)).toEqual({ ok: true, value: undefined }); // the student's, first through
    expect(await store.ack(retried.id)).toEqual({ ok: true, value: undefined }); // replayed and acknowledged
    release();
    expect(await late).toMatchObject({ ok: false, error: { code: 'HTTP_4XX', detail: { reason: 'notInIntervention' } } });
    const contents = await store.load();
    expect(contents).toMatchObject({ ok: true, value: { queue: [], interventions: [] } });
    storage.close();
  });
});

describe('restore tickets left behind (store layer)', () => {
  it('a load drops the ticket of an entry gone from both stores once it is a day old, and keeps a younger one', async () => {
    const storage = createResilienceStorage({ factory: freshFactory(), databaseName: 'tickets', version: 1, stores: Object.values(OUTBOX_STORES), onDegraded: () => undefined });
    let now = 1_000;
    const store = createOutboxStore(storage, () => undefined, () => now);
    const tickets = async () => (await storage.store(OUTBOX_STORES.queue).entries()).map(([key]) => key).filter((key) => key.startsWith(RESTORE_TICKET_PREFIX));
    const restoredAndSent = async (id: string) => {
      const inserted = await store.insert(buildEntry(answer('A', 1), { id, uuid: () => `key-${id}`, now, mono: 0 }));
      if (!inserted.ok) throw inserted.error;
      await store.moveToIntervention({ entry: inserted.value, reason: 'rejected', at: now });
      const restored = await store.restore({ ...inserted.value, restores: 1 });
      if (!restored.ok) throw restored.error;
      await store.ack(id); // replayed and acknowledged: gone from both stores, its ticket stays
    };
    await restoredAndSent('01J0000000000000000000000A');
    now += RESTORE_TICKET_TTL_MS - 1;
    await restoredAndSent('01J0000000000000000000000B');
    expect(await tickets()).toHaveLength(2);

    expect(await store.load()).toMatchObject({ ok: true, value: { queue: [], interventions: [] } });
    expect(await tickets()).toHaveLength(2); // neither is a day old yet
    now += 2;
    await store.load();
    expect(await tickets()).toEqual([`${RESTORE_TICKET_PREFIX}01J0000000000000000000000B`]);
    storage.close();
  });
});
