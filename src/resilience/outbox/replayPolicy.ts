import type { RandomSource } from '../core/clock';
import type { ResilienceError } from '../core/errors';
import { failureTraits } from '../core/failureTraits';
import type { Backoff } from '../policies/backoff';
import type { OutboxEntry, OutboxErrorInfo } from './outboxEntry';

/** What to do with an entry after one replay attempt. */
/** The op name of the outbox's replay requests (their events and breaker tallies say it). */
export const REPLAY_OP = 'outbox.replay';

export type ReplayVerdict =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly error: OutboxErrorInfo }
  /** The session cannot act for this entry's student (401 after a refresh, 403): wait for sign-in, untouched. */
  | { readonly kind: 'pause'; readonly error: OutboxErrorInfo }
  | { readonly kind: 'intervene'; readonly error: OutboxErrorInfo };

export interface ReplayPolicyOptions {
  backoff: Backoff;
  random: RandomSource;
  /** Longest Retry-After honoured (60 s). */
  retryAfterCapMs: number;
  /** Entries older than this on the elapsed clock go to the intervention list (7 days). */
  retentionMs: number;
}

/** The replay policy layer: verdicts, backoff with jitter, Retry-After, due and retention checks. */
export function createReplayPolicy(options: ReplayPolicyOptions) {
  const { backoff, random, retryAfterCapMs, retentionMs } = options;
  const maxDelayMs = Math.max(retryAfterCapMs, backoff.delayMs(64, () => 1));
  return {
    verdict(result: { ok: true } | { ok: false; error: ResilienceError }, attempts: number): ReplayVerdict {
      if (result.ok) return { kind: 'ack' };
      const error = errorInfo(result.error);
      // AUTH pauses: the answer is fine, the student must sign in again (never a dead letter, no attempt burnt).
      // Other 4xx (validation, 422 key reuse, 404) fail the same way again: a person must decide. The rest is
      // transient: the same Idempotency-Key may be sent again safely (core/failureTraits.ts says why per code).
      const replay = failureTraits(result.error.code).replay;
      if (replay === 'pause') return { kind: 'pause', error };
      if (replay === 'intervene') return { kind: 'intervene', error };
      const retryAfterMs = result.error.retryAfterMs;
      const delayMs = retryAfterMs === undefined ? backoff.delayMs(attempts, random) : Math.min(Math.max(0, retryAfterMs), retryAfterCapMs);
      return { kind: 'retry', delayMs, error };
    },
    /**
     * Due when its time has come. A `nextAttemptAt` further ahead than any delay we ever schedule means the
     * wall clock stepped back since it was written: treat it as due rather than wait out the jump.
     */
    isDue(entry: OutboxEntry, wallNow: number): boolean {
      return entry.nextAttemptAt <= wallNow || entry.nextAttemptAt - wallNow > maxDelayMs;
    },
    /** Delay until the entry is due (0 when due now). */
    dueInMs(entry: OutboxEntry, wallNow: number): number {
      const waitMs = entry.nextAttemptAt - wallNow;
      return waitMs <= 0 || waitMs > maxDelayMs ? 0 : waitMs;
    },
    /**
     * Delay until the earliest scope head is due (Infinity when nothing is queued). Only heads count: the
     * entries behind a waiting head are "due" by their own time but go only after it, so they must not hide
     * the head's wait (which would leave no timer armed at all).
     */
    headsDueInMs(entries: readonly OutboxEntry[], wallNow: number): number {
      const seen = new Set<string>();
      let waitMs = Infinity;
      for (const entry of entries) {
        if (seen.has(entry.scope)) continue;
        seen.add(entry.scope);
        waitMs = Math.min(waitMs, this.dueInMs(entry, wallNow));
      }
      return waitMs;
    },
    isExpired(entry: OutboxEntry, elapsedNow: number): boolean {
      return elapsedNow - entry.createdMono > retentionMs;
    },
    /**
     * Whether the entry's wait comes from the server (Retry-After) rather than our own backoff. An open breaker's
     * remaining time is ours: "Sync now" goes through it as the breaker's probe.
     */
    serverAskedToWait(entry: OutboxEntry): boolean {
      return entry.lastError?.retryAfterMs !== undefined && entry.lastError.code !== 'CIRCUIT_OPEN';
    },
  };
}

export type ReplayPolicy = ReturnType<typeof createReplayPolicy>;

export function errorInfo(error: ResilienceError): OutboxErrorInfo {
  return {
    code: error.code,
    message: error.message,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
}
