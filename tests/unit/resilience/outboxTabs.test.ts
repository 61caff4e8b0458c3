import { IDBObjectStore } from 'fake-indexeddb';
import { del, entries, set } from 'idb-keyval';
import { systemClock, type Clock } from '../../../src/resilience';
import { createIdbDatabase } from '../../../src/resilience/core/storageDatabase';
import { drainLockName } from '../../../src/resilience/outbox/drainLockName';
import { json } from './helpers';
import { answer, answerServer, channelHub, DAY_MS, freshFactory, outboxRuntime, seed, sharedLocks, START, until, useOutboxClock } from './outboxHelpers';

/** The raw queue store of a test database (what an older app version wrote, or a person's devtools). */
const queueStore = (factory: IDBFactory) => createIdbDatabase({ factory, name: 'resilience', version: 1, stores: [] }).store('outbox');

/** A tab whose clock runs `offsetMs` apart from the device's. */
const skewedClock = (offsetMs: number): Clock => {
  const base = systemClock();
  return { ...base, now: () => base.now() + offsetMs };
};

describe('one outbox queue for all of a student\'s tabs', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it('replays in the order answers were stored, after the clock moved back and from a tab whose clock is a day behind', async () => {
    const factory = freshFactory();
    // No user: these "tabs" only queue (nothing replays until the reader below).
    const tabA = outboxRuntime({ factory, random: () => 0.1 });
    const tabB = outboxRuntime({ factory, random: () => 0.9, clock: skewedClock(-DAY_MS) });
    const queued = [];
    queued.push(await tabA.runtime.outbox.submit(answer('A', 1)));
    queued.push(await tabA.runtime.outbox.submit(answer('A', 2)));
    vi.setSystemTime(START - 60 * 60 * 1000); // the device clock is set back an hour
    queued.push(await tabA.runtime.outbox.submit(answer('A', 3)));
    queued.push(await tabB.runtime.outbox.submit(answer('A', 4)));
    queued.push(await tabA.runtime.outbox.submit(answer('A', 5)));
    await Promise.all([tabA.runtime.outbox.drain(), tabB.runtime.outbox.drain()]);
    tabA.runtime.dispose();
    tabB.runtime.dispose();
    // The clocks disagree: ordering by the time-based ids would put 4, then 3 and 5, before 1 and 2.
    expect([...queued].sort((a, b) => (a.id < b.id ? -1 : 1)).map((entry) => entry.seq)).not.toEqual([1, 2, 3, 4, 5]);
    expect(queued.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);

    const server = answerServer();
    const reader = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.5 });
    await reader.runtime.outbox.drain();
    expect(server.sent.map((sent) => sent.body.n)).toEqual([1, 2, 3, 4, 5]);
    reader.runtime.dispose();
  });

  it('entries stored before queue positions existed still load, keep their order, and go first', async () => {
    const factory = freshFactory();
    const writer = outboxRuntime({ factory, random: () => 0.1 });
    for (const n of [1, 2, 3]) await writer.runtime.outbox.submit(answer('A', n));
    await writer.runtime.outbox.drain();
    writer.runtime.dispose();
    // Rewrite them as the older format: no `seq`, no counter.
    const store = queueStore(factory);
    for (const [key, value] of await entries<string, Record<string, unknown>>(store)) {
      if (key === '~seq') continue;
      const { seq: _seq, ...older } = value;
      await set(key, older, store);
    }
    await del('~seq', store);

    vi.setSystemTime(START - DAY_MS); // and the newer answers come from a clock that is behind
    const later = outboxRuntime({ factory, random: () => 0.7 });
    const newer = [await later.runtime.outbox.submit(answer('A', 4)), await later.runtime.outbox.submit(answer('A', 5))];
    expect(newer.map((entry) => entry.seq)).toEqual([1, 2]);
    await later.runtime.outbox.drain();
    later.runtime.dispose();

    const server = answerServer();
    const reader = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.5 });
    await reader.runtime.outbox.drain();
    expect(reader.ofType('outbox.quarantined')).toEqual([]);
    expect(server.sent.map((sent) => sent.body.n)).toEqual([1, 2, 3, 4, 5]);
    reader.runtime.dispose();
  });

  it('a missing position counter continues after the highest stored position, never before it', async () => {
    const factory = freshFactory();
    const writer = outboxRuntime({ factory, random: () => 0.1 });
    for (const n of [1, 2]) await writer.runtime.outbox.submit(answer('A', n));
    await del('~seq', queueStore(factory));
    vi.setSystemTime(START - DAY_MS);
    const third = await writer.runtime.outbox.submit(answer('A', 3));
    expect(third.seq).toBe(3);
    await writer.runtime.outbox.drain();
    writer.runtime.dispose();
    const server = answerServer();
    const reader = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.5 });
    await reader.runtime.outbox.drain();
    expect(server.sent.map((sent) => sent.body.n)).toEqual([1, 2, 3]);
    reader.runtime.dispose();
  });

  it("another tab's submit, backoff and intervention show up in this tab's snapshot; another student's tab hears nothing", async () => {
    const factory = freshFactory();
    const hub = channelHub();
    const failing = answerServer((sent) => (sent.body.n === 1 ? json({ error: { code: 'INVALID', message: 'no' } }, 422) : json({ error: { code: 'DOWN', message: 'down' } }, 503)));
    const tabA = outboxRuntime({ api: { fetch: failing.fetch }, factory, userId: 'ada', random: () => 0.1, outbox: { openChannel: hub.openChannel } });
    // One server for both (whichever tab drains, the same answers come back).
    const tabB = outboxRuntime({ api: { fetch: failing.fetch }, factory, userId: 'ada', random: () => 0.9, outbox: { openChannel: hub.openChannel } });
    const bob = outboxRuntime({ factory, userId: 'bob', random: () => 0.3, outbox: { openChannel: hub.openChannel } });
    await until(() => tabB.runtime.outbox.snapshot().ready && bob.runtime.outbox.snapshot().ready, 'start-up loads');
    await tabA.runtime.outbox.submit(answer('A', 1));
    await tabA.runtime.outbox.submit(answer('A', 2));
    await until(() => failing.sent.length >= 2, 'the failed pass');
    for (const tab of [tabA, tabB]) await until(() => tab.runtime.outbox.snapshot().pending === 1 && tab.runtime.outbox.snapshot().interventions.length === 1, 'both tabs to show it');
    expect(tabB.runtime.outbox.snapshot().interventions[0]?.entry.request.body).toEqual({ scope: 'A', n: 1 });
    expect(bob.runtime.outbox.snapshot()).toMatchObject({ pending: 0, interventions: [] });
    expect(hub.names()).toHaveLength(2); // one channel per student

    await tabB.runtime.outbox.discard(tabB.runtime.outbox.snapshot().interventions[0]?.entry.id ?? '');
    await until(() => tabA.runtime.outbox.snapshot().interventions.length === 0, 'tab A to see the discard');
    for (const tab of [tabA, tabB, bob]) tab.runtime.dispose();
  });

  it('any tab of the student drains entries another tab queued and left behind', async () => {
    const factory = freshFactory();
    const hub = channelHub();
    const offline = answerServer(() => new TypeError('Failed to fetch'));
    const tabA = outboxRuntime({ api: { fetch: offline.fetch }, factory, userId: 'ada', random: () => 0.1, outbox: { openChannel: hub.openChannel } });
    const server = answerServer();
    const tabB = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.9, outbox: { openChannel: hub.openChannel } });
    for (const n of [1, 2, 3]) await tabA.runtime.outbox.submit(answer('A', n));
    await until(() => !tabA.runtime.outbox.snapshot().draining && tabB.runtime.outbox.snapshot().pending === 3, 'tab B to see 3 pending');
    await tabA.runtime.outbox.drain(); // its passes are over
    tabA.runtime.dispose(); // the tab that queued them closes
    await tabB.runtime.outbox.syncNow();
    expect(server.sent.filter((sent) => sent.path.endsWith('/api/answers')).map((sent) => sent.body.n)).toEqual([1, 2, 3]);
    expect(tabB.runtime.outbox.snapshot().pending).toBe(0);
    tabB.runtime.dispose();
  });
});

