import { Workbox } from 'workbox-window';
import { SERVICE_WORKER_URL } from '../../protocol/serviceWorker';
import { createReloadGuard, systemClock, type ReloadGuard, type SyncStorageLike } from '../../resilience';
import { createServiceWorkerUpdates, type ServiceWorkerUpdates } from './serviceWorkerUpdates';

/** The build-time switches (import.meta.env) that decide whether this page uses the service worker. */
export interface ServiceWorkerEnv {
  readonly PROD: boolean;
  readonly DEV: boolean;
  readonly VITE_SW_DEV?: string;
  readonly VITE_SW_KILL_SWITCH?: string;
}

/** What the app needs of the worker: its updates, and the tab's automatic-reload budget. */
export interface AppServiceWorker {
  readonly updates: ServiceWorkerUpdates;
  /** Shared with the chunk-reload heal (same sessionStorage mark): one automatic reload per window in all. */
  readonly guard: ReloadGuard;
}

const UPDATE_CHECK_MS = 60 * 60_000;

export type ServiceWorkerMode = 'register' | 'register-dev' | 'kill-switch' | 'off';

/**
 * Production builds register the worker; `npm run dev` does not (it would serve stale code while editing)
 * unless started with VITE_SW_DEV=1. A kill-switch build (VITE_SW_KILL_SWITCH=1) registers nothing.
 */
export function serviceWorkerMode(env: ServiceWorkerEnv): ServiceWorkerMode {
  if (env.VITE_SW_KILL_SWITCH === '1') return 'kill-switch';
  if (env.PROD) return 'register';
  return env.DEV && env.VITE_SW_DEV === '1' ? 'register-dev' : 'off';
}

/**
 * Starts the page's side of the service worker for this build, or returns null (no worker, or a browser
 * without service workers). In a kill-switch build an existing registration is asked to update, which
 * fetches the self-removing sw.js. Failures are reported to `onError` and leave the app as without a worker.
 */
export function startServiceWorker(env: ServiceWorkerEnv, onError: (error: unknown) => void = () => undefined): AppServiceWorker | null {
  const mode = serviceWorkerMode(env);
  if (mode === 'off' || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  const container = navigator.serviceWorker;
  try {
    if (mode === 'kill-switch') {
      void container.getRegistration().then((registration) => registration?.update()).catch(onError);
      return null;
    }
    // Vite's dev server serves the worker under its own name, as a module.
    const workbox = mode === 'register-dev' ? new Workbox('/dev-sw.js?dev-sw', { scope: '/', type: 'module' }) : new Workbox(SERVICE_WORKER_URL, { scope: '/' });
    const updates = createServiceWorkerUpdates({ workbox, container, reload: () => globalThis.location.reload(), onError });
    // Browsers look for a new sw.js on navigations; a tab left open for hours navigates rarely, so ask hourly.
    setInterval(() => void workbox.update().catch(onError), UPDATE_CHECK_MS);
    return { updates, guard: tabReloadGuard() };
  } catch (error) {
    onError(error);
    return null;
  }
}

/** The tab's one budget of automatic reloads (sessionStorage): service-worker updates and a session chunk gone after a deploy share it. */
export function tabReloadGuard(): ReloadGuard {
  return createReloadGuard({ clock: systemClock(), storage: tabStorage() });
}

/** sessionStorage that never throws; without one the guard's mark cannot be read back, so nothing reloads by itself. */
function tabStorage(): SyncStorageLike {
  const storage = (): Storage | null => {
    try {
      return globalThis.sessionStorage ?? null;
    } catch {
      return null;
    }
  };
  const attempt = <T>(fallback: T, step: (s: Storage) => T): T => {
    try {
      const s = storage();
      return s ? step(s) : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    getItem: (key) => attempt(null, (s) => s.getItem(key)),
    setItem: (key, value) => attempt(undefined, (s) => s.setItem(key, value)),
    removeItem: (key) => attempt(undefined, (s) => s.removeItem(key)),
  };
}
