import { reportInternalError } from '../core/guard';
import { loadWithFlag } from '../flags/loadWithFlag';
import { EARLY_EVENTS_LIMIT, keepEarlyEvents, type EarlyEvents } from '../core/earlyEvents';
import { emptyMonitorMetrics } from './monitorMetrics';
import type { Monitoring, MonitoringDeps } from './monitoringWiring';
import { INITIAL_TELEMETRY_CONTEXT, type TelemetryBridge } from './telemetryBridge';

/** Loads the monitoring code (a chunk of its own in a build). */
export type LoadMonitoring = () => Promise<{ createMonitoring(deps: MonitoringDeps): Monitoring }>;

/** Bus events kept while the monitoring code loads; older ones beyond it are dropped and counted. */
export const MONITORING_EARLY_EVENTS = EARLY_EVENTS_LIMIT;

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
  let bridge: TelemetryBridge | undefined;
  let early: EarlyEvents | undefined;
  const keepNoMore = () => {
    const taken = early?.take() ?? { events: [], dropped: 0 };
    early = undefined;
    return taken;
  };
  const code = loadWithFlag({
    flags,
    flag: 'monitoring',
    load,
    starting() {
      early ??= keepEarlyEvents(events);
    },
    loaded(module) {
      const { events: replay, dropped } = keepNoMore();
      real = module.createMonitoring({ ...deps, replay });
      if (bridge) real.attachBridge(bridge);
      if (dropped > 0) reportInternalError(events, 'monitoring', new Error(`${dropped} events were not counted while monitoring loaded`));
    },
    failed(error) {
      keepNoMore();
      reportInternalError(events, 'monitoring', new Error(`Loading monitoring failed: ${String(error)}`));
    },
  });

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
    context: () => (real ? real.context() : { ...INITIAL_TELEMETRY_CONTEXT, breakers: {} }),
    droppedBeforeLoad: () => real?.droppedBeforeLoad() ?? 0,
    ready: code.ready,
    dispose() {
      code.dispose();
      keepNoMore();
      real?.dispose();
    },
  };
}
