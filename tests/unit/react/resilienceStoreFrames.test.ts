import { createResilienceStore } from '../../../src/react/resilienceStore';
import { testRuntime } from '../resilience/helpers';

afterEach(() => vi.useRealTimers());

describe('the UI store commits at most once per animation frame', () => {
  it('commits a lone change at once, and a burst of changes as one more commit a frame later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const { runtime } = testRuntime();
    const store = createResilienceStore(runtime);
    const disconnect = store.connect();
    await vi.advanceTimersByTimeAsync(100); // the connect commit, well in the past
    let commits = 0;
    const unsubscribe = store.subscribe(() => (commits += 1));

    runtime.events.emit('outbox.progress', { done: 1, total: 9 });
    await Promise.resolve();
    expect(commits).toBe(1); // no frame waited for a lone change
    expect(store.getState().syncProgress).toEqual({ done: 1, total: 9 });

    for (let done = 2; done <= 9; done++) runtime.events.emit('outbox.progress', { done, total: 9 });
    await Promise.resolve();
    expect(commits).toBe(1); // the burst waits for the rest of the frame
    await vi.advanceTimersByTimeAsync(16);
    expect(commits).toBe(2);
    expect(store.getState().syncProgress).toEqual({ done: 9, total: 9 });

    unsubscribe();
    disconnect();
    runtime.dispose();
  });

  it('commitNow() commits what waits for the frame at once (a verdict shown next to the pending count)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const { runtime } = testRuntime();
    const store = createResilienceStore(runtime);
    const disconnect = store.connect();
    await vi.advanceTimersByTimeAsync(100);
    runtime.events.emit('outbox.progress', { done: 1, total: 2 });
    await Promise.resolve(); // a lone change: committed in the next microtask
    runtime.events.emit('outbox.progress', { done: 2, total: 2 });
    await Promise.resolve();
    expect(store.getState().syncProgress).toEqual({ done: 1, total: 2 }); // the second waits for the frame
    store.commitNow();
    expect(store.getState().syncProgress).toEqual({ done: 2, total: 2 });
    disconnect();
    runtime.dispose();
  });
});
