import { createMetricsCollector } from '../../../../src/resilience/predictor/metricsCollector';
import { fakeWorld } from './fakes';

function collector(world: ReturnType<typeof fakeWorld>, seams = world.seams(), extra: { onBadEvent?: () => void; lagIntervalMs?: number } = {}) {
  const errors: string[] = [];
  const c = createMetricsCollector({ clock: world.clock, events: world.events, seams, onError: (source) => errors.push(source), ...extra });
  return { c, errors };
}

describe('MetricsCollector from the runtime bus', () => {
  it('reports error rate, p95 per backend, timeouts and retries over the short window, and forgets older ones', () => {
    const world = fakeWorld();
    const { c } = collector(world, {});
    c.start();
    for (let i = 0; i < 18; i++) world.succeed(200);
    world.succeed(4000, 'tutor');
    world.fail(9000, 'TIMEOUT');
    world.events.emit('retry.scheduled', { backend: 'api', op: 'x', attempt: 1, delayMs: 100, reason: 'TIMEOUT' });
    const now = c.snapshot();
    expect(now).toMatchObject({ requests: 20, errorRate: 0.05, timeouts: 1, retries: 1 });
    expect(now.p95LatencyMs).toBe(9000); // the worst backend's p95 (api: 18 fast + one 9 s timeout)
    world.clock.advanceTo(world.clock.now() + 40_000);
    expect(c.snapshot()).toMatchObject({ requests: 0, errorRate: 0, p95LatencyMs: 0, timeouts: 0 });
  });

  it('tracks breakers, socket staleness and reconnects, outbox depth and age, storage errors', () => {
    const world = fakeWorld();
    const { c } = collector(world, {});
    c.start();
    world.events.emit('breaker.opened', { backend: 'api', reason: 'x', reopenAt: 0 });
    world.events.emit('socket.state', { state: 'stale' });
    world.events.emit('socket.reconnectScheduled', { attempt: 1, delayMs: 100, reason: 'stale' });
    world.events.emit('outbox.enqueued', { pending: 1, id: 'a', scope: 's', durable: true });
    world.clock.advanceTo(world.clock.now() + 7000);
    world.events.emit('outbox.enqueued', { pending: 2, id: 'b', scope: 's', durable: true });
    world.events.emit('storage.degraded', { store: 'outbox', reason: 'quota' });
    expect(c.snapshot()).toMatchObject({ openBreakers: ['api'], socketState: 'stale', socketStales: 1, socketReconnects: 1, outboxPending: 2, outboxOldestAgeMs: 7000, storageErrors: 1 });
    world.events.emit('breaker.closed', { backend: 'api', reason: 'probe' });
    world.events.emit('outbox.sent', { pending: 1, id: 'a', scope: 's', attempts: 1 });
    expect(c.snapshot()).toMatchObject({ openBreakers: [], outboxPending: 1, outboxOldestAgeMs: 0 });
  });

  it('reads a latency rise as a positive slope and a single spike as none', () => {
    const world = fakeWorld();
    const { c } = collector(world, {});
    c.start();
    const start = world.clock.now();
    for (let s = 0; s < 60; s++) {
      world.clock.advanceTo(start + s * 1000);
      world.succeed(300 + s * 50); // +50 ms per second
    }
    const rising = c.snapshot();
    expect(rising.latencySlopeMsPerS).toBeGreaterThan(40);
    expect(rising.latencySlopeMsPerS).toBeLessThan(60);

    const spiky = fakeWorld();
    const { c: c2 } = collector(spiky, {});
    c2.start();
    const t0 = spiky.clock.now();
    for (let s = 0; s < 60; s++) {
      spiky.clock.advanceTo(t0 + s * 1000);
      spiky.succeed(s >= 55 ? 6000 : 300);
    }
    expect(c2.snapshot().latencySlopeMsPerS).toBeLessThan(5);
  });

  it('counts failures, slow successes, stale sockets and opened breakers as bad events', () => {
    const world = fakeWorld();
    const bad = vi.fn();
    const { c } = collector(world, {}, { onBadEvent: bad });
    c.start();
    world.succeed(200);
    world.succeed(3500);
    world.fail(100);
    world.events.emit('socket.state', { state: 'stale' });
    world.events.emit('breaker.opened', { backend: 'api', reason: 'x', reopenAt: 0 });
    expect(bad).toHaveBeenCalledTimes(4);
  });
});

