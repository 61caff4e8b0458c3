import type { LessonProgress, Progress } from '../../src/protocol/api';
import type { Db } from './database';

interface Row {
  lesson_id: string;
  completed: string;
  attempts: number;
  updated_at: string;
}

const NEVER = new Date(0).toISOString();

function readCompleted(json: string): string[] {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Progress per student and lesson. Every write is a merge that can only add: completed sets are unioned
 * and attempt counts never go down, so replaying an old update (or applying updates out of order)
 * never erases progress.
 */
export function createProgressStore(db: Db) {
  const select = db.prepare<[string], Row>(
    'SELECT lesson_id, completed, attempts, updated_at FROM lesson_progress WHERE student = ? ORDER BY lesson_id',
  );
  const selectOne = db.prepare<[string, string], Row>(
    'SELECT lesson_id, completed, attempts, updated_at FROM lesson_progress WHERE student = ? AND lesson_id = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO lesson_progress (student, lesson_id, completed, attempts, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (student, lesson_id) DO UPDATE SET completed = excluded.completed, attempts = excluded.attempts, updated_at = excluded.updated_at`,
  );

  function merge(student: string, lessonId: string, completed: readonly string[], attempts: number): void {
    const row = selectOne.get(student, lessonId);
    const before = row ? readCompleted(row.completed) : [];
    const union = [...new Set([...before, ...completed])].sort();
    const mergedAttempts = Math.max(row?.attempts ?? 0, attempts);
    if (row && union.length === before.length && mergedAttempts === row.attempts) return;
    upsert.run(student, lessonId, JSON.stringify(union), mergedAttempts, new Date().toISOString());
  }

  return {
    get(student: string): Progress {
      const lessons: Record<string, LessonProgress> = {};
      let updatedAt = NEVER;
      for (const row of select.all(student)) {
        lessons[row.lesson_id] = { completed: readCompleted(row.completed), attempts: row.attempts };
        if (row.updated_at > updatedAt) updatedAt = row.updated_at;
      }
      return { student, lessons, updatedAt };
    },
    /** Merges a client's view of progress (PUT /api/progress). */
    merge(student: string, lessons: Record<string, LessonProgress>): void {
      db.transaction(() => {
        for (const [lessonId, progress] of Object.entries(lessons)) merge(student, lessonId, progress.completed, progress.attempts);
      })();
    },
    /** Counts one attempt and, when correct, marks the exercise completed. */
    recordAttempt(student: string, lessonId: string, exerciseId: string, correct: boolean): void {
      const row = selectOne.get(student, lessonId);
      merge(student, lessonId, correct ? [exerciseId] : [], (row?.attempts ?? 0) + 1);
    },
  };
}

export type ProgressStore = ReturnType<typeof createProgressStore>;
