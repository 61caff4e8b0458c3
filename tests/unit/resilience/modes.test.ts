import { ResilienceError, deriveMode, memoryStorage, type ModeInputs } from '../../../src/resilience';
import { flagsWith, json, networkError, scriptedFetch, testRuntime, useFakeClock } from './helpers';

const calm: ModeInputs = {
  connectivity: 'online',
  breakers: { api: { state: 'closed', since: 0 } },
  fallbackAwaitingEvidence: undefined,
  predictionLevel: 'low',
  studentChoice: null,
};
const open = { state: 'open' as const, openedAt: 0, reopenAt: 30_000, reason: 'x' };
const halfOpen = { state: 'halfOpen' as const, since: 0, reason: 'x' };

describe('deriveMode', () => {
  it.each<[string, Partial<ModeInputs>, string, boolean, boolean]>([
    // name, inputs, mode, streamingAllowed, voiceAllowed
    ['all clear', {}, 'online', true, true],
    ['connectivity unknown is not offline', { connectivity: 'unknown' }, 'online', true, true],
    ['offline', { connectivity: 'offline' }, 'offline', false, true],
    ['offline beats an open breaker', { connectivity: 'offline', breakers: { api: open } }, 'offline', false, true],
    ['offline beats text-only', { connectivity: 'offline', studentChoice: 'text-only' }, 'offline', false, false],
    ['a breaker open', { breakers: { api: { state: 'closed', since: 0 }, tutor: open } }, 'degraded', true, true],
    ['a breaker half-open', { breakers: { api: halfOpen } }, 'degraded', true, true],
    ['a fallback with no healthy evidence since', { fallbackAwaitingEvidence: 'lesson_data' }, 'degraded', true, true],
    ['predictor high', { predictionLevel: 'high' }, 'degraded', true, true],
    ['predictor elevated is not enough', { predictionLevel: 'elevated' }, 'online', true, true],
    ['predictor off', { predictionLevel: undefined }, 'online', true, true],
    ['text-only', { studentChoice: 'text-only' }, 'text-only', false, false],
    ['degraded beats text-only, which still turns voice and streaming off', { studentChoice: 'text-only', breakers: { api: open } }, 'degraded', false, false],
  ])('%s', (_name, inputs, mode, streamingAllowed, voiceAllowed) => {
    expect(deriveMode({ ...calm, ...inputs })).toMatchObject({ mode, streamingAllowed, voiceAllowed });
  });

  it('reports degraded inputs even when offline wins, and says why', () => {
    expect(deriveMode({ ...calm, connectivity: 'offline', breakers: { api: open } })).toMatchObject({ degraded: true, reason: 'connectivity offline' });
    expect(deriveMode({ ...calm, breakers: { tutor: open } }).reason).toBe('breaker tutor open');
  });
});

