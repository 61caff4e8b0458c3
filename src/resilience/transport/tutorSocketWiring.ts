import type { Clock, RandomSource } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { FeatureFlags } from '../flags/featureFlags';
import type { ConnectivityMonitor } from './connectivity';
import type { TutorSocket, TutorSocketOptions } from './socket/socketTypes';
import { createTutorSocket } from './tutorSocket';

/** What the app passes per socket; clock, random, events and flags come from the runtime. */
export type TutorSocketConfig = Pick<TutorSocketOptions, 'url' | 'session'> &
  Partial<Pick<TutorSocketOptions, 'WebSocketImpl' | 'pingIntervalMs' | 'backoff' | 'maxBufferedAsks' | 'maxFrameBytes' | 'codec' | 'createId'>>;

export interface TutorSockets {
  /** A new socket wired to the runtime; closed by its own close() or by the runtime's dispose(). */
  connect(config: TutorSocketConfig): TutorSocket;
  /** The sockets not closed yet. */
  live(): readonly TutorSocket[];
  dispose(): void;
}

/**
 * Builds tutor sockets on the runtime's seams. The `tutorSocket` flag is read at each decision (off → plain
 * socket: no heartbeat, reconnect or resume); connectivity coming back online skips the reconnect delay, and a
 * welcome counts as evidence of being online.
 */
export function createTutorSockets(deps: { clock: Clock; random: RandomSource; events: EventBus; flags: FeatureFlags; ids: () => string; connectivity: ConnectivityMonitor }): TutorSockets {
  const sockets = new Set<TutorSocket>();
  const unsubscribe = deps.connectivity.subscribe((state) => {
    if (state === 'online') for (const socket of sockets) socket.reconnectNow();
  });
  return {
    connect(config) {
      const socket = createTutorSocket({
        createId: () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : deps.ids()),
        ...config,
        clock: deps.clock,
        random: deps.random,
        events: deps.events,
        resilient: () => deps.flags.isEnabled('tutorSocket'),
        onOpen: () => deps.connectivity.reportSuccess(),
        // A refused or dropped socket is evidence too: with the whole server gone it says "offline" at once.
        onLost: () => deps.connectivity.reportConnectionLost('tutor socket'),
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
