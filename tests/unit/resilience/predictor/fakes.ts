import { createEventBus } from '../../../../src/resilience/core/eventBus';
import type { BrowserSignalSeams } from '../../../../src/resilience/predictor/browserSeams';
import type { MetricsSnapshot, PressureState } from '../../../../src/resilience/predictor/predictorTypes';
import { manualClock } from '../../../../bench/predictor.replay';

/** A clock moved by hand, its bus, and browser fakes whose observers can be fired from the test. */
export function fakeWorld(start = 1_000_000) {
  const clock = manualClock(start);
  const events = createEventBus(clock);
  const observed = { frames: [] as string[], pressure: 0, disconnected: 0 };
  let frameCallback: ((list: { getEntries(): { duration: number }[] }) => void) | undefined;
  let pressureCallback: ((records: { state: PressureState }[]) => void) | undefined;
  const memory = { usedJSHeapSize: 1e9, jsHeapSizeLimit: 4e9 };
  const connection = { effectiveType: '4g', rtt: 50, saveData: false };
  const measured = { calls: 0, bytes: 3.9e9 };
  const seams = (entryTypes: readonly string[] = ['long-animation-frame', 'longtask']): BrowserSignalSeams => ({
    PerformanceObserver: Object.assign(
      class {
        constructor(callback: typeof frameCallback) {
          frameCallback = callback;
        }
        observe(options: { type: string }) {
          observed.frames.push(options.type);
        }
        disconnect() {
          observed.disconnected++;
        }
      },
      { supportedEntryTypes: entryTypes },
    ),
    PressureObserver: class {
      constructor(callback: typeof pressureCallback) {
        pressureCallback = callback;
      }
      observe() {
        observed.pressure++;
        return Promise.resolve();
      }
      disconnect() {
        observed.disconnected++;
      }
    },
    performance: {
      memory,
      measureUserAgentSpecificMemory: () => {
        measured.calls++;
        return Promise.resolve({ bytes: measured.bytes });
      },
    },
    navigator: { connection, deviceMemory: 8 },
  });
  return {
    clock,
    events,
    seams,
    observed,
    memory,
    connection,
    measured,
    frame: (durationMs: number) => frameCallback?.({ getEntries: () => [{ duration: durationMs }] }),
    pressure: (state: PressureState) => pressureCallback?.([{ state }]),
    succeed: (durationMs: number, backend = 'api') => events.emit('request.succeeded', { backend, op: 'x', status: 200, durationMs, attempts: 1 }),
    fail: (durationMs: number, code: 'TIMEOUT' | 'HTTP_5XX' = 'HTTP_5XX', backend = 'api') =>
      events.emit('request.failed', { backend, op: 'x', code, durationMs, attempts: 1, fallbackAdvised: false }),
  };
}

/** A calm snapshot to vary in scorer tables. */
export const calmMetrics: MetricsSnapshot = {
  at: 0,
  requests: 20,
  errorRate: 0,
  p95LatencyMs: 300,
  timeouts: 0,
  retries: 0,
  connections: 1,
  latencyEwmaMs: 250,
  errorEwma: 0.01,
  latencyNowMs: 250,
  latencySlopeMsPerS: 0,
  errorSlopePerS: 0,
  openBreakers: [],
  socketState: 'open',
  socketStales: 0,
  socketReconnects: 0,
  outboxPending: 0,
  outboxOldestAgeMs: 0,
  storageErrors: 0,
  memoryRatio: 0.4,
  memorySlopePerS: 0,
  longTaskMsPerS: 0,
  eventLoopLagMs: 0,
  pressure: 'nominal',
  network: { effectiveType: '4g', rttMs: 50 },
  deviceMemoryGb: 8,
};