describe('runtime.modes', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('goes degraded while a breaker is open and back online when it closes, emitting mode.changed', async () => {
    const { fetch } = scriptedFetch(json({ error: { code: 'DOWN', message: 'x' } }, 503));
    const { runtime, ofType } = testRuntime({ api: { fetch }, flags: { source: flagsWith({ retry: false }) } });
    expect(runtime.modes.snapshot()).toMatchObject({ mode: 'online', streamingAllowed: true, voiceAllowed: true });
    for (let i = 0; i < 5; i++) await runtime.api.request({ op: 'x', method: 'GET', path: '/api/x' });
    expect(runtime.modes.snapshot()).toMatchObject({ mode: 'degraded', reason: 'breaker api open' });
    expect(ofType('mode.changed')).toEqual([expect.objectContaining({ mode: 'degraded', previous: 'online', reason: 'breaker api open' })]);
    runtime.dispose();
  });

  it('a fallback keeps the mode degraded until a request succeeds again, however long that takes, not for a fixed time', async () => {
    // Down until the test says so: the runtime's own health checks (evidenceRecheck) find it down meanwhile.
    let up = false;
    const { fetch } = scriptedFetch(() => (up ? json({ ok: true }) : json({ error: { code: 'DOWN', message: 'x' } }, 503)));
    const { runtime, ofType } = testRuntime({ api: { fetch }, flags: { source: flagsWith({ retry: false }) } });
    const seen: string[] = [];
    runtime.modes.subscribe((snapshot) => seen.push(snapshot.mode));
    runtime.fallback.registerStrategy('lesson_data', { name: 'snapshot', canHandle: () => true, execute: async () => ({ ok: true, value: 1 }) });
    await runtime.fallback.executeWithFallback(async () => ({ ok: false, error: new ResilienceError('NETWORK', 'down') }), 'lesson_data');
    expect(runtime.modes.snapshot()).toMatchObject({ mode: 'degraded', awaitingEvidence: true, reason: 'fallback served (lesson_data); no healthy evidence since' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runtime.modes.snapshot().mode).toBe('degraded');

    up = true;
    await runtime.api.request({ op: 'progress', method: 'GET', path: '/api/progress' }); // the backend answers again
    expect(runtime.modes.snapshot()).toMatchObject({ mode: 'online', awaitingEvidence: false });
    expect(seen).toEqual(['degraded', 'online']);
    expect(ofType('mode.changed').map((e) => e.mode)).toEqual(['degraded', 'online']);
    runtime.dispose();
  });

  it('a tutor fallback (the live socket could not answer) ends when the socket is open again, not with an HTTP success while it is down', async () => {
    const { fetch } = scriptedFetch(json({ ok: true }));
    const { runtime } = testRuntime({ api: { fetch }, recovery: { socketFallbackOps: ['ai_tutoring'] } });
    runtime.fallback.registerStrategy('ai_tutoring', { name: 'simplifiedTutor', canHandle: () => true, execute: async () => ({ ok: true, value: 'reply' }) });
    runtime.events.emit('socket.state', { state: 'closed' });
    await runtime.fallback.executeWithFallback(async () => ({ ok: false, error: new ResilienceError('SOCKET_CLOSED', 'refused') }), 'ai_tutoring');
    await runtime.api.request({ op: 'progress', method: 'GET', path: '/api/progress' });
    expect(runtime.modes.snapshot().mode).toBe('degraded');
    runtime.events.emit('socket.state', { state: 'open' });
    expect(runtime.modes.snapshot().mode).toBe('online');
    runtime.dispose();
  });

  it('a voice fallback (speech unavailable, reply shown as text) does not make the mode degraded', async () => {
    const { runtime } = testRuntime({ recovery: { deviceOnlyFallbackOps: ['voice_session'] } });
    runtime.fallback.registerStrategy('voice_session', { name: 'text', canHandle: () => true, execute: async () => ({ ok: true, value: 'shown as text' }) });
    const result = await runtime.fallback.executeWithFallback(async () => ({ ok: false, error: new ResilienceError('UNKNOWN', 'no speech') }), 'voice_session');
    expect(result).toMatchObject({ ok: true, source: 'fallback', strategy: 'text' });
    expect(runtime.modes.snapshot().mode).toBe('online');
    runtime.dispose();
  });

  it('offline when the connectivity probe fails', async () => {
    const { fetch } = scriptedFetch(networkError());
    const { runtime } = testRuntime({ api: { fetch } });
    await runtime.connectivity.probe('test');
    expect(runtime.modes.snapshot()).toMatchObject({ mode: 'offline', streamingAllowed: false });
    runtime.dispose();
  });

  it('a predicted risk, even critical, never shows "Limited mode" (nothing is served from saved copies yet)', () => {
    const prediction = (level: 'low' | 'critical') => ({ score: level === 'low' ? 0.1 : 0.9, level, factors: [], scorer: 'trend', reason: 'test' });
    const off = testRuntime();
    off.runtime.events.emit('prediction', prediction('critical'));
    expect(off.runtime.modes.snapshot().mode).toBe('online');
    off.runtime.dispose();

    const file = flagsWith({ predictor: true }) as { flags: Record<string, { rollout?: number }> };
    delete file.flags.predictor?.rollout; // the shipped file rolls it out to nobody
    const on = testRuntime({ flags: { source: file } });
    on.runtime.events.emit('prediction', prediction('critical'));
    expect(on.runtime.modes.snapshot().mode).toBe('online');
    on.runtime.events.emit('prediction', prediction('low'));
    expect(on.runtime.modes.snapshot().mode).toBe('online');
    on.runtime.dispose();
  });

  it('the text-only choice turns voice and streaming off and survives a reload', () => {
    const storage = memoryStorage();
    const first = testRuntime({ storage: { local: storage } });
    const snapshots: unknown[] = [];
    first.runtime.modes.subscribe((snapshot) => snapshots.push(snapshot));
    first.runtime.modes.setStudentChoice('text-only');
    expect(first.runtime.modes.snapshot()).toMatchObject({ mode: 'text-only', studentChoice: 'text-only', streamingAllowed: false, voiceAllowed: false });
    expect([first.runtime.modes.streamingAllowed, first.runtime.modes.voiceAllowed]).toEqual([false, false]);
    expect(first.ofType('mode.changed')).toEqual([expect.objectContaining({ mode: 'text-only', previous: 'online' })]);
    expect(snapshots).toHaveLength(1);
    first.runtime.dispose();

    const second = testRuntime({ storage: { local: storage } });
    expect(second.runtime.modes.snapshot()).toMatchObject({ mode: 'text-only', studentChoice: 'text-only' });
    second.runtime.modes.setStudentChoice(null);
    expect(second.runtime.modes.snapshot()).toMatchObject({ mode: 'online', studentChoice: null, streamingAllowed: true });
    second.runtime.dispose();
    const third = testRuntime({ storage: { local: storage } });
    expect(third.runtime.modes.snapshot().studentChoice).toBeNull();
    third.runtime.dispose();
  });
});
