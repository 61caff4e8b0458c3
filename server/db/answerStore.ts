import type { AppliedAnswerRecord } from '../../src/protocol/dev';
import type { Db } from './database';

/** What /__stats reports of an applied answer, plus the attempt id the database keys it by. */
export interface AppliedAnswer extends AppliedAnswerRecord {
  attemptId: string;
}

interface Row {
  attempt_id: string;
  idempotency_key: string;
  student: string;
  lesson_id: string;
  exercise_id: string;
  answer: string;
  correct: number;
  created_at: string;
}

/** The log of applied answers, in the order they were applied. */
export function createAnswerStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO answers (attempt_id, idempotency_key, student, lesson_id, exercise_id, answer, correct, created_at)
     VALUES (@attemptId, @key, @student, @lessonId, @exerciseId, @answer, @correct, @at)`,
  );
  const selectAll = db.prepare<[], Row>('SELECT * FROM answers ORDER BY seq');

  return {
    insert(answer: AppliedAnswer): void {
      insert.run({ ...answer, correct: answer.correct ? 1 : 0 });
    },
    list(): AppliedAnswer[] {
      return selectAll.all().map((row) => ({
        attemptId: row.attempt_id,
        key: row.idempotency_key,
        student: row.student,
        lessonId: row.lesson_id,
        exerciseId: row.exercise_id,
        answer: row.answer,
        correct: row.correct === 1,
        at: row.created_at,
      }));
    },
  };
}

export type AnswerStore = ReturnType<typeof createAnswerStore>;
