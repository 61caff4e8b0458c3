import type { PrefetchTarget } from '../../resilience';

/** The lesson request exactly as the lesson page sends it (same op, path, parser and cache key). */
export function lessonRequest<T>(id: string, parse: (json: unknown) => T) {
  return {
    op: 'lesson_data',
    method: 'GET' as const,
    path: `/api/lessons/${encodeURIComponent(id)}`,
    parse,
    cache: { key: `lesson:${id}`, mode: 'fallback' as const },
  };
}

/**
 * What "current and next lesson" mean, for the predictor's prefetch: the lesson the student last opened and the
 * one after it in the last list this session loaded (none known before the list is seen). The runtime knows
 * nothing of lessons; it calls `targets()` when it decides to prefetch.
 */
export interface LessonFocus {
  listed(ids: readonly string[]): void;
  opened(id: string): void;
  targets(): readonly PrefetchTarget[];
}

export function createLessonFocus(parse: (json: unknown) => unknown): LessonFocus {
  let order: readonly string[] = [];
  let current: string | undefined;
  return {
    listed: (ids) => void (order = [...ids]),
    opened: (id) => void (current = id),
    targets() {
      if (current === undefined) return [];
      const index = order.indexOf(current);
      const next = index >= 0 ? order[index + 1] : undefined;
      return [current, ...(next === undefined ? [] : [next])].map((id) => lessonRequest(id, parse));
    },
  };
}
