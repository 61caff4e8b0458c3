import { systemClock } from '../../../src/resilience/core/clock';
import { BACKGROUND_BACKOFF, backgroundRetryPolicy, interactiveRetryPolicy } from '../../../src/resilience/policies/retryProfiles';
import { exponentialBackoffBounds } from '../../../src/resilience/policies/backoff';
import { runWithRetry } from '../../../src/resilience/policies/retry';
import { ResilienceError, type Result } from '../../../src/resilience';
import { flagsWith, hangingFetch, json, networkError, scriptedFetch, testRuntime, useFakeClock } from './helpers';

const failure = <T = never>(code: ResilienceError['code'], extra: { retryAfterMs?: number } = {}): Result<T, ResilienceError> => ({
  ok: false,
  error: new ResilienceError(code, code, extra),
});

/** A random source cycling through the extremes and the middle, so bounds are exercised. */
const cyclingRandom = () => {
  const values = [0, 0.999999, 0.5, 0.25, 0.75];
  let i = 0;
  return () => values[i++ % values.length] as number;
};

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retry with exponential backoff (background profile)', () => {
  it('keeps every delay within its jitter bounds and schedules nothing after two minutes', async () => {
    const clock = systemClock();
    const startedAt = clock.now();
    const scheduled: { retry: number; delayMs: number; at: number }[] = [];
    let attempts = 0;
    const outcome = runWithRetry(async () => (attempts++, failure('HTTP_5XX')), backgroundRetryPolicy(), {
      clock,
      random: cyclingRandom(),
      onRetry: (attempt, delayMs) => scheduled.push({ retry: attempt - 1, delayMs, at: clock.now() }),
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const result = await outcome;

    expect(result).toMatchObject({ ok: false, stopReason: 'maxElapsed', fallbackAdvised: true });
    expect(scheduled.length).toBeGreaterThan(10);
    for (const { retry, delayMs, at } of scheduled) {
      const { minMs, maxMs } = exponentialBackoffBounds(BACKGROUND_BACKOFF, retry);
      expect(delayMs, `retry ${retry}`).toBeGreaterThanOrEqual(minMs);
      expect(delayMs, `retry ${retry}`).toBeLessThanOrEqual(maxMs);
      expect(delayMs).toBeLessThanOrEqual(10_000);
      expect(at + delayMs - startedAt).toBeLessThanOrEqual(120_000);
    }
    expect(scheduled[0]?.delayMs).toBe(50); // 100 ms × (1 − 0.5) with random 0
    expect(scheduled[1]?.delayMs).toBe(300); // 200 ms × (1 + 0.5) with random ≈ 1
    expect(attempts).toBe(scheduled.length + 1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops retrying as soon as an attempt succeeds', async () => {
    const replies: Result<string, ResilienceError>[] = [failure('NETWORK'), failure('TIMEOUT'), { ok: true, value: 'done' }];
    const outcome = runWithRetry(async () => replies.shift() ?? failure<never>('UNKNOWN'), backgroundRetryPolicy(), { clock: systemClock(), random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(outcome).resolves.toEqual({ ok: true, value: 'done', attempts: 3 });
  });

  it('does not retry a non-retryable failure', async () => {
    let attempts = 0;
    const outcome = await runWithRetry(async () => (attempts++, failure('HTTP_4XX')), backgroundRetryPolicy(), { clock: systemClock(), random: () => 0.5 });
    expect(outcome).toMatchObject({ ok: false, stopReason: 'notRetryable', fallbackAdvised: false });
    expect(attempts).toBe(1);
  });
});

describe('Retry-After', () => {
  it('is honoured as the delay before the next attempt', async () => {
    const clock = systemClock();
    const attemptTimes: number[] = [];
    const replies: Result<number, ResilienceError>[] = [failure('RATE_LIMITED', { retryAfterMs: 7_000 }), { ok: true, value: 1 }];
    const outcome = runWithRetry(async () => (attemptTimes.push(clock.now()), replies.shift() ?? failure<never>('UNKNOWN')), backgroundRetryPolicy(), { clock, random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(6_999);
    expect(attemptTimes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attemptTimes).toHaveLength(2);
    expect((attemptTimes[1] as number) - (attemptTimes[0] as number)).toBe(7_000);
    await expect(outcome).resolves.toMatchObject({ ok: true });
  });

  it('is capped at 60 s', async () => {
    const delays: number[] = [];
    const replies: Result<number, ResilienceError>[] = [failure('HTTP_5XX', { retryAfterMs: 3_600_000 }), { ok: true, value: 1 }];
    const outcome = runWithRetry(async () => replies.shift() ?? failure<never>('UNKNOWN'), backgroundRetryPolicy(), {
      clock: systemClock(),
      random: () => 0.5,
      onRetry: (_a, delayMs) => delays.push(delayMs),
    });
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(outcome).resolves.toMatchObject({ ok: true, attempts: 2 });
    expect(delays).toEqual([60_000]);
  });

  it('longer than the remaining budget sends the caller to its fallback at once, without waiting', async () => {
    let attempts = 0;
    const outcome = await runWithRetry(async () => (attempts++, failure('HTTP_5XX', { retryAfterMs: 10_000 })), interactiveRetryPolicy(5_000), {
      clock: systemClock(),
      random: () => 0.5,
    });
    expect(outcome).toMatchObject({ ok: false, stopReason: 'retryAfterBeyondBudget', fallbackAdvised: true });
    expect(attempts).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('interactive profile', () => {
  it('makes at most 2 retries', async () => {
    let attempts = 0;
    const outcome = runWithRetry(async () => (attempts++, failure('NETWORK')), interactiveRetryPolicy(), { clock: systemClock(), random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(outcome).resolves.toMatchObject({ ok: false, stopReason: 'exhausted', attempts: 3 });
    expect(attempts).toBe(3);
  });
});

describe('cancellation', () => {
  it('an abort during a backoff wait ends with no further attempt and no pending timer', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const outcome = runWithRetry(async () => (attempts++, failure('NETWORK')), backgroundRetryPolicy(), {
      clock: systemClock(),
      random: () => 0.5,
      signal: controller.signal,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toBe(1);
    expect(vi.getTimerCount()).toBe(1); // the backoff wait
    controller.abort();
    await expect(outcome).resolves.toMatchObject({ ok: false, stopReason: 'aborted', error: { code: 'ABORTED' } });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toBe(1);
  });

  it('through the API client: abort mid-backoff leaves no timer and makes no further request', async () => {
    const { fetch, calls } = scriptedFetch(networkError());
    // Connectivity off: its health re-probe timer would otherwise (rightly) be pending too.
    const { runtime } = testRuntime({ api: { fetch }, flags: { source: flagsWith({ connectivity: false }) } });
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    const controller = new AbortController();
    const pending = runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', signal: controller.signal });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'ABORTED' }, fallbackAdvised: false });
    expect(vi.getTimerCount()).toBe(1); // no backoff timer: only the first attempt's shared deadline, left to lapse
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });

  it('an abort during an attempt ends it as ABORTED (not a timeout, not retried)', async () => {
    const { fetch, calls } = scriptedFetch(hangingFetch);
    const { runtime } = testRuntime({ api: { fetch } });
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    const controller = new AbortController();
    const pending = runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons', signal: controller.signal });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1); // no backoff timer: only the shared deadline, left to lapse
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('what may be retried', () => {
  it('a POST without an Idempotency-Key is never retried', async () => {
    const { fetch, calls } = scriptedFetch(json({ error: { code: 'DOWN', message: 'down' } }, 503));
    const { runtime } = testRuntime({ api: { fetch } });
    await vi.dynamicImportSettled(); // the API client's code (the afterFirstLoad chunk) is there
    const pending = runtime.api.request({ op: 'answers.submit', method: 'POST', path: '/api/answers', body: { answer: '3/4' } });
    await vi.advanceTimersByTimeAsync(30_000);
    await expect(pending).resolves.toMatchObject({ ok: false, attempts: 1, error: { code: 'HTTP_5XX' } });
    expect(calls).toHaveLength(1);
    runtime.dispose();
  });

  it('a POST with an Idempotency-Key is retried with the same key', async () => {
    const { fetch, calls } = scriptedFetch(json({ error: { code: 'DOWN', message: 'down' } }, 503), json({ correct: true }));
    const { runtime } = testRuntime({ api: { fetch } });
    const pending = runtime.api.request({ op: 'answers.submit', method: 'POST', path: '/api/answers', body: { answer: '3/4' }, idempotencyKey: 'key-1' });
    await vi.advanceTimersByTimeAsync(30_000);
    await expect(pending).resolves.toMatchObject({ ok: true, attempts: 2, value: { correct: true } });
    expect(calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key'])).toEqual(['key-1', 'key-1']);
    runtime.dispose();
  });

  it('a timed-out GET is retried and reported as TIMEOUT', async () => {
    const { fetch, calls } = scriptedFetch(hangingFetch, json({ lessons: [] }));
    const { runtime, ofType } = testRuntime({ api: { fetch, defaultTimeoutMs: 1_000 } });
    const pending = runtime.api.request({ op: 'lessons', method: 'GET', path: '/api/lessons' });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(pending).resolves.toMatchObject({ ok: true, attempts: 2 });
    expect(calls).toHaveLength(2);
    expect(ofType('request.attempted').map((e) => e.code)).toEqual(['TIMEOUT', undefined]);
    expect(ofType('retry.scheduled')).toHaveLength(1);
    runtime.dispose();
  });
});
