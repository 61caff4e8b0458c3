import { systemClock } from '../../../src/resilience/core/clock';
import { ResilienceError } from '../../../src/resilience/core/errors';
import { circuitBreaker } from '../../../src/resilience/policies/breakerPolicy';
import { wrap } from '../../../src/resilience/policies/policy';
import { retry } from '../../../src/resilience/policies/retryPolicy';
import { timeout } from '../../../src/resilience/policies/timeoutPolicy';
import { consecutiveFailures } from '../../../src/resilience/policies/tripRules';
import { useFakeClock } from './helpers';

const http503 = () => new ResilienceError('HTTP_5XX', 'HTTP 503', { status: 503 });
const never = () => new Promise<never>(() => undefined);

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('standalone policies composed with wrap', () => {
  it('retry runs a failing operation again with backoff and resolves with the later success', async () => {
    const clock = systemClock();
    let calls = 0;
    const result = retry({ clock, random: () => 0.5 }).execute(async ({ attempt }) => {
      calls++;
      if (attempt < 3) throw http503();
      return 'lesson';
    });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(result).resolves.toBe('lesson');
    expect(calls).toBe(3);
  });

  it('retry gives up at once on a failure that is not retryable', async () => {
    let calls = 0;
    const result = await retry({ clock: systemClock() }).run(async () => {
      calls++;
      throw new ResilienceError('HTTP_4XX', 'HTTP 422', { status: 422 });
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('HTTP_4XX');
    expect(calls).toBe(1);
  });

  it('timeout settles with TIMEOUT at its deadline even when the operation ignores its signal', async () => {
    const clock = systemClock();
    let seen: AbortSignal | undefined;
    const result = timeout(1_000, { clock, backend: 'notes' }).run(async ({ signal }) => {
      seen = signal;
      return never();
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const settled = await result;
    expect(!settled.ok && settled.error.code).toBe('TIMEOUT');
    expect(seen?.aborted).toBe(true);
  });

  it("timeout reports the caller's abort as ABORTED, not as a timeout", async () => {
    const controller = new AbortController();
    const result = timeout(1_000, { clock: systemClock() }).run(() => never(), controller.signal);
    controller.abort();
    const settled = await result;
    expect(!settled.ok && settled.error.code).toBe('ABORTED');
  });

  it('a breaker inside a retry counts every attempt, opens, and then fails fast without running the operation', async () => {
    const clock = systemClock();
    const breaker = circuitBreaker({ backend: 'notes', clock, tripRules: [consecutiveFailures(3)], openDurationMs: 30_000 });
    const policy = wrap(retry({ clock, random: () => 0, policy: 'interactive' }), breaker);
    let calls = 0;
    const first = policy.run(async () => {
      calls++;
      throw http503();
    });
    await vi.advanceTimersByTimeAsync(5_000);
    const failed = await first;
    expect(!failed.ok && failed.error.code).toBe('HTTP_5XX');
    expect(calls).toBe(3);
    expect(breaker.breaker.state().state).toBe('open');

    const rejected = await policy.run(async () => {
      calls++;
      return 'never runs';
    });
    expect(!rejected.ok && rejected.error.code).toBe('CIRCUIT_OPEN');
    expect(calls).toBe(3);
  });

  it('a hung half-open probe times out with the probe timeout and reopens the breaker', async () => {
    const clock = systemClock();
    const breaker = circuitBreaker({ backend: 'notes', clock, tripRules: [consecutiveFailures(1)], openDurationMs: 1_000, probeTimeoutMs: 500 });
    await breaker.run(async () => {
      throw http503();
    });
    await vi.advanceTimersByTimeAsync(1_000);
    const probe = breaker.run(() => never());
    await vi.advanceTimersByTimeAsync(500);
    const settled = await probe;
    expect(!settled.ok && settled.error.code).toBe('TIMEOUT');
    expect(breaker.breaker.state().state).toBe('open');
  });

  it('an abort does not count against the breaker', async () => {
    const clock = systemClock();
    const breaker = circuitBreaker({ backend: 'notes', clock, tripRules: [consecutiveFailures(1)] });
    const controller = new AbortController();
    const run = wrap(breaker, timeout(10_000, { clock })).run(() => never(), controller.signal);
    controller.abort();
    expect((await run).ok).toBe(false);
    expect(breaker.breaker.state().state).toBe('closed');
  });

  it('wrap with no policy runs the operation as it is', async () => {
    await expect(wrap().execute(async () => 42)).resolves.toBe(42);
  });
});
