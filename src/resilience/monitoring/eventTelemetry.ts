import type { ResilienceEvent } from '../core/events';
import type { ResilienceMonitor } from './resilienceMonitor';
import { readRecoveryOutcome } from './recoveryOutcome';
import type { TelemetryCall, TelemetryContext } from './telemetryBridge';

/** Metric names, shared with the dashboards in monitoring/dashboards/. */
export const METRIC = {
  healAttempt: 'resilience.heal.attempt',
  healResult: 'resilience.heal.result',
  breakerTrip: 'resilience.breaker.trip',
  fallback: 'resilience.fallback.activation',
  recovery: 'resilience.recovery',
  recoveryDuration: 'resilience.recovery.duration',
  retry: 'resilience.retry',
  predictionAlert: 'resilience.prediction.alert',
  risk: 'resilience.predictor.risk',
  outboxDepth: 'resilience.outbox.depth',
  outboxOldestAge: 'resilience.outbox.oldest_age',
  deadLetter: 'resilience.outbox.dead_letter',
  socketReconnect: 'resilience.socket.reconnect',
  error: 'resilience.error',
  telemetryDropped: 'resilience.telemetry.dropped',
} as const;

/**
 * What one bus event becomes on the way to the error tracker: breadcrumbs for every recovery step, metrics with
 * low-cardinality attributes, and errors for escalations and runtime internal errors. Empty for events that
 * are not reported. Pure apart from reading the monitor's outbox gauges. (Socket reconnects are counted by
 * the reporter, which remembers whether the socket was open before.)
 */
export function telemetryFor(event: ResilienceEvent, monitor: ResilienceMonitor, context: () => TelemetryContext): TelemetryCall[] {
  switch (event.type) {
    case 'heal.attempted':
      return [
        crumb('heal', `heal attempted: ${event.strategy}`, 'info', { strategy: event.strategy, code: event.code }),
        (b) => b.count(METRIC.healAttempt, 1, { strategy: event.strategy, code: event.code }),
      ];
    case 'heal.succeeded':
    case 'heal.failed': {
      const outcome = event.type === 'heal.succeeded' ? 'succeeded' : 'failed';
      return [
        crumb('heal', `heal ${outcome}: ${event.strategy}`, outcome === 'failed' ? 'warning' : 'info', { strategy: event.strategy, code: event.code }),
        (b) => b.count(METRIC.healResult, 1, { strategy: event.strategy, code: event.code, outcome }),
      ];
    }
    case 'heal.escalated':
      return [crumb('escalation', `healing gave up on ${event.code}`, 'warning', { code: event.code, reason: event.reason })];
    case 'breaker.opened':
      return [crumb('breaker', `breaker opened: ${event.backend}`, 'warning', { backend: event.backend, state: 'open' }), (b) => b.count(METRIC.breakerTrip, 1, { backend: event.backend })];
    case 'breaker.halfOpened':
      return [crumb('breaker', `breaker half-open: ${event.backend}`, 'info', { backend: event.backend, state: 'halfOpen' })];
    case 'breaker.closed':
      return [crumb('breaker', `breaker closed: ${event.backend}`, 'info', { backend: event.backend, state: 'closed' })];
    case 'fallback.used':
      return [
        crumb('fallback', `fallback used: ${event.op} via ${event.strategy}`, 'info', { op: event.op, strategy: event.strategy, stale: event.stale }),
        (b) => b.count(METRIC.fallback, 1, { op: event.op, strategy: event.strategy }),
      ];
    case 'fallback.exhausted':
      return [crumb('fallback', `fallback exhausted: ${event.op}`, 'warning', { op: event.op })];
    case 'retry.scheduled':
      return [
        crumb('retry', `retry ${event.attempt} of ${event.op}`, 'info', { backend: event.backend, op: event.op, attempt: event.attempt, code: event.reason }),
        (b) => b.count(METRIC.retry, 1, { backend: event.backend, op: event.op, code: event.reason }),
      ];
    case 'recovery.finished': {
      const outcome = readRecoveryOutcome(event.result);
      const method = outcome.method ?? 'none';
      const calls: TelemetryCall[] = [
        crumb('recovery', `recovery ${outcome.status}: ${event.op}`, outcome.status === 'failed' ? 'warning' : 'info', { op: event.op, status: outcome.status, method }),
        (b) => b.count(METRIC.recovery, 1, { op: event.op, status: outcome.status, method }),
      ];
      if (outcome.durationMs !== undefined) {
        const durationMs = outcome.durationMs;
        calls.push((b) => b.distribution(METRIC.recoveryDuration, durationMs, 'millisecond', { method, status: outcome.status }));
      }
      return calls;
    }
    case 'escalation.raised':
      return [
        crumb('escalation', `escalated: ${event.op}`, 'error', { op: event.op, code: event.code }),
        (b) => b.count(METRIC.error, 1, { code: event.code, source: 'escalation' }),
        (b) => b.captureError(new Error(`Recovery escalated: ${event.op} (${event.code})`), { kind: 'escalation', op: event.op, code: event.code }, context()),
      ];
    case 'runtime.internalError':
      return [(b) => b.captureError(event.error instanceof Error ? event.error : new Error(event.message), { kind: 'internal', subsystem: event.subsystem }, context())];
    case 'mode.changed':
      return [crumb('mode', `mode ${event.previous} → ${event.mode}`, event.mode === 'online' ? 'info' : 'warning', { mode: event.mode, previous: event.previous })];
    case 'connectivity.changed':
      return [crumb('connectivity', `connectivity ${event.state}`, 'info', { state: event.state })];
    case 'prediction': {
      const calls: TelemetryCall[] = [(b) => b.gauge(METRIC.risk, event.score, 'ratio', { level: event.level })];
      if (event.level !== 'low') calls.push((b) => b.count(METRIC.predictionAlert, 1, { level: event.level }));
      return calls;
    }
    case 'outbox.enqueued':
    case 'outbox.sent':
    case 'outbox.drained': {
      const outbox = monitor.getOutbox();
      return [(b) => b.gauge(METRIC.outboxDepth, outbox.depth, 'none', {}), (b) => b.gauge(METRIC.outboxOldestAge, outbox.oldestEntryAgeMs ?? 0, 'millisecond', {})];
    }
    case 'outbox.deadLettered':
      return [crumb('outbox', 'answer moved to manual intervention', 'warning', { reason: event.reason }), (b) => b.count(METRIC.deadLetter, 1, { reason: event.reason })];
    case 'socket.state':
      return event.state === 'open' || event.state === 'closed' || event.state === 'stale' ? [crumb('socket', `socket ${event.state}`, 'info', { state: event.state })] : [];
    case 'chaos.injected':
      // A bug report from a chaos run must show which faults were injected, not only what they caused.
      return [crumb('chaos', `chaos injected: ${event.key} ${event.kind} (${event.target})`, 'warning', { key: event.key, kind: event.kind, target: event.target, seq: event.seq, scenario: event.scenario, seed: event.seed })];
    case 'request.failed':
      return [(b) => b.count(METRIC.error, 1, { code: event.code, backend: event.backend, op: event.op, source: 'request' })];
    default:
      return [];
  }
}

const crumb = (category: string, message: string, level: 'info' | 'warning' | 'error', data: Record<string, string | number | boolean>): TelemetryCall =>
  (b) => b.addBreadcrumb({ category: `resilience.${category}`, message, level, data });
