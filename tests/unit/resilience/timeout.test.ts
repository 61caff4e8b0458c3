import { getEventListeners } from 'node:events';
import { systemClock } from '../../../src/resilience/core/clock';
import type { Deadline } from '../../../src/resilience/policies/deadline';
import { clockDeadline } from '../../../src/resilience/policies/exactDeadline';
import { deadlineGranularityMs, sharedDeadline } from '../../../src/resilience/policies/sharedDeadline';
import type { ApiRequest } from '../../../src/resilience';
import { hangingFetch, json, scriptedFetch, testRuntime, useFakeClock } from './helpers';

const T0 = Date.parse('2030-01-01T00:00:00Z'); // a multiple of every granularity used below

beforeEach(() => useFakeClock(T0));
afterEach(() => vi.useRealTimers());

/** Resolves to the clock time at which the deadline's signal aborted (the clock is fake, so it is exact). */
const abortedAt = (deadline: Deadline): Promise<number> =>
  new Promise((resolve) => deadline.signal.addEventListener('abort', () => resolve(Date.now()), { once: true }));

/** Advances the fake clock to an absolute time (ms after T0). */
const advanceTo = (msAfterT0: number) => vi.advanceTimersByTimeAsync(T0 + msAfterT0 - Date.now());

const get = (extra: Partial<ApiRequest> = {}): ApiRequest => ({ op: 'lessons', method: 'GET', path: '/api/lessons', retry: false, ...extra });

describe('deadline granularity', () => {
  it('is 25 ms or 1 % of the timeout, whichever is larger', () => {
    expect(deadlineGranularityMs(100)).toBe(25);
    expect(deadlineGranularityMs(2_500)).toBe(25);
    expect(deadlineGranularityMs(3_000)).toBe(30);
    expect(deadlineGranularityMs(10_000)).toBe(100);
    expect(deadlineGranularityMs(10_001)).toBe(101);
  });
});

