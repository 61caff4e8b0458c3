import { ResilienceError } from '../../../src/resilience';
import { fakeWebSocketFactory } from './helpers/fakeWebSocket';
import { flagsWith, testRuntime, useFakeClock } from './helpers';

const socketConfig = (WebSocketImpl: ReturnType<typeof fakeWebSocketFactory>['WebSocketImpl']) => ({
  url: 'ws://tutor.test/ws/tutor?session=s1',
  session: 's1',
  WebSocketImpl,
  pingIntervalMs: 1_000,
});

describe('tutor socket and healing in the runtime', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('the WebSocket reconnection strategy skips the backoff and heals once the socket is welcomed again', async () => {
    const fake = fakeWebSocketFactory();
    const { runtime, ofType } = testRuntime({ socket: socketConfig(fake.WebSocketImpl), random: () => 0.99 });
    await vi.dynamicImportSettled(); // the socket's code is there
    fake.last().accept();
    fake.last().push({ t: 'welcome', session: 's1', seq: 0 });
    fake.last().drop();
    expect(fake.sockets).toHaveLength(1); // waiting ~1.2 s of jittered delay

    const outcome = runtime.healing.handleError(new ResilienceError('SOCKET_CLOSED', 'tutor socket closed'));
    expect(fake.sockets).toHaveLength(2); // reconnected now
    fake.last().accept();
    fake.last().push({ t: 'welcome', session: 's1', seq: 0 });
    await expect(outcome).resolves.toEqual({ healed: true, strategy: 'websocketReconnection' });
    // The first 'connecting' is heard too: the socket connects once its code loaded, after the runtime was built.
    expect(ofType('socket.state').map((e) => e.state)).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
    runtime.dispose();
  });

  it('the strategy fails (without throwing) when the socket does not open in time', async () => {
    const fake = fakeWebSocketFactory();
    const { runtime } = testRuntime({ socket: socketConfig(fake.WebSocketImpl), healing: { socketHealTimeoutMs: 500 } });
    await vi.dynamicImportSettled(); // the socket's code is there
    const outcome = runtime.healing.handleError(new ResilienceError('SOCKET_STALE', 'stale'));
    await vi.advanceTimersByTimeAsync(500);
    await expect(outcome).resolves.toEqual({ healed: false, strategy: 'websocketReconnection' });
    runtime.dispose();
  });

  it('the socket reconnects after a drop even with the selfHealing flag off', async () => {
    const fake = fakeWebSocketFactory();
    const { runtime } = testRuntime({ flags: { source: flagsWith({ selfHealing: false }) }, socket: socketConfig(fake.WebSocketImpl) });
    await vi.dynamicImportSettled(); // the socket's code is there
    fake.last().accept();
    fake.last().push({ t: 'welcome', session: 's1', seq: 0 });
    fake.last().drop();
    await vi.advanceTimersByTimeAsync(1_200);
    expect(fake.sockets).toHaveLength(2);
    runtime.dispose();
  });

  it('with the socket flag off the socket is plain: a drop fails the ask and nothing reconnects', async () => {
    const fake = fakeWebSocketFactory();
    const { runtime } = testRuntime({ flags: { source: flagsWith({ socket: false }) }, socket: socketConfig(fake.WebSocketImpl) });
    await vi.dynamicImportSettled(); // the socket's code is there
    const socket = runtime.socket;
    if (!socket) throw new Error('expected a socket');
    fake.last().accept();
    fake.last().push({ t: 'welcome', session: 's1', seq: 0 });
    const reply = socket.ask({ topic: 'fractions', text: 'q' }, () => undefined);
    fake.last().drop();
    await expect(reply).rejects.toMatchObject({ code: 'SOCKET_CLOSED' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.sockets).toHaveLength(1);
    runtime.dispose();
  });

  it('dispose closes every socket the runtime opened and leaves no timer', async () => {
    const fake = fakeWebSocketFactory();
    const { runtime } = testRuntime({ socket: socketConfig(fake.WebSocketImpl) });
    await vi.dynamicImportSettled(); // the socket's code is there
    const second = runtime.connectSocket({ ...socketConfig(fake.WebSocketImpl), session: 's2' });
    fake.sockets[0]?.drop(); // first one waits to reconnect; second one is connecting
    runtime.dispose();
    expect(second.snapshot()).toMatchObject({ state: 'closed', reason: 'closed by the app' });
    expect(runtime.socket?.snapshot().state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });
});
