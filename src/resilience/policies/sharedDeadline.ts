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
   * One linked controller per caller signal seen in this bucket, shared by every request that passed that
   * signal. Aborted directly at the deadline rather than registered as 'abort' listeners on the shared
   * signal: Node warns (MaxListenersExceededWarning) past 10 listeners.
   */
  links: Map<AbortSignal, Link> | undefined;
}

/**
 * The requests of one bucket that passed the same caller signal: one controller, aborted by the bucket's
 * deadline or by the caller. A page's requests usually pass one long-lived signal, so a request pays for no
 * AbortController unless it opens a new bucket.
 */
interface Link {
  readonly outer: AbortSignal;
  readonly controller: AbortController;
  /** Requests holding this link now. */
  refs: number;
  timedOut: boolean;
}

/**
 * One 'abort' listener per caller signal, however many buckets hold a link for it: added by the first link,
 * removed when the last bucket holding one lapses (a page with steady traffic keeps one listener, not one per
 * bucket, of which a 10 s timeout has up to 100 alive).
 */
interface Watch {
  readonly links: Set<Link>;
  readonly onAbort: () => void;
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
 * - a caller-supplied AbortSignal gets a linked controller (listening to the bucket and to the caller), shared by
 *   the bucket's requests that passed the same signal, so a caller's abort cancels exactly the requests it was
 *   passed to, and a page passing one signal to all its requests pays for one controller per bucket, not per call.
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
  /** Caller signals with a live link, and their one listener. */
  const watches = new Map<AbortSignal, Watch>();

  /** The bucket's link for `outer`, made by the first request that passes it. */
  const linkFor = (bucket: Bucket, outer: AbortSignal): Link => {
    const known = bucket.links?.get(outer);
    if (known !== undefined) return known;
    const link: Link = { outer, controller: new AbortController(), refs: 0, timedOut: false };
    (bucket.links ??= new Map()).set(outer, link);
    if (outer.aborted) {
      link.controller.abort(outer.reason);
      return link;
    }
    let watch = watches.get(outer);
    if (watch === undefined) {
      const links = new Set<Link>();
      const onAbort = () => {
        watches.delete(outer);
        for (const each of links) each.controller.abort(outer.reason);
        links.clear();
      };
      watch = { links, onAbort };
      watches.set(outer, watch);
      outer.addEventListener('abort', onAbort, { once: true });
    }
    watch.links.add(link);
    return link;
  };

  /** Detaches the bucket's links from their callers' listeners (it is never joined again); returns them. */
  const unlink = (bucket: Bucket): Iterable<Link> => {
    const links = bucket.links;
    bucket.links = undefined;
    if (links === undefined) return [];
    for (const link of links.values()) {
      const watch = watches.get(link.outer);
      if (watch === undefined || !watch.links.delete(link) || watch.links.size > 0) continue;
      watches.delete(link.outer);
      link.outer.removeEventListener('abort', watch.onAbort);
    }
    return links.values();
  };

  const fire = (bucket: Bucket): void => {
    bucket.timer = undefined;
    bucket.fired = true;
    armed.delete(bucket);
    if (current.get(bucket.timeoutMs) === bucket) current.delete(bucket.timeoutMs);
    if (last === bucket) last = undefined;
    const links = unlink(bucket);
    if (bucket.refs === 0) return; // a lapsed timer: every request of the bucket has settled, nothing to abort
    const reason = timeoutReason(bucket.timeoutMs);
    bucket.controller.abort(reason);
    for (const link of links) {
      if (link.refs === 0 || link.controller.signal.aborted) continue;
      link.timedOut = true;
      link.controller.abort(reason);
    }
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
      links: undefined,
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
    return outer === undefined ? new SharedLease(bucket) : new LinkedLease(bucket, linkFor(bucket, outer));
  };
  factory.dispose = () => {
    for (const bucket of armed) {
      clock.clearTimeout(bucket.timer);
      bucket.timer = undefined;
      unlink(bucket);
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

/** A request with a caller signal: holds the bucket and its link for that signal. */
class LinkedLease implements Deadline {
  declare readonly signal: AbortSignal;
  private declare readonly bucket: Bucket;
  private declare readonly link: Link;
  private declare released: boolean;

  constructor(bucket: Bucket, link: Link) {
    this.signal = link.controller.signal;
    this.bucket = bucket;
    this.link = link;
    this.released = false;
    link.refs++;
  }

  timedOut(): boolean {
    return this.link.timedOut;
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.link.refs--;
    this.bucket.refs--;
  }
}
