import type { LessonProgress, ProgressUpdate } from '../../src/protocol/api';
import { findExercise, findLesson } from '../content/catalog';
import type { ProgressStore } from '../db/progressStore';
import { isPlainObject, readJson } from '../http/body';
import { badRequest, unprocessable } from '../http/errors';
import { json } from '../http/reply';
import type { Authenticator } from '../auth/authenticator';
import type { Route } from '../http/router';

const MAX_ATTEMPTS = 1_000_000;

function validateLessonProgress(lessonId: string, value: unknown): LessonProgress {
  const where = `lessons["${lessonId}"]`;
  if (!isPlainObject(value)) throw badRequest('INVALID_BODY', `${where} must be an object {completed, attempts}.`);
  const { completed, attempts } = value;
  if (!Array.isArray(completed) || !completed.every((id) => typeof id === 'string')) {
    throw badRequest('INVALID_BODY', `${where}.completed must be an array of exercise ids.`);
  }
  if (!Number.isInteger(attempts) || (attempts as number) < 0 || (attempts as number) > MAX_ATTEMPTS) {
    throw badRequest('INVALID_BODY', `${where}.attempts must be an integer from 0 to ${MAX_ATTEMPTS}.`);
  }
  const lesson = findLesson(lessonId);
  if (!lesson) throw unprocessable('UNKNOWN_LESSON', `No lesson with id "${lessonId}".`);
  const unknown = (completed as string[]).find((id) => !findExercise(lesson, id));
  if (unknown !== undefined) throw unprocessable('UNKNOWN_EXERCISE', `Lesson "${lessonId}" has no exercise "${unknown}".`);
  return { completed: completed as string[], attempts: attempts as number };
}

function validateProgressUpdate(body: unknown): ProgressUpdate {
  if (!isPlainObject(body) || !isPlainObject(body.lessons)) {
    throw badRequest('INVALID_BODY', 'The body must be a JSON object {lessons: {<lessonId>: {completed, attempts}}}.');
  }
  const lessons: Record<string, LessonProgress> = {};
  for (const [lessonId, value] of Object.entries(body.lessons)) lessons[lessonId] = validateLessonProgress(lessonId, value);
  return { lessons };
}

/**
 * GET/PUT /api/progress for the session's student. PUT merges (completed sets unioned, attempts
 * never lowered), so it is idempotent and an old replay never erases progress; it needs no Idempotency-Key.
 */
export function progressRoutes(progress: ProgressStore, auth: Authenticator): Route[] {
  const path = /^\/api\/progress$/;
  return [
    { method: 'GET', path, handle: ({ req }) => json(200, progress.get(auth.requireStudent(req))) },
    {
      method: 'PUT',
      path,
      async handle({ req }) {
        const student = auth.requireStudent(req);
        const update = validateProgressUpdate(await readJson(req));
        progress.merge(student, update.lessons);
        return json(200, progress.get(student));
      },
    },
  ];
}
