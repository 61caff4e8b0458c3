import {
  ANSWERS_BATCH_PATH,
  BATCH_BODY_LIMIT_BYTES,
  MAX_BATCH_ITEMS,
  STUDENT_HEADER,
  type AnswerBatchItem,
  type AnswerBatchItemResult,
  type AnswerBatchResponse,
} from '../../protocol/api';
import { classify } from '../core/classify';
import type { ResilienceError } from '../core/errors';
import type { ApiClient } from '../transport/apiClient';
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

/** Sends queued answers as one POST /api/answers/batch; remembers a backend that has no batch endpoint. */
export interface BatchReplay {
  readonly maxItems: number;
  readonly maxBytes: number;
  /** False once the backend answered 404/405 for the batch endpoint (an older backend): replay one at a time. */
  available(): boolean;
  /** Bytes the entry adds to a batch body, or undefined when it cannot go in a batch (not an answer). */
  itemBytes(entry: OutboxEntry): number | undefined;
  /** Entries of one user, at most `maxItems`, in replay order. Never rejects. */
  send(entries: readonly OutboxEntry[], signal: AbortSignal): Promise<BatchSendResult>;
}

export interface BatchReplayOptions {
  api: ApiClient;
  /** Operation name of replay requests (events; the outbox's own triggers ignore it). */
  op: string;
  maxItems?: number;
}

const ANSWERS_PATH = '/api/answers';
const ENVELOPE_BYTES = 64;

export function createBatchReplay(options: BatchReplayOptions): BatchReplay {
  const { api, op } = options;
  const maxItems = Math.min(options.maxItems ?? MAX_BATCH_ITEMS, MAX_BATCH_ITEMS);
  let supported = true;
  // Entries are immutable records; their size is measured once even when a scope waits over many rounds.
  const sizes = new WeakMap<OutboxEntry, number | undefined>();

  return {
    maxItems,
    maxBytes: BATCH_BODY_LIMIT_BYTES - ENVELOPE_BYTES,
    available: () => supported && maxItems > 1,
    itemBytes(entry) {
      if (sizes.has(entry)) return sizes.get(entry);
      const { method, path, body } = entry.request;
      const size = method === 'POST' && path === ANSWERS_PATH && isObject(body) ? byteSize(toItem(entry)) + 1 : undefined;
      sizes.set(entry, size);
      return size;
    },
    async send(entries, signal) {
      const keys = entries.map((entry) => entry.idempotencyKey);
      const result = await api.request<AnswerBatchResponse>({
        op,
        method: 'POST',
        path: ANSWERS_BATCH_PATH,
        body: { items: entries.map(toItem) },
        // Every item carries its own key, so the batch is safe to send again; a key derived from its items
        // marks it retry-safe for the client (the server goes by the item keys).
        idempotencyKey: `batch-${keys.length}-${fnv1a(keys.join('\n'))}`,
        headers: { [STUDENT_HEADER]: entries[0]?.user ?? '' },
        retry: false,
        signal,
        parse: (json) => parseBatchResponse(json, keys),
      });
      if (result.ok) return { kind: 'sent', items: (result.value as AnswerBatchResponse).results.map(itemOutcome) };
      const { error } = result;
      if (error.status === 404 || error.status === 405) supported = false;
      // AUTH is no refusal of the batch: one request per entry would meet the same 401, so it pauses the pass.
      const refused = error.code === 'HTTP_4XX';
      return refused ? { kind: 'refused', error } : { kind: 'failed', error };
    },
  };
}

function toItem(entry: OutboxEntry): AnswerBatchItem {
  return { idempotencyKey: entry.idempotencyKey, body: entry.request.body as AnswerBatchItem['body'], scope: entry.scope };
}

function itemOutcome(result: AnswerBatchItemResult): BatchItemOutcome {
  if (result.status >= 200 && result.status < 300) return { kind: 'done', outcome: { ok: true, response: result.body } };
  if (result.status === 424) return { kind: 'held' };
  const retryAfter = result.retryAfterSeconds === undefined ? null : String(result.retryAfterSeconds);
  const response = { status: result.status, headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? retryAfter : null) } };
  return { kind: 'done', outcome: { ok: false, error: classify(response, { detail: result.body }) } };
}

/** A 2xx that is not one result per item, in order, is no acknowledgement of anything (INVALID_RESPONSE). */
function parseBatchResponse(json: unknown, keys: readonly string[]): AnswerBatchResponse {
  const results = isObject(json) ? json.results : undefined;
  if (!Array.isArray(results) || results.length !== keys.length) throw new TypeError('The batch answer does not have one result per item');
  results.forEach((result: unknown, index) => {
    if (!isObject(result) || result.idempotencyKey !== keys[index] || typeof result.status !== 'number') {
      throw new TypeError(`Batch result ${index} does not answer item ${index}`);
    }
    if (result.retryAfterSeconds !== undefined && typeof result.retryAfterSeconds !== 'number') throw new TypeError(`Batch result ${index} has a bad retryAfterSeconds`);
  });
  return json as unknown as AnswerBatchResponse;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 32-bit FNV-1a, hex: a short stable digest (not a security boundary). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
