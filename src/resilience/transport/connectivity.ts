import type { Clock, TimerHandle } from '../core/clock';
import { createListeners } from '../core/listeners';
import type { EventBus } from '../core/eventBus';
import type { ConnectivityState } from '../core/events';
import { reportInternalError } from '../core/guard';
import type { OfflineAwareness } from '../policies/retry';
import { sleep } from '../policies/sleep';

/** Where online/offline events come from (window in the browser). */
export interface ConnectivityEventSource {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface ConnectivityMonitorOptions {
  clock: Clock;
  events: EventBus;
  /** Resolves true when the health endpoint answered 2xx; must not throw for network failures. */
  probeHealth: (signal: AbortSignal) => Promise<boolean>;
  source?: ConnectivityEventSource;
  /** Re-probe interval while offline: doubles from `recheckInitialMs` up to `recheckMaxMs`. */
  recheckInitialMs?: number;
  recheckMaxMs?: number;
  probeTimeoutMs?: number;
  /**
   * After a lost connection's probe found us online, further lost connections within this long probe no
   * more (a socket refused by a healthy server retries every second or so). Default 3 s.
   */
  lostConnectionQuietMs?: number;
}

/** Tracks whether the device can reach the server, from browser events, request outcomes and health probes. */
export interface ConnectivityMonitor extends OfflineAwareness {
  state(): ConnectivityState;
  subscribe(listener: (state: ConnectivityState) => void): () => void;
  /** Checks GET /api/health now; concurrent calls share one probe. Resolves the resulting state. */
  probe(reason: string): Promise<ConnectivityState>;
  /** A request or socket just succeeded: we are online, whatever navigator.onLine says. */
  reportSuccess(): void;
  /** A request failed with NETWORK: suspect we are offline and probe to find out. */
  reportNetworkFailure(): void;
  /**
   * A connection of another transport (the tutor socket) failed to open or dropped: evidence too. Probes unless
   * already offline or a probe for the same kind of evidence just found us online, so a server that went away
   * is announced offline within a probe's time, with no request needed.
   */
  reportConnectionLost(transport: string): void;
  /** Starts listening to online/offline events. Idempotent. */
  start(): void;
  /** Stops listening and cancels pending probes and timers. */
  stop(): void;
}

/**
 * Connectivity without trusting navigator.onLine alone (it says "online" on a captive portal or a dead LAN):
 * `offline`/`online` events only trigger a probe of the health endpoint; the probe and successful traffic
 * decide. While offline it re-probes with a doubling interval. Starts `unknown`.
 */
export function createConnectivityMonitor(options: ConnectivityMonitorOptions): ConnectivityMonitor {
  const { clock, events } = options;
  const recheckInitialMs = options.recheckInitialMs ?? 2_000;
  const recheckMaxMs = options.recheckMaxMs ?? 30_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
  const lostConnectionQuietMs = options.lostConnectionQuietMs ?? 3_000;
  let lostConnectionQuietUntil = -Infinity;
  const listeners = createListeners<ConnectivityState>((error) => reportInternalError(events, 'connectivity', error));
  let current: ConnectivityState = 'unknown';
  let inFlight: Promise<ConnectivityState> | null = null;
  let recheckTimer: TimerHandle | undefined;
  let recheckDelayMs = recheckInitialMs;
  let started = false;

  const set = (next: ConnectivityState, reason: string) => {
    if (next === 'online') cancelRecheck();
    if (next === current) return;
    const previous = current;
    current = next;
    events.emit('connectivity.changed', { state: next, previous, reason });
    listeners.notify(next);
  };
  const cancelRecheck = () => {
    if (recheckTimer !== undefined) clock.clearTimeout(recheckTimer);
    recheckTimer = undefined;
    recheckDelayMs = recheckInitialMs;
  };
  const scheduleRecheck = () => {
    if (!started || recheckTimer !== undefined) return;
    recheckTimer = clock.setTimeout(() => {
      recheckTimer = undefined;
      recheckDelayMs = Math.min(recheckDelayMs * 2, recheckMaxMs);
      void monitor.probe('recheck while offline');
    }, recheckDelayMs);
  };

  let cancelProbe: (() => void) | undefined;
  const runProbe = async (reason: string): Promise<ConnectivityState> => {
    const controller = new AbortController();
    const timer = clock.setTimeout(() => controller.abort(), probeTimeoutMs);
    cancelProbe = () => {
      clock.clearTimeout(timer);
      controller.abort();
    };
    let healthy = false;
    try {
      healthy = await options.probeHealth(controller.signal);
    } catch {
      healthy = false;
    } finally {
      clock.clearTimeout(timer);
      cancelProbe = undefined;
    }
    if (!started && controller.signal.aborted) return current; // stopped meanwhile: no verdict
    if (healthy) set('online', `health probe succeeded (${reason})`);
    else {
      set('offline', `health probe failed (${reason})`);
      scheduleRecheck();
    }
    return current;
  };

  const onOnline = () => void monitor.probe('browser online event');
  const onOffline = () => void monitor.probe('browser offline event');

  const monitor: ConnectivityMonitor = {
    state: () => current,
    isOffline: () => current === 'offline',
    subscribe: listeners.subscribe,
    probe(reason) {
      inFlight ??= runProbe(reason).finally(() => (inFlight = null));
      return inFlight;
    },
    reportSuccess: () => set('online', 'request succeeded'),
    reportNetworkFailure() {
      if (current !== 'offline') void monitor.probe('request failed with a network error');
    },
    reportConnectionLost(transport) {
      if (current === 'offline' || clock.now() < lostConnectionQuietUntil) return;
      void monitor.probe(`${transport} connection lost`).then((state) => {
        if (state === 'online') lostConnectionQuietUntil = clock.now() + lostConnectionQuietMs;
      });
    },
    async waitForOnline(maxWaitMs, signal) {
      if (current !== 'offline') return true;
      const controller = new AbortController();
      const unsubscribe = monitor.subscribe((state) => state === 'online' && controller.abort());
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await sleep(clock, Math.max(0, maxWaitMs), controller.signal);
      } finally {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      }
      return !signal?.aborted && current !== 'offline';
    },
    start() {
      if (started) return;
      started = true;
      options.source?.addEventListener('online', onOnline);
      options.source?.addEventListener('offline', onOffline);
    },
    stop() {
      started = false;
      options.source?.removeEventListener('online', onOnline);
      options.source?.removeEventListener('offline', onOffline);
      cancelRecheck();
      cancelProbe?.();
    },
  };
  return monitor;
}
