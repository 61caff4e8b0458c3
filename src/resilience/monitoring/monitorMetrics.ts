import type { PredictedRiskLevel } from '../core/events';
import type { DurationSummary } from './durationSamples';

/** What the monitor counted over one span of time (the last 5 minutes, or since the runtime started). */
export interface MonitorWindow {
  readonly selfHealing: { readonly attempts: number; readonly succeeded: number; readonly failed: number; readonly successRate: number | null };
  /** Breaker openings by backend. */
  readonly breakerTrips: Readonly<Record<string, number>>;
  /** Fallback activations by op type, then strategy. */
  readonly fallbackActivations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Finished recoveries by outcome: healed, recovered, circuit_open, failed. */
  readonly recoveries: Readonly<Record<string, number>>;
  /** Recovery time by method (self_healing, fallback, retry) for recoveries that succeeded. */
  readonly recoveryTime: Readonly<Record<string, DurationSummary>>;
  /** Predictions that rose to a higher level than the one before (medium, high or critical). */
  readonly predictiveAlerts: number;
  /** Tutor socket openings after the first. */
  readonly socketReconnects: number;
  /** Outbox entries moved to the manual intervention list. */
  readonly deadLetters: number;
  /** Failed requests and escalations by error code. */
  readonly errors: Readonly<Record<string, number>>;
}

/** A snapshot of the monitor: counts over the last window and since start, and current gauges. */
export interface MonitorMetrics {
  /** Runtime clock time the snapshot was taken. */
  readonly at: number;
  readonly windowMs: number;
  readonly lastWindow: MonitorWindow;
  readonly sinceStart: MonitorWindow;
  /** Current values, not counts. */
  readonly outbox: { readonly depth: number; readonly oldestEntryAgeMs: number | null };
  readonly socket: { readonly state: 'connecting' | 'open' | 'stale' | 'closed' | 'none' };
  readonly risk: { readonly score: number; readonly level: PredictedRiskLevel } | null;
}

/** Default trailing window of the monitor: 5 minutes. */
export const MONITOR_WINDOW_MS = 5 * 60_000;

const EMPTY_WINDOW: MonitorWindow = {
  selfHealing: { attempts: 0, succeeded: 0, failed: 0, successRate: null },
  breakerTrips: {},
  fallbackActivations: {},
  recoveries: {},
  recoveryTime: {},
  predictiveAlerts: 0,
  socketReconnects: 0,
  deadLetters: 0,
  errors: {},
};

/** What a monitor that has heard no event reports (the monitoring code not loaded yet: its flag is off). */
export function emptyMonitorMetrics(at: number, windowMs = MONITOR_WINDOW_MS): MonitorMetrics {
  return { at, windowMs, lastWindow: EMPTY_WINDOW, sinceStart: EMPTY_WINDOW, outbox: { depth: 0, oldestEntryAgeMs: null }, socket: { state: 'none' }, risk: null };
}
