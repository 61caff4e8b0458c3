import { WebSocket } from 'ws';
import { createStreamSocket, type ResilienceEvent, type StreamSocket } from '../../../../src/resilience';
import { chaosWebSocket } from '../../../../src/resilience/chaos/chaosSocket';
import { createChaosEngine } from '../../../../src/resilience/chaos/chaosEngine';
import type { ChaosRule } from '../../../../src/resilience/chaos/chaosScenarios';
import { systemClock, systemRandom } from '../../../../src/resilience/core/clock';
import { createEventBus } from '../../../../src/resilience/core/eventBus';
import { tutorFrameCodec } from '../../../../src/app/services/tutorFrameCodec';
import { startTestServer, type TestServer } from '../../../helpers/server';

const QUESTION = { topic: 'fractions', text: 'How do I add fractions with different denominators?' };

/** Socket chaos against the real tutoring server over real `ws` sockets and real timers. */
describe('runtime socket chaos against the real server', () => {
  let server: TestServer;
  const sockets: StreamSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ tokenDelayMs: 5 });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server.close();
  });

  const connect = (session: string, rules: readonly ChaosRule[], pingIntervalMs = 10_000) => {
    const clock = systemClock();
    const events = createEventBus(clock);
    const injected: ResilienceEvent[] = [];
    events.subscribe((event) => event.type === 'chaos.injected' && injected.push(event));
    const engine = createChaosEngine({ seed: 9, scenario: 'test', rules }, events);
    const socket = createStreamSocket({
      url: server.socketUrl(session),
      session,
      clock,
      random: systemRandom(),
      events,
      WebSocketImpl: rules.length > 0 ? chaosWebSocket(WebSocket, engine) : WebSocket,
      pingIntervalMs,
      // Short reconnect delays: many injected losses in one reply.
      backoff: { delayMs: () => 20 },
      codec: tutorFrameCodec,
    });
    sockets.push(socket);
    return { socket, injected };
  };

  it('drops injected into a streamed reply: the real reconnect and resume deliver it token for token', async () => {
    const baseline = await connect('chaos-drop-base', []).socket.ask({ id: 'base', ...QUESTION }, () => undefined);
    const { socket, injected } = connect('chaos-drop', [{ key: 'socket', kind: 'drop', rate: 0.15 }]);
    const tokens: string[] = [];
    const reply = await socket.ask({ id: 'drop-1', ...QUESTION }, (token) => tokens.push(token));
    expect(tokens.join('')).toBe(baseline.text);
    expect(reply.text).toBe(baseline.text);
    expect(injected.length).toBeGreaterThanOrEqual(1);
    // Each drop costs one connection (a drop of a welcome itself leaves no welcome to count).
    expect(socket.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(socket.stats().reconnects).toBeLessThanOrEqual(injected.length);
  });

  it('half-open silence injected into a reply: the heartbeat declares it stale, and the reply still completes', async () => {
    const baseline = await connect('chaos-silent-base', []).socket.ask({ id: 'base', ...QUESTION }, () => undefined);
    const { socket, injected } = connect('chaos-silent', [{ key: 'socket', kind: 'silent', rate: 0.1 }], 100);
    const tokens: string[] = [];
    const reply = await socket.ask({ id: 'silent-1', ...QUESTION }, (token) => tokens.push(token));
    expect(tokens.join('')).toBe(baseline.text);
    expect(reply.text).toBe(baseline.text);
    expect(injected.length).toBeGreaterThanOrEqual(1);
    expect(socket.stats().staleDetections).toBeGreaterThanOrEqual(1);
  });
});
