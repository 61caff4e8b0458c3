import type { Clock, RandomSource } from './core/clock';
import { isPlainObject } from './core/isPlainObject';
import type { SyncStorageLike } from './core/syncStorage';
import type { RuntimeChaos } from './chaos/chaosSeams';
import type { BreakerSettings } from './policies/breakerRegistry';
import type { BreakerStateStore } from './policies/breakerStore';
import type { RetryPolicy } from './policies/retryProfiles';
import type { FetchLike } from './transport/apiTypes';
import type { ConnectivityEventSource } from './transport/connectivity';
import type { CacheBounds } from './cache/responseCache';
import type { OutboxConfig } from './outbox/outboxWiring';
import type { StreamSocketConfig } from './transport/streamSocketWiring';
import type { HealingConfig } from './healing/healingWiring';
import type { RecoveryConfig } from './orchestrator/recoveryWiring';
import type { MonitoringConfig } from './monitoring/monitoringWiring';
import type { CheckpointConfig } from './checkpoint/checkpointWiring';
import type { PredictorConfig } from './predictor/predictorWiring';
import type { EscalationConfig } from './escalation/escalationWiring';

/** The API client: where the API lives, how requests are sent, timed and retried. */
export interface ApiConfig {
  /** Origin + prefix for API paths; '' (default) for same-origin. */
  baseUrl?: string;
  /** The fetch every request goes through. Default: globalThis.fetch, looked up at each call. */
  fetch?: FetchLike;
  /** Headers for every API request (the app passes its session header). */
  extraHeaders?: () => Readonly<Record<string, string>>;
  /** Per-attempt timeout when a request names none. */
  defaultTimeoutMs?: number;
  /** Total budget of an interactive request across its retries. */
  interactiveBudgetMs?: number;
  /** Retry policy of background requests. */
  backgroundRetryPolicy?: RetryPolicy;
  /**
   * 'clock' (default): deadlines shared per timeout value on the clock seam (fast, fake-timer friendly; may fire
   * up to max(25 ms, 1 % of the timeout) late). 'exact': one controller and timer per request. 'native':
   * AbortSignal.timeout/any.
   */
  timeoutImplementation?: 'clock' | 'exact' | 'native';
}

/** Feature flags: the file, developer overrides and served updates. */
export interface FlagsConfig {
  /** Content of feature-flags.json (text or parsed). Missing → every flag at its safe default. */
  source?: unknown;
  /** Developer overrides of flags; true only in dev builds. Default false. */
  allowOverrides?: boolean;
  /** Storage key of the overrides. */
  overridesKey?: string;
  /**
   * Served flags (docs/operations.md, "Feature flags"): fetch `path` (default /api/flags) with ETag every
   * `intervalMs` and when back online, cache the last good copy, apply changes live. Omit for none.
   */
  served?: { path?: string; intervalMs?: number; cacheKey?: string };
}

/** Circuit breakers: their settings and where their state is kept. */
export interface BreakersConfig {
  /** Settings of every backend's breaker. */
  defaults?: Partial<BreakerSettings>;
  /** Settings of named backends, over `defaults`. */
  perBackend?: Readonly<Record<string, Partial<BreakerSettings>>>;
  /** Default: browser store (localStorage + BroadcastChannel + Web Locks) in a document, else in-memory. */
  store?: BreakerStateStore;
}

/** The connectivity monitor. */
export interface ConnectivityConfig {
  /** online/offline event source; default `window` when present. */
  source?: ConnectivityEventSource;
  /** Health endpoint (under `api.baseUrl`) probed for connectivity and breaker recovery. Default /api/health. */
  healthPath?: string;
}

/** Where the runtime keeps things on the device. */
export interface StorageConfig {
  /** localStorage-like storage for overrides and breaker state; null for none. Default: localStorage if usable. */
  local?: SyncStorageLike | null;
  /** IndexedDB for the outbox, the response cache, checkpoints and interventions; null forces the memory fallback. Default globalThis.indexedDB. */
  indexedDB?: IDBFactory | null;
  /** IndexedDB database name. Default "resilience". */
  databaseName?: string;
}

/**
 * Configuration of `createResilienceRuntime`, grouped by subsystem. Every field is optional; an omitted one takes
 * a safe default.
 */
