import { memoryKeyValueStore } from '../../../src/resilience/core/storage';
import { createDrainLock } from '../../../src/resilience/outbox/drainLock';
import { systemClock, type Clock } from '../../../src/resilience';

/** A tab whose timers never fire: its page is frozen (or its heartbeat stalled). */
const frozenClock = (): Clock => ({ ...systemClock(), setTimeout: () => 0, clearTimeout: () => {} });

describe('the IndexedDB drain lease (where Web Locks are missing)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = (clockA: Clock = systemClock()) => {
    const store = memoryKeyValueStore();
    let mono = 0;
    const monotonicNow = () => mono;
    const lock = (owner: string, clock: Clock) => createDrainLock({ locks: null, leaseStore: store, name: 'outbox-drain:test', owner, clock, monotonicNow, leaseTtlMs: 9_000 });
    return { a: lock('tab-a', clockA), b: lock('tab-b', systemClock()), advance: (ms: number) => void (mono += ms) };
  };

  it('a live holder keeps its lease however long it drains; once it releases, the other tab gets it', async () => {
    const { a, b, advance } = setup();
    const held = await a.tryAcquire();
    expect(held).not.toBeNull();
    for (let i = 0; i < 5; i++) {
      await expect(b.tryAcquire()).resolves.toBeNull();
      advance(6_000);
      await vi.advanceTimersByTimeAsync(6_000); // the holder's heartbeat moves every 3 s
    }
    held?.release();
    await vi.advanceTimersByTimeAsync(0);
    await expect(b.tryAcquire()).resolves.not.toBeNull();
  });

  it('a lease whose heartbeat stopped is taken over after the ttl, measured by the taker; the old holder is told it lost it', async () => {
    const { a, b, advance } = setup(frozenClock());
    const lost = vi.fn();
    await a.tryAcquire(lost);
    await expect(b.tryAcquire()).resolves.toBeNull(); // first sight of this heartbeat
    advance(8_999);
    await expect(b.tryAcquire()).resolves.toBeNull();
    advance(1);
    const taken = await b.tryAcquire();
    expect(taken).not.toBeNull();
    // The stalled holder cannot get it back while the new one beats.
    await expect(a.tryAcquire()).resolves.toBeNull();
    taken?.release();
  });

  it('a holder whose lease was taken over stops at its next heartbeat', async () => {
    const store = memoryKeyValueStore();
    let mono = 0;
    const lock = (owner: string) => createDrainLock({ locks: null, leaseStore: store, name: 'n', owner, clock: systemClock(), monotonicNow: () => mono, leaseTtlMs: 9_000 });
    const a = lock('tab-a');
    const lost = vi.fn();
    await a.tryAcquire(lost);
    // Another tab overwrote the record (e.g. it measured a stall while this tab's timers were frozen).
    await store.set('lease/n', { owner: 'tab-c', beat: 99 });
    mono += 1;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(lost).toHaveBeenCalledTimes(1);
  });
});
