import type { BreakerState, ResilienceRuntime, TimerHandle } from '../../resilience';

export interface BreakerRecoveryOptions {
  /** The breaker to watch, e.g. "api". */
  backend: string;
  /** One cheap request through `runtime.api.request` on that backend; the breaker turns it into the probe. */
  probe: () => Promise<unknown>;
  /** Random extra delay so several tabs do not all wake at the same instant (the Web Lock picks one anyway). */
  jitterMs?: number;
  /**
   * How long a half-open state learnt from another tab may last before this tab probes itself (that tab may
   * have been closed mid-probe). Longer than the probe timeout.
   */
  halfOpenWatchdogMs?: number;
}

/**
 * "We'll keep trying": the runtime's breaker only moves from open to half-open when a request asks to pass, so
 * a page that has nothing to send would stay in limited mode for ever. This sends one probe when the open
 * period ends (and again if another tab's probe never reports back). Only one tab's probe reaches the server:
 * the breaker's cross-tab lease turns the others away. Returns the function that stops watching.
 */
export function startBreakerRecovery(runtime: ResilienceRuntime, options: BreakerRecoveryOptions): () => void {
  const { clock, random } = runtime;
  const jitterMs = options.jitterMs ?? 250;
  const watchdogMs = options.halfOpenWatchdogMs ?? 7_000;
  let timer: TimerHandle | undefined;
  let stopped = false;

  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const stateNow = (): BreakerState | undefined => runtime.breakers.snapshot()[options.backend];
  const fire = () => {
    timer = undefined;
    const state = stateNow();
    if (stopped || !state || state.state === 'closed') return;
    // The probe's outcome reaches us as a breaker transition (or not at all), which reschedules.
    void options.probe().catch(() => undefined).finally(() => !stopped && timer === undefined && schedule());
  };
  const schedule = () => {
    cancel();
    const state = stateNow();
    if (stopped || !state || state.state === 'closed') return;
    const dueAt = state.state === 'open' ? state.reopenAt : state.since + watchdogMs;
    const delayMs = Math.max(0, dueAt - clock.now()) + Math.floor(random() * jitterMs);
    timer = clock.setTimeout(fire, delayMs);
  };

  runtime.breakers.get(options.backend); // restore a state left by an earlier page load
  const unsubscribe = runtime.breakers.subscribe(schedule);
  schedule();
  return () => {
    stopped = true;
    cancel();
    unsubscribe();
  };
}