describe('shared deadline (the default timeout)', () => {
  it('aborts at or after the asked deadline and no later than one granularity after it, for any start offset', async () => {
    const factory = sharedDeadline(systemClock());
    const timeoutMs = 1_000; // granularity 25 ms
    for (const offset of [0, 1, 7, 24, 25, 26, 99]) {
      await vi.advanceTimersByTimeAsync(offset);
      const start = Date.now();
      const deadline = factory(timeoutMs, undefined);
      const fired = abortedAt(deadline);
      await vi.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(deadline.signal.aborted).toBe(false);
      expect(deadline.timedOut()).toBe(false);
      await vi.advanceTimersByTimeAsync(1 + deadlineGranularityMs(timeoutMs));
      const at = await fired;
      expect(at).toBeGreaterThanOrEqual(start + timeoutMs);
      expect(at).toBeLessThanOrEqual(start + timeoutMs + deadlineGranularityMs(timeoutMs));
      expect(at % deadlineGranularityMs(timeoutMs)).toBe(0); // on the shared grid
      expect(deadline.timedOut()).toBe(true);
      expect(deadline.signal.reason).toMatchObject({ name: 'TimeoutError' });
      deadline.dispose();
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('a request through the API client times out with TIMEOUT within [deadline, deadline + granularity]', async () => {
    const { fetch } = scriptedFetch(hangingFetch);
    const { runtime, ofType } = testRuntime({ api: { fetch, defaultTimeoutMs: 3_000 } }); // granularity 30 ms
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    await vi.advanceTimersByTimeAsync(7); // start off the grid: the deadline rounds up to T0 + 3_030
    const pending = runtime.api.request(get());
    let settled = false;
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(3_007 + 30 - 2_999 - 7);
    expect(settled).toBe(true);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    const [failed] = ofType('request.failed');
    expect(failed?.durationMs).toBeGreaterThanOrEqual(3_000);
    expect(failed?.durationMs).toBeLessThanOrEqual(3_000 + 30);
    expect(vi.getTimerCount()).toBe(0);
    runtime.dispose();
  });

  it('requests starting in one window share one controller and one timer', () => {
    const factory = sharedDeadline(systemClock());
    vi.advanceTimersByTime(1);
    const a = factory(10_000, undefined); // T0 + 1: rounds up to T0 + 10_100
    vi.advanceTimersByTime(99);
    const b = factory(10_000, undefined); // T0 + 100: also T0 + 10_100
    const c = factory(5_000, undefined); // another timeout value: its own bucket
    expect(b.signal).toBe(a.signal);
    expect(c.signal).not.toBe(a.signal);
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(1); // T0 + 101: the next window of the 10 s timeout (T0 + 10_200)
    const d = factory(10_000, undefined);
    expect(d.signal).not.toBe(a.signal);
    expect(vi.getTimerCount()).toBe(3); // one per bucket
    for (const deadline of [a, b, c, d]) deadline.dispose();
    expect(vi.getTimerCount()).toBe(3); // settled: left to lapse, still one per bucket
    factory.dispose?.();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('two requests in one bucket: the first settles early, the second still times out on time', async () => {
    let answerFirst: ((response: Response) => void) | undefined;
    const { fetch, calls } = scriptedFetch(
      () => new Promise<Response>((resolve) => (answerFirst = resolve)),
      hangingFetch,
    );
    const { runtime } = testRuntime({ api: { fetch, defaultTimeoutMs: 2_000 } }); // granularity 25 ms
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    await advanceTo(1);
    const first = runtime.api.request(get()); // asks for T0 + 2_001, rounded up to T0 + 2_025
    await advanceTo(11);
    const second = runtime.api.request(get()); // asks for T0 + 2_011, same bucket
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[0]?.init.signal).toBe(calls[1]?.init.signal); // shared
    expect(vi.getTimerCount()).toBe(1);

    await advanceTo(500);
    answerFirst?.(json({ lessons: [] }));
    await expect(first).resolves.toMatchObject({ ok: true, value: { lessons: [] } });
    expect(vi.getTimerCount()).toBe(1); // still held by the second request
    expect(calls[1]?.init.signal?.aborted).toBe(false);

    let secondSettled = false;
    void second.then(() => (secondSettled = true));
    await advanceTo(2_010); // the second asked for T0 + 2_011
    expect(secondSettled).toBe(false);
    await advanceTo(2_011 + 25);
    await expect(second).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(vi.getTimerCount()).toBe(0);
    runtime.dispose();
  });

  it('a settled request does not release the hold of another in its bucket, even when disposed twice', async () => {
    const factory = sharedDeadline(systemClock());
    vi.advanceTimersByTime(1);
    const a = factory(1_000, undefined); // T0 + 1: rounds up to T0 + 1_025
    const b = factory(1_000, undefined);
    a.dispose();
    a.dispose(); // idempotent
    const fired = abortedAt(b);
    await advanceTo(1_025);
    expect(await fired).toBe(T0 + 1_025);
    expect(b.timedOut()).toBe(true);
    b.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('when the last request of a bucket settles its timer is left to lapse: reused by a later request in the window, it fires once and aborts nothing', async () => {
    const factory = sharedDeadline(systemClock());
    vi.advanceTimersByTime(1);
    const a = factory(1_000, undefined); // T0 + 1: rounds up to T0 + 1_025
    a.dispose();
    expect(vi.getTimerCount()).toBe(1); // not cleared

    vi.advanceTimersByTime(10);
    const b = factory(1_000, undefined); // same window: same controller, same timer, no new one
    expect(b.signal).toBe(a.signal);
    expect(vi.getTimerCount()).toBe(1);
    b.dispose();

    await advanceTo(1_024);
    expect(vi.getTimerCount()).toBe(1);
    await advanceTo(1_025); // the lapse: once, at the bucket's deadline
    expect(vi.getTimerCount()).toBe(0);
    expect(a.signal.aborted).toBe(false); // nobody held the bucket: nothing aborted
    expect(b.timedOut()).toBe(false);

    const c = factory(1_000, undefined); // a lapsed bucket is never joined again
    expect(c.signal).not.toBe(a.signal);
    expect(vi.getTimerCount()).toBe(1);
    c.dispose();
    await advanceTo(1_025 + 1_025);
    expect(c.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('dispose() clears every pending timer, held or lapsing, and disposed buckets are not joined again', () => {
    const factory = sharedDeadline(systemClock());
    const held = factory(1_000, undefined);
    factory(5_000, undefined).dispose(); // lapsing
    expect(vi.getTimerCount()).toBe(2);
    factory.dispose?.();
    expect(vi.getTimerCount()).toBe(0);
    const later = factory(1_000, undefined);
    expect(later.signal).not.toBe(held.signal);
    later.dispose();
    held.dispose();
    factory.dispose?.();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('through the runtime: a settled request leaves at most its lapsing deadline timer, and runtime.dispose() clears it', async () => {
    const { fetch } = scriptedFetch(json({ lessons: [] }), json({ lessons: [] }));
    const { runtime } = testRuntime({ api: { fetch, defaultTimeoutMs: 1_000 } });
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    await expect(runtime.api.request(get())).resolves.toMatchObject({ ok: true });
    await expect(runtime.api.request(get())).resolves.toMatchObject({ ok: true }); // same window: same timer
    expect(vi.getTimerCount()).toBe(1);
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a caller's abort aborts only that request, not the others sharing its bucket", async () => {
    const { fetch, calls } = scriptedFetch(hangingFetch);
    const { runtime } = testRuntime({ api: { fetch, defaultTimeoutMs: 1_000 } });
    const caller = new AbortController();
    const mine = runtime.api.request(get({ signal: caller.signal }));
    const other = runtime.api.request(get());
    await vi.advanceTimersByTimeAsync(100);
    caller.abort();
    await expect(mine).resolves.toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    expect(calls[1]?.init.signal?.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(1); // the other request still holds the shared timer

    let otherSettled = false;
    void other.then(() => (otherSettled = true));
    await vi.advanceTimersByTimeAsync(899);
    expect(otherSettled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(other).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(vi.getTimerCount()).toBe(0);
    runtime.dispose();
  });

  it('a request with a caller signal still times out, as TIMEOUT, with the bucket', async () => {
    const factory = sharedDeadline(systemClock());
    const caller = new AbortController();
    const linked = factory(1_000, caller.signal);
    const plain = factory(1_000, undefined);
    expect(linked.signal).not.toBe(plain.signal);
    const fired = abortedAt(linked);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await fired).toBe(T0 + 1_000);
    expect(linked.timedOut()).toBe(true);
    expect(linked.signal.reason).toBe(plain.signal.reason);
    caller.abort(); // after the deadline: changes nothing
    expect(linked.timedOut()).toBe(true);
    linked.dispose();
    plain.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('many requests with caller signals in one bucket: all time out, no listener pile-up on the shared signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const factory = sharedDeadline(systemClock());
      const callers = Array.from({ length: 20 }, () => new AbortController());
      const leases = callers.map((caller) => factory(1_000, caller.signal));
      callers[3]?.abort();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(leases.map((lease) => lease.timedOut())).toEqual(leases.map((_, i) => i !== 3));
      expect(leases.every((lease) => lease.signal.aborted)).toBe(true);
      for (const lease of leases) lease.dispose();
      expect(vi.getTimerCount()).toBe(0);
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('requests of one bucket passing the same caller signal share one linked controller, and a caller signal has one listener however many buckets link it, removed when the last lapses', async () => {
    const factory = sharedDeadline(systemClock());
    const page = new AbortController();
    const other = new AbortController();
    const a = factory(1_000, page.signal);
    const b = factory(1_000, page.signal);
    const c = factory(1_000, other.signal);
    expect(b.signal).toBe(a.signal); // one controller for the page's signal
    expect(c.signal).not.toBe(a.signal);
    expect(getEventListeners(page.signal, 'abort')).toHaveLength(1);
    a.dispose();
    b.dispose();
    // Sequential requests over many windows (up to 40 buckets alive at once): still one listener, none once they lapse.
    for (let window = 0; window < 50; window++) {
      factory(1_000, page.signal).dispose();
      await vi.advanceTimersByTimeAsync(25);
      expect(getEventListeners(page.signal, 'abort')).toHaveLength(1);
    }
    await vi.advanceTimersByTimeAsync(1_100);
    expect(getEventListeners(page.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    expect(c.timedOut()).toBe(true); // c still held its bucket when it fired
    c.dispose();
    factory.dispose?.();
  });

  it("a caller's abort reaches every request it was passed to, in every bucket, and none of another signal's", () => {
    const factory = sharedDeadline(systemClock());
    const page = new AbortController();
    const other = new AbortController();
    const earlier = factory(1_000, page.signal);
    vi.advanceTimersByTime(25); // the next window: another bucket, the same listener
    const mine = [earlier, factory(1_000, page.signal), factory(1_000, page.signal)];
    expect(mine[1]?.signal).not.toBe(earlier.signal);
    const theirs = factory(1_000, other.signal);
    page.abort(new Error('left the page'));
    expect(mine.map((lease) => [lease.signal.aborted, lease.timedOut()])).toEqual([[true, false], [true, false], [true, false]]);
    expect(theirs.signal.aborted).toBe(false);
    const late = factory(1_000, page.signal); // the same, already aborted signal: aborted at once
    expect(late.signal.aborted).toBe(true);
    for (const lease of [...mine, theirs, late]) lease.dispose();
    factory.dispose?.();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0); // dispose removes the listeners too
  });

  it('a caller signal aborted before or during the request: aborted, not timed out, its hold released', async () => {
    const factory = sharedDeadline(systemClock());
    const already = new AbortController();
    already.abort(new Error('gone'));
    const early = factory(1_000, already.signal);
    expect(early.signal.aborted).toBe(true);
    expect(early.signal.reason).toMatchObject({ message: 'gone' });
    expect(early.timedOut()).toBe(false);

    const caller = new AbortController();
    const linked = factory(1_000, caller.signal);
    const plain = factory(1_000, undefined);
    caller.abort();
    expect(linked.signal.aborted).toBe(true);
    expect(linked.timedOut()).toBe(false);
    expect(plain.signal.aborted).toBe(false);
    for (const deadline of [early, linked, plain]) deadline.dispose();
    expect(vi.getTimerCount()).toBe(1); // the bucket's timer, left to lapse
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(plain.signal.aborted).toBe(false); // every hold was released: the lapse aborts nothing
    expect(linked.timedOut()).toBe(false);
  });

  it('the exact per-call deadline (timeoutImplementation "exact") fires at the asked instant', async () => {
    const { fetch } = scriptedFetch(hangingFetch);
    const { runtime } = testRuntime({ api: { fetch, defaultTimeoutMs: 1_000, timeoutImplementation: 'exact' } });
    await vi.advanceTimersByTimeAsync(7);
    const pending = runtime.api.request(get());
    let settled = false;
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(vi.getTimerCount()).toBe(0);
    const single = clockDeadline(systemClock())(50, undefined);
    single.dispose();
    expect(vi.getTimerCount()).toBe(0);
    runtime.dispose();
  });
});
