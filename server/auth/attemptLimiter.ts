/** How many sign-in attempts are allowed per window, per name and per client address. */
export interface SignInLimits {
  /** Wrong passphrases for one name within the window; the next attempt is refused. Default 5. */
  failuresPerName: number;
  /**
   * Wrong passphrases from one client address within the window, whatever the names (guessing spread over
   * many names). Only failures count: a classroom behind one address signs in freely. Default 30.
   */
  failuresPerAddress: number;
  /** Default 15 minutes. */
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { failuresPerName: 5, failuresPerAddress: 30, windowMs: 15 * 60_000 };

/** Keys tracked at most; past it the stalest are forgotten (memory stays bounded under a spray of names). */
const MAX_KEYS = 10_000;

/**
 * A sliding-window counter per key (in memory: the local server is one process). `retryAfterMs` says how
 * long until the key has room again; 0 when it has room now.
 */
export function createAttemptLimiter(limit: number, windowMs: number, now: () => number) {
  const hits = new Map<string, number[]>();
  const live = (key: string): number[] => {
    const since = now() - windowMs;
    const times = (hits.get(key) ?? []).filter((at) => at > since);
    if (times.length === 0) hits.delete(key);
    else hits.set(key, times);
    return times;
  };
  return {
    retryAfterMs(key: string): number {
      const times = live(key);
      if (times.length < limit) return 0;
      return Math.max(1, (times[times.length - limit] ?? now()) + windowMs - now());
    },
    record(key: string): void {
      const times = live(key);
      times.push(now());
      hits.delete(key); // re-insert: Map order is then least recently used first
      hits.set(key, times);
      while (hits.size > MAX_KEYS) hits.delete(hits.keys().next().value as string);
    },
    clear(key?: string): void {
      if (key === undefined) hits.clear();
      else hits.delete(key);
    },
  };
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>;
