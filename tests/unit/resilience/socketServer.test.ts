import { WebSocket } from 'ws';
import { createStreamSocket, type StreamSocket, type StreamSocketSnapshot } from '../../../src/resilience';
import { systemClock, systemRandom } from '../../../src/resilience/core/clock';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import { tutorFrameCodec } from '../../../src/app/services/tutorFrameCodec';
import { startTestServer, type TestServer } from '../../helpers/server';

const QUESTION = { topic: 'fractions', text: 'How do I add fractions with different denominators?' };

/** Against the real tutoring server over real `ws` sockets and real timers. */
describe('tutor socket against the real server', () => {
  let server: TestServer;
  const sockets: StreamSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ tokenDelayMs: 15 });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server.close();
  });

  const connect = (session: string, pingIntervalMs = 10_000) => {
    const clock = systemClock();
    const socket = createStreamSocket({
      url: server.socketUrl(session),
      session,
      clock,
      random: systemRandom(),
      events: createEventBus(clock),
      WebSocketImpl: WebSocket,
      pingIntervalMs,
      codec: tutorFrameCodec, // the server's wire format
    });
    sockets.push(socket);
    return socket;
  };
  const untilState = (socket: StreamSocket, state: StreamSocketSnapshot['state']) =>
    new Promise<void>((resolve) => {
      if (socket.snapshot().state === state) return resolve();
      const off = socket.subscribe((snapshot) => {
        if (snapshot.state !== state) return;
        off();
        resolve();
      });
    });
  /** Asks, and runs `interrupt` once the third token has arrived. Returns the reply and the tokens seen. */
  const askInterrupted = async (socket: StreamSocket, id: string, interrupt: () => Promise<unknown>) => {
    const tokens: string[] = [];
    let interruption: Promise<unknown> | undefined;
    const reply = await socket.ask({ id, ...QUESTION }, (token) => {
      tokens.push(token);
      if (tokens.length === 3) interruption = interrupt();
    });
    await interruption;
    return { reply, tokens };
  };

  it('a reply cut by a socket drop mid-stream equals the uninterrupted reply, token for token', async () => {
    const baseline = await connect('baseline-drop').ask({ id: 'drop-base', ...QUESTION }, () => undefined);
    expect(baseline.text.split(' ').length).toBeGreaterThan(6);

    const socket = connect('drop-session');
    const { reply, tokens } = await askInterrupted(socket, 'drop-1', () => fetch(`${server.url}/__chaos/socket/drop`, { method: 'POST' }));
    expect(reply.text).toBe(baseline.text);
    expect(tokens.join('')).toBe(baseline.text);
    expect(socket.stats().reconnects).toBe(1);
  });

  it('a reply cut by a server restart is completed from the stored reply with no repeated token', async () => {
    const baseline = await connect('baseline-restart').ask({ id: 'restart-base', ...QUESTION }, () => undefined);
    const socket = connect('restart-session');
    const { reply, tokens } = await askInterrupted(socket, 'restart-1', () => server.restart());
    expect(tokens.join('')).toBe(baseline.text);
    expect(reply.text).toBe(baseline.text);
  });

  it('a silent (half-open) socket is declared stale, replaced, and the reply still completes', async () => {
    const baseline = await connect('baseline-silent').ask({ id: 'silent-base', ...QUESTION }, () => undefined);
    const socket = connect('silent-session', 150);
    const { reply, tokens } = await askInterrupted(socket, 'silent-1', async () => {
      await server.chaos({ socket: { silent: true } });
      await untilState(socket, 'stale');
      await server.chaos({ socket: { silent: false } });
    });
    expect(tokens.join('')).toBe(baseline.text);
    expect(reply.text).toBe(baseline.text);
    expect(socket.stats().staleDetections).toBeGreaterThanOrEqual(1);
  });
});
