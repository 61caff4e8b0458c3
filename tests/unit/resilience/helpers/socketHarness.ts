import { createStreamSocket, type ResilienceEvent, type StreamSocketOptions } from '../../../../src/resilience';
import { systemClock } from '../../../../src/resilience/core/clock';
import { createEventBus } from '../../../../src/resilience/core/eventBus';
import { fakeWebSocketFactory, type FakeWebSocket } from './fakeWebSocket';

/** A tutor socket over fake WebSockets, on the (fake-timer) system clock, random fixed at 0.5 unless given. */
export function socketHarness(overrides: Partial<StreamSocketOptions> = {}) {
  const clock = systemClock();
  const events = createEventBus(clock);
  const seen: ResilienceEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const fake = fakeWebSocketFactory();
  let n = 0;
  const socket = createStreamSocket({
    url: 'ws://tutor.test/ws/tutor?session=s1',
    session: 's1',
    clock,
    random: () => 0.5,
    events,
    WebSocketImpl: fake.WebSocketImpl,
    pingIntervalMs: 1_000,
    createId: () => `ask-${++n}`,
    ...overrides,
  });
  /** Accepts the newest socket and welcomes it with the given server seq. */
  const welcome = (seq = 0): FakeWebSocket => {
    const ws = fake.last();
    ws.accept();
    ws.push({ t: 'welcome', session: 's1', seq });
    return ws;
  };
  return { socket, fake, welcome, seen, states: () => seen.filter((e) => e.type === 'socket.state').map((e) => (e as { state: string }).state) };
}

/** An ask whose outcome this test does not inspect (close() rejects it with ABORTED). */
export const quiet = (promise: Promise<unknown>) => void promise.catch(() => undefined);

