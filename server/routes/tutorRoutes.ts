import type { TutorAskRequest, TutorAskResponse } from '../../src/protocol/api';
import { isPlainObject, readJson } from '../http/body';
import { badRequest } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';
import type { Authenticator } from '../auth/authenticator';
import type { Counters } from '../stats';
import type { TutorService } from '../tutor/tutorService';
import { lessonNotFound } from './lessonRoutes';

export const MAX_ASK_ID_CHARS = 128;
export const MAX_QUESTION_CHARS = 2000;

function validateAsk(body: unknown): TutorAskRequest {
  if (!isPlainObject(body)) throw badRequest('INVALID_BODY', 'The body must be a JSON object {id, lessonId, text}.');
  const { id, lessonId, text } = body;
  if (typeof id !== 'string' || id === '' || id.length > MAX_ASK_ID_CHARS) {
    throw badRequest('INVALID_BODY', `"id" must be a string of 1–${MAX_ASK_ID_CHARS} characters.`);
  }
  if (typeof lessonId !== 'string') throw badRequest('INVALID_BODY', '"lessonId" must be a string.');
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_QUESTION_CHARS) {
    throw badRequest('INVALID_BODY', `"text" must be a non-empty string of at most ${MAX_QUESTION_CHARS} characters.`);
  }
  return { id, lessonId, text };
}

/** POST /api/tutor/ask: the non-streaming tutor for the simplified fallback; idempotent by ask id. */
export function tutorRoutes(tutor: TutorService, counters: Counters, auth: Authenticator): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/api\/tutor\/ask$/,
      async handle({ req }) {
        const student = auth.requireStudent(req);
        const ask = validateAsk(await readJson(req));
        counters.tutor.httpAsks += 1;
        const answer = tutor.reply(student, ask);
        if (!answer.ok) throw lessonNotFound(ask.lessonId);
        return json(200, { replyTo: ask.id, text: answer.text } satisfies TutorAskResponse);
      },
    },
  ];
}
