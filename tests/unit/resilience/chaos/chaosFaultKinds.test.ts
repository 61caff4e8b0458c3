import { describeError } from '../../../../src/app/errors/describeError';
import { createChaosEngine } from '../../../../src/resilience/chaos/chaosEngine';
import { createEventBus } from '../../../../src/resilience/core/eventBus';
import { systemClock } from '../../../../src/resilience/core/clock';
import { CHAOS_SCENARIOS, runtimeChaos, type ChaosRule, type ChaosSettings, type RuntimeChaos } from '../../../../src/resilience';
import type { ChaosKey } from '../../../../src/resilience/chaos/chaosScenarios';
import { fakeWebSocketFactory } from '../helpers/fakeWebSocket';
import { json, scriptedFetch, testRuntime, useFakeClock } from '../helpers';
import { answer, freshFactory, outboxRuntime, performanceNow, useOutboxClock } from '../outboxHelpers';

const settings = (seed: number, rules: readonly ChaosRule[], scenario = 'test'): ChaosSettings => ({ seed, scenario, rules });
/** The runtime's `chaos` option for these settings. */
const chaosOf = (...args: Parameters<typeof settings>): RuntimeChaos => runtimeChaos(settings(...args));

function decisions(seed: number, rules: readonly ChaosRule[], key: ChaosKey, calls: number, interleave?: ChaosKey) {
  const engine = createChaosEngine(settings(seed, rules), createEventBus(systemClock()));
  return Array.from({ length: calls }, () => {
    if (interleave) engine.decide(interleave, 'other');
    return engine.decide(key, 'target')?.kind ?? '-';
  });
}

describe('runtime chaos beyond HTTP: seeded per key', () => {
  it('the same seed gives the same sequence per key, however other keys interleave; another seed another', () => {
    const rules = CHAOS_SCENARIOS.everything ?? [];
    for (const key of ['socket', 'storage', 'clock', 'memory'] as const) {
      const alone = decisions(11, rules, key, 400);
      expect(alone.some((kind) => kind !== '-')).toBe(true);
      expect(decisions(11, rules, key, 400, 'backend')).toEqual(alone);
      expect(decisions(12, rules, key, 400)).not.toEqual(alone);
    }
  });

  it('injects each key at its rate', () => {
    const kinds = decisions(3, [{ key: 'storage', kind: 'closed', rate: 0.25 }], 'storage', 10_000);
    const rate = kinds.filter((k) => k === 'closed').length / kinds.length;
    expect(rate).toBeGreaterThan(0.23);
    expect(rate).toBeLessThan(0.27);
  });

  it('every named scenario parses and each new key has one', () => {
    for (const name of ['storage-closed', 'storage-quota', 'socket-drop', 'socket-silent', 'clock-jump', 'memory-pressure', 'everything']) expect(CHAOS_SCENARIOS[name]?.length).toBeGreaterThan(0);
  });
});

