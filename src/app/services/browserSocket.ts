import { TUTOR_SOCKET_PATH } from '../../protocol/socket';

/** What the tutor connection needs to hear from a socket; keeps it testable without a real WebSocket. */
export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(): void;
}

export interface SocketChannel {
  send(data: string): void;
  close(): void;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketChannel;

/** Opens a real browser WebSocket and forwards its events; binary frames are not part of the protocol. */
export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.open();
  socket.onmessage = (event: MessageEvent) => {
    if (typeof event.data === 'string') handlers.message(event.data);
  };
  // An error is always followed by close, so close alone settles what was in flight.
  socket.onclose = () => handlers.close();
  return { send: (data) => socket.send(data), close: () => socket.close() };
};

/** The ws(s):// address of the tutor socket for a session, next to the API at `baseUrl` (or this page). */
export function tutorSocketUrl(baseUrl: string, session: string): string {
  const url = new URL(TUTOR_SOCKET_PATH, baseUrl === '' ? globalThis.location.href : baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('session', session);
  return url.toString();
}
