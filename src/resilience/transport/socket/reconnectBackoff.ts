import type { RandomSource } from '../../core/clock';

/** When to try the next reconnect. `attempt` is 1 for the first try after a healthy connection was lost. */
export interface ReconnectBackoff {
  delayMs(attempt: number, outageAgeMs: number, random: RandomSource): number;
}

/** Shape of the stream socket's reconnect delays (see `reconnectBackoff`). */
export interface ReconnectBackoffOptions {
  /** Smallest jitter window: each delay is uniform in [minDelayMs, window], the window never below this. */
  youngWindowMs: number;
  /** The window grows with the outage: `growth × outage age` (0.5: a 20 s outage waits up to 10 s). */
  growth: number;
  /** Ceiling of the window, however old the outage. */
  maxWindowMs: number;
  /** Floor of every delay, so a tight failure loop cannot spin. */
  minDelayMs: number;
}

/**
 * Default reconnect delays: a jitter window of 1.2 s that grows to half the outage's age once the outage is older
 * than 2.4 s, at most 15 s; never under 50 ms.
 */
export const DEFAULT_RECONNECT_BACKOFF: Readonly<ReconnectBackoffOptions> = {
  youngWindowMs: 1_200,
  growth: 0.5,
  maxWindowMs: 15_000,
  minDelayMs: 50,
};

/**
 * Full-jitter reconnect backoff whose window grows with the outage's age, not the attempt count. A young outage
 * waits uniform(50 ms, 1.2 s): a blip is healed in ~0.6 s, a server back after 5 s is found ~0.7 s later
 * (median, simulated and measured by `npm run bench -- socket-recovery`). The full-width first window is also
 * what spreads a herd: 50 clients dropped together land ~4 per 100 ms (a 1 s window puts > 20 % in one 100 ms
 * bucket in ~12 % of drops, 1.2 s in ~3.5 %). Past 2.4 s the window is half the outage's age, capped at 15 s, so
 * each client's attempts thin out geometrically (≈ 1 per 7.5 s at the cap): about 20 attempts in a 60 s outage
 * instead of one every 0.6 s (73), with the median delay after the server's return ~4 s (partysocket's ~7.6 s).
 * A reconnect storm is not bought with faster recovery; the `online` event and `reconnectNow()` still try at once.
 */
export function reconnectBackoff(options: Partial<ReconnectBackoffOptions> = {}): ReconnectBackoff {
  const settings = { ...DEFAULT_RECONNECT_BACKOFF, ...options };
  const { youngWindowMs, growth, maxWindowMs, minDelayMs } = settings;
  if (!(minDelayMs >= 0) || !(youngWindowMs >= minDelayMs) || !(maxWindowMs >= youngWindowMs) || !(growth >= 0)) {
    throw new RangeError(
      `reconnectBackoff: invalid options ${JSON.stringify(settings)} (need 0 ≤ minDelayMs ≤ youngWindowMs ≤ maxWindowMs, growth ≥ 0)`,
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
  return Math.min(options.maxWindowMs, Math.max(options.youngWindowMs, options.growth * Math.max(0, outageAgeMs)));
}
