import type { TutorAskRequest } from '../../src/protocol/api';
import { findLesson } from '../content/catalog';
import type { TutorReplyStore } from '../db/tutorReplyStore';
import { composeTutorReply } from './tutorBrain';

export type TutorAnswer =
  | { ok: true; text: string; source: 'computed' | 'stored' }
  | { ok: false; code: 'UNKNOWN_LESSON'; message: string };

/**
 * One reply per student and ask id, for the socket and the HTTP fallback alike: the first ask computes and
 * stores the reply; every later ask of that student with that id (even after a restart, even with other text)
 * gets the stored one. Another student's ask with the same id is a different ask (never their reply).
 */
export function createTutorService(replies: TutorReplyStore, onComputed: () => void) {
  return {
    reply(student: string, ask: TutorAskRequest): TutorAnswer {
      // Student ids never contain "/", so the stored key is unambiguous.
      const askKey = `${student}/${ask.id}`;
      const stored = replies.get(askKey);
      if (stored) return { ok: true, text: stored.reply, source: 'stored' };
      const lesson = findLesson(ask.lessonId);
      if (!lesson) return { ok: false, code: 'UNKNOWN_LESSON', message: `No lesson with id "${ask.lessonId}".` };
      const text = composeTutorReply(lesson, ask.text);
      replies.save({ askId: askKey, lessonId: lesson.id, question: ask.text, reply: text });
      onComputed();
      return { ok: true, text, source: 'computed' };
    },
  };
}

export type TutorService = ReturnType<typeof createTutorService>;
