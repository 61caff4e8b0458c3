import type { Clock, RandomSource, TimerHandle } from '../core/clock';
import type { BreakerState } from './breakerState';

export interface BreakerRecoveryOptions {
  clock: Clock;
  random: RandomSource;
  /** The breaker's current state (undefined before it exists). */
  state(): BreakerState | undefined;
  /** Hears every state change of the breaker. */
  subscribe(listener: () => void): () => void;
  /** One cheap call through the breaker (e.g. a health request); the breaker turns it into the probe. */
  probe(): Promise<unknown>;
  /** Random extra delay so several tabs do not all wake at the same instant (the probe lease picks one anyway). */
  jitterMs?: number;
  /**
   * How long a half-open state learnt from another tab may last before this tab probes itself (that tab may
   * have been closed mid-probe). Longer than the probe timeout.
   */
  halfOpenWatchdogMs?: number;
}

/**
 * "We'll keep trying": a breaker moves from open to half-open only when a call asks to pass, so a page with
 * nothing to send would stay degraded for ever. This sends one probe when the open period ends (and again if
 * another tab's probe never reports back). Only one tab's probe reaches the backend: the breaker's cross-tab
 * lease turns the others away. Returns the function that stops watching.
 */
export function watchBreakerRecovery(options: BreakerRecoveryOptions): () => void {
  const { clock, random } = options;
  const jitterMs = options.jitterMs ?? 250;
  const watchdogMs = options.halfOpenWatchdogMs ?? 7_000;
  let timer: TimerHandle | undefined;
  let stopped = false;

  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const fire = () => {
    timer = undefined;
    const state = options.state();
    if (stopped || !state || state.state === 'closed') return;
    // The probe's outcome reaches us as a breaker transition (or not at all), which reschedules.
    void options
      .probe()
      .catch(() => undefined)
      .finally(() => !stopped && timer === undefined && schedule());
  };
  const schedule = () => {
    cancel();
    const state = options.state();
    if (stopped || !state || state.state === 'closed') return;
    const dueAt = state.state === 'open' ? state.reopenAt : state.since + watchdogMs;
    const delayMs = Math.max(0, dueAt - clock.now()) + Math.floor(random() * jitterMs);
    timer = clock.setTimeout(fire, delayMs);
  };

  const unsubscribe = options.subscribe(schedule);
  schedule();
  return () => {
    stopped = true;
    cancel();
    unsubscribe();
  };
}
