import type { Clock, TimerHandle } from '../../core/clock';

export interface Heartbeat {
  /** Starts the staleness watchdog (from now); with `ping`, also pings every interval. */
  start(ping: boolean): void;
  /** A frame of any kind arrived. Cheap: no timer is touched. */
  seen(): void;
  stop(): void;
}

export interface HeartbeatOptions {
  clock: Clock;
  intervalMs: number;
  sendPing: () => void;
  /** Nothing arrived for 2 × intervalMs. Called at most once per start(). */
  onStale: () => void;
}

/**
 * Client ping every interval plus a watchdog: a socket from which no frame of any kind arrived for
 * 2 × interval is stale. A half-open TCP connection (Wi-Fi gone, NAT entry expired, server frozen) gives no
 * close event for minutes, so silence is the only signal. The watchdog re-arms lazily: `seen()` only records
 * the time, and the timer, when it fires early, sleeps for the remainder, so a busy stream costs no timers.
 */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { clock, intervalMs } = options;
  const staleAfterMs = 2 * intervalMs;
  let lastSeenAt = 0;
  let pingTimer: TimerHandle | undefined;
  let watchdog: TimerHandle | undefined;

  const stop = () => {
    if (pingTimer !== undefined) clock.clearTimeout(pingTimer);
    if (watchdog !== undefined) clock.clearTimeout(watchdog);
    pingTimer = undefined;
    watchdog = undefined;
  };
  const schedulePing = () => {
    pingTimer = clock.setTimeout(() => {
      options.sendPing();
      schedulePing();
    }, intervalMs);
  };
  const armWatchdog = (delayMs: number) => {
    watchdog = clock.setTimeout(() => {
      const silentForMs = clock.now() - lastSeenAt;
      if (silentForMs < staleAfterMs) return armWatchdog(staleAfterMs - silentForMs);
      stop();
      options.onStale();
    }, delayMs);
  };

  return {
    start(ping) {
      stop();
      lastSeenAt = clock.now();
      armWatchdog(staleAfterMs);
      if (ping) schedulePing();
    },
    seen() {
      lastSeenAt = clock.now();
    },
    stop,
  };
}
