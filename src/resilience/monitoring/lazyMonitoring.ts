import { reportInternalError } from '../core/guard';
import type { ResilienceEvent } from '../core/events';
import { emptyMonitorMetrics } from './monitorMetrics';
import type { Monitoring, MonitoringDeps } from './monitoringWiring';
import type { TelemetryBridge, TelemetryContext } from './telemetryBridge';

/** Loads the monitoring code (a chunk of its own in a build). */
export type LoadMonitoring = () => Promise<{ createMonitoring(deps: MonitoringDeps): Monitoring }>;

/** Bus events kept while the monitoring code loads; older ones beyond it are dropped and counted. */
export const MONITORING_EARLY_EVENTS = 2_000;

const NO_CONTEXT: TelemetryContext = { mode: 'online', breakers: {}, lastRecovery: null, riskLevel: 'unknown' };

/**
 * `runtime.monitoring` without the monitoring code in the first load: the ResilienceMonitor, the telemetry
 * reporter and its event table (~3.5 KB gz) are imported only once the `monitoring` flag is on, at start-up or
 * later. From the moment the flag is on, bus events are kept (up to {@link MONITORING_EARLY_EVENTS}) and fed to
 * the loaded monitoring first, so the first events are counted as before. Until then it answers as monitoring
 * with its flag off: empty metrics, nothing reported; a bridge attached early is handed over on load. A failed
 * load is reported (`runtime.internalError`) and leaves the flag-off behaviour; the next flag change tries again.
 */
export function lazyMonitoring(deps: MonitoringDeps, load: LoadMonitoring = () => import('./monitoringWiring')): Monitoring {
  const { clock, events, flags } = deps;
  let real: Monitoring | undefined;
  let loading: Promise<void> | undefined;
  let disposed = false;
  let bridge: TelemetryBridge | undefined;
  let early: ResilienceEvent[] = [];
  let droppedEarly = 0;
  let stopKeeping: (() => void) | undefined;

  const start = (): void => {
    if (real || disposed || !flags.isEnabled('monitoring')) return;
    stopKeeping ??= events.subscribe((event) => {
      if (early.length >= MONITORING_EARLY_EVENTS) {
        early.shift();
        droppedEarly += 1;
      }
      early.push(event);
    });
    if (loading) return;
    loading = load().then(
      (module) => {
        if (disposed) return;
        const replay = early;
        early = [];
        stopKeeping?.();
        stopKeeping = undefined;
        real = module.createMonitoring({ ...deps, replay });
        stopWatching();
        if (bridge) real.attachBridge(bridge);
        if (droppedEarly > 0) reportInternalError(events, 'monitoring', new Error(`${droppedEarly} events were not counted while monitoring loaded`));
      },
      (error: unknown) => {
        loading = undefined;
        stopKeeping?.();
        stopKeeping = undefined;
        early = [];
        reportInternalError(events, 'monitoring', new Error(`Loading monitoring failed: ${String(error)}`));
      },
    );
  };
  const stopWatching = flags.subscribe(start);
  start();

  return {
    monitor: {
      handle: (event) => real?.monitor.handle(event),
      getMetrics: () => (real ? real.monitor.getMetrics() : emptyMonitorMetrics(clock.now())),
      getOutbox: () => (real ? real.monitor.getOutbox() : { depth: 0, oldestEntryAgeMs: null }),
    },
    enabled: () => flags.isEnabled('monitoring'),
    attachBridge(next) {
      bridge = next;
      real?.attachBridge(next);
    },
    context: () => (real ? real.context() : { ...NO_CONTEXT, breakers: {} }),
    droppedBeforeLoad: () => real?.droppedBeforeLoad() ?? 0,
    ready: () => loading ?? Promise.resolve(),
    dispose() {
      disposed = true;
      stopWatching();
      stopKeeping?.();
      early = [];
      real?.dispose();
    },
  };
}
