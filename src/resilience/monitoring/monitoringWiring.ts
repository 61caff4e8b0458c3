import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { FeatureFlags } from '../flags/featureFlags';
import { createResilienceMonitor, type ResilienceMonitor } from './resilienceMonitor';
import type { TelemetryBridge, TelemetryContext } from './telemetryBridge';
import { createTelemetryContext } from './telemetryContext';
import { createTelemetryReporter } from './telemetryReporter';

/** Options of the monitoring subsystem. */
export interface MonitoringConfig {
  /** Calls kept while the SDK loads. Default 200. */
  readonly bufferLimit?: number;
}

/** The runtime's monitoring: the ResilienceMonitor and the bridge to an error tracker, gated by `monitoring`. */
export interface Monitoring {
  readonly monitor: ResilienceMonitor;
  /** Whether the `monitoring` flag is on now. */
  enabled(): boolean;
  /** Connects the (lazily loaded) error-tracker bridge; calls buffered until now are replayed. */
  attachBridge(bridge: TelemetryBridge): void;
  /** Resilience context for errors captured outside the bus (unhandled errors, React roots). */
  context(): TelemetryContext;
  /** Bridge calls dropped while the SDK loaded (buffer full). */
  droppedBeforeLoad(): number;
  dispose(): void;
}

export function createMonitoring(deps: { clock: Clock; events: EventBus; flags: FeatureFlags; config?: MonitoringConfig }): Monitoring {
  const { events, flags } = deps;
  const monitor = createResilienceMonitor({ clock: deps.clock });
  const telemetryContext = createTelemetryContext();
  let bridgeFailureReported = false;
  const reporter = createTelemetryReporter({
    monitor,
    context: telemetryContext.snapshot,
    bufferLimit: deps.config?.bufferLimit,
    onBridgeError(error) {
      // Reported once: a broken bridge must not flood the bus (its report would reach the bridge again).
      if (bridgeFailureReported) return;
      bridgeFailureReported = true;
      reportInternalError(events, 'monitoring', error);
    },
  });
  let bridge: TelemetryBridge | null = null;
  let unsubscribe: (() => void) | null = null;

  const sync = (): void => {
    const on = flags.isEnabled('monitoring');
    if (on && !unsubscribe) {
      unsubscribe = events.subscribe((event) => {
        monitor.handle(event);
        telemetryContext.handle(event);
        reporter.handle(event);
      });
      if (bridge) reporter.attach(bridge);
    } else if (!on && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
      reporter.detach();
    }
  };
  sync();
  const unsubscribeFlags = flags.subscribe(sync);

  return {
    monitor,
    enabled: () => flags.isEnabled('monitoring'),
    attachBridge(next) {
      bridge = next;
      if (unsubscribe) reporter.attach(next);
    },
    context: telemetryContext.snapshot,
    droppedBeforeLoad: () => reporter.dropped,
    dispose() {
      unsubscribeFlags();
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
