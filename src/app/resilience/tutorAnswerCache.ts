import type { SyncStorageLike } from '../../resilience';

/** One saved tutor reply: the normalised question it answered, its text and when it was saved (wall clock). */
export interface SavedAnswer {
  readonly lessonId: string;
  readonly question: string;
  readonly text: string;
  readonly storedAt: number;
}

export interface TutorAnswerCache {
  /** The saved reply to the same normalised question in the same lesson, if any. */
  find(lessonId: string, question: string): SavedAnswer | undefined;
  /** Remembers a reply the server gave (newest first; the oldest go past the bounds). */
  remember(lessonId: string, question: string, text: string): void;
  /**
   * Remembers `reply` as the answer to `ask` only when the reply names that ask (`replyTo === ask.id`); a reply
   * to another question is never saved under this one. Returns whether it was saved.
   */
  rememberReply(ask: { readonly id: string; readonly lessonId: string; readonly question: string }, reply: { readonly replyTo: string; readonly text: string }): boolean;
  /** Forgets this student's saved replies (log-out). */
  purge(): void;
}

export interface TutorAnswerCacheOptions {
  storage: SyncStorageLike | null;
  /** Replies are kept per student: another student on this device never reads them. */
  userId: string;
  now: () => number;
  /** Default 50 replies. */
  maxEntries?: number;
  /** Bound of the serialised record (UTF-16 code units ≈ bytes × 2 in localStorage). Default 64 KiB. */
  maxChars?: number;
}

export const TUTOR_ANSWERS_KEY_PREFIX = 'app.tutorAnswers.';

/**
 * Lower case, accents and punctuation dropped, whitespace collapsed: "What's  a Fraction?" and "whats a
 * fraction" are the same question. Word order and wording still matter; this is a cache, not a search engine.
 */
export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The `ai_tutoring` chain's first fallback store: every reply the server gave, keyed by student +
 * lesson + normalised question, in one bounded localStorage record per student. Unreadable or corrupt storage
 * behaves as empty; a full storage drops the oldest replies until the record fits, or keeps nothing.
 */
export function createTutorAnswerCache(options: TutorAnswerCacheOptions): TutorAnswerCache {
  const { storage, now } = options;
  const key = TUTOR_ANSWERS_KEY_PREFIX + options.userId;
  const maxEntries = options.maxEntries ?? 50;
  const maxChars = options.maxChars ?? 64 * 1024;

  const read = (): SavedAnswer[] => {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isSavedAnswer) : [];
    } catch {
      return [];
    }
  };
  const write = (entries: SavedAnswer[]) => {
    let kept = entries.slice(0, maxEntries);
    while (kept.length > 0) {
      const serialised = JSON.stringify(kept);
      if (serialised.length <= maxChars && trySet(storage, key, serialised)) return;
      kept = kept.slice(0, -1);
    }
    storage?.removeItem(key);
  };

  const remember = (lessonId: string, question: string, text: string) => {
    const normalised = normaliseQuestion(question);
    if (normalised === '' || text === '') return;
    const others = read().filter((entry) => entry.lessonId !== lessonId || entry.question !== normalised);
    write([{ lessonId, question: normalised, text, storedAt: now() }, ...others]);
  };

  return {
    find(lessonId, question) {
      const normalised = normaliseQuestion(question);
      return read().find((entry) => entry.lessonId === lessonId && entry.question === normalised);
    },
    remember,
    rememberReply(ask, reply) {
      if (reply.replyTo !== ask.id) return false;
      remember(ask.lessonId, ask.question, reply.text);
      return true;
    },
    purge() {
      try {
        storage?.removeItem(key);
      } catch {
        // Unusable storage: nothing was kept there either.
      }
    },
  };
}

function trySet(storage: SyncStorageLike | null, key: string, value: string): boolean {
  try {
    storage?.setItem(key, value);
    return true;
  } catch {
    return false; // QuotaExceededError: try again with fewer replies.
  }
}

function isSavedAnswer(value: unknown): value is SavedAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.lessonId === 'string' && typeof entry.question === 'string' && typeof entry.text === 'string' && typeof entry.storedAt === 'number';
}
