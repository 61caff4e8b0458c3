import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import type { ConnectivityEventSource } from '../transport/connectivity';
import type { FetchLike } from '../transport/apiTypes';
import type { FeatureFlags } from './featureFlags';
import { validateFlags } from './validateFlags';

export interface ServedFlagsOptions {
  /** Full URL of the served flags, e.g. `${baseUrl}/api/flags`. */
  url: string;
  fetch: FetchLike;
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  /** Where the last good served flags are kept for offline start-ups. */
  storage: SyncStorageLike;
  /** Default `resilience.servedFlags:<url>` (localStorage is per origin already). */
  cacheKey?: string;
  /** Re-fetch period; default 30 s. */
  intervalMs?: number;
  /** `online` triggers a re-fetch; default none. */
  onlineSource?: ConnectivityEventSource;
}

/** What one fetch did: applied new flags, nothing changed (304 or same ETag), rejected an invalid file, or failed. */
export type ServedFlagsOutcome = 'updated' | 'unchanged' | 'rejected' | 'failed';

export interface ServedFlags {
  refresh(): Promise<ServedFlagsOutcome>;
  /** ETag of the flags in use, from the server or the offline cache; undefined while on the bundled file. */
  readonly etag: string | undefined;
  dispose(): void;
}

interface CachedFlags {
  etag: string;
  source: unknown;
}

export const DEFAULT_SERVED_FLAGS_INTERVAL_MS = 30_000;

/**
 * Served feature flags (docs/operations.md, "Feature flags"): applies the cached copy at once, then fetches
 * with If-None-Match on start, every `intervalMs` and when the browser is back online. A document with any
 * validation error is rejected as a whole (the flags in use stay); a failed fetch changes nothing.
 */
export function startServedFlags(options: ServedFlagsOptions): ServedFlags {
  const { clock, events, flags, storage } = options;
  const cacheKey = options.cacheKey ?? `resilience.servedFlags:${options.url}`;
  const intervalMs = options.intervalMs ?? DEFAULT_SERVED_FLAGS_INTERVAL_MS;
  let etag: string | undefined;
  let disposed = false;
  let timer: TimerHandle | undefined;
  let inFlight: Promise<ServedFlagsOutcome> | undefined;

  const accept = (source: unknown): boolean => {
    const { messages } = validateFlags(source);
    const errors = messages.filter((m) => m.level === 'error');
    if (errors.length === 0) return true;
    reportInternalError(events, 'flags', new Error(`Served flags rejected, the flags in use stay: ${errors.map((m) => m.message).join(' ')}`));
    return false;
  };

  const cached = readCache(storage, cacheKey);
  if (cached && accept(cached.source)) {
    etag = cached.etag;
    flags.update(cached.source);
  }

  const fetchOnce = async (): Promise<ServedFlagsOutcome> => {
    try {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (etag !== undefined) headers['If-None-Match'] = etag;
      const response = await options.fetch(options.url, { method: 'GET', headers, cache: 'no-store' });
      if (disposed) return 'unchanged';
      if (response.status === 304) return 'unchanged';
      if (!response.ok) return 'failed';
      const source: unknown = await response.json();
      if (disposed) return 'unchanged';
      if (!accept(source)) return 'rejected';
      const nextEtag = response.headers.get('ETag') ?? undefined;
      if (nextEtag !== undefined && nextEtag === etag) return 'unchanged';
      etag = nextEtag;
      if (nextEtag !== undefined) storage.setItem(cacheKey, JSON.stringify({ etag: nextEtag, source } satisfies CachedFlags));
      flags.update(source);
      return 'updated';
    } catch {
      return 'failed'; // offline or unreachable: the flags in use (cached or bundled) stay
    }
  };

  const refresh = (): Promise<ServedFlagsOutcome> => {
    inFlight ??= fetchOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const schedule = () => {
    timer = clock.setTimeout(() => {
      if (disposed) return;
      void refresh().finally(() => {
        if (!disposed) schedule();
      });
    }, intervalMs);
  };
  const onOnline = () => void refresh();
  options.onlineSource?.addEventListener('online', onOnline);
  void refresh();
  schedule();

  return {
    refresh,
    get etag() {
      return etag;
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      options.onlineSource?.removeEventListener('online', onOnline);
    },
  };
}

function readCache(storage: SyncStorageLike, key: string): CachedFlags | undefined {
  const text = storage.getItem(key);
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<CachedFlags>;
    return typeof parsed.etag === 'string' && parsed.source !== undefined ? { etag: parsed.etag, source: parsed.source } : undefined;
  } catch {
    storage.removeItem(key);
    return undefined;
  }
}
