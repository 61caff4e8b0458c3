import {
  ANSWERS_BATCH_PATH,
  BATCH_BODY_LIMIT_BYTES,
  MAX_BATCH_ITEMS,
  type AnswerBatchItemResult,
  type AnswerBatchResponse,
} from '../../src/protocol/api';
import { prepareAnswer, type AnswerCommandDeps } from '../answers/answerCommand';
import { isPlainObject, readJson } from '../http/body';
import { badRequest, errorBody, HttpError } from '../http/errors';
import { json } from '../http/reply';
import { IDEMPOTENCY_KEY } from '../http/requestHeaders';
import type { Authenticator } from '../auth/authenticator';
import type { Route } from '../http/router';
import type { BatchExecutor, BatchOutcome, BatchPlan } from '../idempotentBatch';
import type { Counters } from '../stats';
import { inFlight, keyReused } from './answerRoutes';

export interface AnswerBatchRouteDeps extends AnswerCommandDeps {
  executeBatch: BatchExecutor;
  counters: Counters;
  onError: (error: unknown) => void;
  auth: Authenticator;
}

interface RawItem {
  idempotencyKey: string;
  body: unknown;
  scope?: string;
}

/**
 * POST /api/answers/batch: replays up to 50 queued answers in one request. Each item means exactly what one
 * POST /api/answers with its key would (stored response, 422 on key reuse, 409 in flight, validation errors),
 * in item order; the envelope itself (student, shape, size) is checked first and fails as a whole.
 */
export function answerBatchRoute(deps: AnswerBatchRouteDeps): Route {
  const { counters } = deps;
  return {
    method: 'POST',
    path: new RegExp(`^${ANSWERS_BATCH_PATH.replaceAll('/', '\\/')}$`),
    ownsLatency: true,
    async handle({ req, chaosDelay }) {
      try {
        const student = deps.auth.requireStudent(req);
        const items = readItems(await readJson(req, BATCH_BODY_LIMIT_BYTES));
        counters.answers.received += items.length;
        const plans = items.map((item): BatchPlan => {
          try {
            const command = prepareAnswer(deps, student, item.idempotencyKey, item.body);
            return { kind: 'command', ...command, apply: () => command.apply(), ...(item.scope === undefined ? {} : { chain: item.scope }) };
          } catch (error) {
            if (error instanceof HttpError) return { kind: 'invalid', error };
            throw error;
          }
        });
        const outcomes = await deps.executeBatch(plans, chaosDelay);
        const response: AnswerBatchResponse = { results: outcomes.map((outcome, index) => itemResult(items[index]?.idempotencyKey ?? '', outcome)) };
        return json(200, response);
      } catch (error) {
        await chaosDelay();
        throw error;
      }
    },
  };

  function itemResult(idempotencyKey: string, outcome: BatchOutcome): AnswerBatchItemResult {
    const fail = (error: HttpError, extra: Partial<AnswerBatchItemResult> = {}): AnswerBatchItemResult => ({
      idempotencyKey, status: error.status, body: errorBody(error.code, error.message), replayed: false, ...extra,
    });
    switch (outcome.kind) {
      case 'applied':
        counters.answers.applied += 1;
        return { idempotencyKey, status: outcome.response.status, body: outcome.response.body as AnswerBatchItemResult['body'], replayed: false };
      case 'replayed':
        counters.answers.replayed += 1;
        return { idempotencyKey, status: outcome.response.status, body: outcome.response.body as AnswerBatchItemResult['body'], replayed: true };
      case 'in_flight':
        counters.answers.conflicts += 1;
        return fail(inFlight(), { retryAfterSeconds: 1 });
      case 'mismatch':
        counters.answers.rejected += 1;
        return fail(keyReused());
      case 'invalid':
        counters.answers.rejected += 1;
        return fail(outcome.error);
      case 'skipped':
        return fail(new HttpError(424, 'PRECEDING_ITEM_PENDING', 'Not processed: an earlier item of the same scope is not done yet; send it again after that one.'));
      case 'failed':
        deps.onError(outcome.error);
        return fail(new HttpError(500, 'INTERNAL', 'The server failed to process this item; nothing of it was kept.'));
    }
  }
}

/** The envelope: 1–50 items, each with a valid, distinct key; a problem here fails the whole request (400). */
function readItems(body: unknown): RawItem[] {
  const invalid = (message: string) => badRequest('INVALID_BATCH', message);
  if (!isPlainObject(body) || !Array.isArray(body.items)) throw invalid('The body must be a JSON object {items: [{idempotencyKey, body, scope?}]}.');
  const { items } = body;
  if (items.length === 0) throw invalid('"items" is empty; send 1 to 50 items.');
  if (items.length > MAX_BATCH_ITEMS) throw badRequest('BATCH_TOO_LARGE', `"items" has ${items.length} items; at most ${MAX_BATCH_ITEMS} are allowed.`);
  const seen = new Set<string>();
  return items.map((item: unknown, index): RawItem => {
    if (!isPlainObject(item)) throw invalid(`items[${index}] must be an object {idempotencyKey, body, scope?}.`);
    const { idempotencyKey, scope } = item;
    if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid(`items[${index}].idempotencyKey must be 1–128 printable ASCII characters without spaces.`);
    }
    if (seen.has(idempotencyKey)) throw badRequest('DUPLICATE_IDEMPOTENCY_KEY', `items[${index}].idempotencyKey repeats an earlier item's key.`);
    seen.add(idempotencyKey);
    if (scope !== undefined && (typeof scope !== 'string' || scope.length === 0 || scope.length > 200)) {
      throw invalid(`items[${index}].scope must be a string of 1–200 characters when present.`);
    }
    return { idempotencyKey, body: item.body, ...(scope === undefined ? {} : { scope }) };
  });
}
