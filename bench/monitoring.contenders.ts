import { systemClock } from '../src/resilience/core/clock';
import { createEventBus } from '../src/resilience/core/eventBus';
import type { ResilienceEventMap, ResilienceEventType } from '../src/resilience/core/events';
import { createResilienceMonitor } from '../src/resilience/monitoring/resilienceMonitor';
import type { TelemetryBridge } from '../src/resilience/monitoring/telemetryBridge';
import { createTelemetryContext } from '../src/resilience/monitoring/telemetryContext';
import { createTelemetryReporter } from '../src/resilience/monitoring/telemetryReporter';

/** A mixed stream, weighted like a bad minute: requests failing, retries, breaker, fallbacks, recoveries. */
type Emit = (bus: ReturnType<typeof createEventBus>) => void;
const ev = <K extends ResilienceEventType>(type: K, payload: () => ResilienceEventMap[K]): Emit => (bus) => bus.emit(type, payload());
const STREAM: Emit[] = [
  ev('request.failed', () => ({ backend: 'api', op: 'lesson', code: 'HTTP_5XX', status: 503, durationMs: 12, attempts: 3, fallbackAdvised: false })),
  ev('retry.scheduled', () => ({ backend: 'api', op: 'lesson', attempt: 1, delayMs: 200, reason: 'HTTP_5XX' })),
  ev('heal.attempted', () => ({ strategy: 'apiRetry', code: 'HTTP_5XX' })),
  ev('heal.failed', () => ({ strategy: 'apiRetry', code: 'HTTP_5XX', message: 'no' })),
  ev('breaker.opened', () => ({ backend: 'api', reason: 'failures', reopenAt: 0 })),
  ev('fallback.used', () => ({ op: 'lesson', strategy: 'cache', stale: true })),
  ev('recovery.finished', () => ({ op: 'lesson', result: { escalated: false, code: 'HTTP_5XX', callers: 1, status: 'recovered', method: 'fallback', strategy: 'cache', durationMs: 35 } })),
  ev('socket.state', () => ({ state: 'open' })),
];

const noopBridge: TelemetryBridge = { captureError() {}, addBreadcrumb() {}, count() {}, gauge() {}, distribution() {} };

/** µs per event for: a bare listener, the monitor alone, and monitor + context + reporter into a no-op SDK bridge. */
export function runMonitoringBench(events: number, rounds: number): Array<{ name: string; usPerEvent: number }> {
  const clock = systemClock();
  const make = (kind: 'baseline' | 'monitor' | 'full') => {
    const bus = createEventBus(clock);
    if (kind === 'baseline') bus.subscribe(() => undefined);
    else {
      const monitor = createResilienceMonitor({ clock });
      if (kind === 'monitor') bus.subscribe(monitor.handle);
      else {
        const context = createTelemetryContext();
        const reporter = createTelemetryReporter({ monitor, context: context.snapshot, onBridgeError: () => undefined });
        reporter.attach(noopBridge);
        bus.subscribe((event) => {
          monitor.handle(event);
          context.handle(event);
          reporter.handle(event);
        });
      }
    }
    return () => {
      for (let i = 0; i < events; i++) {
        (STREAM[i % STREAM.length] as Emit)(bus);
      }
    };
  };
  const contenders = (['baseline', 'monitor', 'full'] as const).map((name) => ({ name, run: make(name) }));
  for (const c of contenders) c.run(); // warm-up
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) {
      const start = performance.now();
      c.run();
      samples.get(c.name)?.push(((performance.now() - start) * 1000) / events);
    }
  }
  return contenders.map((c) => {
    const sorted = [...(samples.get(c.name) ?? [])].sort((a, b) => a - b);
    return { name: c.name, usPerEvent: sorted[Math.floor(sorted.length / 2)] ?? NaN };
  });
}
