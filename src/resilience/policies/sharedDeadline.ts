import type { Clock, TimerHandle } from '../core/clock';
import { timeoutReason, type Deadline, type DeadlineFactory } from './deadline';

/** Smallest rounding step of a shared deadline. */
export const MIN_DEADLINE_GRANULARITY_MS = 25;

/**
 * How late a shared deadline may fire: 25 ms or 1 % of the timeout, whichever is larger (100 ms for the
 * default 10 s timeout).
 */
export function deadlineGranularityMs(timeoutMs: number): number {
  return Math.max(MIN_DEADLINE_GRANULARITY_MS, Math.ceil(timeoutMs / 100));
}

/** Requests of one timeout value whose deadlines round up to the same instant: one controller, one timer. */
interface Bucket {
  readonly timeoutMs: number;
  /** Absolute clock time (ms) the bucket aborts at: a multiple of the granularity. */
  readonly deadlineAt: number;
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  /** Requests holding the bucket now. */
  refs: number;
  /** Armed by the first request to join, then left to lapse: never cleared except by `dispose()`. */
  timer: TimerHandle | undefined;
  fired: boolean;
  /** The timer callback, made once per bucket rather than once per arming. */
  readonly onDeadline: () => void;
  /**
   * Time-out callbacks of the leases linked to a caller signal. Called directly rather than registered as
   * 'abort' listeners on the shared signal: Node warns (MaxListenersExceededWarning) past 10 listeners.
   */
  linked: Set<(reason: unknown) => void> | undefined;
}

/**
 * Shared deadline on the runtime clock (the default). A request's deadline `now + timeoutMs` is rounded UP to
 * the next multiple of {@link deadlineGranularityMs} on the clock's time line, so every request with the same
 * `timeoutMs` that starts inside one granularity window lands on the same instant and shares one
 * `AbortController` and one clock timer:
 *
 * - a request times out no earlier than asked and at most one granularity later (≤ 100 ms on a 10 s timeout);
 * - the bucket's timer is armed once, by the first request to join, and is not cleared when the last holder
 *   settles: it lapses at the bucket's deadline, and if nobody holds the bucket then it aborts nothing. So a
 *   request pays no `setTimeout`/`clearTimeout` unless it opens a new bucket, and at most one timer per bucket
 *   (≤ timeoutMs / granularity, i.e. ≤ 100 for one timeout value) is ever pending. `dispose()` clears them all;
 * - a caller-supplied AbortSignal gets its own linked controller (listening to the bucket and to the caller),
 *   so a caller's abort cancels only that request; only such requests pay for a per-call controller.
 *
 * Why: in Node creating an AbortSignal costs ≈ 3.5 µs under a hot async loop, and a timer pair ≈ 1 µs (2.4 µs in
 * Chromium), most of a request's overhead (docs/architecture.md). Uses only `clock.now/setTimeout/clearTimeout`,
 * so injected clocks and fake timers drive it; native `AbortSignal.timeout` obeys neither.
 */
export function sharedDeadline(clock: Clock, granularityMs: (timeoutMs: number) => number = deadlineGranularityMs): DeadlineFactory {
  /** The newest bucket per timeout value; older ones live on only through their timer and the leases that hold them. */
  const current = new Map<number, Bucket>();
  /** Buckets whose timer is still scheduled (what `dispose()` clears). */
  const armed = new Set<Bucket>();
  /** The last bucket joined: most traffic uses one timeout value, so this skips the map lookup. */
  let last: Bucket | undefined;

  const fire = (bucket: Bucket): void => {
    bucket.timer = undefined;
    bucket.fired = true;
    armed.delete(bucket);
    if (current.get(bucket.timeoutMs) === bucket) current.delete(bucket.timeoutMs);
    if (last === bucket) last = undefined;
    if (bucket.refs === 0) return; // a lapsed timer: every request of the bucket has settled, nothing to abort
    const reason = timeoutReason(bucket.timeoutMs);
    bucket.controller.abort(reason);
    if (bucket.linked) for (const onTimeout of bucket.linked) onTimeout(reason);
    bucket.linked = undefined;
  };

  const release = (bucket: Bucket): void => {
    bucket.refs--;
  };

  const newBucket = (timeoutMs: number, deadlineAt: number, now: number): Bucket => {
    const controller = new AbortController();
    const bucket: Bucket = {
      timeoutMs,
      deadlineAt,
      controller,
      signal: controller.signal,
      refs: 0,
      timer: undefined,
      fired: false,
      onDeadline: () => fire(bucket),
      linked: undefined,
    };
    bucket.timer = clock.setTimeout(bucket.onDeadline, Math.max(0, deadlineAt - now));
    armed.add(bucket);
    current.set(timeoutMs, bucket);
    return bucket;
  };

  const factory: DeadlineFactory = (timeoutMs, outer, now = clock.now()) => {
    const step = granularityMs(timeoutMs);
    const deadlineAt = Math.ceil((now + timeoutMs) / step) * step;
    let bucket = last !== undefined && last.timeoutMs === timeoutMs ? last : current.get(timeoutMs);
    if (bucket === undefined || bucket.deadlineAt !== deadlineAt || bucket.fired) bucket = newBucket(timeoutMs, deadlineAt, now);
    last = bucket;
    bucket.refs++;
    return outer === undefined ? new SharedLease(bucket) : linkedLease(bucket, outer, release);
  };
  factory.dispose = () => {
    for (const bucket of armed) {
      clock.clearTimeout(bucket.timer);
      bucket.timer = undefined;
      bucket.fired = true; // never joined again: its deadline would not be enforced
    }
    armed.clear();
    current.clear();
    last = undefined;
  };
  return factory;
}

/**
 * A request's hold on a bucket, without a caller signal: no per-call controller, no listener. Fields are
 * `declare`d and assigned in the constructor (no class-field initialisers) and `signal` is a data property:
 * one small object per request, measured cheaper than the getter/field version in Chromium.
 */
class SharedLease implements Deadline {
  declare readonly signal: AbortSignal;
  private declare readonly bucket: Bucket;
  private declare released: boolean;

  constructor(bucket: Bucket) {
    this.signal = bucket.signal;
    this.bucket = bucket;
    this.released = false;
  }

  timedOut(): boolean {
    return this.bucket.signal.aborted; // only the deadline aborts the shared controller (a lapse does not)
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.bucket.refs--;
  }
}

/** A request with a caller signal: its own controller, aborted by the bucket's deadline or by the caller. */
function linkedLease(bucket: Bucket, outer: AbortSignal, release: (bucket: Bucket) => void): Deadline {
  const controller = new AbortController();
  let didTimeOut = false;
  let released = false;
  const onTimeout = (reason: unknown) => {
    if (controller.signal.aborted) return;
    didTimeOut = true;
    controller.abort(reason);
  };
  const onOuterAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  (bucket.linked ??= new Set()).add(onTimeout);
  return {
    signal: controller.signal,
    timedOut: () => didTimeOut,
    dispose() {
      if (released) return;
      released = true;
      outer.removeEventListener('abort', onOuterAbort);
      bucket.linked?.delete(onTimeout);
      release(bucket);
    },
  };
}
