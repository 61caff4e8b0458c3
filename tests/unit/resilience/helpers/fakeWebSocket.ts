import type { ClientFrame, ServerFrame } from '../../../../src/protocol/socket';
import type { WebSocketConstructor, WebSocketLike } from '../../../../src/resilience';

/**
 * A scriptable WebSocket for unit tests. Each `new` is recorded in the factory's `sockets`; the test plays the
 * server: `accept()` opens it, `push()` sends a frame, `drop()` closes it abnormally, `sent` lists what the client
 * sent (parsed). Nothing happens on its own, so a socket the test ignores behaves like a half-open one.
 */
export class FakeWebSocket implements WebSocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  /** Server side: complete the handshake. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Server side: deliver a frame (an object is JSON-encoded, a string or anything else is sent as is). */
  push(frame: ServerFrame | string | Uint8Array): void {
    this.onmessage?.({ data: typeof frame === 'object' && !(frame instanceof Uint8Array) ? JSON.stringify(frame) : frame });
  }

  /** Server side: the connection ends (1006 = abnormal, as after a crash or a drop). */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }

  framesOfType<T extends ClientFrame['t']>(t: T): Extract<ClientFrame, { t: T }>[] {
    return this.sent.filter((frame): frame is Extract<ClientFrame, { t: T }> => frame.t === t);
  }
}

/** A WebSocket class bound to one recorder, so each test sees only its own sockets. */
export function fakeWebSocketFactory() {
  const sockets: FakeWebSocket[] = [];
  const Impl = class extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  };
  return {
    WebSocketImpl: Impl as WebSocketConstructor,
    sockets,
    /** The most recent socket; throws when none was made. */
    last(): FakeWebSocket {
      const socket = sockets[sockets.length - 1];
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
  };
}
