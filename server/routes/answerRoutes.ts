import { randomUUID } from 'node:crypto';
import { REPLAYED_HEADER, type AnswerRequest, type AnswerResponse } from '../../src/protocol/api';
import { checkAnswer, feedbackFor } from '../answers/checkAnswer';
import { findExercise, findLesson } from '../content/catalog';
import type { AnswerStore } from '../db/answerStore';
import type { ProgressStore } from '../db/progressStore';
import { readJson, isPlainObject } from '../http/body';
import { badRequest, HttpError, unprocessable } from '../http/errors';
import { json } from '../http/reply';
import { requireIdempotencyKey, requireStudent } from '../http/requestHeaders';
import type { Route } from '../http/router';
import { requestFingerprint, type IdempotentExecutor } from '../idempotency';
import type { Counters } from '../stats';
import { lessonNotFound } from './lessonRoutes';

const MAX_ANSWER_CHARS = 200;

function validateAnswerRequest(body: unknown): AnswerRequest {
  if (!isPlainObject(body)) throw badRequest('INVALID_BODY', 'The body must be a JSON object {lessonId, exerciseId, answer}.');
  for (const field of ['lessonId', 'exerciseId', 'answer'] as const) {
    if (typeof body[field] !== 'string') throw badRequest('INVALID_BODY', `"${field}" must be a string.`);
  }
  const { lessonId, exerciseId, answer } = body as unknown as AnswerRequest;
  if (answer.trim() === '') throw unprocessable('EMPTY_ANSWER', 'The answer is empty.');
  if (answer.length > MAX_ANSWER_CHARS) throw unprocessable('ANSWER_TOO_LONG', `The answer must be at most ${MAX_ANSWER_CHARS} characters.`);
  return { lessonId, exerciseId, answer };
}

export interface AnswerRouteDeps {
  execute: IdempotentExecutor;
  answers: AnswerStore;
  progress: ProgressStore;
  counters: Counters;
}

/** POST /api/answers: checks an answer once per Idempotency-Key and records the attempt. */
export function answerRoutes({ execute, answers, progress, counters }: AnswerRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/api\/answers$/,
      ownsLatency: true,
      async handle({ req, chaosDelay }) {
        counters.answers.received += 1;
        try {
          const student = requireStudent(req);
          const key = requireIdempotencyKey(req);
          const request = validateAnswerRequest(await readJson(req));
          const lesson = findLesson(request.lessonId);
          if (!lesson) throw lessonNotFound(request.lessonId);
          const exercise = findExercise(lesson, request.exerciseId);
          if (!exercise) throw unprocessable('UNKNOWN_EXERCISE', `Lesson "${lesson.id}" has no exercise "${request.exerciseId}".`);

          const fingerprint = requestFingerprint(student, { ...request });
          const outcome = await execute({ key, student, fingerprint }, chaosDelay, () => {
            const verdict = checkAnswer(exercise.answer, request.answer);
            const correct = verdict.verdict === 'correct';
            const response: AnswerResponse = { correct, feedback: feedbackFor(exercise, verdict), attemptId: randomUUID() };
            answers.insert({ ...request, attemptId: response.attemptId, key, student, correct, at: new Date().toISOString() });
            progress.recordAttempt(student, lesson.id, exercise.id, correct);
            return { status: 200, body: response };
          });
          switch (outcome.kind) {
            case 'applied':
              counters.answers.applied += 1;
              return json(outcome.response.status, outcome.response.body);
            case 'replayed':
              counters.answers.replayed += 1;
              return json(outcome.response.status, outcome.response.body, { [REPLAYED_HEADER]: 'true' });
            case 'in_flight':
              throw new HttpError(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry later.', { 'Retry-After': '1' });
            case 'mismatch':
              throw unprocessable('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.');
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
