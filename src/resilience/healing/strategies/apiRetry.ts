import type { Clock } from '../../core/clock';
import type { ConnectivityState } from '../../core/events';
import type { HealingStrategy } from '../healingTypes';

export interface ApiRetryHealingOptions {
  clock: Clock;
  /** Checks GET /api/health now (the runtime's connectivity monitor). */
  probe: (reason: string) => Promise<ConnectivityState>;
  /** Renews the session after a 401; resolves false when it could not. At most once per window. */
  refreshSession?: () => Promise<boolean | void>;
  /** Default 60 s. */
  refreshWindowMs?: number;
}

/**
 * NETWORK / TIMEOUT: re-probe connectivity instead of trusting stale state; healed (the caller may retry now)
 * when the health endpoint answers. AUTH: refresh the session once per window — a second 401 soon after a
 * refresh means the refresh does not help, and looping on it would hammer the auth server.
 */
export function apiRetryHealing(options: ApiRetryHealingOptions): HealingStrategy {
  const refreshWindowMs = options.refreshWindowMs ?? 60_000;
  let lastRefreshAt: number | null = null;
  const refreshAllowed = () => lastRefreshAt === null || options.clock.now() - lastRefreshAt >= refreshWindowMs;

  return {
    name: 'apiRetry',
    canHeal(error) {
      if (error.code === 'NETWORK' || error.code === 'TIMEOUT') return true;
      return error.code === 'AUTH' && options.refreshSession !== undefined && refreshAllowed();
    },
    async heal(error) {
      if (error.code === 'AUTH') {
        lastRefreshAt = options.clock.now();
        return (await options.refreshSession?.()) !== false;
      }
      return (await options.probe('healing')) === 'online';
    },
  };
}
