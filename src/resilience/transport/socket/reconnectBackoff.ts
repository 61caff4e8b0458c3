import type { RandomSource } from '../../core/clock';

/** When to try the next reconnect. `attempt` is 1 for the first try after a healthy connection was lost. */
export interface ReconnectBackoff {
  delayMs(attempt: number, outageAgeMs: number, random: RandomSource): number;
}

/** Shape of the stream socket's reconnect delays (see `reconnectBackoff`). */
export interface ReconnectBackoffOptions {
  /** While the outage is young: one try about every this many ms (the first uniform in [minDelayMs, this]). */
  fastIntervalMs: number;
  /** How long the outage counts as young (most blips, a server restart or a proxy reload, end within it). */
  fastPhaseMs: number;
  /** After the young phase: one try about every this many ms, however long the outage lasts. */
  slowIntervalMs: number;
  /** Relative jitter of the young phase's delays: ±0.1 is 1.44–1.76 s for a 1.6 s interval. */
  fastJitter: number;
  /** Relative jitter of the slow phase's delays: ±0.4 is 8.1–18.9 s for 13.5 s, which spreads a herd's phases. */
  slowJitter: number;
  /** Floor of every delay, so a tight failure loop cannot spin. */
  minDelayMs: number;
}

/**
 * Default reconnect delays: every 1.6 s (±10 %) for the first 5 s of an outage, the first try uniform in
 * 50 ms–1.6 s; then every 13.5 s (±40 %).
 */
export const DEFAULT_RECONNECT_BACKOFF: Readonly<ReconnectBackoffOptions> = {
  fastIntervalMs: 1_600,
  fastPhaseMs: 5_000,
  slowIntervalMs: 13_500,
  fastJitter: 0.1,
  slowJitter: 0.4,
  minDelayMs: 50,
};

/**
 * Two-phase reconnect backoff, by the outage's age, not the attempt count (a burst of refused connections
 * cannot inflate it). Young outage: one try every ~1.6 s, so a server back after 5 s is found ~0.8 s after its
 * return (median); the first try is uniform over 50 ms–1.6 s, which spreads 50 clients dropped together to ~3
 * per 100 ms. Older than 5 s: one try every 13.5 s ± 40 %, which is partysocket's pace (its delays grow from 3 s
 * to 10 s) without its lock-step: over a 60 s outage ~7.6 tries per client (partysocket 8, the previous
 * age-proportional window 19), found ~6.7 s after the return (partysocket 7.2 s). Simulated in
 * `socketLifecycle.test.ts` and measured by `npm run bench -- socket-recovery`. A reconnect storm is not bought
 * with faster recovery. The price: between those two points the slow phase finds a server later than
 * partysocket's growing delays do (median over outages of 6–90 s: ~6.9 s against ~4.5 s), since three of the
 * eight tries go to the first 5 s. Evidence skips the wait: the `online` event, connectivity coming back online
 * (a health probe or a request succeeding after it went offline) and `reconnectNow()` try at once.
 */
export function reconnectBackoff(options: Partial<ReconnectBackoffOptions> = {}): ReconnectBackoff {
  const settings = { ...DEFAULT_RECONNECT_BACKOFF, ...options };
  const { fastIntervalMs, fastPhaseMs, slowIntervalMs, fastJitter, slowJitter, minDelayMs } = settings;
  const jitterOk = (jitter: number) => jitter >= 0 && jitter < 1;
  if (!(minDelayMs >= 0) || !(fastIntervalMs >= minDelayMs) || !(slowIntervalMs >= fastIntervalMs) || !(fastPhaseMs >= 0) || !jitterOk(fastJitter) || !jitterOk(slowJitter)) {
    throw new RangeError(
      `reconnectBackoff: invalid options ${JSON.stringify(settings)} (need 0 ≤ minDelayMs ≤ fastIntervalMs ≤ slowIntervalMs, fastPhaseMs ≥ 0, 0 ≤ jitter < 1)`,
    );
  }
  return {
    delayMs(attempt, outageAgeMs, random) {
      const [low, high] = reconnectDelayRange(settings, attempt, outageAgeMs);
      return Math.round(low + (high - low) * random());
    },
  };
}

/** The range a delay is drawn from, uniformly (tests and the docs reason about it). */
export function reconnectDelayRange(options: ReconnectBackoffOptions, attempt: number, outageAgeMs: number): [number, number] {
  const { fastIntervalMs, fastPhaseMs, slowIntervalMs, fastJitter, slowJitter, minDelayMs } = options;
  const floor = (ms: number) => Math.max(minDelayMs, ms);
  if (attempt <= 1) return [minDelayMs, fastIntervalMs];
  if (outageAgeMs < fastPhaseMs) return [floor(fastIntervalMs * (1 - fastJitter)), floor(fastIntervalMs * (1 + fastJitter))];
  return [floor(slowIntervalMs * (1 - slowJitter)), floor(slowIntervalMs * (1 + slowJitter))];
}
