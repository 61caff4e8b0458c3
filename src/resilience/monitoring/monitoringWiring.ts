import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { ResilienceEvent } from '../core/events';
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
  /**
   * Resolves once the monitoring code is loaded and listening: `runtime.monitoring` loads it only when the
   * `monitoring` flag is on (lazyMonitoring.ts); at once while the flag is off or when already loaded.
   */
  ready(): Promise<void>;
  dispose(): void;
}

/** What monitoring is built from; `replay`: bus events heard before it was built, fed first (oldest first). */
export interface MonitoringDeps {
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  config?: MonitoringConfig;
  replay?: readonly ResilienceEvent[];
}

export function createMonitoring(deps: MonitoringDeps): Monitoring {
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

  const handle = (event: ResilienceEvent): void => {
    monitor.handle(event);
    telemetryContext.handle(event);
    reporter.handle(event);
  };
  let replay = deps.replay;
  const sync = (): void => {
    const on = flags.isEnabled('monitoring');
    if (on && !unsubscribe) {
      if (replay) for (const event of replay) handle(event);
      replay = undefined;
      unsubscribe = events.subscribe(handle);
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
    ready: () => Promise.resolve(),
    dispose() {
      unsubscribeFlags();
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
