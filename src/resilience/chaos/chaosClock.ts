import type { Clock, TimerHandle } from '../core/clock';
import type { ChaosEngine } from './chaosEngine';

/** The runtime clock seam with a forward offset: what everything reading `now()` sees after a jump. */
export interface JumpingClock extends Clock {
  /** Moves `now()` forward by `ms`. Pending timers keep their delays, as browsers' timers do on a wall-clock change. */
  jump(ms: number): void;
}

/** Wraps a clock so runtime chaos can move the wall clock (a laptop waking, NTP correcting, a user's change). */
export function jumpingClock(base: Clock): JumpingClock {
  let offsetMs = 0;
  return {
    now: () => base.now() + offsetMs,
    setTimeout: (callback, delayMs) => base.setTimeout(callback, delayMs),
    clearTimeout: (handle) => base.clearTimeout(handle),
    jump(ms) {
      offsetMs += ms;
    },
  };
}

export interface ChaosTickerOptions {
  engine: ChaosEngine;
  /** The clock the ticks run on (the base clock, which jumps do not move). */
  clock: Clock;
  /** Applies a `clock` injection. */
  jump: (ms: number) => void;
  /** Applies a `memory` injection: reports pressure where the heap sampler would. */
  pressure: () => void;
  /** Default 5 s: one decision per key with rules, per tick. */
  intervalMs?: number;
}

/**
 * Faults that no call provokes (a clock jump, memory pressure) are decided on a tick: one decision per key with
 * rules, every interval, so the same seed gives the same sequence per key. `stop()` leaves no timer.
 */
export function startChaosTicker(options: ChaosTickerOptions): { stop(): void } {
  const { engine, clock } = options;
  const intervalMs = options.intervalMs ?? 5_000;
  let timer: TimerHandle | undefined;
  const tick = () => {
    timer = clock.setTimeout(tick, intervalMs);
    if (engine.has('clock')) {
      const rule = engine.decide('clock', 'wall clock');
      if (rule) options.jump(rule.jumpMs);
    }
    if (engine.has('memory') && engine.decide('memory', 'heap')) options.pressure();
  };
  if (engine.has('clock') || engine.has('memory')) timer = clock.setTimeout(tick, intervalMs);
  return {
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