describe('storage faults are handled by the real database layer and outbox', () => {
  beforeEach(() => {
    useOutboxClock();
    performanceNow.value = 0;
  });
  afterEach(() => vi.useRealTimers());

  async function queuedAfterReload(factory: IDBFactory): Promise<number> {
    const { runtime } = outboxRuntime({ api: { fetch: () => Promise.reject(new TypeError('Failed to fetch')) }, factory, userId: 'ada' });
    await runtime.outbox.start();
    const pending = runtime.outbox.snapshot().pending;
    runtime.dispose();
    return pending;
  }

  it('a closed connection (the real InvalidStateError) is reopened by self-healing and the answer is stored', async () => {
    const factory = freshFactory();
    const offline = () => Promise.reject(new TypeError('Failed to fetch'));
    const { runtime, ofType } = outboxRuntime({ api: { fetch: offline }, factory, userId: 'ada', chaos: chaosOf(5, [{ key: 'storage', kind: 'closed', rate: 1 }]) });
    const entry = await runtime.outbox.submit(answer('A', 1));
    await runtime.outbox.submit(answer('A', 2));
    expect(entry.durable).toBe(true);
    expect(ofType('chaos.injected').length).toBeGreaterThanOrEqual(2);
    expect(ofType('chaos.injected')[0]).toMatchObject({ key: 'storage', kind: 'closed', seq: 1, target: expect.stringMatching(/^resilience\//) });
    expect(ofType('heal.attempted')).toContainEqual(expect.objectContaining({ strategy: 'storageReconnection', code: 'STORAGE_CLOSED' }));
    runtime.dispose();
    expect(await queuedAfterReload(factory)).toBe(2);
  });

  it('a full quota takes the quota path: STORAGE_QUOTA with a clear message, nothing saved before is lost', async () => {
    const factory = freshFactory();
    const offline = () => Promise.reject(new TypeError('Failed to fetch'));
    const before = outboxRuntime({ api: { fetch: offline }, factory, userId: 'ada' });
    await before.runtime.outbox.submit(answer('A', 1));
    before.runtime.dispose();

    const { runtime, ofType } = outboxRuntime({ api: { fetch: offline }, factory, userId: 'ada', chaos: chaosOf(5, [{ key: 'storage', kind: 'quota', rate: 1 }]) });
    const refused = await runtime.outbox.submit(answer('A', 2)).then(() => undefined, (error: unknown) => error);
    expect(refused).toMatchObject({ code: 'STORAGE_QUOTA' });
    expect(describeError(refused)).toMatch(/out of storage space.*Nothing you saved before is lost/);
    expect(ofType('chaos.injected')[0]).toMatchObject({ key: 'storage', kind: 'quota' });
    runtime.dispose();
    expect(await queuedAfterReload(factory)).toBe(1);
  });
});

describe('socket, clock and memory faults are handled by the real mechanisms', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  const socketConfig = (WebSocketImpl: ReturnType<typeof fakeWebSocketFactory>['WebSocketImpl']) => ({ url: 'ws://tutor.test/ws/tutor?session=s1', session: 's1', WebSocketImpl, pingIntervalMs: 1_000 });

  it('a dropped socket is closed for real, reported as a lost connection (1006), and the real reconnect opens another', async () => {
    const fake = fakeWebSocketFactory();
    const { runtime, ofType } = testRuntime({ socket: socketConfig(fake.WebSocketImpl), chaos: chaosOf(1, [{ key: 'socket', kind: 'drop', rate: 1 }]) });
    await vi.dynamicImportSettled(); // the socket's code is there
    const first = fake.last();
    first.accept();
    first.push({ t: 'welcome', session: 's1', seq: 0 });
    expect(first.closedWith).toBe(4001); // the wrapper closed the real connection…
    first.drop(4001); // …and the browser fires its close event
    expect(runtime.socket?.snapshot()).toMatchObject({ state: 'closed', reason: 'closed (1006)' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.sockets).toHaveLength(2);
    expect(ofType('chaos.injected')).toEqual([expect.objectContaining({ key: 'socket', kind: 'drop', target: 'ws /ws/tutor', seq: 1 })]);
    runtime.dispose();
  });

  it('a socket gone silent (half-open: no frame, no close) is caught by the heartbeat and replaced', async () => {
    // A seed whose first socket decision passes (the welcome) and whose second goes silent.
    const rules: ChaosRule[] = [{ key: 'socket', kind: 'silent', rate: 0.5 }];
    const seed = Array.from({ length: 50 }, (_, i) => i + 1).find((s) => decisions(s, rules, 'socket', 2).join() === '-,silent');
    if (seed === undefined) throw new Error('no seed found');
    const fake = fakeWebSocketFactory();
    const { runtime } = testRuntime({ socket: socketConfig(fake.WebSocketImpl), chaos: chaosOf(seed, rules) });
    await vi.dynamicImportSettled(); // the socket's code is there
    const first = fake.last();
    first.accept();
    first.push({ t: 'welcome', session: 's1', seq: 0 });
    expect(runtime.socket?.snapshot().state).toBe('open');
    first.push({ t: 'pong' } as never); // swallowed: from now on nothing arrives and nothing leaves
    const sentBefore = first.sent.length;
    await vi.advanceTimersByTimeAsync(2_100);
    expect(first.sent.length).toBe(sentBefore);
    expect(runtime.socket?.stats().staleDetections).toBe(1);
    expect(first.closedWith).toBe(4000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.sockets.length).toBeGreaterThanOrEqual(2);
    runtime.dispose();
  });

  it('a clock jump of 10 minutes is seen by the breaker: its open period is over without waiting 30 s', async () => {
    const server = scriptedFetch(json({}, 503), json({}, 503), json({}, 503), json({}, 503), json({}, 503), json({ ok: true }));
    const { runtime, ofType } = testRuntime({ api: { fetch: server.fetch }, chaos: chaosOf(1, [{ key: 'clock', kind: 'jump', rate: 1, jumpMs: 600_000 }]) });
    for (let i = 0; i < 5; i++) await runtime.api.request({ op: 'x', method: 'GET', path: '/api/lessons', retry: false });
    expect(ofType('breaker.opened')).toHaveLength(1);
    const wallBefore = runtime.clock.now();
    await vi.advanceTimersByTimeAsync(5_000); // one chaos tick
    expect(runtime.clock.now() - wallBefore).toBeGreaterThanOrEqual(600_000);
    expect(ofType('chaos.injected')).toEqual([expect.objectContaining({ key: 'clock', kind: 'jump', jumpMs: 600_000, seq: 1 })]);
    await expect(runtime.api.request({ op: 'x', method: 'GET', path: '/api/lessons', retry: false })).resolves.toMatchObject({ ok: true });
    runtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('injected memory pressure runs the real memory clean-up (the in-memory response cache is emptied)', async () => {
    const { fetch } = scriptedFetch(json({ lessons: [] }));
    const { runtime, ofType } = testRuntime({ api: { fetch }, storage: { indexedDB: null }, userId: 'ada', chaos: chaosOf(1, [{ key: 'memory', kind: 'pressure', rate: 1 }]) });
    await runtime.api.request({ op: 'lesson_list', method: 'GET', path: '/api/lessons', cache: { key: 'lessons', mode: 'fallback' } });
    expect(await runtime.cache.get('ada', 'lessons')).toBeDefined();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ofType('heal.attempted')).toEqual([expect.objectContaining({ strategy: 'memoryCleanup', code: 'MEMORY_PRESSURE' })]);
    expect(await runtime.cache.get('ada', 'lessons')).toBeUndefined();
    runtime.dispose();
  });
});
