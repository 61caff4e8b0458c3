import type { Db } from './database';

export interface StoredReply {
  askId: string;
  lessonId: string;
  question: string;
  reply: string;
}

/** Tutor replies by ask id, so an ask is answered once and re-sent from here ever after. */
export function createTutorReplyStore(db: Db) {
  const select = db.prepare<[string], { lesson_id: string; question: string; reply: string }>(
    'SELECT lesson_id, question, reply FROM tutor_replies WHERE ask_id = ?',
  );
  const insert = db.prepare(
    'INSERT INTO tutor_replies (ask_id, lesson_id, question, reply, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ask_id) DO NOTHING',
  );
  return {
    get(askId: string): StoredReply | null {
      const row = select.get(askId);
      return row ? { askId, lessonId: row.lesson_id, question: row.question, reply: row.reply } : null;
    },
    save(reply: StoredReply): void {
      insert.run(reply.askId, reply.lessonId, reply.question, reply.reply, new Date().toISOString());
    },
  };
}

export type TutorReplyStore = ReturnType<typeof createTutorReplyStore>;
