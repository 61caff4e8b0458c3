import type { SyncStorageLike } from '../../resilience';

/** The build-time switches that decide whether developer tools exist (Vite's import.meta.env). */
export interface DevToolsEnv {
  readonly DEV?: boolean;
  readonly VITE_DEV_TOOLS?: string;
}

/**
 * Developer tools (panel, flag overrides, dev settings) exist in dev builds, or in a build made with
 * VITE_DEV_TOOLS=1 (the end-to-end tests use one). A production build has neither: overrides are ignored.
 */
export function devToolsAllowed(env: DevToolsEnv): boolean {
  return env.DEV === true || env.VITE_DEV_TOOLS === '1';
}

/** localStorage key of the dev setting that shortens how long a breaker stays open. */
export const DEV_BREAKER_OPEN_MS_KEY = 'tutor.dev.breakerOpenMs';
const MIN_OPEN_MS = 100;
const MAX_OPEN_MS = 10 * 60_000;

/**
 * The breakers' open duration set by a developer (`localStorage['tutor.dev.breakerOpenMs']`, whole ms from 100
 * to 600000), or undefined for the default. Read only when dev tools are allowed; anything else is ignored.
 */
export function readDevBreakerOpenMs(storage: SyncStorageLike | null, devTools: boolean): number | undefined {
  return readDevMs(storage, devTools, DEV_BREAKER_OPEN_MS_KEY, MIN_OPEN_MS, MAX_OPEN_MS);
}

/** localStorage key of the dev setting that shortens the tutor socket's ping interval (stale after 2 ×). */
export const DEV_PING_INTERVAL_MS_KEY = 'tutor.dev.pingIntervalMs';
const MIN_PING_MS = 100;
const MAX_PING_MS = 60_000;

/**
 * The tutor socket's ping interval set by a developer (`localStorage['tutor.dev.pingIntervalMs']`, whole ms
 * from 100 to 60000), or undefined for the default. Read only when dev tools are allowed.
 */
export function readDevPingIntervalMs(storage: SyncStorageLike | null, devTools: boolean): number | undefined {
  return readDevMs(storage, devTools, DEV_PING_INTERVAL_MS_KEY, MIN_PING_MS, MAX_PING_MS);
}

/** localStorage key of the dev setting that turns the outbox's cross-tab drain exclusion off ("off"). */
export const DEV_OUTBOX_EXCLUSION_KEY = 'tutor.dev.outboxDrainExclusion';

/**
 * True when a developer set `localStorage['tutor.dev.outboxDrainExclusion'] = 'off'`: every tab then drains at
 * once (no Web Locks, no lease). Only the end-to-end test that shows the exclusion matters uses it; it is read
 * only when dev tools are allowed, so a production build cannot turn it on.
 */
export function readDevOutboxExclusionOff(storage: SyncStorageLike | null, devTools: boolean): boolean {
  if (!devTools || !storage) return false;
  try {
    return storage.getItem(DEV_OUTBOX_EXCLUSION_KEY) === 'off';
  } catch {
    return false;
  }
}

/** localStorage key of the dev setting that shortens the error predictor's evaluation period (default 30 s). */
export const DEV_PREDICTOR_INTERVAL_MS_KEY = 'tutor.dev.predictorIntervalMs';

/** The predictor's evaluation period set by a developer (whole ms from 100 to 60000), or undefined. */
export function readDevPredictorIntervalMs(storage: SyncStorageLike | null, devTools: boolean): number | undefined {
  return readDevMs(storage, devTools, DEV_PREDICTOR_INTERVAL_MS_KEY, MIN_PING_MS, MAX_PING_MS);
}

function readDevMs(storage: SyncStorageLike | null, devTools: boolean, key: string, min: number, max: number): number | undefined {
  if (!devTools || !storage) return undefined;
  let text: string | null = null;
  try {
    text = storage.getItem(key);
  } catch {
    return undefined;
  }
  if (text === null || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** localStorage key of the dev setting that makes applying a restored lesson checkpoint throw (crash-loop e2e). */
export const DEV_RESTORE_THROWS_KEY = 'tutor.dev.checkpointRestoreThrows';

/** True when a developer set `localStorage['tutor.dev.checkpointRestoreThrows'] = '1'` in a build with dev tools. */
export function devRestoreThrows(env: DevToolsEnv = import.meta.env, storage: SyncStorageLike | null = pageLocalStorage()): boolean {
  if (!devToolsAllowed(env)) return false;
  try {
    return storage?.getItem(DEV_RESTORE_THROWS_KEY) === '1';
  } catch {
    return false;
  }
}

function pageLocalStorage(): SyncStorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
