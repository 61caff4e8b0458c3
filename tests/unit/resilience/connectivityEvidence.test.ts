import { fakeWebSocketFactory } from './helpers/fakeWebSocket';
import { json, networkError, testRuntime, useFakeClock } from './helpers';

/** A runtime whose tutor socket is a fake and whose health probe succeeds while `server.up`. */
async function runtimeWithSocket() {
  const fake = fakeWebSocketFactory();
  const server = { up: true, probes: 0 };
  const world = testRuntime({
    api: { fetch: async () => {
      server.probes += 1;
      if (!server.up) throw networkError();
      return json({ status: 'ok' });
    } },
    socket: { url: 'ws://tutor.test/ws/tutor?session=s1', session: 's1', WebSocketImpl: fake.WebSocketImpl, pingIntervalMs: 1_000 },
  });
  const welcome = () => {
    const ws = fake.last();
    ws.accept();
    ws.push({ t: 'welcome', session: 's1', seq: 0 });
    return ws;
  };
  await vi.dynamicImportSettled(); // the socket's code (the afterFirstLoad chunk) is there
  return { ...world, fake, server, welcome };
}

describe('failed socket connections are connectivity evidence', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('the whole server going away is announced offline from the socket drop alone, with no request made', async () => {
    const { runtime, server, welcome, ofType } = await runtimeWithSocket();
    const ws = welcome();
    expect(runtime.connectivity.state()).toBe('online');

    server.up = false;
    ws.drop(1006); // nothing asked, nothing requested: only the socket notices
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.connectivity.state()).toBe('offline');
    expect(server.probes).toBe(1);
    expect(ofType('connectivity.changed').map((e) => e.state)).toEqual(['online', 'offline']);
    runtime.dispose();
  });

  it('a socket that is never accepted (refused) counts too', async () => {
    const { runtime, server, fake } = await runtimeWithSocket();
    server.up = false;
    fake.last().drop(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.connectivity.state()).toBe('offline');
    runtime.dispose();
  });

  it('a socket refused by a healthy server stays online and probes at most once per quiet period, not per reconnect attempt', async () => {
    const { runtime, server, fake, welcome } = await runtimeWithSocket();
    welcome();
    const startedAt = Date.now();
    for (let i = 0; i < 10; i++) {
      const before = fake.sockets.length;
      fake.last().drop(1006);
      while (fake.sockets.length === before) await vi.advanceTimersByTimeAsync(100); // the next reconnect attempt
    }
    const elapsedMs = Date.now() - startedAt;
    expect(runtime.connectivity.state()).toBe('online');
    expect(fake.sockets.length).toBeGreaterThanOrEqual(11);
    // A 3 s quiet period after each healthy probe: at most one probe per 3 s, however many refusals.
    expect(server.probes).toBeGreaterThanOrEqual(2);
    expect(server.probes).toBeLessThanOrEqual(Math.ceil(elapsedMs / 3_000) + 1);
    expect(server.probes).toBeLessThan(10);
    runtime.dispose();
  });

  it('a close asked for by the app is no evidence', async () => {
    const { runtime, server, welcome } = await runtimeWithSocket();
    welcome();
    runtime.socket?.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.probes).toBe(0);
    runtime.dispose();
  });
});
