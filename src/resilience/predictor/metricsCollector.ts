import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { ResilienceEvent } from '../core/events';
import { createBrowserSignals, type BrowserSignals } from './browserSignals';
import type { BrowserSignalSeams } from './browserSeams';
import { createBucketHistory, recordDuration, type Bucket } from './bucketHistory';
import type { MetricsSnapshot, PressureState } from './predictorTypes';
import { ewma, percentile, recentMedian, robustSlope } from './trendMath';

export interface MetricsCollectorOptions {
  clock: Clock;
  events: EventBus;
  /** Browser APIs; `{}` for none (bus only). */
  seams: BrowserSignalSeams;
  /** Bucket width of the sliding windows. Default 5 s. */
  bucketMs?: number;
  /** Error rate and p95 window. Default 30 s. */
  shortWindowMs?: number;
  /** EWMA / slope window. Default 60 s. */
  trendWindowMs?: number;
  /** Staleness and reconnect window (and the history kept). Default 120 s. */
  longWindowMs?: number;
  /** A success slower than this counts as a bad event. Default 3 s. */
  slowRequestMs?: number;
  lagIntervalMs?: number;
  /** Called for each bad event (failure, slow success, breaker opened, stale socket, storage error, …). */
  onBadEvent?: (event: ResilienceEvent | { type: 'pressure'; state: PressureState }) => void;
  onError(source: string, error: unknown): void;
}

export interface MetricsCollector {
  start(): void;
  stop(): void;
  snapshot(): MetricsSnapshot;
  /**
   * While the page is hidden: stops the browser sources (a hidden tab's timers are throttled, so timer drift
   * would read as lag) and keeps the bus listener (outbox and breaker state stay current).
   */
  setPaused(paused: boolean): void;
  /** Sources running now (bus listener, observers, timers): empty when stopped. */
  active(): readonly string[];
}

const EWMA_ALPHA = 0.3;
/** Error rates per bucket are smoothed towards 1 % with the weight of this many requests (few-sample noise). */
const ERROR_PRIOR_REQUESTS = 4;
const ERROR_PRIOR_RATE = 0.01;

/**
 * Live metrics over sliding windows from the runtime's own events (works everywhere) and, where present, the
 * browser's signals. Writes are O(1) into time buckets; snapshot() reads at most the long window's buckets.
 */
