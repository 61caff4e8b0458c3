import { systemClock } from '../../../../src/resilience/core/clock';
import { createEventBus } from '../../../../src/resilience/core/eventBus';
import type { RecoveryFinished } from '../../../../src/resilience/core/events';
import { attachMonitor, createResilienceMonitor } from '../../../../src/resilience/monitoring/resilienceMonitor';

const MINUTE = 60_000;

describe('ResilienceMonitor on synthetic event streams', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const world = () => {
    const clock = systemClock();
    const events = createEventBus(clock);
    const monitor = createResilienceMonitor({ clock });
    attachMonitor(monitor, events);
    return { events, monitor };
  };

  it('self-healing success rate and attempts come from heal events', () => {
    const { events, monitor } = world();
    for (let i = 0; i < 4; i++) events.emit('heal.attempted', { strategy: 'apiRetry', code: 'NETWORK' });
    events.emit('heal.succeeded', { strategy: 'apiRetry', code: 'NETWORK' });
    events.emit('heal.succeeded', { strategy: 'apiRetry', code: 'NETWORK' });
    events.emit('heal.succeeded', { strategy: 'apiRetry', code: 'NETWORK' });
    events.emit('heal.failed', { strategy: 'apiRetry', code: 'NETWORK', message: 'no' });
    const { sinceStart } = monitor.getMetrics();
    expect(sinceStart.selfHealing).toEqual({ attempts: 4, succeeded: 3, failed: 1, successRate: 0.75 });
  });

  it('success rate is null, not 0 or NaN, before any heal finished', () => {
    const { monitor } = world();
    expect(monitor.getMetrics().sinceStart.selfHealing.successRate).toBeNull();
  });

  it('breaker trips per backend and fallback activations per op type and strategy', () => {
    const { events, monitor } = world();
    events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    events.emit('breaker.opened', { backend: 'tutor', reason: 'failures', reopenAt: 0 });
    events.emit('breaker.closed', { backend: 'api', reason: 'probe' });
    events.emit('fallback.used', { op: 'lesson', strategy: 'cache', stale: true });
    events.emit('fallback.used', { op: 'lesson', strategy: 'cache', stale: true });
    events.emit('fallback.used', { op: 'tutor', strategy: 'localHints', stale: false });
    const { sinceStart } = monitor.getMetrics();
    expect(sinceStart.breakerTrips).toEqual({ api: 2, tutor: 1 });
    expect(sinceStart.fallbackActivations).toEqual({ lesson: { cache: 2 }, tutor: { localHints: 1 } });
  });

  it('mean and p95 recovery time per method; failed recoveries are counted but not timed', () => {
    const { events, monitor } = world();
    for (let ms = 10; ms <= 200; ms += 10) {
      events.emit('recovery.finished', { op: 'lesson', result: { escalated: false, code: 'HTTP_5XX', callers: 1, status: 'recovered', method: 'fallback', strategy: 'cache', durationMs: ms } });
    }
    events.emit('recovery.finished', { op: 'ask', result: { escalated: false, code: 'HTTP_5XX', callers: 1, status: 'healed', method: 'self_healing', durationMs: 40 } });
    events.emit('recovery.finished', { op: 'ask', result: { code: 'HTTP_5XX', callers: 1, status: 'failed', escalated: true, durationMs: 9_000 } });
    events.emit('recovery.finished', { op: 'odd', result: 'not an object' as unknown as RecoveryFinished });
    const { sinceStart } = monitor.getMetrics();
    expect(sinceStart.recoveryTime.fallback).toEqual({ count: 20, meanMs: 105, p95Ms: 190 });
    expect(sinceStart.recoveryTime.self_healing).toEqual({ count: 1, meanMs: 40, p95Ms: 40 });
    expect(Object.keys(sinceStart.recoveryTime).sort()).toEqual(['fallback', 'self_healing']);
    expect(sinceStart.recoveries).toEqual({ recovered: 20, healed: 1, failed: 1, unknown: 1 });
  });

  it('predictive alerts count rises in risk level, not every prediction', () => {
    const { events, monitor } = world();
    const predict = (score: number, level: 'low' | 'medium' | 'high') => events.emit('prediction', { score, level, factors: [], scorer: 'trend', reason: 'test' });
    predict(0.1, 'low');
    predict(0.5, 'medium'); // alert
    predict(0.55, 'medium');
    predict(0.9, 'high'); // alert
    predict(0.2, 'low');
    predict(0.8, 'high'); // alert
    const metrics = monitor.getMetrics();
    expect(metrics.sinceStart.predictiveAlerts).toBe(3);
    expect(metrics.risk).toEqual({ score: 0.8, level: 'high' });
  });

  it('outbox depth, oldest entry age, dead letters and socket reconnects', () => {
    const { events, monitor } = world();
    events.emit('outbox.enqueued', { pending: 1, id: 'a', scope: 's', durable: true });
    vi.advanceTimersByTime(3_000);
    events.emit('outbox.enqueued', { pending: 2, id: 'b', scope: 's', durable: true });
    vi.advanceTimersByTime(2_000);
    expect(monitor.getMetrics().outbox).toEqual({ depth: 2, oldestEntryAgeMs: 5_000 });
    events.emit('outbox.sent', { pending: 1, id: 'a', scope: 's', attempts: 1 });
    expect(monitor.getMetrics().outbox).toEqual({ depth: 1, oldestEntryAgeMs: 2_000 });
    events.emit('outbox.deadLettered', { pending: 0, deadLettered: 1, id: 'b', scope: 's', reason: 'rejected' });
    expect(monitor.getMetrics().outbox).toEqual({ depth: 0, oldestEntryAgeMs: null });

    events.emit('socket.state', { state: 'connecting' });
    events.emit('socket.state', { state: 'open' }); // the first open is a connect, not a reconnect
    events.emit('socket.state', { state: 'closed' });
    events.emit('socket.state', { state: 'open' });
    events.emit('socket.state', { state: 'stale' });
    events.emit('socket.state', { state: 'open' });
    const metrics = monitor.getMetrics();
    expect(metrics.sinceStart.socketReconnects).toBe(2);
    expect(metrics.sinceStart.deadLetters).toBe(1);
    expect(metrics.socket.state).toBe('open');
  });

  it('errors by code from failed requests and escalations', () => {
    const { events, monitor } = world();
    events.emit('request.failed', { backend: 'api', op: 'lesson', code: 'HTTP_5XX', status: 503, durationMs: 5, attempts: 3, fallbackAdvised: false });
    events.emit('request.failed', { backend: 'api', op: 'lesson', code: 'NETWORK', durationMs: 5, attempts: 1, fallbackAdvised: false });
    events.emit('escalation.raised', { id: 'x', op: 'lesson', code: 'HTTP_5XX', message: 'm' });
    expect(monitor.getMetrics().sinceStart.errors).toEqual({ HTTP_5XX: 2, NETWORK: 1 });
  });

  it('the last-5-minutes window forgets what is older; since-start keeps it', () => {
    const { events, monitor } = world();
    events.emit('breaker.opened', { backend: 'api', reason: 'r', reopenAt: 0 });
    events.emit('recovery.finished', { op: 'lesson', result: { escalated: false, code: 'HTTP_5XX', callers: 1, status: 'recovered', method: 'retry', durationMs: 900 } });
    vi.advanceTimersByTime(4 * MINUTE);
    events.emit('breaker.opened', { backend: 'api', reason: 'r', reopenAt: 0 });
    events.emit('recovery.finished', { op: 'lesson', result: { escalated: false, code: 'HTTP_5XX', callers: 1, status: 'recovered', method: 'retry', durationMs: 100 } });
    expect(monitor.getMetrics().lastWindow.breakerTrips).toEqual({ api: 2 });

    vi.advanceTimersByTime(2 * MINUTE);
    const metrics = monitor.getMetrics();
    expect(metrics.lastWindow.breakerTrips).toEqual({ api: 1 });
    expect(metrics.lastWindow.recoveryTime.retry).toEqual({ count: 1, meanMs: 100, p95Ms: 100 });
    expect(metrics.sinceStart.breakerTrips).toEqual({ api: 2 });
    expect(metrics.sinceStart.recoveryTime.retry).toEqual({ count: 2, meanMs: 500, p95Ms: 900 });

    vi.advanceTimersByTime(10 * MINUTE);
    expect(monitor.getMetrics().lastWindow.breakerTrips).toEqual({});
    expect(monitor.getMetrics().lastWindow.recoveryTime).toEqual({});
  });
});
