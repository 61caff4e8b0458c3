import type { Clock, TimerHandle } from '../core/clock';
import type { BrowserSignalSeams } from './browserSeams';
import type { PressureState } from './predictorTypes';

export interface BrowserSignalSink {
  longTask(durationMs: number): void;
  lag(lagMs: number): void;
  pressure(state: PressureState): void;
}

export interface BrowserSignals {
  start(): void;
  stop(): void;
  /** Used heap / limit now (measured bytes when cross-origin isolated), or undefined without a source. */
  memoryRatio(): number | undefined;
  network(): { effectiveType?: string; rttMs?: number; saveData?: boolean } | undefined;
  deviceMemoryGb(): number | undefined;
  /** Names of the sources running now (observers and timers): empty when stopped. */
  active(): readonly string[];
  readonly hasLongTasks: boolean;
  readonly hasPressure: boolean;
}

export interface BrowserSignalOptions {
  seams: BrowserSignalSeams;
  clock: Clock;
  sink: BrowserSignalSink;
  /** Event-loop lag sampling period (timer drift). Default 1 s; 0 turns it off. */
  lagIntervalMs?: number;
  /** measureUserAgentSpecificMemory at most this often. Default 60 s. */
  measureMemoryEveryMs?: number;
  onError(source: string, error: unknown): void;
}

/**
 * The browser's own signals, each feature-detected: Long Animation Frames (else long tasks), event-loop lag by
 * timer drift on the runtime clock, Compute Pressure, and gauges read on demand (performance.memory,
 * measureUserAgentSpecificMemory only when cross-origin isolated, Network Information, deviceMemory). Nothing
 * is observed before start(); stop() disconnects everything.
 */
export function createBrowserSignals(options: BrowserSignalOptions): BrowserSignals {
  const { seams, clock, sink } = options;
  const lagIntervalMs = options.lagIntervalMs ?? 1000;
  const measureEveryMs = options.measureMemoryEveryMs ?? 60_000;
  const entryTypes = seams.PerformanceObserver?.supportedEntryTypes ?? [];
  const frameType = entryTypes.includes('long-animation-frame') ? 'long-animation-frame' : entryTypes.includes('longtask') ? 'longtask' : undefined;
  let running = false;
  let observer: { disconnect(): void } | undefined;
  let pressure: { disconnect(): void } | undefined;
  let lagTimer: TimerHandle | undefined;
  let measuredBytes: number | undefined;
  let lastMeasureAt = -Infinity;

  const scheduleLag = () => {
    const expected = clock.now() + lagIntervalMs;
    lagTimer = clock.setTimeout(() => {
      if (!running) return;
      sink.lag(Math.max(0, clock.now() - expected));
      scheduleLag();
    }, lagIntervalMs);
  };

  const measureMemory = () => {
    const measure = seams.performance?.measureUserAgentSpecificMemory;
    if (!measure || seams.crossOriginIsolated !== true || clock.now() - lastMeasureAt < measureEveryMs) return;
    lastMeasureAt = clock.now();
    measure.call(seams.performance).then(
      (result) => void (measuredBytes = result.bytes),
      (error: unknown) => options.onError('measureUserAgentSpecificMemory', error),
    );
  };

  return {
    hasLongTasks: frameType !== undefined,
    hasPressure: seams.PressureObserver !== undefined,
    start() {
      if (running) return;
      running = true;
      const Observer = seams.PerformanceObserver;
      if (Observer && frameType) {
        try {
          const created = new Observer((list) => {
            for (const entry of list.getEntries()) sink.longTask(entry.duration);
          });
          created.observe({ type: frameType, buffered: false });
          observer = created;
        } catch (error) {
          options.onError(frameType, error);
        }
      }
      const Pressure = seams.PressureObserver;
      if (Pressure) {
        try {
          const created = new Pressure((records) => {
            const last = records[records.length - 1];
            if (last) sink.pressure(last.state);
          });
          created.observe('cpu', { sampleInterval: 2000 }).catch((error: unknown) => options.onError('PressureObserver', error));
          pressure = created;
        } catch (error) {
          options.onError('PressureObserver', error);
        }
      }
      if (lagIntervalMs > 0) scheduleLag();
    },
    stop() {
      running = false;
      observer?.disconnect();
      pressure?.disconnect();
      observer = pressure = undefined;
      if (lagTimer !== undefined) clock.clearTimeout(lagTimer);
      lagTimer = undefined;
    },
    memoryRatio() {
      const memory = seams.performance?.memory;
      measureMemory();
      if (!memory || !(memory.jsHeapSizeLimit > 0)) return undefined;
      const used = measuredBytes ?? memory.usedJSHeapSize;
      return Math.min(1, used / memory.jsHeapSizeLimit);
    },
    network() {
      const connection = seams.navigator?.connection;
      if (!connection) return undefined;
      return {
        ...(connection.effectiveType === undefined ? {} : { effectiveType: connection.effectiveType }),
        ...(connection.rtt === undefined ? {} : { rttMs: connection.rtt }),
        ...(connection.saveData === undefined ? {} : { saveData: connection.saveData }),
      };
    },
    deviceMemoryGb: () => seams.navigator?.deviceMemory,
    active() {
      const names: string[] = [];
      if (observer && frameType) names.push(frameType);
      if (pressure) names.push('pressure');
      if (lagTimer !== undefined) names.push('eventLoopLag');
      return names;
    },
  };
}
