import type { SyncStorageLike } from '../core/syncStorage';
import type { StrategyMetrics } from './fallbackTypes';

/**
 * Mutable tallies of one strategy. `attempts`, `successes` and `latencyTotalMs` decay with time (see
 * {@link decayTally}); `streak` counts consecutive failures, each within the streak window of the one before.
 */
export interface StrategyTally {
  attempts: number;
  successes: number;
  latencyTotalMs: number;
  /** Runtime-clock time the decayed figures refer to. */
  decayedAt: number;
  streak: number;
  /** Runtime-clock time of the last failure (0: none). */
  lastFailureAt: number;
}

export interface StrategyMetricsBook {
  /** The tallies of `opType` (restored from storage on first use), decayed to `now`, keyed by strategy name. */
  tallies(opType: string, now: number): Map<string, StrategyTally>;
  record(opType: string, strategy: string, ok: boolean, durationMs: number, now: number): void;
  /** Writes the tallies of `opType`; called once per executeWithFallback, not once per strategy. */
  save(opType: string): void;
  snapshot(opType: string, now: number): Readonly<Record<string, StrategyMetrics>>;
}

export interface StrategyMetricsOptions {
  storage: SyncStorageLike;
  /** Storage key prefix; the op type follows it. Per student: the runtime puts the userId in it. */
  keyPrefix: string;
  /** Observations lose half their weight every this many ms of the runtime clock. */
  halfLifeMs: number;
  /** A failure more than this long after the previous one starts a new streak. */
  streakWindowMs: number;
  onCorrupt: (key: string, reason: string) => void;
}

const VERSION = 2;

/**
 * Per-strategy success and latency tallies, one storage record per operation type
 * (`<prefix><opType>` → `{v:2, s:{name:[attempts, successes, latencyTotalMs, decayedAt, streak, lastFailureAt]}}`).
 * Observations decay exponentially on the runtime clock (half-life `halfLifeMs`), so the within-tier order
 * follows a change of conditions (a cache that started missing, a server that came back) whatever the traffic,
 * and a quiet strategy's old record fades back towards the prior. A corrupt record (or one of an older
 * version) is reported through `onCorrupt` and ignored: ranking starts from the prior again, which is what
 * the flag-off path would do.
 */
export function createStrategyMetricsBook(options: StrategyMetricsOptions): StrategyMetricsBook {
  const { storage, keyPrefix, halfLifeMs, streakWindowMs } = options;
  const byOp = new Map<string, Map<string, StrategyTally>>();

  const load = (opType: string): Map<string, StrategyTally> => {
    const key = keyPrefix + opType;
    const tallies = new Map<string, StrategyTally>();
    const raw = storage.getItem(key);
    if (raw === null) return tallies;
    try {
      const parsed = JSON.parse(raw) as { v?: unknown; s?: unknown };
      if (parsed?.v !== VERSION || typeof parsed.s !== 'object' || parsed.s === null) throw new Error('unknown shape');
      for (const [name, value] of Object.entries(parsed.s as Record<string, unknown>)) {
        const tally = parseTally(value);
        if (!tally) throw new Error(`bad tally for "${name}"`);
        tallies.set(name, tally);
      }
      return tallies;
    } catch (error) {
      options.onCorrupt(key, error instanceof Error ? error.message : String(error));
      return new Map();
    }
  };

  const tallies = (opType: string, now: number): Map<string, StrategyTally> => {
    let found = byOp.get(opType);
    if (!found) {
      found = load(opType);
      byOp.set(opType, found);
    }
    for (const tally of found.values()) decayTally(tally, now, halfLifeMs);
    return found;
  };

  return {
    tallies,
    record(opType, strategy, ok, durationMs, now) {
      const book = tallies(opType, now);
      let tally = book.get(strategy);
      if (!tally) book.set(strategy, (tally = { attempts: 0, successes: 0, latencyTotalMs: 0, decayedAt: now, streak: 0, lastFailureAt: 0 }));
      tally.attempts += 1;
      tally.latencyTotalMs += Math.max(0, durationMs);
      if (ok) {
        tally.successes += 1;
        tally.streak = 0;
        return;
      }
      tally.streak = tally.streak > 0 && now - tally.lastFailureAt <= streakWindowMs ? tally.streak + 1 : 1;
      tally.lastFailureAt = now;
    },
    save(opType) {
      const s: Record<string, [number, number, number, number, number, number]> = {};
      for (const [name, t] of byOp.get(opType) ?? []) {
        s[name] = [t.attempts, t.successes, t.latencyTotalMs, t.decayedAt, t.streak, t.lastFailureAt];
      }
      storage.setItem(keyPrefix + opType, JSON.stringify({ v: VERSION, s }));
    },
    snapshot(opType, now) {
      const out: Record<string, StrategyMetrics> = {};
      for (const [name, t] of tallies(opType, now)) {
        out[name] = { attempts: t.attempts, successes: t.successes, meanLatencyMs: t.attempts > 0 ? t.latencyTotalMs / t.attempts : 0 };
      }
      return out;
    },
  };
}

/** Ages `tally` to `now`: every observation loses half its weight per half-life (a clock that stepped back ages nothing). */
export function decayTally(tally: StrategyTally, now: number, halfLifeMs: number): void {
  const elapsed = now - tally.decayedAt;
  if (elapsed <= 0) return;
  const factor = 0.5 ** (elapsed / halfLifeMs);
  tally.attempts *= factor;
  tally.successes *= factor;
  tally.latencyTotalMs *= factor;
  tally.decayedAt = now;
}

function parseTally(value: unknown): StrategyTally | undefined {
  if (!Array.isArray(value) || value.length !== 6) return undefined;
  const [attempts, successes, latencyTotalMs, decayedAt, streak, lastFailureAt] = value as unknown[];
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (![attempts, successes, latencyTotalMs, decayedAt, streak, lastFailureAt].every(finite)) return undefined;
  if ((successes as number) > (attempts as number) + 1e-9) return undefined;
  return { attempts, successes, latencyTotalMs, decayedAt, streak, lastFailureAt } as StrategyTally;
}
