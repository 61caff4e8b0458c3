import { systemClock, type Clock } from '../core/clock';
import { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from './breakerRegistry';
import { breakerVerdict } from './breakerVerdict';
import { createCircuitBreaker, type CircuitBreaker } from './circuitBreaker';
import { definePolicy, type Policy } from './policy';
import { timeout } from './timeoutPolicy';

/** Options of the standalone `circuitBreaker` policy: the backend name and any breaker setting to override. */
export interface CircuitBreakerPolicyOptions extends Partial<BreakerSettings> {
  /** Names the backend in errors and states. */
  backend: string;
  clock?: Clock;
  /** Use this breaker (e.g. `runtime.breakers.get('notes')`, persisted and shared between tabs) instead of a new one. */
  breaker?: CircuitBreaker;
}

/** A circuit-breaker policy and the breaker it drives (for its state). */
export interface CircuitBreakerPolicy extends Policy {
  readonly breaker: CircuitBreaker;
}

/**
 * A circuit-breaker policy: while the breaker is open, calls fail fast with CIRCUIT_OPEN (carrying the wait as
 * `retryAfterMs`) without running the operation; after the open period a limited number of probes decide. Only
 * backend failures count (NETWORK, TIMEOUT, 5xx, 429, socket); an abort or a 4xx does not trip it.
 */
export function circuitBreaker(options: CircuitBreakerPolicyOptions): CircuitBreakerPolicy {
  const { breaker: given, clock = systemClock(), ...settings } = options;
  const breaker = given ?? createCircuitBreaker({ ...DEFAULT_BREAKER_SETTINGS, ...settings, clock });
  const policy = definePolicy(async (next, context) => {
    const admission = await breaker.admit();
    if (admission.kind === 'reject') return { ok: false, error: admission.error };
    let result;
    try {
      // A half-open probe has its own timeout, so a hung probe cannot hold the breaker half-open.
      result = admission.kind === 'probe' ? await timeout(admission.timeoutMs, { clock, backend: options.backend }).step(next, context) : await next(context);
    } catch (error) {
      breaker.record(admission, 'ignore');
      throw error;
    }
    breaker.record(admission, breakerVerdict(result.ok ? undefined : result.error.code));
    return result;
  });
  return { ...policy, breaker };
}
