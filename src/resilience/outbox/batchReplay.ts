import { classify } from '../core/classify';
import type { ResilienceError } from '../core/errors';
import type { ApiClient } from '../transport/apiClient';
import { fnv1a } from '../core/fnv1a';
import type { BatchItemResult, OutboxBatchCodec } from './batchCodec';
import type { OutboxEntry } from './outboxEntry';
import { byteSize } from './outboxState';

/** What one item of a batch came to: a send outcome like a single request's, or held behind its scope's head. */
export type BatchItemOutcome =
  | { readonly kind: 'done'; readonly outcome: { ok: true; response: unknown } | { ok: false; error: ResilienceError } }
  /** The server did not process it (424): an earlier entry of its scope is not done yet. */
  | { readonly kind: 'held' };

export type BatchSendResult =
  /** One outcome per entry, in the order sent. */
  | { readonly kind: 'sent'; readonly items: readonly BatchItemOutcome[] }
  /** The request as a whole failed (network, timeout, 5xx, 429, unreadable answer): nothing is known per item. */
  | { readonly kind: 'failed'; readonly error: ResilienceError }
  /** The backend does not take this batch (4xx for the request as a whole): send these entries one at a time. */
  | { readonly kind: 'refused'; readonly error: ResilienceError };

/** Sends queued entries as one batch request (the app's codec); remembers a backend that has no batch endpoint. */
export interface BatchReplay {
  readonly maxItems: number;
  readonly maxBytes: number;
  /** False once the backend answered 404/405 for the batch endpoint (an older backend): replay one at a time. */
  available(): boolean;
  /** Bytes the entry adds to a batch body, or undefined when it cannot go in a batch. */
  itemBytes(entry: OutboxEntry): number | undefined;
  /** Entries of one user, at most `maxItems`, in replay order. Never rejects. */
  /** `probe`: a person asked for this sync ("Sync now"): an open breaker lets it through as its probe (ApiRequest.probe). */
  send(entries: readonly OutboxEntry[], signal: AbortSignal, probe?: boolean): Promise<BatchSendResult>;
}

export interface BatchReplayOptions {
  api: ApiClient;
  /** Operation name of replay requests (events; the outbox's own triggers ignore it). */
  op: string;
  /** The backend's batch format; none → one request per entry. */
  codec?: OutboxBatchCodec;
  /** Headers of the replay of these entries (from the first one). */
  requestHeaders?: (entry: OutboxEntry) => Readonly<Record<string, string>>;
  maxItems?: number;
}

const ENVELOPE_BYTES = 64;

export function createBatchReplay(options: BatchReplayOptions): BatchReplay {
  const { api, op, codec } = options;
  const maxItems = codec ? Math.min(options.maxItems ?? codec.maxItems, codec.maxItems) : 1;
  let supported = true;
  // Entries are immutable records; their size is measured once even when a scope waits over many rounds.
  const sizes = new WeakMap<OutboxEntry, number | undefined>();

  return {
    maxItems,
    maxBytes: (codec?.maxBodyBytes ?? 0) - ENVELOPE_BYTES,
    available: () => supported && codec !== undefined && maxItems > 1,
    itemBytes(entry) {
      if (sizes.has(entry)) return sizes.get(entry);
      const item = codec?.item(entry);
      const size = item === undefined ? undefined : byteSize(item) + 1;
      sizes.set(entry, size);
      return size;
    },
    async send(entries, signal, probe = false) {
      if (!codec) return { kind: 'refused', error: classify({ status: 404 }) };
      const keys = entries.map((entry) => entry.idempotencyKey);
      const first = entries[0];
      const result = await api.request<readonly BatchItemResult[]>({
        op,
        method: 'POST',
        path: codec.path,
        body: codec.body(entries.map((entry) => codec.item(entry))),
        // Every item carries its own key, so the batch is safe to send again; a key derived from its items
        // marks it retry-safe for the client (the server goes by the item keys).
        idempotencyKey: `batch-${keys.length}-${fnv1a(keys.join('\n'))}`,
        ...(first && options.requestHeaders ? { headers: options.requestHeaders(first) } : {}),
        retry: false,
        ...(probe ? { probe } : {}),
        signal,
        parse: (json) => checkedResults(codec.results(json, entries), entries.length),
      });
      if (result.ok) return { kind: 'sent', items: (result.value ?? []).map(itemOutcome) };
      const { error } = result;
      if (error.status === 404 || error.status === 405) supported = false;
      // AUTH is no refusal of the batch: one request per entry would meet the same 401, so it pauses the pass.
      const refused = error.code === 'HTTP_4XX';
      return refused ? { kind: 'refused', error } : { kind: 'failed', error };
    },
  };
}

function itemOutcome(result: BatchItemResult): BatchItemOutcome {
  if (result.status >= 200 && result.status < 300) return { kind: 'done', outcome: { ok: true, response: result.body } };
  if (result.status === 424) return { kind: 'held' };
  const retryAfter = result.retryAfterSeconds === undefined ? null : String(result.retryAfterSeconds);
  const response = { status: result.status, headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? retryAfter : null) } };
  return { kind: 'done', outcome: { ok: false, error: classify(response, { detail: result.body }) } };
}

/** A 2xx that is not one result per item is no acknowledgement of anything (INVALID_RESPONSE). */
function checkedResults(results: readonly BatchItemResult[], count: number): readonly BatchItemResult[] {
  if (!Array.isArray(results) || results.length !== count) throw new TypeError('The batch answer does not have one result per item');
  results.forEach((result, index) => {
    if (typeof result?.status !== 'number') throw new TypeError(`Batch result ${index} has no status`);
    if (result.retryAfterSeconds !== undefined && typeof result.retryAfterSeconds !== 'number') throw new TypeError(`Batch result ${index} has a bad retryAfterSeconds`);
  });
  return results;
}
