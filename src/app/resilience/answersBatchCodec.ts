import type { OutboxBatchCodec, OutboxEntry } from '../../resilience';
import {
  ANSWERS_BATCH_PATH,
  BATCH_BODY_LIMIT_BYTES,
  MAX_BATCH_ITEMS,
  STUDENT_HEADER,
  type AnswerBatchItem,
  type AnswerBatchRequest,
} from '../../protocol/api';
import { isPlainObject } from '../../protocol/isPlainObject';

const ANSWERS_PATH = '/api/answers';

/**
 * How the outbox replays many queued answers in one request: POST /api/answers/batch (docs/operations.md), each
 * item with its own Idempotency-Key and the single endpoint's semantics. Anything but an answer goes alone.
 */
export const answersBatchCodec: OutboxBatchCodec = {
  path: ANSWERS_BATCH_PATH,
  maxItems: MAX_BATCH_ITEMS,
  maxBodyBytes: BATCH_BODY_LIMIT_BYTES,
  item(entry) {
    const { method, path, body } = entry.request;
    if (method !== 'POST' || path !== ANSWERS_PATH || !isPlainObject(body)) return undefined;
    const item: AnswerBatchItem = { idempotencyKey: entry.idempotencyKey, body: body as unknown as AnswerBatchItem['body'], scope: entry.scope };
    return item;
  },
  body: (items): AnswerBatchRequest => ({ items: items as AnswerBatchItem[] }),
  results(json, entries) {
    const results = isPlainObject(json) ? json.results : undefined;
    if (!Array.isArray(results)) throw new TypeError('The batch answer has no results');
    results.forEach((result: unknown, index) => {
      if (!isPlainObject(result) || result.idempotencyKey !== entries[index]?.idempotencyKey) throw new TypeError(`Batch result ${index} does not answer item ${index}`);
    });
    return results;
  },
};

/** Only the API's paths may be queued and replayed. */
export const isApiPath = (path: string): boolean => path.startsWith('/api/');

/** Each replay says whose answer it is: the server refuses one that is not the signed-in student's (403). */
export const replayHeaders = (entry: OutboxEntry): Readonly<Record<string, string>> => ({ [STUDENT_HEADER]: entry.user });

