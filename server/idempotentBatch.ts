import type { Db } from './db/database';
import type { IdempotencyStore, StoredResponse } from './db/idempotencyStore';
import type { HttpError } from './http/errors';

/** One item of a batch: a prepared command, or the validation error it got (a 4xx, never stored). */
export type BatchPlan =
  | { kind: 'command'; key: string; student: string; fingerprint: string; chain?: string; apply(): StoredResponse }
  | { kind: 'invalid'; error: HttpError };

export type BatchOutcome =
  | { kind: 'applied'; response: StoredResponse }
  | { kind: 'replayed'; response: StoredResponse }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' }
  | { kind: 'invalid'; error: HttpError }
  /** Not processed: an earlier item of its chain is not done yet (409 or a failed apply). */
  | { kind: 'skipped' }
  /** Applying it threw (a bug or a database error): nothing of it was kept and its key is free again. */
  | { kind: 'failed'; error: unknown };

/**
 * The Idempotency-Key contract for many items at once, in item order. Every key is reserved in one
 * transaction before the wait (chaos latency), then every reserved item is applied and its response stored in
 * one transaction, each item inside its own savepoint so a failing item rolls back alone. That is two commits
 * per batch instead of two per answer. A process that dies in between leaves only in-flight keys, released at
 * the next start (as for single requests).
 */
export function createBatchExecutor(db: Db, keys: IdempotencyStore) {
  const applyOne = db.transaction((plan: Extract<BatchPlan, { kind: 'command' }>) => {
    const response = plan.apply();
    keys.complete(plan.key, response);
    return response;
  });

  return async function executeBatch(plans: readonly BatchPlan[], wait: () => Promise<void>): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = plans.map(() => ({ kind: 'skipped' }));
    const notDone = new Set<string>();
    const blocks = (plan: BatchPlan) => plan.kind === 'command' && plan.chain !== undefined && notDone.has(plan.chain);
    const markNotDone = (plan: BatchPlan) => plan.kind === 'command' && plan.chain !== undefined && notDone.add(plan.chain);
    const reserved: number[] = [];

    db.transaction(() => {
      plans.forEach((plan, index) => {
        if (plan.kind === 'invalid') outcomes[index] = plan; // definitive: does not hold its chain
        else if (blocks(plan)) outcomes[index] = { kind: 'skipped' };
        else {
          const existing = keys.reserve(plan.key, plan.student, plan.fingerprint);
          if (!existing) reserved.push(index);
          else if (existing.requestHash !== plan.fingerprint) outcomes[index] = { kind: 'mismatch' };
          else if (existing.state === 'in_flight') {
            outcomes[index] = { kind: 'in_flight' };
            markNotDone(plan);
          } else outcomes[index] = { kind: 'replayed', response: existing.response };
        }
      });
    })();
    await wait();

    try {
      db.transaction(() => {
        for (const index of reserved) {
          const plan = plans[index];
          if (plan?.kind !== 'command') continue;
          if (blocks(plan)) {
            keys.release(plan.key);
            continue; // outcome stays 'skipped'
          }
          try {
            outcomes[index] = { kind: 'applied', response: applyOne(plan) };
          } catch (error) {
            keys.release(plan.key);
            outcomes[index] = { kind: 'failed', error };
            markNotDone(plan);
          }
        }
      })();
    } catch (error) {
      // The transaction failed as a whole (rolled back, releases included): free every key this batch reserved.
      for (const index of reserved) {
        const plan = plans[index];
        if (plan?.kind === 'command') keys.release(plan.key);
      }
      throw error;
    }
    return outcomes;
  };
}

export type BatchExecutor = ReturnType<typeof createBatchExecutor>;
