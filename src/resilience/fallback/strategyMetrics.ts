import type { SyncStorageLike } from '../core/syncStorage';
import type { StrategyMetrics } from './fallbackTypes';

/** Mutable tallies of one strategy; `latencyTotalMs / attempts` is its mean latency. */
export interface StrategyTally {
  attempts: number;
  successes: number;
  latencyTotalMs: number;
}

export interface StrategyMetricsBook {
  /** The tallies of `opType` (restored from storage on first use), keyed by strategy name. */
  tallies(opType: string): Map<string, StrategyTally>;
  record(opType: string, strategy: string, ok: boolean, durationMs: number): void;
  /** Writes the tallies of `opType`; called once per executeWithFallback, not once per strategy. */
  save(opType: string): void;
  snapshot(opType: string): Readonly<Record<string, StrategyMetrics>>;
}

const VERSION = 1;

/**
 * Per-strategy success and latency tallies, one storage record per operation type
 * (`<prefix><opType>` → `{v:1, s:{name:[attempts, successes, latencyTotalMs]}}`). When an op type's attempts
 * pass `windowAttempts`, every tally of that op type is halved, so old observations fade and the ranking
 * follows a change of conditions (a cache that started missing, a server that came back). All of them, not just
 * the busy one: halving only the busy strategy would leave a rarely tried one looking well explored forever. A corrupt record is reported through
 * `onCorrupt` and ignored: ranking starts from the prior again, which is what the flag-off path would do.
 */
export function createStrategyMetricsBook(options: {
  storage: SyncStorageLike;
  keyPrefix: string;
  windowAttempts: number;
  onCorrupt: (key: string, reason: string) => void;
}): StrategyMetricsBook {
  const { storage, keyPrefix, windowAttempts } = options;
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

  const tallies = (opType: string): Map<string, StrategyTally> => {
    let found = byOp.get(opType);
    if (!found) {
      found = load(opType);
      byOp.set(opType, found);
    }
    return found;
  };

  return {
    tallies,
    record(opType, strategy, ok, durationMs) {
      const book = tallies(opType);
      let tally = book.get(strategy);
      if (!tally) book.set(strategy, (tally = { attempts: 0, successes: 0, latencyTotalMs: 0 }));
      tally.attempts += 1;
      if (ok) tally.successes += 1;
      tally.latencyTotalMs += Math.max(0, durationMs);
      let total = 0;
      for (const t of book.values()) total += t.attempts;
      if (total <= windowAttempts) return;
      for (const t of book.values()) {
        t.attempts /= 2;
        t.successes /= 2;
        t.latencyTotalMs /= 2;
      }
    },
    save(opType) {
      const s: Record<string, [number, number, number]> = {};
      for (const [name, t] of tallies(opType)) s[name] = [t.attempts, t.successes, Math.round(t.latencyTotalMs)];
      storage.setItem(keyPrefix + opType, JSON.stringify({ v: VERSION, s }));
    },
    snapshot(opType) {
      const out: Record<string, StrategyMetrics> = {};
      for (const [name, t] of tallies(opType)) {
        out[name] = { attempts: t.attempts, successes: t.successes, meanLatencyMs: t.attempts > 0 ? t.latencyTotalMs / t.attempts : 0 };
      }
      return out;
    },
  };
}

function parseTally(value: unknown): StrategyTally | undefined {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [attempts, successes, latencyTotalMs] = value as unknown[];
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (!finite(attempts) || !finite(successes) || !finite(latencyTotalMs) || successes > attempts) return undefined;
  return { attempts, successes, latencyTotalMs };
}