export interface ResilienceRuntimeConfig {
  /** Stable user id: sticky rollout buckets, per-user storage (missing → an anonymous id kept in storage). */
  userId?: string;
  clock?: Clock;
  random?: RandomSource;
  /** Monotonic milliseconds for outbox retention. Default performance.now (wall clock where missing). */
  monotonicNow?: () => number;
  /**
   * Runtime chaos (docs/operations.md, "Runtime chaos"): seeded injection innermost under the API client's fetch,
   * the tutor socket's WebSocket and the IndexedDB database layer, plus clock jumps and memory pressure. Off when
   * absent; made by `runtimeChaos(settings)`, which the app calls only in builds with developer tools, so a
   * production build ships no chaos code.
   */
  chaos?: RuntimeChaos;
  flags?: FlagsConfig;
  api?: ApiConfig;
  breakers?: BreakersConfig;
  connectivity?: ConnectivityConfig;
  storage?: StorageConfig;
  /** Outbox limits, retention, scope concurrency, lock implementation, the app's replay codec. */
  outbox?: OutboxConfig;
  /** Response cache bounds per student (entries, bytes) and the maximum age of a copy it serves. */
  responseCache?: Partial<CacheBounds>;
  /** The tutor socket to open at start-up (the app derives the ws URL from location). Omit to open none. */
  socket?: StreamSocketConfig;
  /** Injected actions for the healing strategies (reload, refreshSession, reopenStorage) and limits. */
  healing?: HealingConfig;
  /** Escalator, predictor, final-retry policy and ranking settings of the recovery flow. */
  recovery?: RecoveryConfig;
  /** Telemetry buffering while the error tracker loads (docs/operations.md, Monitoring). */
  monitoring?: MonitoringConfig;
  /** Checkpoint debounce, retention, hash and page-hide source (docs/architecture.md, Checkpoints). */
  checkpoints?: CheckpointConfig;
  /** Error predictor (flag `predictor`): evaluation period, scorer, browser seams, the app's prefetch targets. */
  predictor?: PredictorConfig;
  /** Manual intervention queue: reporting to the server and admins' commands (docs/architecture.md). */
  escalation?: EscalationConfig;
}

/**
 * Every top-level option and what it is: a seam (replaced whole) or a group of one subsystem's settings (merged
 * field by field). Tied to the interface, so an option added there without a row here does not compile.
 */
const OPTION_KINDS = {
  userId: 'seam',
  clock: 'seam',
  random: 'seam',
  monotonicNow: 'seam',
  chaos: 'seam',
  flags: 'group',
  api: 'group',
  breakers: 'group',
  connectivity: 'group',
  storage: 'group',
  outbox: 'group',
  responseCache: 'group',
  socket: 'group',
  healing: 'group',
  recovery: 'group',
  monitoring: 'group',
  checkpoints: 'group',
  predictor: 'group',
  escalation: 'group',
} as const satisfies Record<keyof ResilienceRuntimeConfig, 'seam' | 'group'>;

const kindOf = (key: string): 'seam' | 'group' | undefined => (Object.hasOwn(OPTION_KINDS, key) ? OPTION_KINDS[key as keyof typeof OPTION_KINDS] : undefined);

/**
 * `override` over `base`, one level deep: a group present in both (`api`, `storage`, `outbox`, …) is merged field
 * by field, so a caller's `{ api: { timeoutImplementation } }` keeps the base's `api.fetch`. Seams (`clock`,
 * `random`, `chaos`, …) are replaced whole.
 */
export function mergeRuntimeConfig(base: ResilienceRuntimeConfig, override: ResilienceRuntimeConfig): ResilienceRuntimeConfig {
  const merged: Record<string, unknown> = { ...base, ...override };
  for (const [key, value] of Object.entries(override)) {
    const under = (base as Record<string, unknown>)[key];
    if (kindOf(key) === 'group' && isPlainObject(under) && isPlainObject(value)) merged[key] = { ...under, ...value };
  }
  return merged as ResilienceRuntimeConfig;
}

/** Where the flat options of earlier versions live now, for the error that names them. */
const MOVED: Readonly<Record<string, string>> = {
  baseUrl: 'api.baseUrl',
  fetch: 'api.fetch',
  extraHeaders: 'api.extraHeaders',
  defaultTimeoutMs: 'api.defaultTimeoutMs',
  interactiveBudgetMs: 'api.interactiveBudgetMs',
  backgroundRetryPolicy: 'api.backgroundRetryPolicy',
  timeoutImplementation: 'api.timeoutImplementation',
  allowOverrides: 'flags.allowOverrides',
  flagOverridesKey: 'flags.overridesKey',
  servedFlags: 'flags.served',
  breakersPerBackend: 'breakers.perBackend',
  breakerStore: 'breakers.store',
  connectivitySource: 'connectivity.source',
  healthPath: 'connectivity.healthPath',
  indexedDB: 'storage.indexedDB',
  databaseName: 'storage.databaseName',
};

/**
 * Throws a TypeError naming an option the runtime does not know (a misspelling, or a flat option of an earlier
 * version with where it lives now), so a configuration is never silently half-applied.
 */
export function assertKnownOptions(config: ResilienceRuntimeConfig): void {
  for (const key of Object.keys(config)) {
    if (kindOf(key) !== undefined) continue;
    const moved = MOVED[key];
    throw new TypeError(`createResilienceRuntime: unknown option "${key}"${moved ? ` (it is ${moved} now)` : ''}`);
  }
}
