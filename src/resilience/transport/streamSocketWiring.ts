import type { Clock, RandomSource } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { FeatureFlags } from '../flags/featureFlags';
import type { ConnectivityMonitor } from './connectivity';
import type { StreamSocket, StreamSocketOptions, WebSocketConstructor } from './socket/socketTypes';
import { createStreamSocket } from './streamSocket';

/** What the app passes per socket; clock, random, events and flags come from the runtime. */
export type StreamSocketConfig = Pick<StreamSocketOptions, 'url' | 'session'> &
  Partial<Pick<StreamSocketOptions, 'WebSocketImpl' | 'pingIntervalMs' | 'backoff' | 'maxBufferedAsks' | 'maxFrameBytes' | 'codec' | 'createId'>>;

export interface StreamSockets {
  /** A new socket wired to the runtime; closed by its own close() or by the runtime's dispose(). */
  connect(config: StreamSocketConfig): StreamSocket;
  /** The sockets not closed yet. */
  live(): readonly StreamSocket[];
  dispose(): void;
}

/** The runtime's seams the tutor sockets are built on. */
export interface StreamSocketsDeps {
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  flags: FeatureFlags;
  ids: () => string;
  connectivity: ConnectivityMonitor;
  /** Runtime chaos: wraps each socket's WebSocket class innermost. */
  wrapWebSocket?: ((Impl: WebSocketConstructor) => WebSocketConstructor) | undefined;
}

/**
 * Builds tutor sockets on the runtime's seams. The `socket` flag is read at each decision (off → plain
 * socket: no heartbeat, reconnect or resume); connectivity coming back online skips the reconnect delay, and a
 * welcome counts as evidence of being online.
 */
export function createStreamSockets(deps: StreamSocketsDeps): StreamSockets {
  const sockets = new Set<StreamSocket>();
  const unsubscribe = deps.connectivity.subscribe((state) => {
    if (state === 'online') for (const socket of sockets) socket.reconnectNow();
  });
  return {
    connect(config) {
      const Impl = config.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      const socket = createStreamSocket({
        createId: () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : deps.ids()),
        ...config,
        ...(deps.wrapWebSocket && Impl ? { WebSocketImpl: deps.wrapWebSocket(Impl) } : {}),
        clock: deps.clock,
        random: deps.random,
        events: deps.events,
        resilient: () => deps.flags.isEnabled('socket'),
        onOpen: () => deps.connectivity.reportSuccess(),
        // A refused or dropped socket is evidence too: with the whole server gone it says "offline" at once.
        onLost: () => deps.connectivity.reportConnectionLost('socket'),
      });
      sockets.add(socket);
      const close = socket.close;
      return Object.assign(socket, {
        close() {
          sockets.delete(socket);
          close();
        },
      });
    },
    live: () => [...sockets],
    dispose() {
      unsubscribe();
      for (const socket of [...sockets]) socket.close();
    },
  };
}
