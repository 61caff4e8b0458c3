import type { Clock } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { BatchReplay } from './batchReplay';
import type { OutboxEntry, OutboxIntervention } from './outboxEntry';
import type { OutboxStore } from './outboxStore';
import type { ReplayPolicy } from './replayPolicy';

/** What one replay attempt of an entry came to; `response` is the server's answer body of a 2xx. */
export type SendOutcome = { ok: true; response?: unknown } | { ok: false; error: ResilienceError };

export interface DrainPassInput {
  /** Queued entries of the user being replayed, in id order. */
  entries: readonly OutboxEntry[];
  store: OutboxStore;
  policy: ReplayPolicy;
  clock: Clock;
  send(entry: OutboxEntry, signal: AbortSignal): Promise<SendOutcome>;
  /** Batch replay; absent or no longer available (older backend) → one request per entry. */
  batch?: BatchReplay;
  /** Scopes drained at once on the one-request-per-entry path; a scope always goes in order. */
  scopeConcurrency: number;
  signal: AbortSignal;
  /** "Sync now": ignore our own backoff and an open breaker (sent as its probe); a server's Retry-After is still honoured. */
  force: boolean;
  /** Acknowledged and deleted: one call per acknowledged group (a batch's, or a single request's), in order. */
  onSent(sent: readonly { entry: OutboxEntry; response: unknown }[]): void;
  onRetry(entry: OutboxEntry, delayMs: number): void;
  onIntervention(record: OutboxIntervention): void;
  onProgress(done: number, total: number): void;
}

export interface DrainPassReport {
  sent: number;
  deadLettered: number;
  /** The server needs the student to sign in again: the pass stopped, leaving every entry as it was. */
  needsSignIn: boolean;
}

/**
 * One replay pass (the policy layer's loop). Within a scope entries are applied strictly in order and a head
 * that must wait (backoff, Retry-After, failure) stops only its own scope. An entry is deleted only after the
 * server acknowledged it (2xx, including an idempotent replay); an abort (dispose) leaves it untouched, so a
 * later replay re-sends it with the same key. Batches first (see batchRounds), one request per entry for
 * whatever a batch cannot carry.
 */
export async function runDrainPass(input: DrainPassInput): Promise<DrainPassReport> {
  const pass = createPassSettler(input);
  const left = input.batch?.available() ? await runBatchRounds(input, pass) : input.entries;
  if (left.length > 0) await runScopes(input, pass, left);
  return pass.report;
}

type PassSettler = ReturnType<typeof createPassSettler>;

/** Applies verdicts to the store and reports them; shared by both replay paths. */
function createPassSettler(input: DrainPassInput) {
  const { store, policy, clock } = input;
  const report: DrainPassReport = { sent: 0, deadLettered: 0, needsSignIn: false };
  const total = input.entries.length;
  let done = 0;
  const progressed = () => input.onProgress(++done, total);

  return {
    report,
    mayAttempt: (entry: OutboxEntry) => !report.needsSignIn && (policy.isDue(entry, clock.now()) || (input.force && !policy.serverAskedToWait(entry))),
    /** The server acknowledged these: delete them (in one transaction when there are several). */
    async acked(sent: readonly { entry: OutboxEntry; response: unknown }[]): Promise<void> {
      if (sent.length === 0) return;
      // Delivered even if this delete fails: the next replay gets the stored response and deletes it then.
      const [only] = sent;
      if (only && sent.length === 1) await store.ack(only.entry.id);
      else await store.ackMany(sent.map(({ entry }) => entry.id));
      report.sent += sent.length;
      input.onSent(sent);
      for (let i = 0; i < sent.length; i++) progressed();
    },
    /** Applies the verdict of one attempt; resolves whether the rest of the entry's scope may go on now. */
    async settle(entry: OutboxEntry, outcome: SendOutcome): Promise<boolean> {
      const attempts = entry.attempts + 1;
      const verdict = policy.verdict(outcome, attempts);
      if (verdict.kind === 'ack') {
        await this.acked([{ entry, response: outcome.ok ? outcome.response : undefined }]);
        return true;
      }
      if (verdict.kind === 'pause') {
        report.needsSignIn = true; // every scope stops: the next request would meet the same 401
        return false;
      }
      if (verdict.kind === 'retry') {
        const updated: OutboxEntry = { ...entry, attempts, nextAttemptAt: clock.now() + verdict.delayMs, lastError: verdict.error };
        await store.put(updated);
        input.onRetry(updated, verdict.delayMs);
        return false; // the head waits; the rest of its scope waits behind it
      }
      const record: OutboxIntervention = { entry: { ...entry, attempts, lastError: verdict.error }, reason: 'rejected', at: clock.now(), error: verdict.error };
      const moved = await store.moveToIntervention(record);
      if (!moved.ok) return false; // cannot move it: leave it queued rather than lose it or skip past it
      report.deadLettered++;
      input.onIntervention(record);
      progressed();
      return true;
    },
  };
}