describe('MetricsCollector from the browser', () => {
  it('observes long animation frames (preferred over longtask), pressure, memory, network and device memory', () => {
    const world = fakeWorld();
    const { c } = collector(world, world.seams(), { lagIntervalMs: 0 });
    c.start();
    expect(world.observed.frames).toEqual(['long-animation-frame']);
    world.frame(300);
    world.frame(300);
    world.pressure('serious');
    world.memory.usedJSHeapSize = 3.6e9;
    world.connection.effectiveType = '2g';
    expect(c.snapshot()).toMatchObject({
      longTaskMsPerS: 20, // 600 ms over the 30 s window
      pressure: 'serious',
      memoryRatio: 0.9,
      network: { effectiveType: '2g', rttMs: 50, saveData: false },
      deviceMemoryGb: 8,
    });
    expect(world.measured.calls).toBe(0); // not cross-origin isolated
  });

  it('falls back to longtask where long-animation-frame is not supported', () => {
    const world = fakeWorld();
    const { c } = collector(world, world.seams(['longtask']), { lagIntervalMs: 0 });
    c.start();
    expect(world.observed.frames).toEqual(['longtask']);
  });

  it('uses measureUserAgentSpecificMemory only when cross-origin isolated', async () => {
    const world = fakeWorld();
    const { c } = collector(world, { ...world.seams(), crossOriginIsolated: true }, { lagIntervalMs: 0 });
    c.start();
    c.snapshot();
    await Promise.resolve();
    await Promise.resolve();
    expect(world.measured.calls).toBe(1);
    expect(c.snapshot().memoryRatio).toBeCloseTo(0.975);
  });

  it('measures event-loop lag as timer drift on the runtime clock', () => {
    // A clock whose timers the test fires by hand, late, as a busy main thread would.
    let now = 0;
    const pending: { due: number; callback: () => void }[] = [];
    const clock = { now: () => now, setTimeout: (callback: () => void, delayMs: number) => pending.push({ due: now + delayMs, callback }), clearTimeout: () => undefined };
    const world = fakeWorld();
    const c = createMetricsCollector({ clock, events: world.events, seams: {}, lagIntervalMs: 1000, onError: () => undefined });
    c.start();
    const timer = pending.shift()!;
    now = timer.due + 400;
    timer.callback();
    expect(c.snapshot().eventLoopLagMs).toBe(400);
    expect(c.active()).toContain('eventLoopLag');
  });

  it('reports absent APIs as undefined and registers nothing for them', () => {
    const world = fakeWorld();
    const { c } = collector(world, {}, { lagIntervalMs: 0 });
    c.start();
    expect(c.snapshot()).toMatchObject({ memoryRatio: undefined, longTaskMsPerS: undefined, pressure: undefined, network: undefined, deviceMemoryGb: undefined, eventLoopLagMs: undefined });
    expect(c.active()).toEqual(['events']);
  });

  it('observes nothing before start and disconnects everything on stop', () => {
    const world = fakeWorld();
    const { c } = collector(world);
    expect(world.observed).toEqual({ frames: [], pressure: 0, disconnected: 0 });
    expect(c.active()).toEqual([]);
    c.start();
    expect(c.active()).toEqual(['events', 'memory', 'long-animation-frame', 'pressure', 'eventLoopLag']);
    c.stop();
    expect(c.active()).toEqual([]);
    expect(world.observed.disconnected).toBe(2);
    world.succeed(100);
    expect(c.snapshot().requests).toBe(0);
  });

  it('reports an observer that throws and keeps the other sources', () => {
    const world = fakeWorld();
    const broken = {
      ...world.seams(),
      PerformanceObserver: Object.assign(
        class {
          constructor() {
            throw new Error('no observer here');
          }
        },
        { supportedEntryTypes: ['longtask'] },
      ) as never,
    };
    const { c, errors } = collector(world, broken, { lagIntervalMs: 0 });
    c.start();
    expect(errors).toEqual(['longtask']);
    expect(c.active()).toContain('pressure');
  });
});
