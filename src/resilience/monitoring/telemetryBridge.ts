import type { PredictedRiskLevel } from '../core/events';
/**
 * What the monitoring hands to an error-tracking SDK (the app adapts Sentry to it, loaded lazily). Attribute
 * values are low-cardinality by contract: backend, op, method, strategy, code, level, state; never ids, names,
 * answers or URLs with parameters.
 */
export type TelemetryAttributes = Readonly<Record<string, string | number | boolean>>;

/** Runtime state attached to a captured error: mode, breaker states, last recovery, risk level. */
export interface TelemetryContext {
  readonly mode: string;
  /** Breaker state by backend: closed | open | halfOpen. */
  readonly breakers: Readonly<Record<string, string>>;
  readonly lastRecovery: { readonly op: string; readonly status: string; readonly method?: string; readonly durationMs?: number } | null;
  readonly riskLevel: PredictedRiskLevel | 'unknown';
}

/** The context before any event: online, no breaker known, no recovery, risk unknown. */
export const INITIAL_TELEMETRY_CONTEXT: TelemetryContext = { mode: 'online', breakers: {}, lastRecovery: null, riskLevel: 'unknown' };

/** One breadcrumb handed to the `TelemetryBridge`. */
export interface TelemetryBreadcrumb {
  readonly category: string;
  readonly message: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly data: TelemetryAttributes;
}

/**
 * Where the runtime sends errors, breadcrumbs and metrics (e.g. a Sentry adapter); calls are buffered until it is
 * attached.
 */
export interface TelemetryBridge {
  captureError(error: unknown, tags: TelemetryAttributes, context: TelemetryContext): void;
  addBreadcrumb(breadcrumb: TelemetryBreadcrumb): void;
  count(name: string, value: number, attributes: TelemetryAttributes): void;
  gauge(name: string, value: number, unit: string, attributes: TelemetryAttributes): void;
  distribution(name: string, value: number, unit: string, attributes: TelemetryAttributes): void;
  /** The runtime saw the device come online: deliver what waits now. */
  online?(): void;
}

/** One deferred call, kept while the SDK is still loading. */
export type TelemetryCall = (bridge: TelemetryBridge) => void;
