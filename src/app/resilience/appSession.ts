import {
  createResilienceRuntime,
  type BreakerStateStore,
  type Clock,
  type FetchLike,
  type ResilienceRuntime,
  type SyncStorageLike,
} from '../../resilience';
import type { OpenSocket } from '../services/browserSocket';
import { createRuntimeServices, studentHeaders } from '../services/runtimeServices';
import type { StudentSession } from '../services/types';
import { startBreakerRecovery } from './breakerRecovery';
import { readDevBreakerOpenMs } from './devTools';

/** The backend key of the HTTP API's breaker (the runtime's default). */
export const API_BACKEND = 'api';

export interface AppSessionOptions {
  studentId: string;
  /** Content of feature-flags.json. */
  flags: unknown;
  /** Dev tools allowed: flag overrides and dev settings are honoured only then. */
  devTools: boolean;
  fetch?: FetchLike;
  /** localStorage-like storage; default the page's localStorage. */
  storage?: SyncStorageLike | null;
  breakerStore?: BreakerStateStore;
  clock?: Clock;
  openSocket?: OpenSocket;
}

/**
 * Everything one signed-in student uses: one resilience runtime (userId = student id, X-Student-Id on every
 * request), the app's services over it, and the breaker recovery probe. `dispose()` on log-out stops them all.
 */
export function createAppSession(options: AppSessionOptions): StudentSession {
  const storage = options.storage === undefined ? pageStorage() : options.storage;
  const openDurationMs = readDevBreakerOpenMs(storage ?? null, options.devTools);
  const runtime: ResilienceRuntime = createResilienceRuntime({
    flags: options.flags,
    userId: options.studentId,
    allowOverrides: options.devTools,
    extraHeaders: studentHeaders(options.studentId),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(storage === undefined ? {} : { storage }),
    ...(options.breakerStore ? { breakerStore: options.breakerStore } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(openDurationMs === undefined ? {} : { breakers: { openDurationMs } }),
  });
  const services = createRuntimeServices({ runtime, ...(options.openSocket ? { openSocket: options.openSocket } : {}) });
  const stopRecovery = startBreakerRecovery(runtime, {
    backend: API_BACKEND,
    probe: () => runtime.api.request({ op: 'health', method: 'GET', path: '/api/health', retry: false }),
  });
  return {
    studentId: options.studentId,
    services,
    runtime,
    dispose() {
      stopRecovery();
      services.tutor.close();
      runtime.dispose();
    },
  };
}

function pageStorage(): SyncStorageLike | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