describe('one drainer at a time without Web Locks (the IndexedDB lease)', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  /** Two tabs on one database start draining at the same moment; returns what the server saw. */
  async function raceTwoTabs(exclusion?: 'none') {
    const factory = freshFactory();
    const writer = outboxRuntime({ factory, random: () => 0.5 });
    for (let n = 0; n < 6; n++) await writer.runtime.outbox.submit(answer(`S${n % 2}`, n));
    await writer.runtime.outbox.drain();
    writer.runtime.dispose();
    let inFlight = 0;
    let maxInFlight = 0;
    const server = answerServer(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return json({ correct: true });
    });
    const outbox = { locks: null, scopeConcurrency: 1, ...(exclusion ? { drainExclusion: exclusion } : {}) };
    const tabA = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.1, outbox });
    const tabB = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', random: () => 0.9, outbox });
    const reports = await Promise.all([tabA.runtime.outbox.drain(), tabB.runtime.outbox.drain()]);
    tabA.runtime.dispose();
    tabB.runtime.dispose();
    return { keys: server.sent.map((sent) => sent.key), maxInFlight, reports };
  }

  it('two tabs racing for the lease: one drains, the other stays out, every answer is sent once', async () => {
    const { keys, maxInFlight, reports } = await raceTwoTabs();
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    expect(maxInFlight).toBe(1);
    expect(reports.filter((report) => report.skipped === 'locked')).toHaveLength(1);
  });

  it('with the exclusion switched off (test-only) the same race sends answers twice: the race test can fail', async () => {
    const { keys, reports } = await raceTwoTabs('none');
    expect(reports.some((report) => report.skipped === 'locked')).toBe(false);
    expect(keys.length).toBeGreaterThan(new Set(keys).size);
  });
});

