/**
 * Time and randomness seams. Every runtime component takes these from the runtime config so tests
 * can inject fakes; nothing else in src/resilience reads Date.now(), setTimeout or Math.random directly.
 */

/** Opaque timer handle: Node returns an object, browsers a number. */
export type TimerHandle = unknown;

/** Time source of the runtime: wall-clock `now()` and timers. Inject a fake one in tests. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (what `at` timestamps and persisted deadlines use). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A source of uniformly distributed numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * The real clock. Globals are wrapped in lambdas (not captured by reference) so `vi.useFakeTimers()` installed
 * after the runtime was built still applies.
 */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  };
}

/** The real random source, wrapped for the same reason as {@link systemClock}. */
export function systemRandom(): RandomSource {
  return () => Math.random();
}
