import { runDrainPass } from '../../../src/resilience/outbox/drainPass';
import type { BatchReplay } from '../../../src/resilience/outbox/batchReplay';
import type { OutboxEntry } from '../../../src/resilience/outbox/outboxEntry';
import type { OutboxStore } from '../../../src/resilience/outbox/outboxStore';
import { createReplayPolicy } from '../../../src/resilience/outbox/replayPolicy';

const policy = createReplayPolicy({ backoff: { delayMs: () => 1_000 } as never, random: () => 0.5, retryAfterCapMs: 60_000, retentionMs: 1e9 });

const entry = (n: number): OutboxEntry => ({
  id: `01J${String(n).padStart(23, '0')}`, seq: n + 1, idempotencyKey: `key-${n}`, scope: `S${n % 2}`, user: 'ada',
  request: { method: 'POST', path: '/api/answers', body: { n } }, createdAt: 0, createdMono: 0, attempts: 0, nextAttemptAt: 0,
});

/** Batches of at most 2 that the server acknowledges at once; each delete waits until the test lets it finish. */
function setup(count: number) {
  const entries = Array.from({ length: count }, (_, n) => entry(n));
  const sends: string[][] = [];
  const deletes: { ids: readonly string[]; finish: () => void }[] = [];
  const deleted = new Set<string>();
  const batch: BatchReplay = {
    maxItems: 2, maxBytes: 10_000, available: () => true, itemBytes: () => 10,
    async send(items) {
      sends.push(items.map((item) => item.id));
      return { kind: 'sent', items: items.map(() => ({ kind: 'done', outcome: { ok: true, response: undefined } })) };
    },
  };
  const store = {
    ackMany: (ids: readonly string[]) => new Promise((resolve) => deletes.push({ ids, finish: () => {
      ids.forEach((id) => deleted.add(id));
      resolve({ ok: true, value: undefined });
    } })),
  } as unknown as OutboxStore;
  const sent: { ids: string[]; deletedBefore: boolean }[] = [];
  const pass = runDrainPass({
    entries, store, policy, clock: { now: () => 0 } as never, batch, scopeConcurrency: 1, signal: new AbortController().signal, force: false,
    send: () => Promise.reject(new Error('no single requests here')),
    onSent: (group) => sent.push({ ids: group.map(({ entry }) => entry.id), deletedBefore: group.every(({ entry }) => deleted.has(entry.id)) }),
    onRetry: () => undefined, onIntervention: () => undefined, onProgress: () => undefined,
  });
  return { entries, sends, deletes, sent, pass };
}

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('drain pass, batch rounds', () => {
  it('sends the next batch while the acknowledged one is deleted, reports each only once deleted, and ends after every delete', async () => {
    const { entries, sends, deletes, sent, pass } = setup(6);
    let ended = false;
    void pass.then(() => (ended = true));
    await turns();
    // All three batches went out although no delete has finished: none of them carries an acknowledged entry again.
    expect(sends).toEqual([entries.slice(0, 2), entries.slice(2, 4), entries.slice(4, 6)].map((group) => group.map((e) => e.id)));
    expect(deletes.map((d) => d.ids)).toEqual(sends);
    expect(sent).toEqual([]); // not "sent" (nor out of the pending count) before its delete
    expect(ended).toBe(false);

    deletes[0]?.finish();
    await turns();
    expect(sent).toEqual([{ ids: sends[0], deletedBefore: true }]); // one call for the whole batch
    expect(ended).toBe(false);
    deletes[1]?.finish(); // IndexedDB completes a store's readwrite transactions in the order they were made
    deletes[2]?.finish();
    await expect(pass).resolves.toEqual({ sent: 6, deadLettered: 0, needsSignIn: false });
    expect(sent.map((group) => group.ids)).toEqual(sends); // in order
    expect(sent.every((group) => group.deletedBefore)).toBe(true);
  });
});
