import type { OutboxEntry } from './outboxEntry';

/** One item's result in a batch answer, in the shape of a single request's answer. */
export interface BatchItemResult {
  /** HTTP status the item would have had as a single request; 424 = not processed (its scope's head failed). */
  readonly status: number;
  readonly body?: unknown;
  readonly retryAfterSeconds?: number;
}

/**
 * How a backend takes many queued entries in one request (the app's wire format; the runtime knows none). The
 * outbox batches only entries for which `item` returns a value; without a codec it replays one at a time.
 */
export interface OutboxBatchCodec {
  /** Where batches are POSTed, e.g. "/api/answers/batch". */
  readonly path: string;
  /** Most items in one batch (the outbox never exceeds it). */
  readonly maxItems: number;
  /** Largest request body the backend accepts, in bytes. */
  readonly maxBodyBytes: number;
  /** The batch item an entry becomes, or undefined when it cannot go in a batch. */
  item(entry: OutboxEntry): unknown;
  /** The request body for these items (in replay order). */
  body(items: readonly unknown[]): unknown;
  /**
   * One result per entry, in the order sent. Throws when the answer does not fit (then nothing of it counts as
   * an acknowledgement).
   */
  results(json: unknown, entries: readonly OutboxEntry[]): readonly BatchItemResult[];
}
