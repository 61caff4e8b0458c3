import type { RandomSource } from '../../core/clock';

/** When to try the next reconnect. `attempt` is 1 for the first try after a healthy connection was lost. */
export interface ReconnectBackoff {
  delayMs(attempt: number, outageAgeMs: number, random: RandomSource): number;
}

/** Shape of the stream socket's reconnect delays (see `reconnectBackoff`). */
export interface ReconnectBackoffOptions {
  /** Jitter window while the outage is young: each delay is uniform in [minDelayMs, youngWindowMs]. */
  youngWindowMs: number;
  /** How long an outage counts as young. */
  youngOutageMs: number;
  /** Ceiling of the window once the outage is old (it doubles from youngWindowMs up to this). */
  maxWindowMs: number;
  /** Floor of every delay, so a tight failure loop cannot spin. */
  minDelayMs: number;
}

/**
 * Default reconnect delays: jitter up to 1.2 s for the first 30 s of an outage, then a window doubling up to 10 s;
 * never under 50 ms.
 */
export const DEFAULT_RECONNECT_BACKOFF: Readonly<ReconnectBackoffOptions> = {
  youngWindowMs: 1_200,
  youngOutageMs: 30_000,
  maxWindowMs: 10_000,
  minDelayMs: 50,
};

/**
 * Full-jitter reconnect backoff with an honestly bounded delay. While the outage is young (default 30 s) every
 * attempt waits uniform(50 ms, 1.2 s): a server that comes back is found within ≤ 1.2 s (≈ 0.4 s on average)
 * whatever the outage length — no schedule that is merely lucky with one fixed downtime. The full-width window
 * is also what spreads a herd: 50 clients dropped together land ~4 per 100 ms. Why 1.2 s and not 1 s or an
 * initial 250 ms: with 50 clients the busiest 100 ms bucket exceeds 20 % in ~12 % of drops for a 1 s window,
 * ~3.5 % for 1.2 s, ~0.7 % for 1.5 s (simulated), and a 250 ms first window would put ~40 % in one bucket.
 * The price is a median ~0.6 s reconnect after a lone blip. Past the young period the window doubles up to
 * maxWindowMs (10 s) every further 30 s, so a long outage costs each client one attempt every ~5 s on average.
 */
export function reconnectBackoff(options: Partial<ReconnectBackoffOptions> = {}): ReconnectBackoff {
  const settings = { ...DEFAULT_RECONNECT_BACKOFF, ...options };
  const { youngWindowMs, youngOutageMs, maxWindowMs, minDelayMs } = settings;
  if (!(minDelayMs >= 0) || !(youngWindowMs >= minDelayMs) || !(maxWindowMs >= youngWindowMs) || !(youngOutageMs >= 0)) {
    throw new RangeError(
      `reconnectBackoff: invalid options ${JSON.stringify(settings)} (need 0 ≤ minDelayMs ≤ youngWindowMs ≤ maxWindowMs, youngOutageMs ≥ 0)`,
    );
  }
  return {
    delayMs(_attempt, outageAgeMs, random) {
      const window = reconnectWindowMs(settings, outageAgeMs);
      return Math.round(minDelayMs + (window - minDelayMs) * random());
    },
  };
}

/**
 * The upper bound of the delay (tests and the docs reason about it). Depends on the outage's age, not on the
 * attempt count, so a burst of quick failures (refused connections) cannot inflate it.
 */
export function reconnectWindowMs(options: ReconnectBackoffOptions, outageAgeMs: number): number {
  if (outageAgeMs < options.youngOutageMs) return options.youngWindowMs;
  const doublings = 1 + Math.floor((outageAgeMs - options.youngOutageMs) / Math.max(1, options.youngOutageMs));
  return Math.min(options.maxWindowMs, options.youngWindowMs * 2 ** Math.min(doublings, 16));
}
