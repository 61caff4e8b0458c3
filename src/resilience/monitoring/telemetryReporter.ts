import type { ResilienceEvent } from '../core/events';
import { METRIC, telemetryFor } from './eventTelemetry';
import type { ResilienceMonitor } from './resilienceMonitor';
import type { TelemetryBridge, TelemetryCall, TelemetryContext } from './telemetryBridge';

export interface TelemetryReporterOptions {
  readonly monitor: ResilienceMonitor;
  readonly context: () => TelemetryContext;
  /** Calls kept while no bridge is attached (the SDK is loading). Default 200; beyond it calls are dropped and counted. */
  readonly bufferLimit?: number;
  /** A bridge call that throws (the runtime never lets telemetry break the app). */
  readonly onBridgeError: (error: unknown) => void;
}

export interface TelemetryReporter {
  handle(event: ResilienceEvent): void;
  /** Hands over the SDK bridge: buffered calls are replayed, then a count of dropped calls if any. */
  attach(bridge: TelemetryBridge): void;
  /** Back to buffering (e.g. the flag was turned off): pending calls are discarded. */
  detach(): void;
  /** Calls dropped because the buffer was full, since start. */
  readonly dropped: number;
}

/** Turns bus events into bridge calls, buffering them (bounded) until the lazily loaded SDK is attached. */
export function createTelemetryReporter(options: TelemetryReporterOptions): TelemetryReporter {
  const limit = options.bufferLimit ?? 200;
  let bridge: TelemetryBridge | null = null;
  let buffer: TelemetryCall[] = [];
  let dropped = 0;
  let unreportedDrops = 0;
  let socketOpenedBefore = false;

  const run = (call: TelemetryCall, target: TelemetryBridge) => {
    try {
      call(target);
    } catch (error) {
      options.onBridgeError(error);
    }
  };
  const deliver = (call: TelemetryCall): void => {
    if (bridge) return run(call, bridge);
    if (buffer.length >= limit) {
      dropped += 1;
      unreportedDrops += 1;
      return;
    }
    buffer.push(call);
  };

  return {
    handle(event) {
      if (event.type === 'connectivity.changed' && event.state === 'online') bridge?.online?.();
      if (event.type === 'socket.state' && event.state === 'open') {
        if (socketOpenedBefore) deliver((b) => b.count(METRIC.socketReconnect, 1, {}));
        socketOpenedBefore = true;
      }
      const calls = telemetryFor(event, options.monitor, options.context);
      for (const call of calls) deliver(call);
    },
    attach(next) {
      bridge = next;
      const pending = buffer;
      buffer = [];
      for (const call of pending) run(call, next);
      if (unreportedDrops > 0) {
        const count = unreportedDrops;
        unreportedDrops = 0;
        run((b) => b.count(METRIC.telemetryDropped, count, { stage: 'sdk_loading' }), next);
      }
    },
    detach() {
      bridge = null;
      buffer = [];
    },
    get dropped() {
      return dropped;
    },
  };
}
