import type { ResilienceEvent } from '../core/events';
import { readRecoveryOutcome } from './recoveryOutcome';
import { INITIAL_TELEMETRY_CONTEXT, type TelemetryContext } from './telemetryBridge';

/** The resilience context attached to every error (mode, breaker states, last recovery, risk), kept from events. */
export function createTelemetryContext() {
  let mode = INITIAL_TELEMETRY_CONTEXT.mode;
  const breakers: Record<string, string> = { ...INITIAL_TELEMETRY_CONTEXT.breakers };
  let lastRecovery: TelemetryContext['lastRecovery'] = INITIAL_TELEMETRY_CONTEXT.lastRecovery;
  let riskLevel: TelemetryContext['riskLevel'] = INITIAL_TELEMETRY_CONTEXT.riskLevel;
  return {
    handle(event: ResilienceEvent): void {
      if (event.type === 'mode.changed') mode = event.mode;
      else if (event.type === 'breaker.opened') breakers[event.backend] = 'open';
      else if (event.type === 'breaker.halfOpened') breakers[event.backend] = 'halfOpen';
      else if (event.type === 'breaker.closed') breakers[event.backend] = 'closed';
      else if (event.type === 'prediction') riskLevel = event.level;
      else if (event.type === 'recovery.finished') {
        const outcome = readRecoveryOutcome(event.result);
        lastRecovery = {
          op: event.op,
          status: outcome.status,
          ...(outcome.method ? { method: outcome.method } : {}),
          ...(outcome.durationMs === undefined ? {} : { durationMs: outcome.durationMs }),
        };
      }
    },
    snapshot(): TelemetryContext {
      return { mode, breakers: { ...breakers }, lastRecovery, riskLevel };
    },
  };
}
