import type { ErrorInfo } from 'react';
import type { ResilienceRuntime } from '../../resilience';
import type { StudentSession } from '../services/types';
import type { MonitoringSettings } from './monitoringConfig';
import type { PageTelemetry } from './sentryBridge';

export interface MonitoringLoaderOptions {
  /** Null when no DSN is configured: monitoring is off (said once in the console in dev builds). */
  readonly settings: MonitoringSettings | null;
  readonly dev: boolean;
  /** The SDK chunk; default the dynamic import of ./sentryBridge (never part of the first-load chunk). */
  readonly load?: () => Promise<{ startSentry(settings: MonitoringSettings): PageTelemetry }>;
  /** When to load: default after the browser is idle (at most 2 s after the request). */
  readonly whenIdle?: (run: () => void) => void;
}

export interface MonitoringLoader {
  /** Reports the session's runtime once its `monitoring` flag is on (the SDK loads then); `sensitive` are scrubbed everywhere. */
  track<S extends StudentSession>(session: S, sensitive: readonly string[]): S;
  /** React root error handlers (createRoot options). */
  readonly rootOptions: {
    onCaughtError(error: unknown, info: ErrorInfo): void;
    onUncaughtError(error: unknown, info: ErrorInfo): void;
  };
}

const MAX_PENDING_REACT_ERRORS = 20;

/** The page's one error-tracker connection: loads the Sentry chunk lazily, the first time a runtime wants it. */
export function createMonitoringLoader(options: MonitoringLoaderOptions): MonitoringLoader {
  const load = options.load ?? (() => import('./sentryBridge'));
  const whenIdle = options.whenIdle ?? defaultWhenIdle;
  let telemetry: Promise<PageTelemetry | null> | null = null;
  let loaded: PageTelemetry | null = null;
  let saidOff = false;
  let wanted = false;
  const pendingReactErrors: Array<(t: PageTelemetry) => void> = [];

  // Uncaught errors before the SDK's own handlers exist are kept (bounded) and reported once it loads;
  // discarded if no runtime ever turns monitoring on.
  const early = (event: Event) => {
    if (loaded || pendingReactErrors.length >= MAX_PENDING_REACT_ERRORS) return;
    const error = event.type === 'unhandledrejection' ? (event as PromiseRejectionEvent).reason : ((event as ErrorEvent).error ?? (event as ErrorEvent).message);
    pendingReactErrors.push((page) => page.captureEarlyError(error));
  };
  const target = typeof window === 'undefined' ? null : window;
  target?.addEventListener('error', early);
  target?.addEventListener('unhandledrejection', early);

  const start = (): Promise<PageTelemetry | null> => {
    const settings = options.settings;
    if (!settings) {
      if (options.dev && !saidOff) console.info('[monitoring] No Sentry DSN (VITE_SENTRY_DSN or window.__RESILIENCE_CONFIG__.sentryDsn): monitoring is off.');
      saidOff = true;
      return Promise.resolve(null);
    }
    telemetry ??= new Promise<void>((resolve) => whenIdle(resolve))
      .then(load)
      .then((module) => {
        loaded = module.startSentry(settings);
        target?.removeEventListener('error', early);
        target?.removeEventListener('unhandledrejection', early);
        for (const report of pendingReactErrors.splice(0)) report(loaded);
        return loaded;
      })
      .catch((error: unknown) => {
        // A chunk that fails to load (offline first visit) is tried again by the next session.
        telemetry = null;
        console.warn('[monitoring] the Sentry chunk did not load:', error);
        return null;
      });
    return telemetry;
  };

  const connect = (runtime: ResilienceRuntime, sensitive: readonly string[]): (() => void) => {
    let stopped = false;
    let attached = false;
    const tryAttach = () => {
      if (stopped || attached || !runtime.monitoring.enabled()) return;
      attached = true;
      wanted = true;
      void start().then((page) => {
        if (!page || stopped) return;
        page.addSensitive(sensitive);
        page.setContextSource(runtime.monitoring.context);
        runtime.monitoring.attachBridge(page.bridge);
      });
    };
    tryAttach();
    const unsubscribe = runtime.flags.subscribe(tryAttach);
    return () => {
      stopped = true;
      unsubscribe();
      loaded?.setContextSource(null);
    };
  };

  const reactError = (kind: 'caught' | 'uncaught') => (error: unknown, info: ErrorInfo) => {
    if (!wanted) {
      // Monitoring off: exactly React's defaults (an uncaught error goes to the window's error handlers).
      const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
      if (kind === 'uncaught' && typeof report === 'function') report(error);
      else console.error(error);
      return;
    }
    console.error(error);
    const report = (page: PageTelemetry) => page.captureReactError(error, kind, info.componentStack ?? undefined);
    if (loaded) report(loaded);
    else if (pendingReactErrors.length < MAX_PENDING_REACT_ERRORS) pendingReactErrors.push(report);
  };

  return {
    track(session, sensitive) {
      if (!session.runtime) return session;
      const disconnect = connect(session.runtime, sensitive);
      const dispose = session.dispose.bind(session);
      return Object.assign(session, {
        dispose() {
          disconnect();
          dispose();
        },
      });
    },
    rootOptions: { onCaughtError: reactError('caught'), onUncaughtError: reactError('uncaught') },
  };
}

function defaultWhenIdle(run: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(run, { timeout: 2_000 });
  else setTimeout(run, 500);
}
