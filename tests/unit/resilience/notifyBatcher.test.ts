import { systemClock } from '../../../src/resilience/core/clock';
import { createListeners } from '../../../src/resilience/core/listeners';
import { createNotifyBatcher, frameScheduler, microtaskScheduler, throttledScheduler } from '../../../src/resilience/core/notifyBatcher';
import { useFakeClock } from './helpers';

beforeEach(() => {
  useFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('listeners and batched notification', () => {
  it('a listener that throws does not stop the others, and is reported', () => {
    const errors: unknown[] = [];
    const listeners = createListeners<number>((error) => errors.push(error));
    const seen: number[] = [];
    listeners.subscribe(() => {
      throw new Error('broken');
    });
    const unsubscribe = listeners.subscribe((value) => seen.push(value));
    listeners.notify(1);
    unsubscribe();
    unsubscribe();
    listeners.notify(2);
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(2);
  });

  it('a thousand changes in one burst reach a subscriber as one notification per flush', async () => {
    const batcher = createNotifyBatcher(frameScheduler(systemClock()), () => undefined);
    let notifications = 0;
    const notifyUi = () => notifications++;
    for (let i = 0; i < 1_000; i++) batcher.schedule(notifyUi);
    expect(notifications).toBe(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(notifications).toBe(1);
    batcher.schedule(notifyUi);
    await vi.advanceTimersByTimeAsync(50);
    expect(notifications).toBe(2);
  });

  it('flushes on the next animation frame when the page has frames', () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    try {
      const batcher = createNotifyBatcher(frameScheduler(systemClock()), () => undefined);
      let notifications = 0;
      batcher.schedule(() => notifications++);
      batcher.schedule(() => notifications++);
      expect(frames).toHaveLength(1);
      frames[0]?.();
      expect(notifications).toBe(2);
      vi.advanceTimersByTime(100); // the hidden-page timer was cleared: no second flush
      expect(notifications).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('nothing runs after dispose', async () => {
    const batcher = createNotifyBatcher(frameScheduler(systemClock()), () => undefined);
    let notifications = 0;
    batcher.schedule(() => notifications++);
    batcher.dispose();
    batcher.schedule(() => notifications++);
    await vi.advanceTimersByTimeAsync(100);
    expect(notifications).toBe(0);
  });

  it('microtask batching: one synchronous burst is one notification, before any timer', async () => {
    const batcher = createNotifyBatcher(microtaskScheduler, () => undefined);
    let notifications = 0;
    const notify = () => notifications++;
    for (let i = 0; i < 50; i++) batcher.schedule(notify);
    expect(notifications).toBe(0);
    await Promise.resolve();
    expect(notifications).toBe(1);
  });

  it('throttled: a lone change flushes at once, a second burst within the frame waits for the rest of it', async () => {
    const batcher = createNotifyBatcher(throttledScheduler(systemClock(), 16), () => undefined);
    let notifications = 0;
    const notify = () => notifications++;
    batcher.schedule(notify);
    await Promise.resolve();
    expect(notifications).toBe(1);
    batcher.schedule(notify);
    batcher.schedule(notify);
    await Promise.resolve();
    expect(notifications).toBe(1);
    await vi.advanceTimersByTimeAsync(15);
    expect(notifications).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(notifications).toBe(2);
  });

  it('throttled: a wall clock stepped back 10 min does not hold the next flush for 10 min', async () => {
    let now = 1_000_000;
    const clock = { ...systemClock(), now: () => now };
    const batcher = createNotifyBatcher(throttledScheduler(clock, 16), () => undefined);
    let notifications = 0;
    batcher.schedule(() => notifications++);
    await Promise.resolve();
    now -= 600_000; // the step, between two changes
    batcher.schedule(() => notifications++);
    await vi.advanceTimersByTimeAsync(16);
    expect(notifications).toBe(2);
  });
});
