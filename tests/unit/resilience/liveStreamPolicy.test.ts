import { createLiveStreamPolicy, systemClock, type StreamSocketSnapshot } from '../../../src/resilience';
import { createListeners } from '../../../src/resilience/core/listeners';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const clock = systemClock(); // its timers go through the globals, which the fake timers replace

describe('the live-stream policy', () => {
  it('never cuts off a stream that keeps sending, however long it runs in total', async () => {
    const policy = createLiveStreamPolicy(undefined, clock, { idleMs: 1_000 });
    const reply = policy.run<string>(async (progress) => {
      for (let token = 0; token < 10; token += 1) {
        await new Promise((resolve) => setTimeout(resolve, 900));
        progress();
      }
      return 'whole reply';
    });
    await vi.advanceTimersByTimeAsync(9_000);
    await expect(reply).resolves.toBe('whole reply');
  });

  it('hands over after the idle limit: TIMEOUT, the call is aborted, and what comes later is ignored', async () => {
    const policy = createLiveStreamPolicy(undefined, clock, { idleMs: 1_000 });
    let signal: AbortSignal | undefined;
    let lateProgress: (() => boolean) | undefined;
    const reply = policy.run<string>((progress, abort) => {
      signal = abort;
      lateProgress = progress;
      return new Promise((resolve) => setTimeout(() => resolve('too late'), 5_000));
    });
    const settled = reply.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(settled).resolves.toMatchObject({ code: 'TIMEOUT' });
    expect(signal?.aborted).toBe(true);
    expect(lateProgress?.()).toBe(false);
  });

  it('is not worth trying after two failed connections in a row, and is again once the socket opens', () => {
    const socket = createListeners<StreamSocketSnapshot>(() => undefined);
    const policy = createLiveStreamPolicy(socket, clock);
    const closed: StreamSocketSnapshot = { state: 'closed', reason: 'refused', since: 0, nextAttemptAt: null };
    socket.notify(closed);
    expect(policy.worthTrying()).toBe(true); // one drop usually heals within a second or two
    socket.notify(closed);
    expect([policy.failedConnections(), policy.worthTrying()]).toEqual([2, false]);
    socket.notify({ state: 'open', openedAt: 1, reconnects: 1 });
    expect(policy.worthTrying()).toBe(true);
    policy.dispose();
    socket.notify(closed);
    socket.notify(closed);
    expect(policy.worthTrying()).toBe(true); // disposed: no longer follows the socket
  });
});
