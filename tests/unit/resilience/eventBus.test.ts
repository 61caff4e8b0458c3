import { createEventBus } from '../../../src/resilience/core/eventBus';
import { guard } from '../../../src/resilience/core/guard';
import { createIdGenerator } from '../../../src/resilience/core/ids';
import type { Clock, ResilienceEvent } from '../../../src/resilience';

function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    advance: (ms) => void (now += ms),
  };
}

describe('event bus', () => {
  it('stamps every event with the runtime clock and delivers it to each subscriber', () => {
    const clock = manualClock(1000);
    const bus = createEventBus(clock);
    const seen: ResilienceEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    bus.emit('retry.scheduled', { backend: 'api', op: 'lessons', attempt: 2, delayMs: 100, reason: 'NETWORK' });
    expect(seen).toEqual([{ type: 'retry.scheduled', at: 1000, backend: 'api', op: 'lessons', attempt: 2, delayMs: 100, reason: 'NETWORK' }]);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = createEventBus(manualClock());
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((e) => seen.push(e.type));
    unsubscribe();
    unsubscribe();
    bus.emit('storage.degraded', { store: 'outbox', reason: 'no IndexedDB' });
    expect(seen).toEqual([]);
  });

  it('isolates a throwing listener: the emitter and the other listeners are unaffected, the failure is reported once', () => {
    const bus = createEventBus(manualClock());
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    bus.subscribe((e) => seen.push(e.type));
    expect(() => bus.emit('flag.changed', { flag: 'retry', enabled: false, source: 'override' })).not.toThrow();
    expect(seen).toEqual(['runtime.internalError', 'flag.changed']);
  });

  it('does not recurse when a listener also throws on the internal-error report', () => {
    const bus = createEventBus(manualClock());
    let calls = 0;
    bus.subscribe(() => {
      calls++;
      throw new Error('always throws');
    });
    bus.emit('mode.changed', { mode: 'offline', previous: 'online', reason: 'test' });
    expect(calls).toBe(2); // the event, then the report of its failure; nothing more
  });
});

describe('guard', () => {
  it('returns the flag-off behaviour and reports an internal error when a step throws', () => {
    const bus = createEventBus(manualClock());
    const seen: ResilienceEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const value = guard(bus, 'cache', () => {
      throw new Error('corrupt record');
    }, () => 'plain path');
    expect(value).toBe('plain path');
    expect(seen).toMatchObject([{ type: 'runtime.internalError', subsystem: 'cache', message: 'corrupt record' }]);
  });
});

describe('time-sortable ids', () => {
  it('sort by creation time, also within one millisecond, and use the injected seams', () => {
    const clock = manualClock();
    const next = createIdGenerator(clock, () => 0.99);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(next());
    clock.advance(1);
    ids.push(next());
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(createIdGenerator(manualClock(), () => 0.99)()).toBe(ids[0]);
  });
});
