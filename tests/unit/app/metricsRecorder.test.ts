import { createMetricsRecorder, p95, BUCKET_MS, HISTORY_MS } from '../../../src/react/metrics/metricsRecorder';
import type { ResilienceEvent } from '../../../src/resilience';

const attempt = (at: number, ok: boolean, durationMs: number): ResilienceEvent => ({ type: 'request.attempted', at, backend: 'api', op: 'x', attempt: 1, ok, durationMs });

describe('the developer panel metrics recorder', () => {
  it('buckets requests, errors and latencies per backend, and keeps the breaker timeline', () => {
    let now = 1_000_000;
    const recorder = createMetricsRecorder(() => now);
    recorder.record(attempt(now, true, 10));
    recorder.record(attempt(now + 1, false, 30));
    recorder.record({ type: 'breaker.opened', at: now + 2, backend: 'api', reason: 'failures', reopenAt: now + 30_000 });
    now += BUCKET_MS;
    recorder.record({ type: 'breaker.halfOpened', at: now, backend: 'api', reason: 'probe' });
    const history = recorder.history();
    expect(history.buckets[0]?.backends.api).toEqual({ requests: 2, errors: 1, durations: [10, 30] });
    expect(history.breakers.api?.map((t) => t.state)).toEqual(['closed', 'open', 'half-open']);
  });

  it('keeps only the last 10 minutes', () => {
    let now = 0;
    const recorder = createMetricsRecorder(() => now);
    for (; now <= HISTORY_MS + 60_000; now += BUCKET_MS) recorder.record(attempt(now, true, 1));
    const { buckets } = recorder.history();
    expect(buckets[0]?.start).toBeGreaterThanOrEqual(now - HISTORY_MS - BUCKET_MS);
    expect(buckets.length).toBeLessThanOrEqual(HISTORY_MS / BUCKET_MS + 2);
  });

  it('counts orchestrator results per method (or per failure) and lists chaos injections with their key', () => {
    const now = 2_000_000;
    const recorder = createMetricsRecorder(() => now);
    const finished = (method: 'self_healing' | 'fallback' | undefined, status: 'healed' | 'recovered' | 'failed'): ResilienceEvent => ({
      type: 'recovery.finished',
      at: now,
      op: 'x',
      result: { status, escalated: false, code: 'HTTP_5XX', durationMs: 5, callers: 1, ...(method ? { method } : {}) },
    });
    recorder.record(finished('fallback', 'recovered'));
    recorder.record(finished('fallback', 'recovered'));
    recorder.record(finished('self_healing', 'healed'));
    recorder.record(finished(undefined, 'failed'));
    recorder.record({ type: 'chaos.injected', at: now, key: 'storage', kind: 'closed', target: 'resilience/outbox readwrite', seq: 1, scenario: 's', seed: 1 });
    const history = recorder.history();
    expect(history.buckets[0]?.recoveries).toEqual({ fallback: 2, self_healing: 1, failed: 1 });
    expect(history.injections).toEqual([{ at: now, key: 'storage', seq: 1, kind: 'closed', target: 'resilience/outbox readwrite' }]);
  });

  it('computes a nearest-rank p95', () => {
    expect(p95([])).toBeNull();
    expect(p95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
    expect(p95([5])).toBe(5);
  });
});