describe('reading the queue around the drain lock', () => {
  beforeEach(() => useOutboxClock());
  afterEach(() => vi.useRealTimers());

  it('a tab that knows of queued work reads the queue once per pass (under the lock); one locked out reads it before reporting', async () => {
    const factory = freshFactory();
    await seed(factory, [answer('A', 1), answer('A', 2), answer('B', 1)]);
    const server = answerServer(undefined, { batch: true });
    const locks = sharedLocks();
    let releaseOther: () => void = () => undefined;
    void locks.request(drainLockName('resilience', 'ada'), { ifAvailable: true }, () => new Promise<void>((resolve) => (releaseOther = resolve))); // another tab drains
    const tab = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', outbox: { locks } });
    expect(await tab.runtime.outbox.drain()).toMatchObject({ sent: 0, remaining: 3, skipped: 'locked' });

    // The other tab sent them meanwhile (no change notices here): this tab's count is stale until it reads the queue.
    const other = outboxRuntime({ api: { fetch: server.fetch }, factory, userId: 'ada', outbox: { drainExclusion: 'none' } });
    expect(await other.runtime.outbox.drain()).toMatchObject({ sent: 3, remaining: 0 });
    other.runtime.dispose();
    const report = await tab.runtime.outbox.drain();
    expect(report).toEqual({ sent: 0, deadLettered: 0, remaining: 0 }); // nothing left: not "locked"
    expect(tab.runtime.outbox.snapshot().pending).toBe(0);

    await tab.runtime.outbox.submit(answer('A', 3));
    expect(await tab.runtime.outbox.drain()).toMatchObject({ sent: 0, remaining: 1, skipped: 'locked' }); // the submit's drain
    releaseOther();
    await new Promise((resolve) => setImmediate(resolve));
    // How many answers the server had when each read of the queue store began.
    const readsAt: number[] = [];
    const getAll = IDBObjectStore.prototype.getAll;
    const reads = vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'outbox') readsAt.push(server.sent.length);
      return getAll.apply(this, args);
    });
    expect(await tab.runtime.outbox.drain()).toMatchObject({ sent: 1, remaining: 0 });
    reads.mockRestore();
    expect(readsAt.filter((sent) => sent === 3)).toHaveLength(1); // before A3 went out: only the pass's own read
    expect(server.sent.map((sent) => `${sent.body.scope}${sent.body.n}`)).toEqual(['A1', 'A2', 'B1', 'A3']);
    tab.runtime.dispose();
  });
});
