import type { HealthResponse, LessonsResponse } from '../../src/protocol/api';
import { allLessons, findLesson, toPublicLesson, toSummary } from '../content/catalog';
import { HttpError } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';

export function lessonNotFound(id: string): HttpError {
  return new HttpError(404, 'LESSON_NOT_FOUND', `No lesson with id "${id}".`);
}

export function lessonRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/api\/health$/,
      handle: () => json(200, { status: 'ok', time: new Date().toISOString() } satisfies HealthResponse),
    },
    {
      method: 'GET',
      path: /^\/api\/lessons$/,
      handle: () => json(200, { lessons: allLessons().map(toSummary) } satisfies LessonsResponse),
    },
    {
      method: 'GET',
      path: /^\/api\/lessons\/([^/]+)$/,
      handle({ params }) {
        const id = decodeURIComponent(params[0] ?? '');
        const lesson = findLesson(id);
        if (!lesson) throw lessonNotFound(id);
        return json(200, toPublicLesson(lesson));
      },
    },
  ];
}