export function createMetricsCollector(options: MetricsCollectorOptions): MetricsCollector {
  const { clock, events } = options;
  const bucketMs = options.bucketMs ?? 5000;
  const shortMs = options.shortWindowMs ?? 30_000;
  const trendMs = options.trendWindowMs ?? 60_000;
  const longMs = options.longWindowMs ?? 120_000;
  const slowMs = options.slowRequestMs ?? 3000;
  const history = createBucketHistory(bucketMs, Math.ceil(longMs / bucketMs) + 1);
  const recentFinishes: number[] = [];
  const openBreakers = new Set<string>();
  const queued = new Map<string, number>();
  let socketState: MetricsSnapshot['socketState'];
  let outboxPending = 0;
  let pressure: PressureState | undefined;
  let unsubscribe: (() => void) | undefined;
  let gaugeTimer: TimerHandle | undefined;
  const bad = (event: Parameters<NonNullable<MetricsCollectorOptions['onBadEvent']>>[0]) => options.onBadEvent?.(event);

  const browser: BrowserSignals = createBrowserSignals({
    seams: options.seams,
    clock,
    lagIntervalMs: options.lagIntervalMs,
    onError: options.onError,
    sink: {
      longTask: (ms) => void (history.current(clock.now()).longTaskMs += ms),
      lag: (ms) => {
        const bucket = history.current(clock.now());
        bucket.maxLagMs = Math.max(bucket.maxLagMs, ms);
      },
      pressure: (state) => {
        pressure = state;
        if (state === 'serious' || state === 'critical') bad({ type: 'pressure', state });
      },
    },
  });

  const finish = (at: number, backend: string, durationMs: number, failed: boolean): Bucket => {
    const bucket = history.current(at);
    bucket.requests++;
    bucket.latencySumMs += durationMs;
    if (failed) bucket.errors++;
    recordDuration(bucket, backend, durationMs);
    recentFinishes.push(at);
    if (recentFinishes.length > 256) recentFinishes.splice(0, recentFinishes.length - 256);
    return bucket;
  };

  const onEvent = (event: ResilienceEvent): void => {
    switch (event.type) {
      case 'request.succeeded':
        finish(event.at, event.backend, event.durationMs, false);
        if (event.durationMs > slowMs) bad(event);
        return;
      case 'request.failed': {
        const bucket = finish(event.at, event.backend, event.durationMs, true);
        if (event.code === 'TIMEOUT') bucket.timeouts++;
        bad(event);
        return;
      }
      case 'retry.scheduled':
        history.current(event.at).retries++;
        return;
      case 'breaker.opened':
      case 'breaker.halfOpened':
        openBreakers.add(event.backend);
        if (event.type === 'breaker.opened') bad(event);
        return;
      case 'breaker.closed':
        openBreakers.delete(event.backend);
        return;
      case 'socket.state':
        socketState = event.state;
        if (event.state === 'stale') {
          history.current(event.at).stales++;
          bad(event);
        }
        return;
      case 'socket.reconnectScheduled':
        history.current(event.at).reconnects++;
        return;
      case 'outbox.enqueued':
        outboxPending = event.pending;
        if (queued.size < 1000) queued.set(event.id, event.at);
        return;
      case 'outbox.sent':
      case 'outbox.deadLettered':
        outboxPending = event.pending;
        queued.delete(event.id);
        return;
      case 'outbox.drained':
        outboxPending = event.pending;
        if (event.pending === 0) queued.clear();
        return;
      case 'storage.degraded':
      case 'outbox.quarantined':
        history.current(event.at).storageErrors++;
        bad(event);
        return;
      default:
        return;
    }
  };

  const sampleGauges = () => {
    const ratio = browser.memoryRatio();
    if (ratio !== undefined) history.current(clock.now()).memoryRatio = ratio;
  };
  const scheduleGauges = () => {
    gaugeTimer = clock.setTimeout(() => {
      sampleGauges();
      scheduleGauges();
    }, bucketMs);
  };

  return {
    start() {
      if (unsubscribe) return;
      unsubscribe = events.subscribe(onEvent);
      browser.start();
      if (options.seams.performance?.memory) scheduleGauges();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      browser.stop();
      if (gaugeTimer !== undefined) clock.clearTimeout(gaugeTimer);
      gaugeTimer = undefined;
    },
    setPaused(paused) {
      if (!unsubscribe) return;
      if (paused) browser.stop();
      else browser.start();
    },
    active() {
      return [...(unsubscribe ? ['events'] : []), ...(gaugeTimer !== undefined ? ['memory'] : []), ...browser.active()];
    },
    snapshot() {
      const now = clock.now();
      sampleGauges();
      return summarise(now);
    },
  };

  function summarise(now: number): MetricsSnapshot {
    const short = history.within(now, shortMs);
    let requests = 0;
    let errors = 0;
    let timeouts = 0;
    let retries = 0;
    let longTaskMs = 0;
    let maxLagMs = 0;
    const byBackend = new Map<string, number[]>();
    for (const bucket of short) {
      requests += bucket.requests;
      errors += bucket.errors;
      timeouts += bucket.timeouts;
      retries += bucket.retries;
      longTaskMs += bucket.longTaskMs;
      maxLagMs = Math.max(maxLagMs, bucket.maxLagMs);
      for (const [backend, list] of bucket.durationsByBackend) {
        const all = byBackend.get(backend);
        if (all) all.push(...list);
        else byBackend.set(backend, [...list]);
      }
    }
    let p95 = 0;
    for (const list of byBackend.values()) p95 = Math.max(p95, percentile(list, 0.95));

    const trend = history.within(now, trendMs);
    const xs: number[] = [];
    const latencies: number[] = [];
    const errorRates: number[] = [];
    const memXs: number[] = [];
    const memories: number[] = [];
    for (const bucket of trend) {
      if (bucket.requests > 0) {
        xs.push(bucket.start / 1000);
        latencies.push(bucket.latencySumMs / bucket.requests);
        errorRates.push((bucket.errors + ERROR_PRIOR_REQUESTS * ERROR_PRIOR_RATE) / (bucket.requests + ERROR_PRIOR_REQUESTS));
      }
      if (bucket.memoryRatio !== undefined) {
        memXs.push(bucket.start / 1000);
        memories.push(bucket.memoryRatio);
      }
    }
    let stales = 0;
    let reconnects = 0;
    let storageErrors = 0;
    for (const bucket of history.within(now, longMs)) {
      stales += bucket.stales;
      reconnects += bucket.reconnects;
      storageErrors += bucket.storageErrors;
    }
    let connections = 0;
    for (let i = recentFinishes.length - 1; i >= 0 && now - (recentFinishes[i] as number) < 1000; i--) connections++;
    let oldest = now;
    for (const at of queued.values()) oldest = Math.min(oldest, at);

    return {
      at: now,
      requests,
      errorRate: requests === 0 ? 0 : errors / requests,
      p95LatencyMs: p95,
      timeouts,
      retries,
      connections,
      latencyEwmaMs: ewma(latencies, EWMA_ALPHA),
      errorEwma: ewma(errorRates, EWMA_ALPHA),
      latencyNowMs: recentMedian(latencies, 3),
      latencySlopeMsPerS: robustSlope(xs, latencies),
      errorSlopePerS: robustSlope(xs, errorRates),
      openBreakers: [...openBreakers],
      socketState,
      socketStales: stales,
      socketReconnects: reconnects,
      outboxPending,
      outboxOldestAgeMs: outboxPending > 0 ? now - oldest : 0,
      storageErrors,
      memoryRatio: browser.memoryRatio(),
      memorySlopePerS: robustSlope(memXs, memories),
      longTaskMsPerS: browser.hasLongTasks ? longTaskMs / (shortMs / 1000) : undefined,
      eventLoopLagMs: (options.lagIntervalMs ?? 1000) > 0 ? maxLagMs : undefined,
      pressure: browser.hasPressure ? (pressure ?? 'nominal') : undefined,
      network: browser.network(),
      deviceMemoryGb: browser.deviceMemoryGb(),
    };
  }
}
