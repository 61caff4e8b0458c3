import type { Clock } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import type { OutboxEntry, OutboxIntervention } from './outboxEntry';
import type { OutboxStore } from './outboxStore';
import type { ReplayPolicy } from './replayPolicy';

export type SendOutcome = { ok: true } | { ok: false; error: ResilienceError };

export interface DrainPassInput {
  /** Queued entries of the user being replayed, in id order. */
  entries: readonly OutboxEntry[];
  store: OutboxStore;
  policy: ReplayPolicy;
  clock: Clock;
  send(entry: OutboxEntry, signal: AbortSignal): Promise<SendOutcome>;
  /** Scopes drained at once; a scope is always drained one entry at a time, in order. */
  scopeConcurrency: number;
  signal: AbortSignal;
  /** "Sync now": ignore our own backoff (a server's Retry-After is still honoured). */
  force: boolean;
  onSent(entry: OutboxEntry): void;
  onRetry(entry: OutboxEntry, delayMs: number): void;
  onIntervention(record: OutboxIntervention): void;
  onProgress(done: number, total: number): void;
}

export interface DrainPassReport {
  sent: number;
  deadLettered: number;
}

/**
 * One replay pass (the policy layer's loop): scopes run concurrently up to `scopeConcurrency`; within a scope
 * entries go strictly in order and a head that must wait (backoff, Retry-After, failure) stops only its own
 * scope. An entry is deleted only after the server acknowledged it (2xx, including an idempotent replay);
 * an abort (dispose) leaves the entry untouched, so a later replay re-sends it with the same key.
 */
export async function runDrainPass(input: DrainPassInput): Promise<DrainPassReport> {
  const { store, policy, clock, signal } = input;
  const scopes = new Map<string, OutboxEntry[]>();
  for (const entry of input.entries) {
    const list = scopes.get(entry.scope);
    if (list) list.push(entry);
    else scopes.set(entry.scope, [entry]);
  }
  const total = input.entries.length;
  const report: DrainPassReport = { sent: 0, deadLettered: 0 };
  let done = 0;
  const queue = [...scopes.values()];

  const mayAttempt = (entry: OutboxEntry) =>
    policy.isDue(entry, clock.now()) || (input.force && !policy.serverAskedToWait(entry));

  const drainScope = async (entries: OutboxEntry[]) => {
    for (const entry of entries) {
      if (signal.aborted || !mayAttempt(entry)) return;
      const outcome = await input.send(entry, signal);
      if (signal.aborted) return;
      const attempts = entry.attempts + 1;
      const verdict = policy.verdict(outcome, attempts);
      if (verdict.kind === 'ack') {
        // Delivered even if this delete fails: the next replay gets the stored response and deletes it then.
        await store.ack(entry.id);
        report.sent++;
        input.onSent(entry);
      } else if (verdict.kind === 'retry') {
        const updated: OutboxEntry = { ...entry, attempts, nextAttemptAt: clock.now() + verdict.delayMs, lastError: verdict.error };
        await store.put(updated);
        input.onRetry(updated, verdict.delayMs);
        return; // the head waits; the rest of its scope waits behind it
      } else {
        const record: OutboxIntervention = { entry: { ...entry, attempts, lastError: verdict.error }, reason: 'rejected', at: clock.now(), error: verdict.error };
        const moved = await store.moveToIntervention(record);
        if (!moved.ok) return; // cannot move it: leave it queued rather than lose it or skip past it
        report.deadLettered++;
        input.onIntervention(record);
      }
      input.onProgress(++done, total);
    }
  };

  const worker = async () => {
    for (let scope = queue.shift(); scope !== undefined && !signal.aborted; scope = queue.shift()) await drainScope(scope);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.scopeConcurrency, queue.length)) }, worker));
  return report;
}
