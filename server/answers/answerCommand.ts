import { randomUUID } from 'node:crypto';
import type { AnswerRequest, AnswerResponse } from '../../src/protocol/api';
import { findExercise, findLesson } from '../content/catalog';
import type { AnswerStore } from '../db/answerStore';
import type { StoredResponse } from '../db/idempotencyStore';
import type { ProgressStore } from '../db/progressStore';
import { isPlainObject } from '../http/body';
import { badRequest, unprocessable } from '../http/errors';
import { requestFingerprint } from '../idempotency';
import { lessonNotFound } from '../routes/lessonRoutes';
import { checkAnswer, feedbackFor } from './checkAnswer';

const MAX_ANSWER_CHARS = 200;

/** A validated answer, ready to be applied once under its Idempotency-Key. */
export interface AnswerCommand {
  key: string;
  student: string;
  fingerprint: string;
  /** Checks the answer and records it with the student's progress; call inside the key's transaction. */
  apply(): StoredResponse;
}

export interface AnswerCommandDeps {
  answers: AnswerStore;
  progress: ProgressStore;
}

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

/**
 * Validates an answer body (400 / 404 / 422 as an HttpError, never stored against the key) and returns the
 * command that applies it. Shared by POST /api/answers and the batch endpoint, so both mean the same thing.
 */
export function prepareAnswer(deps: AnswerCommandDeps, student: string, key: string, body: unknown): AnswerCommand {
  const request = validateAnswerRequest(body);
  const lesson = findLesson(request.lessonId);
  if (!lesson) throw lessonNotFound(request.lessonId);
  const exercise = findExercise(lesson, request.exerciseId);
  if (!exercise) throw unprocessable('UNKNOWN_EXERCISE', `Lesson "${lesson.id}" has no exercise "${request.exerciseId}".`);
  return {
    key,
    student,
    fingerprint: requestFingerprint(student, { ...request }),
    apply() {
      const verdict = checkAnswer(exercise.answer, request.answer);
      const correct = verdict.verdict === 'correct';
      const response: AnswerResponse = { correct, feedback: feedbackFor(exercise, verdict), attemptId: randomUUID() };
      deps.answers.insert({ ...request, attemptId: response.attemptId, key, student, correct, at: new Date().toISOString() });
      deps.progress.recordAttempt(student, lesson.id, exercise.id, correct);
      return { status: 200, body: response };
    },
  };
}
