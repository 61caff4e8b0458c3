import type { Clock } from '../core/clock';
import { failureTraits } from '../core/failureTraits';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { FeatureFlags } from '../flags/featureFlags';
import type { ApiClient } from '../transport/apiClient';
import type { ApiRequest, ApiResult } from '../transport/apiTypes';
import type { ResponseCache } from './responseCache';
import { createWriteBehind } from './writeBehind';

/** Failures of the network path that a cached copy may stand in for (not 4xx: those are real answers). */

export interface CachedApiOptions {
  cache: ResponseCache;
  flags: FeatureFlags;
  events: EventBus;
  clock: Clock;
  /** Namespace of the cache: the signed-in user ('anonymous' when none). */
  user: () => string | undefined;
}

/**
 * Adds the opt-in `cache: {key, mode:'fallback'}` option to an ApiClient without touching its pipeline.
 * Requests without it, non-GETs, and everything while the `responseCache` flag is off pass straight through.
 * A success is returned at once and stored behind it (writeBehind.ts); a failure the cache may stand in for (network, timeout,
 * 5xx, open breaker) is answered with a copy younger than the cache's maximum age, labelled with its age.
 * A broken cache never fails a request: it is reported and the network result is returned as is.
 */
export function withResponseCache(api: ApiClient, options: CachedApiOptions): ApiClient & { dispose(): void } {
  const { cache, flags, events, clock } = options;
  const namespace = () => options.user() ?? 'anonymous';
  const behind = createWriteBehind(cache, events, clock);
  // Not async: requests without the cache option (the hot path) pass straight through with no extra promise.
  return {
    request<T>(request: ApiRequest<T>): Promise<ApiResult<T>> {
      const spec = request.cache;
      if (!spec || request.method !== 'GET' || !flags.isEnabled('responseCache')) return api.request(request);
      return requestWithCache(request, spec);
    },
    dispose: () => behind.dispose(),
  };

  async function requestWithCache<T>(request: ApiRequest<T>, spec: NonNullable<ApiRequest<T>['cache']>): Promise<ApiResult<T>> {
    const user = namespace();
    const result = await api.request(request);
    if (result.ok) {
      behind.store(request.op, user, spec.key, result.value, clock.now());
      return result;
    }
    if (!failureTraits(result.error.code).unreachable) return result;
    try {
      const cached = behind.pending<T>(user, spec.key) ?? (await cache.get<T>(user, spec.key));
      if (!cached) return result;
      const now = clock.now();
      const ageMs = Math.max(0, now - cached.storedAt);
      events.emit('cache.served', { op: request.op, key: spec.key, ageMs });
      events.emit('fallback.used', { op: request.op, strategy: 'cache', stale: true });
      return { ok: true, value: cached.value, source: 'cache', stale: { ageMs, storedAt: cached.storedAt }, durationMs: result.durationMs };
    } catch (error) {
      reportInternalError(events, 'responseCache', error);
      return result;
    }
  }
}
