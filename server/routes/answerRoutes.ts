import { REPLAYED_HEADER } from '../../src/protocol/api';
import { prepareAnswer } from '../answers/answerCommand';
import type { AnswerStore } from '../db/answerStore';
import type { ProgressStore } from '../db/progressStore';
import { readJson } from '../http/body';
import { HttpError, unprocessable } from '../http/errors';
import { json } from '../http/reply';
import { requireIdempotencyKey } from '../http/requestHeaders';
import type { Authenticator } from '../auth/authenticator';
import type { Route } from '../http/router';
import type { IdempotentExecutor } from '../idempotency';
import type { Counters } from '../stats';

export interface AnswerRouteDeps {
  execute: IdempotentExecutor;
  answers: AnswerStore;
  progress: ProgressStore;
  counters: Counters;
  auth: Authenticator;
}

/** POST /api/answers: checks an answer once per Idempotency-Key and records the attempt. */
export function answerRoutes({ execute, answers, progress, counters, auth }: AnswerRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/api\/answers$/,
      ownsLatency: true,
      async handle({ req, chaosDelay }) {
        counters.answers.received += 1;
        try {
          const student = auth.requireStudent(req);
          const key = requireIdempotencyKey(req);
          const command = prepareAnswer({ answers, progress }, student, key, await readJson(req));
          const outcome = await execute(command, chaosDelay, () => command.apply());
          switch (outcome.kind) {
            case 'applied':
              counters.answers.applied += 1;
              return json(outcome.response.status, outcome.response.body);
            case 'replayed':
              counters.answers.replayed += 1;
              return json(outcome.response.status, outcome.response.body, { [REPLAYED_HEADER]: 'true' });
            case 'in_flight':
              throw inFlight();
            case 'mismatch':
              throw keyReused();
          }
        } catch (error) {
          if (error instanceof HttpError && error.status === 409) counters.answers.conflicts += 1;
          else if (error instanceof HttpError && error.status < 500) counters.answers.rejected += 1;
          await chaosDelay();
          throw error;
        }
      },
    },
  ];
}

export const inFlight = () =>
  new HttpError(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry later.', { 'Retry-After': '1' });

export const keyReused = () => unprocessable('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.');
