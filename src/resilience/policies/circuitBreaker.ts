import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { BreakerState } from './breakerState';
import type { BreakerVerdict } from './breakerVerdict';
import type { ProbeLease } from './probeLease';
import type { TripRuleFactory } from './tripRules';

export type Admission =
  | { readonly kind: 'pass' }
  | { readonly kind: 'probe'; readonly timeoutMs: number }
  | { readonly kind: 'reject'; readonly error: ResilienceError };

export interface CircuitBreakerOptions {
  backend: string;
  clock: Clock;
  tripRules: readonly TripRuleFactory[];
  openDurationMs: number;
  /** Concurrent probes admitted in half-open (1–3). */
  halfOpenMaxProbes: number;
  /** Each probe's own timeout; the caller applies it to the probe request. */
  probeTimeoutMs: number;
  initialState?: BreakerState;
  /** Cross-tab "one prober" lease; resolves null when another tab holds it. */
  acquireProbeLease?: () => Promise<ProbeLease | null>;
  /** Every local transition (not remote ones), with its reason. */
  onTransition?: (state: BreakerState, reason: string) => void;
}

/** The breaker of one backend: admits or rejects calls and learns from how admitted calls went. */
export interface CircuitBreaker {
  readonly backend: string;
  state(): BreakerState;
  /** Decides whether a call may go to the backend now. Sync except when a half-open probe needs the lease. */
  admit(): Admission | Promise<Admission>;
  /**
   * Someone asked to try now (a student's "Sync now"): an open breaker turns half-open at once, so the next
   * call is its one recovery probe (a success closes it, a failure opens it for a new period). Otherwise nothing.
   */
  probeNow(): void;
  /**
   * Reports how an admitted call went. Must be called exactly once per non-rejected admission. `now`: the
   * caller's current `clock.now()` when it has one at hand (saves a clock read on the hot path).
   */
  record(admission: Admission, verdict: BreakerVerdict, now?: number): void;
  /** Adopts a state learnt from another tab or from storage, without reporting it as a local transition. */
  applyRemote(state: BreakerState): void;
  toJSON(): BreakerState;
}

const PASS: Admission = Object.freeze({ kind: 'pass' });

/**
 * One breaker's state machine: closed → (a trip rule fires) → open → (openDurationMs) → halfOpen → a probe
 * succeeds → closed, or fails → open again. In half-open at most `halfOpenMaxProbes` calls are in flight and,
 * with a lease, only one tab probes; every other call fails fast with CIRCUIT_OPEN.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { backend, clock, openDurationMs, halfOpenMaxProbes, probeTimeoutMs } = options;
  if (!Number.isInteger(halfOpenMaxProbes) || halfOpenMaxProbes < 1 || halfOpenMaxProbes > 3) {
    throw new RangeError(`circuit breaker "${backend}": halfOpenMaxProbes must be 1, 2 or 3, got ${String(halfOpenMaxProbes)}`);
  }
  if (!(openDurationMs > 0)) throw new RangeError(`circuit breaker "${backend}": openDurationMs must be > 0, got ${String(openDurationMs)}`);
  const rules = options.tripRules.map((create) => create());
  let current: BreakerState = options.initialState ?? { state: 'closed', since: clock.now() };
  let probesInFlight = 0;
  let lease: ProbeLease | null = null;
  let leasePending: Promise<ProbeLease | null> | null = null;
  const probe: Admission = { kind: 'probe', timeoutMs: probeTimeoutMs };

  const transition = (next: BreakerState, reason: string) => {
    current = next;
    if (next.state === 'closed') for (const rule of rules) rule.reset();
    options.onTransition?.(next, reason);
  };
  const open = (reason: string) => {
    const now = clock.now();
    transition({ state: 'open', openedAt: now, reopenAt: now + openDurationMs, reason }, reason);
  };
  const reject = (message: string, retryAfterMs?: number): Admission => ({
    kind: 'reject',
    error: new ResilienceError('CIRCUIT_OPEN', `Circuit for "${backend}" is open: ${message}`, { backend, retryAfterMs, retryable: false }),
  });
  const releaseProbe = () => {
    probesInFlight = Math.max(0, probesInFlight - 1);
    if (probesInFlight === 0 && lease) {
      const held = lease;
      lease = null;
      held.release();
    }
  };

  const admitProbe = (): Admission | Promise<Admission> => {
    if (probesInFlight >= halfOpenMaxProbes) return reject('a recovery probe is already in flight');
    probesInFlight++; // counted before any await so a burst cannot overshoot the limit
    if (!options.acquireProbeLease || lease) return probe;
    leasePending ??= options.acquireProbeLease().finally(() => (leasePending = null));
    return leasePending.then(
      (acquired) => {
        if (acquired && probesInFlight > 0 && current.state === 'halfOpen') {
          lease ??= acquired;
          if (lease !== acquired) acquired.release();
          return probe;
        }
        acquired?.release();
        probesInFlight = Math.max(0, probesInFlight - 1);
        return reject('another tab is probing the backend');
      },
      () => probe, // lease machinery broken: behave as a single tab would
    );
  };

  return {
    backend,
    state: () => current,
    toJSON: () => current,
    admit() {
      if (current.state === 'closed') return PASS;
      if (current.state === 'open') {
        const now = clock.now();
        if (now < current.reopenAt) return reject(current.reason, current.reopenAt - now);
        transition({ state: 'halfOpen', since: now, reason: 'open duration elapsed' }, 'open duration elapsed');
      }
      return admitProbe();
    },
    probeNow() {
      if (current.state === 'open') transition({ state: 'halfOpen', since: clock.now(), reason: 'probe asked for' }, 'probe asked for');
    },
    record(admission, verdict, now = clock.now()) {
      if (admission.kind === 'reject') return;
      if (admission.kind === 'probe') {
        releaseProbe();
        if (current.state !== 'halfOpen' || verdict === 'ignore') return;
        if (verdict === 'success') transition({ state: 'closed', since: now }, 'probe succeeded');
        else open('probe failed');
        return;
      }
      if (current.state !== 'closed' || verdict === 'ignore') return; // stale result from before a transition
      if (verdict === 'success') {
        for (const rule of rules) rule.recordSuccess(now);
        return;
      }
      let tripped: string | undefined;
      for (const rule of rules) if (rule.recordFailure(now) && tripped === undefined) tripped = rule.description;
      if (tripped !== undefined) open(tripped);
    },
    applyRemote(state) {
      current = state;
      if (state.state === 'closed') for (const rule of rules) rule.reset();
    },
  };
}
