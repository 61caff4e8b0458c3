import { createHash } from 'node:crypto';
import type { Db } from './db/database';
import type { IdempotencyStore, StoredResponse } from './db/idempotencyStore';

export type IdempotentOutcome =
  | { kind: 'applied'; response: StoredResponse }
  | { kind: 'replayed'; response: StoredResponse }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

/** Fingerprint of a request: the student plus the validated fields, so key order and extra fields do not matter. */
export function requestFingerprint(student: string, fields: Record<string, string>): string {
  const canonical = JSON.stringify([student, ...Object.keys(fields).sort().map((name) => [name, fields[name]])]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The Idempotency-Key contract. The key is reserved before anything slow happens (`wait`, where chaos
 * latency goes), so a concurrent duplicate sees it in flight. Applying the effects and storing the
 * response are one transaction: a crash leaves either nothing (the in-flight mark is cleared on the next
 * start) or both — never an applied answer without its stored response.
 */
export function createIdempotentExecutor(db: Db, keys: IdempotencyStore) {
  return async function execute(
    request: { key: string; student: string; fingerprint: string },
    wait: () => Promise<void>,
    apply: () => StoredResponse,
  ): Promise<IdempotentOutcome> {
    const existing = keys.reserve(request.key, request.student, request.fingerprint);
    await wait();
    if (existing) {
      if (existing.requestHash !== request.fingerprint) return { kind: 'mismatch' };
      return existing.state === 'in_flight' ? { kind: 'in_flight' } : { kind: 'replayed', response: existing.response };
    }
    try {
      const response = db.transaction(() => {
        const result = apply();
        keys.complete(request.key, result);
        return result;
      })();
      return { kind: 'applied', response };
    } catch (error) {
      keys.release(request.key);
      throw error;
    }
  };
}

export type IdempotentExecutor = ReturnType<typeof createIdempotentExecutor>;