/** One request per entry: scopes run concurrently up to `scopeConcurrency`, each strictly in order. */
async function runScopes(input: DrainPassInput, pass: PassSettler, entries: readonly OutboxEntry[]): Promise<void> {
  const { signal } = input;
  const scopes = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const list = scopes.get(entry.scope);
    if (list) list.push(entry);
    else scopes.set(entry.scope, [entry]);
  }
  const queue = [...scopes.values()];
  const drainScope = async (list: OutboxEntry[]) => {
    for (const entry of list) {
      if (signal.aborted || !pass.mayAttempt(entry)) return;
      const outcome = await input.send(entry, signal);
      if (signal.aborted || !(await pass.settle(entry, outcome))) return;
    }
  };
  const worker = async () => {
    for (let scope = queue.shift(); scope !== undefined && !signal.aborted; scope = queue.shift()) await drainScope(scope);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.scopeConcurrency, queue.length)) }, worker));
}

/**
 * Batch rounds: each round takes the ready heads of every scope in FIFO order (several entries of a scope, in
 * order, up to the batch's item and byte limits; a scope stops at its first entry that is not due) and sends
 * them as one request; the server applies them in item order and holds a scope's later items once one is not
 * done (424), so per-scope order survives a failure in the middle. An entry a batch cannot carry goes alone,
 * in the same round, when it is its scope's next. A round's acknowledged entries are deleted while the next
 * round is on the wire (no round carries them again); the rounds end once every delete is done. Resolves the
 * entries left for one-at-a-time replay (when the backend refused the batch), else none.
 */
async function runBatchRounds(input: DrainPassInput, pass: PassSettler): Promise<readonly OutboxEntry[]> {
  let deleting: Promise<unknown> = Promise.resolve();
  const deleteAcked = (acked: readonly { entry: OutboxEntry; response: unknown }[]) => {
    deleting = Promise.all([deleting, pass.acked(acked)]);
    deleting.catch(() => {}); // awaited (and so reported) when the rounds end
  };
  try {
    return await batchRounds(input, pass, deleteAcked);
  } finally {
    await deleting;
  }
}

async function batchRounds(input: DrainPassInput, pass: PassSettler, deleteAcked: (acked: readonly { entry: OutboxEntry; response: unknown }[]) => void): Promise<readonly OutboxEntry[]> {
  const { signal } = input;
  const batch = input.batch as BatchReplay;
  let pending = input.entries;
  const stopped = new Set<string>(); // scopes that wait until a later pass
  const settled = new Set<string>();
  const stopUnless = (mayGoOn: boolean, entry: OutboxEntry) => (mayGoOn ? settled.add(entry.id) : stopped.add(entry.scope));

  for (;;) {
    const round = pickRound(pending, stopped, pass.mayAttempt, batch);
    if (round.items.length === 0 && round.singles.length === 0) return [];
    const singles = round.singles.map(async (entry) => {
      const outcome = await input.send(entry, signal);
      if (!signal.aborted) stopUnless(await pass.settle(entry, outcome), entry);
    });
    const [sent] = await Promise.all([round.items.length > 0 ? batch.send(round.items, signal, input.force) : undefined, ...singles]);
    if (signal.aborted) return [];
    if (sent?.kind === 'refused') {
      return pending.filter((entry) => !settled.has(entry.id) && !stopped.has(entry.scope));
    }
    if (sent?.kind === 'failed') {
      // Nothing is known per item: each scope's head takes the failure and the rest of the scope waits behind it.
      const heads = new Map<string, OutboxEntry>();
      for (const entry of round.items) if (!heads.has(entry.scope)) heads.set(entry.scope, entry);
      for (const head of heads.values()) stopUnless(await pass.settle(head, { ok: false, error: sent.error }), head);
      for (const entry of round.items) if (heads.get(entry.scope) !== entry) stopped.add(entry.scope);
    } else if (sent) {
      const acked: { entry: OutboxEntry; response: unknown }[] = [];
      const failed: { entry: OutboxEntry; outcome: SendOutcome }[] = [];
      round.items.forEach((entry, index) => {
        const item = sent.items[index];
        if (item?.kind !== 'done') stopped.add(entry.scope);
        else if (item.outcome.ok) acked.push({ entry, response: item.outcome.response });
        else failed.push({ entry, outcome: item.outcome });
      });
      for (const { entry } of acked) settled.add(entry.id);
      if (acked.length > 0) deleteAcked(acked);
      for (const { entry, outcome } of failed) stopUnless(await pass.settle(entry, outcome), entry);
    }
    pending = pending.filter((entry) => !settled.has(entry.id));
  }
}

interface Round {
  items: OutboxEntry[];
  singles: OutboxEntry[];
}

function pickRound(pending: readonly OutboxEntry[], stopped: Set<string>, mayAttempt: (entry: OutboxEntry) => boolean, batch: BatchReplay): Round {
  const round: Round = { items: [], singles: [] };
  const inRound = new Set<string>();
  const closed = new Set<string>(); // scopes that take nothing more this round
  let bytes = 0;
  for (const entry of pending) {
    const { scope } = entry;
    if (stopped.has(scope) || closed.has(scope)) continue;
    if (!mayAttempt(entry)) {
      stopped.add(scope); // not due: the rest of its scope waits behind it
      continue;
    }
    const size = batch.itemBytes(entry);
    if (size === undefined || size > batch.maxBytes) {
      if (!inRound.has(scope)) round.singles.push(entry);
      inRound.add(scope);
      closed.add(scope);
    } else if (round.items.length < batch.maxItems && bytes + size <= batch.maxBytes) {
      round.items.push(entry);
      inRound.add(scope);
      bytes += size;
    } else closed.add(scope);
  }
  // One entry is cheaper alone, and means exactly what a batch of one would.
  if (round.items.length === 1) round.singles.push(...round.items.splice(0));
  return round;
}
