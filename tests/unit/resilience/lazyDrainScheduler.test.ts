import type { ResilienceEvent } from '../../../src/resilience';
import { systemClock } from '../../../src/resilience/core/clock';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import type { DrainScheduler, DrainSchedulerParts } from '../../../src/resilience/outbox/drainScheduler';
import { lazyDrainScheduler, type LoadDrainScheduler } from '../../../src/resilience/outbox/lazyDrainScheduler';

/**
 * The facade over a scheduler that records what it is asked (the real one is driven by every outbox test through
 * the runtime); the load waits for `release()` and fails the first time if asked.
 */
function setup(fail = false) {
  const events = createEventBus(systemClock());
  const heard: ResilienceEvent[] = [];
  events.subscribe((event) => heard.push(event));
  const asked: string[] = [];
  const scheduler: DrainScheduler = {
    start: async (force) => {
      asked.push(force ? 'sync' : 'drain');
      return { sent: 2, deadLettered: 0, remaining: 0 };
    },
    onRemoteChange: () => void asked.push('notice'),
    dispose: () => void asked.push('dispose'),
  };
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const load: LoadDrainScheduler = () => {
    loads.push(loads.length + 1);
    return fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : gate.then(() => ({ createDrainScheduler: () => scheduler }));
  };
  const parts = { options: { events }, mirror: { pending: () => 2 } } as unknown as DrainSchedulerParts;
  return { drains: lazyDrainScheduler(parts, load), asked, heard, loads, release };
}

describe('lazyDrainScheduler (the outbox replays while their code loads)', () => {
  it('a drain asked meanwhile waits for the code and answers its report; change notices meanwhile count as one', async () => {
    const { drains, asked, release } = setup();
    const drained = drains.start(false);
    drains.onRemoteChange();
    drains.onRemoteChange();
    drains.onRemoteChange();
    expect(asked).toEqual([]);
    release();
    await expect(drained).resolves.toEqual({ sent: 2, deadLettered: 0, remaining: 0 });
    expect(asked).toEqual(['drain', 'notice']);
    drains.onRemoteChange();
    await drains.start(true);
    expect(asked).toEqual(['drain', 'notice', 'notice', 'sync']);
    drains.dispose();
    expect(asked.at(-1)).toBe('dispose');
  });

  it('a failed load is reported and the drain answers that nothing was sent (the queue stays); the next drain loads again', async () => {
    const { drains, asked, heard, loads, release } = setup(true);
    await expect(drains.start(false)).resolves.toEqual({ sent: 0, deadLettered: 0, remaining: 2 });
    expect(heard).toMatchObject([{ type: 'runtime.internalError', subsystem: 'outbox', message: expect.stringContaining('chunk gone') }]);
    const again = drains.start(false);
    release();
    await expect(again).resolves.toMatchObject({ sent: 2 });
    expect(loads).toEqual([1, 2]);
    expect(asked).toEqual(['drain']);
  });
});
