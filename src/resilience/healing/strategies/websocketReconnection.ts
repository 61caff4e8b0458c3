import type { Clock } from '../../core/clock';
import type { StreamSocket } from '../../transport/socket/socketTypes';
import type { HealingStrategy } from '../healingTypes';

export interface WebsocketReconnectionOptions {
  clock: Clock;
  /** The sockets to heal (read at heal time, so sockets created later are included). */
  sockets: () => readonly Pick<StreamSocket, 'reconnectNow' | 'snapshot' | 'subscribe'>[];
  /** How long to wait for `open` (welcomed). Default 5 s. */
  timeoutMs?: number;
}

/**
 * SOCKET_CLOSED / SOCKET_STALE: skip the socket's backoff delay and wait until it is open (welcomed, session
 * resumed) again. The socket reconnects on its own anyway; this only shortens the wait when an operation is
 * blocked on it. Healed when every socket is open within the timeout.
 */
export function websocketReconnection(options: WebsocketReconnectionOptions): HealingStrategy {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const untilOpen = (socket: Pick<StreamSocket, 'reconnectNow' | 'snapshot' | 'subscribe'>) =>
    new Promise<boolean>((resolve) => {
      if (socket.snapshot().state === 'open') return resolve(true);
      const finish = (healed: boolean) => {
        options.clock.clearTimeout(timer);
        unsubscribe();
        resolve(healed);
      };
      const timer = options.clock.setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = socket.subscribe((snapshot) => {
        if (snapshot.state === 'open') finish(true);
      });
      socket.reconnectNow();
    });

  return {
    name: 'websocketReconnection',
    canHeal: (error) => (error.code === 'SOCKET_CLOSED' || error.code === 'SOCKET_STALE') && options.sockets().length > 0,
    async heal() {
      const results = await Promise.all(options.sockets().map(untilOpen));
      return results.every(Boolean);
    },
  };
}
