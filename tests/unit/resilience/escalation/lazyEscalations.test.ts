import { IDBFactory } from 'fake-indexeddb';
import { lazyEscalations, type LoadEscalations } from '../../../../src/resilience/escalation/lazyEscalations';
import { testRuntime } from '../helpers';

const escalationWiring = () => import('../../../../src/resilience/escalation/escalationWiring');

/** A facade over a runtime's services whose load waits for `release()` (and fails the first time if asked). */
function setup(fail = false) {
  const { runtime, ofType } = testRuntime();
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const load: LoadEscalations = () => {
    loads.push(loads.length + 1);
    return fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : gate.then(escalationWiring);
  };
  const queue = lazyEscalations(
    { indexedDB: new IDBFactory(), databaseName: 'lazy-escalations', clock: runtime.clock, events: runtime.events, flags: runtime.flags, outbox: runtime.outbox, userId: 'ana', api: runtime.api, connectivity: runtime.connectivity, storage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined }, config: {} },
    load,
  );
  return { runtime, ofType, queue, loads, release };
}

describe('lazyEscalations (runtime.escalations while its code loads)', () => {
  it('what happened before the code came is kept: a failed recovery heard on the bus and an escalation become items, and subscribers hear them arrive', async () => {
    const { runtime, queue, release } = setup();
    let changes = 0;
    queue.subscribe(() => void (changes += 1));
    runtime.events.emit('escalation.raised', { id: 'e1', op: 'lesson_data', code: 'HTTP_5XX', message: 'The lesson failed' });
    queue.escalate({ id: 'e1', op: 'lesson_data', code: 'HTTP_5XX', message: 'The lesson failed', causeKey: 'lesson_data:HTTP_5XX', raisedAt: runtime.clock.now() });
    expect(queue.list()).toEqual([]);
    expect(queue.items()).toEqual([]);
    release();
    await queue.ready();
    await vi.waitFor(() => expect(queue.list()).toMatchObject([{ id: 'recovery:lesson_data:HTTP_5XX', kind: 'recoveryFailed', status: 'open' }]));
    expect(queue.items()).toMatchObject([{ op: 'lesson_data', code: 'HTTP_5XX' }]);
    expect(changes).toBeGreaterThanOrEqual(1);
    // After the load the facade is the queue: the operation working again takes its items off.
    runtime.events.emit('request.succeeded', { op: 'lesson_data', backend: 'api', status: 200, attempts: 1, durationMs: 5 });
    await vi.waitFor(() => expect(queue.needsAttention()).toEqual([]));
    expect(queue.items()).toEqual([]);
    queue.dispose();
    runtime.dispose();
  });

  it('an action asked before the code came is done on it; a failed load rejects the waiting action, is reported, and the next call loads again', async () => {
    const { runtime, ofType, queue, loads, release } = setup(true);
    await expect(queue.retryNow('outbox:1')).rejects.toThrow('chunk gone');
    expect(ofType('runtime.internalError')).toMatchObject([{ subsystem: 'escalation', message: expect.stringContaining('chunk gone') }]);
    const waiting = queue.resolveItem('nope');
    release();
    await expect(waiting).rejects.toThrow('No intervention item "nope"');
    expect(loads).toEqual([1, 2]);
    queue.dispose();
    runtime.dispose();
  });
});
