import type { Lesson } from '../../protocol/api';
import type { SyncStorageLike } from '../../resilience';

export interface LessonSnapshot {
  readonly lesson: Lesson;
  /** Wall clock when it was saved. */
  readonly storedAt: number;
}

/**
 * The last copy of each lesson a student opened, in localStorage (`lesson_data`: after the response
 * cache, "last snapshot kept in local storage"). Synchronous, so local hints can read it with the network
 * down. Also the progress the app last saw, so a hint can pick the first unfinished exercise.
 */
export interface LessonSnapshots {
  save(lesson: Lesson): void;
  find(lessonId: string): LessonSnapshot | undefined;
  saveCompleted(lessonId: string, exerciseIds: readonly string[]): void;
  completed(lessonId: string): readonly string[];
  /** Forgets every snapshot of this student (log-out). */
  purge(): void;
}

export interface LessonSnapshotsOptions {
  storage: SyncStorageLike | null;
  userId: string;
  now: () => number;
  /** Lessons kept (most recently opened first). Default 20. */
  maxLessons?: number;
}

export const LESSON_SNAPSHOT_KEY_PREFIX = 'app.lessonSnapshots.';

interface SnapshotRecord {
  lessons: LessonSnapshot[];
  completed: { [lessonId: string]: string[] };
}

export function createLessonSnapshots(options: LessonSnapshotsOptions): LessonSnapshots {
  const { storage, now } = options;
  const key = LESSON_SNAPSHOT_KEY_PREFIX + options.userId;
  const maxLessons = options.maxLessons ?? 20;

  const read = (): SnapshotRecord => {
    try {
      const parsed = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<SnapshotRecord> | null;
      return {
        lessons: Array.isArray(parsed?.lessons) ? parsed.lessons.filter(isSnapshot) : [],
        completed: typeof parsed?.completed === 'object' && parsed.completed !== null ? parsed.completed : {},
      };
    } catch {
      return { lessons: [], completed: {} };
    }
  };
  const write = (record: SnapshotRecord) => {
    let lessons = record.lessons.slice(0, maxLessons);
    for (;;) {
      try {
        storage?.setItem(key, JSON.stringify({ ...record, lessons }));
        return;
      } catch {
        // Quota: keep fewer lessons; with none left, give up quietly (the response cache still has them).
        if (lessons.length === 0) return;
        lessons = lessons.slice(0, -1);
      }
    }
  };

  return {
    save(lesson) {
      const record = read();
      write({ ...record, lessons: [{ lesson, storedAt: now() }, ...record.lessons.filter((s) => s.lesson.id !== lesson.id)] });
    },
    find: (lessonId) => read().lessons.find((snapshot) => snapshot.lesson.id === lessonId),
    saveCompleted(lessonId, exerciseIds) {
      const record = read();
      write({ ...record, completed: { ...record.completed, [lessonId]: [...exerciseIds] } });
    },
    completed(lessonId) {
      const ids = read().completed[lessonId];
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    },
    purge() {
      try {
        storage?.removeItem(key);
      } catch {
        // Nothing more can be done; the record is per student anyway.
      }
    },
  };
}

function isSnapshot(value: unknown): value is LessonSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { lesson, storedAt } = value as { lesson?: Partial<Lesson>; storedAt?: unknown };
  return typeof storedAt === 'number' && typeof lesson?.id === 'string' && Array.isArray(lesson.exercises);
}
