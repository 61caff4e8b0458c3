import type { ResilienceEvent } from '../../../src/resilience';
import { systemClock } from '../../../src/resilience/core/clock';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import type { FeatureFlags } from '../../../src/resilience/flags/featureFlags';
import type { ConnectivityMonitor } from '../../../src/resilience/transport/connectivity';
import { lazyStreamSockets, type LoadStreamSockets } from '../../../src/resilience/transport/lazyStreamSockets';
import { createStreamSockets } from '../../../src/resilience/transport/streamSocketWiring';
import { fakeWebSocketFactory } from './helpers/fakeWebSocket';

/**
 * The facade over the real tutor sockets (createStreamSockets on a scripted WebSocket); the load waits for
 * `release()` and fails the first time if asked.
 */
function setup(fail = false) {
  const clock = systemClock();
  const events = createEventBus(clock);
  const heard: ResilienceEvent[] = [];
  events.subscribe((event) => heard.push(event));
  const fake = fakeWebSocketFactory();
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const load: LoadStreamSockets = () => {
    loads.push(loads.length + 1);
    return fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : gate.then(() => ({ createStreamSockets }));
  };
  const flags = { isEnabled: () => true, subscribe: () => () => undefined } as unknown as FeatureFlags;
  const connectivity = { subscribe: () => () => undefined, reportSuccess: () => undefined, reportConnectionLost: () => undefined } as unknown as ConnectivityMonitor;
  const sockets = lazyStreamSockets({ clock, random: () => 0.5, events, flags, ids: () => 'id', connectivity }, load);
  const socket = sockets.connect({ url: 'ws://tutor.test/ws/tutor?session=s1', session: 's1', WebSocketImpl: fake.WebSocketImpl, createId: () => 'ask-1' });
  const welcome = () => {
    const ws = fake.last();
    ws.accept();
    ws.push({ t: 'welcome', session: 's1', seq: 0 });
    return ws;
  };
  return { sockets, socket, fake, heard, loads, release, welcome };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('lazyStreamSockets (the tutor socket while its code loads)', () => {
  it('says connecting at once; an ask made meanwhile is sent once the code is there, and the subscriber hears the real socket', async () => {
    const { sockets, socket, fake, release, welcome } = setup();
    const states: string[] = [];
    socket.subscribe((snapshot) => states.push(snapshot.state));
    expect(socket.snapshot().state).toBe('connecting');
    expect(sockets.live()).toEqual([socket]);
    const tokens: string[] = [];
    const reply = socket.ask({ topic: 'fractions', text: 'why?' }, (text) => tokens.push(text));
    expect(fake.sockets).toHaveLength(0);

    release();
    await settle();
    const ws = welcome();
    expect(ws.framesOfType('ask').map((ask) => ask.text)).toEqual(['why?']);
    ws.push({ t: 'token', seq: 1, replyTo: 'ask-1', text: 'Halves.' });
    ws.push({ t: 'done', seq: 2, replyTo: 'ask-1' });
    await expect(reply).resolves.toMatchObject({ text: 'Halves.' });
    expect(tokens).toEqual(['Halves.']);
    expect(socket.snapshot().state).toBe('open');
    expect(states.at(-1)).toBe('open');
    expect(sockets.live()).toHaveLength(1);
    expect(sockets.live()[0]).not.toBe(socket); // the real one; the facade now passes everything to it
    sockets.dispose();
    expect(socket.snapshot().state).toBe('closed');
  });

  it('a failed load is reported: the socket says closed, its asks reject SOCKET_CLOSED, and reconnectNow loads again', async () => {
    const { sockets, socket, fake, heard, loads, release, welcome } = setup(true);
    const states: string[] = [];
    socket.subscribe((snapshot) => states.push(snapshot.state));
    await expect(socket.ask({ topic: 'fractions', text: 'q' }, () => undefined)).rejects.toMatchObject({ code: 'SOCKET_CLOSED' });
    expect(socket.snapshot()).toMatchObject({ state: 'closed', nextAttemptAt: null });
    expect(states).toEqual(['closed']);
    expect(heard).toMatchObject([{ type: 'runtime.internalError', subsystem: 'socket', message: expect.stringContaining('chunk gone') }]);

    socket.reconnectNow();
    expect(loads).toEqual([1, 2]);
    release();
    await settle();
    welcome();
    expect(fake.sockets).toHaveLength(1);
    expect(socket.snapshot().state).toBe('open');
    sockets.dispose();
  });

  it('a socket closed before its code loaded never connects, and its waiting ask rejects ABORTED', async () => {
    const { sockets, socket, fake, release } = setup();
    const reply = socket.ask({ topic: 'fractions', text: 'q' }, () => undefined);
    socket.close();
    expect(socket.snapshot()).toMatchObject({ state: 'closed', reason: 'closed by the app' });
    expect(sockets.live()).toEqual([]);
    release();
    await expect(reply).rejects.toMatchObject({ code: 'ABORTED' });
    expect(fake.sockets).toHaveLength(0);
    sockets.dispose();
  });
});
