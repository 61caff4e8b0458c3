import type { PredictedRiskLevel } from '../core/events';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { ResilienceEvent } from '../core/events';
import { createDurationSamples } from './durationSamples';
import { MONITOR_WINDOW_MS, type MonitorMetrics, type MonitorWindow } from './monitorMetrics';
import { createWindowedTally } from './windowedTally';
import { readRecoveryOutcome } from './recoveryOutcome';

export interface ResilienceMonitorOptions {
  readonly clock: Clock;
  /** Trailing window of `lastWindow`. Default 5 minutes. */
  readonly windowMs?: number;
  /** Resolution of the trailing window. Default 10 s. */
  readonly bucketMs?: number;
  /** Recovery durations kept per method for percentiles. Default 500. */
  readonly samplesPerMethod?: number;
}

/** Aggregates bus events into rolling metrics for dashboards and telemetry. */
export interface ResilienceMonitor {
  /** Feeds one bus event (the runtime subscribes this to its bus; there is no other way in). */
  handle(event: ResilienceEvent): void;
  /** A fresh snapshot; cheap enough for a dashboard refresh, not meant per event. */
  getMetrics(): MonitorMetrics;
  /** Outbox depth and oldest entry age only (cheap, for per-event gauges). */
  getOutbox(): MonitorMetrics['outbox'];
}

const SEP = '\u0000';

/**
 * The ResilienceMonitor: derives self-healing, breaker, fallback, recovery, prediction, outbox and socket
 * metrics from the event bus alone, so what it reports is what the runtime did, with no second reporting path.
 */
export function createResilienceMonitor(options: ResilienceMonitorOptions): ResilienceMonitor {
  const { clock } = options;
  const windowMs = options.windowMs ?? MONITOR_WINDOW_MS;
  const tally = createWindowedTally(windowMs, options.bucketMs ?? 10_000);
  const durations = createDurationSamples(options.samplesPerMethod ?? 500);
  const outboxEnqueuedAt = new Map<string, number>();
  let outboxDepth = 0;
  let socketState: MonitorMetrics['socket']['state'] = 'none';
  let socketOpenedBefore = false;
  let risk: MonitorMetrics['risk'] = null;

  const handle = (event: ResilienceEvent): void => {
    const at = event.at;
    switch (event.type) {
      case 'heal.attempted':
        return tally.add('heal.attempted', at);
      case 'heal.succeeded':
        return tally.add('heal.succeeded', at);
      case 'heal.failed':
        return tally.add('heal.failed', at);
      case 'breaker.opened':
        return tally.add('trip' + SEP + event.backend, at);
      case 'fallback.used':
        return tally.add('fallback' + SEP + event.op + SEP + event.strategy, at);
      case 'recovery.finished': {
        const outcome = readRecoveryOutcome(event.result);
        tally.add('recovery' + SEP + outcome.status, at);
        if (outcome.method && outcome.durationMs !== undefined) durations.add(outcome.method, at, outcome.durationMs);
        return;
      }
      case 'prediction': {
        const rose = event.level !== 'low' && (risk === null || rank(event.level) > rank(risk.level));
        if (rose) tally.add('prediction.alert', at);
        risk = { score: event.score, level: event.level };
        return;
      }
      case 'socket.state':
        if (event.state === 'open') {
          if (socketOpenedBefore) tally.add('socket.reconnect', at);
          socketOpenedBefore = true;
        }
        socketState = event.state;
        return;
      case 'outbox.enqueued':
        outboxDepth = event.pending;
        outboxEnqueuedAt.set(event.id, at);
        return;
      case 'outbox.sent':
        outboxDepth = event.pending;
        outboxEnqueuedAt.delete(event.id);
        return;
      case 'outbox.deadLettered':
        outboxDepth = event.pending;
        outboxEnqueuedAt.delete(event.id);
        return tally.add('deadLetter', at);
      case 'outbox.drained':
        outboxDepth = event.pending;
        if (event.pending === 0) outboxEnqueuedAt.clear();
        return;
      case 'request.failed':
        return tally.add('error' + SEP + event.code, at);
      case 'escalation.raised':
        return tally.add('error' + SEP + event.code, at);
      default:
        return;
    }
  };

  const windowOf = (count: (key: string) => number, since: number | undefined): MonitorWindow => {
    const breakerTrips: Record<string, number> = {};
    const fallbackActivations: Record<string, Record<string, number>> = {};
    const recoveries: Record<string, number> = {};
    const errors: Record<string, number> = {};
    for (const key of tally.keys()) {
      const n = count(key);
      if (n === 0) continue;
      const [kind, a = '', b = ''] = key.split(SEP);
      if (kind === 'trip') breakerTrips[a] = n;
      else if (kind === 'fallback') (fallbackActivations[a] ??= {})[b] = n;
      else if (kind === 'recovery') recoveries[a] = n;
      else if (kind === 'error') errors[a] = n;
    }
    const recoveryTime: MonitorWindow['recoveryTime'] = Object.fromEntries(
      durations.keys().map((method) => [method, durations.summary(method, since)] as const).filter(([, s]) => s.count > 0),
    );
    const succeeded = count('heal.succeeded');
    const failed = count('heal.failed');
    return {
      selfHealing: { attempts: count('heal.attempted'), succeeded, failed, successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed) },
      breakerTrips,
      fallbackActivations,
      recoveries,
      recoveryTime,
      predictiveAlerts: count('prediction.alert'),
      socketReconnects: count('socket.reconnect'),
      deadLetters: count('deadLetter'),
      errors,
    };
  };

  const getOutbox = (now: number): MonitorMetrics['outbox'] => {
    let oldest: number | null = null;
    for (const at of outboxEnqueuedAt.values()) if (oldest === null || at < oldest) oldest = at;
    return { depth: outboxDepth, oldestEntryAgeMs: oldest === null || outboxDepth === 0 ? null : now - oldest };
  };

  return {
    handle,
    getOutbox: () => getOutbox(clock.now()),
    getMetrics() {
      const now = clock.now();
      return {
        at: now,
        windowMs,
        lastWindow: windowOf((key) => tally.recent(key, now), now - windowMs),
        sinceStart: windowOf((key) => tally.total(key), undefined),
        outbox: getOutbox(now),
        socket: { state: socketState },
        risk,
      };
    },
  };
}

const RANK: Readonly<Record<PredictedRiskLevel, number>> = { low: 0, medium: 1, high: 2, critical: 3 };
const rank = (level: PredictedRiskLevel): number => RANK[level];

/** Subscribes a monitor to a bus; returns the unsubscribe function. */
export function attachMonitor(monitor: ResilienceMonitor, events: EventBus): () => void {
  return events.subscribe(monitor.handle);
}
